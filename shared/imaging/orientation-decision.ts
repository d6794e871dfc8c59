import {
  orientationName,
  patientLeftOnRightScore,
  toUpright,
  type StoredOrientation,
  type StoredOrientationEstimate,
} from './slice-orientation.ts';

/**
 * The 4 classes of the learned orientation classifier (`models/orientation/orientnet`): stored
 * orientations up to left–right, index = 2·transposed + upside-down (the order of its
 * `metadata.json` classes). `mirrored` is false in each: left–right is decided separately.
 */
export const ORIENTATION_CLASSES: readonly StoredOrientation[] = [0, 1, 2, 3].map((c) => ({
  transposed: (c & 2) !== 0,
  upsideDown: (c & 1) !== 0,
  mirrored: false,
}));

/**
 * Class probability at or above which the classifier counts as confident. Fixed before the
 * classifier was evaluated (its MODEL_CARD.md); below it, a disagreement with the heuristic is
 * reported as a QC note.
 */
export const ORIENTATION_CONFIDENT_PROBABILITY = 0.8;

/** How `segment` settled the stored orientation of one 8-bit image. */
export interface OrientationDecision {
  /** What the image is segmented as (it is brought upright by undoing this). */
  readonly orientation: StoredOrientation;
  /** Who decided transposed / upside-down: the classifier, or the heuristic when there is none. */
  readonly source: 'classifier' | 'heuristic';
  /** The heuristic's own estimate (all three axes). */
  readonly heuristic: StoredOrientation;
  /** The classifier's probability of its chosen class (null without a classifier). */
  readonly probability: number | null;
  /** Classifier and heuristic agree up to left–right (null without a classifier). */
  readonly agree: boolean | null;
  /** Set when they disagree and the classifier is not confident: what a reader should check. */
  readonly qcNote: string | null;
  /** The heart-side score behind `orientation.mirrored`, on the image made anterior-up by the decision (positive → not mirrored). */
  readonly leftRightScore: number;
}

/**
 * Combines the classifier's 4 class probabilities (or null: no classifier) with the heuristic
 * estimate of one slice `hu[col + row * cols]` (HU of the 8-bit image, `Int16Array`). The classifier,
 * when present, decides transposed and upside-down (argmax); left–right is then the heuristic's
 * heart-side score on the image made anterior-up by that decision (positive → not mirrored). A
 * disagreement up to left–right with a classifier below {@link ORIENTATION_CONFIDENT_PROBABILITY}
 * yields a QC note; the classifier's answer is still the one used (it is the more accurate on the
 * validation sets of its model card).
 */
export function decideStoredOrientation(
  hu: Int16Array,
  cols: number,
  rows: number,
  heuristic: StoredOrientationEstimate,
  probabilities: ArrayLike<number> | null,
): OrientationDecision {
  const h = heuristic.orientation;
  if (!probabilities)
    return {
      orientation: h,
      source: 'heuristic',
      heuristic: h,
      probability: null,
      agree: null,
      qcNote: null,
      leftRightScore: heuristic.scores.patientLeftOnRight,
    };
  if (probabilities.length !== ORIENTATION_CLASSES.length)
    throw new RangeError(`orientation classifier: ${probabilities.length} probabilities, expected ${ORIENTATION_CLASSES.length}`);
  let best = 0;
  for (let c = 1; c < probabilities.length; c++) if (probabilities[c]! > probabilities[best]!) best = c;
  const p = probabilities[best]!;
  const cls = ORIENTATION_CLASSES[best]!;
  const up = toUpright(hu, cols, rows, cls);
  const leftRightScore = patientLeftOnRightScore(up.data, up.cols, up.rows);
  const orientation: StoredOrientation = { ...cls, mirrored: leftRightScore < 0 };
  const agree = cls.transposed === h.transposed && cls.upsideDown === h.upsideDown;
  const qcNote =
    agree || p >= ORIENTATION_CONFIDENT_PROBABILITY
      ? null
      : `orientation uncertain: classifier ${orientationName(cls)} (p ${p.toFixed(2)}) vs heuristic ${orientationName({ ...h, mirrored: false })}; ` +
        `segmented as ${orientationName(cls)}; check the output or pass --orientation`;
  return { orientation, source: 'classifier', heuristic: h, probability: p, agree, qcNote, leftRightScore };
}
