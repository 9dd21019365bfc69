/**
 * Using a named grant (the `x-warden-grant` header): why it cannot be used,
 * if it cannot. Pure; the route refuses the whole read with this code, so an
 * expired, revoked, exhausted or foreign grant never silently degrades into
 * masked values the caller thinks are clear.
 */
import type { ErrorCode, Grant, Principal } from '@warden/core';
import type { DisclosurePlan } from './disclosure-plan.js';

export interface Refusal {
  code: ErrorCode;
  params: Record<string, unknown>;
}

/** A human session lasts at most 12 h: MFA proven at login covers grant use for that long. */
const GRANT_USE_MFA_MINUTES = 720;

export function grantRefusal(grant: Grant | undefined, id: string, principal: Principal, now: Date): Refusal | undefined {
  if (!grant || grant.principalId !== principal.id) return { code: 'GRANT_NOT_FOUND', params: { id } };
  if (grant.revoked) return { code: 'GRANT_REVOKED', params: {} };
  if (grant.expiresAt.getTime() <= now.getTime()) return { code: 'GRANT_EXPIRED', params: { expiresAt: grant.expiresAt.toISOString() } };
  if (grant.mode !== 'read') return { code: 'GRANT_OUT_OF_SCOPE', params: { field: 'reading (it is an export grant)' } };
  if (grant.rowCap !== undefined && grant.rowsUsed >= grant.rowCap)
    return { code: 'GRANT_EXHAUSTED', params: { cap: `row cap of ${grant.rowCap} rows` } };
  if (!principal.mfaAt) return { code: 'MFA_REQUIRED', params: { minutes: GRANT_USE_MFA_MINUTES } };
  return undefined;
}

/** The first selected L3+ field a named grant leaves uncleared: the grant does not cover it. */
export function outOfScope(plan: DisclosurePlan, grantId: string): Refusal | undefined {
  for (const f of plan.fields.values()) {
    if (!f.audited) continue;
    if (f.decision.action === 'CLEAR' && (f.decision.grantId === undefined || f.decision.grantId === grantId)) continue;
    return { code: 'GRANT_OUT_OF_SCOPE', params: { field: f.coordinate } };
  }
  return undefined;
}

/** Live grants the read path may apply on its own: read mode, not exhausted. */
export function usableGrants(grants: readonly Grant[], now: Date): Grant[] {
  return grants
    .filter(
      (g) => !g.revoked && g.mode === 'read' && g.expiresAt.getTime() > now.getTime() && (g.rowCap === undefined || g.rowsUsed < g.rowCap),
    )
    .sort((a, b) => (a.id < b.id ? -1 : 1));
}
