/**
 * @sabre/pool — a worker pool that shares arenas once and streams rows in batches.
 * Planned in issue 5; this package has no exports yet. Until then, post `arena.buffer` to your
 * workers and call `Arena.open` there (see examples/hello).
 */
export {};
