import { ContractError } from '../../../shared/contracts/contract.ts';
import type { AuditEntryView } from '../../../shared/contracts/audit.ts';
import type { BurdenView } from '../../../shared/contracts/workstation.ts';
import type { CaseDetail, CaseStatus, CaseSummary, LabelVersionInfo } from '../../../shared/domain/case.ts';
import type { CaseId, LabelVersionId } from '../../../shared/domain/ids.ts';
import type { ReaderView } from '../../../shared/domain/reader.ts';
import type { CaseStore } from '../cases/case-store.ts';
import type { ReadRouting } from './read-routing.ts';

/** Whom a case is blinded for, and how: the viewer's own account and whether AI output is hidden too. */
export interface BlindContext {
  readonly readerId: number | null;
  readonly login: string | null;
  readonly hideAi: boolean;
}

/** Audit actions any viewer of a blinded case may see, whoever did them (they carry no read). */
const NEUTRAL_ACTIONS = new Set(['case.import', 'audit.start', 'qc.acknowledge']);

/**
 * The blinding rule of double reads, in one place. While a double-read case has an unsigned read,
 * every viewer except an admin who holds no read slot of it is blinded: they see the AI output
 * (none when the study hides it), the lung mask algorithm's versions and their own versions — never
 * another reader's versions, labels, signatures, burden, status, or audit entries. Once both reads
 * are signed, nobody is blinded.
 */
export class BlindingPolicy {
  constructor(
    private readonly store: CaseStore,
    private readonly routing: ReadRouting,
    private readonly viewer: () => ReaderView | null,
  ) {}

  /** The blind context of a case for the signed-in viewer, or null when nothing is hidden. */
  contextFor(caseId: CaseId): BlindContext | null {
    const a = this.routing.doubleRead(caseId);
    if (!a || !this.routing.readsOpen(caseId)) return null;
    const me = this.viewer();
    const reads = me !== null && (a.read1.readerId === me.id || a.read2.readerId === me.id);
    if (me && me.role === 'admin' && !reads) return null;
    return { readerId: me?.id ?? null, login: me?.login ?? null, hideAi: a.study.hideAi };
  }

  versionVisible(v: LabelVersionInfo, ctx: BlindContext): boolean {
    if (v.author.kind === 'reader') return ctx.readerId !== null && v.author.readerId === ctx.readerId;
    if (v.author.kind === 'model') return !ctx.hideAi;
    return true; // the lung mask algorithm
  }

  /** Refuses a version the viewer may not see (its existence is said, never its content or author). */
  assertVisible(id: LabelVersionId): void {
    const v = this.store.labelVersion(id);
    const ctx = this.contextFor(v.caseId);
    if (ctx && !this.versionVisible(v, ctx)) {
      throw new BlindedError(`label version ${id} is not available to you: case ${v.caseId} is read blind until both reads are signed`);
    }
  }

  summary<T extends CaseSummary>(c: T, ctx: BlindContext): T {
    const versions = this.store.listLabelVersions(c.id).filter((v) => this.versionVisible(v, ctx));
    const lesion = versions.filter((v) => v.kind === 'lesion');
    const own = lesion.filter((v) => v.author.kind === 'reader');
    const status: CaseStatus = own.some((v) => v.signed)
      ? 'signed'
      : own.length
        ? 'in-review'
        : lesion.some((v) => v.author.kind === 'model')
          ? 'ai-done'
          : 'new';
    const latest = versions.reduce<string>((t, v) => (v.createdAt > t ? v.createdAt : t), '');
    const burden = this.burden(c.id, ctx);
    return {
      ...c,
      status,
      result: null,
      burdenPercent: typeof burden?.burdenPercent === 'number' ? burden.burdenPercent : null,
      lastReader: own.at(-1)?.author.name ?? null,
      updatedAt: latest,
      modelVersion: ctx.hideAi ? null : c.modelVersion,
      uncertainty: ctx.hideAi ? null : c.uncertainty,
    };
  }

  detail(d: CaseDetail, ctx: BlindContext): CaseDetail {
    return { ...this.summary(d, ctx), labelVersions: d.labelVersions.filter((v) => this.versionVisible(v, ctx)) };
  }

  /** The stored burden of the viewer's newest visible lesion version (with a visible lung version), or null. */
  burden(caseId: CaseId, ctx: BlindContext): BurdenView | null {
    const versions = this.store.listLabelVersions(caseId).filter((v) => this.versionVisible(v, ctx));
    const lesion = versions.filter((v) => v.kind === 'lesion').sort((a, b) => b.version - a.version)[0];
    if (!lesion) return null;
    const lungIds = new Set(versions.filter((v) => v.kind === 'lung').map((v) => v.id as number));
    const rows = this.store.db
      .prepare('SELECT lung_version_id, burden_json FROM burden_records WHERE case_id = ? AND lesion_version_id = ? ORDER BY id DESC')
      .all(caseId, lesion.id) as { lung_version_id: number; burden_json: string }[];
    const row = rows.find((r) => lungIds.has(r.lung_version_id));
    return row ? (JSON.parse(row.burden_json) as BurdenView) : null;
  }

  /** Whether an audit entry of a blinded case may be shown to the viewer. */
  auditVisible(e: AuditEntryView, ctx: BlindContext): boolean {
    if (ctx.login !== null && e.actor.toLowerCase() === ctx.login.toLowerCase()) return true;
    if (NEUTRAL_ACTIONS.has(e.action)) return true;
    // Who holds the other slot is not said either: only the viewer's own assignment.
    if (e.action === 'read-study.assign')
      return ctx.login !== null && String(e.details['reader']).toLowerCase() === ctx.login.toLowerCase();
    if (e.action === 'label.save') return e.details['authorKind'] === 'algorithm' || (e.details['authorKind'] === 'model' && !ctx.hideAi);
    return false;
  }
}

/** A call refused because it would show a blinded read. */
export class BlindedError extends ContractError {
  constructor(message: string) {
    super('unauthorized', message);
    this.name = 'BlindedError';
  }
}
