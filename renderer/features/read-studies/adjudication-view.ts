import type { CaseDetail, LabelVersionInfo } from '../../../shared/domain/case.ts';
import type { Volume } from '../../../shared/domain/volume.ts';
import { ADJUDICATION_MEANING, type ReaderView, type SignatureInfo } from '../../../shared/domain/reader.ts';
import type { CaseAgreementView } from '../../../shared/domain/read-study.ts';
import { workstationApi } from '../../app/api.ts';
import { fmtTime } from '../../ui/format.ts';
import { h, replaceChildren } from '../../ui/h.ts';
import { errorMessage } from '../../ui/toast.ts';
import { SliceView, type SliceTool } from '../../viewer/slice-view.ts';
import { createViewerState } from '../../viewer/viewer-state.ts';
import { WINDOW_PRESETS } from '../../viewer/window-presets.ts';
import { readNumbers, type ReadNumbers } from './read-numbers.ts';

/** Left button does nothing here: the views only navigate (wheel, pan, zoom, W/L), never edit. */
const LOOK_ONLY: SliceTool = {
  cursor: 'default',
  down: () => undefined,
  move: () => undefined,
  up: () => undefined,
  outlineRadiusMm: () => null,
};

export interface AdjudicationInput {
  readonly detail: CaseDetail;
  readonly volume: Volume;
  readonly lung: Uint8Array | null;
  readonly reader: ReaderView;
}

/** The two signed reads: the study's read1/read2 when the case is in a read study, else the two newest reads of two readers. */
function twoReads(detail: CaseDetail, agreement: CaseAgreementView | null): [LabelVersionInfo, LabelVersionInfo] | null {
  const byId = (id: number): LabelVersionInfo | undefined => detail.labelVersions.find((v) => v.id === id);
  if (agreement) {
    const a = byId(agreement.read1.lesionVersionId);
    const b = byId(agreement.read2.lesionVersionId);
    return a && b ? [a, b] : null;
  }
  const reads = detail.labelVersions.filter((v) => v.signature?.kind === 'read').reverse();
  const first = reads[0];
  const second = reads.find((v) => v.signature?.readerId !== first?.signature?.readerId);
  return first && second ? [second, first] : null;
}

const sigLine = (s: SignatureInfo | null | undefined): string =>
  s ? `${s.readerName} (${s.readerRole}) · signed ${fmtTime(s.signedAt)}` : '';

/**
 * The adjudicator's side-by-side view: two linked axial views (same slice, zoom and window), each
 * with one read's lesion overlay, the per-class numbers of both reads and their differences (Dice,
 * volumes, burden), the thresholds exceeded, and the form that signs the picked read — or a merged
 * version the adjudicator saved from the review screen (open a read, Amend, edit, Save) — as the
 * result with a reason and the password. Resolves with the adjudicated version, or null.
 */
