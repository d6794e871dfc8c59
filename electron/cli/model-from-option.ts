import { ModelBundleError } from '../services/inference/model-bundle-error.ts';
import { listModelBundles, type ModelBundle } from '../services/inference/model-registry.ts';

/**
 * The bundle named by `--model NAME[@VERSION]` among the valid bundles of the registry (built-in
 * models, then the user's), e.g. `lung-burden-convlstm-tta` (the accurate bundle) or
 * `lung-burden-convlstm-fast@1.3.0`. Without a version the newest valid bundle of that name is taken
 * (the registry lists newest first). It goes through the same registry as every other path, so a
 * bundle whose metadata or sha256 fails is never returned: the error names it and why it was refused,
 * and lists the usable ones.
 *
 * @throws ModelBundleError (`model-missing`) when no valid bundle matches (CLI exit code 4)
 */
export async function modelFromOption(spec: string, dirs: { readonly builtinDir: string; readonly userDir: string }): Promise<ModelBundle> {
  const at = spec.lastIndexOf('@');
  const name = (at > 0 ? spec.slice(0, at) : spec).trim();
  const version = at > 0 ? spec.slice(at + 1).trim() : null;
  if (!name) throw new ModelBundleError('model-missing', '--model needs a bundle name (NAME or NAME@VERSION)');
  const { bundles, refused } = await listModelBundles(dirs);
  const found = bundles.find((b) => b.metadata.name === name && (version === null || b.metadata.version === version));
  if (found) return found;
  const usable = bundles.map((b) => `${b.metadata.name}@${b.metadata.version}`).join(', ') || 'none';
  const why = refused.map((r) => `${r.dir}: ${r.reason}`).join('; ');
  throw new ModelBundleError(
    'model-missing',
    `no valid model bundle ${version === null ? name : `${name}@${version}`} (usable: ${usable}${why ? `; refused: ${why}` : ''})`,
  );
}
