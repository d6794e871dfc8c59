import type { PacsNodeView } from '../../../shared/contracts/pacs.ts';
import type { WorkstationApi } from '../../app/api.ts';
import { h, replaceChildren } from '../../ui/h.ts';
import { errorMessage, toast } from '../../ui/toast.ts';
import { pacsNodeFields } from './pacs-node-fields.ts';

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
  const fields = pacsNodeFields(nodeSelect);
  const current = (): PacsNodeView | null => nodes.find((n) => n.id === nodeSelect.value) ?? null;
  const fillForm = (n: PacsNodeView | null): void => fields.fill(n, n?.secretStorage ?? nodes[0]?.secretStorage);
  const fillNodes = (list: PacsNodeView[], select?: string): void => {
    nodes = list;
    const keep = select ?? nodeSelect.value;
    replaceChildren(
      nodeSelect,
      h('option', { value: '' }, 'New node…'),
      ...list.map((n) => h('option', { value: n.id }, `${n.name} — ${n.url}`)),
    );
    nodeSelect.value = list.some((n) => n.id === keep) ? keep : (list[0]?.id ?? '');
    fillForm(current());
    onNodes(nodeSelect.value);
  };
  nodeSelect.addEventListener('change', () => fillForm(current()));

  const saveNode = async (): Promise<void> => {
    const input = fields.read(nodeSelect.value);
    try {
      const before = new Set(nodes.map((n) => n.id));
      const list = await api.saveNode(input, fields.secret());
      fields.clearSecret();
      const added = list.find((n) => !before.has(n.id));
      fillNodes(list, added?.id ?? input.id);
      toast(`PACS node "${input.name}" saved`);
    } catch (e) {
      toast(`Cannot save the node: ${errorMessage(e)}`, 'error');
    }
  };
  const testNode = async (): Promise<void> => {
    if (!nodeSelect.value) {
      toast('Save the node first', 'error');
      return;
    }
    const r = await api.testNode(nodeSelect.value).catch((e: unknown) => ({ ok: false, message: errorMessage(e) }));
    toast(r.ok ? `Connected: ${r.message}` : `Connection failed: ${r.message}`, r.ok ? 'info' : 'error');
  };
  const removeNode = async (): Promise<void> => {
    if (!nodeSelect.value) return;
    fillNodes(await api.removeNode(nodeSelect.value));
  };

  const elements = [
    ...fields.elements,
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
