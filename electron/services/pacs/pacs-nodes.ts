import { randomBytes } from 'node:crypto';
import type { PacsNodeInput, PacsNodeView } from '../../../shared/contracts/pacs.ts';
import { PacsAuthSchema, PacsUrlSchema } from '../../../shared/contracts/pacs.ts';
import type { CaseStore } from '../cases/case-store.ts';
import { DicomWebClient, type DicomWebAuth } from './dicomweb-client.ts';
import { PacsError } from './pacs-error.ts';
import { z } from 'zod';

/**
 * Encrypts secrets at rest with an OS-backed key: Electron's `safeStorage` has exactly this
 * shape and is what the Electron main passes. Browser mode and the CLI have none.
 */
export interface SecretEncryptor {
  isEncryptionAvailable(): boolean;
  encryptString(plainText: string): Uint8Array;
  decryptString(encrypted: Buffer): string;
}

const NODES_KEY = 'pacs.nodes';
const secretKey = (id: string): string => `pacs.secret.${id}`;

const StoredNodeSchema = z.object({
  id: z.string().regex(/^[a-z0-9-]{1,64}$/),
  name: z.string(),
  url: PacsUrlSchema,
  auth: PacsAuthSchema,
  caPem: z.string().nullable(),
  timeoutS: z.number().int().min(1).max(600),
});
type StoredNode = z.infer<typeof StoredNodeSchema>;

/**
 * The configured DICOMweb nodes, kept in the case store's settings table (no migration needed).
 * The node list never holds a secret. Secrets go to `pacs.secret.<id>` encrypted when an
 * encryptor is available; otherwise they live in this object's memory only (for the session) and
 * the views say `secretStorage: 'session'`.
 */
export class PacsNodes {
  private readonly sessionSecrets = new Map<string, string>();

  constructor(
    private readonly store: CaseStore,
    private readonly encryptor: SecretEncryptor | null = null,
  ) {}

  private get persistent(): boolean {
    return this.encryptor !== null && this.encryptor.isEncryptionAvailable();
  }

  private read(): StoredNode[] {
    const raw = this.store.getSetting(NODES_KEY);
    if (!raw) return [];
    const parsed = z.array(StoredNodeSchema).safeParse(JSON.parse(raw));
    return parsed.success ? parsed.data : [];
  }

  private write(nodes: readonly StoredNode[]): void {
    this.store.setSetting(NODES_KEY, JSON.stringify(nodes));
  }

  private secretOf(id: string): string | null {
    const s = this.sessionSecrets.get(id);
    if (s !== undefined) return s;
    if (!this.persistent || !this.encryptor) return null;
    const enc = this.store.getSetting(secretKey(id));
    if (!enc) return null;
    try {
      return this.encryptor.decryptString(Buffer.from(enc, 'base64'));
    } catch {
      return null;
    }
  }

  private view(n: StoredNode): PacsNodeView {
    return {
      ...n,
      hasSecret: n.auth.kind !== 'none' && this.secretOf(n.id) !== null,
      secretStorage: this.persistent ? 'encrypted' : 'session',
    };
  }

  list(): PacsNodeView[] {
    return this.read().map((n) => this.view(n));
  }

  get(id: string): PacsNodeView {
    const n = this.read().find((x) => x.id === id);
    if (!n) throw new PacsError('not-found', `no PACS node "${id}" is configured`);
    return this.view(n);
  }

  /** Adds (no id) or replaces a node; `secret` null keeps the known one. Returns the saved node's id. */
  save(input: PacsNodeInput, secret: string | null): string {
    const nodes = this.read();
    const id = input.id ?? `node-${randomBytes(4).toString('hex')}`;
    if (input.id !== undefined && !nodes.some((n) => n.id === input.id))
      throw new PacsError('not-found', `no PACS node "${input.id}" is configured`);
    const node: StoredNode = {
      id,
      name: input.name,
      url: input.url.replace(/\/+$/, ''),
      auth: input.auth,
      caPem: input.caPem,
      timeoutS: input.timeoutS,
    };
    const i = nodes.findIndex((n) => n.id === id);
    // a password is not a token: switching the auth kind without a new secret drops the old one
    const kindBefore = i >= 0 ? nodes[i]?.auth.kind : undefined;
    if (i >= 0) nodes[i] = node;
    else nodes.push(node);
    this.write(nodes);
    if (input.auth.kind === 'none' || (secret === null && kindBefore !== undefined && kindBefore !== input.auth.kind))
      this.forgetSecret(id);
    else if (secret !== null) {
      if (this.persistent && this.encryptor) {
        this.store.setSetting(secretKey(id), Buffer.from(this.encryptor.encryptString(secret)).toString('base64'));
        this.sessionSecrets.delete(id);
      } else this.sessionSecrets.set(id, secret);
    }
    return id;
  }

  remove(id: string): void {
    this.write(this.read().filter((n) => n.id !== id));
    this.forgetSecret(id);
  }

  private forgetSecret(id: string): void {
    this.sessionSecrets.delete(id);
    if (this.store.getSetting(secretKey(id)) !== null) this.store.setSetting(secretKey(id), '');
  }

  /** A client for a node (with its secret); refuses when the node needs a secret nobody entered. */
  client(id: string, onRetry?: (what: string, attempt: number, e: PacsError) => void): DicomWebClient {
    const n = this.read().find((x) => x.id === id);
    if (!n) throw new PacsError('not-found', `no PACS node "${id}" is configured`);
    const secret = this.secretOf(id);
    let auth: DicomWebAuth = { kind: 'none' };
    if (n.auth.kind !== 'none') {
      if (!secret) {
        throw new PacsError(
          'unauthorized',
          `PACS node "${n.name}" needs its ${n.auth.kind === 'basic' ? 'password' : 'token'}: enter it again${this.persistent ? '' : ' (without OS key storage it is kept for this session only)'}`,
        );
      }
      auth = n.auth.kind === 'basic' ? { kind: 'basic', user: n.auth.user, password: secret } : { kind: 'bearer', token: secret };
    }
    return new DicomWebClient({ url: n.url, auth, caPem: n.caPem, timeoutMs: n.timeoutS * 1000, ...(onRetry ? { onRetry } : {}) });
  }
}
