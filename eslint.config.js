// Lint rules that keep the layers honest (see README "Design"):
//   shared/   pure TypeScript: no electron, no node:*, no DOM globals
//   electron/ main process: may use node + shared, never renderer
//   renderer/ browser: may use shared, never electron or node
import tseslint from 'typescript-eslint';
import importX from 'eslint-plugin-import-x';
import globals from 'globals';

// File and function size (issue 17). A file holds at most 300 lines as `wc -l` counts them (blank
// lines and comments included: the rule the team writes and measures); a function more than 100
// lines of code (blank lines and comments not counted) is a warning, and the lint script fails on
// warnings. Each file past a limit is named below with its reason; take a file off the list when
// it is split. Tests follow the same 300-line rule (a long test file is split by what it tests);
// test bodies are scenarios read top to bottom, so the function-length check does not apply there.
const MAX_FILE_LINES = 300;
const MAX_FUNCTION_LINES = 100;
const longFiles = {
  'shared/export/dicom-seg.ts':
    'DICOM SEG encoder and decoder of one IOD (Labelmap and Binary, frames, references): split encoder/decoder next',
  'shared/imaging/pleural-enclosure.ts':
    'one algorithm (pleural envelope: rib-cage sealing, side acceptance) whose steps share private geometry helpers',
  'shared/dicom/jpeg-dct-decoder.ts': 'baseline/extended/progressive JPEG DCT decoder: Huffman, IDCT and scan loops share state',
  'shared/dicom/dicom-import-session.ts': 'the streaming DICOM import state machine (files in, series out) with its issue bookkeeping',
  'shared/imaging/burden-tally.ts':
    'the one pure burden function (counts and figures) the live and stored burden share; kept whole on purpose',
  'test/fixtures/bad-input/make-corpus.ts': 'generator of the bad-input corpus and its manifest (one entry per hostile file)',
  'test/bench/mask-tools.bench.ts': 'benchmark of every mask tool in one run so the ratios compare',
  'test/electron/reliability/ipc-fuzz.test.ts': 'the fuzz table covering every contract channel, kept in one file on purpose',
};
const longFunctions = {
  'shared/dicom/jpeg-dct-decoder.ts': 'decoder loops (scan, MCU, Huffman) share state; splitting would pass a dozen locals around',
  'shared/dicom/assemble-stack.ts': 'assembleStack: one sequential algorithm (sort, dedupe, spacing, assemble) with shared locals',
  'shared/export/dicom-seg.ts': 'building and parsing one IOD: the dataset is written/read field by field',
  'shared/imaging/mask-tools/flood-fill.ts': 'scanline flood fill: one tight loop kept in one function for speed',
  'shared/imaging/pleural-enclosure.ts': 'algorithm steps with shared geometry state',
  'shared/inference/postprocess.ts': 'postprocessSlice: one pass of the network output per slice',
  'shared/dicom/dicom-import-session.ts': 'addFile/finish: the import state machine per file',
  'shared/export/dicom-sr.ts': 'buildMeasurementReport: the SR content tree of one template',
  'shared/imaging/mask-tools/interpolate.ts': 'interpolateSlices: one algorithm per class',
  'shared/imaging/mask-tools/label-runs.ts': 'labelRuns: run-length connected components in one pass',
  'shared/imaging/track-central-airways.ts': 'trackCentralAirways: one region-growing loop',
  'shared/export/deidentify.ts': 'the de-identification profile applied attribute by attribute',
  'shared/imaging/assign-lung-sides.ts': 'splitComponent: the left/right split loop',
  'electron/cli/main.ts': 'main: the command switch of the CLI',
  'electron/services/inference/inference-service.ts': '#run: one inference run with its cancel and crash paths',
  'electron/workers/inference-worker.ts': 'run: the per-run loop of the worker',
  'electron/services/exports/training-export.ts': 'exportTrainingSet: one export folder written case by case',
  'electron/ipc/http-bridge.ts': 'handle: the request router of the bridge',
  'electron/services/reports/report-page-one.ts': 'pageOne: the layout of page one, top to bottom',
  'electron/services/audit/verify-audit-trail.ts': 'verifyAuditTrail: one pass over the chain and the records it covers',
  'electron/app/workstation.ts':
    'createWorkstation: the wiring of every service of the workstation in one place (104 code lines once formatted at printWidth 140)',
  'electron/app/api/blinded-api.ts':
    'withBlinding: the blinding wrapper of every service, one closure per read-study rule (read studies, merged after the rule)',
};

