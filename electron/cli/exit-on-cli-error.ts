import { defaultDataDir } from '../app/paths.ts';
import { ImportPathError } from '../services/analysis/import-any-path.ts';
import { createLogger } from '../services/logging/logger.ts';
import { internalErrorFields, userError } from '../services/logging/user-error.ts';
import { USAGE, UsageError } from './cli-usage.ts';
import { EXIT } from './exit-codes.ts';
import { PacsUsageError } from './pacs-command.ts';
import { ReadStudyUsageError } from './read-study-command.ts';

/**
 * Ends the CLI after a command failed, with the exit code of the failure: usage errors print the
 * usage (EXIT.usage); bad input, model and other failures print one clear sentence (engine errors
 * and raw bytes never reach the user: their detail goes to the log of the data folder).
 */
export function exitOnCliError(e: unknown, log: (msg: string) => void): never {
  if (
    e instanceof UsageError ||
    e instanceof PacsUsageError ||
    e instanceof ReadStudyUsageError ||
    (e instanceof TypeError && (e as { code?: string }).code?.startsWith('ERR_PARSE_ARGS'))
  ) {
    log(`lung-burden: ${e.message}\n\n${USAGE}`);
    process.exit(EXIT.usage);
  }
  // Engine errors ("Maximum call stack…", "Cannot read properties of undefined") and raw bytes
  // never reach the user: a clear sentence here, the detail in the log of the data folder.
  const told = userError(e);
  if (told.internal) logInternalError(e);
  log(`lung-burden: ${told.message}`);
  const name = e instanceof Error ? e.name : '';
  if (name === 'ReadersCommandError') process.exit(EXIT.usage);
  process.exit(
    told.badInput || e instanceof ImportPathError || /Nifti|Dicom|Import|Csv|Roc|CohortLabels|ReportData|KeyImage|BatchJournal/.test(name)
      ? EXIT.badInput
      : name === 'ModelBundleError'
        ? EXIT.model
        : EXIT.failure,
  );
}

/** Writes an internal error's detail to the log of the data folder (never fails). */
function logInternalError(e: unknown): void {
  try {
    const at = process.argv.indexOf('--data-dir');
    const dataDir = at > 0 ? (process.argv[at + 1] ?? defaultDataDir()) : (process.env['LUNG_BURDEN_DATA_DIR'] ?? defaultDataDir());
    const logger = createLogger({ dataDir });
    logger.error(`cli ${process.argv[2] ?? ''}: internal error`, internalErrorFields(e));
    logger.close();
  } catch {
    // the message above is all we can give
  }
}
