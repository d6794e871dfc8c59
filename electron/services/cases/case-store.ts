import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { CaseDetail, CaseSummary, LabelAuthor, LabelKind, LabelVersionInfo } from '../../../shared/domain/case.ts';
import { asCaseId, asLabelVersionId, type CaseId, type LabelVersionId } from '../../../shared/domain/ids.ts';
import type { Volume, VolumeGeometry } from '../../../shared/domain/volume.ts';
import type { SeriesMetadata } from '../../../shared/dicom/types.ts';
import { openDatabase, type Db } from './database.ts';
import { VoxelCache } from './voxel-cache.ts';
import type { CaseResult, SignatureInfo } from '../../../shared/domain/reader.ts';
import { SYSTEM_ACTOR, type AuditActor, type AuditTrail } from '../audit/audit-trail.ts';
import { openAuditTrail } from './open-audit-trail.ts';
import { decodeLabels, type EncodedLabels, type StoredLabels } from './label-encoding.ts';
import { patchDepthOf, type PatchOf } from './label-chain.ts';
import { checkedStoredLabels } from './checked-stored-labels.ts';
import type { BurdenResult } from '../../../shared/imaging/burden-result.ts';
import { CaseStoreError } from './case-store-error.ts';
import { CASE_SELECT, caseSummary, type CaseRow } from './case-rows.ts';
import { addSeries } from './add-series.ts';
import { recordSignature } from './record-signature.ts';
import { deflateLabels, deflateLabelsAsync } from './deflate-labels.ts';
import { checkLabelVersion } from './check-label-version.ts';
import { getSetting, setSetting } from './store-settings.ts';
import { insertLabelVersion, type NewLabelVersion } from './insert-label-version.ts';
import type { SeriesToStore, StoredSeries } from './series-to-store.ts';
import type { LabelVersionOptions, SignatureInput } from './store-inputs.ts';
import { burdenOf, insertBurden, latestBurden, orNoBurden, type BurdenRecord } from './burden-records.ts';
import { caseResultOf, signatureOfVersion, signaturesOf } from './signature-rows.ts';
import { latestVersion, listVersions, versionById } from './label-version-rows.ts';

/**
 * The case store: patients, studies, series and cases in SQLite (WAL, synchronous FULL), voxels in
 * a content-addressed cache on disk, label maps as deflate-compressed, append-only versions.
 * Importing the same voxels twice returns the existing case. Nothing is ever overwritten: each
 * save is a new version with author and time; sign-off freezes a version.
 */
export class CaseStore {
  readonly db: Db;
  readonly voxels: VoxelCache;
  /** The hash-chained audit trail of this store (head anchored in `audit-head.json`). */
  readonly audit: AuditTrail;
  /** Read studies' result rule (`ReadRouting.resultSignatureId`): the result's signature, null for none yet, undefined for the default rule; null rule: default only. */
  resultRule: ((caseId: CaseId) => number | null | undefined) | null = null;

  private constructor(readonly dataDir: string) {
    mkdirSync(dataDir, { recursive: true });
    this.db = openDatabase(join(dataDir, 'cases.sqlite'));
    this.voxels = new VoxelCache(join(dataDir, 'voxels'));
    this.audit = openAuditTrail(this.db, join(dataDir, 'audit-head.json'));
  }

  /** Opens the store in `dataDir` (created if missing). */
  static open(dataDir: string): CaseStore {
    return new CaseStore(dataDir);
  }

  close(): void {
    this.db.close();
  }

  /**
   * Stores a series and creates its case; returns the existing case for known voxels.
   * `contentHash`: the voxel-cache hash when already computed (and the voxels written) off the main thread.
   */
  addSeries(s: SeriesToStore, by: AuditActor = SYSTEM_ACTOR, contentHash?: string): StoredSeries {
    return addSeries(this.db, this.voxels, this.audit, s, by, contentHash);
  }

  /** Worklist rows, newest first. */
  listCases(): CaseSummary[] {
    const rows = this.db.prepare(`${CASE_SELECT} ORDER BY c.id DESC`).all() as CaseRow[];
    return rows.map((r) => this.summaryOf(r));
  }

  getCase(id: CaseId): CaseDetail {
    const r = this.caseRow(id);
    const geometry = JSON.parse(r.geometry_json) as VolumeGeometry;
    return {
      ...this.summaryOf(r),
      geometry,
      sourcePath: r.source_path,
      sourceKind: r.source_kind,
      issues: JSON.parse(r.issues_json) as CaseDetail['issues'],
      labelVersions: this.listLabelVersions(id),
    };
  }

