import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createWorkstation, type Workstation } from '../../../electron/app/workstation.ts';
import { createDispatcher, type Dispatch } from '../../../electron/ipc/dispatcher.ts';
import { workstationContract } from '../../../shared/contracts/workstation.ts';
import type { CaseId } from '../../../shared/domain/ids.ts';
import type { ReadStudyInput } from '../../../shared/contracts/read-studies.ts';
import { makeResultCase } from '../../support/result-case.ts';
import { REPO_ROOT } from '../../support/shared-data.ts';
import { acknowledgeBlockingQc, signInOverApi, TEST_PASSWORD, testReader } from '../../support/test-readers.ts';

/** A workstation with an admin, two readers (alice, bob), an adjudicator (carol) and one study case. */
export interface ReadStudyFixture {
  readonly dir: string;
  readonly ws: Workstation;
  readonly call: Dispatch;
  readonly caseId: CaseId;
  /** The model's lesion version (v1) and an unrelated reader's version (v2, no account). */
  readonly aiVersion: number;
  as(login: 'admin' | 'alice' | 'bob' | 'carol' | 'dave'): Promise<void>;
  close(): Promise<void>;
}

export const study = (over: Partial<ReadStudyInput> = {}): ReadStudyInput => ({
  protocolId: 'LB-TRIAL-01',
  title: 'Blinded double read',
  design: 'double-adjudication',
  hideAi: false,
  minLesionDice: 0.8,
  maxBurdenDiffPp: 1,
  maxLesionVolumeDiffMl: 1000,
  ...over,
});

/** Creates the fixture; the case is assigned read1 alice, read2 bob, adjudicator carol when `assign`. */
export async function readStudyFixture(input: ReadStudyInput = study(), assign = true): Promise<ReadStudyFixture> {
  const dir = mkdtempSync(join(tmpdir(), 'lb-read-study-'));
  const ws = await createWorkstation({
    dataDir: join(dir, 'data'),
    builtinModelsDir: join(REPO_ROOT, 'test', 'fixtures', 'models'),
    seedSample: false,
  });
  const call = createDispatcher(workstationContract, ws.api);
  await signInOverApi(ws.api, 'admin', 'Test Admin');
  testReader(ws.store, 'Alice');
  testReader(ws.store, 'Bob');
  testReader(ws.store, 'Carol', 'adjudicator');
  testReader(ws.store, 'Dave');
  const c = makeResultCase(ws.store, { sign: false });
  acknowledgeBlockingQc(ws.store, c.caseId);
  await call('readStudies.create', [input]);
  if (assign) {
    await call('readStudies.assign', [input.protocolId, c.caseId, 'read1', 'alice']);
    if (input.design !== 'single') await call('readStudies.assign', [input.protocolId, c.caseId, 'read2', 'bob']);
    if (input.design === 'double-adjudication') await call('readStudies.assign', [input.protocolId, c.caseId, 'adjudicator', 'carol']);
  }
  return {
    dir,
    ws,
    call,
    caseId: c.caseId,
    aiVersion: c.v1,
    as: async (login) => {
      await ws.api.readers.logout();
      await ws.api.readers.login(login, TEST_PASSWORD);
    },
    close: async () => {
      await ws.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
