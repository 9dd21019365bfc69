/**
 * Password hashes: scrypt (node:crypto) in a self-describing string,
 * `$scrypt$ln=15,r=8,p=1$<salt>$<hash>` (PHC string format, unpadded base64),
 * so parameters can be raised later without breaking stored hashes.
 *
 * Parameters: N = 2^15 (ln=15), r = 8, p = 1, a 16-byte random salt and a
 * 32-byte output. Memory per hash is 128·N·r = 32 MiB and one hash takes
 * about 0.1 s on one core: RFC 7914 and the scrypt paper give N = 2^14 as the
 * interactive-login baseline; one step up doubles an attacker's cost per guess
 * while keeping login (and a few parallel guesses on the libuv pool) cheap for
 * the server. Online guessing is bounded by the lockout, not by the hash.
 */
import { randomBytes, type ScryptOptions, scrypt, timingSafeEqual } from 'node:crypto';

const LN = 15;
const R = 8;
const P = 1;
const SALT_BYTES = 16;
const KEY_BYTES = 32;
const PARAMS = `ln=${LN},r=${R},p=${P}`;
const STORED = /^\$scrypt\$ln=(\d{1,2}),r=(\d{1,2}),p=(\d{1,2})\$([A-Za-z0-9+/]{22})\$([A-Za-z0-9+/]{43})$/;

/**
 * A hash of no password anyone knows, with the current parameters: verifying
 * against it costs what verifying a real hash costs, so an unknown user name
 * takes as long as a wrong password.
 */
export const DUMMY_PASSWORD_HASH = `$scrypt$${PARAMS}$${'A'.repeat(22)}$${'A'.repeat(43)}`;

function derive(pw: string, salt: Buffer, ln: number, r: number, p: number): Promise<Buffer> {
  const N = 2 ** ln;
  const options: ScryptOptions = { N, r, p, maxmem: 256 * N * r };
  return new Promise((resolve, reject) =>
    scrypt(pw.normalize('NFKC'), salt, KEY_BYTES, options, (err, key) => (err ? reject(err) : resolve(key))),
  );
}

const b64 = (b: Buffer) => b.toString('base64').replace(/=+$/, '');

export async function hashPassword(pw: string): Promise<string> {
  const salt = randomBytes(SALT_BYTES);
  return `$scrypt$${PARAMS}$${b64(salt)}$${b64(await derive(pw, salt, LN, R, P))}`;
}

/**
 * True when `pw` matches `stored`, compared in constant time. Without a stored
 * hash (unknown user) it verifies against DUMMY_PASSWORD_HASH and answers false,
 * doing the same work. A malformed stored value never matches.
 */
export async function verifyPassword(pw: string, stored: string | undefined): Promise<boolean> {
  const real = typeof stored === 'string' ? STORED.exec(stored) : null;
  const m = real ?? STORED.exec(DUMMY_PASSWORD_HASH);
  if (!m) return false;
  const [ln, r, p] = [Number(m[1]), Number(m[2]), Number(m[3])];
  // Bounds keep a corrupted row from costing gigabytes.
  if (ln < 10 || ln > 20 || r < 1 || r > 16 || p < 1 || p > 4) return false;
  const salt = Buffer.from(m[4] as string, 'base64');
  const expected = Buffer.from(m[5] as string, 'base64');
  const actual = await derive(typeof pw === 'string' ? pw : '', salt, ln, r, p);
  const same = actual.length === expected.length && timingSafeEqual(actual, expected);
  return same && real !== null && stored !== DUMMY_PASSWORD_HASH;
}
