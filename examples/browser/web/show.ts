// Both pages end the same way: their result, as JSON, in <pre id="result">, and data-state "done" or
// "error" on it, which is what the browser test waits for.

/** The buffer's type by its tag, which works where the SharedArrayBuffer global does not exist. */
export function bufferKind(buffer: unknown): string {
  return Object.prototype.toString.call(buffer).slice(8, -1);
}

/** Runs a page's work and writes what it returned, or the error it threw, into #result. */
export async function run(work: () => Promise<unknown>): Promise<void> {
  const pre = document.getElementById('result');
  if (pre === null) throw new Error('the page has no <pre id="result">');
  try {
    pre.textContent = JSON.stringify(await work(), null, 2);
    pre.dataset['state'] = 'done';
  } catch (e) {
    pre.textContent = JSON.stringify({ error: e instanceof Error ? `${e.name}: ${e.message}\n${e.stack ?? ''}` : String(e) }, null, 2);
    pre.dataset['state'] = 'error';
  }
}
