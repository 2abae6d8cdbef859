/** What `sabre --help` and `sabre <command> --help` print. */

export const EXIT_CODES = `exit codes: 0 done · 1 failed (a stale or missing view, a schema error, an arena that does not load) · 2 usage error`;

export const USAGE = `usage:
  sabre --version                             the versions of sabre and of its arena format
  sabre gen <schema files…> [--out <dir>] [--emit ts|js] [--watch]
                                              generate typed views for every exported s.arena(...)
  sabre check <schema files…> [--out <dir>] [--emit ts|js]
                                              fail if the committed views are missing or stale
  sabre inspect <arena file>                  show an arena's header, sections and schema
  sabre dump <arena file> [--section <name>] [--format json|ndjson|csv] [--limit <rows>]
                                              print its rows (JSON: every section unless --section)
  sabre <command> --help                      more about one command
${EXIT_CODES}`;

const SCHEMAS = `Schema files may be globs (quoted or not), TypeScript (.ts, loaded through tsx: npm install
--save-dev tsx) or JavaScript (.js/.mjs, which needs nothing).`;

export const COMMAND_HELP: Record<string, string> = {
  gen: `usage: sabre gen <schema files…> [--out <dir>] [--emit ts|js] [--watch]

Writes one file of typed views per exported s.arena(...) in each schema file, named after the arena
(Geo → geo.ts), into --out (default: __generated__ beside the schema). Unchanged files are left alone.
${SCHEMAS}

  --out <dir>     where to write, instead of __generated__ beside each schema
  --emit ts       TypeScript views (the default)
  --emit js       JavaScript views plus .d.ts declarations, for projects with no TypeScript loader
                  (uses the typescript package: npm install --save-dev typescript)
  --watch         generate, then again whenever a file beside a schema changes (Ctrl-C stops)

Each file's header names the command that regenerates it and carries a digest of its text, which is
what \`sabre check\` compares: running a formatter over generated files is safe.
${EXIT_CODES}`,
  check: `usage: sabre check <schema files…> [--out <dir>] [--emit ts|js]

Generates in memory what \`sabre gen\` would write, with the same options, and fails when a file is
missing or stale, naming the command that fixes it. Meant for CI. A file that differs only by
formatting (its digest line unchanged) passes. ${SCHEMAS}
${EXIT_CODES}`,
  inspect: `usage: sabre inspect <arena file>

Prints an arena file's header, its sections (kind, size, rows) and the schema it carries. Needs no
schema or generated code; the file is verified as load() verifies it, so a damaged file is named.
${EXIT_CODES}`,
  dump: `usage: sabre dump <arena file> [--section <name>] [--format json|ndjson|csv] [--limit <rows>]

Prints an arena's rows, read through the schema the arena carries (no generated code needed).

  --section <name>   one section (default: every section, JSON only)
  --format <f>       json (default), ndjson or csv (one section)
  --limit <rows>     at most this many rows per section
${EXIT_CODES}`,
};
