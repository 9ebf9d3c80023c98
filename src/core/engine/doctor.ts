/**
 * `nbcheck doctor`: what the GPU route needs and what this machine has — the NVIDIA driver, the CUDA 13 user
 * libraries (CUDA runtime, cuBLAS, cuRAND, cuDNN) with their versions and folders, onnxruntime-node and its CUDA
 * provider, the provider's own unresolved dependencies (as the dynamic loader sees them with the library path a
 * worker gets) — and what to do next. The device a run would use is found by a worker (see the CLI).
 */
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { CUDA_PACKAGE } from './gpu-npm';
import { cudaProvidersInstalled, ortBinaryFolder } from './gpu-setup';
import { cudaLibraryPath, driverVersion, findCudaLibraries, vulkanLoaderFound, type FoundLibrary } from './cuda-libs';

export interface DoctorReport {
  readonly platform: string;
  readonly onnxruntime: { readonly version?: string; readonly folder?: string };
  readonly driver?: string;
  readonly libraries: readonly FoundLibrary[];
  readonly provider: { readonly installed: boolean; readonly folder?: string; readonly unresolved?: readonly string[] };
  /** The LD_LIBRARY_PATH a worker gets. */
  readonly libraryPath: string;
  /** Whether the Vulkan loader WebGPU needs on Linux is installed. */
  readonly vulkan: boolean;
}

export function gatherDoctor(): DoctorReport {
  let version: string | undefined;
  let folder: string | undefined;
  try {
    version = (JSON.parse(readFileSync(require.resolve('onnxruntime-node/package.json'), 'utf8')) as { version?: string }).version;
    folder = ortBinaryFolder();
  } catch {
    // onnxruntime-node missing: said in the report
  }
  const libraries = findCudaLibraries();
  const libraryPath = cudaLibraryPath(libraries);
  const installed = folder ? cudaProvidersInstalled() : false;
  let unresolved: string[] | undefined;
  const provider = folder && path.join(folder, 'libonnxruntime_providers_cuda.so');
  if (installed && provider && existsSync(provider) && process.platform === 'linux') {
    try {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const { spawnSync } = require('node:child_process') as typeof import('node:child_process');
      const r = spawnSync('ldd', [provider], { encoding: 'utf8', timeout: 15_000, env: { ...process.env, LD_LIBRARY_PATH: libraryPath } });
      unresolved = [...(r.stdout ?? '').matchAll(/^\s*(\S+) => not found/gm)].map((m) => m[1] as string);
    } catch {
      unresolved = undefined;
    }
  }
  return {
    platform: `${process.platform}/${process.arch}`,
    onnxruntime: { ...(version ? { version } : {}), ...(folder ? { folder } : {}) },
    ...(driverVersion() ? { driver: driverVersion() } : {}),
    libraries,
    provider: { installed, ...(folder ? { folder } : {}), ...(unresolved ? { unresolved } : {}) },
    libraryPath,
    vulkan: process.platform !== 'linux' || vulkanLoaderFound(),
  };
}

/** What to do next, in order, for what the report lacks (empty when the GPU route has everything). */
export function nextSteps(r: DoctorReport, device?: string): string[] {
  const steps: string[] = [];
  if (r.platform !== 'linux/x64') steps.push(`The CUDA route is built for linux/x64; this is ${r.platform}. Exercise code runs on the CPU (or WebGPU where a GPU adapter is found).`);
  if (!r.onnxruntime.version) steps.push('onnxruntime-node is not installed: run `npm install` in nbcheck\'s folder.');
  else if (r.onnxruntime.version !== CUDA_PACKAGE.onnxruntime) steps.push(`onnxruntime-node is ${r.onnxruntime.version}; the npm registry's CUDA provider is ${CUDA_PACKAGE.onnxruntime}'s: install onnxruntime-node@${CUDA_PACKAGE.onnxruntime}, or use \`nbcheck install-gpu --source nuget\` (CUDA 12).`);
  if (!r.driver && !r.libraries.some((l) => l.file === 'libcuda.so.1' && l.folder)) steps.push('No NVIDIA driver is loaded (no /proc/driver/nvidia/version, no libcuda.so.1): the CUDA route needs an NVIDIA GPU and its driver.');
  const missing = r.libraries.filter((l) => !l.folder && l.file !== 'libcuda.so.1');
  if (missing.length) steps.push(`Missing CUDA 13 user libraries: ${missing.map((l) => l.file).join(', ')}. Install the CUDA 13 toolkit and cuDNN 9, or the nvidia-* CUDA 13 pip packages in a Python environment (PyTorch's CUDA 13 wheels bring them): nbcheck finds them in site-packages/nvidia/*/lib.`);
  if (!r.provider.installed) steps.push('The CUDA provider is not installed: run `nbcheck install-gpu` (from the npm registry npm is configured for; offline: `--from <folder>`).');
  else if (r.provider.unresolved?.length) steps.push(`The CUDA provider is installed but the loader cannot resolve ${r.provider.unresolved.join(', ')} with the library path above.`);
  if (device === 'cpu' && !steps.length) steps.push('Everything above is in place, yet a run chose the CPU: see the reason it gives.');
  return steps;
}

/** The panel's GPU section: one line of where code runs and why, the pieces, and what to do next. */
export function gpuSection(ran: { readonly device: string; readonly fallback?: string } | undefined): { summary: string; details: string[] } {
  const r = gatherDoctor();
  const summary = ran
    ? ran.device === 'cpu'
      ? `Exercise code ran on the CPU${ran.fallback ? `: ${ran.fallback}` : ''}.`
      : `Exercise code ran on the GPU (${ran.device === 'cuda' ? 'CUDA' : 'WebGPU'}).`
    : 'Exercise code has not run yet.';
  const lib = (what: string): string => r.libraries.filter((l) => l.what === what).map((l) => (l.folder ? `${l.file} in ${l.folder}` : `${l.file} not found`)).join('; ');
  const details = [
    `onnxruntime-node ${r.onnxruntime.version ?? 'not installed'}`,
    `NVIDIA driver: ${r.driver ?? 'not loaded'}`,
    `CUDA runtime: ${lib('CUDA runtime')}`,
    `cuBLAS: ${lib('cuBLAS')}`,
    `cuRAND: ${lib('cuRAND')}`,
    `cuDNN: ${lib('cuDNN')}`,
    `CUDA provider: ${r.provider.installed ? (r.provider.unresolved?.length ? `installed, but ${r.provider.unresolved.join(', ')} cannot be found` : 'installed') : 'not installed (the Install GPU Support command installs it)'}`,
    `WebGPU: ${r.vulkan ? 'the Vulkan loader is installed' : 'needs Vulkan (libvulkan.so.1 is not installed)'}`,
    ...nextSteps(r).map((s, i) => `Next ${i + 1}: ${s}`),
  ];
  return { summary, details };
}
