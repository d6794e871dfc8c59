import type { JobInfo, ModelInfo, RetrainRunView } from '../../../shared/contracts/workstation.ts';
import { workstationApi } from '../../app/api.ts';
import { fmtEta, fmtTime } from '../../ui/format.ts';
import { h, replaceChildren } from '../../ui/h.ts';
import { jobProgress } from '../../ui/job-progress.ts';
import { showPanel } from '../../ui/modal.ts';
import { errorMessage, toast } from '../../ui/toast.ts';
import { watchJob } from '../worklist/job-watch.ts';
import { comparisonRows, fmtMetric, gateSentence, RUN_STATE_LABEL } from './comparison-rows.ts';

const SUMMARY_METRICS = [
  'medseg_val_dice_ggo',
  'medseg_val_dice_ho',
  'medseg_val_dice_lesion',
  'ma20_val_dice_lesion',
  'ma20_patients_val_dice_lesion',
] as const;
const SUMMARY_HEADERS = ['GGO Dice', 'HO Dice', 'Lesion Dice', 'MA20 lesion', 'MA20 patients'] as const;
/** What each summary column measures (the column header's tooltip). */
const SUMMARY_TITLES = [
  'MedSeg validation, 10 real slices: GGO Dice (mean per slice)',
  'MedSeg validation, 10 real slices: high-opacity Dice (mean per slice)',
  'MedSeg validation, 10 real slices: all-lesion Dice (mean per slice)',
  'MA20 validation, 100 real slices (the split retraining is compared on): lesion Dice',
  'MA20, all slices of the 3 held-out patients (438): lesion Dice; — when the bundle was not scored on them',
] as const;

/** A retraining job started from this window, followed until it ends (one at a time). */
let activeJob: JobInfo | null = null;

function modelsTable(models: readonly ModelInfo[], onUse: (m: ModelInfo) => void): HTMLElement {
  if (models.length === 0) return h('p', { class: 'muted' }, 'No lesion model is installed. Run AI segments the lungs only.');
  return h(
    'table',
    { class: 'grid', 'data-testid': 'models-table' },
    h('thead', {}, h('tr', {}, h('th', {}, 'Model'), h('th', {}, 'Source'), h('th', {}, 'Created'), ...SUMMARY_HEADERS.map((t, i) => h('th', { class: 'num', title: SUMMARY_TITLES[i] ?? '' }, t)), h('th', {}, 'SHA-256'), h('th', {}, ''))),
    h(
      'tbody',
      {},
      ...models.map((m) =>
        h(
          'tr',
          { class: m.active ? 'selected' : '', 'data-testid': 'model-row', 'data-version': m.version },
          h('td', {}, h('div', { class: 'strong' }, `${m.name} ${m.version}`), h('div', { class: 'muted small' }, `architecture ${m.architecture}`), h('details', { class: 'small muted' }, h('summary', {}, 'training data'), h('ul', {}, ...m.trainingData.map((d) => h('li', {}, d))))),
          h('td', {}, m.source === 'builtin' ? 'Built in' : 'Retrained here'),
          h('td', { class: 'small' }, fmtTime(m.createdAt)),
          ...SUMMARY_METRICS.map((k) => h('td', { class: 'num' }, fmtMetric(k, m.metrics[k] ?? null))),
          h('td', { class: 'small mono', title: m.sha256 }, m.sha256.slice(0, 12)),
          h('td', {}, m.active ? h('span', { class: 'pill pill-signed' }, 'Active') : h('button', { class: 'btn btn-small', 'data-testid': 'model-use', onclick: () => onUse(m) }, 'Use')),
        ),
      ),
    ),
  );
}

