import { createStore, type Store } from '../../app/store.ts';
import { h } from '../../ui/h.ts';

/**
 * The label set the review screen's tools edit: the lesion labels (1 GGO, 2 high opacity) or the
 * lung mask, the burden's denominator (1 right lung, 2 left lung). Each set has its own edit
 * session (undo/redo) and is saved as its own version.
 */
export type LabelSet = 'lesion' | 'lung';

/** Names of the two paint classes (label values 1 and 2) of each label set. */
export const CLASS_NAMES: Record<LabelSet, readonly [string, string]> = {
  lesion: ['GGO', 'High opacity'],
  lung: ['Right lung', 'Left lung'],
};

/**
 * HU window of the HU brush and fill while the lung mask is edited: aerated lung parenchyma
 * (dense lung, consolidation or effusion, is painted with the plain brush or a widened window).
 */
export const LUNG_HU_RANGE: readonly [number, number] = [-1000, -300];

/** The switch of the edited label set shown at the top of the tools panel. */
export interface LabelSetSwitch {
  readonly store: Store<LabelSet>;
  /** False without a lung mask (no AI run yet): only lesions can be edited. */
  readonly lungAvailable: boolean;
}

export function createLabelSetSwitch(lungAvailable: boolean): LabelSetSwitch {
  return { store: createStore<LabelSet>('lesion'), lungAvailable };
}

/** Two toggle buttons, "Lesions" / "Lungs", bound to the switch's store. */
export function labelSetButtons(sw: LabelSetSwitch): HTMLElement {
  const mk = (set: LabelSet, label: string, title: string): HTMLButtonElement => {
    const b = h('button', { class: 'btn btn-small', 'data-testid': `edit-set-${set}`, 'aria-pressed': 'false', title }, label);
    b.addEventListener('click', () => sw.store.set(set));
    return b;
  };
  const lesion = mk('lesion', 'Lesions', 'Edit the lesion labels (GGO, high opacity): the burden numerator');
  const lung = mk(
    'lung',
    'Lungs',
    sw.lungAvailable
      ? 'Edit the lung mask (right, left): the burden denominator; saved as a new lung version'
      : 'No lung mask yet: run the AI first',
  );
  lung.disabled = !sw.lungAvailable;
  const sync = (s: LabelSet): void => {
    for (const [b, set] of [
      [lesion, 'lesion'],
      [lung, 'lung'],
    ] as const) {
      b.classList.toggle('active', s === set);
      b.setAttribute('aria-pressed', String(s === set));
    }
  };
  sw.store.subscribe(sync);
  sync(sw.store.get());
  return h('div', { class: 'field', 'data-testid': 'edit-set' }, h('label', {}, 'Editing'), h('div', { class: 'btn-row' }, lesion, lung));
}
