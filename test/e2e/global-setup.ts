import type { FullConfig } from '@playwright/test';
import { join } from 'node:path';
import { REPO_ROOT } from '../support/shared-data.ts';
import { startTestServer } from './support/start-server.ts';

/**
 * Starts the real workstation (services + loopback bridge) once for all specs and passes its
 * address to the workers through the environment. Returns the teardown.
 */
export default async function globalSetup(_config: FullConfig): Promise<() => Promise<void>> {
  // Retraining from the Models panel runs a stand-in trainer with the real one's arguments, output
  // and files (the real one takes minutes; it is tested in models/training/tests and
  // test/electron/training/retrain-real.test.ts). LB_E2E_REAL_TRAINER=1 uses the real one.
  if (!process.env['LB_E2E_REAL_TRAINER'])
    process.env['LUNG_BURDEN_PYTHON'] = join(REPO_ROOT, 'test', 'fixtures', 'fake-retrain', 'fake-python.mjs');
  const s = await startTestServer();
  process.env['LB_E2E_URL'] = s.server.url;
  process.env['LB_E2E_TOKEN'] = s.server.token;
  process.env['LB_E2E_DATA_DIR'] = s.dataDir;
  process.env['LB_E2E_PHANTOM'] = s.phantomPath;
  return () => s.stop();
}
