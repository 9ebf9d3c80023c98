/**
 * The exercise-running half of the core (Python interpreter, tensor engine, onnxruntime), as one entry
 * point. The extension bundles it on its own and loads it when it first runs exercise code, so that
 * activation and the static checks do not wait for it.
 */
export { exerciseRunKey, runNotebookExercises } from './check-run';
export { CUDA_HELP, DeviceError, Runtime, type DeviceRequest } from './engine/runtime';
export { installCudaProviders, useExistingProviders } from './engine/gpu-setup';
export { CUDA_PACKAGE, installFromRegistry } from './engine/gpu-npm';
export { cellGraphView, questionGraphView, type GraphView, type ViewResult } from './run/views';
export { toSvg } from './report/graph-draw';
// For scripts that time or compare the engine from the bundle (scripts/gpu-bench.mjs).
export { Session } from './run/program';