export async function openAdjudicationView(input: AdjudicationInput): Promise<LabelVersionInfo | null> {
  const api = workstationApi();
  const { detail, volume, reader } = input;
  const agreement = await api.readStudies.caseAgreement(detail.id).catch(() => null);
  const reads = twoReads(detail, agreement);
  if (!reads) throw new Error('this case has no two signed reads by different readers to adjudicate');
  const n = volume.data.length;
  const [l1, l2] = await Promise.all(reads.map((v) => api.cases.labelBytes(v.id)));
  if (!l1 || !l2 || l1.length !== n || l2.length !== n) throw new Error('the reads do not match the volume grid');
  const numbers: ReadNumbers = agreement
    ? readNumbers.fromAgreement(agreement)
    : readNumbers.fromComparison(await api.cases.compareVersions(reads[0].id, reads[1].id));
  const lungWindow = WINDOW_PRESETS[0];
  if (!lungWindow) throw new Error('no window preset');
  const viewer = createViewerState(volume.size, lungWindow.wl);
  // Open on the axial slice where the two reads differ most (else the middle slice).
  const worst = mostDifferentSlice(l1, l2, volume.size);
  viewer.cursor.update(([i, j]) => [i, j, worst]);
  const views = [l1, l2].map(
    (labels) =>
      new SliceView('axial', { geometry: volume, hu: volume.data, lesion: () => labels, lung: () => input.lung }, viewer, () => LOOK_ONLY),
  );
  const candidates = adjudicationCandidates(detail, reads, reader.id);
  return new Promise((resolve) => {
    const pick = h(
      'select',
      { class: 'input', 'aria-label': 'Version that becomes the result', 'data-testid': 'adjudicate-pick' },
      ...candidates.map(([label], i) => h('option', { value: String(i) }, label)),
    );
    const reason = h('input', {
      class: 'input',
      'aria-label': 'Reason',
      placeholder: 'Reason (required)',
      'data-testid': 'adjudicate-reason',
      spellcheck: 'false',
    });
    const password = h('input', {
      class: 'input',
      type: 'password',
      'aria-label': 'Your password (re-authentication)',
      placeholder: 'Your password',
      autocomplete: 'current-password',
      'data-testid': 'adjudicate-password',
    });
    const error = h('div', { class: 'modal-error', role: 'alert', 'data-testid': 'adjudicate-error' });
    const sign = h('button', { class: 'btn btn-sign', 'data-testid': 'adjudicate-sign' }, 'Sign adjudication');
    const dialog = h('dialog', { class: 'modal modal-wide modal-xwide adjudication-view', 'data-testid': 'adjudication-view' });
    const close = (v: LabelVersionInfo | null): void => {
      for (const view of views) view.dispose();
      dialog.close();
      dialog.remove();
      resolve(v);
    };
    sign.addEventListener('click', () => {
      const chosen = candidates[Number(pick.value)]?.[1];
      if (!chosen) return;
      sign.disabled = true;
      error.textContent = '';
      api.adjudication.sign(detail.id, chosen.id, password.value, reason.value).then(close, (e: unknown) => {
        error.textContent = errorMessage(e);
        password.value = '';
        sign.disabled = false;
      });
    });
    const head = (i: 0 | 1): HTMLElement =>
      h(
        'div',
        { class: 'adjudication-read-head', 'data-testid': `adjudication-read-${i + 1}` },
        h('span', { class: 'strong' }, `Read ${i + 1} · v${reads[i].version}`),
        ' ',
        h('span', { class: 'muted small' }, sigLine(reads[i].signature)),
      );
    const grid = h(
      'div',
      { class: 'adjudication-grid' },
      ...views.map((v, i) => h('div', { class: 'adjudication-pane' }, head(i === 0 ? 0 : 1), v.element)),
    );
    dialog.append(
      h(
        'div',
        { class: 'modal-head' },
        h('h2', {}, `Adjudicate case ${detail.id}${agreement ? ` · ${agreement.protocolId}` : ''}`),
        h('button', { class: 'btn btn-icon', 'aria-label': 'Close', 'data-testid': 'adjudication-close', onclick: () => close(null) }, '×'),
      ),
      grid,
      adjudicationSide(readNumbers.table(numbers), agreement, reader, [pick, reason, password, sign], error),
    );
    dialog.addEventListener('cancel', (e) => {
      e.preventDefault();
      close(null);
    });
    document.body.append(dialog);
    dialog.showModal();
    for (const v of views) v.invalidate();
    replaceChildren(error);
  });
}

/** The axial slice where two label maps of `size` differ most (the middle slice when they agree). */
function mostDifferentSlice(l1: Uint8Array, l2: Uint8Array, size: readonly [number, number, number]): number {
  const [nI, nJ] = size;
  const perSlice = new Array<number>(size[2]).fill(0);
  for (let p = 0; p < l1.length; p++)
    if (l1[p] !== l2[p]) perSlice[Math.floor(p / (nI * nJ))] = (perSlice[Math.floor(p / (nI * nJ))] ?? 0) + 1;
  return perSlice.reduce((best, c, k) => (c > (perSlice[best] ?? 0) ? k : best), Math.floor(size[2] / 2));
}

/** The side of the view: the two reads' numbers, thresholds exceeded, how to merge, the signing form. */
function adjudicationSide(
  numbers: HTMLElement,
  agreement: CaseAgreementView | null,
  reader: AdjudicationInput['reader'],
  form: readonly HTMLElement[],
  error: HTMLElement,
): HTMLElement {
  return h(
    'div',
    { class: 'adjudication-side' },
    numbers,
    agreement && !agreement.withinThresholds
      ? h(
          'ul',
          { class: 'small adjudication-exceeded', 'data-testid': 'adjudication-exceeded' },
          ...agreement.exceeded.map((s) => h('li', {}, s)),
        )
      : null,
    h(
      'p',
      { class: 'muted small' },
      'To merge: close this view, open a read from Versions, Amend, edit and Save; your saved version is then offered here.',
    ),
    h('p', { class: 'sign-meaning' }, `“${ADJUDICATION_MEANING}.”`),
    h('p', { class: 'small' }, `Signer: ${reader.displayName} (${reader.role}, login ${reader.login})`),
    h('div', { class: 'form-row' }, ...form),
    error,
  );
}

/** What may become the result, with its label: either read, or a merged version the adjudicator saved (unsigned). */
function adjudicationCandidates(
  detail: CaseDetail,
  reads: readonly [LabelVersionInfo, LabelVersionInfo],
  readerId: ReaderView['id'],
): readonly [string, LabelVersionInfo][] {
  const merged = detail.labelVersions.filter(
    (v) => v.kind === 'lesion' && v.author.kind === 'reader' && v.author.readerId === readerId && !v.signed,
  );
  return [
    [`Read 1 · v${reads[0].version} · ${reads[0].signature?.readerName ?? reads[0].author.name}`, reads[0]],
    [`Read 2 · v${reads[1].version} · ${reads[1].signature?.readerName ?? reads[1].author.name}`, reads[1]],
    ...merged.map((v): [string, LabelVersionInfo] => [`Merged · v${v.version} · saved by you ${fmtTime(v.createdAt)}`, v]),
  ];
}
