import type { PacsNodeInput, PacsNodeView, PacsSeries, PacsStudy, PacsStudyQuery } from '../../../shared/contracts/pacs.ts';
import type { JobInfo } from '../../../shared/contracts/workstation.ts';
import type { CaseId } from '../../../shared/domain/ids.ts';
import { workstationApi } from '../../app/api.ts';
import { fmtDicomDate } from '../../ui/format.ts';
import { h, replaceChildren } from '../../ui/h.ts';
import { jobProgress } from '../../ui/job-progress.ts';
import { showPanel } from '../../ui/modal.ts';
import { errorMessage, toast } from '../../ui/toast.ts';
import { watchJob } from '../worklist/job-watch.ts';

/** Callbacks into the worklist: reload it, select a case, and which case is selected now. */
export interface PacsPanelHost {
  readonly refreshWorklist: () => Promise<void>;
  readonly selectCase: (id: CaseId) => void;
  readonly selectedCase: () => { readonly id: CaseId; readonly label: string; readonly signed: boolean } | null;
}

const field = (label: string, input: HTMLElement, title?: string): HTMLElement => h('label', { class: 'pacs-field', ...(title ? { title } : {}) }, label, input);

/** `YYYY-MM-DD` (date input) → DICOM DA `YYYYMMDD`, or undefined when empty. */
const toDa = (v: string): string | undefined => (/^\d{4}-\d{2}-\d{2}$/.test(v) ? v.replaceAll('-', '') : undefined);

/**
 * The PACS browser: configure DICOMweb nodes (URL, auth; the secret is write-only and either kept
 * encrypted by the OS or for this session only, as the panel says), search studies (QIDO-RS), list
 * a study's series, retrieve a series into the worklist (a job with progress and cancel; nothing
 * appears before the whole series is in), and send the selected case's results back (SEG + SR + PDF).
 */
