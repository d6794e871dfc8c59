import type { WorkstationDialogs } from '../app/workstation-dialogs.ts';

/** The part of Electron's `dialog` module used here (structural, so tests can pass a fake). */
export interface DialogModule {
  showOpenDialog(
    window: unknown,
    options: { title?: string; buttonLabel?: string; properties: ('openDirectory' | 'createDirectory' | 'dontAddToRecent')[] },
  ): Promise<{ canceled: boolean; filePaths: string[] }>;
  showSaveDialog(
    window: unknown,
    options: {
      title?: string;
      defaultPath?: string;
      filters?: { name: string; extensions: string[] }[];
      properties?: ('createDirectory' | 'showOverwriteConfirmation')[];
    },
  ): Promise<{ canceled: boolean; filePath?: string | undefined }>;
}

const isAbsolute = (p: string): boolean => p.startsWith('/') || /^[A-Za-z]:[\\/]/.test(p);

/**
 * {@link WorkstationDialogs} on Electron's `dialog` (modal to `window()`): open-directory for
 * imports and multi-file exports, save-file for one-file exports. Anything but one absolute path
 * counts as cancelled.
 */
export function createNativeDialogs(dialog: DialogModule, window: () => unknown): WorkstationDialogs {
  const folder = async (title: string, buttonLabel: string): Promise<string | null> => {
    const r = await dialog.showOpenDialog(window(), {
      title,
      buttonLabel,
      properties: ['openDirectory', 'createDirectory', 'dontAddToRecent'],
    });
    const p = r.filePaths[0];
    return r.canceled || r.filePaths.length !== 1 || p === undefined || !isAbsolute(p) ? null : p;
  };
  return {
    chooseImportFolder: () => folder('Import a DICOM folder', 'Import'),
    chooseExportFolder: (title) => folder(title, 'Export here'),
    chooseSaveFile: async (defaultName, filter) => {
      const r = await dialog.showSaveDialog(window(), {
        title: `Save ${defaultName}`,
        defaultPath: defaultName,
        filters: [{ name: filter.name, extensions: [filter.extension] }],
        properties: ['createDirectory', 'showOverwriteConfirmation'],
      });
      return r.canceled || r.filePath === undefined || !isAbsolute(r.filePath) ? null : r.filePath;
    },
  };
}
