// Runs the example by hand: bundles it into dist/ and serves it until Ctrl-C.
//   npx tsx --conditions=@sabre/source examples/browser/serve.ts [port]
import { fileURLToPath } from 'node:url';
import { bundleExample } from './bundle.js';
import { serve } from './server.js';

const out = fileURLToPath(new URL('./dist/', import.meta.url));
await bundleExample(out);
const server = await serve(out, { port: Number(process.argv[2] ?? 8080), notIsolated: ['/plain.html'] });
console.log(`cross-origin isolated (a Web Worker reads the shared arena): ${server.url}/`);
console.log(`without isolation (an ArrayBuffer, read in one thread):     ${server.url}/plain.html`);
