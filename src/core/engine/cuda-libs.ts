/**
 * Where the CUDA user libraries are on this machine, found without running anything: the folders of
 * LD_LIBRARY_PATH, the CUDA toolkit (/usr/local/cuda*), the system's library folders, and the `lib` folders of
 * the `nvidia-*` pip packages in Python environments (site-packages/nvidia/{cublas,cudnn,…}/lib, where PyTorch's
 * CUDA wheels put them). A worker process gets these folders on its LD_LIBRARY_PATH before onnxruntime loads, so
 * the CUDA provider finds what the dynamic loader alone would not.
 */
import { existsSync, readFileSync, readdirSync, realpathSync } from 'node:fs';
import { homedir } from 'node:os';
import * as path from 'node:path';

/** The libraries onnxruntime 1.29's CUDA provider loads (its ELF needs, and cuDNN, which it opens itself). */
export const CUDA_LIBRARIES = [
  { what: 'NVIDIA driver', files: ['libcuda.so.1'] },
  { what: 'CUDA runtime', files: ['libcudart.so.13'] },
  { what: 'cuBLAS', files: ['libcublas.so.13', 'libcublasLt.so.13'] },
  { what: 'cuRAND', files: ['libcurand.so.10'] },
  { what: 'cuDNN', files: ['libcudnn.so.9'] },
] as const;

const list = (dir: string): string[] => {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
};

/** site-packages folders of the Python environments students and course servers use. */
function sitePackages(): string[] {
  const roots = new Set<string>();
  const env = process.env;
  for (const p of [env['VIRTUAL_ENV'], env['CONDA_PREFIX'], '/usr', '/usr/local', '/opt/conda', path.join(homedir(), '.local')]) if (p) roots.add(p);
  for (const dir of (env['PATH'] ?? '').split(path.delimiter)) {
    if (!dir || !/bin$/.test(dir)) continue;
    for (const exe of ['python3', 'python']) {
      const p = path.join(dir, exe);
      if (existsSync(p)) {
        try {
          roots.add(path.dirname(path.dirname(realpathSync(p))));
        } catch {
          // a dangling link: no environment there
        }
      }
    }
  }
  for (const base of [path.join(homedir(), '.pyenv', 'versions'), path.join(homedir(), 'miniconda3', 'envs'), path.join(homedir(), 'anaconda3', 'envs'), '/opt/conda/envs']) {
    for (const v of list(base)) roots.add(path.join(base, v));
  }
  const out: string[] = [];
  for (const root of roots) {
    const lib = path.join(root, 'lib');
    for (const py of list(lib).filter((d) => /^python3/.test(d))) {
      for (const sp of ['site-packages', 'dist-packages']) {
        const p = path.join(lib, py, sp);
        if (existsSync(p)) out.push(p);
      }
    }
  }
  return out;
}

/** Every folder that may hold a CUDA library, in the order they are tried. */
export function candidateFolders(): string[] {
  const dirs: string[] = [];
  const add = (d: string | undefined): void => {
    if (d && !dirs.includes(d) && existsSync(d)) dirs.push(d);
  };
  for (const d of (process.env['LD_LIBRARY_PATH'] ?? '').split(':')) add(d);
  for (const sp of sitePackages()) for (const pkg of list(path.join(sp, 'nvidia'))) add(path.join(sp, 'nvidia', pkg, 'lib'));
  const toolkits = list('/usr/local').filter((d) => /^cuda(-[\d.]+)?$/.test(d)).sort().reverse();
  for (const t of toolkits) for (const sub of ['lib64', 'lib', 'targets/x86_64-linux/lib']) add(path.join('/usr/local', t, sub));
  for (const d of ['/usr/lib/x86_64-linux-gnu', '/usr/lib64', '/usr/lib', '/lib/x86_64-linux-gnu', '/usr/lib/wsl/lib']) add(d);
  return dirs;
}

export interface FoundLibrary {
  readonly what: string;
  readonly file: string;
  /** The folder it is in, when found. */
  readonly folder?: string;
  /** The version its real file name says (libcudart.so.13.0.96 → 13.0.96). */
  readonly version?: string;
}

/** Each library of CUDA_LIBRARIES, found or not. */
export function findCudaLibraries(folders: readonly string[] = candidateFolders()): FoundLibrary[] {
  const out: FoundLibrary[] = [];
  for (const { what, files } of CUDA_LIBRARIES) {
    for (const file of files) {
      const folder = folders.find((d) => existsSync(path.join(d, file)));
      let version: string | undefined;
      if (folder) {
        try {
          version = /\.so\.([\d.]+)$/.exec(realpathSync(path.join(folder, file)))?.[1];
        } catch {
          // unreadable link: no version
        }
      }
      out.push({ what, file, ...(folder ? { folder } : {}), ...(version ? { version } : {}) });
    }
  }
  return out;
}

/** The NVIDIA kernel driver's version, from /proc (undefined when no NVIDIA driver is loaded). */
export function driverVersion(): string | undefined {
  try {
    return /Kernel Module\s+(?:for \S+\s+)?([\d.]+)/.exec(readFileSync('/proc/driver/nvidia/version', 'utf8'))?.[1];
  } catch {
    return undefined;
  }
}

/** LD_LIBRARY_PATH for a worker: the folders that hold a CUDA library, then what was already set. */
export function cudaLibraryPath(found: readonly FoundLibrary[] = findCudaLibraries()): string {
  const dirs = [...new Set(found.flatMap((f) => (f.folder ? [f.folder] : [])))];
  for (const d of (process.env['LD_LIBRARY_PATH'] ?? '').split(':')) if (d && !dirs.includes(d)) dirs.push(d);
  return dirs.join(':');
}

/** Whether the Vulkan loader (which WebGPU needs on Linux) is where the dynamic loader looks. */
export function vulkanLoaderFound(): boolean {
  const dirs = [...(process.env['LD_LIBRARY_PATH'] ?? '').split(':').filter(Boolean), '/usr/lib/x86_64-linux-gnu', '/usr/lib/aarch64-linux-gnu', '/usr/lib64', '/usr/lib', '/lib/x86_64-linux-gnu', '/usr/local/lib'];
  return dirs.some((d) => existsSync(path.join(d, 'libvulkan.so.1')));
}