  /** The stored series metadata (DICOM attributes) of a case. */
  seriesMetadata(id: CaseId): SeriesMetadata {
    const r = this.db.prepare('SELECT s.metadata_json FROM cases c JOIN series s ON s.id = c.series_id WHERE c.id = ?').get(id) as
      { metadata_json: string } | undefined;
    if (!r) throw new CaseStoreError('not-found', `case ${id} does not exist`);
    return JSON.parse(r.metadata_json) as SeriesMetadata;
  }

  loadVolume(id: CaseId): Volume {
    const r = this.caseRow(id);
    return this.voxels.get(r.content_hash, JSON.parse(r.geometry_json) as VolumeGeometry);
  }

  /** The voxel grid of a case (size, spacing, orientation), without its label versions or voxels. */
  geometry(id: CaseId): VolumeGeometry {
    return JSON.parse(this.caseRow(id).geometry_json) as VolumeGeometry;
  }

  /** Saves a new label version (never overwrites; `parentId`: the version edited); deflate-compressed, sha256 of the raw bytes. */
  saveLabelVersion(
    caseId: CaseId,
    kind: LabelKind,
    labels: Uint8Array,
    author: LabelAuthor,
    opts: LabelVersionOptions = {},
  ): LabelVersionInfo {
    this.checkLabelVersion(caseId, labels, author);
    return this.insertLabelVersion(caseId, kind, labels.length, deflateLabels(labels), author, opts);
  }

  /**
   * Same as {@link saveLabelVersion}, but compression runs on the libuv thread pool while this
   * thread hashes and counts, so a large save takes about the longer of the two instead of their
   * sum. `labels` must not change until it resolves.
   */
  async saveLabelVersionAsync(
    caseId: CaseId,
    kind: LabelKind,
    labels: Uint8Array,
    author: LabelAuthor,
    opts: LabelVersionOptions = {},
  ): Promise<LabelVersionInfo> {
    this.checkLabelVersion(caseId, labels, author);
    return this.insertLabelVersion(caseId, kind, labels.length, await deflateLabelsAsync(labels), author, opts);
  }

  /** Same as {@link saveLabelVersion} for labels encoded in a compute worker (`encodeLabelsAsync`): only the insert runs here. */
  saveEncodedLabelVersion(
    caseId: CaseId,
    kind: LabelKind,
    byteLength: number,
    enc: EncodedLabels & { readonly patchOf?: PatchOf },
    author: LabelAuthor,
    opts: LabelVersionOptions = {},
  ): LabelVersionInfo {
    this.checkLabelVersion(caseId, { length: byteLength }, author);
    return this.insertLabelVersion(caseId, kind, byteLength, enc, author, opts);
  }

  /**
   * Saves an unchanged copy of version `sourceId` as a new version of the same kind (a reader
   * signing a version they did not make signs their own copy): the stored bytes are reused, so
   * nothing is decoded, hashed or compressed; sha256 and counts are the source's.
   */
  copyLabelVersion(sourceId: LabelVersionId, author: LabelAuthor, opts: LabelVersionOptions = {}): LabelVersionInfo {
    const src = this.labelVersion(sourceId);
    const r = this.db.prepare('SELECT data, byte_length FROM label_versions WHERE id = ?').get(sourceId) as {
      data: Buffer;
      byte_length: number;
    };
    this.checkLabelVersion(src.caseId, { length: r.byte_length }, author);
    return this.insertLabelVersion(
      src.caseId,
      src.kind,
      r.byte_length,
      { counts: [...src.counts], blob: r.data, digest: src.sha256, copyOf: sourceId },
      author,
      opts,
    );
  }

  /** Where the voxels of a case are on disk, and their geometry (a compute worker reads them itself). */
  voxelFile(id: CaseId): { path: string; geometry: VolumeGeometry } {
    const r = this.caseRow(id);
    return { path: this.voxels.pathOf(r.content_hash), geometry: JSON.parse(r.geometry_json) as VolumeGeometry };
  }

  /** The stored (compressed) bytes of a label version, to decode and verify off the main thread (`decodeLabels`). */
  storedLabels(id: LabelVersionId): StoredLabels {
    return checkedStoredLabels(this.db, id);
  }

  /** Patches between a label version and the full snapshot its chain starts from (0: stored full). */
  patchDepth(id: LabelVersionId): number {
    return patchDepthOf(this.db, id);
  }

  private checkLabelVersion(caseId: CaseId, labels: { readonly length: number }, author: LabelAuthor): void {
    checkLabelVersion(this.caseRow(caseId), labels, author);
  }

