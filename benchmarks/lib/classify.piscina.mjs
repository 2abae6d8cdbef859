// Piscina's worker for the lookup-heavy task: the Map arrives by structured clone in workerData.
import { workerData } from 'piscina';

const map = workerData.map;
const get = (w) => map.get(w) ?? -1;
function classify(row) {
  let sum = 0;
  let start = 0;
  for (;;) {
    const end = row.indexOf(' ', start);
    const v = get(end < 0 ? row.slice(start) : row.slice(start, end));
    if (v >= 0) sum += v;
    if (end < 0) return sum;
    start = end + 1;
  }
}
export default (rows) => rows.map(classify);
