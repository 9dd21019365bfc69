/**
 * THE error catalogue. Every error Warden reports to a client, an operator or
 * a CLI user is one of these codes; the README's error table lists exactly
 * these (a test keeps the two in step). Messages never carry data values.
 */
export interface ErrorSpec {
  status: number;
  message: string;
}

export const ERRORS = {
  UNAUTHENTICATED: { status: 401, message: 'Authentication required' },
  FORBIDDEN: { status: 403, message: 'The principal may not perform {action}' },
  ASSET_NOT_APPROVED: { status: 200, message: 'This field has no approved classification label and is not served' },
  CORE_DATA_REFUSED: { status: 200, message: 'Core data is never served' },
  SECRET_NEVER_RETURNED: { status: 200, message: 'Secrets are never returned' },
  INSUFFICIENT_LEVEL: { status: 200, message: 'The principal is not cleared for {level} data' },
  APPROVAL_REQUIRED: { status: 200, message: 'Clear access to {level} data needs an approved grant' },
  FILTER_NOT_ALLOWED: { status: 400, message: 'Filtering on {field} needs clear access to it' },
  INVALID_ARGUMENT: { status: 400, message: 'Invalid argument {argument}: {reason}' },
  INVALID_CURSOR: { status: 400, message: 'The cursor is not valid for this connection' },
  PAGE_SIZE_EXCEEDED: { status: 400, message: 'At most {max} rows per page' },
  QUERY_TOO_LONG: { status: 400, message: 'The query exceeds {max} characters' },
  QUERY_TOO_DEEP: { status: 400, message: 'Query depth {depth} exceeds the limit of {max}' },
  TOO_MANY_ALIASES: { status: 400, message: 'The operation uses {count} aliases; the limit is {max}' },
  QUERY_TOO_COSTLY: { status: 400, message: 'Query cost {cost} exceeds the limit of {max}' },
  INTROSPECTION_DISABLED: { status: 400, message: 'Introspection is only for administrators' },
  BATCH_NOT_ALLOWED: { status: 400, message: 'Batched operations are not accepted' },
  BAD_REQUEST: { status: 400, message: 'Malformed request: {reason}' },
  GRAPHQL_PARSE_FAILED: { status: 400, message: 'The GraphQL document does not parse: {reason}' },
  GRAPHQL_VALIDATION_FAILED: { status: 400, message: 'The GraphQL document is not valid against the schema: {reason}' },
  PAYLOAD_TOO_LARGE: { status: 413, message: 'The request body exceeds {max} bytes' },
  NOT_FOUND: { status: 404, message: 'Not found' },
  RATE_LIMITED: { status: 429, message: 'Too many requests; retry in {seconds} s' },
  METHOD_NOT_ALLOWED: { status: 405, message: 'Method {method} is not allowed here' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, message: 'Content type {type} is not accepted' },
  AUDIT_UNAVAILABLE: { status: 503, message: 'The audit log cannot be written; sensitive data is withheld' },
  NOT_READY: { status: 503, message: 'Warden is not ready' },
  INTERNAL_ERROR: { status: 500, message: 'Unexpected error (request {requestId})' },
  POLICY_INVALID: { status: 500, message: 'Policies are invalid:\n{problems}' },
  SCHEMA_UNBOUND_FIELD: { status: 500, message: 'GraphQL field {field} is not bound to a known column: {reason}' },
  CONFIG_INVALID: { status: 500, message: 'Configuration is invalid: {reason}' },
  UNKNOWN_ROLE: { status: 400, message: 'Unknown role {role}' },
  PRINCIPAL_EXISTS: { status: 409, message: 'A principal named {name} already exists' },
  UNKNOWN_STORE: { status: 400, message: 'Unknown store {store}' },
  INVALID_CREDENTIALS: { status: 401, message: 'The name, password or code is not valid' },
  ACCOUNT_LOCKED: { status: 423, message: 'Too many failed attempts; try again in {minutes} minutes' },
  SESSION_EXPIRED: { status: 401, message: 'The session has expired; log in again' },
  MFA_REQUIRED: { status: 401, message: 'This needs a session whose MFA was verified within the last {minutes} minutes' },
  MFA_NOT_ENROLLED: { status: 403, message: 'Enrol a TOTP authenticator first' },
  MFA_ALREADY_ENROLLED: { status: 409, message: 'A TOTP authenticator is already enrolled; an administrator must reset it' },
  TOTP_INVALID: { status: 401, message: 'The code is not valid' },
  TOTP_REPLAYED: { status: 401, message: 'This code has already been used; wait for the next one' },
  PASSWORD_REJECTED: { status: 400, message: 'The password does not meet the policy: {reason}' },
  SENSITIVE_NOT_BATCHED: { status: 400, message: 'Operation {field} must be the only field of its request' },
  REQUEST_NOT_FOUND: { status: 404, message: 'No access request {id}' },
  REQUEST_NOT_PENDING: { status: 409, message: 'The access request is {state}, not pending' },
  SELF_APPROVAL: { status: 403, message: 'Nobody may approve or review their own request' },
  ALREADY_APPROVED: { status: 409, message: 'This officer has already approved the request' },
  GRANT_NOT_FOUND: { status: 404, message: 'No grant {id} for this principal' },
  GRANT_EXPIRED: { status: 403, message: 'The grant expired at {expiresAt}' },
  GRANT_REVOKED: { status: 403, message: 'The grant has been revoked' },
  GRANT_OUT_OF_SCOPE: { status: 403, message: 'The grant does not cover {field}' },
  GRANT_EXHAUSTED: { status: 403, message: 'The grant has used its {cap}' },
  GRANT_SINGLE_RECORD: { status: 403, message: 'The grant unmasks {level} data one record at a time; bulk was not approved' },
  REVIEW_NOT_FOUND: { status: 404, message: 'No open review task {id}' },
  CERTIFICATE_REVOKED: { status: 401, message: 'The client certificate is not valid' },
  AUDIT_TAMPERED: { status: 500, message: 'The audit log does not verify: {reason} at sequence {seq}' },
} as const satisfies Record<string, ErrorSpec>;

export type ErrorCode = keyof typeof ERRORS;

export function formatMessage(template: string, params: Record<string, unknown>): string {
  return template.replace(/\{(\w+)\}/g, (whole, key: string) => (key in params ? String(params[key]) : whole));
}

export class WardenError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly params: Record<string, unknown>;

  constructor(code: ErrorCode, params: Record<string, unknown> = {}, options?: { cause?: unknown }) {
    super(formatMessage(ERRORS[code].message, params), options);
    this.name = 'WardenError';
    this.code = code;
    this.status = ERRORS[code].status;
    this.params = params;
  }
}

export function wardenError(code: ErrorCode, params: Record<string, unknown> = {}, cause?: unknown): WardenError {
  return new WardenError(code, params, cause === undefined ? undefined : { cause });
}

export function isWardenError(e: unknown): e is WardenError {
  return e instanceof WardenError;
}
