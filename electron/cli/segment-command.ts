import { writeFileSafely } from '../services/exports/safe-write.ts';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { basename, extname, join, resolve } from 'node:path';
import { PNG } from 'pngjs';
import jpeg from 'jpeg-js';
import { lungMask } from '../../shared/imaging/lung-mask.ts';
import { computeBurden } from '../../shared/imaging/burden.ts';
import { writeNifti } from '../../shared/nifti/write-nifti.ts';
import { listModelBundles, type ModelBundle } from '../services/inference/model-registry.ts';
import { InferenceService } from '../services/inference/inference-service.ts';
import { importAnyPath, ImportPathError } from '../services/analysis/import-any-path.ts';
import { APP_ROOT } from '../app/paths.ts';
import { parseOrientationName, type StoredOrientation } from '../../shared/imaging/slice-orientation.ts';
import { SegmentOrienter } from './segment-orienter.ts';
import { modelFromOption } from './model-from-option.ts';
import { segmentGray8 } from './segment-gray8.ts';
import { rgbaToGray8 } from './rgba-to-gray8.ts';
import { UsageError } from './cli-usage.ts';
import { EXIT } from './exit-codes.ts';

export { eightBitToVolume } from './eight-bit-to-volume.ts';

export interface SegmentCommandOptions {
  /** One DICOM folder or NIfTI file, or one folder of PNG/JPEG images, or one or more PNG/JPEG files (a shell glob). */
  readonly inputs: readonly string[];
  readonly outDir: string;
  readonly dataDir: string;
  /** Window in which 8-bit images were rendered (default: the model's `eightBitWindow`). */
  readonly windowCenterHu?: number;
  readonly windowWidthHu?: number;
  readonly threads?: number;
  /** `NAME[@VERSION]` of an installed bundle (e.g. the accurate `lung-burden-convlstm-tta`) instead of the first valid one. */
  readonly model?: string;
  /**
   * Stored orientation of 8-bit images: `auto` (default: estimated per image by
   * {@link SegmentOrienter}: the learned classifier cross-checked by the heuristic, any of the 8 transposes/flips) or one orientation for all
   * images (`upright`/`display`, `transposed`, `upside-down`, `mirrored` or a `+`-joined combination,
   * see {@link parseOrientationName}). Every image is segmented upright and its labels are brought
   * back to the stored orientation, so the output matches the input pixel for pixel.
   */
  readonly orientation?: 'auto' | StoredOrientation;
  /**
   * Folder of the orientation classifier bundle used by `auto` (default: the app's
   * `models/orientation/orientnet`; `null`: the heuristic alone). See {@link SegmentOrienter}.
   */
  readonly orientationBundleDir?: string | null;
  readonly log: (msg: string) => void;
}

const IMAGE_EXT = new Set(['.png', '.jpg', '.jpeg']);
/** Image formats a user may hand over that `segment` does not read: named in the error instead of "not a DICOM folder". */
const OTHER_IMAGE_EXT = new Set(['.bmp', '.tif', '.tiff', '.gif', '.webp', '.jp2', '.j2k']);

/** The model used by `segment`: the first valid bundle (bundled models, then the user's). */
async function pickModel(dataDir: string): Promise<ModelBundle> {
  const { bundles, refused } = await listModelBundles({ builtinDir: join(APP_ROOT, 'models'), userDir: join(dataDir, 'models') });
  const m = bundles[0];
  if (!m) {
    const why = refused.map((r) => `${r.dir}: ${r.reason}`).join('; ');
    throw Object.assign(new Error(`no usable lesion model bundle${why ? ` (${why})` : ''}`), { name: 'ModelBundleError' });
  }
  return m;
}

/**
 * What `segment` was given: one volume (DICOM folder or NIfTI file; `images` empty), or the 8-bit images of one
 * folder or of one or more image files. Every image must map to its own output name (`a.png` and `a.jpg`, or
 * `x/1.png` and `y/1.png`, would overwrite each other): such a set is refused before anything is written.
 */
