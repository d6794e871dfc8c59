import { h } from '../../ui/h.ts';
import type { SliceView } from '../../viewer/slice-view.ts';
import type { SurfaceView } from '../../viewer/surface-view.ts';

/** The review screen's body: the viewer grid (the MPR views and the 3D view) and the sidebar's panels. */
export function reviewBody(views: readonly SliceView[], surface: SurfaceView, panels: readonly HTMLElement[]): HTMLElement {
  return h(
    'div',
    { class: 'review-body' },
    h('div', { class: 'viewer-grid', 'data-testid': 'viewer-grid' }, ...views.map((v) => v.element), surface.element),
    h('aside', { class: 'sidebar' }, ...panels),
  );
}
