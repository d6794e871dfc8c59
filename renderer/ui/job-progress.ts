import type { JobInfo } from '../../shared/contracts/workstation.ts';
import { fmtEta } from './format.ts';
import { h } from './h.ts';

/** A running job as a progress bar with its message, the time left and, when given, Cancel. */
export function jobProgress(job: JobInfo, onCancel?: () => void): HTMLElement {
  const frac = job.total > 0 ? Math.min(1, job.done / job.total) : 0;
  return h(
    'div',
    { class: 'job', 'data-testid': `job-${job.kind}` },
    h(
      'div',
      { class: 'progress', role: 'progressbar', 'aria-valuemin': 0, 'aria-valuemax': 100, 'aria-valuenow': Math.round(frac * 100) },
      h('div', { class: 'progress-fill', style: `width:${(frac * 100).toFixed(1)}%` }),
    ),
    h(
      'span',
      { class: 'job-text' },
      `${job.message || job.state}${job.etaS !== null && job.state === 'running' ? ` · ${fmtEta(job.etaS)} left` : ''}`,
    ),
    onCancel && job.state === 'running' ? h('button', { class: 'btn btn-small', onclick: onCancel }, 'Cancel') : null,
  );
}
