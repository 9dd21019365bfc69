/**
 * `warden audit verify`: recomputes the audit hash chain and checks every
 * signed checkpoint (database and file) — exit 0 with a one-line summary when
 * the log is intact, exit 1 naming the first bad sequence number otherwise.
 */
import { access, readFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { verifyAuditLog } from '@warden/audit';
import { loadConfig, wardenError } from '@warden/core';
import { openRuntime } from './runtime.js';

export const AUDIT_USAGE = `  audit verify [--checkpoints FILE] [--public-key FILE]
                                          check the audit log's hash chain and signed checkpoints
                                          (default: WARDEN_HOME/audit/checkpoints.jsonl and signing.pub)`;

export async function auditCommand(args: string[], io: { out: (s: string) => void; fail: (message: string) => never }): Promise<void> {
  const [sub, ...rest] = args;
  if (sub !== 'verify') io.fail(`unknown audit command ${sub ?? ''}`);
  const { values } = parseArgs({ args: rest, options: { checkpoints: { type: 'string' }, 'public-key': { type: 'string' } } });
  const config = loadConfig();
  const checkpointFile = values.checkpoints ?? path.join(config.home, 'audit', 'checkpoints.jsonl');
  const present = await access(checkpointFile).then(
    () => true,
    () => false,
  );
  if (values.checkpoints && !present) io.fail(`no checkpoint file ${values.checkpoints}`);
  const givenKey = values['public-key'] ? await readFile(values['public-key'], 'utf8') : undefined;
  const rt = await openRuntime(config);
  try {
    const result = await verifyAuditLog({
      pool: rt.dbs.control,
      publicKeyPem: givenKey ?? rt.secrets.auditSigning.publicKeyPem,
      checkpointFile, // absent while the database holds checkpoints: a failure, not "intact"
      hashAlgorithm: config.auditHash,
    });
    if (!result.ok) throw wardenError('AUDIT_TAMPERED', { reason: result.reason, seq: result.firstBadSeq });
    io.out(
      `Audit log intact: ${result.events} events, ${result.checkpoints} signed checkpoint${result.checkpoints === 1 ? '' : 's'}${present ? '' : ` (no checkpoint file at ${checkpointFile} yet)`}.`,
    );
  } finally {
    await rt.close();
  }
}
