import { copySlices, type StackSlice } from './stack-slice.ts';

/**
 * Storage for decoded slices that lets a volume be built without a second copy of its voxels.
 *
 * Slices of one plane size are written, in arrival order, into one large Int16Array ("slab")
 * sized from a hint (the number of files to import). When a stack turns out to occupy exactly the
 * first planes of a slab, its planes are permuted into k order in place and the slab's buffer is
 * shrunk to the stack (`ArrayBuffer.prototype.transfer`), so peak memory stays about one volume.
 * Anything else (several stacks in one slab, dropped duplicates, overflow slabs) falls back to a
 * copy. Slabs hold planes of a single size.
 */
export class SliceSlabs {
  readonly #hint: number;
  readonly #slabs = new Map<number, Slab[]>();
  #allocated = 0;

  /** @param sliceHint expected number of slices (e.g. files to import); 0 = unknown. */
  constructor(sliceHint: number) {
    this.#hint = Math.max(0, Math.floor(sliceHint));
  }

  /** A zeroed plane of `plane` voxels, owned by a slab. */
  allocate(plane: number): Int16Array {
    let list = this.#slabs.get(plane);
    if (!list) this.#slabs.set(plane, (list = []));
    let slab = list[list.length - 1];
    if (!slab || slab.used === slab.capacity) {
      const remaining = this.#hint - this.#allocated;
      const capacity = remaining > 0 ? remaining : 64;
      slab = {
        data: new Int16Array(plane * Math.min(capacity, Math.max(1, Math.floor(2 ** 30 / plane)))),
        plane,
        capacity: 0,
        used: 0,
        planes: new Map(),
      };
      slab.capacity = slab.data.length / plane;
      list.push(slab);
    }
    const index = slab.used++;
    this.#allocated++;
    const view = slab.data.subarray(index * plane, (index + 1) * plane);
    slab.planes.set(view, index);
    return view;
  }

  /** Gathers `ordered` slices (allocated here) into a volume array, in place when possible. */
  readonly gather = (ordered: readonly StackSlice[], plane: number): Int16Array => {
    const slab = this.#slabs.get(plane)?.find((s) => s.planes.has(ordered[0]?.hu as Int16Array));
    const n = ordered.length;
    if (!slab || slab.used !== n) return copySlices(ordered, plane);
    const src: number[] = [];
    for (const s of ordered) {
      const i = slab.planes.get(s.hu);
      if (i === undefined) return copySlices(ordered, plane);
      src.push(i);
    }
    // Permute planes in place: plane k ← plane src[k] (cycle following, one spare plane).
    const d = slab.data;
    const done = new Uint8Array(n);
    const tmp = new Int16Array(plane);
    for (let k = 0; k < n; k++) {
      if (done[k] || src[k] === k) continue;
      tmp.set(d.subarray(k * plane, (k + 1) * plane));
      let j = k;
      for (;;) {
        done[j] = 1;
        const from = src[j] as number;
        if (from === k) {
          d.set(tmp, j * plane);
          break;
        }
        d.copyWithin(j * plane, from * plane, (from + 1) * plane);
        j = from;
      }
    }
    slab.planes.clear();
    this.#slabs.set(
      plane,
      (this.#slabs.get(plane) ?? []).filter((s) => s !== slab),
    );
    const bytes = n * plane * 2;
    if (d.byteLength === bytes && d.byteOffset === 0) return d;
    // ES2024 ArrayBuffer.prototype.transfer shrinks without a copy where the engine can (Node ≥ 22).
    const buf = d.buffer as ArrayBuffer & { transfer?: (length: number) => ArrayBuffer };
    return buf.transfer && d.byteOffset === 0 ? new Int16Array(buf.transfer(bytes), 0, n * plane) : d.slice(0, n * plane);
  };
}

interface Slab {
  readonly data: Int16Array;
  readonly plane: number;
  capacity: number;
  used: number;
  /** Plane index of each view handed out. */
  readonly planes: Map<Int16Array, number>;
}
