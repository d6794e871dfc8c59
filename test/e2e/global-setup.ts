import type { FullConfig } from '@playwright/test';
import { startTestServer } from './support/start-server.ts';

/**
 * Starts the real workstation (services + loopback bridge) once for all specs and passes its
 * address to the workers through the environment. Returns the teardown.
 */
export default async function globalSetup(_config: FullConfig): Promise<() => Promise<void>> {
  const s = await startTestServer();
  process.env['LB_E2E_URL'] = s.server.url;
  process.env['LB_E2E_TOKEN'] = s.server.token;
  process.env['LB_E2E_DATA_DIR'] = s.dataDir;
  process.env['LB_E2E_PHANTOM'] = s.phantomPath;
  return () => s.stop();
}
