import { basename } from 'node:path';
import { decideStoredOrientation, type OrientationDecision } from '../../shared/imaging/orientation-decision.ts';
import { estimateStoredOrientation, orientationName, type StoredOrientation } from '../../shared/imaging/slice-orientation.ts';
import type { Volume } from '../../shared/domain/volume.ts';
import { findOrientNetBundle, OrientNetSession } from '../services/orientation/orient-net-session.ts';

/**
 * Stored-orientation estimation for `segment` on 8-bit images: the learned classifier
 * (`models/orientation/orientnet`) when its bundle is present, cross-checked by the heuristic
 * (`estimateStoredOrientation`), which also decides left–right and is the fallback without a
 * bundle. Logs what it decided for every image that is not upright and every QC note (classifier
 * and heuristic disagree, classifier not confident); {@link summary} says who decided and counts them.
 */
export class SegmentOrienter {
  private nImages = 0;
  private nDisagree = 0;
  private readonly notes: string[] = [];

  private constructor(
    private readonly session: OrientNetSession | null,
    private readonly log: (msg: string) => void,
    private readonly fixed: StoredOrientation | null,
    /** Why the heuristic decides alone (no session), for the summary line. */
    private readonly why = 'no orientation classifier bundle',
  ) {}

  /**
   * @param o.fixed an orientation given by the user (`--orientation`): used for every image, nothing estimated.
   * @param o.bundleDir the classifier bundle folder (default: the app's, unless `$LUNG_BURDEN_ORIENTATION_CLASSIFIER`
   *   is `off`); `null`: the heuristic alone.
   */
  static async open(o: {
    readonly fixed: StoredOrientation | null;
    readonly bundleDir: string | null | undefined;
    readonly log: (msg: string) => void;
    readonly threads?: number;
  }): Promise<SegmentOrienter> {
    const off = o.bundleDir === null || (o.bundleDir === undefined && process.env['LUNG_BURDEN_ORIENTATION_CLASSIFIER'] === 'off');
    if (o.fixed || off) return new SegmentOrienter(null, o.log, o.fixed, 'orientation classifier switched off');
    const bundle = await findOrientNetBundle(...(o.bundleDir === undefined ? [] : [o.bundleDir]));
    return new SegmentOrienter(bundle ? await OrientNetSession.open(bundle, o.threads) : null, o.log, null);
  }

  /** The stored orientation of one image (`volume`: its HU, one slice): the fixed one, or decided and logged. */
  async decide(file: string, volume: Volume): Promise<StoredOrientation> {
    return this.fixed ?? (await this.estimate(file, volume)).orientation;
  }

  /** Classifier + heuristic decision for one image, logged (see the class comment). */
  async estimate(file: string, volume: Volume): Promise<OrientationDecision> {
    const [cols, rows] = volume.size;
    const est = estimateStoredOrientation(volume.data, cols, rows);
    const probs = this.session ? (await this.session.classify([volume]))[0]! : null;
    const d = decideStoredOrientation(volume.data, cols, rows, est, probs);
    this.nImages++;
    if (d.agree === false) this.nDisagree++;
    const o = d.orientation;
    if (o.transposed || o.upsideDown || o.mirrored || d.agree === false) {
      const sc = est.scores;
      const by =
        d.source === 'classifier'
          ? `classifier p ${(d.probability ?? 0).toFixed(2)}, heuristic ${orientationName(d.heuristic)}`
          : `heuristic scores: display ${sc.display.toFixed(2)}, anterior up ${sc.anteriorUp.toFixed(2)}`;
      this.log(
        `segment: ${basename(file)}: ${orientationName(o)} orientation (${by}, patient left on right ${d.leftRightScore.toFixed(2)})`,
      );
    }
    if (d.qcNote) {
      this.notes.push(`${basename(file)}: ${d.qcNote}`);
      this.log(`segment: QC: ${basename(file)}: ${d.qcNote}`);
    }
    return d;
  }

  /** One line for `segment`'s summary: who decided, disagreements, QC notes. */
  summary(): string {
    if (!this.session) return `orientation by the heuristic alone (${this.why})`;
    const qc = this.notes.length ? `; QC: ${this.notes.length} uncertain orientation(s), see the lines above` : '';
    return `orientation by ${this.session.label}, heuristic disagreed on ${this.nDisagree} of ${this.nImages}${qc}`;
  }

  async dispose(): Promise<void> {
    await this.session?.release();
  }
}
