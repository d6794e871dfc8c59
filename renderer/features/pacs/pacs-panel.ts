import type { CaseId } from '../../../shared/domain/ids.ts';
import { workstationApi } from '../../app/api.ts';
import { h } from '../../ui/h.ts';
import { showPanel } from '../../ui/modal.ts';
import { errorMessage, toast } from '../../ui/toast.ts';
import { pacsNodeForm } from './pacs-node-form.ts';
import { pacsPushResults, type SelectedCase } from './pacs-push-results.ts';
import { pacsStudySearch } from './pacs-study-search.ts';

/** Callbacks into the worklist: reload it, select a case, and which case is selected now. */
export interface PacsPanelHost {
  readonly refreshWorklist: () => Promise<void>;
  readonly selectCase: (id: CaseId) => void;
  readonly selectedCase: () => SelectedCase;
}

/**
 * The PACS browser: configure DICOMweb nodes (URL, auth; the secret is write-only and either kept
 * encrypted by the OS or for this session only, as the panel says), search studies (QIDO-RS), list
 * a study's series, retrieve a series into the worklist (a job with progress and cancel; nothing
 * appears before the whole series is in), and send the selected case's results back (SEG + SR + PDF).
 */
export function openPacsPanel(host: PacsPanelHost): void {
  const api = workstationApi().pacs;
  let closed = false;
  const form = pacsNodeForm(api, (nodeId) => {
    search.searchButton.disabled = nodeId === '';
    push.pushButton.disabled = nodeId === '';
  });
  const search = pacsStudySearch(api, {
    nodeId: form.nodeId,
    refreshWorklist: host.refreshWorklist,
    selectCase: host.selectCase,
    retrieved: () => push.updateLabel(),
    closed: () => closed,
  });
  const push = pacsPushResults(api, form.nodeId, host.selectedCase);

  const content = h('div', { class: 'pacs-panel' }, h('h3', {}, 'DICOMweb nodes'), ...form.elements, ...search.elements, ...push.elements);
  showPanel('PACS', content, {
    extraWide: true,
    testId: 'pacs-panel',
    onClose: () => {
      closed = true;
    },
  });
  push.updateLabel();
  api
    .nodes()
    .then((list) => {
      if (!closed) form.fillNodes(list);
    })
    .catch((e: unknown) => toast(errorMessage(e), 'error'));
}
