import type { QcFlag, ScanQcInput } from '../qc-flag.ts';
import { CHEST_BODY_PARTS } from '../qc-thresholds.ts';

/** Modality and BodyPartExamined: the gate expects a CT of the chest. */
export function checkBodyPart(input: ScanQcInput): QcFlag[] {
  const flags: QcFlag[] = [];
  if (input.modality && input.modality.toUpperCase() !== 'CT') {
    flags.push({
      code: 'not-ct',
      severity: 'blocking',
      message: `The series is ${input.modality}, not CT: HU-based lung and lesion measures do not apply.`,
    });
  }
  const part = (input.acquisition?.bodyPartExamined ?? '').trim().toUpperCase();
  if (part && !CHEST_BODY_PARTS.includes(part)) {
    flags.push({
      code: 'body-part',
      severity: 'warning',
      message: `The scan is tagged as ${part} (BodyPartExamined), not chest: check it is the right series.`,
    });
  }
  return flags;
}
