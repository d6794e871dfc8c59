import { randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import { join } from 'node:path';

/** File name of the redaction salt inside the log folder; never exported. */
export const LOG_SALT_FILE = '.redaction-salt';

/**
 * The per-installation redaction salt (32 random bytes in `<logDir>/.redaction-salt`, mode 0600),
 * created on first use. Kept stable so the same patient maps to the same token across restarts.
 */
export function loadOrCreateLogSalt(logDir: string): Uint8Array {
  mkdirSync(logDir, { recursive: true });
  const file = join(logDir, LOG_SALT_FILE);
  try {
    const s = readFileSync(file);
    if (s.length >= 32) return new Uint8Array(s);
  } catch {
    // absent or unreadable: make a new one below
  }
  const salt = randomBytes(32);
  const tmp = `${file}.${process.pid}.tmp`;
  const fd = openSync(tmp, 'w', 0o600);
  try {
    writeSync(fd, salt);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, file);
  return new Uint8Array(salt);
}
