import { h } from './h.ts';

/** Shows a short message at the bottom centre; info goes after 4 s, errors after 12 s or a click. */
export function toast(message: string, kind: 'info' | 'error' = 'info'): void {
  let host = document.getElementById('toasts');
  if (!host) {
    host = h('div', { id: 'toasts', role: 'status', 'aria-live': 'polite' });
    document.body.append(host);
  }
  const el = h('div', { class: `toast toast-${kind}`, title: 'Click to dismiss' }, message);
  el.addEventListener('click', () => el.remove());
  host.append(el);
  setTimeout(() => el.remove(), kind === 'info' ? 4000 : 12000);
}

/** The message of anything thrown. */
export function errorMessage(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
