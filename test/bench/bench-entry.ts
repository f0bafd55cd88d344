/** The in-process benchmark as one script: bundled like the gateway, then run in Node and in the Edge Runtime VM. */
import { measureSteps, runInProcess } from './in-process';

(globalThis as { __bench?: unknown }).__bench = { runInProcess, measureSteps };
