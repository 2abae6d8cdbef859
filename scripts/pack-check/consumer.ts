// A TypeScript consumer of the installed packages, type-checked with skipLibCheck off under both
// nodenext and bundler resolution (and a customConditions ["source"] that must not reach our src/).
import { Arena, ArenaError, type SectionInfo } from '@sabre/arena';
import { ArenaBuilder } from '@sabre/arena/build';
import { load, save } from '@sabre/arena/node';
import { createPool, csv, type Pool } from '@sabre/pool';
import { defineTask } from '@sabre/pool/task';
import { build, s } from '@sabre/schema';
import { Shop as ShopView, type ItemData } from './__generated__/shop.js';
import { Shop } from './shop.schema.js';

const row: ItemData = { sku: 'A', price: 1, stock: 2 };
const arena = build(Shop, { items: [row], blocks: [] });
const view: ShopView = ShopView.open(arena.buffer);
const price: number | undefined = view.items.get('A')?.price;
const sections: readonly SectionInfo[] = Arena.open(arena.buffer).sections;
export const task = defineTask((shared: { shop: SharedArrayBuffer }) => {
  const shop = ShopView.open(shared.shop);
  return (r: { sku: string }) => shop.items.get(r.sku)?.stock ?? 0;
});
export async function run(pool: Pool<typeof task>): Promise<number> {
  let sum = 0;
  for await (const b of pool.imap([{ sku: 'A' }]).batches()) {
    const values = b.values; // null when the run writes bytes to a sink instead
    for (let i = 0; values !== null && i < values.length; i++) sum += values[i] ?? 0;
  }
  return sum;
}
export const unused = [price, sections, ArenaError, ArenaBuilder, load, save, createPool, csv, s.u32()] as const;
