/**
 * The GPU route's set-up, as a user meets it: `nbcheck install-gpu` from an npm registry (served here from
 * 127.0.0.1 with a tarball made by the system's tar), its sha512 checked against the registry's, only the two
 * provider libraries written; offline and mismatching registries refused with a clear message; `nbcheck doctor`
 * naming each missing piece and finding the CUDA libraries where pip's nvidia-* packages put them; WebGPU asked
 * for where there is no adapter, and `auto` falling back past it.
 */
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CUDA_PACKAGE, installFromRegistry } from '../../src/core/engine/gpu-npm';
import { CLI } from '../helpers';

const dir = mkdtempSync(join(tmpdir(), 'nbcheck-gpu-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const CUDA_LIB = 'libonnxruntime_providers_cuda.so';
const SHARED_LIB = 'libonnxruntime_providers_shared.so';

/** A package tarball laid out as the real one (package/Plugins/Linux/x64/…), with other files beside. */
function tarball(withShared = true): Buffer {
  const root = mkdtempSync(join(dir, 'pkg-'));
  const libs = join(root, 'package', 'Plugins', 'Linux', 'x64');
  mkdirSync(libs, { recursive: true });
  writeFileSync(join(root, 'package', 'package.json'), JSON.stringify({ name: CUDA_PACKAGE.name, version: CUDA_PACKAGE.version }));
  writeFileSync(join(libs, CUDA_LIB), Buffer.alloc(700_001, 7));
  if (withShared) writeFileSync(join(libs, SHARED_LIB), Buffer.from('shared library stand-in\n'));
  writeFileSync(join(libs, 'libonnxruntime.so'), Buffer.from('not to be copied\n'));
  const out = join(root, 'p.tgz');
  const r = spawnSync('tar', ['czf', out, '-C', root, 'package'], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return readFileSync(out);
}

const sri = (b: Buffer): string => `sha512-${createHash('sha512').update(b).digest('base64')}`;

/** A registry on 127.0.0.1 that serves one version document and one tarball. */
async function registry(body: Buffer, integrity: string): Promise<{ url: string; server: Server }> {
  const server = createServer((req, res) => {
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    if (req.url === `/${CUDA_PACKAGE.name}/${CUDA_PACKAGE.version}`) {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ name: CUDA_PACKAGE.name, version: CUDA_PACKAGE.version, dist: { tarball: `${base}/t.tgz`, integrity } }));
    } else if (req.url === '/t.tgz') {
      res.writeHead(200, { 'content-length': body.length });
      res.end(body);
    } else {
      res.writeHead(404);
      res.end('{}');
    }
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`, server };
}

describe('install-gpu from the npm registry', function () {
  this.timeout(60_000);

  it('installs the two provider libraries, sha512 verified, and nothing else of the package', async () => {
    const body = tarball();
    const { url, server } = await registry(body, sri(body));
    const target = mkdtempSync(join(dir, 'target-'));
    try {
      const seen: number[] = [];
      const r = await installFromRegistry({ registry: url, target, progress: (p) => seen.push(p.done) });
      assert.ok(r.ok, r.message);
      assert.match(r.message, /sha512 verified/);
      assert.deepEqual(readdirSync(target).sort(), [CUDA_LIB, SHARED_LIB]);
      assert.equal(readFileSync(join(target, CUDA_LIB)).length, 700_001);
      assert.equal(readFileSync(join(target, SHARED_LIB), 'utf8'), 'shared library stand-in\n');
      assert.equal(seen.at(-1), body.length, 'progress reaches the whole tarball');
    } finally {
      server.close();
    }
  });

  it('a tarball that does not match the registry\'s sha512 is refused, and nothing is left behind', async () => {
    const body = tarball();
    const { url, server } = await registry(body, sri(Buffer.from('another tarball')));
    const target = mkdtempSync(join(dir, 'target-'));
    try {
      const r = await installFromRegistry({ registry: url, target });
      assert.ok(!r.ok);
      assert.match(r.message, /does not match the registry's sha512.*nothing was installed/);
      assert.deepEqual(readdirSync(target), []);
    } finally {
      server.close();
    }
  });

  it('a package without the shared library is refused by name', async () => {
    const body = tarball(false);
    const { url, server } = await registry(body, sri(body));
    const target = mkdtempSync(join(dir, 'target-'));
    try {
      const r = await installFromRegistry({ registry: url, target });
      assert.ok(!r.ok);
      assert.match(r.message, new RegExp(`does not contain ${SHARED_LIB}`));
      assert.deepEqual(readdirSync(target), []);
    } finally {
      server.close();
    }
  });

  it('a registry without the package says so', async () => {
    const { url, server } = await registry(Buffer.alloc(0), 'sha512-x');
    try {
      const r = await installFromRegistry({ registry: `${url}other/`, target: mkdtempSync(join(dir, 'target-')) });
      assert.ok(!r.ok);
      assert.match(r.message, new RegExp(`does not have ${CUDA_PACKAGE.name.replace(/\./g, '\\.')}@0\\.4\\.9`));
    } finally {
      server.close();
    }
  });

  it('offline, through the CLI: says the registry cannot be reached and what to do instead, exit 1', async () => {
    // A port that was just listened on and closed: nothing answers there.
    const probe = createServer();
    await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
    const port = (probe.address() as AddressInfo).port;
    await new Promise((r) => probe.close(r));
    const r = spawnSync(process.execPath, [CLI, 'install-gpu', '--registry', `http://127.0.0.1:${port}/`], { encoding: 'utf8' });
    assert.equal(r.status, 1);
    assert.match(r.stderr, new RegExp(`could not reach the npm registry at http://127\\.0\\.0\\.1:${port}/ \\(ECONNREFUSED\\).*install-gpu --from <folder>`));
    assert.doesNotMatch(r.stderr, /\n\s+at |node:internal/);
  });

  it('bad arguments get a clear message', () => {
    const r = spawnSync(process.execPath, [CLI, 'install-gpu', '--source', 'pip'], { encoding: 'utf8' });
    assert.equal(r.status, 2);
    assert.match(r.stderr, /--source must be npm or nuget, not "pip"/);
  });
});

