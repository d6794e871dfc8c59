import { createHash } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { deflate, deflateSync, inflateSync } from 'node:zlib';
import type { CaseDetail, CaseStatus, CaseSummary, LabelAuthor, LabelKind, LabelVersionInfo } from '../../../shared/domain/case.ts';
import { asCaseId, asLabelVersionId, asSeriesId, type CaseId, type LabelVersionId } from '../../../shared/domain/ids.ts';
import type { Volume, VolumeGeometry } from '../../../shared/domain/volume.ts';
import type { ImportIssue, SeriesMetadata } from '../../../shared/dicom/types.ts';
import { openDatabase, type Db } from './database.ts';
import { VoxelCache, geometryOf } from './voxel-cache.ts';
import { scanQc, scanQcInput } from '../../../shared/qc/scan-qc.ts';
import type { QcFlag } from '../../../shared/qc/qc-flag.ts';
import { recordQcFlags } from '../qc/record-qc-flags.ts';
import type { CaseResult, ReaderRole, SignatureInfo } from '../../../shared/domain/reader.ts';
import { AuditTrail, SYSTEM_ACTOR, type AuditActor } from '../audit/audit-trail.ts';
import { signatureRecordSha256, type SignatureRow } from '../audit/signature-record.ts';
import { countLabels, type EncodedLabels, type StoredLabels } from './label-encoding.ts';
import { UserError } from '../../../shared/errors/user-error.ts';
import type { BurdenResult } from '../../../shared/imaging/burden-result.ts';
import { parseBurdenResult } from '../../../shared/imaging/burden-result-schema.ts';

const deflateAsync = promisify(deflate);

/** A series ready to be stored: what the DICOM or NIfTI importer produced. */
export interface SeriesToStore {
  readonly metadata: SeriesMetadata;
  readonly volume: Volume;
  readonly sourcePath: string;
  readonly sourceKind: 'dicom' | 'nifti';
  readonly issues: readonly ImportIssue[];
  /** The scan QC flags of the series when already computed (off the main thread, by the import worker). */
  readonly qcFlags?: readonly QcFlag[];
}

export interface StoredSeries {
  readonly caseId: CaseId;
  /** True when the same voxels were already in the store (nothing was added). */
  readonly duplicate: boolean;
}

/** Error raised for requests the store refuses (unknown case, frozen version, …). */
export class CaseStoreError extends UserError {
  constructor(
    override readonly code: 'not-found' | 'invalid' | 'conflict',
    message: string,
  ) {
    super(code, code, message);
    this.name = 'CaseStoreError';
  }
}

interface CaseRow {
  id: number;
  series_id: number;
  status: CaseStatus;
  updated_at: string;
  patient_id: string;
  patient_name: string;
  study_date: string;
  study_description: string;
  series_description: string;
  series_number: string;
  modality: string;
  geometry_json: string;
  source_path: string;
  source_kind: 'dicom' | 'nifti';
  issues_json: string;
  content_hash: string;
}

interface VersionRow {
  id: number;
  case_id: number;
  kind: LabelKind;
  version: number;
  parent_id: number | null;
  author: string;
  author_kind: LabelAuthor['kind'];
  model_name: string | null;
  model_version: string | null;
  created_at: string;
  note: string;
  signed: number;
  sha256: string;
  counts_json: string;
  mean_entropy: number | null;
  reader_id: number | null;
}

/** What {@link CaseStore.recordSignature} stores: who signed which lesion + lung versions, meaning it how. */
export interface SignatureInput {
  readonly caseId: CaseId;
  readonly kind: 'read' | 'adjudication';
  readonly lesionVersionId: LabelVersionId;
  readonly lungVersionId: LabelVersionId;
  readonly reader: { readonly id: number; readonly login: string; readonly displayName: string; readonly role: ReaderRole };
  readonly meaning: string;
  readonly reason?: string;
}

const CASE_SELECT = `
  SELECT c.id, c.series_id, c.status, c.updated_at,
         p.dicom_patient_id AS patient_id, p.patient_name, st.study_date, st.description AS study_description,
         s.description AS series_description, s.series_number, s.modality, s.geometry_json,
         s.source_path, s.source_kind, s.issues_json, s.content_hash
  FROM cases c JOIN series s ON s.id = c.series_id JOIN studies st ON st.id = s.study_id
  JOIN patients p ON p.id = st.patient_id`;

