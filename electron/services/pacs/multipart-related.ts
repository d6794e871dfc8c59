/**
 * A multipart/related body (RFC 2387, as DICOMweb uses it in PS3.18 §8.6.1.2): parsing of
 * WADO-RS responses and building of STOW-RS requests. The parser is strict about the end: a body
 * without its closing delimiter (`--boundary--`) is a truncated transfer and is refused, so a
 * PACS that went away mid-response never yields a silently shortened instance.
 */

/** One body part: its headers (lower-case names) and its bytes. */
export interface MultipartPart {
  readonly headers: Readonly<Record<string, string>>;
  readonly body: Uint8Array;
}

/** A body that is not well-formed multipart/related (or was cut off). */
export class MultipartError extends Error {
  override readonly name = 'MultipartError';
  constructor(
    readonly code: 'no-boundary' | 'truncated' | 'malformed',
    message: string,
  ) {
    super(message);
  }
}

/** Reads a media-type parameter (`boundary`, `type`), quoted or not; null when absent. */
export function mediaTypeParameter(contentType: string, name: string): string | null {
  const re = new RegExp(`;\\s*${name}\\s*=\\s*(?:"([^"]*)"|([^;\\s]+))`, 'i');
  const m = re.exec(contentType);
  if (!m) return null;
  return m[1] ?? m[2] ?? null;
}

const CRLF = Buffer.from('\r\n');

function parseHeaders(block: Buffer): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const line of block.toString('latin1').split('\r\n')) {
    if (!line) continue;
    const colon = line.indexOf(':');
    if (colon <= 0) throw new MultipartError('malformed', `malformed part header "${line.slice(0, 60)}"`);
    headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  return headers;
}

/**
 * Splits a complete multipart body into its parts. `contentType` is the response's Content-Type
 * (its `boundary` parameter is required).
 *
 * @throws MultipartError `no-boundary`, `truncated` (closing delimiter missing, or a part cut
 *   off), `malformed` (a part without its header/body separator).
 */
export function parseMultipartRelated(body: Uint8Array, contentType: string): MultipartPart[] {
  const boundary = mediaTypeParameter(contentType, 'boundary');
  if (!boundary) throw new MultipartError('no-boundary', `response is not multipart (Content-Type "${contentType.slice(0, 100)}")`);
  const buf = Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  const delimiter = Buffer.from(`--${boundary}`);
  // The first delimiter may follow a preamble; later ones are always preceded by CRLF.
  let pos = buf.indexOf(delimiter);
  if (pos < 0) throw new MultipartError('truncated', 'multipart body has no delimiter (empty or cut off)');
  if (pos > 0 && !(buf[pos - 2] === 0x0d && buf[pos - 1] === 0x0a)) {
    // A preamble must end with CRLF before the first delimiter.
    throw new MultipartError('malformed', 'multipart preamble is not terminated by CRLF');
  }
  const next = Buffer.concat([CRLF, delimiter]);
  const parts: MultipartPart[] = [];
  for (;;) {
    const afterDelim = pos + delimiter.length;
    if (afterDelim + 2 > buf.length) throw new MultipartError('truncated', 'multipart body ends inside a delimiter');
    if (buf[afterDelim] === 0x2d && buf[afterDelim + 1] === 0x2d) return parts; // "--": closing delimiter
    // transport padding (spaces/tabs) then CRLF
    let lineEnd = afterDelim;
    while (buf[lineEnd] === 0x20 || buf[lineEnd] === 0x09) lineEnd++;
    if (buf[lineEnd] !== 0x0d || buf[lineEnd + 1] !== 0x0a)
      throw new MultipartError('malformed', 'multipart delimiter is not followed by CRLF');
    const partStart = lineEnd + 2;
    const end = buf.indexOf(next, partStart);
    if (end < 0) throw new MultipartError('truncated', `multipart body cut off in part ${parts.length + 1} (no closing delimiter)`);
    const part = buf.subarray(partStart, end);
    const sep = part.indexOf('\r\n\r\n');
    let headers: Record<string, string>;
    let content: Buffer;
    if (part.subarray(0, 2).equals(CRLF)) {
      headers = {};
      content = part.subarray(2);
    } else {
      if (sep < 0) throw new MultipartError('malformed', `multipart part ${parts.length + 1} has no header/body separator`);
      headers = parseHeaders(part.subarray(0, sep));
      content = part.subarray(sep + 4);
    }
    parts.push({ headers, body: new Uint8Array(content.buffer, content.byteOffset, content.byteLength) });
    pos = end + 2;
  }
}

/** A boundary that cannot occur in DICOM payloads by chance (random hex). */
export function newBoundary(random: Uint8Array): string {
  return `lungburden-${Buffer.from(random).toString('hex')}`;
}

/**
 * Builds a multipart/related body of `application/dicom` parts (STOW-RS). Returns the body and
 * the Content-Type header to send with it.
 */
export function buildMultipartRelated(
  parts: readonly Uint8Array[],
  boundary: string,
  type = 'application/dicom',
): { body: Buffer; contentType: string } {
  const chunks: Buffer[] = [];
  for (const p of parts) {
    chunks.push(Buffer.from(`--${boundary}\r\nContent-Type: ${type}\r\n\r\n`, 'latin1'));
    chunks.push(Buffer.from(p.buffer, p.byteOffset, p.byteLength));
    chunks.push(CRLF);
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`, 'latin1'));
  return { body: Buffer.concat(chunks), contentType: `multipart/related; type="${type}"; boundary=${boundary}` };
}
