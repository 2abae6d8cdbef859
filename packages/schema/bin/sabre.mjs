#!/usr/bin/env node
// The sabre CLI. tsx is registered first so schema files may be TypeScript.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/cli.ts');
process.exitCode = await main(process.argv.slice(2));
