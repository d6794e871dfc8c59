import type { Vec3 } from '../domain/volume.ts';
import { type NaturalDataset, numberValue, numberValues, sequenceItems, textValue, textValues } from './dataset-values.ts';
import { DicomError } from './dicom-error.ts';
import type { ParsedDicom } from './parse-dicom.ts';

/** How the pixels of every frame of one instance are laid out (Image Pixel module). */
export interface PixelLayout {
  readonly rows: number;
  readonly columns: number;
  readonly bitsAllocated: number;
  readonly bitsStored: number;
  /** 0 = unsigned, 1 = two's complement. */
  readonly pixelRepresentation: 0 | 1;
  readonly samplesPerPixel: number;
  readonly photometricInterpretation: string;
  readonly numberOfFrames: number;
}

/** Geometry and value mapping of one frame (a single-frame instance has one). */
export interface FrameHeader {
  /** 0-based index of the frame in its file. */
  readonly frameIndex: number;
  /** LPS position (mm) of the centre of the first transmitted pixel, or null when absent. */
  readonly positionLps: Vec3 | null;
  /** Row direction (towards increasing column index) then column direction, LPS unit vectors; null when absent. */
  readonly orientation: readonly [number, number, number, number, number, number] | null;
  /** PixelSpacing as in DICOM: [spacing between rows (mm), spacing between columns (mm)]; null when absent. */
  readonly pixelSpacingMm: readonly [number, number] | null;
  readonly sliceThicknessMm: number | null;
  readonly rescaleSlope: number;
  readonly rescaleIntercept: number;
  /** False when RescaleIntercept was absent or not a number (then taken as 0): a scan QC input. */
  readonly rescaleInterceptPresent: boolean;
  /** InstanceNumber for single-frame files, InStackPositionNumber (else frame number) for multi-frame. */
  readonly orderNumber: number | null;
}

/** Everything the importer needs from one DICOM instance, before its pixels are decoded. */
export interface InstanceHeader {
  readonly sopClassUid: string;
  readonly sopInstanceUid: string;
  readonly transferSyntaxUid: string;
  readonly modality: string;
  readonly imageType: readonly string[];
  readonly studyInstanceUid: string;
  readonly seriesInstanceUid: string;
  readonly frameOfReferenceUid: string;
  readonly acquisitionNumber: string;
  readonly spacingBetweenSlicesMm: number | null;
  /** Pixel Padding Value as a stored value (sign-corrected for signed data), or null. */
  readonly pixelPaddingValue: number | null;
  readonly pixelPaddingRangeLimit: number | null;
  readonly layout: PixelLayout | null;
  readonly frames: readonly FrameHeader[];
  /** The full attribute set (for series-level metadata). */
  readonly dataset: NaturalDataset;
}

const round = (x: number): number => Math.round(x * 1e6) / 1e6;

function vec3(ds: NaturalDataset, keyword: string): Vec3 | null {
  const v = numberValues(ds, keyword, 3);
  return v ? [v[0] as number, v[1] as number, v[2] as number] : null;
}

function orientation(ds: NaturalDataset): FrameHeader['orientation'] {
  const v = numberValues(ds, 'ImageOrientationPatient', 6);
  if (!v) return null;
  const [a, b, c, d, e, f] = v as [number, number, number, number, number, number];
  const nr = Math.hypot(a, b, c);
  const nc = Math.hypot(d, e, f);
  if (nr < 1e-6 || nc < 1e-6) return null;
  return [round(a / nr), round(b / nr), round(c / nr), round(d / nc), round(e / nc), round(f / nc)];
}

function spacing(ds: NaturalDataset): readonly [number, number] | null {
  const v = numberValues(ds, 'PixelSpacing', 2);
  if (!v || !(v[0]! > 0) || !(v[1]! > 0)) return null;
  return [v[0] as number, v[1] as number];
}

/** Value of a per-frame or shared functional group macro attribute (per-frame wins). */
function groupItem(perFrame: NaturalDataset | undefined, shared: NaturalDataset | undefined, macro: string): NaturalDataset | undefined {
  return (perFrame && sequenceItems(perFrame, macro)[0]) ?? (shared && sequenceItems(shared, macro)[0]);
}

function asSignedStored(v: number | null, layout: PixelLayout | null): number | null {
  if (v === null || !layout || layout.pixelRepresentation === 0) return v;
  // In implicit VR files the US/SS ambiguity of (0028,0120) is resolved as US by dcmjs.
  const bits = layout.bitsAllocated;
  return v >= 2 ** (bits - 1) && v < 2 ** bits ? v - 2 ** bits : v;
}

