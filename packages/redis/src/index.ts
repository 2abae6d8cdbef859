/**
 * @sabre/redis — one sabre pool job across many hosts through Redis Streams.
 *
 *   submitJob(redis, { job, input, arena, outputDir })   split the input into batch references
 *   runHost(redis, { job, consumer, pool, arena })        one per host: claim, run, write, fenced ack
 *   jobStatus(redis, job) / statusText                     batches done, pending per host, dead, rows/s
 *   finishJob(redis, job, outPath)                         concatenate the outputs in input order
 *   arenaRefOf(path, layoutHash) / fetchArena(ref, cache)  arenas named by content
 *
 * Exactly-once outcomes: a row may run more than once (a host dies, or stalls and is overtaken), but each
 * batch's output is accepted once, by the fenced acknowledgement. See the README's "Past one machine".
 *
 * @module @sabre/redis
 */
export { submitJob } from './producer.js';
export type { SubmitOptions, Submitted } from './producer.js';
export { runHost } from './host.js';
export type { HostOptions, HostSummary } from './host.js';
export { readFileRange } from './reader.js';
export type { ByteRangeReader } from './reader.js';
export { jobStatus, statusText } from './status.js';
export type { JobStatus } from './status.js';
export { finishJob } from './finish.js';
export { arenaRefOf, fetchArena, refText } from './arena-ref.js';
export type { ArenaRef } from './arena-ref.js';
export { jobKeys } from './keys.js';
