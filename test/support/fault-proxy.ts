import { createServer, request, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/**
 * What the fault injector does to a request whose path matches `match` (others pass through):
 * - `status`: answer with this HTTP status (e.g. 500, 503) instead of forwarding;
 * - `drop`: close the connection without any response;
 * - `truncate`: forward, send the headers and about half of the body, then close the connection;
 * - `truncate-multipart`: forward with chunked encoding and cut the body before the closing
 *   multipart delimiter, ending the response cleanly (only the parser can tell);
 * - `slow`: wait `delayMs` before the response headers.
 * `times` limits how many matching requests are hit (default: all).
 */
export type Fault =
  | { readonly kind: 'status'; readonly status: number; readonly match?: RegExp; readonly times?: number }
  | { readonly kind: 'drop' | 'truncate' | 'truncate-multipart'; readonly match?: RegExp; readonly times?: number }
  | { readonly kind: 'slow'; readonly delayMs: number; readonly match?: RegExp; readonly times?: number };

export interface FaultProxy {
  readonly url: string;
  /** Replaces the current fault (null: pass everything through). */
  set(fault: Fault | null): void;
  /** Requests seen (method + path), for asserting retries. */
  readonly requests: string[];
  /** How many requests the current fault has hit. */
  hits(): number;
  close(): Promise<void>;
}

/** A small HTTP fault injector in front of `target` (an `http://127.0.0.1:port` origin), on a free loopback port. */
export async function startFaultProxy(target: string): Promise<FaultProxy> {
  const t = new URL(target);
  let fault: Fault | null = null;
  let hit = 0;
  const requests: string[] = [];
  const sockets = new Set<Socket>();

  const forward = (req: IncomingMessage, body: Buffer, onResponse: (res: IncomingMessage) => void, onError: () => void): void => {
    const up = request(
      { host: t.hostname, port: t.port, method: req.method, path: req.url, headers: { ...req.headers, host: t.host } },
      onResponse,
    );
    up.on('error', onError);
    up.end(body);
  };

  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      requests.push(`${req.method} ${req.url}`);
      const f = fault;
      const applies = f !== null && (f.match ?? /./).test(req.url ?? '') && (f.times === undefined || hit < f.times);
      const fail = (): void => {
        res.destroy();
      };
      if (!applies) {
        forward(
          req,
          body,
          (up) => {
            res.writeHead(up.statusCode ?? 502, up.headers);
            up.pipe(res);
          },
          fail,
        );
        return;
      }
      hit++;
      if (f.kind === 'status') {
        res.writeHead(f.status, { 'content-type': 'text/plain' });
        res.end(`injected ${f.status}`);
      } else if (f.kind === 'drop') {
        req.socket.destroy();
      } else if (f.kind === 'slow') {
        setTimeout(() => {
          forward(
            req,
            body,
            (up) => {
              res.writeHead(up.statusCode ?? 502, up.headers);
              up.pipe(res);
            },
            fail,
          );
        }, f.delayMs);
      } else {
        forward(
          req,
          body,
          (up) => {
            const upChunks: Buffer[] = [];
            up.on('data', (c: Buffer) => upChunks.push(c));
            up.on('end', () => {
              const all = Buffer.concat(upChunks);
              if (f.kind === 'truncate') {
                res.writeHead(up.statusCode ?? 200, { ...up.headers, 'content-length': String(all.length) });
                res.write(all.subarray(0, Math.floor(all.length / 2)), () => req.socket.destroy());
              } else {
                const headers = { ...up.headers };
                delete headers['content-length'];
                res.writeHead(up.statusCode ?? 200, headers);
                const cut = all.lastIndexOf('\r\n--');
                res.end(all.subarray(0, cut > 0 ? cut : Math.floor(all.length / 2)));
              }
            });
          },
          fail,
        );
      }
    });
  });
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    set: (f) => {
      fault = f;
      hit = 0;
    },
    requests,
    hits: () => hit,
    close: () =>
      new Promise<void>((r) => {
        for (const s of sockets) s.destroy();
        server.close(() => r());
      }),
  };
}
