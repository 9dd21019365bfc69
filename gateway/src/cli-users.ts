/**
 * `warden user …`: people, administered from the command line.
 *
 * An administrator (`--admin NAME`, a different person holding `manage
 * Principal`) proves password and TOTP code for each command — from
 * WARDEN_ADMIN_PASSWORD and WARDEN_ADMIN_CODE, or asked on the terminal —
 * and the command runs in that person's session, audited under their name.
 * Until an administrator with an enrolled authenticator exists, `create` and
 * `roles` run without --admin (bootstrap), audited as the OS operator.
 */
import { parseArgs } from 'node:util';
import type { Actor } from '@warden/access';
import { loadConfig, wardenError } from '@warden/core';
import { openRuntime, type Runtime } from './runtime.js';
import { operator } from './cli-operator.js';

export const USER_USAGE = `  user create --name NAME --role ROLE [--role ROLE…] [--password-stdin] [--admin ADMIN]
                                          create a person; without --password-stdin a strong
                                          password is generated and printed once
  user roles --name NAME --role ROLE [--role ROLE…] [--admin ADMIN]
                                          replace a person's roles
  user reset-mfa --name NAME --admin ADMIN
                                          clear a person's TOTP authenticator and end their
                                          sessions (ADMIN: another administrator)
  user list                               list people, roles, MFA enrolment and locks`;

export interface CliIo {
  out(s: string): void;
  fail(message: string): never;
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks)
    .toString('utf8')
    .replace(/\r?\n$/, '');
}

/** Asks on the terminal; `hidden` echoes nothing (passwords, codes). */
function ask(question: string, hidden: boolean): Promise<string> {
  const input = process.stdin;
  process.stderr.write(question);
  return new Promise((resolve, reject) => {
    let answer = '';
    input.setRawMode?.(true);
    input.resume();
    input.setEncoding('utf8');
    const done = (error?: Error) => {
      input.setRawMode?.(false);
      input.pause();
      input.off('data', onData);
      process.stderr.write('\n');
      if (error) reject(error);
      else resolve(answer);
    };
    const onData = (text: string) => {
      for (const ch of text) {
        if (ch === '\r' || ch === '\n') return done();
        if (ch === '\u0003') return done(new Error('cancelled'));
        if (ch === '\u007f' || ch === '\b') answer = answer.slice(0, -1);
        else {
          answer += ch;
          if (!hidden) process.stderr.write(ch);
        }
      }
    };
    input.on('data', onData);
  });
}

/** Whether a person who may manage principals and has an authenticator exists: then --admin is required. */
async function administratorExists(rt: Runtime): Promise<boolean> {
  return (await rt.users.list()).some((u) => !u.disabled && u.mfaEnrolled && rt.policies.abilityFor(u.roles).can('manage', 'Principal'));
}

/** Logs the administrator in (password and code) and runs `fn` in that session, logging out afterwards. */
async function asAdministrator<T>(rt: Runtime, admin: string, fn: (actor: Actor) => Promise<T>): Promise<T> {
  const tty = process.stdin.isTTY === true;
  const password = process.env.WARDEN_ADMIN_PASSWORD ?? (tty ? await ask(`Password of ${admin}: `, true) : undefined);
  const code = process.env.WARDEN_ADMIN_CODE ?? (tty ? await ask(`TOTP code of ${admin}: `, true) : undefined);
  if (password === undefined || code === undefined) {
    throw wardenError('INVALID_ARGUMENT', {
      argument: '--admin',
      reason: 'set WARDEN_ADMIN_PASSWORD and WARDEN_ADMIN_CODE (or run on a terminal)',
    });
  }
  const session = await rt.users.login({ name: admin, password, code });
  try {
    return await fn({ principal: session.principal });
  } finally {
    await rt.users.logout(session.principal);
  }
}

export async function userCommand(args: string[], io: CliIo): Promise<void> {
  const [sub, ...rest] = args;
  const { values } = parseArgs({
    args: rest,
    options: {
      name: { type: 'string' },
      role: { type: 'string', multiple: true },
      admin: { type: 'string' },
      'password-stdin': { type: 'boolean', default: false },
    },
  });
  if (!['create', 'roles', 'reset-mfa', 'list'].includes(sub ?? '')) io.fail(`unknown user command ${sub ?? ''}\n${USER_USAGE}`);
  if (sub !== 'list' && !values.name) io.fail(`user ${sub} needs --name`);
  if (sub === 'reset-mfa' && !values.admin) io.fail('user reset-mfa needs --admin: another administrator resets MFA');
  if (values.admin !== undefined && values.admin === values.name) io.fail('an administrator cannot act on their own account');

  if ((sub === 'create' || sub === 'roles') && !values.role?.length) io.fail(`user ${sub} needs --role`);
  const password = sub === 'create' && values['password-stdin'] ? await readStdin() : undefined;

  // From here on errors are thrown, so the runtime (and an embedded PostgreSQL it started) closes first.
  const rt = await openRuntime(loadConfig());
  try {
    /** The session of --admin, or (bootstrap only) the OS operator. */
    const run = async <T>(fn: (actor: Actor) => Promise<T>): Promise<T> => {
      if (values.admin) return asAdministrator(rt, values.admin, fn);
      if (await administratorExists(rt)) {
        throw wardenError('INVALID_ARGUMENT', { argument: '--admin', reason: 'an administrator exists: name one to act as' });
      }
      return fn({ cli: operator() });
    };
    const name = values.name as string;
    const roles = values.role ?? [];
    switch (sub) {
      case 'create': {
        const created = await run((actor) => rt.users.create({ name, roles, ...(password === undefined ? {} : { password }) }, actor));
        io.out(`Created user ${name} (${roles.join(', ')}). At the first login they enrol a TOTP authenticator.`);
        if (created.password) {
          io.out('Password (shown once, hand it over securely):');
          io.out(created.password);
        }
        return;
      }
      case 'roles': {
        const p = await run((actor) => rt.users.setRoles(name, roles, actor));
        io.out(`Roles of ${p.name}: ${p.roles.join(', ')}.`);
        return;
      }
      case 'reset-mfa':
        await asAdministrator(rt, values.admin as string, (actor) => rt.users.resetMfa(name, actor));
        io.out(`Reset the authenticator of ${name} and ended their sessions; they enrol again at their next login.`);
        return;
      default:
        for (const u of await rt.users.list()) {
          const state = [
            u.mfaEnrolled ? 'mfa' : 'no-mfa',
            u.lockedUntil ? `locked until ${u.lockedUntil.toISOString()}` : '',
            u.disabled ? 'disabled' : '',
          ]
            .filter(Boolean)
            .join('\t');
          io.out(`${u.name}\t${u.roles.join(',')}\t${state}`);
        }
    }
  } finally {
    await rt.close();
  }
}
