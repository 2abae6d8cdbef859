/**
 * The fenced acknowledgements: Lua scripts that act only if the entry is still pending for this
 * consumer. A host frozen past `claimIdleMs` whose batch was claimed by another host comes back to find
 * the entry no longer its own: its acknowledgement is refused, so each batch is accepted exactly once.
 * (Its output file has the batch's deterministic name and the same bytes, renamed into place whole:
 * a late write replaces it with itself, never adds a second copy.)
 */
import type { Redis } from 'ioredis';
import type { JobKeys } from './keys.js';
import { GROUP } from './keys.js';

// KEYS: batches stream, done hash. ARGV: group, entry id, consumer, batch id, record.
const ACCEPT = `
local p = redis.call('XPENDING', KEYS[1], ARGV[1], ARGV[2], ARGV[2], 1, ARGV[3])
if #p == 0 then return 0 end
redis.call('XACK', KEYS[1], ARGV[1], ARGV[2])
redis.call('HSETNX', KEYS[2], ARGV[4], ARGV[5])
return 1`;

// KEYS: batches stream, dead stream. ARGV: group, entry id, consumer, batch id, reason, deliveries.
const BURY = `
local p = redis.call('XPENDING', KEYS[1], ARGV[1], ARGV[2], ARGV[2], 1, ARGV[3])
if #p == 0 then return 0 end
redis.call('XADD', KEYS[2], '*', 'batchId', ARGV[4], 'entry', ARGV[2], 'reason', ARGV[5], 'deliveries', ARGV[6])
redis.call('XACK', KEYS[1], ARGV[1], ARGV[2])
return 1`;

/** Accepts a batch's output (true), unless the entry is no longer pending for `consumer` (false). */
export async function accept(redis: Redis, keys: JobKeys, id: string, consumer: string, batchId: string, record: string): Promise<boolean> {
  return (await redis.eval(ACCEPT, 2, keys.batches, keys.done, GROUP, id, consumer, batchId, record)) === 1;
}

/** Moves a batch to the dead-letter stream with the reason (true), if still pending for `consumer`. */
export async function bury(redis: Redis, keys: JobKeys, id: string, consumer: string, batchId: string, reason: string, deliveries: number): Promise<boolean> {
  return (await redis.eval(BURY, 2, keys.batches, keys.dead, GROUP, id, consumer, batchId, reason, String(deliveries))) === 1;
}
