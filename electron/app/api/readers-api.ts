import type { ServiceApi } from '../../../shared/contracts/contract.ts';
import type { readersContract } from '../../../shared/contracts/readers.ts';
import type { CaseId, LabelVersionId } from '../../../shared/domain/ids.ts';
import type { LabelVersionInfo } from '../../../shared/domain/case.ts';
import type { CaseStore } from '../../services/cases/case-store.ts';
import { PASSWORD_RULE } from '../../services/readers/password-hash.ts';
import { actorOf, AuthError, type ReaderAccounts } from '../../services/readers/reader-accounts.ts';
import type { ReaderSession } from '../../services/readers/reader-session.ts';
import { adjudicate, signOff } from '../../services/readers/sign-off.ts';
import type { adjudicationContract } from '../../../shared/contracts/adjudication.ts';
import type { Logger } from '../../services/logging/logger.ts';
import type { CaseCompute } from '../../services/compute/case-compute.ts';

export interface ReadersApiDeps {
  readonly store: CaseStore;
  readonly accounts: ReaderAccounts;
  readonly session: ReaderSession;
  readonly log: Logger;
  /** Waits for background work (burden of a just-saved version) before signing. */
  readonly idle: () => Promise<void>;
  /** The compute pool: signature checks and the signed pair's burden run there (absent: inline). */
  readonly compute?: CaseCompute;
}

type ReadersService = ServiceApi<(typeof readersContract)['readers']>;

/** Main-side implementation of the `readers` service, and of `cases.signOff`. */
export function createReadersApi(deps: ReadersApiDeps): {
  readers: ReadersService;
  adjudication: ServiceApi<(typeof adjudicationContract)['adjudication']>;
  signOff(caseId: CaseId, versionId: LabelVersionId, password: string): Promise<LabelVersionInfo>;
} {
  const { store, accounts, session, log } = deps;
  const admin = () => {
    const me = session.require();
    if (me.role !== 'admin') throw new AuthError('forbidden', 'only an admin can manage accounts');
    return me;
  };
  const readers: ReadersService = {
    session: async () => ({ needsFirstAdmin: accounts.count() === 0, current: session.current(), passwordRule: PASSWORD_RULE }),
    createFirstAdmin: async (login, displayName, password) => {
      const r = await accounts.create({ login, displayName, role: 'admin', password }, null);
      session.start(r);
      log.info('first admin account created', { reader: r.id });
      return r;
    },
    login: async (login, password) => {
      const r = await accounts.authenticate(login, password);
      session.start(r);
      log.info('reader signed in', { reader: r.id, role: r.role });
      return r;
    },
    logout: async () => {
      const me = session.current();
      if (me) store.audit.append({ actor: actorOf(me), action: 'account.logout', entity: `reader:${me.id}` });
      session.end();
      return null;
    },
    list: async () => {
      admin();
      return accounts.list();
    },
    create: async (login, displayName, role, password) => accounts.create({ login, displayName, role, password }, admin()),
    unlock: async (login) => accounts.unlock(login, admin()),
    changePassword: async (oldPassword, newPassword) => {
      await accounts.changePassword(session.require().id, oldPassword, newPassword);
      return null;
    },
  };
  return {
    readers,
    adjudication: {
      sign: async (caseId, versionId, password, reason) => {
        await deps.idle();
        const out = await adjudicate(
          { store, accounts, ...(deps.compute ? { compute: deps.compute } : {}) },
          session.require(),
          caseId,
          versionId,
          password,
          reason,
        );
        log.info('case adjudicated', { caseId, version: out.version.version, signature: out.signature.id });
        return out.version;
      },
    },
    signOff: async (caseId, versionId, password) => {
      await deps.idle();
      const out = await signOff(
        { store, accounts, ...(deps.compute ? { compute: deps.compute } : {}) },
        session.require(),
        caseId,
        versionId,
        password,
      );
      log.info('case signed', {
        caseId,
        version: out.version.version,
        signature: out.signature.id,
        copiedFrom: out.copiedFrom?.version ?? null,
      });
      return out.version;
    },
  };
}
