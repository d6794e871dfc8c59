import type { Volume } from '../../../shared/domain/volume.ts';
import type { CaseDetail } from '../../../shared/domain/case.ts';
import { readerStore } from '../../app/reader-identity.ts';
import { dicomText } from '../../ui/dicom-text.ts';
import { fmtDicomDate, fmtTime } from '../../ui/format.ts';
import { h } from '../../ui/h.ts';
import { canAdjudicate } from './adjudicate-dialog.ts';
import { lungDirty, type ReviewContext } from './review-context.ts';

/** The review bar's controls whose state follows the session: save, sign, adjudicate, amend, version line. */
export interface ReviewBar {
  readonly note: HTMLInputElement;
  readonly saveBtn: HTMLButtonElement;
  readonly signBtn: HTMLButtonElement;
  readonly adjudicateBtn: HTMLButtonElement;
  readonly amendBtn: HTMLButtonElement;
  readonly versionInfo: HTMLElement;
  readonly resultInfo: HTMLElement;
  readonly dirtyMark: HTMLElement;
  /** Enables/disables and titles every control from the context (called on each session state change). */
  sync(): void;
}

/** Patient, study and grid of the case, for the bar. */
export function caseTitle(detail: CaseDetail, g: Volume): HTMLElement {
  const both = detail.patientName && detail.patientId !== detail.patientName;
  return h(
    'div',
    { class: 'case-title' },
    h('span', { class: 'strong' }, dicomText(detail.patientName || detail.patientId || 'Case')),
    h(
      'span',
      { class: 'muted' },
      ' ',
      both ? dicomText(detail.patientId) : null,
      both ? ' · ' : null,
      `${fmtDicomDate(detail.studyDate)} · `,
      dicomText(detail.seriesDescription || detail.studyDescription),
      ` · ${g.size.join('×')} · ${g.spacingMm.map((s) => s.toFixed(2)).join('×')} mm`,
    ),
  );
}

export function createReviewBar(ctx: ReviewContext): ReviewBar {
  const note = h('input', {
    class: 'input input-note',
    type: 'text',
    placeholder: 'Note for the saved version (optional)',
    maxlength: 2000,
    'aria-label': 'Version note',
    'data-testid': 'save-note',
  });
  const saveBtn = h(
    'button',
    { class: 'btn btn-primary', 'data-testid': 'save', title: 'Save the labels as a new version (Ctrl+S)' },
    'Save version',
  );
  const signBtn = h('button', { class: 'btn btn-sign', 'data-testid': 'sign-off' }, 'Sign off');
  const adjudicateBtn = h(
    'button',
    {
      class: 'btn btn-sign',
      'data-testid': 'adjudicate',
      title: 'Pick the read that becomes the result (or your merged version), with a reason, and sign',
    },
    'Adjudicate…',
  );
  const amendBtn = h(
    'button',
    { class: 'btn', 'data-testid': 'amend', title: 'Edit a copy of the signed version; saving creates a new version' },
    'Amend',
  );
  const versionInfo = h('span', { class: 'version-info', 'data-testid': 'version-info' });
  const resultInfo = h('span', { class: 'muted small', 'data-testid': 'result-info' });
  const dirtyMark = h('span', { class: 'dirty', 'data-testid': 'dirty' });

  const sync = (): void => {
    const { currentVersion: cv, amending, lung, detail } = ctx;
    const st = ctx.session.state.get();
    const lungSet = ctx.labelSet.store.get() === 'lung';
    saveBtn.disabled = lungSet ? !lungDirty(ctx) : !st.dirty || !st.editable;
    saveBtn.title = lungSet ? 'Save the lung mask as a new lung version (Ctrl+S)' : 'Save the labels as a new version (Ctrl+S)';
    signBtn.disabled = !(cv !== null && !cv.signed && !st.dirty && !lungDirty(ctx) && !amending && lung !== null);
    signBtn.title = cv?.signed
      ? 'This version is already signed'
      : st.dirty || amending
        ? 'Save first: a signature covers a saved version'
        : lung === null
          ? 'Run the AI first: a read is signed with its lung mask'
          : cv
            ? `Sign version ${cv.version} with your password (it never changes afterwards)`
            : 'Save a version first';
    amendBtn.hidden = !(cv?.signed && !st.editable);
    // A signed version is never shown as having unsaved edits: it cannot have any.
    dirtyMark.textContent = [st.dirty && st.editable ? '● unsaved edits' : '', lungDirty(ctx) ? '● unsaved lung edits' : '']
      .filter(Boolean)
      .join(' ');
    const sig = cv?.signature ?? null;
    versionInfo.textContent =
      amending && cv
        ? `new version from v${cv.version} (signed v${cv.version} stays unchanged)`
        : cv
          ? `v${cv.version} · ${cv.author.kind === 'model' ? 'AI' : cv.author.name} · ${fmtTime(cv.createdAt)}${cv.signed ? ` · SIGNED${sig ? ` by ${sig.readerName} (${sig.readerRole}) ${fmtTime(sig.signedAt)}` : ''} · read-only` : st.editable ? '' : ' · read-only'}`
          : 'no saved version';
    const lv = ctx.lungVersion;
    if (lungSet)
      versionInfo.textContent = lv
        ? `lung v${lv.version} · ${lv.author.kind === 'reader' ? lv.author.name : 'algorithm'} · ${fmtTime(lv.createdAt)}`
        : 'no lung version';
    versionInfo.title = sig
      ? `Signed by ${sig.readerName} (${sig.readerRole}, ${sig.readerLogin}) on ${sig.signedAt}: “${sig.meaning}”. Lesion sha256 ${sig.lesionSha256}; lung sha256 ${sig.lungSha256}.`
      : '';
    versionInfo.classList.toggle('signed', !!cv?.signed && !amending);
    adjudicateBtn.hidden = !canAdjudicate(detail, readerStore.get()) || st.dirty || detail.result?.signature.kind === 'adjudication';
    const res = detail.result;
    resultInfo.textContent = res
      ? `Result: v${res.lesionVersion} ${res.signature.kind === 'adjudication' ? 'adjudicated' : 'signed'} by ${res.signature.readerName}`
      : 'Result: none signed (draft)';
  };
  return { note, saveBtn, signBtn, adjudicateBtn, amendBtn, versionInfo, resultInfo, dirtyMark, sync };
}
