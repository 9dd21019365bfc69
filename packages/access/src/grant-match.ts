import { atLeast, type Grant, type Level, type Principal } from '@warden/core';

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

/**
 * Whether a grant clears a field: the principal's own, live, in its mode, a pattern matching the
 * field's URN — and the field's level (as labelled now, in context) at most the level it was
 * approved for, so a column relabelled or added above that level after approval is not cleared.
 */
export function grantCovers(
  grant: Grant,
  principal: Principal,
  field: { urn: string; level: Level },
  mode: Grant['mode'],
  now: Date,
): boolean {
  return (
    grant.principalId === principal.id &&
    atLeast(grant.level, field.level) &&
    !grant.revoked &&
    grant.mode === mode &&
    grant.expiresAt.getTime() > now.getTime() &&
    grant.patterns.some((p) => urnPatternToRegExp(p).test(field.urn))
  );
}
