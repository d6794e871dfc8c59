import { h } from './h.ts';

/** Shows `content` in a modal with a Close button; `onClose` runs however it closes. */
export function showPanel(title: string, content: Node, opts: { extraWide?: boolean; testId?: string; onClose?: () => void } = {}): void {
  const dialog = h('dialog', { class: `modal modal-wide${opts.extraWide ? ' modal-xwide' : ''}`, 'data-testid': opts.testId });
  const close = (): void => {
    dialog.close();
    dialog.remove();
  };
  dialog.append(
    h(
      'div',
      { class: 'modal-head' },
      h('h2', {}, title),
      h('button', { class: 'btn btn-icon', 'aria-label': 'Close', onclick: close }, '×'),
    ),
    content,
  );
  dialog.addEventListener('close', () => {
    dialog.remove();
    opts.onClose?.();
  });
  document.body.append(dialog);
  dialog.showModal();
}
