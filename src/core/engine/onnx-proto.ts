/**
 * A minimal protobuf writer for the parts of onnx.proto that nbcheck emits: ModelProto, GraphProto,
 * NodeProto, AttributeProto, TensorProto and ValueInfoProto (field numbers from onnx/onnx.proto).
 */
import type { DType, TensorStorage } from './dtype';
import { ONNX_TYPE } from './dtype';

/**
 * Appends protobuf fields. Nested messages are kept as the writers they are (their lengths are known
 * when written), so encoding copies each byte once, in `finish()`.
 */
class Writer {
  private readonly parts: (Uint8Array | Writer)[] = [];
  private scratch: number[] = [];
  private length = 0;

  private flush(): void {
    if (this.scratch.length) {
      this.parts.push(Uint8Array.from(this.scratch));
      this.scratch = [];
    }
  }
  private byte(b: number): void {
    this.scratch.push(b);
    this.length++;
  }
  varint(v: number | bigint): void {
    if (typeof v === 'number' && v >= 0 && v < 2 ** 31) {
      let x = v;
      while (x >= 0x80) {
        this.byte((x & 0x7f) | 0x80);
        x >>>= 7;
      }
      this.byte(x);
      return;
    }
    let x = BigInt.asUintN(64, BigInt(v));
    while (x >= 0x80n) {
      this.byte(Number(x & 0x7fn) | 0x80);
      x >>= 7n;
    }
    this.byte(Number(x));
  }
  tag(field: number, wire: number): void {
    this.varint((field << 3) | wire);
  }
  int(field: number, v: number | bigint): void {
    this.tag(field, 0);
    this.varint(v);
  }
  bytes(field: number, b: Uint8Array): void {
    this.tag(field, 2);
    this.varint(b.length);
    this.flush();
    this.parts.push(b);
    this.length += b.length;
  }
  string(field: number, s: string): void {
    this.bytes(field, new TextEncoder().encode(s));
  }
  message(field: number, m: Writer): void {
    this.tag(field, 2);
    this.varint(m.length);
    this.flush();
    this.parts.push(m);
    this.length += m.length;
  }
  float(field: number, v: number): void {
    this.tag(field, 5);
    for (const x of new Uint8Array(new Float32Array([v]).buffer)) this.byte(x);
  }
  finish(): Uint8Array {
    const out = new Uint8Array(this.length);
    this.writeInto(out, 0);
    return out;
  }
  private writeInto(out: Uint8Array, at: number): number {
    this.flush();
    let pos = at;
    for (const p of this.parts) {
      if (p instanceof Writer) pos = p.writeInto(out, pos);
      else {
        out.set(p, pos);
        pos += p.length;
      }
    }
    return pos;
  }
}

export type AttrValue = number | bigint | readonly number[] | string | { readonly float: number } | { readonly floats: readonly number[] };

export interface OnnxNode {
  readonly op: string;
  readonly inputs: readonly string[];
  readonly outputs: readonly string[];
  readonly name: string;
  readonly attrs?: Readonly<Record<string, AttrValue>>;
}

export interface OnnxInitializer {
  readonly name: string;
  readonly dtype: DType;
  readonly shape: readonly number[];
  readonly data: TensorStorage;
}

export interface OnnxValueInfo {
  readonly name: string;
  readonly dtype: DType;
  readonly shape: readonly number[];
}

export interface OnnxGraph {
  readonly nodes: readonly OnnxNode[];
  readonly initializers: readonly OnnxInitializer[];
  readonly inputs: readonly OnnxValueInfo[];
  readonly outputs: readonly OnnxValueInfo[];
}

export const OPSET = 17;
export const IR_VERSION = 8;

function attribute(name: string, v: AttrValue): Writer {
  const w = new Writer();
  w.string(1, name);
  if (typeof v === 'number' || typeof v === 'bigint') {
    w.int(3, v);
    w.int(20, 2);
  } else if (typeof v === 'string') {
    w.string(4, v);
    w.int(20, 3);
  } else if (Array.isArray(v)) {
    for (const x of v as readonly number[]) w.int(8, x);
    w.int(20, 7);
  } else if ('float' in (v as object)) {
    w.float(2, (v as { float: number }).float);
    w.int(20, 1);
  } else {
    for (const x of (v as { floats: readonly number[] }).floats) w.float(7, x);
    w.int(20, 6);
  }
  return w;
}

function valueInfo(v: OnnxValueInfo): Writer {
  const dims = new Writer();
  for (const d of v.shape) {
    const dim = new Writer();
    dim.int(1, d);
    dims.message(1, dim);
  }
  const tensorType = new Writer();
  tensorType.int(1, ONNX_TYPE[v.dtype]);
  tensorType.message(2, dims);
  const type = new Writer();
  type.message(1, tensorType);
  const w = new Writer();
  w.string(1, v.name);
  w.message(2, type);
  return w;
}

function tensor(t: OnnxInitializer): Writer {
  const w = new Writer();
  for (const d of t.shape) w.int(1, d);
  w.int(2, ONNX_TYPE[t.dtype]);
  w.string(8, t.name);
  w.bytes(9, new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength));
  return w;
}

/** Serialises a graph as an ONNX ModelProto (IR 8, default-domain opset 17). */
export function encodeModel(g: OnnxGraph): Uint8Array {
  const graph = new Writer();
  for (const n of g.nodes) {
    const node = new Writer();
    for (const i of n.inputs) node.string(1, i);
    for (const o of n.outputs) node.string(2, o);
    node.string(3, n.name);
    node.string(4, n.op);
    for (const [k, v] of Object.entries(n.attrs ?? {})) node.message(5, attribute(k, v));
    graph.message(1, node);
  }
  graph.string(2, 'nbcheck');
  for (const t of g.initializers) graph.message(5, tensor(t));
  for (const i of g.inputs) graph.message(11, valueInfo(i));
  for (const o of g.outputs) graph.message(12, valueInfo(o));
  const opset = new Writer();
  opset.string(1, '');
  opset.int(2, OPSET);
  const model = new Writer();
  model.int(1, IR_VERSION);
  model.string(2, 'nbcheck');
  model.message(7, graph);
  model.message(8, opset);
  return model.finish();
}
