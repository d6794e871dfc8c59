#!/usr/bin/env node
// The `lung-burden` command: runs the TypeScript CLI (electron/cli/main.ts) through tsx.
import { register } from 'tsx/esm/api';
register();
await import('../electron/cli/main.ts');
