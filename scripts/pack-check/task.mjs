// A pool task in plain JavaScript, reading the arena through the generated .js views.
import { defineTask } from '@sabre/pool/task';
import { Shop } from './js/shop.js';

export default defineTask((shared) => {
  const shop = Shop.open(shared.shop);
  const item = shop.items.cursor();
  return (row) => `${row.sku},${shop.items.get(row.sku, item) === undefined ? 'unknown' : item.price * row.qty}\n`;
});
