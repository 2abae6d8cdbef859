/**
 * @sabre/schema — the schema DSL, layout compiler, code emitter and `sabre` CLI.
 * Planned in issue 3; this package has no exports yet. Until then, write sections with
 * `@sabre/arena/build` and read them through `SectionView`s (see examples/hello).
 */
export {};
