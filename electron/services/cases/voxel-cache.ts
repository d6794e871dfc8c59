import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { basename, join } from 'node:path';
import { threadId } from 'node:worker_threads';
import type { Volume, VolumeGeometry } from '../../../shared/domain/volume.ts';

/**
 * Voxel cache on disk: each volume's Int16 HU voxels are stored once, as raw little-endian bytes
 * in `<dir>/<sha256>.i16`, keyed by the content hash of geometry + voxels. Raw rather than
 * compressed because opening a case must be fast (≤ 1.5 s for 300 slices); the disk cost is
 * 2 bytes per voxel. Files are written to a temporary name, fsynced and renamed, so a crash never
 * leaves a partial file under a valid name.
 */
export class VoxelCache {
  /** `sweep: false` for a second handle on the same folder (a compute worker): only the owner sweeps. */
  constructor(
    readonly dir: string,
    opts: { readonly sweep?: boolean } = {},
  ) {
    mkdirSync(dir, { recursive: true });
    // Sweep temporary files left by a process killed mid-write (never valid cache entries), but
    // not those of a live process: another process may be writing into the same store right now.
    if (opts.sweep ?? true) {
      for (const f of readdirSync(dir)) {
        const writer = /\.(\d+)-\d+\.tmp$/.exec(f); // `<hash>.i16.<pid>-<thread>.tmp`
        if (f.endsWith('.tmp') && !(writer && processAlive(Number(writer[1])))) rmSync(join(dir, f), { force: true });
      }
    }
  }

  /** sha256 (hex) of the geometry and voxel bytes of a volume. */
  static contentHash(volume: Volume): string {
    const h = createHash('sha256');
    h.update(JSON.stringify(geometryOf(volume)));
    h.update(new Uint8Array(volume.data.buffer, volume.data.byteOffset, volume.data.byteLength));
    return h.digest('hex');
  }

  pathOf(hash: string): string {
    if (!/^[0-9a-f]{64}$/.test(hash)) throw new Error(`invalid voxel hash ${hash}`);
    return join(this.dir, `${hash}.i16`);
  }

  has(hash: string): boolean {
    return existsSync(this.pathOf(hash));
  }

  /** Writes the voxels of `volume` under `hash` (no-op when present). */
  put(hash: string, volume: Volume): void {
    const target = this.pathOf(hash);
    if (existsSync(target)) return;
    const tmp = `${target}.${process.pid}-${threadId}.tmp`;
    const fd = openSync(tmp, 'w');
    try {
      const bytes = new Uint8Array(volume.data.buffer, volume.data.byteOffset, volume.data.byteLength);
      let off = 0;
      while (off < bytes.length) off += writeSync(fd, bytes, off, Math.min(bytes.length - off, 1 << 26));
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    try {
      renameSync(tmp, target);
    } catch (e) {
      // Another process stored the same content meanwhile (same hash, same bytes): nothing lost.
      if (!existsSync(target)) throw e;
      rmSync(tmp, { force: true });
    }
  }

  /** Reads the voxels stored under `hash` for the given geometry. */
  get(hash: string, geometry: VolumeGeometry): Volume {
    return VoxelCache.readFile(this.pathOf(hash), geometry);
  }

  /** Reads a voxel file of the given geometry (a compute worker reads it by path). */
  static readFile(path: string, geometry: VolumeGeometry): Volume {
    const buf = readFileSync(path);
    const n = geometry.size[0] * geometry.size[1] * geometry.size[2];
    if (buf.byteLength !== n * 2) {
      throw new Error(`voxel cache file ${basename(path)} has ${buf.byteLength} bytes, expected ${n * 2}`);
    }
    // A file this large gets its own ArrayBuffer (offset 0): view it. Copy only when a pooled
    // (small) Buffer is not 2-byte aligned for Int16Array.
    if (buf.byteOffset % 2 === 0) return { ...geometry, data: new Int16Array(buf.buffer, buf.byteOffset, n) };
    const data = new Int16Array(n);
    new Uint8Array(data.buffer).set(buf);
    return { ...geometry, data };
  }
}

export function geometryOf(g: VolumeGeometry): VolumeGeometry {
  return { size: g.size, spacingMm: g.spacingMm, originLps: g.originLps, directionLps: g.directionLps };
}

/** True when a process with this id exists (EPERM: it exists but is another user's). */
function processAlive(pid: number): boolean {
  if (!Number.isSafeInteger(pid) || pid <= 0) return false;
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}
