import { defaultDataDir } from '../app/paths.ts';
import { PACS_USAGE } from './pacs-command.ts';
import { READ_STUDY_USAGE } from './read-study-command.ts';
import { TRIAL_USAGE } from './trial-command.ts';

/** A command line the CLI does not accept (exit code 2, the usage is printed). */
export class UsageError extends Error {}

/**
 * How many positional arguments each command takes: one more is refused rather than silently ignored (`analyze a b`
 * used to analyse `a` alone). `segment` takes any number of images; `pacs`, `trial` and `read-study` check their own.
 */
const MOST_ARGUMENTS: Readonly<Record<string, number>> = {
  'compare-slices': 2,
  report: 1,
  batch: 1,
  export: 1,
  retrain: 0,
  audit: 1,
  agreement: 0,
  readers: 1,
  roc: 1,
  import: 1,
  analyze: 1,
  list: 0,
  diagnostics: 0,
};

/** A usage error when `command` was given more positional arguments than it takes. */
export function checkArgumentCount(command: string, positionals: readonly string[]): void {
  const most = MOST_ARGUMENTS[command];
  if (most === undefined || positionals.length <= most) return;
  const takes = most === 0 ? 'no argument' : most === 1 ? 'one argument' : `${most} arguments`;
  throw new UsageError(`${command} takes ${takes}; unexpected: ${positionals.slice(most).join(' ')} (a path with spaces needs quotes)`);
}

/** The CLI's help text (`lung-burden --help`). */
export const USAGE = `usage: lung-burden <command> [options]

commands:
  import  <dicom-folder|file.nii[.gz]>             import into the case store, print the case ids
  analyze <case-id|dicom-folder|file.nii[.gz]>     lung mask + lesion model + burden
            [--json] [--csv] [--no-model] [--model NAME[@VERSION]] [--threads N] [--provider auto|cpu|cuda]
            exit 5: analysed, but with blocking scan QC flags (listed; "qc" in --json)
  segment <dicom-folder|nifti|png/jpeg files or folder> --out <dir>
            volumes → labels.nii.gz (0/1/2), lung.nii.gz, burden.json
            8-bit images → one PNG per image (0/1/2), same size and orientation
            [--window-center -600 --window-width 1500] [--orientation auto|upright|transposed+upside-down+mirrored…]
            [--model NAME[@VERSION]] [--threads N]
  compare-slices <test-dir> <reference-dir> [--json] [--out per-image.csv]
            Dice of GGO, high opacity and all lesion between two folders of 2D label PNGs
            (matched by file name; palette PNGs give their palette index, e.g. MedSeg ground truth)
  report  <case-id|dicom-folder|nifti> --out <file.pdf|dir> [--pseudonymize] [--no-model] [--force]
            per-patient PDF report, with the same numbers as CSV and JSON beside it
  batch   <root> --out <dir> [--jobs N] [--labels labels.csv --label-column C] [--retry-failed]
            every study under root: import, analyse, report; cohort.csv; resumes after interruption
  roc     <cohort.csv> --labels labels.csv --column C --out <dir> [--threshold T]
            AUROC of burden vs known labels, sensitivity/specificity (as the paper's Table 8)
  export  <case-id|dicom-folder|nifti> --format dicom-seg|nifti|nnunet|lung-burden-v1 --out <dir> [--deidentify] [--force]
            ground truth out (nnunet and lung-burden-v1: signed versions only, always de-identified)
  list    [--json]                                 the cases in the store
  retrain --from <lung-burden-v1 export> [--steps N] [--min-delta D]
            fine-tune on signed cases; evaluates old and new on the fixed validation split and
            registers the new bundle only if it is not worse (lesion Dice ≥ old − D)
  diagnostics --out <file.zip|dir>                 support bundle: logs, versions, database integrity (no patient data)
${PACS_USAGE}
  export  <case-id> --format sr --out <dir> [--unsigned]   DICOM SR TID 1500 Measurement Report (+ the SEG it references)
  readers add --name <login> --role reader|adjudicator|admin [--display-name "Dr X"] [--as <admin login>]
            reader account; password from LUNG_BURDEN_PASSWORD or the first line of stdin (never an argument);
            the first account must be an admin; later ones need --as and LUNG_BURDEN_ADMIN_PASSWORD
  readers list [--json]                            the accounts (no password hashes)
  agreement --reader-a <login> --reader-b <login> --out <dir>
            agreement of two readers' signed reads: per-case Dice/volume/burden CSV and cohort Bland–Altman CSV
${READ_STUDY_USAGE}
  audit   <case-id|--all> [--json|--csv] [--verify]
            the hash-chained audit trail; --verify walks the whole chain and the signed records it covers
            and exits 6 naming the first broken entry if anything was modified, deleted or inserted
${TRIAL_USAGE}

options: --data-dir <dir> (default ${defaultDataDir()}), --help`;