export function segmentInputs(inputs: readonly string[]): { input: string; images: string[] } {
  const first = inputs[0];
  if (first === undefined) throw new UsageError('segment needs <input> and --out <dir>');
  for (const p of inputs) if (!existsSync(resolve(p))) throw new ImportPathError(`no such file or folder: ${p}`);
  const input = resolve(first);
  const isImage = (p: string): boolean => statSync(p).isFile() && IMAGE_EXT.has(extname(p).toLowerCase());
  let images: string[];
  if (inputs.length > 1) {
    const other = inputs.filter((p) => !isImage(resolve(p)));
    if (other.length > 0)
      throw new UsageError(
        `segment takes one DICOM folder, NIfTI file or image folder, or one or more PNG/JPEG files; ${other.join(', ')} ${other.length === 1 ? 'is' : 'are'} not a PNG/JPEG file`,
      );
    images = inputs.map((p) => resolve(p));
  } else if (statSync(input).isFile()) {
    if (OTHER_IMAGE_EXT.has(extname(input).toLowerCase()))
      throw new ImportPathError(`${first}: ${extname(input)} images are not read; save the slices as PNG or JPEG (8-bit grey or RGB)`);
    images = isImage(input) ? [input] : [];
  } else
    images = readdirSync(input)
      .filter((f) => IMAGE_EXT.has(extname(f).toLowerCase()))
      .sort()
      .map((f) => join(input, f));
  const byOutput = new Map<string, string[]>();
  // keyed case-insensitively: on Windows and macOS `A.png` and `a.png` are one file
  for (const f of images) byOutput.set(outputName(f).toLowerCase(), [...(byOutput.get(outputName(f).toLowerCase()) ?? []), f]);
  const clashes = [...byOutput.entries()].filter(([, fs]) => fs.length > 1);
  if (clashes.length > 0)
    throw new UsageError(
      `these images would write the same output file, so one label map would overwrite another: ${clashes
        .map(([, fs]) => `${fs.join(' and ')} → ${outputName(fs[0]!)}`)
        .join('; ')}. Segment them into separate --out folders.`,
    );
  return { input, images };
}

/** The output PNG's name for an input image: its stem + `.png`. */
function outputName(file: string): string {
  return `${basename(file).replace(/\.(png|jpe?g)$/i, '')}.png`;
}

/**
 * `lung-burden segment <input>… --out <dir>`:
 * - a DICOM folder or NIfTI file → `labels.nii.gz` (0 background, 1 GGO, 2 high opacity),
 *   `lung.nii.gz` (0 outside, 1 right, 2 left) and `burden.json`, on the input's (LPS-relabelled) grid;
 * - 8-bit PNG/JPEG files (one or more) or a folder of them → one 8-bit grayscale PNG per image named
 *   `<input stem>.png`, same size and orientation, pixel values 0/1/2. The images are taken as
 *   display images in a lung window (`--window-center/--window-width`, default the model's
 *   `eightBitWindow`) and mapped back to HU; each is run as a pseudo-sequence of F copies of itself
 *   (the network sees no neighbours), with no lung restriction, and averaged with the network's output
 *   for the mirrored image (left–right test-time augmentation). Each image is brought upright first
 *   (its stored orientation, any of the 8 transposes/flips, is estimated per image by default, or
 *   given by `--orientation`) and the labels are brought back: the output PNG is in the input's
 *   orientation either way.
 */
