// What a plain-JavaScript user does with the installed tarballs: build, save, load and query an arena,
// then run a pool over a built .js task. Exits non-zero on any wrong answer.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { save } from '@sabre/arena/node';
import { createPool } from '@sabre/pool';
import { build } from '@sabre/schema';
import { Shop as ShopView } from './js/shop.js';
import { Shop } from './shop.schema.mjs';

const items = Array.from({ length: 1000 }, (_, i) => ({ sku: `SKU-${i}`, price: i / 4, stock: i * 3 }));
const blocks = [{ first: 0x0a000000, last: 0x0affffff, region: 'ten' }, { first: 0xc0a80000, last: 0xc0a8ffff, region: 'home' }];
const arena = build(Shop, { items, blocks });
const dir = mkdtempSync(join(tmpdir(), 'sabre-consumer-'));
try {
  const file = join(dir, 'shop.arena');
  await save(arena, file);
  await save(arena, 'shop.arena'); // kept for the reader-only project (pack-check.mjs)
  const shop = await ShopView.load(file); // verified: the header, the layout and every section
  assert.equal(shop.items.get('SKU-42')?.stock, 126);
  assert.equal(shop.items.get('nope'), undefined);
  assert.equal(shop.blocks.find(0xc0a80101)?.region, 'home');
  assert.equal(shop.blocks.find(0x0b000000), undefined);

  const pool = createPool({ task: new URL('./task.mjs', import.meta.url), shared: { shop: arena.buffer }, workers: 2 });
  try {
    const rows = Array.from({ length: 5000 }, (_, i) => ({ sku: `SKU-${i % 1200}`, qty: 2 }));
    const out = join(dir, 'out.csv');
    const summary = await pool.imap(rows).pipeTo(out);
    assert.equal(summary.rows, rows.length);
    assert.equal(summary.failed, 0);
    const want = rows.map((r) => { const i = Number(r.sku.slice(4)); return `${r.sku},${i < 1000 ? (i / 4) * 2 : 'unknown'}\n`; }).join('');
    assert.equal(readFileSync(out, 'utf8'), want);
  } finally {
    await pool.close();
  }
  console.log('consumer: build, save, load, query and a 2-worker pool over a .js task all answered correctly');
} finally {
  rmSync(dir, { recursive: true, force: true });
}
