import { randomBytes, timingSafeEqual } from 'node:crypto';

/** A browser session of the loopback bridge: the cookie value and the header secret of its page. */
export interface BridgeSession {
  /** Value of the session cookie. */
  readonly id: string;
  /** Per-session secret the page sends in the `x-lb-csrf` header of every RPC. */
  readonly csrf: string;
  /** Epoch ms after which the session is no longer accepted. */
  readonly expiresAt: number;
}

/** How long a browser session (and its cookie) lives: one working day. */
export const SESSION_TTL_MS = 12 * 3600_000;
/** How long a one-time launch URL stays valid before it is used. */
export const LAUNCH_TTL_MS = 15 * 60_000;
/** Sessions kept at most (the oldest is dropped first); a reader rarely has more than a few tabs' worth. */
const MAX_SESSIONS = 64;
const MAX_LAUNCH_TOKENS = 64;

/** Constant-time comparison of two secrets given as strings. */
export function secretEquals(got: string, want: string): boolean {
  const a = Buffer.from(got);
  const b = Buffer.from(want);
  return a.length === b.length && timingSafeEqual(a, b);
}

const secret = (): string => randomBytes(32).toString('hex');

/**
 * The bridge's secrets. One-time launch tokens (the `?token=` of the printed URL) are exchanged
 * exactly once for a session; the session cookie alone authorises nothing but page loads: every
 * RPC also needs the session's `csrf` secret in a header, which only a same-origin page can read
 * (it is written into the served index.html). `now` is injectable for tests.
 */
export class BridgeSessions {
  private readonly launch = new Map<string, number>();
  private readonly sessions = new Map<string, BridgeSession>();

  constructor(private readonly now: () => number = Date.now) {}

  /** A new one-time launch token, valid for {@link LAUNCH_TTL_MS} or until used. */
  mintLaunchToken(fixed?: string): string {
    const token = fixed ?? secret();
    this.launch.set(token, this.now() + LAUNCH_TTL_MS);
    while (this.launch.size > MAX_LAUNCH_TOKENS) {
      const oldest = this.launch.keys().next().value;
      if (oldest === undefined) break;
      this.launch.delete(oldest);
    }
    return token;
  }

  /** Consumes a launch token and opens a session; null when the token is unknown, used or expired. */
  exchange(token: string): BridgeSession | null {
    let found: string | null = null;
    for (const [t, expires] of this.launch) {
      if (secretEquals(token, t) && expires > this.now()) found = t;
    }
    if (found === null) return null;
    this.launch.delete(found);
    const s: BridgeSession = { id: secret(), csrf: secret(), expiresAt: this.now() + SESSION_TTL_MS };
    this.sessions.set(s.id, s);
    while (this.sessions.size > MAX_SESSIONS) {
      const oldest = this.sessions.keys().next().value;
      if (oldest === undefined) break;
      this.sessions.delete(oldest);
    }
    return s;
  }

  /** The live session of a cookie value, or null. */
  session(id: string | undefined): BridgeSession | null {
    if (!id) return null;
    for (const s of this.sessions.values()) {
      if (secretEquals(id, s.id)) {
        if (s.expiresAt > this.now()) return s;
        this.sessions.delete(s.id);
        return null;
      }
    }
    return null;
  }
}
