/**
 * The core, loaded when first used: dist/core.js (static checks, KaTeX, reports) on the first check, and
 * dist/runner.js (interpreter, tensor engine, onnxruntime) on the first exercise run. Both are bundles of
 * their own beside dist/extension.js (scripts/build.mjs), so activation loads neither.
 */
import { join } from 'node:path';
import type * as CoreModule from '../core/static';
import type * as RunnerModule from '../core/runner';

let coreModule: typeof CoreModule | undefined;
let runnerModule: typeof RunnerModule | undefined;

export function core(): typeof CoreModule {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  coreModule ??= require(join(__dirname, 'core.js')) as typeof CoreModule;
  return coreModule;
}

export function runner(): typeof RunnerModule {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  runnerModule ??= require(join(__dirname, 'runner.js')) as typeof RunnerModule;
  return runnerModule;
}

export type { CoreModule, RunnerModule };
