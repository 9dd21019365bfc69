/**
 * POST /graphql: the governed read path (ARCHITECTURE.md steps 3–7).
 * Before any resolver runs: no batches, parse and validate, limits, function
 * rights, the disclosure plan and filter checks. Then execution through the
 * governed resolvers, then the audit event — committed before the response
 * leaves, or the response is withheld (503).
 */
import { randomUUID } from 'node:crypto';
import type { CompiledPolicies } from '@warden/access';
import type { AuditEvent, AuditSink } from '@warden/audit';
import type { LabelStore } from '@warden/catalog';
import type { ConsumptionRecorder } from '@warden/lineage';
import { atLeast, type Clock, ERRORS, type Grant, isWardenError, type Principal, type StoreName, type WardenError } from '@warden/core';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { type GraphQLError, type GraphQLSchema, getVariableValues, type OperationDefinitionNode } from 'graphql';
import type pg from 'pg';
import { lru } from 'tiny-lru';
import {
  type AnalysisResult,
  analyseDocument,
  extractOperation,
  type OperationAnalysis,
  operationCost,
  rootFieldNames,
  rootFilters,
  selectOperation,
  sha256,
} from '../governance/analyse-operation.js';
import { receivedFields } from '../governance/consumption.js';
import { compilePlan, type DisclosurePlan, type MaskCompiler } from '../governance/disclosure-plan.js';
import { grantRefusal, outOfScope, type Refusal, usableGrants } from '../governance/grant-use.js';
import { type ClientError, clientError, fromWardenError, loggableError, sendError, sendErrors, unexpected } from '../http-errors.js';
import type { CursorCodec } from '../resolvers/cursor.js';
import { DEFAULT_PAGE, MAX_PAGE, type StoreContext } from '../resolvers/store-resolvers.js';
import type { Bindings } from '../schema/bindings.js';

export interface Limits {
  maxDepth: number;
  maxAliases: number;
  maxCost: number;
}

export const DEFAULT_LIMITS: Limits = { maxDepth: 10, maxAliases: 15, maxCost: 50_000 };

/** Where the read path finds a principal's grants and counts their use (the access store). */
export interface GrantPort {
  liveGrants(principalId: string, now: Date): Promise<Grant[]>;
  grantOf(principalId: string, grantId: string): Promise<Grant | undefined>;
  recordUse(grantId: string, rows: number): Promise<Grant>;
}

/** Login, MFA, approval and break-glass: each must be the only field of its request (STANDARDS §5). */
const SENSITIVE = new Set(['login', 'enrolTotp', 'confirmTotp', 'verifyMfa', 'changePassword', 'approveAccess', 'breakGlass']);
/** What a human session without MFA (no authenticator enrolled yet) may do. */
const BEFORE_ENROLMENT = new Set(['enrolTotp', 'confirmTotp', 'changePassword', 'logout', 'session']);
/** The header naming the one grant a read must use (refused with the grant's own code if it cannot). */
export const GRANT_HEADER = 'x-warden-grant';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export interface GraphqlRouteOptions {
  bindings: Bindings;
  policies: CompiledPolicies;
  labels: LabelStore;
  audit: AuditSink;
  clock: Clock;
  pools: Record<StoreName, pg.Pool>;
  cursors: CursorCodec;
  mask: MaskCompiler;
  limits: Limits;
  development: boolean;
  grants?: GrantPort;
  /** Consumption lineage: which fields each principal received, clear or masked (in memory, flushed in the background). */
  consumption?: ConsumptionRecorder;
}

interface Body {
  query?: unknown;
  variables?: unknown;
  operationName?: unknown;
}

/** The operation of a single-operation analysis, and what the route needs to know of it before any plan. */
interface Shape {
  op: OperationDefinitionNode;
  /** Root field names, through fragments (aliases count again). */
  roots: string[];
  /** The sensitive mutation field among the roots, if any. */
  sensitive?: string;
  /** Whether a root field is beyond what a session without MFA may do (enrolment, password, logout, session). */
  beyondEnrolment: boolean;
  /** Whether the operation reads a store at all (needs the `read StoreData` right, and grants). */
  readsStore: boolean;
}

