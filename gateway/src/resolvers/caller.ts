/** The caller of a resolver that needs one right: UNAUTHENTICATED without a principal, FORBIDDEN without the right. */
import type { Action, CompiledPolicies, Subject } from '@warden/access';
import { type Principal, wardenError } from '@warden/core';

/** The principal, allowed `action` on `subject`; `described` names the refused action in FORBIDDEN. */
export function callerAllowed(
  policies: Pick<CompiledPolicies, 'abilityFor'>,
  principal: Principal | undefined,
  action: Action,
  subject: Subject,
  described: string,
): Principal {
  if (!principal) throw wardenError('UNAUTHENTICATED');
  if (!policies.abilityFor(principal.roles).can(action, subject)) throw wardenError('FORBIDDEN', { action: described });
  return principal;
}
