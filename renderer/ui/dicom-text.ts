import { displayText, DISPLAY_TEXT_MAX_CHARS, stripUnsafeText, capText } from '../../shared/export/display-text.ts';
import { h } from './h.ts';

/**
 * A string from an input file (PatientName, IDs, descriptions) as a DOM node: control and bidi
 * formatting characters removed, capped at `max` characters (the full text, capped at 1,000, in
 * the tooltip), inside a `<bdi>` so right-to-left text is isolated from its neighbours
 * (`unicode-bidi: isolate` in styles.css): "RTL\u202E1234" used to show as "RTL4321" and a
 * 10 kB name pushed the worklist columns off-screen.
 */
export function dicomText(value: string, opts: { readonly max?: number; readonly class?: string } = {}): HTMLElement {
  const max = opts.max ?? DISPLAY_TEXT_MAX_CHARS;
  const shown = displayText(value, max);
  const full = capText(stripUnsafeText(value), 1000);
  return h('bdi', { class: `dicom-text${opts.class ? ` ${opts.class}` : ''}`, ...(full !== shown ? { title: full } : {}) }, shown);
}
