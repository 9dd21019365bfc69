/**
 * The current labels, held in memory for the gateway and kept in step with the
 * database: every label insert notifies (trigger `labels_notify`), and the
 * store reloads before the next decision. `version` changes with every reload,
 * so disclosure plans cached under an older version are never reused.
 */
import { randomUUID } from 'node:crypto';
import type { AuditSink } from '@warden/audit';
import { type AssetUrn, type Clock, inTransaction, type Label, type Level, systemClock } from '@warden/core';
import pg from 'pg';
import { coalesce } from './coalesce.js';

export interface LabelStore {
  get(urn: string): Label | undefined;
  /** Every current label (one per asset). */
  all(): Iterable<Label>;
  readonly version: number;
  /** Reads the labels again now (also called on every change notification). */
  reload(): Promise<void>;
  /** Appends a new label version; the change is visible to this process on return. */
  append(
    label: Omit<Label, 'version'> & { proposedBy: string; reviewedBy?: string; note?: string; basis?: Record<string, unknown> },
  ): Promise<Label>;
  close(): Promise<void>;
}

/** A row of warden.labels / warden.current_labels, as node-postgres returns it. */
export interface LabelRow {
  urn: string;
  category: string;
  level: Level;
  core: boolean;
  pi: Label['pi'];
  secret: boolean;
  state: Label['state'];
  mask: string | null;
  version: number;
}

/** A stored label row as a Label (a null mask becomes absent). */
export function toLabel(r: LabelRow): Label {
  return {
    urn: r.urn as AssetUrn,
    category: r.category,
    level: r.level,
    core: r.core,
    pi: r.pi,
    secret: r.secret,
    state: r.state,
    mask: r.mask ?? undefined,
    version: r.version,
  };
}

export async function createLabelStore(
  control: pg.Pool,
  opts: {
    listen?: boolean;
    connectionString?: string;
    onError?: (e: unknown) => void;
    reconnectMs?: number;
    /** Every label change is audited before it commits (no sink: not audited — tests of the catalog alone). */
    audit?: AuditSink;
    clock?: Clock;
  } = {},
): Promise<LabelStore> {
  let labels = new Map<string, Label>();
  let version = 0;
  let listener: pg.Client | undefined;

  const load = async () => {
    const { rows } = await control.query<LabelRow>(
      'SELECT urn, category, level, core, pi, secret, state, mask, version FROM warden.current_labels',
    );
    labels = new Map(rows.map((r) => [r.urn, toLabel(r)]));
    version += 1;
  };
  const reload = coalesce(load);
  await load();

  let closed = false;
  let retry: NodeJS.Timeout | undefined;
  const listen = async (connectionString: string): Promise<void> => {
    const client = new pg.Client({ connectionString });
    // A lost listener may have missed changes: reconnect, then reload everything.
    const lost = (e?: unknown) => {
      if (e) opts.onError?.(e);
      if (closed || listener !== client) return;
      listener = undefined;
      client.end().catch(() => {});
      retry = setTimeout(() => {
        listen(connectionString)
          .then(reload)
          .catch((err: unknown) => lost(err));
      }, opts.reconnectMs ?? 1000);
    };
    listener = client;
    client.on('error', lost);
    client.on('end', () => lost());
    client.on('notification', () => {
      reload().catch((e) => opts.onError?.(e));
    });
    await client.connect();
    await client.query('LISTEN warden_labels');
  };
  if (opts.listen && opts.connectionString) await listen(opts.connectionString);

  return {
    get: (urn) => labels.get(urn),
    all: () => labels.values(),
    get version() {
      return version;
    },
    reload,
    async append(l) {
      const row = await inTransaction(control, async (client: pg.PoolClient) => {
        const { rows } = await client.query<LabelRow>(
          `INSERT INTO warden.labels (urn, version, category, level, core, pi, secret, mask, basis, state, proposed_by, reviewed_by, reviewed_at)
           VALUES ($1, COALESCE((SELECT max(version) FROM warden.labels WHERE urn = $1), 0) + 1, $2, $3, $4, $5, $6, $7,
                   jsonb_build_object('note', $8::text) || COALESCE($12::jsonb, '{}'::jsonb), $9, $10, $11, CASE WHEN $11::text IS NULL THEN NULL ELSE now() END)
           RETURNING urn, category, level, core, pi, secret, state, mask, version`,
          [
            l.urn,
            l.category,
            l.level,
            l.core,
            l.pi,
            l.secret,
            l.mask ?? null,
            l.note ?? null,
            l.state,
            l.proposedBy,
            l.reviewedBy ?? null,
            l.basis ? JSON.stringify(l.basis) : null,
          ],
        );
        const inserted = rows[0] as LabelRow;
        // Fail closed: a label change the audit log cannot record does not happen.
        await opts.audit?.append({
          eventId: randomUUID(),
          ts: (opts.clock ?? systemClock).now(),
          actorName: l.reviewedBy ?? l.proposedBy,
          roles: [],
          auth: [],
          action: 'label.change',
          subject: l.urn,
          highestLevel: inserted.level,
          fields: [],
          counts: {},
          rows: 0,
          outcome: 'ALLOWED',
          detail: {
            version: inserted.version,
            state: inserted.state,
            level: inserted.level,
            core: inserted.core,
            proposedBy: l.proposedBy,
            reviewedBy: l.reviewedBy ?? null,
          },
        });
        return inserted;
      });
      await reload();
      return toLabel(row);
    },
    async close() {
      closed = true;
      clearTimeout(retry);
      await listener?.end().catch(() => {});
    },
  };
}
