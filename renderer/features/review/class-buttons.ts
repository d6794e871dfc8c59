import { h } from '../../ui/h.ts';
import { CLASS_NAMES, type LabelSet, type LabelSetSwitch } from './label-set.ts';
import { selectClass } from './select-class.ts';

/** The two paint class buttons (swatch and name); a click selects the class for the label set being edited. */
export function classButtons(labelSet: LabelSetSwitch | undefined): { classNames: HTMLSpanElement[]; classButtons: HTMLButtonElement[] } {
  const classNames = ([1, 2] as const).map((c) => h('span', {}, c === 1 ? 'GGO' : 'High opacity'));
  const classButtons = ([1, 2] as const).map((c) => {
    const b = h(
      'button',
      {
        class: `btn class-btn class-${c}`,
        'data-testid': `class-${c === 1 ? 'ggo' : 'high'}`,
        title: c === 1 ? 'Ground-glass opacity (Q)' : 'High opacity: consolidation + effusion (W)',
      },
      h('span', { class: `swatch ${c === 1 ? 'ggo' : 'high'}` }),
      classNames[c - 1],
    );
    b.addEventListener('click', () => selectClass(c, labelSet?.store.get() ?? 'lesion'));
    return b;
  });
  return { classNames, classButtons };
}

/** Renames the class buttons for the label set (lesions: GGO / high opacity; lungs: right / left) and recolours their swatches. */
export function relabelClassButtons(
  set: LabelSet,
  classNames: readonly HTMLSpanElement[],
  classButtons: readonly HTMLButtonElement[],
): void {
  CLASS_NAMES[set].forEach((name, i) => {
    classNames[i]!.textContent = name;
  });
  classButtons.forEach((b, i) => {
    const sw = b.querySelector('.swatch');
    if (sw) sw.className = `swatch ${set === 'lung' ? (i === 0 ? 'lung-right' : 'lung-left') : i === 0 ? 'ggo' : 'high'}`;
  });
  classButtons.forEach((b, i) => {
    b.title =
      set === 'lung'
        ? `${CLASS_NAMES.lung[i]!} label (${i === 0 ? 'Q' : 'W'})`
        : i === 0
          ? 'Ground-glass opacity (Q)'
          : 'High opacity: consolidation + effusion (W)';
  });
}
