import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  buildMultipartRelated,
  mediaTypeParameter,
  MultipartError,
  parseMultipartRelated,
} from '../../../electron/services/pacs/multipart-related.ts';

const bytes = (s: string): Uint8Array => new TextEncoder().encode(s);

test('build → parse round trip keeps binary parts exactly (CRLF and boundary-like bytes inside)', () => {
  const a = Uint8Array.from({ length: 1000 }, (_, i) => (i * 37) % 256);
  const b = bytes('\r\n--not-the-boundary\r\n\r\n');
  const { body, contentType } = buildMultipartRelated([a, b, new Uint8Array(0)], 'lungburden-abc123');
  assert.equal(mediaTypeParameter(contentType, 'boundary'), 'lungburden-abc123');
  assert.equal(mediaTypeParameter(contentType, 'type'), 'application/dicom');
  const parts = parseMultipartRelated(body, contentType);
  assert.equal(parts.length, 3);
  assert.deepEqual([...(parts[0]?.body ?? [])], [...a]);
  assert.deepEqual([...(parts[1]?.body ?? [])], [...b]);
  assert.equal(parts[2]?.body.length, 0);
  assert.equal(parts[0]?.headers['content-type'], 'application/dicom');
});

test('quoted boundary, preamble, transport padding and epilogue are accepted', () => {
  const body = bytes('preamble\r\n--b1  \r\nContent-Type: application/dicom\r\nContent-Location: x\r\n\r\nDATA\r\n--b1--\r\nepilogue');
  const parts = parseMultipartRelated(body, 'multipart/related; type="application/dicom"; boundary="b1"');
  assert.equal(parts.length, 1);
  assert.equal(new TextDecoder().decode(parts[0]?.body), 'DATA');
  assert.equal(parts[0]?.headers['content-location'], 'x');
});

test('a body cut before its closing delimiter is refused as truncated', () => {
  const { body, contentType } = buildMultipartRelated([bytes('abcdef')], 'bnd');
  const cut = body.subarray(0, body.lastIndexOf('\r\n--'));
  assert.throws(
    () => parseMultipartRelated(cut, contentType),
    (e: unknown) => e instanceof MultipartError && e.code === 'truncated',
  );
  assert.throws(
    () => parseMultipartRelated(body.subarray(0, 10), contentType),
    (e: unknown) => e instanceof MultipartError && e.code === 'truncated',
  );
  assert.throws(
    () => parseMultipartRelated(new Uint8Array(0), contentType),
    (e: unknown) => e instanceof MultipartError && e.code === 'truncated',
  );
});

test('no boundary / malformed part headers are clear errors', () => {
  assert.throws(
    () => parseMultipartRelated(bytes('x'), 'application/dicom'),
    (e: unknown) => e instanceof MultipartError && e.code === 'no-boundary',
  );
  assert.throws(
    () => parseMultipartRelated(bytes('--b\r\nno colon here\r\n\r\nX\r\n--b--'), 'multipart/related; boundary=b'),
    (e: unknown) => e instanceof MultipartError && e.code === 'malformed',
  );
});