describe('nbcheck doctor', function () {
  this.timeout(60_000);

  it('names every missing piece, and finds CUDA libraries in a Python environment\'s nvidia-* packages', () => {
    // A virtual environment as pip lays out PyTorch's CUDA 13 dependencies (the files stand in for the libraries).
    const venv = mkdtempSync(join(dir, 'venv-'));
    const cublas = join(venv, 'lib', 'python3.12', 'site-packages', 'nvidia', 'cublas', 'lib');
    mkdirSync(cublas, { recursive: true });
    writeFileSync(join(cublas, 'libcublas.so.13'), '');
    writeFileSync(join(cublas, 'libcublasLt.so.13'), '');
    const r = spawnSync(process.execPath, [CLI, 'doctor', '--format', 'json'], { encoding: 'utf8', env: { ...process.env, VIRTUAL_ENV: venv } });
    assert.equal(r.status, 0, r.stderr);
    const report = JSON.parse(r.stdout) as { libraries: { file: string; folder?: string }[]; libraryPath: string; provider: { installed: boolean }; run: { device: string; fallback?: string }; next: string[] };
    const found = (file: string): string | undefined => report.libraries.find((l) => l.file === file)?.folder;
    assert.equal(found('libcublas.so.13'), cublas);
    assert.equal(found('libcublasLt.so.13'), cublas);
    assert.ok(report.libraryPath.split(':').includes(cublas), report.libraryPath);
    if (!report.provider.installed) {
      assert.equal(report.run.device, 'cpu');
      assert.match(report.run.fallback ?? '', /CUDA provider is not installed/);
      assert.ok(report.next.some((s) => /nbcheck install-gpu/.test(s)), report.next.join('\n'));
    }
    if (!found('libcurand.so.10')) assert.ok(report.next.some((s) => /libcurand\.so\.10/.test(s)));
  });

  it('text: one line per piece, and what to do next; --device cuda says why it cannot run', () => {
    const r = spawnSync(process.execPath, [CLI, 'doctor'], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    for (const piece of ['onnxruntime-node', 'NVIDIA driver', 'CUDA runtime', 'cuBLAS', 'cuDNN', 'CUDA provider', 'a run would use']) assert.match(r.stdout, new RegExp(`\\n  ${piece}\\s`), piece);
    const cuda = spawnSync(process.execPath, [CLI, 'doctor', '--device', 'cuda', '--format', 'json'], { encoding: 'utf8' });
    const run = (JSON.parse(cuda.stdout) as { run: { device: string; error?: string } }).run;
    if (run.device === 'none') {
      assert.equal(cuda.status, 1);
      assert.match(run.error ?? '', /^CUDA is not available: /);
    }
  });
});

describe('WebGPU as a second GPU route', function () {
  this.timeout(60_000);

  it('--device webgpu without a GPU adapter fails with that reason; auto falls back past it to the CPU, said once', () => {
    const file = join(dir, 'w.py');
    writeFileSync(file, 'import torch\nx = torch.ones(3) * 2\ny = torch.ones(2, dtype=torch.float64) * 3\n');
    const auto = spawnSync(process.execPath, [CLI, 'exec', file], { encoding: 'utf8' });
    const json = JSON.parse(auto.stdout) as { device: string; fallback?: string; variables: Record<string, { data: number[] }> };
    assert.deepEqual(json.variables['x']?.data, [2, 2, 2]);
    assert.deepEqual(json.variables['y']?.data, [3, 3]);
    if (json.device !== 'cpu') return; // a machine with a GPU: the fallback is not exercised here
    assert.match(json.fallback ?? '', /WebGPU/);
    assert.equal(auto.stderr.match(/running on the CPU/g)?.length, 1, auto.stderr);
    const float32 = join(dir, 'w32.py');
    writeFileSync(float32, 'import torch\nx = torch.ones(3) * 2\n');
    const webgpu = spawnSync(process.execPath, [CLI, 'exec', float32, '--device', 'webgpu'], { encoding: 'utf8' });
    assert.equal(webgpu.status, 2);
    assert.match(webgpu.stderr, /^nbcheck: WebGPU is not available: (WebGPU found no GPU adapter|WebGPU needs Vulkan, and libvulkan\.so\.1 is not installed)/);
    assert.doesNotMatch(webgpu.stderr, /Couldn't load Vulkan|\n\s+at /, 'the GPU library\'s own warnings stay in the worker');
  });
});
