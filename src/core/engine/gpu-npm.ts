/**
 * The CUDA execution provider from the npm registry: onnxruntime 1.29.0's `libonnxruntime_providers_cuda.so`
 * (built for CUDA 13 and cuDNN 9) and `libonnxruntime_providers_shared.so`, as published in
 * `com.github.asus4.onnxruntime.linux-x64-gpu@0.4.9` (MIT; Microsoft's binaries). The tarball is fetched from the
 * registry the user's npm is configured for, checked against the registry's sha512 as it streams, and only the
 * two libraries are written, beside onnxruntime-node's own `libonnxruntime.so.1` — nothing else of the package.
 */
import { createHash } from 'node:crypto';
import { createWriteStream, existsSync, mkdirSync, readFileSync, renameSync, rmSync, type WriteStream } from 'node:fs';
import * as path from 'node:path';
import { createGunzip } from 'node:zlib';
import { ortBinaryFolder, type InstallResult } from './gpu-setup';

export const CUDA_PACKAGE = { name: 'com.github.asus4.onnxruntime.linux-x64-gpu', version: '0.4.9', onnxruntime: '1.29.0' } as const;

/** The package's members that are written, and the names they get. */
const MEMBERS: Readonly<Record<string, string>> = {
  'package/Plugins/Linux/x64/libonnxruntime_providers_cuda.so': 'libonnxruntime_providers_cuda.so',
  'package/Plugins/Linux/x64/libonnxruntime_providers_shared.so': 'libonnxruntime_providers_shared.so',
};

export const DEFAULT_REGISTRY = 'https://registry.npmjs.org/';

/** The registry npm uses here: `npm_config_registry` (set when run by npm), else `npm config get registry`. */
export function configuredRegistry(): string {
  const env = process.env['npm_config_registry'];
  if (env) return env;
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { spawnSync } = require('node:child_process') as typeof import('node:child_process');
    const r = spawnSync(process.platform === 'win32' ? 'npm.cmd' : 'npm', ['config', 'get', 'registry'], { encoding: 'utf8', timeout: 15_000 });
    const url = r.status === 0 ? r.stdout.trim() : '';
    return /^https?:\/\//.test(url) ? url : DEFAULT_REGISTRY;
  } catch {
    return DEFAULT_REGISTRY;
  }
}

export interface Progress {
  readonly done: number;
  readonly total: number | undefined;
}

export interface RegistryInstall {
  /** The registry's base URL; default: the one npm is configured for. */
  readonly registry?: string;
  /** Where the libraries go; default onnxruntime-node's binary folder. */
  readonly target?: string;
  readonly progress?: (p: Progress) => void;
}

const offline = (registry: string, e: unknown): InstallResult => {
  const cause = (e as { cause?: { code?: string; message?: string } }).cause;
  const why = cause?.code ?? cause?.message ?? (e as Error).message;
  return {
    ok: false,
    message: `could not reach the npm registry at ${registry} (${why}). Offline, copy the two provider libraries from a machine that has them and run \`nbcheck install-gpu --from <folder>\``,
  };
};

/** The installed onnxruntime-node's version, or undefined. */
function ortVersion(): string | undefined {
  try {
    return (JSON.parse(readFileSync(require.resolve('onnxruntime-node/package.json'), 'utf8')) as { version?: string }).version;
  } catch {
    return undefined;
  }
}

