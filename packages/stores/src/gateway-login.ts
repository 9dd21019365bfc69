/**
 * The serving gateway's own database login: `<control database>_gateway`
 * (`warden_gateway` for the default database; one per control database, as
 * roles are cluster-wide), a member of warden_app (migration 007), with a
 * password kept under WARDEN_HOME. The
 * owner's connection runs migrations and operator commands; requests are
 * served through this one, which cannot alter, update, delete or truncate the
 * audit log. Gateways sharing a database share the password file.
 */
import { randomBytes } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import pg from 'pg';

/** The login of the gateways serving the control database `database`. */
export function gatewayLogin(database: string): string {
  return `${database
    .replace(/[^a-z0-9_]/gi, '_')
    .toLowerCase()
    .slice(0, 55)}_gateway`;
}

/**
 * Ensures the login exists with the password in `passwordFile` (created on first use) and returns
 * `controlUrl` rewritten to it — or undefined when the owner may not create roles (then the
 * caller keeps the owner's connection, and says so).
 */
export async function ensureGatewayLogin(owner: pg.Pool, controlUrl: string, passwordFile: string): Promise<string | undefined> {
  const { rows } = await owner.query<{ member: boolean; can: boolean }>(
    `SELECT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'warden_app') AS member,
            (SELECT rolsuper OR rolcreaterole FROM pg_roles WHERE rolname = current_user) AS can`,
  );
  if (!rows[0]?.member || !rows[0]?.can) return undefined;
  const url = new URL(controlUrl);
  const login = gatewayLogin(decodeURIComponent(url.pathname.slice(1)) || 'warden');
  const role = pg.escapeIdentifier(login);
  let password = (await readFile(passwordFile, 'utf8').catch(() => '')).trim();
  const fresh = !password;
  if (fresh) password = randomBytes(24).toString('base64url');
  const literal = pg.escapeLiteral(password);
  const exists = (await owner.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [login])).rowCount === 1;
  let created = false;
  if (!exists) {
    created = await owner.query(`CREATE ROLE ${role} LOGIN PASSWORD ${literal} IN ROLE warden_app`).then(
      () => true,
      (e: { code?: string }) => {
        if (e.code !== '42710') throw e; // created meanwhile by another gateway: set our password below
        return false;
      },
    );
  }
  if (!created) await owner.query(`ALTER ROLE ${role} WITH LOGIN PASSWORD ${literal}`);
  await owner.query(`GRANT warden_app TO ${role}`);
  if (fresh) await writeFile(passwordFile, password, { mode: 0o600 });
  url.username = login;
  url.password = password;
  return url.toString();
}
