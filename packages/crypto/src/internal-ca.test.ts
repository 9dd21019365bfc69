import { X509Certificate, createPrivateKey } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { connect, createServer, type TLSSocket } from 'node:tls';
import { describe, expect, it } from 'vitest';
import { fingerprintCertificate } from './cert-fingerprint.js';
import { createInternalCa, issueClientCertificate, issueServerCertificate } from './internal-ca.js';

const SERVER_AUTH = '1.3.6.1.5.5.7.3.1';
const CLIENT_AUTH = '1.3.6.1.5.5.7.3.2';

const ca = createInternalCa({ commonName: 'Test CA' });
const otherCa = createInternalCa({ commonName: 'Other CA' });
const server = issueServerCertificate(ca, { hosts: ['localhost', '127.0.0.1', '::1'] });

describe('internal CA', () => {
  it('the CA certificate is a self-signed CA with a positive 16-byte serial', () => {
    const cert = new X509Certificate(ca.certPem);
    expect(cert.ca).toBe(true);
    expect(cert.subject).toContain('CN=Test CA');
    expect(cert.verify(cert.publicKey)).toBe(true);
    expect(cert.checkPrivateKey(createPrivateKey(ca.keyPem))).toBe(true);
    expect(cert.checkPrivateKey(createPrivateKey(otherCa.keyPem))).toBe(false);
    expect(cert.serialNumber).toMatch(/^[4-7][0-9A-F]{31}$/);
  });

  it('two CAs never share a serial number or a key', () => {
    const a = new X509Certificate(ca.certPem);
    const b = new X509Certificate(otherCa.certPem);
    expect(a.serialNumber).not.toBe(b.serialNumber);
    expect(ca.keyPem).not.toBe(otherCa.keyPem);
  });

  it('refuses a validity that is not a positive number of days', () => {
    expect(() => createInternalCa({ days: 0 })).toThrow(expect.objectContaining({ code: 'CONFIG_INVALID' }));
  });
});

describe('server certificates', () => {
  const cert = new X509Certificate(server.certPem);

  it('a server certificate from the internal CA verifies against the CA', () => {
    expect(cert.verify(new X509Certificate(ca.certPem).publicKey)).toBe(true);
    expect(cert.checkIssued(new X509Certificate(ca.certPem))).toBe(true);
  });

  it('a server certificate from another CA does not verify against the internal CA', () => {
    const foreign = new X509Certificate(issueServerCertificate(otherCa, { hosts: ['localhost'] }).certPem);
    expect(foreign.verify(new X509Certificate(ca.certPem).publicKey)).toBe(false);
    expect(foreign.checkIssued(new X509Certificate(ca.certPem))).toBe(false);
  });

  it('covers localhost as a DNS name and 127.0.0.1 and ::1 as IP addresses', () => {
    expect(cert.checkHost('localhost', { subject: 'never' })).toBe('localhost');
    expect(cert.checkIP('127.0.0.1')).toBe('127.0.0.1');
    expect(cert.checkIP('::1')).toBeDefined();
    expect(cert.subjectAltName).toContain('DNS:localhost');
    expect(cert.subjectAltName).toContain('IP Address:127.0.0.1');
  });

  it('does not cover a host it was not issued for', () => {
    expect(cert.checkHost('example.com')).toBeUndefined();
    expect(cert.checkIP('10.0.0.1')).toBeUndefined();
    expect(cert.checkIP('127.0.0.2')).toBeUndefined();
  });

  it('is a leaf for server authentication whose key matches it', () => {
    expect(cert.ca).toBe(false);
    expect(cert.keyUsage).toEqual([SERVER_AUTH]);
    expect(cert.checkPrivateKey(createPrivateKey(server.keyPem))).toBe(true);
  });

  it('expires after the requested number of days', () => {
    const now = new Date('2030-01-01T00:00:00Z');
    const short = new X509Certificate(issueServerCertificate(ca, { hosts: ['localhost'], days: 3, now }).certPem);
    expect(new Date(short.validTo).toISOString()).toBe('2030-01-04T00:00:00.000Z');
  });

  it.each([
    ['no hosts', []],
    ['a host that is neither a DNS name nor an IP address', ['not a host!']],
  ])('refuses to issue a server certificate for %s', (_name, hosts) => {
    expect(() => issueServerCertificate(ca, { hosts })).toThrow(expect.objectContaining({ code: 'CONFIG_INVALID' }));
  });
});

