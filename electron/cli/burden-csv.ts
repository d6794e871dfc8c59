/** Flattens burden records (nested objects → dotted columns) into CSV with a header row. */
export function burdenCsv(records: readonly Record<string, unknown>[]): string {
  const flat = records.map((r) => flatten(r));
  const cols: string[] = [];
  for (const f of flat) for (const k of Object.keys(f)) if (!cols.includes(k)) cols.push(k);
  const cell = (v: unknown): string => {
    const s = v === null || v === undefined ? '' : String(v);
    return /[",\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
  };
  return [cols.join(','), ...flat.map((f) => cols.map((c) => cell(f[c])).join(','))].join('\n') + '\n';
}

function flatten(o: Record<string, unknown>, prefix = ''): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(o)) {
    const key = prefix ? `${prefix}.${k}` : k;
    if (v !== null && typeof v === 'object' && !Array.isArray(v)) Object.assign(out, flatten(v as Record<string, unknown>, key));
    else out[key] = v;
  }
  return out;
}
