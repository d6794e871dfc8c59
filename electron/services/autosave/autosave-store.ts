import { createHash } from 'node:crypto';
import { closeSync, fsyncSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { deflateSync, inflateSync } from 'node:zlib';
import { asCaseId, asLabelVersionId, type CaseId, type LabelVersionId } from '../../../shared/domain/ids.ts';
import { AutosaveFormatError, decodeAutosave, encodeAutosave } from './autosave-record.ts';

/** The in-progress edit state of one case. */
export interface EditState {
  readonly caseId: CaseId;
  /** Current lesion label bytes (Volume voxel order, values 0/1/2). */
  readonly labels: Uint8Array;
  /** The saved version the edits started from (null when none existed). */
  readonly parentVersionId: LabelVersionId | null;
}

/** A recovered autosave. */
export interface AutosaveRecord extends EditState {
  /** ISO 8601 UTC time the state was autosaved. */
  readonly savedAt: string;
  readonly sha256: string;
}

/** Outcome of {@link AutosaveStore.recover}. */
export type AutosaveRecovery =
  | { readonly kind: 'none' }
  | { readonly kind: 'recovered'; readonly record: AutosaveRecord }
  /** The slot was unreadable; it was moved aside to `quarantinedTo` (never silently deleted). */
  | { readonly kind: 'corrupt'; readonly reason: string; readonly quarantinedTo: string };

const sha256 = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');

/**
 * One autosave slot per case in `<dataDir>/autosave/case-<id>.lbautosave`. A write goes to a
 * temporary file that is fsynced, renamed over the slot and followed by an fsync of the folder,
 * so after a crash the slot holds either the previous or the new state, whole. Reads verify the
 * header, length and sha256.
 */
export class AutosaveStore {
  readonly dir: string;

  constructor(dataDir: string) {
    this.dir = join(dataDir, 'autosave');
    mkdirSync(this.dir, { recursive: true });
  }

  slotPath(caseId: CaseId): string {
    if (!Number.isInteger(caseId) || caseId <= 0) throw new RangeError(`invalid case id ${caseId}`);
    return join(this.dir, `case-${caseId}.lbautosave`);
  }

  /** Atomically replaces the slot of `state.caseId`. Returns the time stamp written. */
  write(state: EditState, now: Date = new Date()): string {
    if (!(state.labels instanceof Uint8Array) || state.labels.length === 0) throw new RangeError('autosave needs non-empty label bytes');
    const savedAt = now.toISOString();
    const bytes = encodeAutosave(
      {
        format: 1,
        caseId: state.caseId,
        parentVersionId: state.parentVersionId,
        savedAt,
        byteLength: state.labels.length,
        sha256: sha256(state.labels),
        encoding: 'deflate-u8',
      },
      deflateSync(state.labels, { level: 1 }),
    );
    const target = this.slotPath(state.caseId);
    const tmp = `${target}.${process.pid}.tmp`;
    const fd = openSync(tmp, 'w', 0o600);
    try {
      let off = 0;
      while (off < bytes.length) off += writeSync(fd, bytes, off, bytes.length - off);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, target);
    this.#syncDir();
    return savedAt;
  }

  /** Reads and verifies the slot of a case. */
  recover(caseId: CaseId): AutosaveRecovery {
    const p = this.slotPath(caseId);
    let bytes: Buffer;
    try {
      bytes = readFileSync(p);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { kind: 'none' };
      throw e;
    }
    try {
      const { header, payload } = decodeAutosave(bytes);
      if (header.caseId !== caseId) throw new AutosaveFormatError(`slot belongs to case ${header.caseId}`);
      let raw: Buffer;
      try {
        raw = inflateSync(payload, { maxOutputLength: header.byteLength });
      } catch (e) {
        throw new AutosaveFormatError(`label payload cannot be inflated: ${(e as Error).message}`);
      }
      const labels = new Uint8Array(raw.buffer, raw.byteOffset, raw.byteLength);
      if (labels.length !== header.byteLength || sha256(labels) !== header.sha256)
        throw new AutosaveFormatError('label bytes do not match their sha256');
      return {
        kind: 'recovered',
        record: {
          caseId: asCaseId(header.caseId),
          parentVersionId: header.parentVersionId === null ? null : asLabelVersionId(header.parentVersionId),
          labels,
          savedAt: header.savedAt,
          sha256: header.sha256,
        },
      };
    } catch (e) {
      if (!(e instanceof AutosaveFormatError)) throw e;
      const quarantinedTo = `${p}.corrupt-${Date.now()}`;
      renameSync(p, quarantinedTo);
      return { kind: 'corrupt', reason: e.message, quarantinedTo };
    }
  }

  /** Removes the slot of a case (after its edits were saved as a version, or discarded). */
  discard(caseId: CaseId): void {
    rmSync(this.slotPath(caseId), { force: true });
    this.#syncDir();
  }

  /** Cases that have an autosave slot (to offer recovery at start-up), ascending. */
  list(): CaseId[] {
    return readdirSync(this.dir)
      .map((f) => /^case-(\d+)\.lbautosave$/.exec(f)?.[1])
      .filter((x): x is string => x !== undefined)
      .map((x) => asCaseId(Number(x)))
      .sort((a, b) => a - b);
  }

  #syncDir(): void {
    if (process.platform === 'win32') return; // directories cannot be fsynced there
    const fd = openSync(this.dir, 'r');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  }
}
