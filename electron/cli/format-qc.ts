import type { QcFlag } from '../../shared/qc/qc-flag.ts';

/** Scan QC flags as terminal lines, blocking ones first and loud. */
export function formatQcForTerminal(flags: readonly QcFlag[]): string {
  if (flags.length === 0) return 'scan QC           passed (no flags)';
  const lines = [
    `scan QC           ${flags.length} flag(s)${flags.some((f) => f.severity === 'blocking') ? ' — BLOCKING: do not use the burden until a reader acknowledges them' : ''}`,
  ];
  for (const f of flags) lines.push(`  ${f.severity === 'blocking' ? 'BLOCKING' : f.severity.padEnd(8)} ${f.code}: ${f.message}`);
  return lines.join('\n');
}
