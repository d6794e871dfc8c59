import { z } from 'zod';

/**
 * The IPC contract machinery. A service is declared ONCE as an object of methods, each with a zod
 * schema for its argument list and a TypeScript result type; the main-process handler, the
 * Electron preload bridge, the loopback HTTP bridge and the renderer client are all derived from
 * that declaration. Arguments are validated in one place (`validateCall`) before any service
 * code runs; results come from the trusted main process and are typed, not re-validated.
 */
export interface MethodSpec<A extends z.ZodTuple = z.ZodTuple, R = unknown> {
  readonly args: A;
  /** Phantom field carrying the result type; never read at run time. */
  readonly result?: R;
}

/** Declares a method: `method(z.tuple([CaseIdSchema])).returns<CaseDetail>()`. */
export function method<A extends z.ZodTuple>(args: A): { returns<R>(): MethodSpec<A, R> } {
  return { returns: <R>(): MethodSpec<A, R> => ({ args }) };
}

export type ServiceSpec = Readonly<Record<string, MethodSpec>>;
export type ContractSpec = Readonly<Record<string, ServiceSpec>>;

type ArgsOf<M> = M extends MethodSpec<infer A> ? z.infer<A> : never;
type ResultOf<M> = M extends MethodSpec<z.ZodTuple, infer R> ? R : never;

/** The implementation (main side) or the client (renderer side) of one service. */
export type ServiceApi<S extends ServiceSpec> = {
  readonly [K in keyof S]: (...args: ArgsOf<S[K]> extends unknown[] ? ArgsOf<S[K]> : never) => Promise<ResultOf<S[K]>>;
};

export type ContractApi<C extends ContractSpec> = { readonly [S in keyof C]: ServiceApi<C[S]> };

/** Channel name of a method: `service.method`. */
export const channelOf = (service: string, methodName: string): string => `${service}.${methodName}`;

/** Every channel of a contract. */
export function channelsOf(contract: ContractSpec): string[] {
  return Object.entries(contract).flatMap(([s, spec]) => Object.keys(spec).map((m) => channelOf(s, m)));
}

/** Typed error sent back over any transport. */
export interface ContractErrorBody {
  readonly code: 'unknown-channel' | 'invalid-arguments' | 'too-large' | 'not-found' | 'conflict' | 'failed' | 'unauthorized';
  /** The sentence the reader is shown (never a stack trace). */
  readonly message: string;
  /** Stable code of the refusal (a UserError's `code`, e.g. `not-signed`, `truncated`); absent for internal errors. */
  readonly reason?: string;
}

export class ContractError extends Error {
  constructor(
    readonly code: ContractErrorBody['code'],
    message: string,
    /** Stable code of the refusal, when the main process gave one (see ContractErrorBody.reason). */
    readonly reason?: string,
  ) {
    super(message);
    this.name = 'ContractError';
  }
}

/** Largest JSON argument payload accepted on any channel (voxels never travel as JSON). */
export const MAX_ARGUMENT_BYTES = 1 << 20;

/**
 * Checks a call against the contract: known channel, argument list matching the schema.
 * Returns the parsed arguments or throws a ContractError. The single gate every call passes.
 */
export function validateCall(
  contract: ContractSpec,
  channel: string,
  rawArgs: unknown,
): { service: string; method: string; args: unknown[] } {
  if (typeof channel !== 'string' || channel.length > 200) throw new ContractError('unknown-channel', 'invalid channel');
  const dot = channel.indexOf('.');
  const service = channel.slice(0, dot);
  const methodName = channel.slice(dot + 1);
  const spec = Object.hasOwn(contract, service) ? contract[service] : undefined;
  const m = spec && Object.hasOwn(spec, methodName) ? spec[methodName] : undefined;
  if (!m) throw new ContractError('unknown-channel', `unknown channel ${channel.slice(0, 80)}`);
  let parsed: ReturnType<typeof m.args.safeParse>;
  try {
    parsed = m.args.safeParse(rawArgs);
  } catch {
    // Hostile objects (throwing proxies, forged typed arrays) can make a schema throw.
    throw new ContractError('invalid-arguments', `${channel}: invalid arguments`);
  }
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    throw new ContractError(
      'invalid-arguments',
      `${channel}: invalid arguments${first ? ` (${first.path.join('.') || 'args'}: ${first.message})` : ''}`,
    );
  }
  return { service, method: methodName, args: parsed.data as unknown[] };
}
