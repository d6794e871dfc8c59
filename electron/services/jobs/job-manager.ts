import { randomUUID } from 'node:crypto';
import { userError } from '../logging/user-error.ts';
import type { JobInfo } from '../../../shared/contracts/workstation.ts';
import type { CaseId } from '../../../shared/domain/ids.ts';
import { UserError } from '../../../shared/errors/user-error.ts';

/** What a running job reports. */
export interface JobContext {
  readonly signal: AbortSignal;
  progress(done: number, total: number, message?: string): void;
  addCase(id: CaseId): void;
}

interface JobRecord {
  /** Settles when `run` has returned or thrown. */
  finished?: Promise<void>;
  info: JobInfo;
  controller: AbortController;
  startedAt: number;
}

/**
 * Long-running tasks (imports, AI runs) of the workstation: started, polled, cancelled. A job's
 * progress carries done/total and an ETA extrapolated from the elapsed time. Finished jobs are
 * kept (bounded) so the renderer can read their outcome.
 */
export class JobManager {
  private readonly jobs = new Map<string, JobRecord>();

  /** `onFinish` is told of every job that leaves the running state (logging). */
  constructor(
    private readonly onFinish: (info: JobInfo) => void = () => undefined,
    /** Gets the detail of an internal error (the job's `error` is the user's sentence). */
    private readonly onInternalError: (kind: string, e: unknown) => void = () => undefined,
  ) {}

  start(kind: JobInfo['kind'], run: (ctx: JobContext) => Promise<void>): JobInfo {
    const id = randomUUID();
    const controller = new AbortController();
    const rec: JobRecord = {
      info: { id, kind, state: 'running', done: 0, total: 0, etaS: null, message: 'starting', caseIds: [], error: null },
      controller,
      startedAt: Date.now(),
    };
    this.jobs.set(id, rec);
    this.prune();
    const ctx: JobContext = {
      signal: controller.signal,
      progress: (done, total, message) => {
        const elapsed = (Date.now() - rec.startedAt) / 1000;
        const etaS = done > 0 && total > done ? (elapsed / done) * (total - done) : done >= total && total > 0 ? 0 : null;
        rec.info = { ...rec.info, done, total, etaS, message: message ?? rec.info.message };
      },
      addCase: (caseId) => {
        if (!rec.info.caseIds.includes(caseId)) rec.info = { ...rec.info, caseIds: [...rec.info.caseIds, caseId] };
      },
    };
    rec.finished = run(ctx).then(
      () => {
        rec.info = {
          ...rec.info,
          state: controller.signal.aborted ? 'cancelled' : 'done',
          etaS: 0,
          message: controller.signal.aborted ? 'cancelled' : 'done',
        };
        this.onFinish(rec.info);
      },
      (e: unknown) => {
        const cancelled = controller.signal.aborted;
        const told = userError(e);
        if (!cancelled && told.internal) this.onInternalError(rec.info.kind, e);
        rec.info = {
          ...rec.info,
          state: cancelled ? 'cancelled' : 'failed',
          etaS: null,
          message: cancelled ? 'cancelled' : 'failed',
          error: cancelled ? null : told.message,
        };
        this.onFinish(rec.info);
      },
    );
    return rec.info;
  }

  get(id: string): JobInfo {
    const rec = this.jobs.get(id);
    if (!rec) throw new UserError('not-found', 'not-found', `job ${id} does not exist`);
    return rec.info;
  }

  cancel(id: string): JobInfo {
    const rec = this.jobs.get(id);
    if (!rec) throw new UserError('not-found', 'not-found', `job ${id} does not exist`);
    if (rec.info.state === 'running') rec.controller.abort();
    return rec.info;
  }

  /** The running jobs of one kind (e.g. to allow one retraining at a time). */
  running(kind: JobInfo['kind']): JobInfo[] {
    return [...this.jobs.values()].filter((r) => r.info.kind === kind && r.info.state === 'running').map((r) => r.info);
  }

  /** Resolves when the job has left the running state (tests, CLI). */
  async wait(id: string, pollMs = 50): Promise<JobInfo> {
    for (;;) {
      const info = this.get(id);
      if (info.state !== 'running') return info;
      await new Promise((r) => setTimeout(r, pollMs));
    }
  }

  /** Aborts every running job (app shutdown). */
  abortAll(): void {
    for (const rec of this.jobs.values()) if (rec.info.state === 'running') rec.controller.abort();
  }

  /**
   * Aborts every running job and waits until each has stopped, at most `timeoutMs` (app shutdown:
   * nothing may still write to the store, or run the model, once it is closed). True when all stopped.
   */
  async abortAllAndWait(timeoutMs = 30_000): Promise<boolean> {
    const running = [...this.jobs.values()].filter((r) => r.info.state === 'running');
    for (const rec of running) rec.controller.abort();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timedOut = new Promise<false>((r) => (timer = setTimeout(() => r(false), timeoutMs)));
    const all = Promise.all(running.map((r) => r.finished?.catch(() => undefined) ?? Promise.resolve())).then(() => true as const);
    try {
      return await Promise.race([all, timedOut]);
    } finally {
      clearTimeout(timer);
    }
  }

  private prune(): void {
    if (this.jobs.size <= 200) return;
    for (const [id, rec] of this.jobs) {
      if (rec.info.state !== 'running') this.jobs.delete(id);
      if (this.jobs.size <= 100) break;
    }
  }
}
