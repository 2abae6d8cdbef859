#!/usr/bin/env node
/**
 * `npm run test:pack`: what a stranger gets from the registry. Packs every package with pnpm (prepack
 * builds dist/; workspace:^ ranges become versions), checks each tarball's contents, installs the
 * tarballs with plain npm into a fresh project outside the repository, and there:
 *   - a plain ESM script builds, saves, loads and queries an arena and runs a pool over a .js task,
 *     through views that `sabre gen --emit js` wrote from a .js schema (no TypeScript anywhere);
 *   - `sabre gen` on a .ts schema (tsx installed, as the README says), then `sabre check` on both;
 *   - a TypeScript consumer type-checks under nodenext and bundler resolution, skipLibCheck off;
 *   - publint and @arethetypeswrong/cli judge each package.
 * Needs the npm registry (for the consumer's dev tools). Runs in about a minute or two.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const fixtures = join(root, 'scripts', 'pack-check');
const PACKAGES = ['arena', 'schema', 'pool', 'redis'];
// The consumer's own dev tools, pinned like everything else here.
const CONSUMER_DEV = ['typescript@5.9.3', '@types/node@20.19.25', 'tsx@4.20.6', 'publint@0.3.25', '@arethetypeswrong/cli@0.18.5'];

const started = Date.now();
const step = (what) => console.log(`\n▶ ${what}  (${((Date.now() - started) / 1000).toFixed(0)} s)`);
const run = (cmd, args, cwd) => execFileSync(cmd, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8', env: { ...process.env, npm_config_update_notifier: 'false' } });
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const npx = process.platform === 'win32' ? 'npx.cmd' : 'npx';

function fail(message) {
  console.error(`✖ ${message}`);
  process.exit(1);
}

/** Runs a command, printing its output; on failure prints what it said and stops. */
function must(what, cmd, args, cwd, { quiet = false } = {}) {
  try {
    const out = run(cmd, args, cwd);
    if (!quiet && out.trim() !== '') console.log(out.trim().split('\n').map((l) => `  ${l}`).join('\n'));
    return out;
  } catch (e) {
    fail(`${what} failed (${cmd} ${args.join(' ')} in ${cwd}):\n${e.stdout ?? ''}${e.stderr ?? e.message}`);
  }
}