function readLayout(ds: NaturalDataset): PixelLayout | null {
  const rows = numberValue(ds, 'Rows');
  const columns = numberValue(ds, 'Columns');
  const bitsAllocated = numberValue(ds, 'BitsAllocated');
  if (rows === null || columns === null || bitsAllocated === null) return null;
  if (!(rows > 0 && columns > 0 && Number.isInteger(rows) && Number.isInteger(columns))) {
    throw new DicomError('malformed', `invalid image size ${rows}×${columns}`);
  }
  const bitsStored = numberValue(ds, 'BitsStored') ?? bitsAllocated;
  const frames = numberValue(ds, 'NumberOfFrames') ?? 1;
  return {
    rows,
    columns,
    bitsAllocated,
    bitsStored: bitsStored > 0 && bitsStored <= bitsAllocated ? bitsStored : bitsAllocated,
    pixelRepresentation: numberValue(ds, 'PixelRepresentation') === 1 ? 1 : 0,
    samplesPerPixel: numberValue(ds, 'SamplesPerPixel') ?? 1,
    photometricInterpretation: textValue(ds, 'PhotometricInterpretation').toUpperCase() || 'MONOCHROME2',
    numberOfFrames: Number.isInteger(frames) && frames >= 1 ? frames : 1,
  };
}

/**
 * Reads identification, pixel layout and per-frame geometry of one parsed instance. Classic
 * single-frame images use the top-level Image Plane attributes; Enhanced/Legacy-converted
 * multi-frame images use the Shared and Per-frame Functional Groups (Plane Position, Plane
 * Orientation, Pixel Measures, Pixel Value Transformation, Frame Content), per-frame winning.
 *
 * @throws DicomError `malformed` for impossible values (e.g. zero rows).
 */
export function readInstanceHeader(parsed: ParsedDicom): InstanceHeader {
  const ds = parsed.dataset;
  const layout = readLayout(ds);
  const shared = sequenceItems(ds, 'SharedFunctionalGroupsSequence')[0];
  const perFrameItems = sequenceItems(ds, 'PerFrameFunctionalGroupsSequence');
  const enhanced = shared !== undefined || perFrameItems.length > 0;
  const frames: FrameHeader[] = [];
  const nFrames = layout?.numberOfFrames ?? 1;
  const topThickness = numberValue(ds, 'SliceThickness');
  for (let f = 0; f < nFrames; f++) {
    if (!enhanced) {
      frames.push({
        frameIndex: f,
        positionLps: vec3(ds, 'ImagePositionPatient'),
        orientation: orientation(ds),
        pixelSpacingMm: spacing(ds),
        sliceThicknessMm: topThickness,
        rescaleSlope: numberValue(ds, 'RescaleSlope') || 1,
        rescaleIntercept: numberValue(ds, 'RescaleIntercept') ?? 0,
        rescaleInterceptPresent: numberValue(ds, 'RescaleIntercept') !== null,
        orderNumber: nFrames === 1 ? numberValue(ds, 'InstanceNumber') : f + 1,
      });
      continue;
    }
    const pf = perFrameItems[f];
    const pos = groupItem(pf, shared, 'PlanePositionSequence');
    const ori = groupItem(pf, shared, 'PlaneOrientationSequence');
    const meas = groupItem(pf, shared, 'PixelMeasuresSequence');
    const pvt = groupItem(pf, shared, 'PixelValueTransformationSequence');
    const content = pf ? sequenceItems(pf, 'FrameContentSequence')[0] : undefined;
    frames.push({
      frameIndex: f,
      positionLps: (pos && vec3(pos, 'ImagePositionPatient')) ?? vec3(ds, 'ImagePositionPatient'),
      orientation: (ori && orientation(ori)) ?? orientation(ds),
      pixelSpacingMm: (meas && spacing(meas)) ?? spacing(ds),
      sliceThicknessMm: (meas && numberValue(meas, 'SliceThickness')) ?? topThickness,
      rescaleSlope: (pvt && numberValue(pvt, 'RescaleSlope')) || numberValue(ds, 'RescaleSlope') || 1,
      rescaleIntercept: (pvt && numberValue(pvt, 'RescaleIntercept')) ?? numberValue(ds, 'RescaleIntercept') ?? 0,
      rescaleInterceptPresent: ((pvt && numberValue(pvt, 'RescaleIntercept')) ?? numberValue(ds, 'RescaleIntercept')) !== null,
      orderNumber: (content && numberValue(content, 'InStackPositionNumber')) ?? f + 1,
    });
  }
  return {
    sopClassUid: parsed.sopClassUid,
    sopInstanceUid: parsed.sopInstanceUid,
    transferSyntaxUid: parsed.transferSyntaxUid,
    modality: textValue(ds, 'Modality').toUpperCase(),
    imageType: [
      ...textValues(ds, 'ImageType'),
      ...(shared ? sequenceItems(shared, 'CTImageFrameTypeSequence').flatMap((it) => textValues(it, 'FrameType')) : []),
    ].map((s) => s.toUpperCase()),
    studyInstanceUid: textValue(ds, 'StudyInstanceUID'),
    seriesInstanceUid: textValue(ds, 'SeriesInstanceUID'),
    frameOfReferenceUid: textValue(ds, 'FrameOfReferenceUID'),
    acquisitionNumber: textValue(ds, 'AcquisitionNumber'),
    spacingBetweenSlicesMm: numberValue(ds, 'SpacingBetweenSlices'),
    pixelPaddingValue: asSignedStored(numberValue(ds, 'PixelPaddingValue'), layout),
    pixelPaddingRangeLimit: asSignedStored(numberValue(ds, 'PixelPaddingRangeLimit'), layout),
    layout,
    frames,
    dataset: ds,
  };
}
