import { MAX_UPLOAD_BYTES, MAX_UPLOAD_FILE_BYTES, MAX_UPLOAD_FILES, type ChooseFolderOutcome } from '../../../shared/contracts/imports.ts';
import type { JobInfo } from '../../../shared/contracts/workstation.ts';
import { ContractError } from '../../../shared/contracts/contract.ts';
import { workstationApi } from '../../app/api.ts';
import { h } from '../../ui/h.ts';

/** A file of a folder picked or dropped in the browser, with its path inside that folder. */
export interface FolderFile {
  readonly path: string;
  readonly file: File;
}

/** Files uploaded at the same time (each is one binary call; the bridge reads at most 2 bodies at once). */
const PARALLEL = 2;

/** The bridge's answer when it already reads as many uploads as it allows (HTTP 429): wait and retry. */
const isBusy = (e: unknown): boolean => e instanceof ContractError && /too many uploads at once/.test(e.message);

/**
 * A path as the upload contract accepts it: `/`-separated, relative, no empty, `.` or `..`
 * segments; control characters and backslashes become `_` (the importer reads file contents,
 * not names).
 */
export function uploadPath(raw: string): string | null {
  const segs = raw
    .split('/')
    .map((s) => s.replace(/[\u0000-\u001f\\]/g, '_').slice(0, 255))
    .filter((s) => s !== '' && s !== '.');
  if (segs.length === 0 || segs.length > 32 || segs.includes('..')) return null;
  const p = segs.join('/');
  return p.length <= 1024 ? p : null;
}

/** The files of an `<input type=file webkitdirectory>` with their folder-relative paths. */
export function filesOfInput(input: HTMLInputElement): FolderFile[] {
  return [...(input.files ?? [])].map((file) => ({ path: file.webkitRelativePath || file.name, file }));
}

/** Every file under the dropped items (folders walked with `webkitGetAsEntry`). */
export async function filesOfDrop(items: DataTransferItemList): Promise<FolderFile[]> {
  const entries = [...items].map((i) => i.webkitGetAsEntry()).filter((e): e is FileSystemEntry => e !== null);
  const out: FolderFile[] = [];
  const walk = async (entry: FileSystemEntry): Promise<void> => {
    if (entry.isFile) {
      const file = await new Promise<File>((resolve, reject) => (entry as FileSystemFileEntry).file(resolve, reject));
      out.push({ path: entry.fullPath.replace(/^\/+/, ''), file });
    } else if (entry.isDirectory) {
      const reader = (entry as FileSystemDirectoryEntry).createReader();
      // readEntries returns the children in batches; an empty batch ends the folder.
      for (;;) {
        const batch = await new Promise<FileSystemEntry[]>((resolve, reject) => reader.readEntries(resolve, reject));
        if (batch.length === 0) break;
        for (const child of batch) await walk(child);
      }
    }
  };
  for (const e of entries) await walk(e);
  return out;
}

/**
 * Uploads a folder's files to the main side (binary, `PARALLEL` at a time, into a fresh staging
 * folder) and starts the import job on it; resolves with that job. Refuses, before sending
 * anything, uploads over the contract's bounds; on any failure the upload is aborted (the
 * staging folder removed).
 */