export async function installFromRegistry(options: RegistryInstall = {}): Promise<InstallResult> {
  if (process.platform !== 'linux' || process.arch !== 'x64') {
    return { ok: false, message: `the npm registry's CUDA provider is built for linux/x64 only (this is ${process.platform}/${process.arch})` };
  }
  const have = ortVersion();
  if (!options.target && have !== CUDA_PACKAGE.onnxruntime) {
    return { ok: false, message: `the npm registry's CUDA provider is onnxruntime ${CUDA_PACKAGE.onnxruntime}'s, and onnxruntime-node here is ${have ?? 'not installed'}: install onnxruntime-node@${CUDA_PACKAGE.onnxruntime}, or use \`--source nuget\`` };
  }
  const registry = options.registry ?? configuredRegistry();
  const base = registry.endsWith('/') ? registry : `${registry}/`;
  const spec = `${CUDA_PACKAGE.name}@${CUDA_PACKAGE.version}`;
  let meta: { dist?: { tarball?: string; integrity?: string } };
  try {
    const r = await fetch(`${base}${CUDA_PACKAGE.name}/${CUDA_PACKAGE.version}`, { headers: { accept: 'application/json' } });
    if (r.status === 404) return { ok: false, message: `the npm registry at ${registry} does not have ${spec}` };
    if (!r.ok) return { ok: false, message: `the npm registry at ${registry} answered ${r.status} ${r.statusText} for ${spec}` };
    meta = (await r.json()) as typeof meta;
  } catch (e) {
    return offline(registry, e);
  }
  const integrity = /^sha512-([A-Za-z0-9+/=]+)$/.exec(meta.dist?.integrity ?? '')?.[1];
  const tarball = meta.dist?.tarball;
  if (!integrity || !tarball) return { ok: false, message: `the npm registry at ${registry} lists no sha512 integrity or tarball for ${spec}; nothing was installed` };

  const target = options.target ?? ortBinaryFolder();
  mkdirSync(target, { recursive: true });
  const partial = (name: string): string => path.join(target, `${name}.partial`);
  const cleanup = (): void => {
    for (const name of Object.values(MEMBERS)) rmSync(partial(name), { force: true });
  };
  let response: Response;
  try {
    response = await fetch(tarball);
  } catch (e) {
    return offline(registry, e);
  }
  if (!response.ok || !response.body) return { ok: false, message: `downloading ${tarball} failed: ${response.status} ${response.statusText}` };
  const total = Number(response.headers.get('content-length')) || undefined;
  const hash = createHash('sha512');
  const tar = new TarMembers(MEMBERS, partial);
  const gunzip = createGunzip();
  gunzip.on('data', (chunk: Buffer) => tar.push(chunk));
  const unzipped = new Promise<void>((resolve, reject) => {
    gunzip.on('end', resolve);
    gunzip.on('error', reject);
  });
  let done = 0;
  try {
    for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
      hash.update(chunk);
      done += chunk.length;
      options.progress?.({ done, total });
      if (!gunzip.write(chunk)) await new Promise((r) => gunzip.once('drain', r));
    }
    gunzip.end();
    await unzipped;
    await tar.close();
  } catch (e) {
    cleanup();
    return { ok: false, message: `downloading or unpacking ${tarball} failed (${(e as Error).message}); nothing was installed` };
  }
  const got = hash.digest('base64');
  if (got !== integrity) {
    cleanup();
    return { ok: false, message: `the tarball from ${tarball} does not match the registry's sha512 (expected ${integrity.slice(0, 16)}…, got ${got.slice(0, 16)}…); nothing was installed` };
  }
  const missing = Object.values(MEMBERS).filter((n) => !existsSync(partial(n)));
  if (missing.length) {
    cleanup();
    return { ok: false, message: `${spec} does not contain ${missing.join(' or ')}; nothing was installed` };
  }
  for (const name of Object.values(MEMBERS)) renameSync(partial(name), path.join(target, name));
  return { ok: true, message: `installed onnxruntime ${CUDA_PACKAGE.onnxruntime}'s CUDA provider (${spec}, sha512 verified) into ${target}` };
}

/**
 * A streaming reader of a tar archive that writes the named members and skips the rest (ustar and GNU headers,
 * pax extended headers for long names).
 */
class TarMembers {
  private buf: Buffer = Buffer.alloc(0) as Buffer;
  private remaining = 0;
  private padding = 0;
  private out: WriteStream | undefined;
  private longName: string | undefined;
  private collecting: Buffer[] | undefined;
  private collectType = '';
  private readonly writes: Promise<void>[] = [];

  constructor(
    private readonly members: Readonly<Record<string, string>>,
    private readonly pathFor: (name: string) => string,
  ) {}

  push(chunk: Buffer): void {
    this.buf = this.buf.length ? Buffer.concat([this.buf, chunk]) : chunk;
    for (;;) {
      if (this.remaining > 0) {
        const n = Math.min(this.remaining, this.buf.length);
        if (n === 0) return;
        const part = this.buf.subarray(0, n);
        if (this.out) this.out.write(Buffer.from(part));
        else if (this.collecting) this.collecting.push(Buffer.from(part));
        this.buf = this.buf.subarray(n);
        this.remaining -= n;
        if (this.remaining > 0) return;
        this.endMember();
      }
      if (this.padding > 0) {
        const n = Math.min(this.padding, this.buf.length);
        this.buf = this.buf.subarray(n);
        this.padding -= n;
        if (this.padding > 0) return;
      }
      if (this.buf.length < 512) return;
      const header = this.buf.subarray(0, 512);
      this.buf = this.buf.subarray(512);
      if (header.every((b) => b === 0)) continue;
      const field = (at: number, len: number): string => header.subarray(at, at + len).toString('utf8').replace(/\0.*$/s, '');
      const size = parseInt(field(124, 12).trim() || '0', 8);
      const type = field(156, 1);
      const prefix = field(345, 155);
      const name = this.longName ?? (prefix ? `${prefix}/${field(0, 100)}` : field(0, 100));
      this.longName = undefined;
      this.remaining = size;
      this.padding = (512 - (size % 512)) % 512;
      if (type === 'x' || type === 'L') {
        this.collecting = [];
        this.collectType = type;
      } else if ((type === '0' || type === '' || type === '\0') && this.members[name]) {
        this.out = createWriteStream(this.pathFor(this.members[name] as string));
      }
      if (size === 0) this.endMember();
    }
  }

  private endMember(): void {
    if (this.out) {
      const out = this.out;
      this.writes.push(new Promise((resolve, reject) => {
        out.on('error', reject);
        out.end(() => resolve());
      }));
      this.out = undefined;
    }
    if (this.collecting) {
      const text = Buffer.concat(this.collecting).toString('utf8');
      this.longName = this.collectType === 'L' ? text.replace(/\0.*$/s, '') : /(?:^|\n)\d+ path=([^\n]*)\n/.exec(text)?.[1];
      this.collecting = undefined;
    }
  }

  async close(): Promise<void> {
    await Promise.all(this.writes);
  }
}
