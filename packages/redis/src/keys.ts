/**
 * The Redis keys of one job. Everything a job owns starts with `sabre:{<job>}:` — the braces make one
 * hash slot of the job, so the Lua scripts that touch several of its keys also run on Redis Cluster.
 *
 *   batches   stream: one entry per batch, a reference { batchId, uri, byteStart, byteEnd, arena }
 *   job       hash: total batches, the arena reference, the output directory, format and columns
 *   done      hash: batchId → "<consumer> <rows> <failed> <ms>", written only by the fenced acknowledgement
 *   dead      stream: batches that killed or stalled maxDeliveries hosts running them alone, with the reason
 *             and the input line of the row to blame when one was named
 *   solo      hash: batchId → times the batch was run alone (a suspect: delivered before and not finished)
 *   probe     hash: batchId → "<next> <trying>", the trail a suspect's solo attempts leave (suspect.ts)
 *   group     the consumer group every host reads `batches` through
 */
/** The consumer group every host reads a job's stream through. */
export const GROUP = 'hosts';

/** The Redis keys of a job; throws for a name that is not 1–100 of [A-Za-z0-9_.-]. */
export function jobKeys(job: string) {
  if (!/^[A-Za-z0-9_.-]{1,100}$/.test(job)) throw new Error(`✖ a job name is 1 to 100 letters, digits, '_', '.' or '-', got ${JSON.stringify(job)}`);
  const prefix = `sabre:{${job}}:`;
  return {
    /** The stream of batch entries. */
    batches: `${prefix}batches`,
    /** The job's hash: total, arena, output directory, format, columns. */
    job: `${prefix}job`,
    /** batchId → the accepting host's record. */
    done: `${prefix}done`,
    /** The dead-letter stream. */
    dead: `${prefix}dead`,
    /** batchId → solo attempts. */
    solo: `${prefix}solo`,
    /** batchId → a suspect's trail: first line not known finished, line running by itself. */
    probe: `${prefix}probe`,
  };
}
/** The file name (without extension) of one host's output for one batch: `<job>.<batch, 8 digits>.<host>`. */
export const outputBase = (job: string, batchId: string, consumer: string): string => `${job}.${batchId.padStart(8, '0')}.${consumer}`;

/** The keys of one job (see {@link jobKeys}). */
export type JobKeys = ReturnType<typeof jobKeys>;