export async function uploadFolder(
  files: readonly FolderFile[],
  onProgress: (doneFiles: number, totalFiles: number, bytes: number) => void,
): Promise<JobInfo> {
  const items: FolderFile[] = [];
  const seen = new Set<string>();
  for (const f of files) {
    const p = uploadPath(f.path);
    if (p === null || seen.has(p)) continue;
    if (f.file.size > MAX_UPLOAD_FILE_BYTES) throw new Error(`${f.path} is larger than ${MAX_UPLOAD_FILE_BYTES / 1024 ** 2} MiB`);
    seen.add(p);
    items.push({ path: p, file: f.file });
  }
  const total = items.reduce((a, f) => a + f.file.size, 0);
  if (items.length === 0) throw new Error('the folder holds no file');
  if (items.length > MAX_UPLOAD_FILES) throw new Error(`${items.length} files: at most ${MAX_UPLOAD_FILES} per import`);
  if (total > MAX_UPLOAD_BYTES)
    throw new Error(`${(total / 1024 ** 3).toFixed(1)} GiB: at most ${MAX_UPLOAD_BYTES / 1024 ** 3} GiB per import`);
  const api = workstationApi();
  const { uploadId } = await api.imports.beginUpload({ files: items.length, bytes: total });
  let next = 0;
  let done = 0;
  let sent = 0;
  onProgress(0, items.length, 0);
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const item = items[next++] as FolderFile;
      const bytes = new Uint8Array(await item.file.arrayBuffer());
      for (let attempt = 1; ; attempt++) {
        try {
          await api.imports.uploadFile(uploadId, item.path, bytes);
          break;
        } catch (e) {
          if (!isBusy(e) || attempt >= 40) throw e;
          await new Promise((r) => setTimeout(r, 250));
        }
      }
      done++;
      sent += bytes.length;
      onProgress(done, items.length, sent);
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.min(PARALLEL, items.length) }, worker));
    return await api.imports.finishUpload(uploadId);
  } catch (e) {
    await api.imports.abortUpload(uploadId).catch(() => null);
    throw e;
  }
}

/** A hidden folder picker (`webkitdirectory`); `onFiles` gets the chosen folder's files. */
export function folderInput(onFiles: (files: FolderFile[]) => void): HTMLInputElement {
  const input = h('input', {
    type: 'file',
    webkitdirectory: true,
    multiple: true,
    hidden: true,
    'data-testid': 'import-folder-input',
    'aria-label': 'Folder to import',
  });
  input.addEventListener('change', () => {
    const files = filesOfInput(input);
    input.value = '';
    if (files.length > 0) onFiles(files);
  });
  return input;
}

/** Accepts folders (and files) dropped on `el`; `onFiles` gets every file under them. */
export function acceptFolderDrop(el: HTMLElement, onFiles: (files: FolderFile[]) => void, onError: (e: unknown) => void): () => void {
  const over = (e: DragEvent): void => {
    if (!e.dataTransfer?.types.includes('Files')) return;
    e.preventDefault();
    e.dataTransfer.dropEffect = 'copy';
    el.classList.add('folder-drop-active');
  };
  const leave = (): void => el.classList.remove('folder-drop-active');
  const drop = (e: DragEvent): void => {
    if (!e.dataTransfer?.types.includes('Files')) return;
    e.preventDefault();
    leave();
    filesOfDrop(e.dataTransfer.items)
      .then((files) => (files.length > 0 ? onFiles(files) : onError(new Error('nothing to import in what was dropped'))))
      .catch(onError);
  };
  el.addEventListener('dragover', over);
  el.addEventListener('dragleave', leave);
  el.addEventListener('drop', drop);
  return () => {
    el.removeEventListener('dragover', over);
    el.removeEventListener('dragleave', leave);
    el.removeEventListener('drop', drop);
  };
}

/** "Import folder…": Electron's folder dialog where there is one, else the browser's folder picker. */
export async function chooseFolderToImport(pickInBrowser: () => void): Promise<ChooseFolderOutcome> {
  const r = await workstationApi().imports.chooseFolder();
  if (r.kind === 'unsupported') pickInBrowser();
  return r;
}

/** The upload phase shown like a job in the worklist's progress bar. */
export function uploadJobView(doneFiles: number, totalFiles: number, bytes: number): JobInfo {
  return {
    id: 'upload',
    kind: 'import',
    state: 'running',
    done: doneFiles,
    total: totalFiles,
    etaS: null,
    message: `uploading ${doneFiles}/${totalFiles} files (${(bytes / 1024 ** 2).toFixed(1)} MiB)`,
    caseIds: [],
    error: null,
  };
}
