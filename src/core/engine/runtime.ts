/**
 * Runs pending IR with onnxruntime-node: the requested nodes' graph is lowered to one ONNX model, whose
 * session is cached by the model's bytes (leaves are graph inputs, so the bytes are the graph's structure,
 * and equal structures share a session).
 * Execution providers: CUDA first, then CPU; onnxruntime-node throws rather than falling back when the CUDA
 * libraries cannot load, so the first failure is caught, remembered and reported once.
 */
import type { DType, TensorData, TensorStorage } from './dtype';
import { ONNX_TYPE } from './dtype';
import type { IRNode, Lowering, SourceLoc } from './ir';
import { OPS } from './ir';
import type { OnnxGraph, OnnxInitializer, OnnxNode, OnnxValueInfo } from './onnx-proto';
import { encodeModel } from './onnx-proto';
import { vulkanLoaderFound } from './cuda-libs';
import { cudaProvidersInstalled, ortBinaryFolder, useExistingProviders } from './gpu-setup';

export type DeviceRequest = 'auto' | 'cpu' | 'cuda' | 'webgpu';
export type DeviceName = 'cuda' | 'webgpu' | 'cpu';

/** A failure inside onnxruntime, mapped back to the Python source where possible. */
export class EngineRuntimeError extends Error {
  constructor(
    message: string,
    readonly loc: SourceLoc | undefined,
    /** The Python exception PyTorch raises for the same failure. */
    readonly pyType: 'RuntimeError' | 'IndexError' = 'RuntimeError',
  ) {
    super(message);
  }
}

/** The device could not be used as asked (e.g. `--device cuda` without the CUDA provider). */
export class DeviceError extends Error {}

type Ort = typeof import('onnxruntime-node');
type Session = import('onnxruntime-node').InferenceSession;

let ortModule: Ort | undefined;
function ort(): Ort {
  if (!ortModule) {
    // Loaded on first use, so checks that run nothing never load the native binding.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    ortModule = require('onnxruntime-node') as Ort;
    ortModule.env.logLevel = 'fatal';
  }
  return ortModule;
}

/** How to make the GPU available, for messages. */
export const CUDA_HELP =
  'run `nbcheck install-gpu`, which installs onnxruntime 1.29\'s CUDA provider from the npm registry (it needs an NVIDIA driver, the CUDA 13 libraries and cuDNN 9; `nbcheck doctor` says which are missing)';

