/**
 * A batch's failed rows as columns, the way they cross between threads: one array per field instead of
 * an object per failure. Measured on a run where every row fails, the objects cost ~1.6 µs per failure to
 * send and as much again to receive; the main thread spent a second per million rows on them alone.
 * Only the first few thrown errors of a batch keep their stack and code.
 */
import { toSent } from './errors.js';
import type { SentError } from './errors.js';

/** How a row failed in the worker. */
export const FAIL_THREW = 0;
export const FAIL_MALFORMED = 1;
export const FAIL_UNSENDABLE = 2;
export const FAIL_BAD_OUTPUT = 3;
export type FailKind = typeof FAIL_THREW | typeof FAIL_MALFORMED | typeof FAIL_UNSENDABLE | typeof FAIL_BAD_OUTPUT;

/** Thrown errors beyond this many in one batch travel without their stack. */
const DETAILED = 8;

export interface Failures {
  /** Each failed row's position in its batch, in order. */
  k: number[];
  /** Its line counted from its chunk's start (0 when not from a file). */
  line: number[];
  kind: FailKind[];
  /** The thrown error's name ('' for malformed input or a bad output value). */
  name: string[];
  /** The thrown error's message, or what is wrong with the input or output. */
  message: string[];
  /** Stack and code of the first few thrown errors, by failure number. */
  details: Record<number, { stack?: string; code?: string | number }>;
}

export const noFailures = (): Failures => ({ k: [], line: [], kind: [], name: [], message: [], details: {} });

export function addFailure(f: Failures, k: number, line: number, kind: FailKind, error: unknown): void {
  const i = f.k.length;
  f.k.push(k);
  f.line.push(line);
  f.kind.push(kind);
  if (kind === FAIL_MALFORMED || kind === FAIL_BAD_OUTPUT) {
    f.name.push('');
    f.message.push(String(error));
    return;
  }
  const sent = toSent(error, i < DETAILED);
  f.name.push(sent.name);
  f.message.push(sent.message);
  if (sent.stack !== undefined || sent.code !== undefined) f.details[i] = { ...(sent.stack === undefined ? {} : { stack: sent.stack }), ...(sent.code === undefined ? {} : { code: sent.code }) };
}

/** Failure number i's error as sent (thrown or unsendable kinds). */
export function sentError(f: Failures, i: number): SentError {
  return { name: f.name[i]!, message: f.message[i]!, ...f.details[i] };
}

/** The failures with `more` added, in batch order (for failures found after the batch ran). */
export function mergeFailures(f: Failures, more: Failures): Failures {
  const out = noFailures();
  const order = [...f.k.map((k, i) => [k, 0, i] as const), ...more.k.map((k, i) => [k, 1, i] as const)].sort((a, b) => a[0] - b[0]);
  for (const [, from, i] of order) {
    const src = from === 0 ? f : more;
    const j = out.k.length;
    out.k.push(src.k[i]!);
    out.line.push(src.line[i]!);
    out.kind.push(src.kind[i]!);
    out.name.push(src.name[i]!);
    out.message.push(src.message[i]!);
    if (src.details[i] !== undefined) out.details[j] = src.details[i]!;
  }
  return out;
}
