/**
 * Making the GPU available to onnxruntime-node. Its CUDA execution provider libraries are not in the npm
 * package (too large); onnxruntime-node's own installer fetches them from NuGet
 * (Microsoft.ML.OnnxRuntime.Gpu.Linux of the same version) when run with ONNXRUNTIME_NODE_INSTALL=cuda12.
 * Offline machines can point nbcheck at a folder that already holds them.
 */
import { copyFileSync, existsSync, readdirSync } from 'node:fs';
import * as path from 'node:path';

export const PROVIDER_LIBRARIES = ['libonnxruntime_providers_shared.so', 'libonnxruntime_providers_cuda.so'];

/** onnxruntime-node's folder of native libraries for this platform. */
export function ortBinaryFolder(): string {
  const pkg = path.dirname(require.resolve('onnxruntime-node/package.json'));
  return path.join(pkg, 'bin', 'napi-v6', process.platform, process.arch);
}

export function cudaProvidersInstalled(): boolean {
  const dir = ortBinaryFolder();
  return PROVIDER_LIBRARIES.every((f) => existsSync(path.join(dir, f)));
}

export interface InstallResult {
  readonly ok: boolean;
  readonly message: string;
}

/** Runs onnxruntime-node's installer for the CUDA 12 provider; `progress` receives its output lines. */
export function installCudaProviders(progress: (line: string) => void): Promise<InstallResult> {
  if (process.platform !== 'linux' || process.arch !== 'x64') {
    return Promise.resolve({ ok: false, message: `onnxruntime-node ships CUDA providers for linux/x64 only (this is ${process.platform}/${process.arch})` });
  }
  const script = path.join(path.dirname(require.resolve('onnxruntime-node/package.json')), 'script', 'install.js');
  // Loaded here only: a check that never installs anything does not pay for child_process.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { spawn } = require('node:child_process') as typeof import('node:child_process');
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [script], {
      env: { ...process.env, ONNXRUNTIME_NODE_INSTALL: 'cuda12' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    // The installer logs its steps ("Downloading ...", "Extracting ...") on stdout; stderr holds warnings
    // and, when it fails, a Node stack trace, which is kept for the message rather than shown.
    const onData = (fromStdout: boolean) => (buf: Buffer): void => {
      const text = buf.toString();
      output += text;
      for (const line of text.split('\n')) {
        const t = line.trim();
        if (t && (fromStdout || /^(`nvcc`|Failed to)/.test(t))) progress(t);
      }
    };
    child.stdout.on('data', onData(true));
    child.stderr.on('data', onData(false));
    child.on('error', (e) => resolve({ ok: false, message: `could not start the installer: ${e.message}` }));
    child.on('close', (code) => {
      if (code === 0 && cudaProvidersInstalled()) {
        resolve({ ok: true, message: `installed the CUDA provider into ${ortBinaryFolder()}` });
      } else if (/ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ETIMEDOUT|ENETUNREACH|getaddrinfo|socket hang up/i.test(output)) {
        resolve({
          ok: false,
          message:
            'this machine cannot reach api.nuget.org, where onnxruntime-node fetches the CUDA provider. ' +
            'On a machine with network access, download the NuGet package Microsoft.ML.OnnxRuntime.Gpu.Linux ' +
            `of onnxruntime-node's version, copy runtimes/linux-x64/native/ here, and run \`nbcheck install-gpu --from <that folder>\``,
        });
      } else if (code === 0) {
        resolve({ ok: false, message: `onnxruntime-node's installer finished without installing the CUDA provider into ${ortBinaryFolder()}; install it from an unpacked Microsoft.ML.OnnxRuntime.Gpu.Linux package with \`nbcheck install-gpu --from <folder>\`` });
      } else {
        const last = /(?:^|\n)\s*((?:\w*Error|Invalid|Manifest|Package)[^\n]*)/.exec(output)?.[1]?.trim() ?? output.trim().split('\n').slice(-1)[0];
        resolve({ ok: false, message: `onnxruntime-node's installer failed (exit ${code})${last ? `: ${last}` : ''}` });
      }
    });
  });
}

/** Copies the provider libraries from an existing install (e.g. an unpacked NuGet package). */
export function useExistingProviders(folder: string): InstallResult {
  if (!existsSync(folder)) return { ok: false, message: `${folder} does not exist` };
  const found = new Map<string, string>();
  const walk = (dir: string, depth: number): void => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory() && depth < 4) walk(p, depth + 1);
      else if (PROVIDER_LIBRARIES.includes(e.name) && !found.has(e.name)) found.set(e.name, p);
    }
  };
  walk(folder, 0);
  const missing = PROVIDER_LIBRARIES.filter((f) => !found.has(f));
  if (missing.length) return { ok: false, message: `${folder} does not contain ${missing.join(' or ')}` };
  const dest = ortBinaryFolder();
  for (const [name, from] of found) copyFileSync(from, path.join(dest, name));
  return { ok: true, message: `copied ${[...found.keys()].join(', ')} into ${dest}` };
}
