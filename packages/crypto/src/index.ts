export { createInternalCa, issueServerCertificate, issueClientCertificate } from './internal-ca.js';
export type {
  InternalCa,
  IssuedCertificate,
  IssuedClientCertificate,
  CreateInternalCaOptions,
  IssueServerCertificateOptions,
  IssueClientCertificateOptions,
} from './internal-ca.js';
export { fingerprintCertificate } from './cert-fingerprint.js';
export { ensureInternalCa, ensureTlsMaterial, loadOperatorTls, RENEW_BEFORE_DAYS } from './tls-material.js';
export type { TlsMaterial, TlsMaterialOptions, OperatorTls } from './tls-material.js';
export { generateApiKey, parseApiKey, verifyApiKeySecret } from './api-key.js';
export type { GeneratedApiKey, ParsedApiKey } from './api-key.js';
export { sealSecret, openSecret } from './seal-secret.js';
export { generateSessionToken, sessionTokenHash } from './session-token.js';
export type { GeneratedSessionToken } from './session-token.js';
