import type { ServiceApi } from '../../../shared/contracts/contract.ts';
import type { ModelInfo, WorkstationContract } from '../../../shared/contracts/workstation.ts';
import type { ReaderView } from '../../../shared/domain/reader.ts';
import { CaseStoreError, type CaseStore } from '../../services/cases/case-store.ts';
import { actorOf } from '../../services/readers/reader-accounts.ts';
import { listRetrainRuns } from '../../services/training/retrain-history.ts';
import { retrainRoot } from '../../services/training/retrain-job.ts';
import { ACTIVE_MODEL_KEY, type ModelCatalog } from './model-catalog.ts';

export interface ModelsApiDeps {
  readonly store: CaseStore;
  readonly catalog: ModelCatalog;
  readonly dataDir: string;
  /** The signed-in reader (throws when nobody is signed in). */
  readonly reader: () => ReaderView;
  readonly log?: (message: string, fields: Record<string, unknown>) => void;
}

/** The `models` service: installed bundles, the active one (audited), past retraining runs. */
export function createModelsApi(deps: ModelsApiDeps): ServiceApi<WorkstationContract['models']> {
  const { store, catalog } = deps;
  const listModels = async (): Promise<ModelInfo[]> => {
    const active = await catalog.active();
    return (await catalog.all()).map((b) => ({
      name: b.metadata.name,
      version: b.metadata.version,
      description: b.metadata.description,
      sha256: b.metadata.sha256,
      active:
        active !== null &&
        active.metadata.name === b.metadata.name &&
        active.metadata.version === b.metadata.version &&
        active.dir === b.dir,
      metrics: b.metadata.metrics,
      source: b.source,
      createdAt: b.metadata.createdAt,
      architecture: b.metadata.architecture,
      trainingData: b.metadata.training.data,
    }));
  };
  return {
    list: async () => listModels(),
    setActive: async (name, version) => {
      const me = deps.reader();
      const found = (await catalog.all()).find((b) => b.metadata.name === name && b.metadata.version === version);
      if (!found) throw new CaseStoreError('not-found', `no valid model bundle ${name} ${version}`);
      store.setSetting(ACTIVE_MODEL_KEY, `${name}@${version}`);
      store.audit.append({
        actor: actorOf(me),
        action: 'model.activate',
        entity: `model:${name}@${version}`,
        sha256: found.metadata.sha256,
        details: { name, version, source: found.source },
      });
      deps.log?.('active model changed', { name, version });
      return listModels();
    },
    retrainRuns: async () => listRetrainRuns(retrainRoot(deps.dataDir)),
  };
}