function comparisonTable(run: RetrainRunView): HTMLElement {
  const rows = comparisonRows(run.metrics, run.gate?.metric ?? null);
  let lastSet = '';
  return h(
    'table',
    { class: 'grid compare-table', 'data-testid': 'retrain-comparison' },
    h('thead', {}, h('tr', {}, h('th', {}, 'Metric (fixed validation split)'), h('th', { class: 'num' }, `Old${run.base ? ` (${run.base.version})` : ''}`), h('th', { class: 'num' }, `New${run.newVersion ? ` (${run.newVersion})` : ''}`), h('th', { class: 'num' }, 'Δ'))),
    h(
      'tbody',
      {},
      ...rows.flatMap((r) => {
        const head = r.set !== lastSet ? h('tr', { class: 'group' }, h('td', { colspan: 4 }, r.set)) : null;
        lastSet = r.set;
        return [
          head,
          h(
            'tr',
            { class: r.gate ? 'gate' : '', 'data-metric': r.key },
            h('td', {}, r.label, r.gate ? h('span', { class: 'pill', title: 'This metric decides whether the new model is registered' }, 'gate') : null),
            h('td', { class: 'num' }, r.old),
            h('td', { class: 'num' }, r.new),
            h('td', { class: `num delta-${r.verdict}` }, r.delta),
          ),
        ].filter((x): x is HTMLTableRowElement => x !== null);
      }),
    ),
  );
}

function runBlock(run: RetrainRunView, open: boolean): HTMLElement {
  const pillClass = run.state === 'registered' ? 'pill-signed' : run.state === 'refused' || run.state === 'failed' ? 'pill-refused' : 'pill-in-review';
  const facts = [
    run.base ? `${run.base.name} ${run.base.version} → ${run.newVersion ?? 'not registered'}` : null,
    `${run.exportedCases} signed case(s)${run.trainingWindows ? `, ${run.trainingWindows} training windows` : ''}`,
    `${run.steps} steps${run.trainingS !== null ? ` in ${fmtEta(run.trainingS)}` : ''}`,
  ].filter(Boolean).join(' · ');
  const d = h(
    'details',
    { class: 'retrain-run', 'data-testid': 'retrain-run', 'data-state': run.state },
    h('summary', {}, h('span', { class: 'strong' }, fmtTime(run.startedAt)), h('span', { class: `pill ${pillClass}` }, RUN_STATE_LABEL[run.state]), h('span', { class: 'muted small' }, ` ${facts}`)),
    h('p', { class: 'gate-sentence', 'data-testid': 'retrain-gate' }, gateSentence(run)),
    run.error && run.gate ? h('p', { class: 'modal-error' }, run.error) : null,
    run.metrics.length ? comparisonTable(run) : null,
    run.validationSplitSha256 ? h('p', { class: 'muted small' }, `Validation split sha256 ${run.validationSplitSha256.slice(0, 16)}… (unchanged by training; exported cases are never added to it).`) : null,
  );
  d.open = open;
  return d;
}

/**
 * The Models panel: the registered lesion models with their validation metrics (one is active),
 * retraining from the signed cases (the human-in-the-loop cycle) with live progress, and every
 * earlier retraining with its old/new comparison on the fixed validation split.
 * `onModelsChanged` lets the worklist refresh its model selector.
 */