/** Without introspection rights, "Did you mean …" suggestions would reveal the schema: they are cut. */
function graphqlErrors(
  errors: readonly { message: string; locations?: readonly { line: number; column: number }[] }[],
  code: 'GRAPHQL_PARSE_FAILED' | 'GRAPHQL_VALIDATION_FAILED',
  mayIntrospect: boolean,
): ClientError[] {
  return errors.map((e) =>
    clientError(code, { reason: mayIntrospect ? e.message : e.message.replace(/ Did you mean [^?]*\?/g, '') }, { locations: e.locations }),
  );
}

const MAX_QUERY_LENGTH = 32_768;

function unauthenticated(reply: FastifyReply) {
  reply.header('www-authenticate', 'Bearer realm="warden"');
  return sendError(reply, 'UNAUTHENTICATED');
}

/** Stands in for the caller of an unauthenticated request (which may only log in). */
const ANONYMOUS: Principal = Object.freeze({
  id: '00000000-0000-0000-0000-000000000000',
  name: 'anonymous',
  kind: 'user',
  roles: [],
  amr: [],
});

function auditEvent(input: {
  req: FastifyRequest;
  principal: Principal;
  hash: string;
  op: string | undefined;
  plan: DisclosurePlan;
  counts: Partial<Record<'CLEAR' | 'MASK' | 'DENY', number>>;
  rows: number;
  outcome: AuditEvent['outcome'];
  reasonCode?: string;
  grantId?: string;
  detail?: Record<string, unknown>;
  ts: Date;
}): AuditEvent {
  const { req, principal, plan } = input;
  return {
    eventId: randomUUID(),
    ts: input.ts,
    actorId: principal.id,
    actorName: principal.name,
    roles: principal.roles,
    auth: principal.amr,
    sourceIp: req.ip,
    requestId: req.id,
    action: 'graphql.read',
    operation: input.op,
    operationHash: input.hash,
    highestLevel: plan.audit.highestLevel,
    fields: plan.audit.fields,
    counts: { ...input.counts },
    rows: input.rows,
    outcome: input.outcome,
    reasonCode: input.reasonCode,
    sessionId: principal.sessionId,
    grantId: input.grantId,
    detail: input.detail,
  };
}

/** Failures that count against the caller's address like a bad key: guessed passwords and codes. */
const GUESS_FAILURES = new Set(['INVALID_CREDENTIALS', 'ACCOUNT_LOCKED', 'TOTP_INVALID', 'TOTP_REPLAYED']);

