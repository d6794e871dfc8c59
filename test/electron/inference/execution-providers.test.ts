import assert from 'node:assert/strict';
import { availableParallelism } from 'node:os';
import { test } from 'node:test';
import { providerCandidates } from '../../../electron/services/inference/execution-providers.ts';
import { defaultThreadCount, physicalCoreCount } from '../../../electron/services/inference/thread-count.ts';

test('auto: CUDA first on linux/win32 when a GPU may exist, DirectML on win32, CoreML on darwin, always ending with cpu', () => {
  assert.deepEqual(providerCandidates('auto', 'linux', true), ['cuda', 'cpu']);
  assert.deepEqual(providerCandidates('auto', 'linux', false), ['cpu']);
  assert.deepEqual(providerCandidates('auto', 'win32', true), ['cuda', 'dml', 'cpu']);
  assert.deepEqual(providerCandidates('auto', 'win32', false), ['dml', 'cpu']);
  assert.deepEqual(providerCandidates('auto', 'darwin', false), ['coreml', 'cpu']);
});

test('a named provider is tried first with an explicit cpu fallback; cpu alone is just cpu', () => {
  assert.deepEqual(providerCandidates('cuda', 'linux', false), ['cuda', 'cpu']);
  assert.deepEqual(providerCandidates('dml', 'win32', true), ['dml', 'cpu']);
  assert.deepEqual(providerCandidates('cpu', 'linux', true), ['cpu']);
});

test('default thread count: physical cores, capped by availableParallelism, at least 1', () => {
  const n = defaultThreadCount();
  assert.ok(Number.isInteger(n) && n >= 1 && n <= availableParallelism());
  const physical = physicalCoreCount();
  if (physical !== null) assert.equal(n, Math.min(physical, availableParallelism()));
});
