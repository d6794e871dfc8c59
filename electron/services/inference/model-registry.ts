import { readdir, readFile, stat } from 'node:fs/promises';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import { ModelMetadataSchema, type ModelMetadata } from '../../../shared/inference/model-metadata.ts';
import { ModelBundleError } from './model-bundle-error.ts';
import { sha256File } from './sha256-file.ts';

/** Where a bundle was found: shipped with the app (`models/`) or in the user's models folder. */
export type ModelSource = 'builtin' | 'user';

/** A model bundle whose metadata passed the schema and whose ONNX file matched its sha256. */
export interface ModelBundle {
  /** Absolute path of the bundle folder. */
  readonly dir: string;
  /** Absolute path of the ONNX file (`dir` + `metadata.file`). */
  readonly modelPath: string;
  readonly metadata: ModelMetadata;
  readonly source: ModelSource;
}

/** A folder that looked like a bundle (it has `metadata.json`) but was refused, and why. */
export interface RefusedBundle {
  readonly dir: string;
  readonly source: ModelSource;
  readonly error: ModelBundleError;
  /** `error.message`, for display. */
  readonly reason: string;
}

/** Result of {@link listModelBundles}: the usable bundles and every refused one (never silently dropped). */
export interface ModelListing {
  readonly bundles: readonly ModelBundle[];
  readonly refused: readonly RefusedBundle[];
}

/**
 * Reads and validates one bundle folder: `metadata.json` against `ModelMetadataSchema`, the model
 * path (must stay inside the folder), and the SHA-256 of the ONNX file against `metadata.sha256`.
 * Throws {@link ModelBundleError} with a clear message when anything is wrong; a tampered ONNX
 * file is refused with code `sha256-mismatch`.
 *
 * @param dir bundle folder
 * @param source where it was found (reported back, used by the UI)
 */
export async function loadModelBundle(dir: string, source: ModelSource = 'builtin'): Promise<ModelBundle> {
  const bundleDir = resolve(dir);
  const metadataPath = join(bundleDir, 'metadata.json');
  let text: string;
  try {
    text = await readFile(metadataPath, 'utf8');
  } catch (cause) {
    throw new ModelBundleError('metadata-missing', `model bundle ${bundleDir}: cannot read metadata.json`, { cause });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (cause) {
    throw new ModelBundleError('metadata-invalid', `model bundle ${bundleDir}: metadata.json is not valid JSON`, { cause });
  }
  const parsed = ModelMetadataSchema.safeParse(json);
  if (!parsed.success) {
    const issues = parsed.error.issues
      .slice(0, 3)
      .map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`)
      .join('; ');
    throw new ModelBundleError('metadata-invalid', `model bundle ${bundleDir}: metadata.json does not match the schema (${issues})`, {
      cause: parsed.error,
    });
  }
  const metadata = parsed.data;
  const modelPath = resolve(bundleDir, metadata.file);
  const rel = relative(bundleDir, modelPath);
  if (isAbsolute(metadata.file) || rel === '' || rel.startsWith('..') || rel.split(sep).includes('..') || isAbsolute(rel)) {
    throw new ModelBundleError(
      'unsafe-path',
      `model bundle ${bundleDir}: metadata.file "${metadata.file}" must be a file inside the bundle folder`,
    );
  }
  try {
    const st = await stat(modelPath);
    if (!st.isFile()) throw new Error('not a regular file');
  } catch (cause) {
    throw new ModelBundleError('model-missing', `model bundle ${bundleDir}: model file ${metadata.file} is missing`, { cause });
  }
  const actual = await sha256File(modelPath);
  if (actual !== metadata.sha256) {
    throw new ModelBundleError(
      'sha256-mismatch',
      `model bundle ${bundleDir}: ${metadata.file} has sha256 ${actual} but metadata.json says ${metadata.sha256}; ` +
        'the file was modified or replaced and will not be loaded',
    );
  }
  return { dir: bundleDir, modelPath, metadata, source };
}

/**
 * Lists the model bundles of the app: every `<dir>/*\/metadata.json` in the built-in models folder
 * (the repository's `models/`, or the packaged app's resources) and in the user's models folder.
 * Folders without `metadata.json` (e.g. `models/training`) are ignored; folders with one that fails
 * validation are reported in `refused`. A missing top folder simply contributes nothing.
 * Bundles are sorted built-in first, then by name, then newest version first: the first bundle is the
 * default model (the newest built-in one) until the reader chooses another; a model retrained here is
 * never used before the reader chooses it.
 */
export async function listModelBundles(dirs: {
  readonly builtinDir?: string | null;
  readonly userDir?: string | null;
}): Promise<ModelListing> {
  const bundles: ModelBundle[] = [];
  const refused: RefusedBundle[] = [];
  const roots: [string, ModelSource][] = [];
  if (dirs.builtinDir) roots.push([dirs.builtinDir, 'builtin']);
  if (dirs.userDir) roots.push([dirs.userDir, 'user']);
  for (const [root, source] of roots) {
    let entries: string[];
    try {
      entries = (await readdir(root, { withFileTypes: true }))
        .filter((e) => e.isDirectory())
        .map((e) => e.name)
        .sort();
    } catch {
      continue;
    }
    for (const name of entries) {
      const dir = join(root, name);
      try {
        await stat(join(dir, 'metadata.json'));
      } catch {
        continue;
      }
      try {
        bundles.push(await loadModelBundle(dir, source));
      } catch (error) {
        if (!(error instanceof ModelBundleError)) throw error;
        refused.push({ dir: resolve(dir), source, error, reason: error.message });
      }
    }
  }
  const order = (s: ModelSource): number => (s === 'builtin' ? 0 : 1);
  bundles.sort(
    (a, b) =>
      order(a.source) - order(b.source) ||
      a.metadata.name.localeCompare(b.metadata.name) ||
      compareVersions(b.metadata.version, a.metadata.version),
  );
  return { bundles, refused };
}

/**
 * Semantic-version order of two version strings (`major.minor.patch[-pre-release]`): negative when
 * `a` is older. A pre-release sorts before its release (`1.1.0-retrain.… < 1.1.0`); numbers compare as
 * numbers (`1.10.0 > 1.9.0`).
 */
export function compareVersions(a: string, b: string): number {
  const parse = (v: string) => {
    const [core = '', ...pre] = v.split('-');
    return { nums: core.split('.').map((x) => Number.parseInt(x, 10) || 0), pre: pre.join('-') };
  };
  const x = parse(a),
    y = parse(b);
  for (let i = 0; i < Math.max(x.nums.length, y.nums.length); i++) {
    const d = (x.nums[i] ?? 0) - (y.nums[i] ?? 0);
    if (d !== 0) return d;
  }
  if (x.pre === y.pre) return 0;
  if (!x.pre) return 1;
  if (!y.pre) return -1;
  return x.pre.localeCompare(y.pre);
}
