/**
 * The patch chains of label versions (migration 8, table `label_patches`): a version saved as a
 * patch stores the changed voxel runs against a base version of the same case and kind; its full
 * map is the base's full map with the patches of the chain applied. Chains are capped at
 * {@link MAX_PATCH_CHAIN} patches: the saver stores a full snapshot before that.
 */
import type { Db } from './database.ts';
import type { StoredLabels } from './label-encoding.ts';

/** Most patches between a version and the full snapshot its chain starts from. */
export const MAX_PATCH_CHAIN = 16;

/** What a patch save adds to the version row: the base the patch applies to, and how many voxels changed. */
export interface PatchOf {
  readonly baseId: number;
  readonly changedVoxels: number;
}

interface ChainRow {
  data: Buffer;
  sha256: string;
  byte_length: number;
  base_id: number | null;
}

const CHAIN_ROW = `SELECT v.data, v.sha256, v.byte_length, p.base_id FROM label_versions v
  LEFT JOIN label_patches p ON p.version_id = v.id WHERE v.id = ?`;

/**
 * The stored bytes of a label version: the full snapshot its chain starts from and the patches
 * from it to the version (oldest first); sha256 and length are the version's own (its full map).
 * Undefined when the version does not exist; throws on a broken chain (a base that is missing or
 * a cycle), which a reader reports as a corrupt version.
 */
export function storedLabelsOf(db: Db, id: number): StoredLabels | undefined {
  const stmt = db.prepare(CHAIN_ROW);
  const top = stmt.get(id) as ChainRow | undefined;
  if (!top) return undefined;
  const patches: Buffer[] = [];
  let row: ChainRow = top;
  for (let hops = 0; row.base_id !== null; hops++) {
    if (hops > MAX_PATCH_CHAIN * 4) throw new Error(`label version ${id}: patch chain too long or cyclic`);
    patches.unshift(row.data);
    const base = stmt.get(row.base_id) as ChainRow | undefined;
    if (!base) throw new Error(`label version ${id}: base version ${row.base_id} of its patch chain is missing`);
    row = base;
  }
  return { data: row.data, patches, sha256: top.sha256, byteLength: top.byte_length };
}

/** Patches between a version and its full snapshot (0 for a full version). */
export function patchDepthOf(db: Db, id: number): number {
  const r = db.prepare('SELECT depth FROM label_patches WHERE version_id = ?').get(id) as { depth: number } | undefined;
  return r?.depth ?? 0;
}

/**
 * Records that version `versionId` (just inserted, in the caller's transaction) is a patch against
 * `patch.baseId`, which must be an earlier version of the same case and kind with the same length,
 * and whose chain is below the cap.
 */
export function recordPatch(db: Db, versionId: number, patch: PatchOf): void {
  const rows = db.prepare('SELECT id, case_id, kind, byte_length FROM label_versions WHERE id IN (?, ?)').all(versionId, patch.baseId) as {
    id: number;
    case_id: number;
    kind: string;
    byte_length: number;
  }[];
  const v = rows.find((r) => r.id === versionId);
  const b = rows.find((r) => r.id === patch.baseId);
  if (!v || !b || b.case_id !== v.case_id || b.kind !== v.kind || b.byte_length !== v.byte_length || b.id >= v.id) {
    throw new Error(`label version ${versionId}: base ${patch.baseId} is not an earlier version of the same labels`);
  }
  const depth = patchDepthOf(db, patch.baseId) + 1;
  if (depth > MAX_PATCH_CHAIN) throw new Error(`label version ${versionId}: patch chain longer than ${MAX_PATCH_CHAIN}`);
  db.prepare('INSERT INTO label_patches (version_id, base_id, depth, changed_voxels) VALUES (?, ?, ?, ?)').run(
    versionId,
    patch.baseId,
    depth,
    patch.changedVoxels,
  );
}

/**
 * Inserts, in the caller's transaction, the payload of an unchanged copy of version `sourceId` as
 * version `copyId`: the same stored bytes and, for a patch, the same base (same depth). Nothing is
 * decoded or hashed: the copy's full map, sha256 and counts are the source's.
 */
export function copyPatchOf(db: Db, sourceId: number, copyId: number): void {
  const p = db.prepare('SELECT base_id, depth, changed_voxels FROM label_patches WHERE version_id = ?').get(sourceId) as
    { base_id: number; depth: number; changed_voxels: number } | undefined;
  if (p)
    db.prepare('INSERT INTO label_patches (version_id, base_id, depth, changed_voxels) VALUES (?, ?, ?, ?)').run(
      copyId,
      p.base_id,
      p.depth,
      p.changed_voxels,
    );
}
