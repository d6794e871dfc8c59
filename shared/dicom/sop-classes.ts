/** SOP classes whose pixel data the importer turns into CT volumes. */
export const CT_IMAGE_SOP_CLASSES: ReadonlySet<string> = new Set([
  '1.2.840.10008.5.1.4.1.1.2', // CT Image Storage
  '1.2.840.10008.5.1.4.1.1.2.1', // Enhanced CT Image Storage
  '1.2.840.10008.5.1.4.1.1.2.2', // Legacy Converted Enhanced CT Image Storage
]);

/** Media Storage Directory (DICOMDIR): an index of a file set, not an image. */
export const MEDIA_STORAGE_DIRECTORY = '1.2.840.10008.1.3.10';

const NAMES: Readonly<Record<string, string>> = {
  '1.2.840.10008.5.1.4.1.1.2': 'CT Image',
  '1.2.840.10008.5.1.4.1.1.2.1': 'Enhanced CT Image',
  '1.2.840.10008.5.1.4.1.1.2.2': 'Legacy Converted Enhanced CT Image',
  '1.2.840.10008.5.1.4.1.1.4': 'MR Image',
  '1.2.840.10008.5.1.4.1.1.4.1': 'Enhanced MR Image',
  '1.2.840.10008.5.1.4.1.1.128': 'PET Image',
  '1.2.840.10008.5.1.4.1.1.1': 'Computed Radiography Image',
  '1.2.840.10008.5.1.4.1.1.1.1': 'Digital X-Ray Image',
  '1.2.840.10008.5.1.4.1.1.7': 'Secondary Capture Image',
  '1.2.840.10008.5.1.4.1.1.66': 'Raw Data',
  '1.2.840.10008.5.1.4.1.1.66.1': 'Spatial Registration',
  '1.2.840.10008.5.1.4.1.1.66.4': 'Segmentation (SEG)',
  '1.2.840.10008.5.1.4.1.1.67': 'Real World Value Mapping',
  '1.2.840.10008.5.1.4.1.1.11.1': 'Grayscale Softcopy Presentation State (PR)',
  '1.2.840.10008.5.1.4.1.1.88.11': 'Basic Text SR',
  '1.2.840.10008.5.1.4.1.1.88.22': 'Enhanced SR',
  '1.2.840.10008.5.1.4.1.1.88.33': 'Comprehensive SR',
  '1.2.840.10008.5.1.4.1.1.88.34': 'Comprehensive 3D SR',
  '1.2.840.10008.5.1.4.1.1.88.67': 'X-Ray Radiation Dose SR',
  '1.2.840.10008.5.1.4.1.1.481.1': 'RT Image',
  '1.2.840.10008.5.1.4.1.1.481.2': 'RT Dose',
  '1.2.840.10008.5.1.4.1.1.481.3': 'RT Structure Set (RTSTRUCT)',
  '1.2.840.10008.5.1.4.1.1.481.5': 'RT Plan',
  '1.2.840.10008.5.1.4.1.1.104.1': 'Encapsulated PDF',
  '1.2.840.10008.1.3.10': 'Media Storage Directory (DICOMDIR)',
};

/** Human-readable name of a SOP class UID ("unknown SOP class <uid>" when not in the table). */
export function sopClassName(uid: string): string {
  return NAMES[uid] ?? (uid ? `SOP class ${uid}` : 'empty SOP class');
}
