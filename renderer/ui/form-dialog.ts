import { h } from './h.ts';
import { errorMessage } from './toast.ts';

/** One input of a {@link formDialog}. */
export interface FormField {
  readonly name: string;
  readonly label: string;
  readonly type?: 'text' | 'password' | 'select';
  readonly value?: string;
  /** `autocomplete` hint (`username`, `current-password`, `new-password`). */
  readonly autocomplete?: string;
  readonly options?: readonly string[];
}

/**
 * A modal form that stays open until `submit` succeeds: its error (wrong password, locked
 * account, weak password …) is shown inside the dialog and the password fields are cleared.
 * Resolves with `submit`'s result, or null when cancelled (only when `cancellable`).
 */
export function formDialog<T>(opts: {
  title: string;
  intro?: readonly (Node | string)[];
  fields: readonly FormField[];
  okLabel: string;
  cancellable: boolean;
  testId?: string;
  submit: (values: Record<string, string>) => Promise<T>;
}): Promise<T | null> {
  return new Promise((resolve) => {
    const inputs = opts.fields.map((f) => {
      const el =
        f.type === 'select'
          ? h(
              'select',
              { class: 'input', name: f.name, 'aria-label': f.label, 'data-testid': `field-${f.name}` },
              ...(f.options ?? []).map((o) => h('option', { value: o }, o)),
            )
          : h('input', {
              class: 'input',
              name: f.name,
              type: f.type ?? 'text',
              value: f.value ?? '',
              'aria-label': f.label,
              autocomplete: f.autocomplete ?? 'off',
              spellcheck: 'false',
              'data-testid': `field-${f.name}`,
            });
      return { f, el };
    });
    const error = h('div', { class: 'modal-error', 'data-testid': 'form-error', role: 'alert' });
    const ok = h('button', { type: 'submit', class: 'btn btn-primary', 'data-testid': 'form-ok' }, opts.okLabel);
    const close = (v: T | null): void => {
      dialog.close();
      dialog.remove();
      resolve(v);
    };
    const form = h(
      'form',
      { method: 'dialog', class: 'modal-form' },
      h('h2', {}, opts.title),
      ...(opts.intro ?? []).map((n) => (typeof n === 'string' ? h('p', { class: 'small' }, n) : n)),
      ...inputs.map(({ f, el }) => h('label', {}, f.label, el)),
      error,
      h(
        'div',
        { class: 'modal-actions' },
        opts.cancellable
          ? h('button', { type: 'button', class: 'btn', 'data-testid': 'form-cancel', onclick: () => close(null) }, 'Cancel')
          : null,
        ok,
      ),
    );
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      const values = Object.fromEntries(inputs.map(({ f, el }) => [f.name, el.value]));
      ok.disabled = true;
      error.textContent = '';
      opts.submit(values).then(
        (r) => close(r),
        (err: unknown) => {
          error.textContent = errorMessage(err);
          for (const { f, el } of inputs) if (f.type === 'password') el.value = '';
          ok.disabled = false;
          (inputs.find(({ f }) => f.type === 'password')?.el ?? inputs[0]?.el)?.focus();
        },
      );
    });
    const dialog = h('dialog', { class: 'modal', 'data-testid': opts.testId }, form);
    dialog.addEventListener('cancel', (e) => {
      e.preventDefault();
      if (opts.cancellable) close(null);
    });
    document.body.append(dialog);
    dialog.showModal();
    inputs[0]?.el.focus();
  });
}
