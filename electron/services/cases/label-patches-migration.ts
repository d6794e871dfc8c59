/** Migration 8 (issue 17): label versions stored as sparse patches against a base version (`label-chain.ts`). */
export const LABEL_PATCHES_MIGRATION: { readonly version: number; readonly name: string; readonly sql: string } = {
  version: 8,
  name: 'label versions stored as sparse patches against a base version (issue 17)',
  sql: `
    -- A label version with a row here stores in label_versions.data the deflate-compressed patch
    -- (changed voxel runs, electron/services/cases/label-patch.ts) from base_id to itself, not its
    -- full map; reading it applies the chain of patches down to a full version (depth = patches
    -- in the chain, capped). sha256, byte_length and counts stay those of the FULL map, so a
    -- signature still binds the full label content. Versions without a row are full maps.
    CREATE TABLE label_patches (
      version_id INTEGER PRIMARY KEY REFERENCES label_versions(id),
      base_id INTEGER NOT NULL REFERENCES label_versions(id),
      depth INTEGER NOT NULL CHECK (depth >= 1),
      changed_voxels INTEGER NOT NULL CHECK (changed_voxels >= 0),
      CHECK (base_id < version_id)
    );
    CREATE INDEX label_patches_base ON label_patches(base_id);
    CREATE TRIGGER label_patches_no_update BEFORE UPDATE ON label_patches
      BEGIN SELECT RAISE(ABORT, 'label versions are immutable'); END;
    CREATE TRIGGER label_patches_no_delete BEFORE DELETE ON label_patches
      BEGIN SELECT RAISE(ABORT, 'label versions are never deleted'); END;
  `,
};