/** Builds the ONNX graph computing `outputs` from the nodes that are already known (leaves). */
export function lowerGraph(outputs: readonly IRNode[], known: (n: IRNode) => TensorData | undefined): { graph: OnnxGraph; feeds: TensorData[]; outputNodes: IRNode[]; locs: Map<string, SourceLoc>; ops: string[]; dtypes: Set<DType> } {
  const order: IRNode[] = [];
  const leaves: IRNode[] = [];
  const seen = new Set<IRNode>();
  const visit = (root: IRNode): void => {
    // Iterative post-order DFS: graphs from long loops are deep.
    const stack: [IRNode, number][] = [[root, 0]];
    while (stack.length) {
      const top = stack[stack.length - 1] as [IRNode, number];
      const [n, k] = top;
      if (k === 0) {
        if (seen.has(n)) {
          stack.pop();
          continue;
        }
        if (n.op === 'Data' || known(n)) {
          seen.add(n);
          leaves.push(n);
          stack.pop();
          continue;
        }
      }
      if (k < n.inputs.length) {
        top[1] = k + 1;
        stack.push([n.inputs[k] as IRNode, 0]);
      } else {
        stack.pop();
        if (!seen.has(n)) {
          seen.add(n);
          order.push(n);
        }
      }
    }
  };
  for (const o of outputs) visit(o);

  const names = new Map<IRNode, string>();
  const inputs: OnnxValueInfo[] = [];
  const feeds: TensorData[] = [];
  leaves.forEach((n, k) => {
    const name = `in${k}`;
    names.set(n, name);
    inputs.push({ name, dtype: n.dtype, shape: n.shape });
    feeds.push(n.data ?? (known(n) as TensorData));
  });

  const nodes: OnnxNode[] = [];
  const initializers: OnnxInitializer[] = [];
  const constants = new Map<string, string>();
  const locs = new Map<string, SourceLoc>();
  let counter = 0;
  let current: IRNode | undefined;
  const constant = (key: string, make: (name: string) => OnnxInitializer): string => {
    let name = constants.get(key);
    if (!name) {
      name = `c${constants.size}`;
      constants.set(key, name);
      initializers.push(make(name));
    }
    return name;
  };
  const lowering: Lowering = {
    emit(op, ins, attrs, outputs = 1) {
      const at = current?.loc;
      const name = at ? `${at.row + 1}:${at.column + 1}#${counter}` : `#${counter}`;
      if (at) locs.set(name, at);
      const outs = Array.from({ length: outputs }, (_, i) => `t${counter}_${i}`);
      counter++;
      nodes.push({ op, inputs: ins, outputs: outs, name, attrs });
      return outs;
    },
    ints(values, scalar = false) {
      return constant(`i${scalar ? 's' : ''}:${values.join(',')}`, (name) => ({
        name,
        dtype: 'int64',
        shape: scalar ? [] : [values.length],
        data: BigInt64Array.from(values.map((v) => BigInt(v))),
      }));
    },
    scalar(value, dtype) {
      return constant(`s:${dtype}:${value}`, (name) => ({ name, dtype, shape: [], data: scalarStorage(value, dtype) }));
    },
  };
  for (const n of order) {
    current = n;
    const def = OPS[n.op];
    if (!def) throw new Error(`no lowering for ${n.op}`);
    names.set(n, def.lower(lowering, n, n.inputs.map((i) => names.get(i) as string)));
  }
  const leafSet = new Set(leaves);
  const outputNodes = [...new Set(outputs)].filter((o) => !leafSet.has(o));
  // An output is named outK: the node producing it is renamed so (onnxruntime's common-subexpression pass
  // mishandles an output routed through an Identity that duplicates another Identity); a value that no
  // node of the graph produces (a constant), or that is already an output, is routed through an Identity.
  const producer = new Map<string, OnnxNode>();
  for (const n of nodes) for (const o of n.outputs) producer.set(o, n);
  const renamed = new Map<string, string>();
  const graphOutputs: OnnxValueInfo[] = outputNodes.map((o, k) => {
    current = o;
    const name = `out${k}`;
    const value = names.get(o) as string;
    if (producer.has(value) && !renamed.has(value)) renamed.set(value, name);
    else nodes.push({ op: 'Identity', inputs: [renamed.get(value) ?? value], outputs: [name], name: `out#${k}` });
    return { name, dtype: o.dtype, shape: o.shape };
  });
  if (renamed.size) {
    const rename = (x: string): string => renamed.get(x) ?? x;
    for (let i = 0; i < nodes.length; i++) {
      const n = nodes[i] as OnnxNode;
      if (n.inputs.some((x) => renamed.has(x)) || n.outputs.some((x) => renamed.has(x))) nodes[i] = { ...n, inputs: n.inputs.map(rename), outputs: n.outputs.map(rename) };
    }
  }
  return { graph: { nodes, initializers, inputs, outputs: graphOutputs }, feeds, outputNodes, locs, ops: order.map((n) => n.op), dtypes: new Set([...order, ...leaves].map((n) => n.dtype)) };
}

function scalarStorage(value: number, dtype: DType): TensorStorage {
  switch (dtype) {
    case 'float32': return Float32Array.of(value);
    case 'float64': return Float64Array.of(value);
    case 'int64': return BigInt64Array.of(BigInt(value));
    case 'bool': return Uint8Array.of(value ? 1 : 0);
  }
}

const ORT_TYPE: Record<DType, 'float32' | 'float64' | 'int64' | 'bool'> = { float32: 'float32', float64: 'float64', int64: 'int64', bool: 'bool' };
void ONNX_TYPE;

export interface RuntimeOptions {
  readonly device?: DeviceRequest;
  /** Sessions kept (least recently used are released). */
  readonly maxSessions?: number;
  /** Receives every model before it runs (tests check them with onnx.checker). */
  readonly onModel?: (model: Uint8Array) => void;
  /** Receives the IR ops lowered into each model (tests check that every op of the table is exercised). */
  readonly onLowered?: (ops: readonly string[]) => void;
  /**
   * A folder holding an existing install of the CUDA provider libraries (an unpacked NuGet package),
   * copied into onnxruntime-node on first use when it lacks them. Default: $NBCHECK_CUDA_PROVIDERS.
   */
  readonly cudaProviders?: string;
}

export class Runtime {
  private readonly values = new WeakMap<IRNode, TensorData>();
  private readonly sessions = new Map<string, Session>();
  private providers: DeviceName[];
  /** The device that ran the last model; undefined until something ran. */
  device: DeviceName | undefined;
  /** Why CUDA was not used, when it was tried and failed (said once). */
  fallbackReason: string | undefined;
  private cudaChecked = false;
  private webgpuChecked = false;
  /** Number of models run and sessions created (for tests and the benchmark). */
  runs = 0;
  sessionsCreated = 0;

