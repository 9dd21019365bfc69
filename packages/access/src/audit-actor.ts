/** Who an audit event names as its actor: a signed-in principal, or the OS operator at the CLI. */
import type { Principal } from '@warden/core';

/** Who performs an administrative action: a signed-in principal, or the OS operator at the CLI (bootstrap). */
export type Actor = { principal: Principal } | { cli: string };

export interface EventActor {
  actorId?: string;
  actorName: string;
  roles: string[];
  auth: string[];
  sessionId?: string;
}

export function principalActor(p: Principal): EventActor {
  return { actorId: p.id, actorName: p.name, roles: p.roles, auth: p.amr, sessionId: p.sessionId };
}

export function auditActor(a: Actor): EventActor {
  return 'cli' in a ? { actorName: `os:${a.cli}`, roles: [], auth: ['os'] } : principalActor(a.principal);
}
