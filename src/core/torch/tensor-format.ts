/** A tensor's values as Python sees them: one element as a Python scalar, the whole as PyTorch's repr. */
import type { TensorData } from '../engine/dtype';
import type { PyValue } from '../python/values';

/** A tensor's value as a Python scalar. */
export function toPython(d: TensorData, i: number): PyValue {
  const v = d.data[i] as number | bigint;
  if (d.dtype === 'bool') return v !== 0;
  if (d.dtype === 'int64') return v as bigint;
  return Number(v);
}

/** PyTorch-like repr: `tensor([[ 0.1000, -2.0000]])`, `tensor(3)`, `tensor([True, False])`. */
/** PyTorch's repr of a tensor; `autograd` is its `requires_grad=True` or `grad_fn=<...>` part, if any. */
export function formatTensor(d: TensorData, autograd?: string): string {
  const n = d.data.length;
  const values = Array.from({ length: n }, (_, i) => toPython(d, i));
  let fmt: (v: PyValue) => string;
  if (d.dtype === 'bool') fmt = (v) => (v ? 'True' : 'False');
  else if (d.dtype === 'int64') fmt = (v) => String(v);
  else {
    const nums = values.map(Number).filter(Number.isFinite);
    const ints = nums.every((x) => Number.isInteger(x));
    const maxAbs = Math.max(0, ...nums.map(Math.abs));
    const minAbs = Math.min(...nums.filter((x) => x !== 0).map(Math.abs));
    const sci = nums.length > 0 && (maxAbs >= 1e8 || (Number.isFinite(minAbs) && (minAbs < 1e-4 || maxAbs / minAbs > 1000)) ) && !ints;
    fmt = (v) => {
      const x = Number(v);
      if (Number.isNaN(x)) return 'nan';
      if (!Number.isFinite(x)) return x > 0 ? 'inf' : '-inf';
      if (ints && maxAbs < 1e8) return `${x.toFixed(0)}.`;
      if (sci) {
        const [m, e] = x.toExponential(4).split('e') as [string, string];
        return `${m}e${e[0]}${e.slice(1).padStart(2, '0')}`;
      }
      return x.toFixed(4);
    };
  }
  const texts = values.map(fmt);
  const width = Math.max(0, ...texts.map((s) => s.length));
  const pad = (s: string): string => s.padStart(width);
  const shape = d.shape;
  // As torch/_tensor_str.py: 80 columns; a row of a vector holds as many elements as fit after its indent
  // ("tensor(" and one column per nesting level).
  const LINE = 80;
  const render = (offset: number, depth: number): string => {
    const indent = 7 + depth;
    const size = shape[depth] as number;
    if (depth === shape.length - 1) {
      const perLine = Math.max(1, Math.floor((LINE - indent) / (width + 2)));
      const lines: string[] = [];
      for (let i = 0; i < size; i += perLine) {
        lines.push(texts.slice(offset + i, offset + Math.min(size, i + perLine)).map(pad).join(', '));
      }
      return `[${lines.join(`,\n${' '.repeat(indent + 1)}`)}]`;
    }
    const stride = shape.slice(depth + 1).reduce((a, b) => a * b, 1);
    const inner = Array.from({ length: size }, (_, i) => render(offset + i * stride, depth + 1));
    return `[${inner.join(`,${'\n'.repeat(shape.length - depth - 1)}${' '.repeat(indent + 1)}`)}]`;
  };
  const suffixes: string[] = [];
  let body: string;
  if (n === 0) {
    if (shape.length !== 1) suffixes.push(`size=(${shape.join(', ')}${shape.length === 1 ? ',' : ''})`);
    if (d.dtype !== 'float32') suffixes.push(`dtype=torch.${d.dtype}`);
    body = '[]';
  } else {
    if (d.dtype === 'float64') suffixes.push('dtype=torch.float64');
    body = shape.length === 0 ? (texts[0] ?? '') : render(0, 0);
  }
  if (autograd) suffixes.push(autograd);
  // Suffixes go on the last line while it stays within 80 columns, else on a line of their own.
  let out = `tensor(${body}`;
  let last = out.length - out.lastIndexOf('\n') + 1;
  for (const suffix of suffixes) {
    if (last + suffix.length + 2 > LINE) {
      out += `,\n${' '.repeat(7)}${suffix}`;
      last = 7 + suffix.length;
    } else {
      out += `, ${suffix}`;
      last += suffix.length + 2;
    }
  }
  return `${out})`;
}
