/**
 * GraphQL for sessions, MFA, access requests, approvals, grants and
 * break-glass. Thin: every rule lives in the user and access stores (which
 * also audit); these resolvers check who may call them and shape the answers.
 * The route has already refused batching of the sensitive mutations and
 * anonymous callers of anything but `login`.
 */
import type { AccessRequest, AccessStore, CompiledPolicies, GrantRecord, ReviewTask, UserStore } from '@warden/access';
import { type Principal, wardenError } from '@warden/core';
import { callerAllowed } from './caller.js';

export interface AccessContext {
  principal?: Principal;
  sourceIp: string;
}

export interface AccessResolverDeps {
  policies: CompiledPolicies;
  users?: UserStore;
  access?: AccessStore;
}

type Args = Record<string, unknown>;

const iso = (d: Date | undefined) => d?.toISOString() ?? null;

function sessionInfo(p: Principal) {
  return {
    name: p.name,
    roles: p.roles,
    amr: p.amr,
    mfaAt: iso(p.mfaAt),
    mfaEnrolled: p.kind === 'user' && p.amr.includes('otp'),
  };
}

function requestView(r: AccessRequest) {
  return {
    id: r.id,
    requester: r.requesterName,
    patterns: r.patterns,
    level: r.level,
    purpose: r.purpose,
    mode: r.mode,
    rowCap: r.rowCap,
    durationHours: r.durationHours,
    bulk: r.bulk,
    state: r.state,
    approvalsNeeded: r.approvalsNeeded,
    approvals: r.approvals.map((a) => ({
      approver: a.approverName,
      at: iso(a.at),
      mfaAt: iso(a.mfaAt),
      bulk: a.bulk,
      note: a.note ?? null,
    })),
    createdAt: iso(r.createdAt),
    decidedAt: iso(r.decidedAt),
    reason: r.reason ?? null,
    grantId: r.grantId ?? null,
  };
}

function grantView(g: GrantRecord) {
  return {
    id: g.id,
    principal: g.principalName,
    requestId: g.requestId ?? null,
    patterns: g.patterns,
    mode: g.mode,
    bulk: g.bulk,
    expiresAt: iso(g.expiresAt),
    revoked: g.revoked,
    rowCap: g.rowCap ?? null,
    rowsUsed: g.rowsUsed,
    uses: g.uses,
    breakGlass: g.breakGlass,
  };
}

function reviewView(t: ReviewTask) {
  return {
    id: t.id,
    grantId: t.grantId,
    kind: t.kind,
    state: t.state,
    openedAt: iso(t.openedAt),
    closedBy: t.closedBy ?? null,
    closedAt: iso(t.closedAt),
    note: t.note ?? null,
  };
}

export function accessResolvers(deps: AccessResolverDeps) {
  const users = (): UserStore => {
    if (!deps.users) throw wardenError('NOT_READY');
    return deps.users;
  };
  const access = (): AccessStore => {
    if (!deps.access) throw wardenError('NOT_READY');
    return deps.access;
  };
  /** The caller; the route lets only `login` through without one. */
  const who = (ctx: AccessContext): Principal => {
    if (!ctx.principal) throw wardenError('UNAUTHENTICATED');
    return ctx.principal;
  };
  /** The caller, if a human: sessions, MFA and passwords are for users. */
  const human = (ctx: AccessContext): Principal => {
    const p = who(ctx);
    if (p.kind !== 'user' || !p.sessionId) throw wardenError('FORBIDDEN', { action: 'this without a user session' });
    return p;
  };
  const officer = (ctx: AccessContext): Principal => callerAllowed(deps.policies, ctx.principal, 'approve', 'Access', 'approve access');

  return {
    Query: {
      session: (_: unknown, _a: Args, ctx: AccessContext) => sessionInfo(who(ctx)),
      myAccessRequests: async (_: unknown, _a: Args, ctx: AccessContext) => (await access().myRequests(who(ctx))).map(requestView),
      pendingApprovals: async (_: unknown, _a: Args, ctx: AccessContext) => (await access().pendingFor(officer(ctx))).map(requestView),
      grants: async (_: unknown, args: { live?: boolean | null; principal?: string | null }, ctx: AccessContext) => {
        const p = who(ctx);
        const live = args.live ?? true;
        if (args.principal == null || args.principal === p.name) {
          return (await access().grants({ principalId: p.id, live })).map(grantView);
        }
        officer(ctx);
        const all = await access().grants({ live });
        return all.filter((g) => args.principal === '*' || g.principalName === args.principal).map(grantView);
      },
      reviewTasks: async (_: unknown, _a: Args, ctx: AccessContext) => {
        officer(ctx);
        return (await access().openReviews()).map(reviewView);
      },
    },
    Mutation: {
      login: async (_: unknown, args: { name: string; password: string; code?: string | null }, ctx: AccessContext) => {
        const s = await users().login({ name: args.name, password: args.password, code: args.code ?? undefined, sourceIp: ctx.sourceIp });
        return {
          token: s.token,
          idleExpiresAt: iso(s.idleExpiresAt),
          absoluteExpiresAt: iso(s.absoluteExpiresAt),
          session: { ...sessionInfo(s.principal), mfaEnrolled: s.mfaEnrolled },
        };
      },
      logout: async (_: unknown, _a: Args, ctx: AccessContext) => {
        await users().logout(human(ctx));
        return true;
      },
      enrolTotp: (_: unknown, _a: Args, ctx: AccessContext) => users().enrolTotp(human(ctx)),
      confirmTotp: async (_: unknown, args: { code: string }, ctx: AccessContext) =>
        sessionInfo(await users().confirmTotp(human(ctx), args.code)),
      verifyMfa: async (_: unknown, args: { code: string }, ctx: AccessContext) =>
        sessionInfo(await users().verifyMfa(human(ctx), args.code, ctx.sourceIp)),
      changePassword: async (_: unknown, args: { current: string; next: string }, ctx: AccessContext) => {
        await users().changePassword(human(ctx), args.current, args.next);
        return true;
      },
      requestAccess: async (
        _: unknown,
        args: {
          input: { patterns: string[]; purpose: string; mode: 'read' | 'export'; rowCap: number; durationHours: number; bulk: boolean };
        },
        ctx: AccessContext,
      ) => requestView(await access().request(who(ctx), args.input)),
      approveAccess: async (_: unknown, args: { id: string; bulk?: boolean | null; note?: string | null }, ctx: AccessContext) =>
        requestView(await access().approve(who(ctx), args.id, { bulk: args.bulk ?? false, note: args.note ?? undefined })),
      denyAccess: async (_: unknown, args: { id: string; reason: string }, ctx: AccessContext) =>
        requestView(await access().deny(who(ctx), args.id, args.reason)),
      cancelAccessRequest: async (_: unknown, args: { id: string }, ctx: AccessContext) =>
        requestView(await access().cancel(who(ctx), args.id)),
      revokeGrant: async (_: unknown, args: { id: string; reason: string }, ctx: AccessContext) =>
        grantView(await access().revoke(who(ctx), args.id, args.reason)),
      breakGlass: async (
        _: unknown,
        args: { input: { patterns: string[]; reason: string; minutes: number; mode: 'read' | 'export' } },
        ctx: AccessContext,
      ) => grantView(await access().breakGlass(who(ctx), args.input)),
      closeReview: async (_: unknown, args: { id: string; note: string }, ctx: AccessContext) =>
        reviewView(await access().closeReview(who(ctx), args.id, args.note)),
    },
  };
}
