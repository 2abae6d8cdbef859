/**
 * The fenced acknowledgements: Lua scripts that act only if the entry is still pending for this
 * consumer. A host frozen past `claimIdleMs` whose batch was claimed by another host comes back to find
 * the entry no longer its own: its acknowledgement is refused, so each batch is accepted exactly once.
 * Each host writes a batch's output under a name of its own (`<job>.<batch>.<host>.out`), and the
 * accepted record names the host, so the finisher reads exactly the accepted output: a late host's
 * file, whatever it holds, is never part of the result.
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

// KEYS: batches stream, dead stream. ARGV: group, entry id, consumer, batch id, reason, deliveries, line.
const BURY = `
local p = redis.call('XPENDING', KEYS[1], ARGV[1], ARGV[2], ARGV[2], 1, ARGV[3])
if #p == 0 then return 0 end
redis.call('XADD', KEYS[2], '*', 'batchId', ARGV[4], 'entry', ARGV[2], 'reason', ARGV[5], 'deliveries', ARGV[6], 'line', ARGV[7])
redis.call('XACK', KEYS[1], ARGV[1], ARGV[2])
return 1`;

// KEYS: batches stream. ARGV: group, consumer, entry ids. Resets the idle time of each id still pending
// for this consumer (JUSTID: no delivery counted), and never takes back one another host has claimed.
const HEARTBEAT = `
local kept = 0
for i = 3, #ARGV do
  local p = redis.call('XPENDING', KEYS[1], ARGV[1], ARGV[i], ARGV[i], 1, ARGV[2])
  if #p > 0 then
    redis.call('XCLAIM', KEYS[1], ARGV[1], ARGV[2], 0, ARGV[i], 'JUSTID')
    kept = kept + 1
  end
end
return kept`;

/** Keeps this host's running entries from looking abandoned; entries another host claimed stay its. */
export async function heartbeat(redis: Redis, keys: JobKeys, consumer: string, ids: readonly string[]): Promise<number> {
  return (await redis.eval(HEARTBEAT, 1, keys.batches, GROUP, consumer, ...ids)) as number;
}

/** Accepts a batch's output (true), unless the entry is no longer pending for `consumer` (false). */
export async function accept(redis: Redis, keys: JobKeys, id: string, consumer: string, batchId: string, record: string): Promise<boolean> {
  return (await redis.eval(ACCEPT, 2, keys.batches, keys.done, GROUP, id, consumer, batchId, record)) === 1;
}

/**
 * Moves a batch to the dead-letter stream with the reason and the input line of the row to blame ('' when
 * none was named), if still pending for `consumer` (true).
 */
export async function bury(redis: Redis, keys: JobKeys, id: string, consumer: string, batchId: string, reason: string, deliveries: number, line: number | null): Promise<boolean> {
  return (await redis.eval(BURY, 2, keys.batches, keys.dead, GROUP, id, consumer, batchId, reason, String(deliveries), line === null ? '' : String(line))) === 1;
}