export function openModelsPanel(onModelsChanged: (models: readonly ModelInfo[]) => void): void {
  const api = workstationApi();
  const modelsHost = h('div', {});
  const runsHost = h('div', { 'data-testid': 'retrain-runs' });
  const jobHost = h('div', { class: 'job-host' });
  const steps = h('input', { class: 'input input-num', type: 'number', min: 1, max: 100000, step: 1, value: 300, 'aria-label': 'Fine-tuning steps', 'data-testid': 'retrain-steps' });
  const minDelta = h('input', { class: 'input input-num', type: 'number', min: 0, max: 1, step: 0.005, value: 0, 'aria-label': 'Allowed drop of lesion Dice', 'data-testid': 'retrain-min-delta' });
  const startBtn = h('button', { class: 'btn btn-primary', 'data-testid': 'retrain-start' }, 'Retrain from signed cases');
  const intro = h('p', { class: 'muted small' });
  let closed = false;

  const refresh = async (): Promise<void> => {
    const [models, runs, cases] = await Promise.all([api.models.list(), api.models.retrainRuns(), api.cases.list()]);
    if (closed) return;
    const signed = cases.filter((c) => c.status === 'signed').length;
    const active = models.find((m) => m.active);
    replaceChildren(modelsHost, modelsTable(models, (m) => void use(m)));
    replaceChildren(
      runsHost,
      ...(runs.length ? runs.map((r, i) => runBlock(r, i === 0)) : [h('p', { class: 'muted' }, 'No retraining yet.')]),
    );
    intro.textContent = active
      ? `${signed} signed case(s) will be exported (de-identified) and used to fine-tune ${active.name} ${active.version}. ` +
        'Old and new model are then compared on the fixed validation split, which is never trained on; the new model is registered only if its MedSeg lesion Dice is at least the old one minus the allowed drop.'
      : 'Install a lesion model first.';
    startBtn.disabled = signed === 0 || !active || activeJob?.state === 'running';
    startBtn.title = signed === 0 ? 'Sign off at least one case first' : '';
    onModelsChanged(models);
  };
  const use = async (m: ModelInfo): Promise<void> => {
    try {
      onModelsChanged(await api.models.setActive(m.name, m.version));
      toast(`Run AI now uses ${m.name} ${m.version}; earlier label versions are kept`);
      await refresh();
    } catch (e) {
      toast(errorMessage(e), 'error');
    }
  };
  const showJob = (job: JobInfo): void => {
    replaceChildren(jobHost, job.state === 'running' ? jobProgress(job, () => void api.jobs.cancel(job.id).catch((e: unknown) => toast(errorMessage(e), 'error'))) : null);
  };
  const follow = async (job: JobInfo): Promise<void> => {
    activeJob = job;
    startBtn.disabled = true;
    try {
      const final = await watchJob(job, (j) => {
        activeJob = j;
        if (!closed) showJob(j);
      }, 1000);
      if (final.state === 'failed') toast(`Retraining failed: ${final.error ?? final.message}`, 'error');
      else if (final.state === 'cancelled') toast('Retraining cancelled');
      else toast(`Retraining finished: ${final.message}`);
    } finally {
      activeJob = null;
      if (!closed) await refresh().catch((e: unknown) => toast(errorMessage(e), 'error'));
    }
  };
  startBtn.addEventListener('click', () => {
    const n = Number(steps.value);
    const d = Number(minDelta.value);
    if (!Number.isInteger(n) || n < 1 || n > 100000) { toast('Steps: a whole number from 1 to 100000', 'error'); return; }
    if (!Number.isFinite(d) || d < 0 || d > 1) { toast('Allowed drop: a number from 0 to 1', 'error'); return; }
    api.jobs
      .retrain({ steps: n, minDelta: d })
      .then((job) => follow(job))
      .catch((e: unknown) => toast(`Retraining could not start: ${errorMessage(e)}`, 'error'));
  });

  const content = h(
    'div',
    { class: 'models-panel' },
    h('h3', {}, 'Lesion models'),
    modelsHost,
    h('h3', {}, 'Retrain from the signed cases'),
    intro,
    h('div', { class: 'toolbar-inline' }, h('label', {}, 'Steps ', steps), h('label', { title: 'The new model is refused if its lesion Dice is lower than the old one minus this' }, 'Allowed Dice drop ', minDelta), startBtn),
    jobHost,
    h('h3', {}, 'Retraining history'),
    runsHost,
  );
  showPanel('Models and retraining', content, { extraWide: true, testId: 'models-panel', onClose: () => { closed = true; } });
  if (activeJob?.state === 'running') void follow(activeJob);
  void refresh().catch((e: unknown) => toast(errorMessage(e), 'error'));
}
