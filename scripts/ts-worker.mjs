// Worker bootstrap for running TypeScript on source in worker_threads (tests, benchmarks, examples):
// registers tsx's loader in this thread, then imports `workerData.entry`. Start the Worker with
// execArgv ['--conditions=@sabre/source'] so @sabre/* resolves to src. Needed because Node 20 does not apply
// `--import tsx` from a Worker's execArgv.
import { register } from 'tsx/esm/api';
import { workerData } from 'node:worker_threads';

register();
await import(workerData.entry);