const work = mkdtempSync(join(tmpdir(), 'sabre-pack-'));
try {
  step('pack every package with pnpm (prepack builds dist/)');
  const tarballs = join(work, 'tarballs');
  mkdirSync(tarballs);
  const pnpm = join(root, 'node_modules', '.bin', process.platform === 'win32' ? 'pnpm.cmd' : 'pnpm');
  for (const p of PACKAGES) must(`packing @sabre/${p}`, pnpm, ['pack', '--pack-destination', tarballs], join(root, 'packages', p), { quiet: true });
  const files = Object.fromEntries(PACKAGES.map((p) => [p, join(tarballs, readdirSync(tarballs).find((f) => f.startsWith(`sabre-${p}-`)))]));

  step('check what each tarball holds');
  for (const [p, tgz] of Object.entries(files)) {
    const list = run('tar', ['tzf', tgz], work).split('\n');
    for (const need of ['package/LICENSE', 'package/README.md', 'package/package.json', 'package/dist/index.js', 'package/dist/index.d.ts']) {
      if (!list.includes(need)) fail(`@sabre/${p}: the tarball has no ${need.slice('package/'.length)}`);
    }
    const stray = list.filter((f) => /\.test(-d)?\.(ts|js)$|tsbuildinfo$/.test(f));
    if (stray.length > 0) fail(`@sabre/${p}: the tarball ships test or build files: ${stray.join(', ')}`);
    const manifest = JSON.parse(run('tar', ['xzf', tgz, '-O', 'package/package.json'], work));
    if (JSON.stringify(manifest).includes('workspace:')) fail(`@sabre/${p}: package.json still has a workspace: range`);
    for (const field of ['license', 'repository', 'engines', 'description']) if (manifest[field] === undefined) fail(`@sabre/${p}: package.json has no ${field}`);
    console.log(`  @sabre/${p}: ${list.filter(Boolean).length} files; dependencies ${JSON.stringify(manifest.dependencies ?? {})}`);
  }
  // Readers carry no build tools: the read side installs nothing else.
  const arenaManifest = JSON.parse(run('tar', ['xzf', files.arena, '-O', 'package/package.json'], work));
  if (Object.keys(arenaManifest.dependencies ?? {}).length > 0) fail('@sabre/arena must have no dependencies: readers install it alone');

  step('install the tarballs with plain npm into a fresh project');
  const app = join(work, 'app');
  mkdirSync(app);
  writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }, null, 2));
  for (const f of readdirSync(fixtures)) copyFileSync(join(fixtures, f), join(app, f));
  must('npm install of the tarballs', npm, ['install', '--no-audit', '--no-fund', ...Object.values(files)], app);
  must('npm install of the dev tools', npm, ['install', '--no-audit', '--no-fund', '--save-dev', ...CONSUMER_DEV], app);

  step('sabre --version, gen --emit js from a .js schema, gen from a .ts schema, check both');
  must('sabre --version', npx, ['sabre', '--version'], app);
  must('sabre gen --emit js', npx, ['sabre', 'gen', 'shop.schema.mjs', '--out', 'js', '--emit', 'js'], app);
  must('sabre gen', npx, ['sabre', 'gen', 'shop.schema.ts'], app);
  must('sabre check --emit js', npx, ['sabre', 'check', 'shop.schema.mjs', '--out', 'js', '--emit', 'js'], app);
  must('sabre check', npx, ['sabre', 'check', '*.schema.ts'], app);

  step('plain Node ESM: build, save, load, query, and a pool over a .js task');
  must('the plain ESM consumer', process.execPath, ['main.mjs'], app);

  step('a reader-only project: @sabre/arena alone, the generated .js views and an arena file');
  const reader = join(work, 'reader');
  mkdirSync(join(reader, 'js'), { recursive: true });
  writeFileSync(join(reader, 'package.json'), JSON.stringify({ name: 'reader', private: true, type: 'module' }, null, 2));
  must('npm install of @sabre/arena alone', npm, ['install', '--no-audit', '--no-fund', files.arena], reader);
  for (const f of ['js/shop.js', 'js/shop.d.ts', 'shop.arena']) copyFileSync(join(app, f), join(reader, f));
  const installed = readdirSync(join(reader, 'node_modules')).filter((d) => !d.startsWith('.'));
  if (installed.join() !== '@sabre' || readdirSync(join(reader, 'node_modules', '@sabre')).join() !== 'arena') fail(`a reader installs more than @sabre/arena: ${installed.join(', ')}`);
  writeFileSync(join(reader, 'read.mjs'), `import assert from 'node:assert/strict';\nimport { Shop } from './js/shop.js';\nconst shop = await Shop.load('shop.arena');\nassert.equal(shop.items.get('SKU-7')?.stock, 21);\nconsole.log('reader: Shop.load and a lookup with nothing installed but @sabre/arena');\n`);
  must('the reader-only project', process.execPath, ['read.mjs'], reader);

  step('TypeScript consumer: nodenext and bundler resolution, skipLibCheck off');
  must('tsc (nodenext)', npx, ['tsc', '-p', 'tsconfig.nodenext.json'], app);
  must('tsc (bundler)', npx, ['tsc', '-p', 'tsconfig.bundler.json'], app);

  step('publint and @arethetypeswrong/cli on each package');
  for (const [p, tgz] of Object.entries(files)) {
    must(`publint @sabre/${p}`, npx, ['publint', '--strict', join(app, 'node_modules', '@sabre', p)], app, { quiet: true });
    // ESM only, by design: the node10 and CommonJS-require profiles do not apply.
    must(`attw @sabre/${p}`, npx, ['attw', '--profile', 'esm-only', tgz], app, { quiet: true });
    console.log(`  @sabre/${p}: publint --strict and attw (esm-only) found nothing`);
  }
  console.log(`\n✔ packed, installed and used as a stranger would, in ${((Date.now() - started) / 1000).toFixed(0)} s`);
} finally {
  rmSync(work, { recursive: true, force: true });
}
