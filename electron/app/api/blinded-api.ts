import type { ContractApi } from '../../../shared/contracts/contract.ts';
import type { WorkstationContract } from '../../../shared/contracts/workstation.ts';
import type { CaseId } from '../../../shared/domain/ids.ts';
import type { ReaderView } from '../../../shared/domain/reader.ts';
import { AuthError } from '../../services/readers/reader-accounts.ts';
import { CaseStoreError, type CaseStore } from '../../services/cases/case-store.ts';
import { AutosaveOwners } from '../../services/read-studies/autosave-owners.ts';
import { BlindedError, type BlindingPolicy } from '../../services/read-studies/blinding-policy.ts';
import type { ReadRouting } from '../../services/read-studies/read-routing.ts';
import { blindedTimeline } from './blinded-timeline.ts';
import { LabelPatchError } from '../../services/cases/label-patch-error.ts';

export interface BlindingDeps {
  readonly store: CaseStore;
  readonly policy: BlindingPolicy;
  readonly routing: ReadRouting;
  readonly viewer: () => ReaderView | null;
}

type Api = ContractApi<WorkstationContract>;

/**
 * Enforces blinded double reads on the main side, around every call that shows a case's reads:
 * `cases.list/get/labelBytes/burden/compareVersions` (filtered or refused), `cases.signOff` and
 * `trial.timeline` (a blinded case's figures are the viewer's own), `saveLesionLabels` (a blinded reader cannot sign or derive from a version they may not see; only
 * the assigned readers sign reads of a double-read case), `exports.run` and `pacs.pushResults`
 * (refused while blinded), `audit.entries` (other readers' entries left out), `autosave.*` (the
 * other reader's unsaved edits never offered), and `adjudication.sign` (the study's adjudicator,
 * only in a study with adjudication). After each read signature the agreement is computed and the
 * case routed (`ReadRouting.afterRead`). `labelPatches.*` is refused while blinded
 * (`stale-parent`, whatever was saved): the renderer then saves the full map through `saveLesionLabels`
 * (`saveLungLabels`, `lungAutosave.stage` for the lung mask, as before patches).
 */
