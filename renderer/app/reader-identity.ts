import { createStore } from './store.ts';
import { workstationApi } from './api.ts';
import { promptText } from '../ui/modal.ts';

/** The reader signed in on this workstation (stored by the main process). */
export const readerStore = createStore<string | null>(null);

/** Reads the stored reader name; asks once (required) when none is stored yet. */
export async function ensureReader(): Promise<string> {
  const api = workstationApi();
  const stored = await api.settings.readerName();
  if (stored) {
    readerStore.set(stored);
    return stored;
  }
  return changeReader(true);
}

/** Asks for the reader's name and stores it; every saved version records it. */
export async function changeReader(required = false): Promise<string> {
  const current = readerStore.get();
  const name = await promptText({
    title: required ? 'Who is reading?' : 'Change reader',
    label: 'Your name as it should appear on saved and signed versions',
    value: current ?? '',
    okLabel: 'Continue',
    required,
  });
  if (!name) return current ?? '';
  const saved = await workstationApi().settings.setReaderName(name);
  readerStore.set(saved);
  return saved;
}