export async function runSegmentCommand(o: SegmentCommandOptions): Promise<number> {
  const { input, images } = segmentInputs(o.inputs);
  const model =
    o.model !== undefined
      ? await modelFromOption(o.model, { builtinDir: join(APP_ROOT, 'models'), userDir: join(o.dataDir, 'models') })
      : await pickModel(o.dataDir);
  mkdirSync(o.outDir, { recursive: true });
  const service = new InferenceService();
  let orienter: SegmentOrienter | null = null;
  try {
    if (images.length > 0) {
      const win = model.metadata.preprocessing.eightBitWindow;
      const center = o.windowCenterHu ?? win.centerHu;
      const width = o.windowWidthHu ?? win.widthHu;
      if (!(width > 0)) throw new ImportPathError('--window-width must be positive');
      let n = 0,
        nTransposed = 0,
        nUpsideDown = 0,
        nMirrored = 0;
      const fixed = o.orientation && o.orientation !== 'auto' ? o.orientation : null;
      orienter = await SegmentOrienter.open({
        fixed,
        bundleDir: o.orientationBundleDir,
        log: o.log,
        ...(o.threads ? { threads: o.threads } : {}),
      });
      const unreadable: string[] = [];
      for (const file of images) {
        let decoded: { gray: Uint8Array; width: number; height: number };
        try {
          decoded = decodeGray8(file);
        } catch (e) {
          if (!(e instanceof ImportPathError)) throw e;
          // one bad file in a folder of hundreds must not cost the others: named here, counted in the exit code
          unreadable.push(e.message);
          o.log(`segment: skipped ${e.message}`);
          continue;
        }
        const { gray, width: w, height: h } = decoded;
        const { labels, orientation } = await segmentGray8(file, gray, w, h, {
          orienter,
          service,
          model,
          centerHu: center,
          widthHu: width,
          ...(o.threads ? { threads: o.threads } : {}),
        });
        if (orientation.transposed) nTransposed++;
        if (orientation.upsideDown) nUpsideDown++;
        if (orientation.mirrored) nMirrored++;
        const png = new PNG({ width: w, height: h, colorType: 0, inputColorType: 0, bitDepth: 8, inputHasAlpha: false });
        png.data = Buffer.from(labels);
        const out = join(o.outDir, outputName(file));
        writeFileSafely(out, PNG.sync.write(png, { colorType: 0, inputColorType: 0, bitDepth: 8, inputHasAlpha: false }), o.outDir);
        n++;
      }
      o.log(
        `segment: ${n} image(s) → ${o.outDir} by ${model.metadata.name} ${model.metadata.version} (values 0 background, 1 GGO, 2 high opacity; ${nTransposed} segmented as transposed, ` +
          `${nUpsideDown} as upside down, ${nMirrored} as mirrored${fixed ? '' : `; ${orienter.summary()}`})`,
      );
      if (unreadable.length === 0) return EXIT.ok;
      o.log(`segment: ${unreadable.length} of ${images.length} image(s) could not be read and have no labels (listed above)`);
      return EXIT.badInput;
    }
    const { series } = await importAnyPath(input);
    const best = [...series].sort((a, b) => b.volume.size[2] - a.volume.size[2])[0]!;
    const lung = lungMask(best.volume);
    const r = await service.run(best.volume, lung, model, { ...(o.threads ? { threads: o.threads } : {}) });
    const burden = computeBurden(best.volume, lung, r.labels.data);
    writeFileSync(join(o.outDir, 'labels.nii.gz'), writeNifti(r.labels));
    writeFileSync(join(o.outDir, 'lung.nii.gz'), writeNifti(lung));
    writeFileSync(
      join(o.outDir, 'burden.json'),
      JSON.stringify(
        { ...burden, model: { name: model.metadata.name, version: model.metadata.version, provider: r.provider }, source: input },
        null,
        2,
      ),
    );
    o.log(`segment: labels.nii.gz, lung.nii.gz, burden.json → ${o.outDir}`);
    return 0;
  } finally {
    await orienter?.dispose();
    await service.dispose();
  }
}

/** Decodes a PNG or JPEG to 8-bit grey (luma of RGB; alpha ignored). */
export function decodeGray8(file: string): { gray: Uint8Array; width: number; height: number } {
  const bytes = readFileSync(file);
  let rgba: Uint8Array;
  let width: number;
  let height: number;
  if (/\.png$/i.test(file)) checkPngSize(bytes, file);
  try {
    if (/\.png$/i.test(file)) {
      const png = PNG.sync.read(bytes);
      ({ width, height } = png);
      rgba = png.data;
    } else {
      const img = jpeg.decode(bytes, { useTArray: true, formatAsRGBA: true, maxMemoryUsageInMB: 512 });
      ({ width, height } = img);
      rgba = img.data;
    }
  } catch (e) {
    throw new ImportPathError(`${basename(file)}: not a readable PNG/JPEG image (${e instanceof Error ? e.message : String(e)})`);
  }
  return { gray: rgbaToGray8(rgba, width * height), width, height };
}

/** Largest side of a slice image `segment` decodes: a CT slice is at most a few thousand pixels wide. */
export const MAX_IMAGE_SIDE = 8192;

/** Refuses a PNG whose header declares an absurd size before its pixels are decoded (20000² RGBA would be 1.6 GB). */
function checkPngSize(bytes: Buffer, file: string): void {
  if (bytes.length < 24 || bytes.toString('latin1', 12, 16) !== 'IHDR') return; // not a PNG: the decoder says so
  const width = bytes.readUInt32BE(16),
    height = bytes.readUInt32BE(20);
  if (width > MAX_IMAGE_SIDE || height > MAX_IMAGE_SIDE)
    throw new ImportPathError(`${basename(file)}: ${width}×${height} pixels is not a CT slice (at most ${MAX_IMAGE_SIDE} per side)`);
}

/** `--orientation` of `segment`: `auto` or an orientation name ({@link parseOrientationName}); null when invalid. */
export function parseSegmentOrientation(value: string): 'auto' | StoredOrientation | null {
  return value === 'auto' ? 'auto' : parseOrientationName(value);
}
