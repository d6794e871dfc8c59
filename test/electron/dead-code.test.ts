// No dead code: every value export of shared/, electron/ and renderer/ is used by some source file
// (not only by tests), except the ones named with a reason in scripts/dead-code-allow.json.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { allowedUnused, findDeadCode } from '../../scripts/check-dead-code.ts';

test('no unused exports and no code only tests use (outside the named exceptions)', () => {
  const r = findDeadCode();
  const allow = allowedUnused();
  assert.deepEqual(
    r.unused.filter((x) => !(x in allow)),
    [],
    'unused exports: delete them, or name them in scripts/dead-code-allow.json with a reason',
  );
  assert.deepEqual(
    r.testOnly.filter((x) => !(x in allow)),
    [],
    'exports only tests use: delete them (and their tests) or wire them',
  );
  const stale = Object.keys(allow).filter((x) => !r.unused.includes(x) && !r.testOnly.includes(x));
  assert.deepEqual(stale, [], 'allow-list entries that are no longer needed');
});
