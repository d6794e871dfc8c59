import type { ModelInfo } from '../../../shared/contracts/workstation.ts';
import { workstationApi } from '../../app/api.ts';
import { h, replaceChildren } from '../../ui/h.ts';
import { errorMessage, toast } from '../../ui/toast.ts';

/**
 * The lesion model used by "Run AI": switching keeps every earlier label version (each records its
 * model). The installed models are listed at once; `fill` shows a new list (the models panel calls
 * it after installing or retraining).
 */
export function lesionModelSelect(): { readonly element: HTMLSelectElement; readonly fill: (models: readonly ModelInfo[]) => void } {
  const modelSelect = h('select', {
    class: 'input',
    'aria-label': 'Lesion model used by Run AI',
    'data-testid': 'model-select',
    title: 'Lesion model used by Run AI',
  });
  const fillModels = (models: readonly ModelInfo[]): void => {
    replaceChildren(
      modelSelect,
      ...(models.length === 0
        ? [h('option', { value: '' }, 'No lesion model installed')]
        : models.map((m) => {
            const dice = m.metrics['medseg_val_dice_lesion'];
            const o = h(
              'option',
              { value: `${m.name}\u0000${m.version}` },
              `${m.name} ${m.version}${typeof dice === 'number' ? ` (val. lesion Dice ${dice.toFixed(2)})` : ''}`,
            );
            o.selected = m.active;
            return o;
          })),
    );
    modelSelect.disabled = models.length === 0;
  };
  modelSelect.addEventListener('change', () => {
    const [name, version] = modelSelect.value.split('\u0000');
    if (!name || !version) return;
    workstationApi()
      .models.setActive(name, version)
      .then((models) => {
        fillModels(models);
        toast(`Run AI now uses ${name} ${version}; earlier label versions are kept`);
      })
      .catch((e: unknown) => toast(errorMessage(e), 'error'));
  });
  void workstationApi()
    .models.list()
    .then(fillModels)
    .catch((e: unknown) => toast(errorMessage(e), 'error'));
  return { element: modelSelect, fill: fillModels };
}
