import { createPool, csv, defineTask } from '@sabre/pool';
import type { FileSource, Outcome, Pool, ResultOf, RowOf, RunSummary, SharedOf } from '@sabre/pool';
import { describe, expectTypeOf, it } from 'vitest';
import type lookup from './fixtures/lookup.task.ts';
import type square from './fixtures/square.task.ts';
import type { Row } from './fixtures/square.task.ts';

const textTask = defineTask(() => (row: string) => `${row}\n`);

describe('types flow from the task module to the pool', () => {
  it('row, result and shared types are inferred from defineTask', () => {
    const t = defineTask((shared: { n: number }) => async (row: string) => row.length + shared.n);
    expectTypeOf<RowOf<typeof t>>().toEqualTypeOf<string>();
    expectTypeOf<ResultOf<typeof t>>().toEqualTypeOf<number>();
    expectTypeOf<SharedOf<typeof t>>().toEqualTypeOf<{ n: number }>();
    expectTypeOf<RowOf<typeof square>>().toEqualTypeOf<Row>();
  });

  it('pool methods take the task row type and give its result type', () => {
    const pool = createPool<typeof lookup>({ task: 'x.ts', shared: { words: new SharedArrayBuffer(8) } });
    expectTypeOf(pool.map(['a'])).toEqualTypeOf<Promise<number[]>>();
    expectTypeOf(pool.imapUnordered(['a'])).toMatchTypeOf<AsyncIterable<Outcome<number>>>();
    // @ts-expect-error: rows must be strings for this task
    void pool.map([1]);
    // @ts-expect-error: the shared arena is required by the task
    createPool<typeof lookup>({ task: 'x.ts', shared: {} });
    // @ts-expect-error: a CSV row is a record of strings, not a string
    void pool.map(csv('x.csv'));
  });

  it('pipeTo takes runs of text only; csv columns type the row; internals are not published', () => {
    const lookupPool = createPool<typeof lookup>({ task: 'x.ts', shared: { words: new SharedArrayBuffer(8) } });
    // @ts-expect-error: pipeTo writes text or bytes, and this task returns numbers
    void lookupPool.imap(['a']).pipeTo('out.txt');
    const text = createPool({ task: 'x.ts' }) as unknown as Pool<typeof textTask>;
    expectTypeOf(text.imap(['a']).pipeTo('out.txt')).toEqualTypeOf<Promise<RunSummary>>();
    expectTypeOf(csv('x.csv', { columns: ['id', 'ip'] })).toEqualTypeOf<FileSource<Record<'id' | 'ip', string>>>();
    // @ts-expect-error: scheduling is not part of the pool's public type
    lookupPool.kick();
    // @ts-expect-error: nor is a run's reading
    lookupPool.imap(['a']).fill();
    expectTypeOf<keyof Pool<typeof lookup>>().toEqualTypeOf<'ready' | 'imapUnordered' | 'imap' | 'map' | 'update' | 'version' | 'counters' | 'stats' | 'close' | 'destroy' | typeof Symbol.asyncDispose>();
  });
});
