// examples/browser in real headless Chromium: `npm run test:browser` (not part of `npm test`, which needs
// only Node and npm). The example is bundled, served on 127.0.0.1 (COOP/COEP on every path but
// /plain.html) and driven with puppeteer-core. The answers from the browser are checked against the
// same questions answered in Node straight from the input data, with no arena, and through the views.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import puppeteer, { type Browser } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Errors } from '@sabre/arena/internal';
import { build } from '@sabre/schema';
import { Atlas } from './__generated__/atlas.js';
import { answer, type Answers } from './answers.js';
import { Atlas as AtlasSchema } from './atlas.schema.js';
import { bundleExample } from './bundle.js';
import { findChromium } from './chromium.js';
import { atlasInput, ipv4, questions } from './data.js';
import type { IsolatedResult, PlainResult } from './results.js';
import { serve, type StaticServer } from './server.js';

/** The answers, from the input data alone: no arena, no views. */
function expected(): Answers {
  const { countries, cities, ipBlocks, domains, dialCodes, about } = atlasInput;
  const countryName = (row: number) => countries[row]!.name;
  const entries = <K extends string | number, V>(keys: readonly K[], f: (k: K) => V) => Object.fromEntries(keys.map((k) => [String(k), f(k)]));
  return {
    countries: entries(questions.countries, (code) => {
      const c = countries.find((x) => x.code === code);
      return c === undefined ? null : { name: c.name, continent: c.continent };
    }),
    cities: cities.map((c) => ({ name: c.name, country: countryName(c.country), population: c.population, elevation: c.elevation ?? null, districts: [...c.districts] })),
    ips: entries(questions.ips, (ip) => {
      const block = ipBlocks.find((b) => b.first <= ipv4(ip) && ipv4(ip) <= b.last);
      return block === undefined ? null : cities[block.city]!.name;
    }),
    hosts: entries(questions.hosts, (host) => {
      // The longest rule that is the host or ends it at a label boundary.
      const rule = domains.filter((d) => host === d.suffix || host.endsWith(`.${d.suffix}`)).sort((a, b) => b.suffix.length - a.suffix.length)[0];
      return rule === undefined ? null : { rule: rule.suffix, country: countryName(rule.country) };
    }),
    dialCodes: entries(questions.dialCodes, (code) => {
      const d = dialCodes.find((x) => x.code === code);
      return d === undefined ? null : countryName(d.country);
    }),
    about: { title: about.title, version: about.version, tags: [...about.tags] },
  };
}

let dir: string | undefined;
let server: StaticServer | undefined;
let browser: Browser | undefined;

beforeAll(async () => {
  // Throws, naming how to install a browser, when there is none: a missing browser fails the run.
  const chromium = findChromium();
  dir = mkdtempSync(join(tmpdir(), 'sabre-browser-'));
  await bundleExample(dir);
  server = await serve(dir, { notIsolated: ['/plain.html'] });
  browser = await puppeteer.launch({
    executablePath: chromium.path,
    headless: chromium.headless,
    // Chromium refuses to start its sandbox as root (CI runs as root); a small /dev/shm crashes tabs in containers.
    args: [...(process.getuid?.() === 0 ? ['--no-sandbox'] : []), '--disable-dev-shm-usage'],
  });
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
  if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
});

/** Loads a page and returns the JSON it writes into #result; a page that fails throws its error. */
async function resultOf<R>(path: string): Promise<R> {
  const page = await browser!.newPage();
  const problems: string[] = [];
  page.on('pageerror', (e) => problems.push(`page error: ${String(e)}`));
  page.on('console', (m) => m.type() === 'error' && problems.push(`console: ${m.text()}`));
  try {
    await page.goto(`${server!.url}${path}`, { timeout: 20_000 });
    await page.waitForSelector('#result[data-state]', { timeout: 20_000 });
    const [state, text] = await page.$eval('#result', (el) => [el.getAttribute('data-state'), el.textContent ?? '']);
    if (state !== 'done') throw new Error(`${path} failed in the browser: ${text}\n${problems.join('\n')}`);
    return JSON.parse(text) as R;
  } finally {
    await page.close();
  }
}

describe('examples/browser in headless Chromium', () => {
  it('isolated page: a Web Worker opens the SharedArrayBuffer the page built and answers for strings and every container kind', async () => {
    const r = await resultOf<IsolatedResult>('/');
    expect(r.page).toMatchObject({ crossOriginIsolated: true, buffer: 'SharedArrayBuffer' });
    expect(r.worker).toMatchObject({ crossOriginIsolated: true, buffer: 'SharedArrayBuffer' });
    expect(r.worker.answers).toEqual(expected());
    expect(r.worker.answers).toEqual(answer(Atlas.open(build(AtlasSchema, atlasInput).buffer)));
    // Spot checks, so a mistake shared by the data and the oracle cannot pass unseen.
    expect(r.worker.answers.ips['1.0.20.7']).toBe('東京');
    expect(r.worker.answers.hosts['shop.xco.uk']).toEqual({ rule: 'uk', country: 'United Kingdom' });
    expect(r.worker.answers.about.tags[2]).toBe('🗺️ astral too');
  });

  it('page without isolation: no SharedArrayBuffer, yet a fetched ArrayBuffer and a build on the page read back; shared: true names the headers', async () => {
    const r = await resultOf<PlainResult>('/plain.html');
    expect(r.page).toEqual({ crossOriginIsolated: false, sharedArrayBuffer: 'undefined' });
    expect(r.fetched).toEqual({ buffer: 'ArrayBuffer', answers: expected() });
    expect(r.built).toEqual({ buffer: 'ArrayBuffer', answers: expected() });
    expect(r.refused).toEqual({ code: 'ARENA_NO_SHARED_MEMORY', message: Errors.noSharedMemory().message });
  });

  it('a missing browser fails with how to install one', () => {
    expect(() => findChromium({ CHROMIUM_PATH: '/nonexistent/chrome' })).toThrow(/apt-get install chromium-headless-shell/);
  });
});
