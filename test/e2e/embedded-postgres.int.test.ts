/** The embedded PostgreSQL launcher: ownership, stale files, other users. */
import { spawn, spawnSync } from 'node:child_process';
import { chownSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startEmbeddedPostgres } from '@warden/stores';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT } from '../support/warden-process.js';

const dirs: string[] = [];
const tmp = (prefix: string) => {
  const d = mkdtempSync(path.join(os.tmpdir(), prefix));
  dirs.push(d);
  return d;
};
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

async function ask(baseUrl: string): Promise<number> {
  const c = new pg.Client({ connectionString: `${baseUrl}/postgres` });
  await c.connect();
  try {
    return (await c.query('SELECT 1 + 1 AS two')).rows[0].two;
  } finally {
    await c.end();
  }
}

describe('the embedded PostgreSQL launcher', () => {
  it('never signals a process that merely reuses the pid of a stale postmaster.pid', async () => {
    const dir = tmp('warden-pg-stale-');
    const first = await startEmbeddedPostgres({ dir });
    await first.stop();
    const bystander = spawn('sleep', ['60']);
    try {
      writeFileSync(path.join(dir, 'data', 'postmaster.pid'), `${bystander.pid}\n${path.join(dir, 'data')}\n0\n5432\n\n\n\n`);
      const again = await startEmbeddedPostgres({ dir });
      expect(await ask(again.baseUrl)).toBe(2);
      expect(bystander.exitCode).toBeNull();
      expect(() => process.kill(bystander.pid as number, 0)).not.toThrow();
      await again.stop();
    } finally {
      bystander.kill();
    }
  });

  it('a CLI command attaches to a server’s PostgreSQL and leaves it running when it is done', async () => {
    const dir = tmp('warden-pg-attach-');
    const server = await startEmbeddedPostgres({ dir, role: 'server' });
    const cli = await startEmbeddedPostgres({ dir, role: 'cli' });
    expect(cli.owned).toBe(false);
    expect(cli.baseUrl).toBe(server.baseUrl);
    await cli.stop();
    expect(await ask(server.baseUrl)).toBe(2);
    await server.stop();
  });

  it('a second command waits for the first to finish instead of stopping its PostgreSQL', async () => {
    const dir = tmp('warden-pg-wait-');
    const first = await startEmbeddedPostgres({ dir, role: 'cli' });
    let secondStarted = false;
    const second = startEmbeddedPostgres({ dir, role: 'server' }).then((s) => {
      secondStarted = true;
      return s;
    });
    expect(await ask(first.baseUrl)).toBe(2);
    await new Promise((r) => setTimeout(r, 400));
    expect(secondStarted).toBe(false); // still waiting: the lock is held
    expect(await ask(first.baseUrl)).toBe(2); // and the first one's database still answers
    await first.stop();
    const s = await second;
    expect(s.owned).toBe(true);
    expect(await ask(s.baseUrl)).toBe(2);
    await s.stop();
  });

  it.skipIf(process.getuid?.() !== 0)('starts for a user who is not root (as root, the whole suite covers root)', () => {
    // When the suite itself runs as a normal user, every test above already is this case.
    const dir = tmp('warden-pg-nobody-');
    chownSync(dir, 65534, 65534);
    const r = spawnSync(
      'runuser',
      ['-u', 'nobody', '--', process.execPath, '--import', 'tsx', path.join(ROOT, 'test/support/embedded-probe.mts'), path.join(dir, 'pg')],
      {
        cwd: ROOT,
        env: { ...process.env, HOME: dir },
        encoding: 'utf8',
        timeout: 120_000,
      },
    );
    expect(r.stderr).not.toMatch(/Error/);
    expect(r.stdout.trim()).toBe('{"two":2}');
  });
});