const sha256 = (s: string | Uint8Array): string => createHash('sha256').update(s).digest('hex');
const now = (): string => new Date().toISOString();

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

  private constructor(readonly dataDir: string) {
    mkdirSync(dataDir, { recursive: true });
    this.db = openDatabase(join(dataDir, 'cases.sqlite'));
    this.voxels = new VoxelCache(join(dataDir, 'voxels'));
    this.audit = new AuditTrail(this.db, join(dataDir, 'audit-head.json'));
    if (this.audit.count() === 0) {
      // The trail starts here; label versions and sign-offs made before it are named, not covered.
      const before = this.db.prepare('SELECT COALESCE(MAX(id), 0) AS v FROM label_versions').get() as { v: number };
      const cases = this.db.prepare('SELECT COALESCE(MAX(id), 0) AS c FROM cases').get() as { c: number };
      this.audit.append({ actor: SYSTEM_ACTOR, action: 'audit.start', entity: 'store', details: { labelVersionsBefore: before.v, casesBefore: cases.c } });
    }
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
    const hash = contentHash ?? VoxelCache.contentHash(s.volume);
    const existingCase = (): number | undefined =>
      (this.db.prepare('SELECT c.id FROM cases c JOIN series s ON s.id = c.series_id WHERE s.content_hash = ?').get(hash) as { id: number } | undefined)?.id;
    const known = existingCase();
    if (known !== undefined) return { caseId: asCaseId(known), duplicate: true };
    this.voxels.put(hash, s.volume); // content-addressed: another process writing the same file is harmless
    const m = s.metadata;
    const t = now();
    // BEGIN IMMEDIATE and a second look under the write lock: another process importing the same
    // series at the same time gets "already imported" (the existing case), not a UNIQUE error.
    const caseId = this.db.transaction((): number | { duplicateOf: number } => {
      const raced = existingCase();
      if (raced !== undefined) return { duplicateOf: raced };
      const patientKey = sha256(`${m.patientId}\u0000${m.patientName}\u0000${m.patientId || m.patientName ? '' : hash}`);
      this.db
        .prepare(
          `INSERT INTO patients (patient_key, dicom_patient_id, patient_name, birth_date, sex) VALUES (?, ?, ?, ?, ?)
           ON CONFLICT (patient_key) DO NOTHING`,
        )
        .run(patientKey, m.patientId, m.patientName, m.patientBirthDate, m.patientSex);
      const patient = this.db.prepare('SELECT id FROM patients WHERE patient_key = ?').get(patientKey) as { id: number };
      const studyKey = sha256(`${patientKey}\u0000${m.studyInstanceUid || `${m.studyDate}|${m.studyDescription}|${m.accessionNumber}`}`);
      this.db
        .prepare(
          `INSERT INTO studies (patient_id, study_key, study_instance_uid, study_date, description, accession_number)
           VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (study_key) DO NOTHING`,
        )
        .run(patient.id, studyKey, m.studyInstanceUid, m.studyDate, m.studyDescription, m.accessionNumber);
      const study = this.db.prepare('SELECT id FROM studies WHERE study_key = ?').get(studyKey) as { id: number };
      const series = this.db
        .prepare(
          `INSERT INTO series (study_id, series_instance_uid, series_number, description, modality, manufacturer, kernel,
             slice_thickness_mm, geometry_json, metadata_json, content_hash, source_path, source_kind, issues_json, imported_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(
          study.id, m.seriesInstanceUid, m.seriesNumber, m.seriesDescription, m.modality, m.manufacturer,
          m.convolutionKernel, m.sliceThicknessMm, JSON.stringify(geometryOf(s.volume)), JSON.stringify(m), hash,
          s.sourcePath, s.sourceKind, JSON.stringify(s.issues), t,
        );
      const c = this.db
        .prepare(`INSERT INTO cases (series_id, status, created_at, updated_at) VALUES (?, 'new', ?, ?)`)
        .run(series.lastInsertRowid, t, t);
      const id = Number(c.lastInsertRowid);
      this.audit.append({
        actor: by, action: 'case.import', caseId: id, entity: `case:${id}`, sha256: hash,
        details: { sourceKind: s.sourceKind, seriesInstanceUid: m.seriesInstanceUid, size: [...s.volume.size], issues: s.issues.length },
      });
      return id;
    }).immediate();
    if (typeof caseId !== 'number') return { caseId: asCaseId(caseId.duplicateOf), duplicate: true };
    this.audit.syncAnchor();
    // The scan QC gate runs on every import (scan facts only; the analysis adds the lung checks).
    recordQcFlags(this.db, asCaseId(caseId), 'import', s.qcFlags ?? scanQc(scanQcInput(s, s.volume)));
    return { caseId: asCaseId(caseId), duplicate: false };
  }

  /** Worklist rows, newest first. */
  listCases(): CaseSummary[] {
    const rows = this.db.prepare(`${CASE_SELECT} ORDER BY c.id DESC`).all() as CaseRow[];
    return rows.map((r) => this.summary(r));
  }

  getCase(id: CaseId): CaseDetail {
    const r = this.caseRow(id);
    const geometry = JSON.parse(r.geometry_json) as VolumeGeometry;
    return {
      ...this.summary(r),
      geometry,
      sourcePath: r.source_path,
      sourceKind: r.source_kind,
      issues: JSON.parse(r.issues_json) as CaseDetail['issues'],
      labelVersions: this.listLabelVersions(id),
    };
  }

  /** The stored series metadata (DICOM attributes) of a case. */
  seriesMetadata(id: CaseId): SeriesMetadata {
    const r = this.db
      .prepare('SELECT s.metadata_json FROM cases c JOIN series s ON s.id = c.series_id WHERE c.id = ?')
      .get(id) as { metadata_json: string } | undefined;
    if (!r) throw new CaseStoreError('not-found', `case ${id} does not exist`);
    return JSON.parse(r.metadata_json) as SeriesMetadata;
  }

  loadVolume(id: CaseId): Volume {
    const r = this.caseRow(id);
    return this.voxels.get(r.content_hash, JSON.parse(r.geometry_json) as VolumeGeometry);
  }

  /**
   * Sets the case's workflow status from what it holds (never from a caller's say-so): `signed`
   * once it has a signature, `in-review` once a reader saved a version, `ai-done` once a model
   * made one, else `new`. A change is recorded in the audit trail. Call inside the writing transaction.
   */
  private refreshStatus(caseId: CaseId, by: AuditActor): CaseStatus {
    const r = this.db.prepare('SELECT status FROM cases WHERE id = ?').get(caseId) as { status: CaseStatus } | undefined;
    if (!r) throw new CaseStoreError('not-found', `case ${caseId} does not exist`);
    const has = (sql: string): boolean => this.db.prepare(sql).get(caseId) !== undefined;
    const next: CaseStatus = has('SELECT 1 FROM signatures WHERE case_id = ?')
      ? 'signed'
      : has(`SELECT 1 FROM label_versions WHERE case_id = ? AND author_kind = 'reader'`)
        ? 'in-review'
        : has(`SELECT 1 FROM label_versions WHERE case_id = ? AND kind = 'lesion' AND author_kind = 'model'`)
          ? 'ai-done'
          : 'new';
    if (next !== r.status) {
      this.db.prepare('UPDATE cases SET status = ?, updated_at = ? WHERE id = ?').run(next, now(), caseId);
      this.audit.append({ actor: by, action: 'status.change', caseId, entity: `case:${caseId}`, details: { from: r.status, to: next } });
    }
    return next;
  }

  /**
   * Saves a new label version (never overwrites). Returns its info. `parentId` records which
   * version the edit started from. The data is deflate-compressed; its sha256 is of the raw bytes.
   */
  saveLabelVersion(
    caseId: CaseId,
    kind: LabelKind,
    labels: Uint8Array,
    author: LabelAuthor,
    opts: LabelVersionOptions = {},
  ): LabelVersionInfo {
    this.checkLabelVersion(caseId, labels, author);
    return this.insertLabelVersion(caseId, kind, labels.length, { counts: countLabels(labels), blob: deflateSync(labels, { level: 1 }), digest: sha256(labels) }, author, opts);
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
    // deflate on the thread pool while this thread hashes (no copy of the input) and counts
    const blob = deflateAsync(labels, { level: 1 });
    const digest = sha256(labels);
    const counts = countLabels(labels);
    return this.insertLabelVersion(caseId, kind, labels.length, { counts, blob: await blob, digest }, author, opts);
  }

  /**
   * Same as {@link saveLabelVersion} for labels encoded elsewhere (`encodeLabelsAsync` in a compute
   * worker): only the database insert runs here.
   */
  saveEncodedLabelVersion(
    caseId: CaseId,
    kind: LabelKind,
    byteLength: number,
    enc: EncodedLabels,
    author: LabelAuthor,
    opts: LabelVersionOptions = {},
  ): LabelVersionInfo {
    this.checkLabelVersion(caseId, { length: byteLength }, author);
    return this.insertLabelVersion(caseId, kind, byteLength, enc, author, opts);
  }

  /** Where the voxels of a case are on disk, and their geometry (a compute worker reads them itself). */
  voxelFile(id: CaseId): { path: string; geometry: VolumeGeometry } {
    const r = this.caseRow(id);
    return { path: this.voxels.pathOf(r.content_hash), geometry: JSON.parse(r.geometry_json) as VolumeGeometry };
  }

  /** The stored (compressed) bytes of a label version, to decode and verify off the main thread (`decodeLabels`). */
  storedLabels(id: LabelVersionId): StoredLabels {
    const r = this.db.prepare('SELECT data, sha256, byte_length FROM label_versions WHERE id = ?').get(id) as
      | { data: Buffer; sha256: string; byte_length: number }
      | undefined;
    if (!r) throw new CaseStoreError('not-found', `label version ${id} does not exist`);
    return { data: r.data, sha256: r.sha256, byteLength: r.byte_length };
  }

  private checkLabelVersion(caseId: CaseId, labels: { readonly length: number }, author: LabelAuthor): void {
    const r = this.caseRow(caseId);
    const g = JSON.parse(r.geometry_json) as VolumeGeometry;
    const n = g.size[0] * g.size[1] * g.size[2];
    if (labels.length !== n) {
      throw new CaseStoreError('invalid', `label map has ${labels.length} voxels, the case volume has ${n}`);
    }
    if (!author.name.trim()) throw new CaseStoreError('invalid', 'a label version needs an author');
  }

  private insertLabelVersion(
    caseId: CaseId,
    kind: LabelKind,
    byteLength: number,
    enc: { readonly counts: number[]; readonly blob: Uint8Array; readonly digest: string },
    author: LabelAuthor,
    opts: LabelVersionOptions,
  ): LabelVersionInfo {
    const id = this.db.transaction(() => {
      const next =
        ((this.db
          .prepare('SELECT MAX(version) AS v FROM label_versions WHERE case_id = ? AND kind = ?')
          .get(caseId, kind) as { v: number | null }).v ?? 0) + 1;
      const res = this.db
        .prepare(
          `INSERT INTO label_versions (case_id, kind, version, parent_id, author, author_kind, model_name, model_version,
             created_at, note, signed, encoding, byte_length, sha256, counts_json, mean_entropy, data, reader_id)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, 'deflate-u8', ?, ?, ?, ?, ?, ?)`,
        )
        .run(
          caseId, kind, next, opts.parentId ?? null, author.name, author.kind, author.modelName ?? null,
          author.modelVersion ?? null, now(), opts.note ?? '', byteLength, enc.digest, JSON.stringify(enc.counts),
          opts.meanEntropy ?? null, enc.blob, author.kind === 'reader' ? (author.readerId ?? null) : null,
        );
      const vid = Number(res.lastInsertRowid);
      this.db.prepare('UPDATE cases SET updated_at = ? WHERE id = ?').run(now(), caseId);
      const by = opts.by ?? (author.kind === 'reader' ? { name: author.name, role: 'reader' } : SYSTEM_ACTOR);
      this.audit.append({
        actor: by, action: 'label.save', caseId, entity: `label_version:${vid}`, sha256: enc.digest,
        details: {
          kind, version: next, parentId: opts.parentId ?? null, author: author.name, authorKind: author.kind,
          readerId: author.readerId ?? null, model: author.modelName ? `${author.modelName} ${author.modelVersion ?? ''}`.trim() : null, note: opts.note ?? '',
        },
      });
      this.refreshStatus(caseId, by);
      return vid;
    })();
    this.audit.syncAnchor();
    return this.labelVersion(asLabelVersionId(id));
  }

  listLabelVersions(caseId: CaseId, kind?: LabelKind): LabelVersionInfo[] {
    const rows = (
      kind
        ? this.db.prepare(`${VERSION_SELECT} WHERE case_id = ? AND kind = ? ORDER BY kind, version`).all(caseId, kind)
        : this.db.prepare(`${VERSION_SELECT} WHERE case_id = ? ORDER BY kind, version`).all(caseId)
    ) as VersionRow[];
    const sigs = new Map(this.signatures(caseId).map((g) => [g.lesionVersionId as number, g]));
    return rows.map((r) => versionInfo(r, sigs.get(r.id) ?? null));
  }

  latestLabelVersion(caseId: CaseId, kind: LabelKind): LabelVersionInfo | null {
    const r = this.db
      .prepare(`${VERSION_SELECT} WHERE case_id = ? AND kind = ? ORDER BY version DESC LIMIT 1`)
      .get(caseId, kind) as VersionRow | undefined;
    return r ? versionInfo(r, this.signatureOf(asLabelVersionId(r.id))) : null;
  }

  labelVersion(id: LabelVersionId): LabelVersionInfo {
    const r = this.db.prepare(`${VERSION_SELECT} WHERE id = ?`).get(id) as VersionRow | undefined;
    if (!r) throw new CaseStoreError('not-found', `label version ${id} does not exist`);
    return versionInfo(r, this.signatureOf(id));
  }

  /** Decompressed voxels of a label version, verified against its sha256. */
  loadLabels(id: LabelVersionId): Uint8Array {
    const r = this.db.prepare('SELECT data, sha256, byte_length FROM label_versions WHERE id = ?').get(id) as
      | { data: Buffer; sha256: string; byte_length: number }
      | undefined;
    if (!r) throw new CaseStoreError('not-found', `label version ${id} does not exist`);
    const raw = inflateSync(r.data);
    const out = new Uint8Array(raw.buffer, raw.byteOffset, raw.byteLength);
    if (out.length !== r.byte_length || sha256(out) !== r.sha256) {
      throw new CaseStoreError('conflict', `label version ${id} is corrupt (checksum mismatch)`);
    }
    return out;
  }

  /**
   * Stores an electronic signature: freezes the lesion version, binds it and the lung version it
   * was read with by their sha256 (both re-verified against their bytes here), records who signed,
   * as what role, when, and the meaning; appends it to the audit trail and marks the case signed.
   * The caller authenticated the reader (`SignOffService`); the store only refuses what can never
   * be signed.
   */
  recordSignature(input: SignatureInput): SignatureInfo {
    const { caseId, reader } = input;
    const lesion = this.labelVersion(input.lesionVersionId);
    const lung = this.labelVersion(input.lungVersionId);
    if (lesion.caseId !== caseId || lung.caseId !== caseId) throw new CaseStoreError('invalid', `the versions do not belong to case ${caseId}`);
    if (lesion.kind !== 'lesion' || lung.kind !== 'lung') throw new CaseStoreError('invalid', 'a signature binds one lesion version and one lung version');
    if (lesion.signed) throw new CaseStoreError('conflict', `lesion version ${lesion.version} is already signed`);
    if (!input.meaning.trim()) throw new CaseStoreError('invalid', 'a signature states its meaning');
    // Binds the bytes as they are now: loadLabels verifies each against its stored sha256.
    this.loadLabels(lesion.id);
    this.loadLabels(lung.id);
    const by: AuditActor = { name: reader.login, role: reader.role };
    const id = this.db.transaction(() => {
      const t = now();
      const res = this.db
        .prepare(
          `INSERT INTO signatures (case_id, kind, lesion_version_id, lesion_sha256, lung_version_id, lung_sha256, reader_id, reader_login,
             reader_name, reader_role, meaning, reason, signed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(caseId, input.kind, lesion.id, lesion.sha256, lung.id, lung.sha256, reader.id, reader.login, reader.displayName, reader.role, input.meaning, input.reason ?? '', t);
      const sid = Number(res.lastInsertRowid);
      this.db.prepare('UPDATE label_versions SET signed = 1 WHERE id = ? AND signed = 0').run(lesion.id);
      // The sign-off log of earlier versions, kept filled for readers of it.
      this.db
        .prepare('INSERT INTO signoffs (case_id, label_version_id, reader, signed_at) VALUES (?, ?, ?, ?) ON CONFLICT (label_version_id) DO NOTHING')
        .run(caseId, lesion.id, reader.displayName, t);
      const row = this.db.prepare('SELECT * FROM signatures WHERE id = ?').get(sid) as SignatureRow;
      this.audit.append({
        actor: by, action: input.kind === 'adjudication' ? 'adjudication' : 'signature', caseId, entity: `signature:${sid}`,
        sha256: signatureRecordSha256(row),
        details: { lesionVersion: lesion.version, lesionSha256: lesion.sha256, lungVersion: lung.version, lungSha256: lung.sha256, meaning: input.meaning, reason: input.reason ?? '' },
      });
      this.refreshStatus(caseId, by);
      return sid;
    })();
    this.audit.syncAnchor();
    const sig = this.signatures(caseId).find((g) => g.id === id);
    if (!sig) throw new CaseStoreError('conflict', `signature ${id} was not stored`);
    return sig;
  }

  /** Every signature of a case, oldest first. */
  signatures(caseId: CaseId): SignatureInfo[] {
    return (this.db.prepare('SELECT * FROM signatures WHERE case_id = ? ORDER BY id').all(caseId) as SignatureRow[]).map(signatureInfo);
  }

  /** The signature of a lesion version, or null. */
  signatureOf(versionId: LabelVersionId): SignatureInfo | null {
    const r = this.db.prepare('SELECT * FROM signatures WHERE lesion_version_id = ?').get(versionId) as SignatureRow | undefined;
    return r ? signatureInfo(r) : null;
  }

  /**
   * The case's result: the newest adjudication, else the newest read signature; null while
   * nothing is signed. Reports, exports and the worklist burden use it; later unsigned versions
   * (a re-run of the AI, an amendment in progress) never displace it.
   */
  caseResult(caseId: CaseId): CaseResult | null {
    const r = this.db
      .prepare(`SELECT * FROM signatures WHERE case_id = ? ORDER BY (kind = 'adjudication') DESC, id DESC LIMIT 1`)
      .get(caseId) as SignatureRow | undefined;
    if (!r) return null;
    const v = (id: number): number => (this.db.prepare('SELECT version FROM label_versions WHERE id = ?').get(id) as { version: number }).version;
    return { signature: signatureInfo(r), lesionVersion: v(r.lesion_version_id), lungVersion: v(r.lung_version_id) };
  }

  /** The newest burden record of exactly this lesion + lung version pair, or null. */
  burdenOf(caseId: CaseId, lesionVersionId: LabelVersionId | null, lungVersionId: LabelVersionId): BurdenRecord | null {
    const r = this.db
      .prepare('SELECT lesion_version_id, lung_version_id, created_at, burden_json FROM burden_records WHERE case_id = ? AND lesion_version_id IS ? AND lung_version_id = ? ORDER BY id DESC LIMIT 1')
      .get(caseId, lesionVersionId, lungVersionId) as BurdenRow | undefined;
    return r ? burdenRecord(r) : null;
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
    this.db
      .prepare('INSERT INTO burden_records (case_id, lesion_version_id, lung_version_id, created_at, burden_json) VALUES (?, ?, ?, ?, ?)')
      .run(caseId, lesionVersionId, lungVersionId, now(), JSON.stringify(burden));
  }

  latestBurden(caseId: CaseId): BurdenRecord | null {
    const r = this.db
      .prepare('SELECT lesion_version_id, lung_version_id, created_at, burden_json FROM burden_records WHERE case_id = ? ORDER BY id DESC LIMIT 1')
      .get(caseId) as BurdenRow | undefined;
    return r ? burdenRecord(r) : null;
  }

  getSetting(key: string): string | null {
    const r = this.db.prepare('SELECT value FROM settings WHERE key = ?').get(key) as { value: string } | undefined;
    return r ? r.value : null;
  }

  setSetting(key: string, value: string): void {
    this.db.prepare('INSERT OR REPLACE INTO settings (key, value) VALUES (?, ?)').run(key, value);
  }

  private caseRow(id: CaseId): CaseRow {
    const r = this.db.prepare(`${CASE_SELECT} WHERE c.id = ?`).get(id) as CaseRow | undefined;
    if (!r) throw new CaseStoreError('not-found', `case ${id} does not exist`);
    return r;
  }

  private summary(r: CaseRow): CaseSummary {
    const g = JSON.parse(r.geometry_json) as VolumeGeometry;
    const result = this.caseResult(asCaseId(r.id));
    const burden = this.reportedBurden(asCaseId(r.id));
    const lastModel = this.db
      .prepare(`SELECT model_version, model_name, mean_entropy FROM label_versions WHERE case_id = ? AND kind = 'lesion' AND author_kind = 'model' ORDER BY id DESC LIMIT 1`)
      .get(r.id) as { model_version: string | null; model_name: string | null; mean_entropy: number | null } | undefined;
    const lastReader = this.db
      .prepare(`SELECT author FROM label_versions WHERE case_id = ? AND author_kind = 'reader' ORDER BY id DESC LIMIT 1`)
      .get(r.id) as { author: string } | undefined;

    return {
      id: asCaseId(r.id),
      seriesId: asSeriesId(r.series_id),
      status: r.status,
      patientId: r.patient_id,
      patientName: r.patient_name,
      studyDate: r.study_date,
      studyDescription: r.study_description,
      seriesDescription: r.series_description,
      seriesNumber: r.series_number,
      modality: r.modality,
      sliceCount: g.size[2],
      burdenPercent: burden?.burden.burdenPercent ?? null,
      modelVersion: lastModel ? `${lastModel.model_name ?? ''} ${lastModel.model_version ?? ''}`.trim() : null,
      lastReader: lastReader?.author ?? null,
      updatedAt: r.updated_at,
      uncertainty: lastModel?.mean_entropy ?? null,
      result,
    };
  }
}

