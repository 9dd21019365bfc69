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
}

/** The port the gateway writes through. append resolves only once the event is durable. */
export interface AuditSink {
  append(event: AuditEvent): Promise<void>;
  close(): Promise<void>;
}
