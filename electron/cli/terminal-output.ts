/**
 * Terminal safety of the CLI: strings from input files (DICOM names, descriptions, file names,
 * error messages quoting them) can carry escape sequences (clear screen, retitle the terminal,
 * fake prompts), bells and bidi overrides. Every string written to stdout/stderr has such
 * characters replaced by a visible `\uXXXX` escape: tab, newline and carriage return stay (the
 * progress line uses CR); JSON stays valid and denotes the same value (JSON.stringify already
 * escapes C0 controls; C1 and bidi characters become escapes with the same meaning).
 */
const UNSAFE = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/** `s` with terminal-unsafe characters written as `\uXXXX`. */
export function escapeForTerminal(s: string): string {
  return s.replace(UNSAFE, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

let installed = false;

/** Makes every string later written to process.stdout / process.stderr terminal-safe (idempotent). */
export function installTerminalSafeOutput(): void {
  if (installed) return;
  installed = true;
  for (const stream of [process.stdout, process.stderr]) {
    const write = stream.write.bind(stream) as (chunk: unknown, ...rest: unknown[]) => boolean;
    stream.write = (chunk: unknown, ...rest: unknown[]) => write(typeof chunk === 'string' ? escapeForTerminal(chunk) : chunk, ...rest);
  }
}
