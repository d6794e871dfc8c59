import type { CaseId } from '../../../shared/domain/ids.ts';
import type { WorkstationApi } from '../../app/api.ts';
import { h } from '../../ui/h.ts';
import { errorMessage, toast } from '../../ui/toast.ts';

/** The case selected in the worklist, as the push part shows it. */
export type SelectedCase = { readonly id: CaseId; readonly label: string; readonly signed: boolean } | null;

/** The push part of the PACS panel: its elements, its button (enabled with a node) and its label. */
export interface PacsPushResults {
  readonly elements: readonly HTMLElement[];
  readonly pushButton: HTMLButtonElement;
  /** Shows which case would be sent (the worklist's selection changes under the panel). */
  readonly updateLabel: () => void;
}

/**
 * Send the selected case's results to a DICOMweb node (SEG + DICOM SR + PDF, STOW-RS): the signed
 * version, or with "preliminary" the latest unsigned one (SR unverified/partial).
 */
export function pacsPushResults(api: WorkstationApi['pacs'], nodeId: () => string, selectedCase: () => SelectedCase): PacsPushResults {
  const pushTarget = h('span', { class: 'strong', 'data-testid': 'pacs-push-case' });
  const preliminary = h('input', { type: 'checkbox', 'data-testid': 'pacs-push-preliminary' });
  const pushBtn = h('button', { class: 'btn', 'data-testid': 'pacs-push' }, 'Send results to PACS');
  const pushStatus = h('p', { class: 'muted small', 'data-testid': 'pacs-push-status' });
  const updatePushLabel = (): void => {
    const c = selectedCase();
    pushTarget.textContent = c ? `${c.label}${c.signed ? ' (signed)' : ' (not signed)'}` : 'no case selected in the worklist';
  };
  pushBtn.addEventListener('click', () => {
    const c = selectedCase();
    if (!c) {
      toast('Select a case in the worklist first', 'error');
      return;
    }
    pushBtn.disabled = true;
    api
      .pushResults(nodeId(), c.id, { preliminary: preliminary.checked })
      .then((r) => {
        const what = `${r.stored.map((s) => s.kind.toUpperCase()).join(' + ')} of version ${r.labelVersion} (${r.state})`;
        pushStatus.textContent = `Case #${r.caseId}: stored ${what} at ${new Date().toLocaleTimeString()}. SR ${r.stored.find((s) => s.kind === 'sr')?.sopInstanceUid ?? ''}`;
        toast(`Stored on the PACS: ${what}`);
      })
      .catch((e: unknown) => {
        pushStatus.textContent = `Send failed: ${errorMessage(e)}`;
        toast(`Send failed: ${errorMessage(e)}`, 'error');
      })
      .finally(() => {
        pushBtn.disabled = false;
      });
  });
  const elements = [
    h('h3', {}, 'Send results (SEG + DICOM SR + PDF, STOW-RS)'),
    h(
      'div',
      { class: 'toolbar-inline' },
      h('span', {}, 'Case: '),
      pushTarget,
      h(
        'label',
        { title: 'Send the latest unsigned version, marked preliminary (SR unverified/partial)' },
        preliminary,
        ' preliminary (unsigned)',
      ),
      pushBtn,
    ),
    pushStatus,
  ];
  return { elements, pushButton: pushBtn, updateLabel: updatePushLabel };
}
