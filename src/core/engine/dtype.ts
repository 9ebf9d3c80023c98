/** Tensor element types, their storage, and PyTorch 1.13's type promotion. */

export type DType = 'bool' | 'int64' | 'float32' | 'float64';

export type TensorStorage = Float32Array | Float64Array | BigInt64Array | Uint8Array;

/** Concrete tensor contents, row-major. */
export interface TensorData {
  readonly dtype: DType;
  readonly shape: readonly number[];
  readonly data: TensorStorage;
}

/** PyTorch's spelling of a dtype (`torch.float32`) and its short names in error messages. */
export const TORCH_NAME: Record<DType, string> = { bool: 'torch.bool', int64: 'torch.int64', float32: 'torch.float32', float64: 'torch.float64' };
export const SCALAR_NAME: Record<DType, string> = { bool: 'Bool', int64: 'Long', float32: 'Float', float64: 'Double' };

/** ONNX TensorProto.DataType numbers. */
export const ONNX_TYPE: Record<DType, number> = { float32: 1, int64: 7, bool: 9, float64: 11 };

export function isFloat(d: DType): boolean {
  return d === 'float32' || d === 'float64';
}

export function category(d: DType): 0 | 1 | 2 {
  return d === 'bool' ? 0 : d === 'int64' ? 1 : 2;
}

/** The promotion lattice bool < int64 < float32 < float64 (enough for the dtypes supported). */
export function promote(a: DType, b: DType): DType {
  const order: DType[] = ['bool', 'int64', 'float32', 'float64'];
  return order[Math.max(order.indexOf(a), order.indexOf(b))] as DType;
}

export function numel(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

export function allocate(dtype: DType, n: number): TensorStorage {
  switch (dtype) {
    case 'float32': return new Float32Array(n);
    case 'float64': return new Float64Array(n);
    case 'int64': return new BigInt64Array(n);
    case 'bool': return new Uint8Array(n);
  }
}

/** Storage from JS numbers (ints must be integral; bools 0/1). */
export function storageFrom(dtype: DType, values: ArrayLike<number | bigint | boolean>): TensorStorage {
  const out = allocate(dtype, values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i] as number | bigint | boolean;
    if (dtype === 'int64') (out as BigInt64Array)[i] = typeof v === 'bigint' ? v : BigInt(Math.trunc(Number(v)));
    else if (dtype === 'bool') (out as Uint8Array)[i] = v ? 1 : 0;
    else (out as Float32Array)[i] = Number(v);
  }
  return out;
}

/** Element i as a JS value: number for floats, bigint for int64, boolean for bool. */
export function elementAt(t: TensorData, i: number): number | bigint | boolean {
  const v = t.data[i] as number | bigint;
  if (t.dtype === 'bool') return v !== 0;
  return v;
}

/** Element i as a JS number (ints converted). */
export function numberAt(t: TensorData, i: number): number {
  return Number(t.data[i] as number | bigint);
}

/**
 * Operands of an elementwise op as PyTorch's result_type sees them: tensors with dimensions, zero-dim
 * tensors, and Python numbers ("wrapped numbers"), each group taking part only when it is of a higher
 * category than the groups above it.
 */
export type Operand = { readonly kind: 'tensor'; readonly dtype: DType; readonly rank: number } | { readonly kind: 'scalar'; readonly dtype: DType };

export function resultType(operands: readonly Operand[]): DType {
  let dim: DType | undefined;
  let zero: DType | undefined;
  let wrapped: DType | undefined;
  const join = (acc: DType | undefined, d: DType): DType => (acc ? promote(acc, d) : d);
  for (const o of operands) {
    if (o.kind === 'scalar') wrapped = join(wrapped, isFloat(o.dtype) ? 'float32' : o.dtype);
    else if (o.rank === 0) zero = join(zero, o.dtype);
    else dim = join(dim, o.dtype);
  }
  return combine(dim, combine(zero, wrapped)) ?? 'float32';
}

function combine(higher: DType | undefined, lower: DType | undefined): DType | undefined {
  if (!higher) return lower;
  if (!lower) return higher;
  if (isFloat(higher)) return higher;
  if (higher === 'bool' || isFloat(lower)) return promote(higher, lower);
  return higher;
}