export function openPacsPanel(host: PacsPanelHost): void {
  const api = workstationApi().pacs;
  let nodes: PacsNodeView[] = [];
  let closed = false;

  // ── node form ──
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
    searchBtn.disabled = nodeSelect.value === '';
    pushBtn.disabled = nodeSelect.value === '';
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

  // ── search ──
  const qPatientId = h('input', { class: 'input', type: 'text', placeholder: 'Patient ID', 'data-testid': 'pacs-q-patient-id' });
  const qPatientName = h('input', { class: 'input', type: 'text', placeholder: 'Name (DOE*)', 'data-testid': 'pacs-q-patient-name' });
  const qAccession = h('input', { class: 'input', type: 'text', placeholder: 'Accession' });
  const qFrom = h('input', { class: 'input', type: 'date', 'aria-label': 'Study date from' });
  const qTo = h('input', { class: 'input', type: 'date', 'aria-label': 'Study date to' });
  const qModality = h('select', { class: 'input', 'aria-label': 'Modality' }, h('option', { value: 'CT' }, 'CT'), h('option', { value: '' }, 'any modality'));
  const searchBtn = h('button', { class: 'btn btn-primary', 'data-testid': 'pacs-search' }, 'Search');
  const studiesHost = h('div', { class: 'pacs-results', 'data-testid': 'pacs-studies' });
  const seriesHost = h('div', { class: 'pacs-results', 'data-testid': 'pacs-series' });
  const jobHost = h('div', { class: 'job-host' });

  const search = async (): Promise<void> => {
    const q: PacsStudyQuery = {
      ...(qPatientId.value.trim() ? { patientId: qPatientId.value.trim() } : {}),
      ...(qPatientName.value.trim() ? { patientName: qPatientName.value.trim() } : {}),
      ...(qAccession.value.trim() ? { accessionNumber: qAccession.value.trim() } : {}),
      ...(toDa(qFrom.value) ? { studyDateFrom: toDa(qFrom.value) } : {}),
      ...(toDa(qTo.value) ? { studyDateTo: toDa(qTo.value) } : {}),
      ...(qModality.value ? { modality: qModality.value } : {}),
      limit: 200,
    };
    replaceChildren(studiesHost, h('p', { class: 'muted' }, 'Searching…'));
    replaceChildren(seriesHost);
    try {
      showStudies(await api.searchStudies(nodeSelect.value, q));
    } catch (e) {
      replaceChildren(studiesHost, h('p', { class: 'modal-error', 'data-testid': 'pacs-error' }, errorMessage(e)));
    }
  };
  const showStudies = (studies: readonly PacsStudy[]): void => {
    if (studies.length === 0) { replaceChildren(studiesHost, h('p', { class: 'muted' }, 'No study matches.')); return; }
    replaceChildren(
      studiesHost,
      h(
        'table',
        { class: 'grid' },
        h('thead', {}, h('tr', {}, h('th', {}, 'Patient'), h('th', {}, 'ID'), h('th', {}, 'Study date'), h('th', {}, 'Accession'), h('th', {}, 'Description'), h('th', {}, 'Modalities'), h('th', { class: 'num' }, 'Series'))),
        h(
          'tbody',
          {},
          ...studies.map((s) => {
            const row = h(
              'tr',
              { class: 'clickable', 'data-testid': 'pacs-study-row', tabindex: 0, title: 'Show the series of this study' },
              h('td', {}, s.patientName.replaceAll('^', ' ')),
              h('td', {}, s.patientId),
              h('td', {}, fmtDicomDate(s.studyDate)),
              h('td', {}, s.accessionNumber),
              h('td', {}, s.studyDescription),
              h('td', {}, s.modalities.join(', ')),
              h('td', { class: 'num' }, s.seriesCount === null ? '' : String(s.seriesCount)),
            );
            const pick = (): void => {
              for (const r of studiesHost.querySelectorAll('tr.selected')) r.classList.remove('selected');
              row.classList.add('selected');
              void listSeries(s);
            };
            row.addEventListener('click', pick);
            row.addEventListener('keydown', (e) => {
              if (e.key === 'Enter') pick();
            });
            return row;
          }),
        ),
      ),
    );
  };
  const listSeries = async (s: PacsStudy): Promise<void> => {
    replaceChildren(seriesHost, h('p', { class: 'muted' }, 'Loading series…'));
    try {
      const series = await api.searchSeries(nodeSelect.value, s.studyInstanceUid);
      replaceChildren(
        seriesHost,
        h(
          'table',
          { class: 'grid' },
          h('thead', {}, h('tr', {}, h('th', {}, '#'), h('th', {}, 'Modality'), h('th', {}, 'Description'), h('th', { class: 'num' }, 'Images'), h('th', {}, ''))),
          h('tbody', {}, ...series.map((se) => seriesRow(se))),
        ),
      );
    } catch (e) {
      replaceChildren(seriesHost, h('p', { class: 'modal-error' }, errorMessage(e)));
    }
  };
  const seriesRow = (se: PacsSeries): HTMLElement =>
    h(
      'tr',
      { 'data-testid': 'pacs-series-row' },
      h('td', {}, se.seriesNumber),
      h('td', {}, se.modality),
      h('td', {}, se.seriesDescription),
      h('td', { class: 'num' }, se.instanceCount === null ? '' : String(se.instanceCount)),
      h('td', {}, se.modality === 'CT' ? h('button', { class: 'btn btn-small btn-primary', 'data-testid': 'pacs-retrieve', onclick: () => void retrieve(se) }, 'Retrieve') : h('span', { class: 'muted small' }, 'not a CT')),
    );
  const retrieve = async (se: PacsSeries): Promise<void> => {
    const show = (job: JobInfo): void => {
      if (!closed) replaceChildren(jobHost, job.state === 'running' ? jobProgress(job, () => void workstationApi().jobs.cancel(job.id).catch((e: unknown) => toast(errorMessage(e), 'error'))) : null);
    };
    try {
      const final = await watchJob(await api.retrieveSeries(nodeSelect.value, se.studyInstanceUid, se.seriesInstanceUid), show);
      if (final.state === 'failed') toast(`Retrieve failed: ${final.error ?? final.message}`, 'error');
      else if (final.state === 'cancelled') toast('Retrieve cancelled; the images already here are kept, Retrieve again resumes');
      else toast(`Retrieved into the worklist: ${se.seriesDescription || se.seriesInstanceUid}`);
      await host.refreshWorklist();
      const id = final.caseIds[0];
      if (id !== undefined) host.selectCase(id);
      updatePushLabel();
    } catch (e) {
      toast(`Retrieve failed: ${errorMessage(e)}`, 'error');
    }
  };

  // ── push ──
  const pushTarget = h('span', { class: 'strong', 'data-testid': 'pacs-push-case' });
  const preliminary = h('input', { type: 'checkbox', 'data-testid': 'pacs-push-preliminary' });
  const pushBtn = h('button', { class: 'btn', 'data-testid': 'pacs-push' }, 'Send results to PACS');
  const pushStatus = h('p', { class: 'muted small', 'data-testid': 'pacs-push-status' });
  const updatePushLabel = (): void => {
    const c = host.selectedCase();
    pushTarget.textContent = c ? `${c.label}${c.signed ? ' (signed)' : ' (not signed)'}` : 'no case selected in the worklist';
  };
  pushBtn.addEventListener('click', () => {
    const c = host.selectedCase();
    if (!c) { toast('Select a case in the worklist first', 'error'); return; }
    pushBtn.disabled = true;
    api
      .pushResults(nodeSelect.value, c.id, { preliminary: preliminary.checked })
      .then((r) => {
        const what = `${r.stored.map((s) => s.kind.toUpperCase()).join(' + ')} of version ${r.labelVersion} (${r.state})`;
        pushStatus.textContent = `Case #${r.caseId}: stored ${what} at ${new Date().toLocaleTimeString()}. SR ${r.stored.find((s) => s.kind === 'sr')?.sopInstanceUid ?? ''}`;
        toast(`Stored on the PACS: ${what}`);
      })
      .catch((e: unknown) => {
        pushStatus.textContent = `Send failed: ${errorMessage(e)}`;
        toast(`Send failed: ${errorMessage(e)}`, 'error');
      })
      .finally(() => {
        pushBtn.disabled = false;
      });
  });

  searchBtn.addEventListener('click', () => void search());
  for (const i of [qPatientId, qPatientName, qAccession]) i.addEventListener('keydown', (e) => {
    if (e.key === 'Enter') void search();
  });

  const content = h(
    'div',
    { class: 'pacs-panel' },
    h('h3', {}, 'DICOMweb nodes'),
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
    h('h3', {}, 'Search studies (QIDO-RS)'),
    h('div', { class: 'toolbar-inline pacs-query' }, qPatientId, qPatientName, qAccession, qFrom, qTo, qModality, searchBtn),
    studiesHost,
    seriesHost,
    jobHost,
    h('h3', {}, 'Send results (SEG + DICOM SR + PDF, STOW-RS)'),
    h(
      'div',
      { class: 'toolbar-inline' },
      h('span', {}, 'Case: '),
      pushTarget,
      h('label', { title: 'Send the latest unsigned version, marked preliminary (SR unverified/partial)' }, preliminary, ' preliminary (unsigned)'),
      pushBtn,
    ),
    pushStatus,
  );
  showPanel('PACS', content, { extraWide: true, testId: 'pacs-panel', onClose: () => { closed = true; } });
  updatePushLabel();
  api
    .nodes()
    .then((list) => {
      if (!closed) fillNodes(list);
    })
    .catch((e: unknown) => toast(errorMessage(e), 'error'));
}
