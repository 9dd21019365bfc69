import type { Level } from './levels.js';
import type { AssetUrn } from './urn.js';

export type LabelState = 'SUGGESTED' | 'PENDING_REVIEW' | 'APPROVED' | 'REJECTED' | 'RECHECK_DUE';

/** A masking rule as configured in policies/masking.yaml and applied by @warden/mask. */
export type MaskRule =
  | { fn: 'resident_id' }
  | { fn: 'mobile' }
  | { fn: 'name' }
  | { fn: 'bank_card'; finance?: boolean }
  | { fn: 'landline' }
  | { fn: 'email' }
  | { fn: 'address' }
  | { fn: 'plate' }
  | { fn: 'uscc' }
  | { fn: 'amount_band'; bands: number[] }
  | { fn: 'birth_year' }
  | { fn: 'date_month' }
  | { fn: 'keep'; first: number; last: number; char?: string }
  | { fn: 'redact'; text?: string }
  | { fn: 'hash'; length?: number }
  | { fn: 'null' };

export type MaskFn = MaskRule['fn'];

export interface Label {
  urn: AssetUrn;
  category: string;
  level: Level;
  /** 核心数据: refused everywhere. */
  core: boolean;
  /** Personal information flags: 'pi' | 'sensitive_pi' | none. */
  pi: 'none' | 'pi' | 'sensitive_pi';
  /** Secrets (password hashes, keys, tokens) are never returned by any API. */
  secret: boolean;
  state: LabelState;
  /** Name of the masking rule in policies/masking.yaml, if any. */
  mask?: string;
  version: number;
}

export type PrincipalKind = 'service' | 'user';

export interface Principal {
  id: string;
  name: string;
  kind: PrincipalKind;
  roles: string[];
  /** How the principal authenticated: 'key', 'pwd', 'otp', 'mtls'. */
  amr: string[];
  /** When MFA was last proven in this session, if ever. */
  mfaAt?: Date;
  /** The session's id (a hash of its token, never the token), for humans logged in. */
  sessionId?: string;
}

export type DisclosureAction = 'CLEAR' | 'MASK' | 'DENY';

/** CLEAR carries the grant that cleared the field when the role alone would not have. */
export type Decision =
  | { action: 'CLEAR'; grantId?: string }
  | { action: 'MASK'; rule: MaskRule; ruleName: string }
  | { action: 'DENY'; code: string };

export interface Grant {
  id: string;
  principalId: string;
  /** The access request it was approved from (absent for break-glass). */
  requestId?: string;
  /** URN patterns; `*` matches within one segment, `**` anything. */
  patterns: string[];
  mode: 'read' | 'export';
  /** The highest level it was approved for: it never clears a field labelled above it (relabelled or new columns). */
  level: Level;
  /** For L4+: false means clear values one record at a time (bulk needs explicit approval). */
  bulk: boolean;
  expiresAt: Date;
  revoked: boolean;
  /** Rows that may be served in clear under the grant, in all; undefined = no cap. */
  rowCap?: number;
  rowsUsed: number;
  uses: number;
  breakGlass: boolean;
}