describe('client certificates', () => {
  const client = issueClientCertificate(ca, { commonName: 'svc-reporting' });
  const cert = new X509Certificate(client.certPem);

  it('a client certificate from the internal CA verifies against the CA and is for client authentication only', () => {
    expect(cert.verify(new X509Certificate(ca.certPem).publicKey)).toBe(true);
    expect(cert.subject).toContain('CN=svc-reporting');
    expect(cert.keyUsage).toEqual([CLIENT_AUTH]);
    expect(cert.checkPrivateKey(createPrivateKey(client.keyPem))).toBe(true);
  });

  it('a client certificate from another CA does not verify against the internal CA', () => {
    const foreign = new X509Certificate(issueClientCertificate(otherCa, { commonName: 'svc-reporting' }).certPem);
    expect(foreign.verify(new X509Certificate(ca.certPem).publicKey)).toBe(false);
  });

  it('the fingerprint is the SHA-256 of the DER certificate in lowercase hex', () => {
    expect(client.fingerprint).toMatch(/^[0-9a-f]{64}$/);
    expect(client.fingerprint).toBe(cert.fingerprint256.replaceAll(':', '').toLowerCase());
    expect(fingerprintCertificate(cert.raw)).toBe(client.fingerprint);
  });

  it('two client certificates for the same name have different fingerprints', () => {
    const again = issueClientCertificate(ca, { commonName: 'svc-reporting' });
    expect(again.fingerprint).not.toBe(client.fingerprint);
  });

  it('refuses an empty common name', () => {
    expect(() => issueClientCertificate(ca, { commonName: ' ' })).toThrow(expect.objectContaining({ code: 'CONFIG_INVALID' }));
  });
});

describe('TLS handshakes', () => {
  it('a client that trusts the internal CA connects to localhost and the server sees its client certificate', async () => {
    const client = issueClientCertificate(ca, { commonName: 'svc-etl' });
    const result = await handshake({ trust: ca.certPem, clientCert: client });
    expect(result.error).toBeUndefined();
    expect(result.received).toBe('ok');
    expect(result.peerFingerprint).toBe(client.fingerprint);
  });

  it('a client that trusts another CA refuses the server', async () => {
    const result = await handshake({ trust: otherCa.certPem });
    expect(result.error?.message).toMatch(/certificate/);
    expect(result.received).toBe('');
  });

  it('a server that trusts the internal CA refuses a client certificate from another CA', async () => {
    const foreign = issueClientCertificate(otherCa, { commonName: 'svc-etl' });
    const result = await handshake({ trust: ca.certPem, clientCert: foreign });
    // Under TLS 1.3 the client may finish its side before the server's alert arrives; what counts is that nothing is served.
    expect(result.received).toBe('');
    expect(result.peerFingerprint).toBeUndefined();
  });
});

async function handshake(opts: {
  trust: string;
  clientCert?: { certPem: string; keyPem: string };
}): Promise<{ error: Error | undefined; received: string; peerFingerprint: string | undefined }> {
  let peerFingerprint: string | undefined;
  const tlsServer = createServer(
    { cert: server.certPem, key: server.keyPem, ca: [ca.certPem], requestCert: true, rejectUnauthorized: true, minVersion: 'TLSv1.2' },
    (socket: TLSSocket) => {
      if (socket.authorized) peerFingerprint = fingerprintCertificate(socket.getPeerCertificate().raw);
      socket.end('ok');
    },
  );
  tlsServer.on('tlsClientError', () => {});
  await new Promise<void>((resolve) => tlsServer.listen(0, '127.0.0.1', resolve));
  const { port } = tlsServer.address() as AddressInfo;
  let received = '';
  try {
    const error = await new Promise<Error | undefined>((resolve) => {
      const socket = connect({
        host: '127.0.0.1',
        port,
        servername: 'localhost',
        ca: [opts.trust],
        ...(opts.clientCert ? { cert: opts.clientCert.certPem, key: opts.clientCert.keyPem } : {}),
      });
      socket.setEncoding('utf8');
      socket.on('data', (chunk: string) => {
        received += chunk;
      });
      socket.on('end', () => resolve(undefined));
      socket.on('error', (e) => resolve(e));
    });
    return { error, received, peerFingerprint };
  } finally {
    await new Promise<void>((resolve) => tlsServer.close(() => resolve()));
  }
}
