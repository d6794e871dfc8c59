import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** A file written by an export: path relative to the export folder, sha256 and size. */
export interface ExportedFile {
  readonly path: string;
  readonly sha256: string;
  readonly bytes: number;
}

/** Writes files under one export folder and records the sha256 of each. */
export class ExportWriter {
  readonly files: ExportedFile[] = [];
  constructor(readonly outDir: string) {
    mkdirSync(outDir, { recursive: true });
  }

  write(relPath: string, data: Uint8Array | string): ExportedFile {
    if (relPath.includes('..') || relPath.startsWith('/')) throw new Error(`export path ${relPath} leaves the export folder`);
    const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
    const abs = join(this.outDir, relPath);
    mkdirSync(dirname(abs), { recursive: true });
    writeFileSync(abs, bytes);
    const f = { path: relPath, sha256: createHash('sha256').update(bytes).digest('hex'), bytes: bytes.length };
    this.files.push(f);
    return f;
  }
}