  constructor(private readonly options: RuntimeOptions = {}) {
    const d = options.device ?? 'auto';
    // auto: CUDA, then WebGPU (a Vulkan-capable GPU through onnxruntime's bundled Dawn), then the CPU.
    this.providers = d === 'auto' ? ['cuda', 'webgpu', 'cpu'] : [d];
  }

  known(n: IRNode): TensorData | undefined {
    return n.data ?? this.values.get(n);
  }

  /** Concrete values of the nodes, running what is pending as one model. */
  async realize(nodes: readonly IRNode[]): Promise<TensorData[]> {
    const pending = nodes.filter((n) => !this.known(n));
    if (pending.length) {
      const { graph, feeds, outputNodes, locs, ops, dtypes } = lowerGraph(pending, (n) => this.known(n));
      this.options.onLowered?.(ops);
      const bytes = encodeModel(graph);
      this.options.onModel?.(bytes);
      // WebGPU computes in float32: a model with float64 values runs on the CPU, where float64 is exact.
      const session = await this.session(bytes, this.providers[0] === 'webgpu' && dtypes.has('float64'));
      const o = ort();
      const feedMap: Record<string, import('onnxruntime-node').Tensor> = {};
      graph.inputs.forEach((inp, k) => {
        const f = feeds[k] as TensorData;
        feedMap[inp.name] = new o.Tensor(ORT_TYPE[f.dtype], f.data as never, [...f.shape]);
      });
      let result: Record<string, import('onnxruntime-node').Tensor>;
      try {
        result = await session.run(feedMap);
      } catch (e) {
        throw mapOrtError(e, locs);
      }
      this.runs++;
      outputNodes.forEach((n, k) => {
        const t = result[`out${k}`];
        if (!t) throw new Error(`onnxruntime returned no out${k}`);
        this.values.set(n, { dtype: n.dtype, shape: n.shape, data: t.data as TensorStorage });
      });
    }
    return nodes.map((n) => this.known(n) as TensorData);
  }

  private async session(bytes: Uint8Array, cpuOnly = false): Promise<Session> {
    // The model's bytes are the key (models are small: leaves are inputs, not initializers): no hash to collide.
    const key = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
    const hit = this.sessions.get(key);
    if (hit) {
      this.sessions.delete(key);
      this.sessions.set(key, hit);
      return hit;
    }
    const o = ort();
    let session: Session | undefined;
    if (this.providers[0] === 'cuda' && !this.cudaChecked) {
      this.cudaChecked = true;
      let missing = missingCudaProviders();
      const from = this.options.cudaProviders ?? process.env['NBCHECK_CUDA_PROVIDERS'];
      if (missing && from) {
        const copied = useExistingProviders(from);
        missing = copied.ok ? undefined : `${missing}, and ${copied.message}`;
      }
      // Asking onnxruntime for CUDA without its provider libraries costs a failed dlopen (~60 ms): skip it.
      if (missing && (this.options.device ?? 'auto') === 'auto') {
        this.fallbackReason = missing;
        this.providers.shift();
      } else if (missing) throw new DeviceError(`CUDA is not available: ${missing}; ${CUDA_HELP}`);
    }
    if (this.providers[0] === 'webgpu' && !this.webgpuChecked) {
      this.webgpuChecked = true;
      // On Linux onnxruntime's WebGPU (Dawn) runs on Vulkan; without its loader Dawn only prints a warning and fails.
      const noVulkan = process.platform === 'linux' && !vulkanLoaderFound() ? 'WebGPU needs Vulkan, and libvulkan.so.1 is not installed' : undefined;
      if (noVulkan && (this.options.device ?? 'auto') === 'auto') {
        this.fallbackReason = this.fallbackReason ? `${this.fallbackReason}; ${noVulkan}` : noVulkan;
        this.providers.shift();
      } else if (noVulkan) throw new DeviceError(`WebGPU is not available: ${noVulkan}`);
    }
    while (!session) {
      const provider = cpuOnly ? 'cpu' : (this.providers[0] as DeviceName);
      try {
        session = await o.InferenceSession.create(bytes, {
          executionProviders: [provider],
          logSeverityLevel: 4,
          // Models here are small and run a few times; 'basic' (constant folding, redundant-node removal)
          // builds sessions several times faster than 'all' and runs them as fast.
          graphOptimizationLevel: 'basic',
        });
        // The device a check reports is the GPU's when any of its models ran there.
        if (!cpuOnly || !this.device) this.device = provider;
      } catch (e) {
        const message = e instanceof Error ? e.message : String(e);
        const why = provider === 'cuda' ? cudaFailure(message) : provider === 'webgpu' ? webgpuFailure(message) : undefined;
        if (why && (this.options.device ?? 'auto') === 'auto') {
          this.fallbackReason = this.fallbackReason ? `${this.fallbackReason}; ${why}` : why;
          this.providers.shift();
          continue;
        }
        if (provider === 'cuda') throw new DeviceError(`CUDA is not available: ${why}; ${CUDA_HELP}`);
        if (provider === 'webgpu') throw new DeviceError(`WebGPU is not available: ${why}`);
        throw e;
      }
    }
    this.sessionsCreated++;
    this.sessions.set(key, session);
    const max = this.options.maxSessions ?? 64;
    while (this.sessions.size > max) {
      const [oldKey, old] = this.sessions.entries().next().value as [string, Session];
      this.sessions.delete(oldKey);
      void old.release();
    }
    return session;
  }

