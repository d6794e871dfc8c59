import type { VolumeGeometry } from '../domain/volume.ts';
import { InferenceError } from './inference-error.ts';

const AXIS_NAMES = ['i', 'j', 'k'] as const;
const LPS_NAMES = ['+x (left)', '+y (posterior)', '+z (superior)'] as const;

/**
 * Throws `InferenceError('invalid-input')` unless the volume is LPS-reoriented, i.e. the nearest
 * LPS axis of index axis i is +x, of j is +y and of k is +z (what `reorientToLps` of
 * `shared/imaging/geometry.ts` produces; small obliquity is accepted). The network reads rows as
 * anterior → posterior and columns as patient right → left (`model-metadata.ts`), so a flipped or
 * transposed slice would be segmented as a mirror image: it is refused, never guessed.
 */
export function checkLpsReoriented(geometry: Pick<VolumeGeometry, 'directionLps'>): void {
  const d = geometry.directionLps;
  for (let c = 0; c < 3; c++) {
    const col = [d[3 * c]!, d[3 * c + 1]!, d[3 * c + 2]!];
    let best = 0;
    for (let r = 1; r < 3; r++) if (Math.abs(col[r]!) > Math.abs(col[best]!)) best = r;
    if (best !== c || col[best]! <= 0) {
      throw new InferenceError(
        'invalid-input',
        `volume is not LPS-reoriented: index axis ${AXIS_NAMES[c]} points along [${col.map((v) => v.toFixed(3)).join(', ')}] ` +
          `instead of ${LPS_NAMES[c]}; call reorientToLps (shared/imaging/geometry.ts) before inference`,
      );
    }
  }
}
