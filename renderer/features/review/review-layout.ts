import { h } from '../../ui/h.ts';
import { toast } from '../../ui/toast.ts';
import { openExportDialog } from '../exports/export-dialog.ts';
import { reviewPacsButton } from '../pacs/pacs-button.ts';
import { openAuditPanel } from './audit-panel.ts';
import type { ReviewBar } from './review-bar.ts';
import { caseTitle } from './review-bar.ts';
import { anyDirty, type ReviewContext } from './review-context.ts';

/** "Export…" of the review screen: exports what is saved (unsaved edits are not in it, and the reader is told). */
function exportButton(ctx: ReviewContext): HTMLButtonElement {
  return h(
    'button',
    {
      class: 'btn',
      'data-testid': 'export',
      title: 'Export DICOM SEG, NIfTI, nnU-Net or the report of this case (saved versions)',
      onclick: () => {
        if (ctx.session.state.get().dirty)
          toast('Unsaved edits are not exported: exports use the saved versions. Save first to include them.', 'error');
        openExportDialog(ctx.caseId, `case ${ctx.caseId}`);
      },
    },
    'Export…',
  );
}

/** The top bar of the review screen (back, case, result/version, save, sign, export, audit, PACS, help) and the no-AI banner. */
export function reviewTop(
  ctx: ReviewContext,
  parts: { readonly bar: ReviewBar; readonly autosaveNote: HTMLElement; readonly back: () => void; readonly help: () => void },
): [HTMLElement, HTMLElement | null] {
  const { bar, autosaveNote } = parts;
  const { caseId, detail } = ctx;
  const backBtn = h('button', { class: 'btn btn-ghost', 'data-testid': 'back', title: 'Back to the worklist' }, '← Worklist');
  backBtn.addEventListener('click', () => {
    if (anyDirty(ctx) && !window.confirm('Leave with unsaved edits? They will be lost.')) return;
    parts.back();
  });
  const issues = detail.issues.length
    ? h(
        'div',
        { class: 'issues', title: detail.issues.map((i) => `${i.severity}: ${i.message}`).join('\n') },
        `⚠ ${detail.issues.length} import ${detail.issues.length === 1 ? 'issue' : 'issues'}`,
      )
    : null;
  const row = h(
    'div',
    { class: 'review-bar' },
    backBtn,
    caseTitle(detail, ctx.volume),
    issues,
    h('div', { class: 'spacer' }),
    bar.resultInfo,
    bar.versionInfo,
    bar.dirtyMark,
    autosaveNote,
    bar.note,
    bar.saveBtn,
    bar.signBtn,
    bar.adjudicateBtn,
    bar.amendBtn,
    exportButton(ctx),
    h(
      'button',
      {
        class: 'btn btn-ghost',
        'data-testid': 'open-audit',
        title: 'Audit trail of this case and verification of the hash chain',
        onclick: () => openAuditPanel(caseId),
      },
      'Audit',
    ),
    reviewPacsButton(() => ({
      id: caseId,
      label: `#${caseId} ${ctx.detail.patientId} ${ctx.detail.seriesDescription}`,
      signed: ctx.detail.labelVersions.some((v) => v.kind === 'lesion' && v.signed),
    })),
    h(
      'button',
      { class: 'btn btn-ghost btn-icon', title: 'Keyboard shortcuts (?)', 'aria-label': 'Keyboard shortcuts', onclick: parts.help },
      '?',
    ),
  );
  const noLung = ctx.lung
    ? null
    : h(
        'div',
        { class: 'banner' },
        'No AI result yet for this case: lesion labels start empty and burden % needs the lung mask. Run AI from the worklist.',
      );
  return [row, noLung];
}

/** Leaving the page with unsaved edits (either label set) asks first; answers the remover. */
export function guardUnload(ctx: ReviewContext): () => void {
  const beforeUnload = (e: BeforeUnloadEvent): void => {
    if (anyDirty(ctx)) e.preventDefault();
  };
  window.addEventListener('beforeunload', beforeUnload);
  return () => {
    window.removeEventListener('beforeunload', beforeUnload);
  };
}