export function withBlinding(api: Api, deps: BlindingDeps): Api {
  const { store, policy, routing } = deps;
  const owners = new AutosaveOwners(store.db);
  const refuseBlinded = (caseId: CaseId, what: string): void => {
    if (policy.contextFor(caseId))
      throw new BlindedError(
        `${what} of case ${caseId} is not available while its blinded reads are open (both reads must be signed first)`,
      );
  };
  const refusePatchWhileBlinded = (caseId: CaseId, what: string): void => {
    if (policy.contextFor(caseId))
      throw new LabelPatchError('stale-parent', `case ${caseId} is in an open blinded read: its ${what} whole`);
  };
  const otherOwnersAutosave = (caseId: number): boolean => {
    const ctx = policy.contextFor(caseId as CaseId);
    return ctx !== null && (ctx.readerId === null || owners.owner(caseId) !== ctx.readerId);
  };
  return {
    ...api,
    cases: {
      ...api.cases,
      list: async () =>
        (await api.cases.list()).map((c) => {
          const ctx = policy.contextFor(c.id);
          return ctx ? policy.summary(c, ctx) : c;
        }),
      get: async (id) => {
        const d = await api.cases.get(id);
        const ctx = policy.contextFor(id);
        return ctx ? policy.detail(d, ctx) : d;
      },
      labelBytes: async (id) => {
        policy.assertVisible(id);
        return api.cases.labelBytes(id);
      },
      burden: async (id) => {
        const b = await api.cases.burden(id);
        const ctx = policy.contextFor(id);
        return ctx ? policy.burden(id, ctx) : b;
      },
      compareVersions: async (a, b) => {
        policy.assertVisible(a);
        policy.assertVisible(b);
        return api.cases.compareVersions(a, b);
      },
      saveLesionLabels: async (caseId, bytes, parentId, note) => {
        if (parentId !== null) policy.assertVisible(parentId);
        return api.cases.saveLesionLabels(caseId, bytes, parentId, note);
      },
      signOff: async (caseId, versionId, password) => {
        const me = deps.viewer();
        if (!me) return api.cases.signOff(caseId, versionId, password); // refused there: sign in first
        policy.assertVisible(versionId);
        const d = routing.doubleRead(caseId);
        if (d && d.read1.readerId !== me.id && d.read2.readerId !== me.id) {
          throw new AuthError(
            'forbidden',
            `case ${caseId} is read in study ${d.study.protocolId} by ${d.read1.readerLogin} and ${d.read2.readerLogin}: only they sign its reads`,
          );
        }
        const signed = await api.cases.signOff(caseId, versionId, password);
        routing.afterRead(caseId);
        return signed;
      },
    },
    labelPatches: {
      // While blinded reads are open, whether another version was saved is not the reader's to
      // know: every patch is refused alike and the review screen saves the full map (checked above).
      saveLesionPatch: async (caseId, patch, parentId, sha256, note) => {
        if (parentId !== null) policy.assertVisible(parentId);
        refusePatchWhileBlinded(caseId, 'labels are saved');
        return api.labelPatches.saveLesionPatch(caseId, patch, parentId, sha256, note);
      },
      stageLesionPatch: async (caseId, patch, parentId, sha256) => {
        refusePatchWhileBlinded(caseId, 'autosave is staged');
        return api.labelPatches.stageLesionPatch(caseId, patch, parentId, sha256);
      },
      saveLungPatch: async (caseId, patch, parentId, sha256, note) => {
        refusePatchWhileBlinded(caseId, 'lung mask is saved');
        return api.labelPatches.saveLungPatch(caseId, patch, parentId, sha256, note);
      },
      stageLungPatch: async (caseId, patch, parentId, sha256) => {
        refusePatchWhileBlinded(caseId, 'lung autosave is staged');
        return api.labelPatches.stageLungPatch(caseId, patch, parentId, sha256);
      },
    },
    adjudication: {
      sign: async (caseId, versionId, password, reason) => {
        const a = routing.doubleRead(caseId);
        const me = deps.viewer();
        if (a && a.study.design === 'double')
          throw new CaseStoreError(
            'invalid',
            `study ${a.study.protocolId} is a double read without adjudication: its read1 read is the result`,
          );
        if (a && routing.readsOpen(caseId))
          throw new CaseStoreError('invalid', `case ${caseId} has an unsigned read: adjudication comes after both reads are signed`);
        if (a?.adjudicator && me && me.role !== 'admin' && a.adjudicator.readerId !== me.id)
          throw new AuthError('forbidden', `case ${caseId} is adjudicated by ${a.adjudicator.readerLogin}`);
        return api.adjudication.sign(caseId, versionId, password, reason);
      },
    },
    exports: {
      ...api.exports,
      run: async (caseId, req) => {
        refuseBlinded(caseId, 'an export or report');
        return api.exports.run(caseId, req);
      },
    },
    pacs: {
      ...api.pacs,
      pushResults: async (node, caseId, opts) => {
        refuseBlinded(caseId, 'a PACS push');
        return api.pacs.pushResults(node, caseId, opts);
      },
    },
    trial: {
      ...api.trial,
      timeline: async (caseId) => blindedTimeline(await api.trial.timeline(caseId), policy),
    },
    audit: {
      ...api.audit,
      entries: async (caseId) => {
        const entries = await api.audit.entries(caseId);
        const ctxs = new Map<number, ReturnType<BlindingPolicy['contextFor']>>();
        return entries.filter((e) => {
          if (e.caseId === null) return true;
          if (!ctxs.has(e.caseId)) ctxs.set(e.caseId, policy.contextFor(e.caseId as CaseId));
          const ctx = ctxs.get(e.caseId);
          return !ctx || policy.auditVisible(e, ctx);
        });
      },
    },
    autosave: {
      ...api.autosave,
      stage: async (caseId, bytes, parentId) => {
        if (parentId !== null) policy.assertVisible(parentId);
        const out = await api.autosave.stage(caseId, bytes, parentId);
        const me = deps.viewer();
        if (me) owners.set(caseId, me.id);
        return out;
      },
      recover: async (caseId) => (otherOwnersAutosave(caseId) ? { kind: 'none' } : api.autosave.recover(caseId)),
      recoveredBytes: async (caseId) => {
        if (otherOwnersAutosave(caseId)) throw new CaseStoreError('not-found', `case ${caseId} has no autosaved edits of yours`);
        return api.autosave.recoveredBytes(caseId);
      },
      discard: async (caseId) => {
        if (otherOwnersAutosave(caseId)) throw new BlindedError(`the autosaved edits of case ${caseId} are not yours to discard`);
        return api.autosave.discard(caseId);
      },
      pending: async () => (await api.autosave.pending()).filter((id) => !otherOwnersAutosave(id)),
    },
  };
}
