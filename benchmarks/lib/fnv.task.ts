import { defineTask } from '@sabre/pool/task';
import { fnv1a } from './fnv.js';

export default defineTask(() => (row: string) => fnv1a(row));
