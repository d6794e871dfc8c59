import { randomBytes } from 'node:crypto';
import { closeSync, constants, fsyncSync, lstatSync, mkdirSync, openSync, readdirSync, renameSync, rmSync, writeSync } from 'node:fs';
import { basename, dirname, join, relative, sep } from 'node:path';

/** Thrown when an output path is unsafe to write: a symbolic link, a folder, a non-empty target. */
export class UnsafeOutputError extends Error {
  override readonly name = 'UnsafeOutputError';
}

const lstatOrNull = (p: string): ReturnType<typeof lstatSync> | null => {
  try {
    return lstatSync(p);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw e;
  }
};

/**
 * Refuses an output folder that exists and holds anything, unless `force` (then files are
 * replaced one by one, still never through a link). A missing folder is fine (it is created).
 */
export function checkOutputFolder(outDir: string, force: boolean): void {
  const st = lstatOrNull(outDir);
  if (!st) return;
  if (!st.isDirectory() && !st.isSymbolicLink()) throw new UnsafeOutputError(`${outDir} exists and is not a folder`);
  if (!force && readdirSync(outDir).length > 0) {
    throw new UnsafeOutputError(`${outDir} is not empty: choose an empty or new folder, or pass --force to replace files in it`);
  }
}

/**
 * Creates the folders of `relDir` under `root` one by one, refusing any that is a symbolic link
 * (a planted `out/sub -> /etc` would otherwise send the write elsewhere) or not a folder.
 */
function ensureRealDirs(root: string, relDir: string): void {
  mkdirSync(root, { recursive: true });
  let cur = root;
  for (const part of relDir.split(sep).filter((p) => p && p !== '.')) {
    cur = join(cur, part);
    const st = lstatOrNull(cur);
    if (!st) mkdirSync(cur);
    else if (st.isSymbolicLink())
      throw new UnsafeOutputError(`${cur} is a symbolic link: not written through (remove it or choose another folder)`);
    else if (!st.isDirectory()) throw new UnsafeOutputError(`${cur} is not a folder`);
  }
}

/**
 * Writes a file safely: the bytes go to a new temporary file in the same folder, created with
 * O_CREAT|O_EXCL|O_NOFOLLOW (never an existing file, never through a link), fsynced, then renamed
 * over the target (atomic; a rename replaces a name, it never follows a link). A target that is a
 * symbolic link or a folder is refused. `root` (default: the file's folder) bounds the folder
 * check: every folder between `root` and the file must be a real folder, not a link.
 */
export function writeFileSafely(path: string, data: string | Uint8Array, root: string = dirname(path)): void {
  const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
  const relDir = relative(root, dirname(path));
  if (relDir.startsWith('..')) throw new UnsafeOutputError(`${path} is outside ${root}`);
  ensureRealDirs(root, relDir);
  const target = lstatOrNull(path);
  if (target?.isSymbolicLink())
    throw new UnsafeOutputError(`${path} is a symbolic link: not replaced (remove it or choose another folder)`);
  if (target?.isDirectory()) throw new UnsafeOutputError(`${path} is a folder`);
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- O_NOFOLLOW is undefined on Windows although typed as a number
  const fd = openSync(tmp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | (constants.O_NOFOLLOW ?? 0), 0o644);
  try {
    let off = 0;
    while (off < bytes.length) off += writeSync(fd, bytes, off, Math.min(bytes.length - off, 1 << 26));
    fsyncSync(fd);
  } catch (e) {
    closeSync(fd);
    rmSync(tmp, { force: true });
    throw e;
  }
  closeSync(fd);
  try {
    renameSync(tmp, path);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw e;
  }
}