const VERSION_SELECT = `SELECT id, case_id, kind, version, parent_id, author, author_kind, model_name, model_version,
  created_at, note, signed, sha256, counts_json, mean_entropy, reader_id FROM label_versions`;

/** Options of a label save: the parent edited, a note, the model's mean entropy, who saved it (audit). */
export interface LabelVersionOptions {
  readonly parentId?: LabelVersionId | null;
  readonly note?: string;
  readonly meanEntropy?: number | null;
  /** Actor recorded in the audit trail (default: the reader author, else the system). */
  readonly by?: AuditActor;
}

/** A stored burden record (figures as computed by `shared/imaging/burden.ts`). */
export interface BurdenRecord {
  readonly lesionVersionId: LabelVersionId | null;
  readonly lungVersionId: LabelVersionId;
  readonly createdAt: string;
  readonly burden: BurdenResult;
}

interface BurdenRow {
  lesion_version_id: number | null;
  lung_version_id: number;
  created_at: string;
  burden_json: string;
}

function burdenRecord(r: BurdenRow): BurdenRecord {
  const parsed = parseBurdenResult(JSON.parse(r.burden_json));
  if (!parsed.ok) throw new CaseStoreError('conflict', `a stored burden record is not a lung-burden-v1 burden (${parsed.problem}): recompute it by running the AI or saving the labels again`);
  return {
    lesionVersionId: r.lesion_version_id === null ? null : asLabelVersionId(r.lesion_version_id),
    lungVersionId: asLabelVersionId(r.lung_version_id),
    createdAt: r.created_at,
    burden: parsed.burden,
  };
}

