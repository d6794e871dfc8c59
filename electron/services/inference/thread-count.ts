import { readdirSync, readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';

/**
 * Default number of onnxruntime intra-op threads: the number of PHYSICAL cores (hyper-threads
 * share the floating-point units that convolution saturates, so using them slows it down), capped
 * by `os.availableParallelism()` (CPU affinity / container limits). Physical cores are counted from
 * Linux sysfs (distinct `physical_package_id`/`core_id` pairs); elsewhere, or when sysfs is
 * unreadable, `os.availableParallelism()` is used.
 */
export function defaultThreadCount(): number {
  const logical = Math.max(1, availableParallelism());
  const physical = physicalCoreCount();
  return physical === null ? logical : Math.max(1, Math.min(physical, logical));
}

/** Physical core count from Linux sysfs, or null when unknown. */
export function physicalCoreCount(): number | null {
  if (process.platform !== 'linux') return null;
  try {
    const base = '/sys/devices/system/cpu';
    const cores = new Set<string>();
    for (const name of readdirSync(base)) {
      if (!/^cpu\d+$/.test(name)) continue;
      try {
        const pkg = readFileSync(`${base}/${name}/topology/physical_package_id`, 'utf8').trim();
        const core = readFileSync(`${base}/${name}/topology/core_id`, 'utf8').trim();
        cores.add(`${pkg}:${core}`);
      } catch {
        // offline CPUs have no topology folder
      }
    }
    return cores.size > 0 ? cores.size : null;
  } catch {
    return null;
  }
}
