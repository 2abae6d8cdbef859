// Piscina's worker for the same trivial task: a row, or an array of rows, hashed with FNV-1a.
const fnv1a = (s) => {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h >>> 0;
};
export default (rows) => (typeof rows === 'string' ? fnv1a(rows) : rows.map(fnv1a));
