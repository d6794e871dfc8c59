import { join } from 'node:path';
import { createRedactor, type Redactor } from './redact.ts';
import { loadOrCreateLogSalt } from './log-salt.ts';
import { RotatingLogFile } from './rotating-log-file.ts';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

/** Options of {@link createLogger}. */
export interface LoggerOptions {
  /** User data folder; logs go to `<dataDir>/logs`. */
  readonly dataDir: string;
  readonly maxBytes?: number;
  readonly maxFiles?: number;
  /** Lowest level written (default `info`). */
  readonly level?: LogLevel;
  /** Clock (tests). */
  readonly now?: () => Date;
}

export interface Logger {
  readonly dir: string;
  readonly file: RotatingLogFile;
  readonly redact: Redactor;
  debug(msg: string, fields?: Readonly<Record<string, unknown>>): void;
  info(msg: string, fields?: Readonly<Record<string, unknown>>): void;
  warn(msg: string, fields?: Readonly<Record<string, unknown>>): void;
  error(msg: string, fields?: Readonly<Record<string, unknown>>): void;
  close(): void;
}

/** Folder of the logs inside a user data folder. */
export const logDirOf = (dataDir: string): string => join(dataDir, 'logs');

/**
 * The main-process logger: JSON lines `{"t","level","msg",…fields}` in a size-rotated file in
 * `<dataDir>/logs`, every message and field passed through the salted PHI {@link Redactor} first.
 * Logging never throws (a failing disk must not take the app down): write errors are counted in
 * the next line that succeeds.
 */
export function createLogger(opts: LoggerOptions): Logger {
  const dir = logDirOf(opts.dataDir);
  const redact = createRedactor(loadOrCreateLogSalt(dir));
  const file = new RotatingLogFile({
    dir,
    ...(opts.maxBytes !== undefined ? { maxBytes: opts.maxBytes } : {}),
    ...(opts.maxFiles !== undefined ? { maxFiles: opts.maxFiles } : {}),
  });
  const min = ORDER[opts.level ?? 'info'];
  const now = opts.now ?? (() => new Date());
  let dropped = 0;
  const log = (level: LogLevel, msg: string, fields?: Readonly<Record<string, unknown>>): void => {
    if (ORDER[level] < min) return;
    try {
      const body = fields ? (redact(fields) as Record<string, unknown>) : {};
      const line = JSON.stringify({
        t: now().toISOString(),
        level,
        msg: redact.text(msg),
        ...body,
        ...(dropped ? { droppedLines: dropped } : {}),
      });
      file.write(line);
      dropped = 0;
    } catch {
      dropped++;
    }
  };
  return {
    dir,
    file,
    redact,
    debug: (m, f) => log('debug', m, f),
    info: (m, f) => log('info', m, f),
    warn: (m, f) => log('warn', m, f),
    error: (m, f) => log('error', m, f),
    close: () => file.close(),
  };
}