const nodeBuiltins = [
  'node:*',
  'fs',
  'fs/promises',
  'path',
  'os',
  'child_process',
  'worker_threads',
  'crypto',
  'zlib',
  'url',
  'http',
  'https',
  'net',
  'stream',
  'util',
  'events',
  'buffer',
];

export default tseslint.config(
  { ignores: ['node_modules/**', '.vite/**', 'out/**', 'dist/**', '.venv/**', 'models/training/**', 'test-results/**'] },
  ...tseslint.configs.strictTypeChecked,
  {
    // type information from the TypeScript project service (tsconfig.json: shared, electron, renderer, test, scripts)
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    plugins: { 'import-x': importX },
    rules: {
      'import-x/no-cycle': ['error', { maxDepth: 10 }],
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'max-lines': ['error', { max: MAX_FILE_LINES, skipBlankLines: false, skipComments: false }],
      'max-lines-per-function': ['warn', { max: MAX_FUNCTION_LINES, skipBlankLines: true, skipComments: true, IIFEs: true }],
      // numbers, booleans and null/undefined read fine in messages; objects, arrays and never do not
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true, allowBoolean: true, allowNullish: true }],
      // node:test's test()/describe()/it() and hooks return promises the runner awaits itself
      '@typescript-eslint/no-floating-promises': [
        'error',
        {
          allowForKnownSafeCalls: [
            {
              from: 'package',
              package: 'node:test',
              name: ['test', 'describe', 'it', 'suite', 'before', 'after', 'beforeEach', 'afterEach'],
            },
          ],
        },
      ],
      '@typescript-eslint/no-confusing-void-expression': ['error', { ignoreArrowShorthand: true }],
      // contract methods are async on purpose: a synchronous throw must reach the dispatcher as a rejection
      '@typescript-eslint/require-await': 'off',
    },
  },
  // plain JavaScript fixtures are outside the TypeScript project: no type-aware rules there
  { files: ['**/*.{js,mjs,cjs}'], ...tseslint.configs.disableTypeChecked },
  { files: ['test/**/*.ts'], rules: { 'max-lines-per-function': 'off' } },
  ...Object.keys(longFiles).map((file) => ({ files: [file], rules: { 'max-lines': 'off' } })),
  ...Object.keys(longFunctions).map((file) => ({ files: [file], rules: { 'max-lines-per-function': 'off' } })),
  {
    files: ['shared/**/*.ts'],
    languageOptions: { globals: { ...globals['shared-node-browser'] } },
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['electron', 'electron/*'], message: 'shared/ is pure: no electron.' },
            { group: nodeBuiltins, message: 'shared/ is pure: no node APIs.' },
            { group: ['**/electron/**', '**/renderer/**'], message: 'shared/ imports nothing from electron/ or renderer/.' },
          ],
        },
      ],
      'no-restricted-globals': ['error', 'window', 'document', 'navigator', 'localStorage', 'process', 'Buffer', 'require', '__dirname'],
    },
  },
  {
    files: ['electron/**/*.ts'],
    languageOptions: { globals: { ...globals.node } },
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            {
              name: 'electron',
              importNames: ['ipcMain', 'ipcRenderer'],
              message: 'raw IPC only in electron/ipc and the preload: add a contract method instead.',
            },
          ],
          patterns: [{ group: ['**/renderer/**'], message: 'electron/ must not import renderer/.' }],
        },
      ],
      'no-restricted-syntax': [
        'error',
        {
          selector: 'MemberExpression[property.name=/^ipc(Main|Renderer)$/]',
          message: 'raw IPC only in electron/ipc and the preload: add a contract method instead.',
        },
      ],
    },
  },
  {
    // the two places that speak raw Electron IPC: the contract's main-side server and the preload bridge
    files: ['electron/ipc/**/*.ts', 'electron/preload.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [{ group: ['**/renderer/**'], message: 'electron/ must not import renderer/.' }],
        },
      ],
      'no-restricted-syntax': 'off',
    },
  },
  {
    files: ['renderer/**/*.ts'],
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['electron', 'electron/*'], message: 'renderer/ never imports electron: use the preload contract.' },
            { group: ['**/electron/**'], message: 'renderer/ must not import electron/ (main process code).' },
            { group: nodeBuiltins, message: 'renderer/ runs in a browser: no node APIs.' },
          ],
        },
      ],
    },
  },
);
