import type { DisclosureAction, Level } from '@warden/core';

/** One field as the audit log records it: coordinate, asset and how it was disclosed. */
export interface AuditField {
  field: string;
  urn: string;
  level: Level;
  disclosure: DisclosureAction;
  /** Masking rule or deny code. */
  detail?: string;
}

export interface AuditEvent {
  eventId: string;
  ts: Date;
  actorId?: string;
  actorName: string;
  roles: string[];
  auth: string[];
  sourceIp?: string;
  requestId?: string;
  action: string;
  operation?: string;
  operationHash?: string;
  highestLevel?: Level;
  fields: AuditField[];
  counts: Partial<Record<DisclosureAction, number>>;
  rows: number;
  /** ALLOWED: all served; PARTIAL: some fields denied, the rest served; DENIED: refused whole; FAILED: unexpected error. */
  outcome: 'ALLOWED' | 'PARTIAL' | 'DENIED' | 'FAILED';
  reasonCode?: string;
  /** The session (a hash of its token), for humans. */
  sessionId?: string;
  /** The grant that cleared fields, or the grant an action concerns. */
  grantId?: string;
  /** The declared purpose (access requests, grant uses). */
  purpose?: string;
  /** What an administrative or access action was about: a request id, a user name, a label URN… */
  subject?: string;
  /** Small non-sensitive facts about the event (never data values; keyed hashes only). */
  detail?: Record<string, unknown>;
}

/** The port the gateway writes through. append resolves only once the event is durable. */
export interface AuditSink {
  append(event: AuditEvent): Promise<void>;
  close(): Promise<void>;
}
