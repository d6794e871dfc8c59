/**
 * A DICOM UID under the `2.25` arc (ISO/IEC 9834-8: the decimal value of a 128-bit UUID) made from
 * 16 bytes. The version nibble is set to 8 and the variant bits to `10` (RFC 9562 UUIDv8), so the
 * same bytes always give the same, valid UID of at most 44 characters. Callers pass random bytes
 * (fresh UIDs) or a keyed hash (deterministic pseudonymous UIDs, see `deidentify.ts`).
 */
export function uidFromBytes(bytes: Uint8Array): string {
  if (bytes.length < 16) throw new RangeError('uidFromBytes needs 16 bytes');
  const b = bytes.slice(0, 16);
  b[6] = ((b[6] as number) & 0x0f) | 0x80;
  b[8] = ((b[8] as number) & 0x3f) | 0x80;
  let v = 0n;
  for (const x of b) v = (v << 8n) | BigInt(x);
  return `2.25.${v.toString(10)}`;
}

/** True for a syntactically valid UID (PS3.5 §9.1: digits and dots, no leading zeros, ≤ 64 chars). */
export function isValidUid(uid: string): boolean {
  return uid.length > 0 && uid.length <= 64 && /^(0|[1-9][0-9]*)(\.(0|[1-9][0-9]*))*$/.test(uid);
}
