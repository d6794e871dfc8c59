import type { PacsNodeInput, PacsNodeView } from '../../../shared/contracts/pacs.ts';
import { h } from '../../ui/h.ts';

/** A labelled input of the node form. */
const field = (label: string, input: HTMLElement, title?: string): HTMLElement =>
  h('label', { class: 'pacs-field', ...(title ? { title } : {}) }, label, input);

/** The inputs of one DICOMweb node and how they are filled and read. */
export interface PacsNodeFields {
  /** The form (the node select first) and the note on where secrets are kept. */
  readonly elements: readonly HTMLElement[];
  /** Shows a node (null: an empty form for a new node); `storage` says where secrets are kept. */
  readonly fill: (n: PacsNodeView | null, storage: PacsNodeView['secretStorage'] | undefined) => void;
  /** The node as entered (`id` of the node edited, absent for a new one). */
  readonly read: (id: string) => PacsNodeInput;
  /** The secret typed (write-only: null when none), and clearing it after a save. */
  readonly secret: () => string | null;
  readonly clearSecret: () => void;
}

/** The node inputs (name, URL, authentication, user, secret, timeout, extra CA) beside `nodeSelect`. */
export function pacsNodeFields(nodeSelect: HTMLSelectElement): PacsNodeFields {
  const name = h('input', { class: 'input', type: 'text', placeholder: 'Site PACS', 'data-testid': 'pacs-node-name' });
  const url = h('input', {
    class: 'input input-path',
    type: 'url',
    placeholder: 'https://pacs.example.org/dicom-web',
    'data-testid': 'pacs-node-url',
    spellcheck: 'false',
  });
  const authKind = h(
    'select',
    { class: 'input', 'data-testid': 'pacs-node-auth' },
    h('option', { value: 'none' }, 'No authentication'),
    h('option', { value: 'basic' }, 'User and password'),
    h('option', { value: 'bearer' }, 'Bearer token'),
  );
  const user = h('input', { class: 'input', type: 'text', placeholder: 'user', autocomplete: 'off', 'data-testid': 'pacs-node-user' });
  const secret = h('input', {
    class: 'input',
    type: 'password',
    placeholder: 'password / token',
    autocomplete: 'new-password',
    'data-testid': 'pacs-node-secret',
  });
  const timeout = h('input', { class: 'input input-num', type: 'number', min: 1, max: 600, value: 30, 'aria-label': 'Timeout (s)' });
  const ca = h('textarea', {
    class: 'input pacs-ca',
    rows: 2,
    placeholder: '-----BEGIN CERTIFICATE----- (optional: CA of a PACS with its own certificate authority)',
    spellcheck: 'false',
  });
  const secretNote = h('p', { class: 'muted small', 'data-testid': 'pacs-secret-note' });
  const userField = field('User', user);
  const secretField = field('Password / token', secret, 'Write-only: never shown again, never logged');
  const syncAuth = (): void => {
    userField.hidden = authKind.value !== 'basic';
    secretField.hidden = authKind.value === 'none';
  };
  authKind.addEventListener('change', syncAuth);

  const fill = (n: PacsNodeView | null, storage: PacsNodeView['secretStorage'] | undefined): void => {
    name.value = n?.name ?? '';
    url.value = n?.url ?? '';
    authKind.value = n?.auth.kind ?? 'none';
    user.value = n?.auth.kind === 'basic' ? n.auth.user : '';
    secret.value = '';
    secret.placeholder = n?.hasSecret ? '(unchanged)' : 'password / token';
    timeout.value = String(n?.timeoutS ?? 30);
    ca.value = n?.caPem ?? '';
    syncAuth();
    secretNote.textContent =
      storage === 'encrypted'
        ? 'Passwords and tokens are stored encrypted by the operating system (safeStorage).'
        : 'Passwords and tokens are kept in memory for this session only (no OS key storage here, e.g. browser mode): enter them again after a restart.';
  };
  const read = (id: string): PacsNodeInput => ({
    ...(id ? { id } : {}),
    name: name.value.trim() || url.value.trim(),
    url: url.value.trim(),
    auth:
      authKind.value === 'basic'
        ? { kind: 'basic', user: user.value.trim() }
        : authKind.value === 'bearer'
          ? { kind: 'bearer' }
          : { kind: 'none' },
    caPem: ca.value.trim() ? ca.value.trim() : null,
    timeoutS: Math.round(Number(timeout.value) || 30),
  });
  const elements = [
    h(
      'div',
      { class: 'pacs-form' },
      field('Node', nodeSelect),
      field('Name', name),
      field('DICOMweb root URL', url),
      field('Authentication', authKind),
      userField,
      secretField,
      field('Timeout (s)', timeout),
      field('Extra CA (PEM)', ca),
    ),
    secretNote,
  ];
  return {
    elements,
    fill,
    read,
    secret: () => (secret.value ? secret.value : null),
    clearSecret: () => {
      secret.value = '';
    },
  };
}
