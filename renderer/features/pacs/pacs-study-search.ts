import type { PacsSeries, PacsStudy, PacsStudyQuery } from '../../../shared/contracts/pacs.ts';
import type { JobInfo } from '../../../shared/contracts/workstation.ts';
import type { CaseId } from '../../../shared/domain/ids.ts';
import { workstationApi, type WorkstationApi } from '../../app/api.ts';
import { h, replaceChildren } from '../../ui/h.ts';
import { jobProgress } from '../../ui/job-progress.ts';
import { errorMessage, toast } from '../../ui/toast.ts';
import { watchJob } from '../worklist/job-watch.ts';
import { pacsSeriesTable, pacsStudiesTable } from './pacs-result-tables.ts';

/** What the study search needs from the panel: the node, the worklist, and whether it is closed. */
export interface PacsStudySearchHost {
  /** Id of the node to query. */
  readonly nodeId: () => string;
  readonly refreshWorklist: () => Promise<void>;
  readonly selectCase: (id: CaseId) => void;
  /** Runs after a retrieve ends (the panel updates the case to push). */
  readonly retrieved: () => void;
  /** True once the panel is closed (job progress is no longer shown). */
  readonly closed: () => boolean;
}

/** The search part of the PACS panel: its elements and the search button (enabled with a node). */
export interface PacsStudySearch {
  readonly elements: readonly HTMLElement[];
  readonly searchButton: HTMLButtonElement;
}

/** `YYYY-MM-DD` (date input) → DICOM DA `YYYYMMDD`, or undefined when empty. */
const toDa = (v: string): string | undefined => (/^\d{4}-\d{2}-\d{2}$/.test(v) ? v.replaceAll('-', '') : undefined);

/**
 * Search studies on a DICOMweb node (QIDO-RS), list a study's series, and retrieve a series into
 * the worklist (a job with progress and cancel; nothing appears before the whole series is in).
 */
export function pacsStudySearch(api: WorkstationApi['pacs'], host: PacsStudySearchHost): PacsStudySearch {
  const qPatientId = h('input', { class: 'input', type: 'text', placeholder: 'Patient ID', 'data-testid': 'pacs-q-patient-id' });
  const qPatientName = h('input', { class: 'input', type: 'text', placeholder: 'Name (DOE*)', 'data-testid': 'pacs-q-patient-name' });
  const qAccession = h('input', { class: 'input', type: 'text', placeholder: 'Accession' });
  const qFrom = h('input', { class: 'input', type: 'date', 'aria-label': 'Study date from' });
  const qTo = h('input', { class: 'input', type: 'date', 'aria-label': 'Study date to' });
  const qModality = h(
    'select',
    { class: 'input', 'aria-label': 'Modality' },
    h('option', { value: 'CT' }, 'CT'),
    h('option', { value: '' }, 'any modality'),
  );
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
      showStudies(await api.searchStudies(host.nodeId(), q));
    } catch (e) {
      replaceChildren(studiesHost, h('p', { class: 'modal-error', 'data-testid': 'pacs-error' }, errorMessage(e)));
    }
  };
  const showStudies = (studies: readonly PacsStudy[]): void => {
    if (studies.length === 0) {
      replaceChildren(studiesHost, h('p', { class: 'muted' }, 'No study matches.'));
      return;
    }
    replaceChildren(
      studiesHost,
      pacsStudiesTable(studies, (s) => void listSeries(s)),
    );
  };
  const listSeries = async (s: PacsStudy): Promise<void> => {
    replaceChildren(seriesHost, h('p', { class: 'muted' }, 'Loading series…'));
    try {
      const series = await api.searchSeries(host.nodeId(), s.studyInstanceUid);
      replaceChildren(
        seriesHost,
        pacsSeriesTable(series, (se) => void retrieve(se)),
      );
    } catch (e) {
      replaceChildren(seriesHost, h('p', { class: 'modal-error' }, errorMessage(e)));
    }
  };
  const retrieve = async (se: PacsSeries): Promise<void> => {
    const show = (job: JobInfo): void => {
      if (!host.closed())
        replaceChildren(
          jobHost,
          job.state === 'running'
            ? jobProgress(
                job,
                () =>
                  void workstationApi()
                    .jobs.cancel(job.id)
                    .catch((e: unknown) => toast(errorMessage(e), 'error')),
              )
            : null,
        );
    };
    try {
      const final = await watchJob(await api.retrieveSeries(host.nodeId(), se.studyInstanceUid, se.seriesInstanceUid), show);
      if (final.state === 'failed') toast(`Retrieve failed: ${final.error ?? final.message}`, 'error');
      else if (final.state === 'cancelled') toast('Retrieve cancelled; the images already here are kept, Retrieve again resumes');
      else toast(`Retrieved into the worklist: ${se.seriesDescription || se.seriesInstanceUid}`);
      await host.refreshWorklist();
      const id = final.caseIds[0];
      if (id !== undefined) host.selectCase(id);
      host.retrieved();
    } catch (e) {
      toast(`Retrieve failed: ${errorMessage(e)}`, 'error');
    }
  };

  searchBtn.addEventListener('click', () => void search());
  for (const i of [qPatientId, qPatientName, qAccession])
    i.addEventListener('keydown', (e) => {
      if (e.key === 'Enter') void search();
    });
  const elements = [
    h('h3', {}, 'Search studies (QIDO-RS)'),
    h('div', { class: 'toolbar-inline pacs-query' }, qPatientId, qPatientName, qAccession, qFrom, qTo, qModality, searchBtn),
    studiesHost,
    seriesHost,
    jobHost,
  ];
  return { elements, searchButton: searchBtn };
}
