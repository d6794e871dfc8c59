import { h } from './h.ts';

/**
 * Asks for one line of text in a modal dialog. Resolves with the trimmed text, or null when the
 * user cancels (Escape / Cancel). `required` keeps the dialog open until something is typed.
 */
export function promptText(opts: { title: string; label: string; value?: string; okLabel?: string; required?: boolean }): Promise<string | null> {
  return new Promise((resolve) => {
    const input = h('input', { type: 'text', class: 'input', value: opts.value ?? '', 'aria-label': opts.label, spellcheck: 'false' });
    const error = h('div', { class: 'modal-error' });
    const close = (v: string | null): void => {
      dialog.close();
      dialog.remove();
      resolve(v);
    };
    const submit = (): void => {
      const v = input.value.trim();
      if (!v && opts.required) {
        error.textContent = 'Required';
        input.focus();
        return;
      }
      close(v || null);
    };
    const form = h(
      'form',
      { method: 'dialog', class: 'modal-form' },
      h('h2', {}, opts.title),
      h('label', {}, opts.label, input),
      error,
      h(
        'div',
        { class: 'modal-actions' },
        opts.required ? null : h('button', { type: 'button', class: 'btn', onclick: () => close(null) }, 'Cancel'),
        h('button', { type: 'submit', class: 'btn btn-primary' }, opts.okLabel ?? 'OK'),
      ),
    );
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      submit();
    });
    const dialog = h('dialog', { class: 'modal' }, form);
    dialog.addEventListener('cancel', (e) => {
      e.preventDefault();
      if (!opts.required) close(null);
    });
    document.body.append(dialog);
    dialog.showModal();
    input.focus();
    input.select();
  });
}

/** Shows `content` in a modal with a Close button; `onClose` runs however it closes. */
export function showPanel(title: string, content: Node, opts: { extraWide?: boolean; testId?: string; onClose?: () => void } = {}): void {
  const dialog = h('dialog', { class: `modal modal-wide${opts.extraWide ? ' modal-xwide' : ''}`, 'data-testid': opts.testId });
  const close = (): void => {
    dialog.close();
    dialog.remove();
  };
  dialog.append(h('div', { class: 'modal-head' }, h('h2', {}, title), h('button', { class: 'btn btn-icon', 'aria-label': 'Close', onclick: close }, '×')), content);
  dialog.addEventListener('close', () => {
    dialog.remove();
    opts.onClose?.();
  });
  document.body.append(dialog);
  dialog.showModal();
}
