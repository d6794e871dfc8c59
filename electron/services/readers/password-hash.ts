import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';

/**
 * scrypt cost of new password hashes: N = 2^15, r = 8, p = 1 → 128·N·r = 32 MiB of memory and
 * about 0.1 s per hash on one core (the OWASP password storage minimum for scrypt is N = 2^17 at
 * r = 8 or an equivalent memory/time product; 2^15 with one hash per login keeps sign-off
 * interactive on the readers' laptops). Each stored hash records its own parameters, so raising
 * them later does not invalidate existing passwords.
 */
export const SCRYPT_DEFAULTS = { N: 2 ** 15, r: 8, p: 1, keyLength: 32, saltLength: 16 } as const;

export interface ScryptParams {
  readonly N: number;
  readonly r: number;
  readonly p: number;
  readonly keyLength: number;
  readonly saltLength: number;
}

function derive(password: string, salt: Buffer, k: ScryptParams): Promise<Buffer> {
  const opts: ScryptOptions = { N: k.N, r: k.r, p: k.p, maxmem: 256 * k.N * k.r + 1024 * 1024 };
  return new Promise((resolve, reject) =>
    scrypt(password.normalize('NFC'), salt, k.keyLength, opts, (e, key) => (e ? reject(e) : resolve(key))),
  );
}

/** `scrypt$N$r$p$<salt base64>$<key base64>` of a password (NFC-normalised), with a fresh random salt. */
export async function hashPassword(password: string, k: ScryptParams = SCRYPT_DEFAULTS): Promise<string> {
  const salt = randomBytes(k.saltLength);
  const key = await derive(password, salt, k);
  return `scrypt$${k.N}$${k.r}$${k.p}$${salt.toString('base64')}$${key.toString('base64')}`;
}

/** Parsed parameters of a stored hash (throws on anything that is not one). */
export function parsePasswordHash(stored: string): { params: ScryptParams; salt: Buffer; key: Buffer } {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') throw new Error('not a scrypt password hash');
  const [N, r, p] = parts.slice(1, 4).map(Number) as [number, number, number];
  const salt = Buffer.from(parts[4]!, 'base64');
  const key = Buffer.from(parts[5]!, 'base64');
  if (![N, r, p].every((x) => Number.isInteger(x) && x > 0) || salt.length < 8 || key.length < 16)
    throw new Error('malformed scrypt password hash');
  return { params: { N, r, p, keyLength: key.length, saltLength: salt.length }, salt, key };
}

/** True when `password` matches the stored hash (constant-time comparison of the keys). */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const { params, salt, key } = parsePasswordHash(stored);
  const got = await derive(password, salt, params);
  return got.length === key.length && timingSafeEqual(got, key);
}

/** The rules a new password must meet (said to the user as is). */
export const PASSWORD_RULE = 'at least 10 characters, not the login name';

/** Why a new password is refused, or null when it is acceptable. */
export function passwordProblem(password: string, login: string): string | null {
  if (password.length < 10) return `the password must have ${PASSWORD_RULE}`;
  if (password.length > 1024) return 'the password is longer than 1024 characters';
  if (password.trim().toLowerCase() === login.trim().toLowerCase()) return `the password must have ${PASSWORD_RULE}`;
  return null;
}
