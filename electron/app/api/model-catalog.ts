import type { CaseStore } from '../../services/cases/case-store.ts';
import { listModelBundles, type ModelBundle } from '../../services/inference/model-registry.ts';

/** Setting key of the active model, `name@version`. */
export const ACTIVE_MODEL_KEY = 'models.active';

/** The installed model bundles (built-in and user-registered) and which one is active. */
export interface ModelCatalog {
  all(): Promise<readonly ModelBundle[]>;
  /** The bundle named by the `models.active` setting, else the first valid one, else null. */
  active(): Promise<ModelBundle | null>;
}

export function createModelCatalog(deps: {
  readonly store: CaseStore;
  readonly builtinDir: string;
  readonly userDir: string;
}): ModelCatalog {
  const all = async (): Promise<readonly ModelBundle[]> =>
    (await listModelBundles({ builtinDir: deps.builtinDir, userDir: deps.userDir })).bundles;
  return {
    all,
    active: async () => {
      const bundles = await all();
      const want = deps.store.getSetting(ACTIVE_MODEL_KEY);
      return bundles.find((b) => `${b.metadata.name}@${b.metadata.version}` === want) ?? bundles[0] ?? null;
    },
  };
}
