import type { CaseId } from '../../../shared/domain/ids.ts';
import { h } from '../../ui/h.ts';
import { worklistStore } from '../worklist/worklist-store.ts';
import { openPacsPanel } from './pacs-panel.ts';

/** The worklist toolbar's "PACS…" button: opens the PACS browser bound to the worklist's selection. */
export function pacsButton(refreshWorklist: () => Promise<void>): HTMLButtonElement {
  return h(
    'button',
    {
      class: 'btn',
      'data-testid': 'open-pacs',
      title: 'Search a PACS (DICOMweb), retrieve series into the worklist, send results back',
      onclick: () =>
        openPacsPanel({
          refreshWorklist,
          selectCase: (id) => worklistStore.update((s) => ({ ...s, selected: id })),
          selectedCase: () => {
            const s = worklistStore.get();
            const c = s.cases.find((x) => x.id === s.selected);
            return c ? { id: c.id, label: `#${c.id} ${c.patientId} ${c.seriesDescription}`.trim(), signed: c.status === 'signed' } : null;
          },
        }),
    },
    'PACS…',
  );
}

/**
 * The review bar's "Send to PACS…" button: the PACS panel with this case as the one to send
 * (`current` is read when the panel opens and when it sends, so a sign-off in between counts).
 */
export function reviewPacsButton(
  current: () => { readonly id: CaseId; readonly label: string; readonly signed: boolean },
): HTMLButtonElement {
  return h(
    'button',
    {
      class: 'btn',
      'data-testid': 'review-send-pacs',
      title: 'Send this case’s results (SEG + DICOM SR + PDF) to a PACS',
      onclick: () => openPacsPanel({ refreshWorklist: () => Promise.resolve(), selectCase: () => undefined, selectedCase: current }),
    },
    'Send to PACS…',
  );
}
