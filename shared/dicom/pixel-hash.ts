/**
 * A 64-bit content hash (two FNV-1a 32-bit lanes with different offsets, as 16 hex digits) of a
 * decoded slice's HU values. It tells "the same pixels" from "other pixels" when files share a SOP
 * Instance UID (see `dicom-import-session.ts`) and seeds the stable UIDs derived for such slices;
 * it is not a cryptographic digest.
 */
export function pixelHash(hu: Int16Array): string {
  let a = 0x811c9dc5;
  let b = 0x01000193 ^ hu.length;
  for (let i = 0; i < hu.length; i++) {
    const v = (hu[i] as number) & 0xffff;
    a = Math.imul(a ^ (v & 0xff), 0x01000193);
    a = Math.imul(a ^ (v >>> 8), 0x01000193);
    b = Math.imul(b ^ v, 0x01000193) ^ (b >>> 15);
  }
  return (a >>> 0).toString(16).padStart(8, '0') + (b >>> 0).toString(16).padStart(8, '0');
}
