import type { ServiceApi } from '../../../shared/contracts/contract.ts';
import type { readStudiesContract } from '../../../shared/contracts/read-studies.ts';
import type { ReaderView } from '../../../shared/domain/reader.ts';
import type { CaseReadView, ReadSlot } from '../../../shared/domain/read-study.ts';
import type { CaseStore } from '../../services/cases/case-store.ts';
import { writeFileSafely } from '../../services/exports/safe-write.ts';
import { BlindedError, type BlindingPolicy } from '../../services/read-studies/blinding-policy.ts';
import type { ReadRouting } from '../../services/read-studies/read-routing.ts';
import type { ReadStudies } from '../../services/read-studies/read-studies.ts';
import { studyAgreement } from '../../services/read-studies/study-agreement.ts';
import { actorOf, AuthError, type ReaderAccounts } from '../../services/readers/reader-accounts.ts';
import type { WorkstationDialogs } from '../workstation-dialogs.ts';

export interface ReadStudiesApiDeps {
  readonly store: CaseStore;
  readonly studies: ReadStudies;
  readonly routing: ReadRouting;
  readonly policy: BlindingPolicy;
  readonly accounts: ReaderAccounts;
  /** The signed-in reader (refuses when nobody is). */
  readonly reader: () => ReaderView;
  readonly dialogs?: WorkstationDialogs | undefined;
}

/** Main-side implementation of the `readStudies` service. */
export function createReadStudiesApi(deps: ReadStudiesApiDeps): { readStudies: ServiceApi<(typeof readStudiesContract)['readStudies']> } {
  const { store, studies, routing, policy } = deps;
  return {
    readStudies: {
      list: async () => {
        deps.reader();
        return studies.list();
      },
      create: async (input) => studies.create(input, deps.reader()),
      assign: async (protocolId, caseId, slot, login) => {
        const by = deps.reader();
        const who = deps.accounts.byLogin(login);
        if (!who) throw new AuthError('invalid-credentials', `no reader account ${login}`);
        return studies.assign(protocolId, caseId, slot, who, by);
      },
      assignments: async (protocolId) => {
        const me = deps.reader();
        if (me.role === 'reader') throw new AuthError('forbidden', 'only an admin or adjudicator sees the assignments of a study');
        return studies.assignments(protocolId);
      },
      caseStates: async () => {
        const me = deps.reader();
        return studies.assignedCases().flatMap((caseId): CaseReadView[] => {
          const a = studies.caseAssignment(caseId);
          if (!a) return [];
          const ctx = policy.contextFor(caseId);
          if (!ctx) routing.afterRead(caseId);
          const mySlots = (['read1', 'read2', 'adjudicator'] as const).filter((s: ReadSlot) => a[s]?.readerId === me.id);
          return [
            {
              caseId,
              protocolId: a.study.protocolId,
              design: a.study.design,
              state: ctx ? 'awaiting-reads' : (routing.state(caseId) ?? 'awaiting-reads'),
              mySlots,
              blinded: ctx !== null,
            },
          ];
        });
      },
      caseAgreement: async (caseId) => {
        deps.reader();
        if (policy.contextFor(caseId)) throw new BlindedError(`the agreement of case ${caseId} is shown once both reads are signed`);
        return routing.agreement(caseId);
      },
      stats: async (protocolId) => {
        deps.reader();
        return studyAgreement(studies, routing, protocolId).stats;
      },
      exportStatsCsv: async (protocolId) => {
        const me = deps.reader();
        const { csv, stats } = studyAgreement(studies, routing, protocolId);
        const fileName = `${protocolId.replace(/[^A-Za-z0-9._-]/g, '_')}-agreement.csv`;
        let destination: string | null = null;
        if (deps.dialogs) {
          destination = await deps.dialogs.chooseSaveFile(fileName, { name: 'CSV', extension: 'csv' });
          if (destination === null) return { kind: 'cancelled' };
          writeFileSafely(destination, csv);
        }
        store.audit.append({
          actor: actorOf(me),
          action: 'read-study.export',
          entity: `read_study:${studies.byProtocol(protocolId).id}`,
          details: { protocolId, cases: stats.n, destination },
        });
        return destination === null ? { kind: 'download', fileName, csv } : { kind: 'written', destination };
      },
    },
  };
}