async function graphqlRoute(app: FastifyInstance, opts: GraphqlRouteOptions): Promise<void> {
  const analyses = lru<AnalysisResult>(1000);
  const plans = lru<DisclosurePlan>(5000);
  const schema = (): GraphQLSchema => app.graphql.schema;

  /** Successful analyses only, keyed by the hash of the text (failures are cheap to redo and not worth memory). */
  function analyse(text: string): AnalysisResult {
    const key = sha256(text);
    const hit = analyses.get(key);
    if (hit) return hit;
    const result = analyseDocument(schema(), text, key);
    if (result.ok) analyses.set(key, result);
    return result;
  }

  /** The analysis of one operation of a cached multi-operation document: extracted and hashed once per operation, not per request. */
  const singles = new WeakMap<OperationDefinitionNode, AnalysisResult>();
  function analyseSingle(whole: OperationAnalysis, op: OperationDefinitionNode): AnalysisResult {
    let single = singles.get(op);
    if (!single) {
      single = analyse(extractOperation(whole, op));
      if (single.ok) singles.set(op, single);
    }
    return single;
  }

  /** What the route derives from a single-operation analysis: computed once per (cached) analysis, not per request. */
  const shapes = new WeakMap<OperationAnalysis, Shape>();
  function shapeOf(a: OperationAnalysis): Shape {
    let shape = shapes.get(a);
    if (!shape) {
      const op = [...a.operations.values()][0] as OperationDefinitionNode;
      const roots = rootFieldNames(op, a.fragments);
      shape = {
        op,
        roots,
        sensitive: op.operation === 'mutation' ? roots.find((r) => SENSITIVE.has(r)) : undefined,
        beyondEnrolment: roots.some((r) => !BEFORE_ENROLMENT.has(r)),
        readsStore: [...a.coordinates].some((c) => c.startsWith('Query.') && opts.bindings.roots.has(c.slice('Query.'.length))),
      };
      shapes.set(a, shape);
    }
    return shape;
  }

  /** A security refusal before any plan: audited (outcome DENIED) — the refusal stands even if the log is down. */
  async function refuseEarly(
    req: FastifyRequest,
    reply: FastifyReply,
    a: OperationAnalysis,
    code: 'SENSITIVE_NOT_BATCHED' | 'MFA_NOT_ENROLLED',
    params: Record<string, unknown> = {},
  ) {
    const principal = req.principal ?? ANONYMOUS;
    const { op, roots } = shapeOf(a);
    await opts.audit
      .append({
        eventId: randomUUID(),
        ts: opts.clock.now(),
        actorId: req.principal?.id,
        actorName: principal.name,
        roles: principal.roles,
        auth: principal.amr,
        sourceIp: req.ip,
        requestId: req.id,
        action: 'graphql.refused',
        operation: op.name?.value,
        operationHash: a.hash,
        fields: [],
        counts: {},
        rows: 0,
        outcome: 'DENIED',
        reasonCode: code,
        sessionId: principal.sessionId,
        detail: { rootFields: roots.slice(0, 20) },
      })
      .catch((e: unknown) => req.log.error({ err: loggableError(e), requestId: req.id }, 'audit write failed for a refused operation'));
    return sendError(reply, code, params);
  }

  function planFor(principal: Principal, a: OperationAnalysis, filters: string[], grants: readonly Grant[]): DisclosurePlan {
    // Grants are a principal's own: a plan compiled with them is keyed by them (and by MFA, which they need).
    const grantKey = grants.length ? `${principal.mfaAt ? 'mfa' : ''}:${grants.map((g) => g.id).join(',')}` : '';
    const key = `${opts.labels.version}\u0000${[...principal.roles].sort().join(',')}\u0000${filters.join(',')}\u0000${a.hash}\u0000${grantKey}`;
    let plan = plans.get(key);
    if (!plan) {
      plan = compilePlan({
        coordinates: a.coordinates,
        filters,
        bindings: opts.bindings,
        policies: opts.policies,
        labels: opts.labels,
        principal,
        grants,
        now: opts.clock.now(),
        mask: opts.mask,
      });
      plans.set(key, plan);
    }
    return plan;
  }

  app.post('/graphql', { config: { anonymous: true } }, async (req: FastifyRequest, reply) => {
    const requestId = req.id;
    // Without credentials only `login` runs (checked below, once the document is known).
    const principal = req.principal ?? ANONYMOUS;
    const anonymous = req.principal === undefined;
    if (Array.isArray(req.body)) return sendError(reply, 'BATCH_NOT_ALLOWED');
    const body = (req.body ?? {}) as Body;
    if (typeof body !== 'object' || typeof body.query !== 'string' || !body.query.trim()) {
      return sendError(reply, 'BAD_REQUEST', { reason: 'the body must be a JSON object with a query string' });
    }
    if (body.variables !== undefined && body.variables !== null && (typeof body.variables !== 'object' || Array.isArray(body.variables))) {
      return sendError(reply, 'BAD_REQUEST', { reason: 'variables must be an object' });
    }
    if (body.operationName !== undefined && body.operationName !== null && typeof body.operationName !== 'string') {
      return sendError(reply, 'BAD_REQUEST', { reason: 'operationName must be a string' });
    }
    if (body.query.length > MAX_QUERY_LENGTH) return sendError(reply, 'QUERY_TOO_LONG', { max: MAX_QUERY_LENGTH });
    const rawVariables = (body.variables ?? {}) as Record<string, unknown>;
    const operationName = (body.operationName ?? undefined) as string | undefined;
    const ability = opts.policies.abilityFor(principal.roles);
    const mayIntrospect = opts.development || ability.can('introspect', 'Schema');

    const whole = analyse(body.query);
    if (!whole.ok && anonymous) return unauthenticated(reply);
    if (!whole.ok)
      return sendErrors(
        reply,
        400,
        graphqlErrors(whole.errors, whole.kind === 'syntax' ? 'GRAPHQL_PARSE_FAILED' : 'GRAPHQL_VALIDATION_FAILED', mayIntrospect),
      );
    const selected = selectOperation(whole.analysis, operationName);
    if (!selected) {
      const reason = operationName ? `no operation named ${operationName}` : 'name the operation to run';
      return sendError(reply, 'BAD_REQUEST', { reason });
    }
    // Exactly the checked operation runs: a document of several is reduced to the selected one.
    const single = whole.analysis.operations.size > 1 ? analyseSingle(whole.analysis, selected) : whole;
    if (!single.ok) return sendErrors(reply, 400, graphqlErrors(single.errors, 'GRAPHQL_VALIDATION_FAILED', mayIntrospect));
    const a = single.analysis;
    const shape = shapeOf(a);
    const { op, roots, sensitive, readsStore } = shape;
    const query = a.source;
    if (anonymous && !(sensitive === 'login' && roots.length === 1)) return unauthenticated(reply);
    if (sensitive && roots.length > 1) return refuseEarly(req, reply, a, 'SENSITIVE_NOT_BATCHED', { field: sensitive });
    if (principal.kind === 'user' && !anonymous && !principal.amr.includes('otp') && shape.beyondEnrolment) {
      return refuseEarly(req, reply, a, 'MFA_NOT_ENROLLED');
    }

    const coerced = getVariableValues(schema(), op.variableDefinitions ?? [], rawVariables, { maxErrors: 20 });
    if (coerced.errors) return sendErrors(reply, 400, graphqlErrors(coerced.errors, 'GRAPHQL_VALIDATION_FAILED', mayIntrospect));
    const variables = coerced.coerced;

    if (a.introspection && !mayIntrospect) return sendError(reply, 'INTROSPECTION_DISABLED');
    if (a.depth > opts.limits.maxDepth) return sendError(reply, 'QUERY_TOO_DEEP', { depth: a.depth, max: opts.limits.maxDepth });
    if (a.aliases > opts.limits.maxAliases) return sendError(reply, 'TOO_MANY_ALIASES', { count: a.aliases, max: opts.limits.maxAliases });
    const cost = operationCost(schema(), op, a.fragments, variables, { defaultPage: DEFAULT_PAGE, maxPage: MAX_PAGE });
    if (cost > opts.limits.maxCost) return sendError(reply, 'QUERY_TOO_COSTLY', { cost, max: opts.limits.maxCost });
    // Fields used only as filters are decided too: a filter is a use of the field (and an oracle if not clear).
    const filters = rootFilters(schema(), op, a.fragments, variables).flatMap(({ root, fields }) => {
      const typeName = opts.bindings.roots.get(root)?.typeName;
      return typeName ? fields.map((f) => `${typeName}.${f}`) : []; // filters of non-store fields (auditEvents) are no column uses
    });
    // Grants: the one the caller names (refused with its own code if unusable), or else every
    // usable grant of a principal whose session has MFA. Only reads of store data need them.
    const now = opts.clock.now();
    const header = req.headers[GRANT_HEADER];
    if (header !== undefined && (typeof header !== 'string' || !UUID.test(header)))
      return sendError(reply, 'BAD_REQUEST', { reason: `${GRANT_HEADER} must be a grant id` });
    const named = header as string | undefined;
    let grants: readonly Grant[] = [];
    let refusal: Refusal | undefined;
    if (named !== undefined) {
      const grant = await opts.grants?.grantOf(principal.id, named);
      refusal = grantRefusal(grant, named, principal, now);
      if (grant && !refusal) grants = [grant];
    } else if (readsStore && principal.mfaAt && opts.grants) {
      grants = usableGrants(await opts.grants.liveGrants(principal.id, now), now);
    }
    const plan = planFor(principal, a, filters.sort(), grants);
    // The grant(s) that cleared fields — or the one named, when its use is refused. Never one merely held.
    const used = [...plan.grantsUsed.keys()];
    const grantId = used[0] ?? named;
    /** The audit event of this request (written when it touches L3+ fields, or names a grant). */
    const audit = (outcome: AuditEvent['outcome'], counts: AuditEvent['counts'], rows: number, reasonCode?: string) =>
      opts.audit.append(
        auditEvent({
          ts: opts.clock.now(),
          req,
          principal,
          hash: a.hash,
          op: op.name?.value,
          plan,
          counts,
          rows,
          outcome,
          reasonCode,
          grantId,
          detail: used.length > 1 ? { grants: used } : undefined,
        }),
      );
    /** Refuses the whole operation; a refused attempt on L3+ fields is audited too. */
    const refuse = async (error: ClientError) => {
      if (plan.audit.touchesL3 || named !== undefined) {
        await audit('DENIED', {}, 0, error.extensions.code).catch((e: unknown) =>
          req.log.error({ err: loggableError(e), requestId }, 'audit write failed for a refused operation'),
        );
      }
      return sendErrors(reply, ERRORS[error.extensions.code].status, [error]);
    };
    if (readsStore && !ability.can('read', 'StoreData')) {
      return refuse(clientError('FORBIDDEN', { action: 'read store data' }));
    }
    if (named !== undefined) refusal ??= outOfScope(plan, named);
    // Unmasking under a grant is a sensitive operation too: one root field per request.
    if (plan.grantsUsed.size && roots.length > 1) refusal ??= { code: 'SENSITIVE_NOT_BATCHED', params: { field: 'an unmasking read' } };
    if (refusal) return refuse(clientError(refusal.code, refusal.params));
    const refusedFilter = filters.find((f) => !plan.clear.has(f));
    if (refusedFilter) return refuse(clientError('FILTER_NOT_ALLOWED', { field: refusedFilter }));

    const ctx: StoreContext & { principal?: Principal; sourceIp: string; requestId: string } = {
      principal: req.principal,
      sourceIp: req.ip,
      requestId,
      plan,
      counts: { CLEAR: 0, MASK: 0, DENY: 0 },
      rows: 0,
      denied: new Set(),
      pools: opts.pools,
      cursors: opts.cursors,
      batches: new Map(),
    };
    let execution: { data?: unknown; errors?: readonly GraphQLError[] };
    try {
      execution = await app.graphql(query, ctx as never, rawVariables, op.name?.value);
    } catch (e) {
      req.log.error({ err: loggableError(e), requestId }, 'graphql execution failed');
      return sendErrors(reply, 500, [unexpected(requestId)]);
    }
    const errors: ClientError[] = [];
    let failed = false;
    for (const e of execution.errors ?? []) {
      const original = e.originalError;
      if (isWardenError(original)) errors.push(fromWardenError(original, { path: e.path, locations: e.locations }));
      else {
        failed = true;
        req.log.error({ err: loggableError(original ?? e), requestId, path: e.path }, 'resolver failed');
        errors.push(unexpected(requestId, { path: e.path }));
      }
    }

    // Guessed passwords and codes cost the guesser's address like guessed keys (on top of the per-account limits).
    if (errors.some((e) => GUESS_FAILURES.has(e.extensions.code))) app.authFailed(req.ip);

    // Grant limits that only the result can tell: single-record unmasking and the row cap.
    for (const [id, level] of plan.grantsUsed) {
      const grant = grants.find((g) => g.id === id);
      if (grant && !grant.bulk && atLeast(level, 'L4') && ctx.rows > 1) return refuse(clientError('GRANT_SINGLE_RECORD', { level }));
    }
    for (const id of used) {
      try {
        if (!opts.grants) throw new Error('no grant store to count the use');
        await opts.grants.recordUse(id, ctx.rows);
      } catch (e) {
        if (isWardenError(e)) return refuse(fromWardenError(e as WardenError));
        req.log.error({ err: loggableError(e), requestId }, 'grant use could not be recorded: withholding L3+ data');
        return sendErrors(reply, 503, [clientError('AUDIT_UNAVAILABLE', {}, { requestId })]);
      }
    }
    if (plan.audit.touchesL3) {
      // PARTIAL: some fields denied, the rest delivered.
      const outcome = failed ? 'FAILED' : errors.length ? 'PARTIAL' : 'ALLOWED';
      try {
        await audit(outcome, ctx.counts, ctx.rows, errors[0]?.extensions.code);
        app.metrics.auditEvents.inc({ outcome: 'written' });
        for (const action of ['CLEAR', 'MASK', 'DENY'] as const)
          if (ctx.counts[action]) app.metrics.disclosures.inc({ action }, ctx.counts[action]);
      } catch (e) {
        app.metrics.auditEvents.inc({ outcome: 'failed' });
        req.log.error({ err: loggableError(e), requestId }, 'audit write failed: withholding L3+ data');
        return sendErrors(reply, 503, [clientError('AUDIT_UNAVAILABLE', {}, { requestId })]);
      }
    }
    if (!failed && !anonymous && readsStore) opts.consumption?.record(principal, receivedFields(plan), ctx.rows);
    reply.header('cache-control', 'no-store');
    return errors.length ? { data: execution.data ?? null, errors } : { data: execution.data };
  });
}

export default fp(graphqlRoute, { name: '@warden/graphql-route', dependencies: ['@warden/metrics', '@warden/auth'] });
