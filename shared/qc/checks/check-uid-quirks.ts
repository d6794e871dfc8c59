import type { QcFlag, ScanQcInput } from '../qc-flag.ts';

const UID_CODES: Readonly<Record<string, string>> = {
  'non-unique-sop-uid': 'SOP Instance UIDs are shared by different slices',
  'empty-sop-uid': 'some SOP Instance UIDs are empty',
  'invalid-sop-uid': 'some SOP Instance UIDs are not valid DICOM UIDs',
  'invalid-series-uid': 'the Series Instance UID is empty or not a valid DICOM UID',
  'invalid-study-uid': 'the Study Instance UID is empty or not a valid DICOM UID',
};

/** Identifier quirks of the source files: the slices are kept, exports reference derived UIDs. */
export function checkUidQuirks(input: ScanQcInput): QcFlag[] {
  const flags: QcFlag[] = [];
  const found = Object.keys(UID_CODES).filter((c) => input.importIssues.some((i) => i.code === c));
  if (found.length > 0) {
    flags.push({
      code: 'uid-remapped',
      severity: 'info',
      message: `In the source files ${found.map((c) => UID_CODES[c]).join('; ')}: every slice was kept and stored under a derived UID; exports reference the derived UIDs and list the originals beside them.`,
    });
  }
  if (input.sourceKind === 'dicom' && input.frameOfReferenceMissing === true) {
    flags.push({
      code: 'no-frame-of-reference',
      severity: 'info',
      message:
        'The files have no FrameOfReferenceUID: exported segmentations get a new frame of reference and must be matched to the CT by their references, not by position.',
    });
  }
  return flags;
}
