/**
 * The lesion map of a clean real series for the robustness bench: the shipped lesion model run
 * once over every slice (no lung restriction), cached under the OS temp folder by series id and
 * model sha256, because one run takes minutes on 2 CPU cores.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Volume } from '../../shared/domain/volume.ts';
import type { ModelBundle } from '../../electron/services/inference/model-registry.ts';
import { runLesionModel } from '../../electron/services/inference/inference-service.ts';

const CACHE = join(tmpdir(), 'lung-burden-robustness-lesions');

/** Lesion labels (0/1/2) of `volume` by `bundle`, from the cache or computed and cached. */
export async function cleanLesionMap(seriesId: string, volume: Volume, bundle: ModelBundle): Promise<Uint8Array> {
  const file = join(CACHE, `${seriesId}-${bundle.metadata.sha256.slice(0, 16)}.u8`);
  if (existsSync(file)) {
    const b = readFileSync(file);
    if (b.length === volume.data.length) return new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
  }
  const out = await runLesionModel(volume, null, bundle, { threads: 2 });
  mkdirSync(CACHE, { recursive: true });
  writeFileSync(`${file}.part`, out.labels.data);
  renameSync(`${file}.part`, file);
  return out.labels.data;
}
