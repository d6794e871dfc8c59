/** Transfer syntax UIDs the importer knows (DICOM PS3.5 §10, PS3.6 Annex A). */
export const TransferSyntax = {
  implicitLittle: '1.2.840.10008.1.2',
  explicitLittle: '1.2.840.10008.1.2.1',
  deflatedExplicitLittle: '1.2.840.10008.1.2.1.99',
  explicitBig: '1.2.840.10008.1.2.2',
  jpegBaseline: '1.2.840.10008.1.2.4.50',
  jpegExtended: '1.2.840.10008.1.2.4.51',
  jpegSpectralSelection: '1.2.840.10008.1.2.4.53',
  jpegFullProgression: '1.2.840.10008.1.2.4.55',
  jpegLossless: '1.2.840.10008.1.2.4.57',
  jpegLosslessSv1: '1.2.840.10008.1.2.4.70',
  jpegLsLossless: '1.2.840.10008.1.2.4.80',
  jpegLsNearLossless: '1.2.840.10008.1.2.4.81',
  jpeg2000Lossless: '1.2.840.10008.1.2.4.90',
  jpeg2000: '1.2.840.10008.1.2.4.91',
  rleLossless: '1.2.840.10008.1.2.5',
} as const;

/** The family of codec a transfer syntax needs. */
export type CodecFamily = 'native' | 'rle' | 'jpeg-dct' | 'jpeg-lossless' | 'jpeg-ls' | 'jpeg-2000';

/** What the importer needs to know about one transfer syntax. */
export interface TransferSyntaxInfo {
  readonly uid: string;
  readonly name: string;
  /** Pixel data stored as a sequence of fragments (compressed) rather than one native value. */
  readonly encapsulated: boolean;
  /** Lossy compression: decoded values differ from the original (compare with a tolerance). */
  readonly lossy: boolean;
  readonly family: CodecFamily;
  /** Native pixel bytes are big endian (only explicit VR big endian). */
  readonly bigEndian: boolean;
}

const TABLE: readonly TransferSyntaxInfo[] = [
  {
    uid: TransferSyntax.implicitLittle,
    name: 'Implicit VR Little Endian',
    encapsulated: false,
    lossy: false,
    family: 'native',
    bigEndian: false,
  },
  {
    uid: TransferSyntax.explicitLittle,
    name: 'Explicit VR Little Endian',
    encapsulated: false,
    lossy: false,
    family: 'native',
    bigEndian: false,
  },
  {
    uid: TransferSyntax.deflatedExplicitLittle,
    name: 'Deflated Explicit VR Little Endian',
    encapsulated: false,
    lossy: false,
    family: 'native',
    bigEndian: false,
  },
  {
    uid: TransferSyntax.explicitBig,
    name: 'Explicit VR Big Endian (retired)',
    encapsulated: false,
    lossy: false,
    family: 'native',
    bigEndian: true,
  },
  {
    uid: TransferSyntax.jpegBaseline,
    name: 'JPEG Baseline (Process 1)',
    encapsulated: true,
    lossy: true,
    family: 'jpeg-dct',
    bigEndian: false,
  },
  {
    uid: TransferSyntax.jpegExtended,
    name: 'JPEG Extended (Process 2 & 4)',
    encapsulated: true,
    lossy: true,
    family: 'jpeg-dct',
    bigEndian: false,
  },
  {
    uid: TransferSyntax.jpegSpectralSelection,
    name: 'JPEG Spectral Selection (Process 6 & 8, retired)',
    encapsulated: true,
    lossy: true,
    family: 'jpeg-dct',
    bigEndian: false,
  },
  {
    uid: TransferSyntax.jpegFullProgression,
    name: 'JPEG Full Progression (Process 10 & 12, retired)',
    encapsulated: true,
    lossy: true,
    family: 'jpeg-dct',
    bigEndian: false,
  },
  {
    uid: TransferSyntax.jpegLossless,
    name: 'JPEG Lossless (Process 14)',
    encapsulated: true,
    lossy: false,
    family: 'jpeg-lossless',
    bigEndian: false,
  },
  {
    uid: TransferSyntax.jpegLosslessSv1,
    name: 'JPEG Lossless SV1 (Process 14, Selection Value 1)',
    encapsulated: true,
    lossy: false,
    family: 'jpeg-lossless',
    bigEndian: false,
  },
  {
    uid: TransferSyntax.jpegLsLossless,
    name: 'JPEG-LS Lossless',
    encapsulated: true,
    lossy: false,
    family: 'jpeg-ls',
    bigEndian: false,
  },
  {
    uid: TransferSyntax.jpegLsNearLossless,
    name: 'JPEG-LS Near-Lossless',
    encapsulated: true,
    lossy: true,
    family: 'jpeg-ls',
    bigEndian: false,
  },
  {
    uid: TransferSyntax.jpeg2000Lossless,
    name: 'JPEG 2000 Lossless',
    encapsulated: true,
    lossy: false,
    family: 'jpeg-2000',
    bigEndian: false,
  },
  {
    uid: TransferSyntax.jpeg2000,
    name: 'JPEG 2000',
    encapsulated: true,
    lossy: true,
    family: 'jpeg-2000',
    bigEndian: false,
  },
  {
    uid: TransferSyntax.rleLossless,
    name: 'RLE Lossless',
    encapsulated: true,
    lossy: false,
    family: 'rle',
    bigEndian: false,
  },
];

const BY_UID = new Map(TABLE.map((t) => [t.uid, t]));

/** Facts about a transfer syntax UID, or `undefined` when the importer does not know it. */
export function transferSyntaxInfo(uid: string): TransferSyntaxInfo | undefined {
  return BY_UID.get(uid.trim());
}

/** Every transfer syntax the importer knows. */
export const KNOWN_TRANSFER_SYNTAXES: readonly TransferSyntaxInfo[] = TABLE;