  /** Decides the device by running a one-node model (cached like any other). */
  async probe(): Promise<void> {
    const x = { id: -1, op: 'Data', inputs: [], attrs: {}, shape: [], dtype: 'float32' as DType, data: { dtype: 'float32' as DType, shape: [], data: Float32Array.of(1) } };
    const y = { id: -2, op: 'Neg', inputs: [x], attrs: {}, shape: [], dtype: 'float32' as DType };
    await this.realize([y]);
  }

  async dispose(): Promise<void> {
    const all = [...this.sessions.values()];
    this.sessions.clear();
    await Promise.all(all.map((s) => s.release()));
  }
}

/** Why CUDA cannot load, when its provider libraries are not installed; undefined when they are. */
function missingCudaProviders(): string | undefined {
  try {
    if (cudaProvidersInstalled()) return undefined;
    return `onnxruntime-node's CUDA provider is not installed: libonnxruntime_providers_cuda.so is not in ${ortBinaryFolder()}`;
  } catch {
    return undefined;
  }
}

/** The libraries the installed CUDA provider needs that the dynamic loader cannot find (by `ldd`), or none. */
function unresolvedProviderLibraries(): string[] {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { spawnSync } = require('node:child_process') as typeof import('node:child_process');
    const r = spawnSync('ldd', [`${ortBinaryFolder()}/libonnxruntime_providers_cuda.so`], { encoding: 'utf8', timeout: 15_000 });
    return [...(r.stdout ?? '').matchAll(/^\s*(\S+) => not found/gm)].map((m) => m[1] as string);
  } catch {
    return [];
  }
}

/** A one-line reason from onnxruntime's WebGPU failure ("no WebGPU adapter: …"). */
function webgpuFailure(message: string): string {
  if (/Failed to get a WebGPU adapter/.test(message)) return `WebGPU found no GPU adapter (${/Failed to get a WebGPU adapter: ([^\n]*)/.exec(message)?.[1]?.trim().slice(0, 160) ?? 'none'})`;
  return `WebGPU failed: ${message.split('\n')[0]?.replace(/^\S+\.cc:\d+ \S+ /, '').slice(0, 200) ?? 'unknown error'}`;
}

/** A one-line reason from onnxruntime's CUDA failure. */
function cudaFailure(message: string): string {
  const lib = /Failed to load library (\S+?) with error: ([^\n]*)/.exec(message);
  if (lib) return `onnxruntime could not load ${lib[1]?.split('/').pop()} (${(lib[2] ?? '').split(': ').pop()?.trim()})`;
  if (/Failed to load shared library/.test(message)) {
    const missing = unresolvedProviderLibraries();
    return missing.length ? `onnxruntime could not load its CUDA provider: ${missing.join(', ')} not found (\`nbcheck doctor\` says where nbcheck looked)` : 'onnxruntime could not load its CUDA provider library';
  }
  return message.split('\n')[0]?.slice(0, 200) ?? 'unknown error';
}

function mapOrtError(e: unknown, locs: Map<string, SourceLoc>): Error {
  const message = e instanceof Error ? e.message : String(e);
  const name = /Name:'([^']*)'/.exec(message)?.[1];
  const status = (/Status Message: ([^\n]*)/.exec(message)?.[1] ?? message.split('\n')[0] ?? message).replace(/^\S+\.cc:\d+ \S+ /, '').trim();
  const loc = name ? locs.get(name) : undefined;
  // Gather/GatherElements/GatherND with an index computed at run time: PyTorch's IndexError.
  const bounds = /indices element out of data bounds, idx=(-?\d+) must be within the inclusive range \[(-?\d+),(-?\d+)\]/.exec(status) ?? /index (-?\d+) is out of bounds|out of bounds/.exec(status);
  if (bounds) return new EngineRuntimeError(`index out of range in self (index ${bounds[1] ?? '?'}${bounds[3] !== undefined ? `, size ${Number(bounds[3]) + 1}` : ''})`, loc, 'IndexError');
  return new EngineRuntimeError(status, loc);
}
