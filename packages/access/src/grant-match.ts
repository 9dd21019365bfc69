import type { Grant, Principal } from '@warden/core';

const patternCache = new Map<string, RegExp>();

/** URN patterns: `*` matches within one segment (no `.` or `:`), `**` matches anything. */
export function urnPatternToRegExp(pattern: string): RegExp {
  let re = patternCache.get(pattern);
  if (!re) {
    const body = pattern
      .split('**')
      .map((part) =>
        part
          .split('*')
          .map((s) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
          .join('[^.:]*'),
      )
      .join('.*');
    re = new RegExp(`^${body}$`);
    patternCache.set(pattern, re);
  }
  return re;
}

export function grantCovers(grant: Grant, principal: Principal, urn: string, mode: Grant['mode'], now: Date): boolean {
  return (
    grant.principalId === principal.id &&
    !grant.revoked &&
    grant.mode === mode &&
    grant.expiresAt.getTime() > now.getTime() &&
    grant.patterns.some((p) => urnPatternToRegExp(p).test(urn))
  );
}
