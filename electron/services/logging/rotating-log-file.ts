import { closeSync, existsSync, fstatSync, mkdirSync, openSync, readdirSync, renameSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';

/** Options of a {@link RotatingLogFile}. */
export interface RotatingLogOptions {
  /** Folder of the log files (created). */
  readonly dir: string;
  /** Base name: files are `<base>.log` (current), `<base>.1.log` … `<base>.<maxFiles−1>.log`. */
  readonly baseName?: string;
  /** Rotate when the current file would exceed this many bytes (default 1 MiB). */
  readonly maxBytes?: number;
  /** Files kept in all, current included (default 5). */
  readonly maxFiles?: number;
}

/**
 * An append-only, size-rotated log file: lines are appended synchronously (a crash loses no line
 * already written to the OS), and when the next line would push the current file past `maxBytes`
 * the files shift by one (`.log` → `.1.log` → …) and the oldest beyond `maxFiles` is deleted.
 * A single line longer than `maxBytes` is still written whole, alone in its file.
 */
export class RotatingLogFile {
  readonly dir: string;
  readonly baseName: string;
  readonly maxBytes: number;
  readonly maxFiles: number;
  #fd: number | null = null;
  #size = 0;

  constructor(opts: RotatingLogOptions) {
    this.dir = opts.dir;
    this.baseName = opts.baseName ?? 'lung-burden';
    this.maxBytes = Math.max(1024, opts.maxBytes ?? 1 << 20);
    this.maxFiles = Math.max(1, Math.floor(opts.maxFiles ?? 5));
    if (!/^[A-Za-z0-9_-]{1,64}$/.test(this.baseName)) throw new Error(`invalid log base name ${this.baseName}`);
    mkdirSync(this.dir, { recursive: true });
  }

  /** Path of log file `index` (0 = current). */
  pathOf(index: number): string {
    return join(this.dir, index === 0 ? `${this.baseName}.log` : `${this.baseName}.${index}.log`);
  }

  /** Existing log files, newest first. */
  files(): string[] {
    const names = new Set(readdirSync(this.dir));
    const out: string[] = [];
    for (let i = 0; i < this.maxFiles; i++) {
      const p = this.pathOf(i);
      if (names.has(p.slice(this.dir.length + 1))) out.push(p);
    }
    return out;
  }

  /** Appends one line (a trailing newline is added). */
  write(line: string): void {
    const bytes = Buffer.from(`${line.replace(/\r?\n/g, ' ')}\n`, 'utf8');
    this.#open();
    if (this.#size > 0 && this.#size + bytes.length > this.maxBytes) {
      this.#rotate();
      this.#open();
    }
    let off = 0;
    while (off < bytes.length) off += writeSync(this.#fd as number, bytes, off, bytes.length - off);
    this.#size += bytes.length;
  }

  close(): void {
    if (this.#fd !== null) closeSync(this.#fd);
    this.#fd = null;
  }

  #open(): void {
    if (this.#fd !== null) return;
    this.#fd = openSync(this.pathOf(0), 'a', 0o600);
    this.#size = fstatSync(this.#fd).size;
  }

  #rotate(): void {
    this.close();
    const last = this.pathOf(this.maxFiles - 1);
    if (this.maxFiles === 1) {
      rmSync(last, { force: true });
      return;
    }
    rmSync(last, { force: true });
    for (let i = this.maxFiles - 2; i >= 0; i--) {
      const from = this.pathOf(i);
      if (existsSync(from)) renameSync(from, this.pathOf(i + 1));
    }
  }
}
