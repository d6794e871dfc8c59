import type { LabelVersionInfo } from '../../../shared/domain/case.ts';
import type { CaseId } from '../../../shared/domain/ids.ts';
import { READ_SIGNATURE_MEANING, type ReaderView } from '../../../shared/domain/reader.ts';
import { workstationApi } from '../../app/api.ts';
import { formDialog } from '../../ui/form-dialog.ts';
import { h } from '../../ui/h.ts';

/**
 * The electronic signature dialog: who signs (name, role), what (case, lesion version, the lung
 * mask signed with it), the meaning stated, and the password again. A version the reader did not
 * make (the AI's, another reader's) is said to become the reader's own copy first. Stays open on
 * a wrong password (the error is shown; the attempt counts towards the lock-out). Resolves with the
 * signed version, or null when cancelled.
 */
export function signDialog(caseId: CaseId, v: LabelVersionInfo, reader: ReaderView): Promise<LabelVersionInfo | null> {
  const own = v.author.kind === 'reader' && v.author.readerId === reader.id;
  const by = v.author.kind === 'model' ? 'the AI' : v.author.name;
  return formDialog<LabelVersionInfo>({
    title: 'Sign this read',
    intro: [
      h(
        'table',
        { class: 'kv small' },
        h(
          'tbody',
          {},
          h(
            'tr',
            {},
            h('th', {}, 'Signer'),
            h('td', { 'data-testid': 'sign-signer' }, `${reader.displayName} (${reader.role}, login ${reader.login})`),
          ),
          h('tr', {}, h('th', {}, 'Labels'), h('td', {}, `case ${caseId}: lesion labels v${v.version} with the current lung mask`)),
        ),
      ),
      own
        ? ''
        : h(
            'p',
            { class: 'banner small', 'data-testid': 'sign-copy-note' },
            `Version ${v.version} was made by ${by}. Signing saves it unchanged as your own version and signs that; version ${v.version} itself stays unsigned.`,
          ),
      h('p', { class: 'sign-meaning', 'data-testid': 'sign-meaning' }, `“${READ_SIGNATURE_MEANING}.”`),
      h(
        'p',
        { class: 'muted small' },
        'The signed version can never change afterwards: later edits or AI runs become new versions and do not replace it as the case result.',
      ),
    ],
    fields: [{ name: 'password', label: 'Your password (re-authentication)', type: 'password', autocomplete: 'current-password' }],
    okLabel: 'Sign',
    cancellable: true,
    testId: 'sign-dialog',
    submit: (x) => workstationApi().cases.signOff(caseId, v.id, x['password'] ?? ''),
  });
}