  private insertLabelVersion(
    caseId: CaseId,
    kind: LabelKind,
    byteLength: number,
    enc: NewLabelVersion['enc'],
    author: LabelAuthor,
    opts: LabelVersionOptions,
  ): LabelVersionInfo {
    const id = insertLabelVersion(this.db, this.audit, { caseId, kind, byteLength, enc, author, opts });
    this.audit.syncAnchor();
    return this.labelVersion(asLabelVersionId(id));
  }

  listLabelVersions(caseId: CaseId, kind?: LabelKind): LabelVersionInfo[] {
    return listVersions(this.db, caseId, kind);
  }

  latestLabelVersion(caseId: CaseId, kind: LabelKind): LabelVersionInfo | null {
    return latestVersion(this.db, caseId, kind);
  }

  labelVersion(id: LabelVersionId): LabelVersionInfo {
    return versionById(this.db, id);
  }

  /** Decompressed voxels of a label version, verified against its sha256. */
  loadLabels(id: LabelVersionId): Uint8Array {
    try {
      return decodeLabels(this.storedLabels(id), `label version ${id}`);
    } catch (e) {
      throw e instanceof CaseStoreError ? e : new CaseStoreError('conflict', e instanceof Error ? e.message : String(e));
    }
  }

  /**
   * Stores an electronic signature: freezes the lesion version, binds it and the lung version it
   * was read with by their sha256 (both re-verified against their bytes here), records who signed,
   * as what role, when, and the meaning; appends it to the audit trail and marks the case signed.
   * The caller authenticated the reader (`SignOffService`); the store only refuses what can never
   * be signed.
   */
  recordSignature(input: SignatureInput, opts: { readonly bytesVerified?: boolean } = {}): SignatureInfo {
    return recordSignature(this, input, opts);
  }

  /** Every signature of a case, oldest first. */
  signatures(caseId: CaseId): SignatureInfo[] {
    return signaturesOf(this.db, caseId);
  }

  /** The signature of a lesion version, or null. */
  signatureOf(versionId: LabelVersionId): SignatureInfo | null {
    return signatureOfVersion(this.db, versionId);
  }

  /** The case's result: the newest adjudication, else the newest read signature; null while nothing is signed. */
  caseResult(caseId: CaseId): CaseResult | null {
    return caseResultOf(this.db, caseId, this.resultRule?.(caseId));
  }

  /** The newest burden record of exactly this lesion + lung version pair, or null. */
  burdenOf(caseId: CaseId, lesionVersionId: LabelVersionId | null, lungVersionId: LabelVersionId): BurdenRecord | null {
    return burdenOf(this.db, caseId, lesionVersionId, lungVersionId);
  }

  /** The burden reports and the worklist show: the result's when the case is signed, else the latest. */
  reportedBurden(caseId: CaseId): BurdenRecord | null {
    const res = this.caseResult(caseId);
    if (!res) return this.latestBurden(caseId);
    return this.burdenOf(caseId, res.signature.lesionVersionId, res.signature.lungVersionId);
  }

  /** Stores a burden record computed from a lesion version (or none) and a lung version. */
  recordBurden(caseId: CaseId, lesionVersionId: LabelVersionId | null, lungVersionId: LabelVersionId, burden: BurdenResult): void {
    this.caseRow(caseId);
    insertBurden(this.db, caseId, lesionVersionId, lungVersionId, burden);
  }

  latestBurden(caseId: CaseId): BurdenRecord | null {
    return latestBurden(this.db, caseId);
  }

  getSetting(key: string): string | null {
    return getSetting(this.db, key);
  }

  setSetting(key: string, value: string): void {
    setSetting(this.db, key, value);
  }

  /** One worklist row; an unreadable burden record leaves the row without a burden ({@link orNoBurden}). */
  private summaryOf(r: CaseRow): CaseSummary {
    return caseSummary(
      this.db,
      r,
      this.caseResult(asCaseId(r.id)),
      orNoBurden(() => this.reportedBurden(asCaseId(r.id))),
    );
  }

  private caseRow(id: CaseId): CaseRow {
    const r = this.db.prepare(`${CASE_SELECT} WHERE c.id = ?`).get(id) as CaseRow | undefined;
    if (!r) throw new CaseStoreError('not-found', `case ${id} does not exist`);
    return r;
  }
}

export { countLabels } from './label-encoding.ts';
export { CaseStoreError } from './case-store-error.ts';
export type { SeriesToStore, StoredSeries } from './series-to-store.ts';
export type { LabelVersionOptions, SignatureInput } from './store-inputs.ts';
export type { BurdenRecord } from './burden-records.ts';
