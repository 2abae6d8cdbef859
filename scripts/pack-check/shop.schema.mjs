// A schema in plain JavaScript: `sabre gen shop.schema.mjs --emit js` needs no TypeScript loader.
import { s } from '@sabre/schema';

const Item = s.struct('Item', { sku: s.str(), price: s.f64(), stock: s.u32() });
const Block = s.struct('Block', { first: s.u32(), last: s.u32(), region: s.str() });
export const Shop = s.arena('Shop', {
  items: s.hashMap(Item, { key: 'sku' }),
  blocks: s.ranges(Block, { start: 'first', end: 'last' }),
});
