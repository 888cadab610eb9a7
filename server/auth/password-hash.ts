import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';

// scrypt with a per-user salt: a stolen system folder does not reveal passwords, and
// checking one costs a few tens of milliseconds, which only logins pay.
const KEY_BYTES = 32;
const COST = 16384;

function derive(password: string, salt: Buffer, cost: number): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scrypt(password, salt, KEY_BYTES, { N: cost, r: 8, p: 1 }, (error, key) => (error ? reject(error) : resolve(key))),
  );
}

/** `scrypt$<cost>$<salt hex>$<key hex>`. */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await derive(password, salt, COST);
  return `scrypt$${COST}$${salt.toString('hex')}$${key.toString('hex')}`;
}

/**
 * Whether `text` is a hash as `hashPassword` writes it, with a cost no higher than ours (a
 * hash received from another node is checked at every login). A hash is longer than any
 * password may be, so it is never mistaken for one.
 */
export function isPasswordHash(text: string): boolean {
  const match = /^scrypt\$(\d+)\$[0-9a-f]{32}\$[0-9a-f]{64}$/.exec(text);
  if (match === null) return false;
  const cost = Number(match[1]);
  return cost >= 2 && cost <= COST && (cost & (cost - 1)) === 0;
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, cost, salt, key] = stored.split('$');
  if (scheme !== 'scrypt' || cost === undefined || salt === undefined || key === undefined) return false;
  const expected = Buffer.from(key, 'hex');
  const actual = await derive(password, Buffer.from(salt, 'hex'), Number(cost));
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}
