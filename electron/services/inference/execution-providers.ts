import { existsSync } from 'node:fs';

/** What the caller asks for: a provider by name, or `auto` (best available, see {@link providerCandidates}). */
export type ProviderPreference = 'auto' | 'cpu' | 'cuda' | 'dml' | 'coreml';

/** onnxruntime-node execution provider names this engine tries (`dml` = DirectML). */
export type ProviderName = 'cpu' | 'cuda' | 'dml' | 'coreml';

/**
 * Whether an NVIDIA GPU may be present: on Linux the driver's `/proc/driver/nvidia/version` or a
 * `/dev/nvidia0` device node; on Windows we cannot tell cheaply, so "maybe" (trying CUDA costs a
 * failed library load, a few milliseconds); never on macOS.
 */
export function nvidiaGpuMayExist(platform: NodeJS.Platform = process.platform): boolean {
  if (platform === 'linux') return existsSync('/proc/driver/nvidia/version') || existsSync('/dev/nvidia0');
  return platform === 'win32';
}

/**
 * Ordered execution providers to try, always ending with `cpu`: the worker creates the session
 * with the first one, and on failure logs the reason and tries the next (explicitly — never a
 * silent fallback inside onnxruntime).
 * - `auto`: linux → `cuda` (when an NVIDIA GPU may exist), `cpu`; win32 → `cuda` (maybe), `dml`,
 *   `cpu`; darwin → `coreml`, `cpu`. The stock onnxruntime-node package ships CUDA only as an
 *   optional download (its install script) and DirectML/CoreML only in the matching platform
 *   builds, so on a machine without them these attempts fail fast and CPU is used.
 * - a named provider: that one, then `cpu`.
 */
export function providerCandidates(
  preference: ProviderPreference,
  platform: NodeJS.Platform = process.platform,
  gpuMayExist: boolean = nvidiaGpuMayExist(platform),
): ProviderName[] {
  if (preference === 'cpu') return ['cpu'];
  if (preference !== 'auto') return [preference, 'cpu'];
  const out: ProviderName[] = [];
  if ((platform === 'linux' || platform === 'win32') && gpuMayExist) out.push('cuda');
  if (platform === 'win32') out.push('dml');
  if (platform === 'darwin') out.push('coreml');
  out.push('cpu');
  return out;
}
