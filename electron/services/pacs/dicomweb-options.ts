import type { IncomingHttpHeaders } from 'node:http';
import type { PacsError } from './pacs-error.ts';

/** Credentials of a request: none, HTTP Basic, or an OAuth bearer token. Never logged. */
export type DicomWebAuth =
  | { readonly kind: 'none' }
  | { readonly kind: 'basic'; readonly user: string; readonly password: string }
  | { readonly kind: 'bearer'; readonly token: string };

export interface DicomWebClientOptions {
  /** DICOMweb root, e.g. `https://pacs.example.org/dicom-web` (no trailing slash needed). */
  readonly url: string;
  readonly auth?: DicomWebAuth;
  /** Extra CA certificates (PEM) trusted for TLS, added to Node's default roots. */
  readonly caPem?: string | null;
  /** Milliseconds without any data before a request is abandoned (default 30 000). */
  readonly timeoutMs?: number;
  /** Attempts after the first for transient failures (default 3). */
  readonly retries?: number;
  /** First back-off in ms; doubled each attempt, with jitter (default 250). */
  readonly backoffMs?: number;
  /** Told of each retry (for logs: never contains credentials). */
  readonly onRetry?: (what: string, attempt: number, error: PacsError) => void;
}

export interface HttpResult {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
}
