import { UI_EXPORT_FORMATS, type ExportOutcome, type UiExportFormat } from '../../../shared/contracts/exports.ts';
import type { CaseId } from '../../../shared/domain/ids.ts';
import { workstationApi } from '../../app/api.ts';
import { h } from '../../ui/h.ts';
import { errorMessage, toast } from '../../ui/toast.ts';

/** What each format is, as the reader sees it. */
const FORMATS: Record<UiExportFormat, { readonly label: string; readonly help: string }> = {
  'dicom-seg': {
    label: 'DICOM SEG',
    help: 'Lesions and lungs as a DICOM Segmentation for PACS and viewers (signed version, else the latest)',
  },
  nifti: { label: 'NIfTI', help: 'CT, lesions and lungs as .nii.gz with a manifest (signed version, else the latest)' },
  nnunet: { label: 'nnU-Net dataset', help: 'Training set from the SIGNED version only; always de-identified' },
  'lung-burden-v1': { label: 'lung-burden-v1 dataset', help: 'Retraining set from the SIGNED version only; always de-identified' },
  'report-pdf': { label: 'Report (PDF)', help: 'The two-page report with key images' },
  'report-csv': { label: 'Report (CSV)', help: 'The report numbers, one row (cohort CSV columns)' },
};

/** Hands bytes to the browser as a file download (browser mode). */
export function saveDownload(fileName: string, mediaType: string, bytes: Uint8Array<ArrayBuffer>): void {
  const url = URL.createObjectURL(new Blob([bytes], { type: mediaType }));
  const a = h('a', { href: url, download: fileName, hidden: true });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/**
 * Runs one export and finishes it: in Electron the main side already asked where to write; in
 * browser mode the bytes are fetched once and downloaded. Resolves with the outcome (null after
 * an error, which was shown).
 */
export async function runExport(caseId: CaseId, format: UiExportFormat, deidentify: boolean): Promise<ExportOutcome | null> {
  try {
    const api = workstationApi();
    const outcome = await api.exports.run(caseId, { format, deidentify });
    if (outcome.kind === 'cancelled') {
      toast('Export cancelled');
      return outcome;
    }
    if (outcome.kind === 'download') {
      const bytes = await api.exports.download(outcome.downloadId);
      saveDownload(outcome.fileName, outcome.mediaType, new Uint8Array(bytes));
      toast(`${outcome.summary}: downloaded ${outcome.fileName}`);
    } else {
      toast(`${outcome.summary}: written to ${outcome.destination}`);
    }
    return outcome;
  } catch (e) {
    toast(`Export failed: ${errorMessage(e)}`, 'error');
    return null;
  }
}

/**
 * The Export dialog of a case (review screen and worklist): format, de-identification, Export.
 * Which version is exported is the workstation's rule (as the CLI's); the result names it.
 */
export function openExportDialog(caseId: CaseId, caseLabel: string): void {
  let chosen: UiExportFormat = 'dicom-seg';
  const deid = h('input', { type: 'checkbox', 'data-testid': 'export-deidentify' });
  const list = h(
    'div',
    { class: 'export-formats', role: 'radiogroup', 'aria-label': 'Export format' },
    ...UI_EXPORT_FORMATS.map((f) => {
      const radio = h('input', {
        type: 'radio',
        name: 'export-format',
        value: f,
        'data-testid': `export-format-${f}`,
        checked: f === chosen,
      });
      radio.addEventListener('change', () => {
        chosen = f;
        sync();
      });
      return h(
        'label',
        { class: 'export-format' },
        radio,
        h('span', { class: 'strong' }, FORMATS[f].label),
        h('span', { class: 'muted small' }, FORMATS[f].help),
      );
    }),
  );
  const deidLabel = h('label', { class: 'export-deid' }, deid, 'De-identify (pseudonym instead of name and IDs)');
  const status = h('div', { class: 'muted small', 'data-testid': 'export-status' });
  const runBtn = h('button', { type: 'button', class: 'btn btn-primary', 'data-testid': 'export-run' }, 'Export');
  const sync = (): void => {
    const training = chosen === 'nnunet' || chosen === 'lung-burden-v1';
    deid.disabled = training;
    if (training) deid.checked = true;
  };
  const dialog = h('dialog', { class: 'modal', 'data-testid': 'export-dialog' });
  const close = (): void => {
    dialog.close();
    dialog.remove();
  };
  runBtn.addEventListener('click', () => {
    runBtn.disabled = true;
    status.textContent = 'Exporting…';
    void runExport(caseId, chosen, deid.checked).then((o) => {
      runBtn.disabled = false;
      status.textContent = o === null ? '' : o.kind === 'cancelled' ? 'Cancelled' : o.summary;
      if (o !== null && o.kind !== 'cancelled') close();
    });
  });
  dialog.append(
    h(
      'div',
      { class: 'modal-head' },
      h('h2', {}, `Export ${caseLabel}`),
      h('button', { class: 'btn btn-icon', 'aria-label': 'Close', onclick: close }, '×'),
    ),
    list,
    deidLabel,
    status,
    h('div', { class: 'modal-actions' }, h('button', { type: 'button', class: 'btn', onclick: close }, 'Cancel'), runBtn),
  );
  dialog.addEventListener('close', () => dialog.remove());
  document.body.append(dialog);
  sync();
  dialog.showModal();
}
