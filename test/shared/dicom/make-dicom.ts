import dcmjs from 'dcmjs';

/** Attributes of a synthetic CT file (keyword → value, as dcmjs naturalizes them). */
export type Attributes = Record<string, unknown>;

let uidCounter = 0;
/** A fresh, valid-looking UID under a test root. */
export const uid = (): string => `1.2.826.0.1.3680043.8.498.9${++uidCounter}`;

/**
 * Writes a small Part-10 CT Image (explicit VR little endian, signed 16-bit) with dcmjs. `pixels`
 * are the stored values, row-major; `attrs` override or add attributes (set one to `undefined` to
 * drop it). `transferSyntaxUid` and `encapsulatedFrames` allow encapsulated test files.
 */
export function makeCtDicom(
  pixels: Int16Array | Uint16Array,
  rows: number,
  columns: number,
  attrs: Attributes = {},
  opts: { transferSyntaxUid?: string; encapsulatedFrames?: ArrayBuffer[] } = {},
): Uint8Array {
  const sop = (attrs['SOPInstanceUID'] as string | undefined) ?? uid();
  const sopClass = (attrs['SOPClassUID'] as string | undefined) ?? '1.2.840.10008.5.1.4.1.1.2';
  const ts = opts.transferSyntaxUid ?? '1.2.840.10008.1.2.1';
  const meta = {
    FileMetaInformationVersion: new Uint8Array([0, 1]).buffer,
    MediaStorageSOPClassUID: sopClass,
    MediaStorageSOPInstanceUID: sop,
    TransferSyntaxUID: ts,
    ImplementationClassUID: '1.2.826.0.1.3680043.8.498.1',
  };
  const ds: Attributes = {
    SOPClassUID: sopClass,
    SOPInstanceUID: sop,
    Modality: 'CT',
    StudyInstanceUID: '1.2.826.0.1.3680043.8.498.7',
    SeriesInstanceUID: '1.2.826.0.1.3680043.8.498.8',
    FrameOfReferenceUID: '1.2.826.0.1.3680043.8.498.6',
    ImageType: ['ORIGINAL', 'PRIMARY', 'AXIAL'],
    Rows: rows,
    Columns: columns,
    BitsAllocated: 16,
    BitsStored: 16,
    HighBit: 15,
    PixelRepresentation: pixels instanceof Int16Array ? 1 : 0,
    SamplesPerPixel: 1,
    PhotometricInterpretation: 'MONOCHROME2',
    ImagePositionPatient: [0, 0, 0],
    ImageOrientationPatient: [1, 0, 0, 0, 1, 0],
    PixelSpacing: [0.5, 0.75],
    SliceThickness: 2,
    RescaleSlope: 1,
    RescaleIntercept: 0,
    ...attrs,
    PixelData: opts.encapsulatedFrames ?? pixels.slice().buffer,
    _vrMap: { PixelData: opts.encapsulatedFrames ? 'OB' : 'OW' },
  };
  const defined = Object.fromEntries(Object.entries(ds).filter(([, v]) => v !== undefined));
  const dict = new dcmjs.data.DicomDict(dcmjs.data.DicomMetaDictionary.denaturalizeDataset(meta));
  dict.dict = dcmjs.data.DicomMetaDictionary.denaturalizeDataset(defined);
  return new Uint8Array(dict.write(opts.encapsulatedFrames ? { fragmentMultiframe: false } : {}));
}

/** A `rows × columns` image whose stored value at (col, row) is `base + 10·row + col`. */
export function ramp(rows: number, columns: number, base = 0): Int16Array {
  const a = new Int16Array(rows * columns);
  for (let r = 0; r < rows; r++) for (let c = 0; c < columns; c++) a[r * columns + c] = base + 10 * r + c;
  return a;
}
