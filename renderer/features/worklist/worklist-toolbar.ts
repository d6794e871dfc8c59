import { workstationApi } from '../../app/api.ts';
import { h } from '../../ui/h.ts';
import { errorMessage, toast } from '../../ui/toast.ts';
import { chooseFolderToImport, folderInput, uploadFolder, uploadJobView, type FolderFile } from '../imports/folder-upload.ts';
import { openModelsPanel } from '../models/models-panel.ts';
import { pacsButton } from '../pacs/pacs-button.ts';
import { qcFilterSelect } from '../qc/qc-worklist.ts';
import { readFilterSelect, readStudiesButton } from '../read-studies/read-worklist.ts';
import { importTrialButton, trialFilterInput } from '../trial/trial-worklist.ts';
import { lesionModelSelect } from './lesion-model-select.ts';
import { refreshWorklist } from './refresh-worklist.ts';
import { runImport } from './run-import.ts';
import { worklistStore } from './worklist-store.ts';

/** The worklist's toolbar and what the screen needs of it. */
export interface WorklistToolbar {
  readonly element: HTMLElement;
  /** "n of m cases". */
  readonly count: HTMLElement;
  /** Imports a picked or dropped folder (browser mode: uploaded, then imported). */
  readonly importFiles: (files: FolderFile[]) => void;
  /** Disables the import and sample buttons while an import runs. */
  readonly setImporting: (running: boolean) => void;
}

/**
 * The worklist toolbar: filters (text, QC, trial, reads), the lesion model of Run AI and the models
 * panel, read studies, PACS, import of a path or folder, the sample case, and Refresh.
 */
export function worklistToolbar(): WorklistToolbar {
  const filter = h('input', {
    class: 'input',
    type: 'search',
    placeholder: 'Filter (patient, date, series, status…)',
    'aria-label': 'Filter cases',
    'data-testid': 'worklist-filter',
  });
  filter.value = worklistStore.get().filter;
  filter.addEventListener('input', () => worklistStore.update((s) => ({ ...s, filter: filter.value })));
  const pathInput = h('input', {
    class: 'input input-path',
    type: 'text',
    placeholder: 'Path of a DICOM folder or file.nii.gz (empty: pick a folder)',
    'aria-label': 'Folder or file to import',
    'data-testid': 'import-path',
    spellcheck: 'false',
  });
  const importBtn = h(
    'button',
    { class: 'btn', 'data-testid': 'import-button', title: 'Import every series under this folder (DICOM) or a NIfTI file' },
    'Import folder…',
  );
  // Browser mode: the folder is uploaded (picked, or dropped on the worklist), then imported.
  const importFiles = (files: FolderFile[]): void =>
    void runImport(() => uploadFolder(files, (d, t, b) => worklistStore.update((s) => ({ ...s, importJob: uploadJobView(d, t, b) }))));
  const picker = folderInput(importFiles);
  const doImport = (): void => {
    const p = pathInput.value.trim();
    // No path typed: a native folder dialog (Electron) or the browser's folder picker.
    if (!p) {
      chooseFolderToImport(() => picker.click())
        .then((r) => (r.kind === 'started' ? runImport(async () => r.job) : undefined))
        .catch((e: unknown) => toast(`Import failed: ${errorMessage(e)}`, 'error'));
      return;
    }
    void runImport(() => workstationApi().jobs.importPath(p));
  };
  importBtn.addEventListener('click', doImport);
  pathInput.addEventListener('keydown', (e) => {
    if (e.key === 'Enter') doImport();
  });
  const sampleBtn = h(
    'button',
    { class: 'btn', 'data-testid': 'load-sample', onclick: () => void runImport(() => workstationApi().jobs.importSample()) },
    'Load sample case',
  );
  const refreshBtn = h('button', { class: 'btn btn-ghost', title: 'Reload the list', onclick: () => void refreshWorklist() }, 'Refresh');
  const models = lesionModelSelect();
  const modelSelect = models.element;
  const modelsBtn = h(
    'button',
    {
      class: 'btn',
      'data-testid': 'open-models',
      title: 'Models, their validation metrics, and retraining from the signed cases',
      onclick: () => openModelsPanel(models.fill),
    },
    'Models…',
  );
  const count = h('span', { class: 'muted' });
  const element = h(
    'div',
    { class: 'toolbar' },
    filter,
    qcFilterSelect(),
    trialFilterInput(),
    readFilterSelect(),
    count,
    h('div', { class: 'spacer' }),
    modelSelect,
    modelsBtn,
    readStudiesButton(refreshWorklist),
    pacsButton(refreshWorklist),
    pathInput,
    importTrialButton(),
    importBtn,
    picker,
    sampleBtn,
    refreshBtn,
  );
  return {
    element,
    count,
    importFiles,
    setImporting: (running) => {
      importBtn.disabled = sampleBtn.disabled = running;
    },
  };
}
