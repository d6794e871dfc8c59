import type { CaseDetail, LabelVersionInfo } from '../../../shared/domain/case.ts';
import type { ReaderView } from '../../../shared/domain/reader.ts';
import { workstationApi } from '../../app/api.ts';
import { formDialog } from '../../ui/form-dialog.ts';
import { h } from '../../ui/h.ts';

/** True when the case has signed reads by two different readers and `reader` may adjudicate it. */
export function canAdjudicate(detail: CaseDetail, reader: ReaderView | null): boolean {
  if (!reader || (reader.role !== 'adjudicator' && reader.role !== 'admin')) return false;
  const reads = detail.labelVersions.flatMap((v) => (v.signature && v.signature.kind === 'read' ? [v.signature] : []));
  const readers = new Set(reads.map((g) => g.readerId));
  return readers.size >= 2 && !readers.has(reader.id);
}

/**
 * The adjudicator picks one signed read (or the version open on screen, e.g. a merged edit they
 * saved), states the reason and signs with the password; the adjudication becomes the case result.
 */
export function adjudicateDialog(detail: CaseDetail, open: LabelVersionInfo | null, reader: ReaderView): Promise<LabelVersionInfo | null> {
  const reads = detail.labelVersions.filter((v) => v.signature?.kind === 'read');
  const candidates = [...reads, ...(open && !reads.some((v) => v.id === open.id) ? [open] : [])];
  const label = (v: LabelVersionInfo): string => `v${v.version} · ${v.signature ? `read signed by ${v.signature.readerName}` : `open version by ${v.author.name}`}`;
  return formDialog<LabelVersionInfo>({
    title: 'Adjudicate this case',
    intro: [
      h('p', { class: 'small' }, `Signer: ${reader.displayName} (${reader.role}). Pick the read that becomes the case result (or the version open on screen, e.g. your merged edit), say why, and sign.`),
      h('p', { class: 'sign-meaning', 'data-testid': 'adjudication-meaning' }, '“I have adjudicated the readers\' signed reads and approve these lesion and lung labels as the case result.”'),
    ],
    fields: [
      { name: 'version', label: 'Version', type: 'select', options: candidates.map(label) },
      { name: 'reason', label: 'Reason' },
      { name: 'password', label: 'Your password (re-authentication)', type: 'password', autocomplete: 'current-password' },
    ],
    okLabel: 'Sign adjudication',
    cancellable: true,
    testId: 'adjudicate-dialog',
    submit: async (x) => {
      const v = candidates.find((c) => label(c) === x['version']);
      if (!v) throw new Error('pick a version');
      return workstationApi().adjudication.sign(detail.id, v.id, x['password'] ?? '', x['reason'] ?? '');
    },
  });
}
