/**
 * A dcmjs "naturalized" dataset: attribute keywords → values (numbers for numeric VRs, strings for
 * text VRs, arrays when multi-valued, arrays of datasets for sequences).
 */
export type NaturalDataset = Readonly<Record<string, unknown>>;

function first(v: unknown): unknown {
  return Array.isArray(v) ? v[0] : v;
}

/** First value of a text attribute, trimmed; `''` when absent or empty. Person names give their alphabetic form. */
export function textValue(ds: NaturalDataset, keyword: string): string {
  const v = first(ds[keyword]);
  if (v === undefined || v === null) return '';
  if (typeof v === 'string') return v.trim();
  if (typeof v === 'number') return String(v);
  if (typeof v === 'object' && 'Alphabetic' in v) return typeof v.Alphabetic === 'string' ? v.Alphabetic.trim() : '';
  return '';
}

/** All values of a text attribute (multi-valued strings such as ImageType), trimmed and upper-cased as stored. */
export function textValues(ds: NaturalDataset, keyword: string): string[] {
  const v = ds[keyword];
  if (v === undefined || v === null) return [];
  const arr = Array.isArray(v) ? v : [v];
  return arr.filter((x): x is string | number => typeof x === 'string' || typeof x === 'number').map((x) => String(x).trim());
}

/** First value of a numeric attribute (DS, IS, US, SS, FL, FD, …), or `null` when absent or not finite. */
export function numberValue(ds: NaturalDataset, keyword: string): number | null {
  const v = first(ds[keyword]);
  const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN;
  return Number.isFinite(n) ? n : null;
}

/** All values of a numeric attribute when there are exactly `count` finite ones, else `null`. */
export function numberValues(ds: NaturalDataset, keyword: string, count: number): number[] | null {
  const v = ds[keyword];
  if (v === undefined || v === null) return null;
  const arr = (Array.isArray(v) ? v : [v]).map((x) =>
    typeof x === 'number' ? x : typeof x === 'string' && x.trim() !== '' ? Number(x) : NaN,
  );
  if (arr.length !== count || arr.some((x) => !Number.isFinite(x))) return null;
  return arr;
}

/** Items of a sequence attribute (empty when absent). */
export function sequenceItems(ds: NaturalDataset, keyword: string): NaturalDataset[] {
  const v = ds[keyword];
  if (!Array.isArray(v)) return v !== null && typeof v === 'object' && !ArrayBuffer.isView(v) ? [v as NaturalDataset] : [];
  return v.filter((x): x is NaturalDataset => x !== null && typeof x === 'object' && !Array.isArray(x));
}
