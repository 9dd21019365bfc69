/**
 * Certificate fingerprints for binding a service principal to its client
 * certificate (mTLS). The same function runs when the certificate is issued
 * and when a peer presents it (`tlsSocket.getPeerCertificate().raw`), so both
 * sides agree on the format: SHA-256 of the DER bytes, lowercase hex, no colons.
 */
import { X509Certificate, createHash } from 'node:crypto';

/** `cert` is PEM text or DER bytes; anything that is not a certificate throws. */
export function fingerprintCertificate(cert: string | Buffer): string {
  return createHash('sha256').update(new X509Certificate(cert).raw).digest('hex');
}
