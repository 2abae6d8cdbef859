/**
 * One SVG chart of every ratio in a run: a horizontal bar per case, on a log scale centred on 1×
 * (the baseline), green where sabre is faster, red where it is slower. Written by run.ts next to
 * summary.md; no dependencies, so the chart is as reproducible as the numbers.
 */
import { fmtRatio, type Row } from './suite.js';

const esc = (s: string): string => s.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');

export function ratioChart(rows: readonly Row[], caption: string): string {
  const cases = rows.filter((r) => r.name !== r.baseline);
  const labelW = 560;
  const plotW = 420;
  const rowH = 22;
  const top = 48;
  const height = top + cases.length * rowH + 40;
  const width = labelW + plotW + 90;
  // log10 scale from 1/10,000× to 10×, 1× in the middle-right.
  const lo = -4;
  const hi = 1;
  const x = (ratio: number) => labelW + ((Math.min(hi, Math.max(lo, Math.log10(ratio))) - lo) / (hi - lo)) * plotW;
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="system-ui, sans-serif" font-size="12">`,
    `<rect width="100%" height="100%" fill="white"/>`,
    `<text x="10" y="20" font-size="14" font-weight="bold">sabre ÷ baseline, time per item (log scale; left of 1× is faster)</text>`,
    `<text x="10" y="38" fill="#555">${esc(caption)}</text>`,
  ];
  for (let p = lo; p <= hi; p++) {
    const gx = x(10 ** p);
    out.push(`<line x1="${gx}" y1="${top - 6}" x2="${gx}" y2="${height - 30}" stroke="${p === 0 ? '#000' : '#ddd'}"/>`);
    out.push(`<text x="${gx}" y="${height - 14}" text-anchor="middle" fill="#555">${p === 0 ? '1×' : p > 0 ? `${10 ** p}×` : `1/${(10 ** -p).toLocaleString('en-US')}×`}</text>`);
  }
  cases.forEach((r, i) => {
    const y = top + i * rowH;
    const x0 = x(1);
    const x1 = x(r.ratio);
    const faster = r.ratio < 1;
    out.push(`<text x="${labelW - 8}" y="${y + 14}" text-anchor="end">${esc(`${r.suite}: ${r.name}`.slice(0, 92))}</text>`);
    out.push(`<rect x="${Math.min(x0, x1)}" y="${y + 4}" width="${Math.max(1, Math.abs(x1 - x0))}" height="${rowH - 8}" fill="${faster ? '#2e8b57' : '#c0392b'}"/>`);
    out.push(`<text x="${faster ? x0 + 6 : x1 + 6}" y="${y + 14}" fill="#222">${esc(fmtRatio(r.ratio))}</text>`);
  });
  out.push('</svg>');
  return `${out.join('\n')}\n`;
}
