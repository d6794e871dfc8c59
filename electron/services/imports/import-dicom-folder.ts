import { open, readdir, stat } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { DicomImportSession } from '../../../shared/dicom/dicom-import-session.ts';
import type { PixelDecoderRegistry } from '../../../shared/dicom/pixel-decoder.ts';
import type { ImportIssue, ImportProgress, ImportResult } from '../../../shared/dicom/types.ts';
import { createNodeDecoderRegistry } from './codecs.ts';

/** Options of {@link importDicomFolder} and {@link importDicomFiles}. */
export interface ImportDicomOptions {
  /** Called after each file with files done / total and the file's path relative to the root. */
  readonly onProgress?: ImportProgress;
  /** Aborts between files; the promise then rejects with the signal's reason. */
  readonly signal?: AbortSignal;
  /** Codecs to use (default: {@link createNodeDecoderRegistry}). */
  readonly registry?: PixelDecoderRegistry;
  /** HU at or below this become air as padding (default −2000). */
  readonly paddingAtOrBelowHu?: number;
}

/** Files larger than this are not read (no CT slice or multi-frame series comes close). */
const MAX_FILE_BYTES = 2 ** 31 - 1;

/**
 * Every regular file under `root` (recursive, sorted; symbolic links to folders are not followed).
 * Anything else (FIFOs, sockets, devices, broken links) is never opened — reading a FIFO would block
 * the import for ever — and is told to `onSkipped` with what it is.
 */
export async function listFilesRecursive(root: string, onSkipped?: (path: string, what: string) => void): Promise<string[]> {
  const out: string[] = [];
  const walk = async (dir: string): Promise<void> => {
    const entries = await readdir(dir, { withFileTypes: true });
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const e of entries) {
      const p = join(dir, e.name);
      if (e.isDirectory()) await walk(p);
      else if (e.isFile()) out.push(p);
      else if (e.isSymbolicLink()) {
        const st = await stat(p).catch(() => null);
        if (st?.isFile()) out.push(p);
        else if (!st) onSkipped?.(p, 'a broken symbolic link');
        else if (!st.isDirectory()) onSkipped?.(p, `a link to ${specialKind(st)}`);
      } else onSkipped?.(p, specialKind(e));
    }
  };
  await walk(root);
  return out;
}

function specialKind(e: { isFIFO(): boolean; isSocket(): boolean; isBlockDevice(): boolean; isCharacterDevice(): boolean }): string {
  return e.isFIFO()
    ? 'a named pipe (FIFO)'
    : e.isSocket()
      ? 'a socket'
      : e.isBlockDevice() || e.isCharacterDevice()
        ? 'a device'
        : 'not a regular file';
}

/** Reads a file; returns null (and no bytes read past the header) when it is not DICOM Part 10. */
async function readDicomBytes(path: string): Promise<Uint8Array | null | 'too-large'> {
  const fh = await open(path, 'r');
  try {
    const { size } = await fh.stat();
    if (size > MAX_FILE_BYTES) return 'too-large';
    if (size < 132) return null;
    const bytes = new Uint8Array(size);
    await fh.read(bytes, 0, 132, 0);
    if (bytes[128] !== 0x44 || bytes[129] !== 0x49 || bytes[130] !== 0x43 || bytes[131] !== 0x4d) return null;
    let off = 132;
    while (off < size) {
      const { bytesRead } = await fh.read(bytes, off, size - off, off);
      if (bytesRead === 0) break;
      off += bytesRead;
    }
    return off === size ? bytes : bytes.subarray(0, off);
  } finally {
    await fh.close();
  }
}

const relName = (root: string, p: string): string => (root ? relative(root, p).split(sep).join('/') : p);

/**
 * Imports the given files as DICOM (file names are free; DICOMDIR is skipped). Each file is read,
 * parsed and decoded on its own and only its decoded slices (Int16 HU) are kept, so peak memory is
 * about the decoded series plus one file. `root` (optional) makes the names in issues and
 * `ImportedSeries.files` relative.
 */
export async function importDicomFiles(
  paths: readonly string[],
  opts: ImportDicomOptions & { readonly root?: string } = {},
): Promise<ImportResult> {
  const root = opts.root ?? '';
  const session = new DicomImportSession({
    registry: opts.registry ?? createNodeDecoderRegistry(),
    sliceHint: paths.length,
    ...(opts.paddingAtOrBelowHu !== undefined ? { paddingAtOrBelowHu: opts.paddingAtOrBelowHu } : {}),
  });
  const total = paths.length;
  let done = 0;
  for (const p of paths) {
    opts.signal?.throwIfAborted();
    const file = relName(root, p);
    const base = file.split('/').pop() ?? file;
    if (base.toUpperCase() !== 'DICOMDIR') {
      let bytes: Uint8Array | null | 'too-large' | 'unreadable';
      try {
        bytes = await readDicomBytes(p);
      } catch (e) {
        session.addIssue({
          severity: 'error',
          code: 'unreadable',
          message: `cannot read file: ${e instanceof Error ? e.message : String(e)}`,
          file,
        });
        bytes = 'unreadable';
      }
      if (bytes === 'too-large') {
        session.addIssue({
          severity: 'error',
          code: 'too-large',
          message: 'file larger than 2 GiB skipped',
          file,
        });
      } else if (bytes === null) {
        session.addIssue({
          severity: 'warning',
          code: 'not-dicom',
          message: 'not a DICOM Part-10 file (no "DICM" marker at byte 128); skipped',
          file,
        });
      } else if (bytes !== 'unreadable') {
        await session.addFile(file, bytes);
      }
    }
    done++;
    opts.onProgress?.(done, total, file);
  }
  const result = session.finish();
  const issues: ImportIssue[] = [...result.issues];
  if (total === 0) issues.push({ severity: 'warning', code: 'empty', message: 'no files to import' });
  else if (result.series.length === 0)
    issues.push({
      severity: 'error',
      code: 'no-ct-series',
      message: `none of the ${total} file(s) gave a CT series`,
    });
  return { series: result.series, issues };
}

/**
 * Imports every DICOM file under `root` (recursive walk, any file names, DICOMDIR optional and
 * skipped), grouped into CT series; every problem found is an issue in the result. Rejects only
 * when `signal` aborts.
 */
export async function importDicomFolder(root: string, opts: ImportDicomOptions = {}): Promise<ImportResult> {
  let paths: string[];
  const skipped: ImportIssue[] = [];
  try {
    paths = await listFilesRecursive(root, (p, what) =>
      skipped.push({ severity: 'warning', code: 'not-a-file', message: `skipped: ${what}, not a file`, file: relName(root, p) }),
    );
  } catch (e) {
    return {
      series: [],
      issues: [
        {
          severity: 'error',
          code: 'unreadable',
          message: `cannot list folder ${root}: ${e instanceof Error ? e.message : String(e)}`,
        },
      ],
    };
  }
  const result = await importDicomFiles(paths, { ...opts, root });
  return skipped.length ? { ...result, issues: [...skipped, ...result.issues] } : result;
}