function signatureInfo(r: SignatureRow): SignatureInfo {
  return {
    id: r.id,
    caseId: asCaseId(r.case_id),
    kind: r.kind,
    lesionVersionId: asLabelVersionId(r.lesion_version_id),
    lesionSha256: r.lesion_sha256,
    lungVersionId: asLabelVersionId(r.lung_version_id),
    lungSha256: r.lung_sha256,
    readerId: r.reader_id,
    readerLogin: r.reader_login,
    readerName: r.reader_name,
    readerRole: r.reader_role as ReaderRole,
    meaning: r.meaning,
    reason: r.reason,
    signedAt: r.signed_at,
  };
}

function versionInfo(r: VersionRow, signature: SignatureInfo | null): LabelVersionInfo {
  const author: LabelAuthor = {
    kind: r.author_kind,
    name: r.author,
    ...(r.model_name !== null ? { modelName: r.model_name } : {}),
    ...(r.model_version !== null ? { modelVersion: r.model_version } : {}),
    ...(r.reader_id !== null ? { readerId: r.reader_id } : {}),
  };
  return {
    id: asLabelVersionId(r.id),
    caseId: asCaseId(r.case_id),
    kind: r.kind,
    version: r.version,
    parentId: r.parent_id === null ? null : asLabelVersionId(r.parent_id),
    author,
    createdAt: r.created_at,
    note: r.note,
    signed: r.signed === 1,
    sha256: r.sha256,
    counts: JSON.parse(r.counts_json) as number[],
    signature,
  };
}

export { countLabels } from './label-encoding.ts';
