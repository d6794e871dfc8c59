import type { PacsNodeInput, PacsNodeView } from '../../../shared/contracts/pacs.ts';
import type { WorkstationApi } from '../../app/api.ts';
import { h, replaceChildren } from '../../ui/h.ts';
import { errorMessage, toast } from '../../ui/toast.ts';

/** A labelled input of the node form. */
const field = (label: string, input: HTMLElement, title?: string): HTMLElement => h('label', { class: 'pacs-field', ...(title ? { title } : {}) }, label, input);

/** The node part of the PACS panel: its elements, the node chosen, and the list to show. */
export interface PacsNodeForm {
  /** The node select and its form, the secret-storage note and the save/test/remove buttons. */
  readonly elements: readonly HTMLElement[];
  /** Id of the node chosen in the select ('' for "New node…"). */
  readonly nodeId: () => string;
  /** Shows `list`, selecting `select` (or keeping the selection) and filling the form. */
  readonly fillNodes: (list: PacsNodeView[], select?: string) => void;
}

/**
 * DICOMweb node configuration (URL, auth, timeout, extra CA): the secret is write-only and either
 * kept encrypted by the OS or for this session only, as the form says. `onNodes` runs after the
 * node list is shown (the panel enables search and push when a saved node is chosen).
 */
export function pacsNodeForm(api: WorkstationApi['pacs'], onNodes: (nodeId: string) => void): PacsNodeForm {
  let nodes: PacsNodeView[] = [];
  const nodeSelect = h('select', { class: 'input', 'aria-label': 'PACS node', 'data-testid': 'pacs-node-select' });
  const name = h('input', { class: 'input', type: 'text', placeholder: 'Site PACS', 'data-testid': 'pacs-node-name' });
  const url = h('input', { class: 'input input-path', type: 'url', placeholder: 'https://pacs.example.org/dicom-web', 'data-testid': 'pacs-node-url', spellcheck: 'false' });
  const authKind = h('select', { class: 'input', 'data-testid': 'pacs-node-auth' }, h('option', { value: 'none' }, 'No authentication'), h('option', { value: 'basic' }, 'User and password'), h('option', { value: 'bearer' }, 'Bearer token'));
  const user = h('input', { class: 'input', type: 'text', placeholder: 'user', autocomplete: 'off', 'data-testid': 'pacs-node-user' });
  const secret = h('input', { class: 'input', type: 'password', placeholder: 'password / token', autocomplete: 'new-password', 'data-testid': 'pacs-node-secret' });
  const timeout = h('input', { class: 'input input-num', type: 'number', min: 1, max: 600, value: 30, 'aria-label': 'Timeout (s)' });
  const ca = h('textarea', { class: 'input pacs-ca', rows: 2, placeholder: '-----BEGIN CERTIFICATE----- (optional: CA of a PACS with its own certificate authority)', spellcheck: 'false' });
  const secretNote = h('p', { class: 'muted small', 'data-testid': 'pacs-secret-note' });
  const userField = field('User', user);
  const secretField = field('Password / token', secret, 'Write-only: never shown again, never logged');
  const syncAuth = (): void => {
    userField.hidden = authKind.value !== 'basic';
    secretField.hidden = authKind.value === 'none';
  };
  authKind.addEventListener('change', syncAuth);

  const current = (): PacsNodeView | null => nodes.find((n) => n.id === nodeSelect.value) ?? null;
  const fillForm = (n: PacsNodeView | null): void => {
    name.value = n?.name ?? '';
    url.value = n?.url ?? '';
    authKind.value = n?.auth.kind ?? 'none';
    user.value = n?.auth.kind === 'basic' ? n.auth.user : '';
    secret.value = '';
    secret.placeholder = n?.hasSecret ? '(unchanged)' : 'password / token';
    timeout.value = String(n?.timeoutS ?? 30);
    ca.value = n?.caPem ?? '';
    syncAuth();
    const storage = n?.secretStorage ?? nodes[0]?.secretStorage;
    secretNote.textContent =
      storage === 'encrypted'
        ? 'Passwords and tokens are stored encrypted by the operating system (safeStorage).'
        : 'Passwords and tokens are kept in memory for this session only (no OS key storage here, e.g. browser mode): enter them again after a restart.';
  };
  const fillNodes = (list: PacsNodeView[], select?: string): void => {
    nodes = list;
    const keep = select ?? nodeSelect.value;
    replaceChildren(nodeSelect, h('option', { value: '' }, 'New node…'), ...list.map((n) => h('option', { value: n.id }, `${n.name} — ${n.url}`)));
    nodeSelect.value = list.some((n) => n.id === keep) ? keep : (list[0]?.id ?? '');
    fillForm(current());
    onNodes(nodeSelect.value);
  };
  nodeSelect.addEventListener('change', () => fillForm(current()));

  const saveNode = async (): Promise<void> => {
    const input: PacsNodeInput = {
      ...(nodeSelect.value ? { id: nodeSelect.value } : {}),
      name: name.value.trim() || url.value.trim(),
      url: url.value.trim(),
      auth: authKind.value === 'basic' ? { kind: 'basic', user: user.value.trim() } : authKind.value === 'bearer' ? { kind: 'bearer' } : { kind: 'none' },
      caPem: ca.value.trim() ? ca.value.trim() : null,
      timeoutS: Math.round(Number(timeout.value) || 30),
    };
    try {
      const before = new Set(nodes.map((n) => n.id));
      const list = await api.saveNode(input, secret.value ? secret.value : null);
      secret.value = '';
      const added = list.find((n) => !before.has(n.id));
      fillNodes(list, added?.id ?? input.id);
      toast(`PACS node "${input.name}" saved`);
    } catch (e) {
      toast(`Cannot save the node: ${errorMessage(e)}`, 'error');
    }
  };
  const testNode = async (): Promise<void> => {
    if (!nodeSelect.value) { toast('Save the node first', 'error'); return; }
    const r = await api.testNode(nodeSelect.value).catch((e: unknown) => ({ ok: false, message: errorMessage(e) }));
    toast(r.ok ? `Connected: ${r.message}` : `Connection failed: ${r.message}`, r.ok ? 'info' : 'error');
  };
  const removeNode = async (): Promise<void> => {
    if (!nodeSelect.value) return;
    fillNodes(await api.removeNode(nodeSelect.value));
  };

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
    h(
      'div',
      { class: 'toolbar-inline' },
      h('button', { class: 'btn btn-primary', 'data-testid': 'pacs-node-save', onclick: () => void saveNode() }, 'Save node'),
      h('button', { class: 'btn', 'data-testid': 'pacs-node-test', onclick: () => void testNode() }, 'Test connection'),
      h('button', { class: 'btn btn-ghost', onclick: () => void removeNode() }, 'Remove'),
    ),
  ];
  return { elements, nodeId: () => nodeSelect.value, fillNodes };
}
