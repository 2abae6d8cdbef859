/**
 * This process's peak resident memory, in MB. On Linux, from VmHWM: the high-water mark of the current
 * address space. `process.resourceUsage().maxRSS` would not do for a child: Linux carries the parent's
 * peak across fork and exec into it, so a child of a 250 MB benchmark process reported 250 MB whatever
 * it used itself.
 */
import { readFileSync } from 'node:fs';

export function peakRssMB(): number {
  try {
    const m = /^VmHWM:\s+(\d+) kB$/m.exec(readFileSync('/proc/self/status', 'utf8'));
    if (m !== null) return Number(m[1]) / 1024;
  } catch {
    // Not Linux: fall back below.
  }
  return process.resourceUsage().maxRSS / 1024;
}
