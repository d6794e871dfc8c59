/**
 * The native dialogs the main side may show on the user's behalf (Electron's `dialog`, wired in
 * `electron/main.ts` by `electron/windows/native-dialogs.ts`). Absent in browser mode and the
 * CLI: there exports are downloaded and folders uploaded instead. Each resolves with an absolute
 * path, or null when the user cancels.
 */
export interface WorkstationDialogs {
  /** A folder to import (every series under it). */
  chooseImportFolder(): Promise<string | null>;
  /** A folder an export of several files is written into (a new subfolder is made in it). */
  chooseExportFolder(title: string): Promise<string | null>;
  /** Where a one-file export is saved; `defaultName` is proposed, `extension` (no dot) filters. */
  chooseSaveFile(defaultName: string, filter: { readonly name: string; readonly extension: string }): Promise<string | null>;
}
