import { createHash } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileSafely } from './safe-write.ts';

/** A file written by an export: path relative to the export folder, sha256 and size. */
export interface ExportedFile {
  readonly path: string;
  readonly sha256: string;
  readonly bytes: number;
}

/**
 * Writes files under one export folder and records the sha256 of each. Every file is written
 * safely ({@link writeFileSafely}: temporary file + rename, no symbolic link followed, neither
 * for the file nor for a folder on the way).
 */
export class ExportWriter {
  readonly files: ExportedFile[] = [];
  constructor(readonly outDir: string) {
    mkdirSync(outDir, { recursive: true });
  }

  write(relPath: string, data: Uint8Array | string): ExportedFile {
    if (relPath.includes('..') || relPath.startsWith('/')) throw new Error(`export path ${relPath} leaves the export folder`);
    const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
    const abs = join(this.outDir, relPath);
    writeFileSafely(abs, bytes, this.outDir);
    const f = { path: relPath, sha256: createHash('sha256').update(bytes).digest('hex'), bytes: bytes.length };
    this.files.push(f);
    return f;
  }
}
