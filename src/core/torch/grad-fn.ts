/**
 * The `grad_fn=<...>` PyTorch prints for a tensor autograd computed: the name of the backward node of
 * the operation that made it, as PyTorch 1.13 names it. Derived from the IR node's API and op; undefined
 * (nothing printed) where nbcheck cannot tell the name PyTorch would show.
 */
import type { IRNode } from '../engine/ir';

const BY_API: Readonly<Record<string, string>> = {
  '+': 'AddBackward0', add: 'AddBackward0', '*': 'MulBackward0', mul: 'MulBackward0',
  'unary -': 'NegBackward0', neg: 'NegBackward0',
  exp: 'ExpBackward0', log: 'LogBackward0', sqrt: 'SqrtBackward0', rsqrt: 'RsqrtBackward0', reciprocal: 'ReciprocalBackward0',
  tanh: 'TanhBackward0', Tanh: 'TanhBackward0', sigmoid: 'SigmoidBackward0', Sigmoid: 'SigmoidBackward0',
  relu: 'ReluBackward0', ReLU: 'ReluBackward0', abs: 'AbsBackward0', sin: 'SinBackward0', cos: 'CosBackward0', square: 'PowBackward0',
  softmax: 'SoftmaxBackward0', Softmax: 'SoftmaxBackward0', log_softmax: 'LogSoftmaxBackward0', LogSoftmax: 'LogSoftmaxBackward0',
  cross_entropy: 'NllLossBackward0', CrossEntropyLoss: 'NllLossBackward0', nll_loss: 'NllLossBackward0', NLLLoss: 'NllLossBackward0',
  mse_loss: 'MseLossBackward0', MSELoss: 'MseLossBackward0',
  gather: 'GatherBackward0', index_select: 'IndexSelectBackward0',
  view: 'ViewBackward0', reshape: 'ReshapeAliasBackward0', t: 'TBackward0', transpose: 'TransposeBackward0', permute: 'PermuteBackward0',
  unsqueeze: 'UnsqueezeBackward0', cat: 'CatBackward0', stack: 'StackBackward0', expand: 'ExpandBackward0', repeat: 'RepeatBackward0',
  where: 'WhereBackward0', clone: 'CloneBackward0', logsumexp: 'LogsumexpBackward0', prod: 'ProdBackward0',
  flip: 'FlipBackward0', roll: 'RollBackward0', narrow: 'SliceBackward0', split: 'SplitBackward0', chunk: 'SplitBackward0', unbind: 'UnbindBackward0',
  hstack: 'CatBackward0', vstack: 'CatBackward0', tile: 'RepeatBackward0', sort: 'SortBackward0', 'sort.stable': 'SortBackward1', topk: 'TopkBackward0',
  cumsum: 'CumsumBackward0', cumprod: 'CumprodBackward0', scatter_add: 'ScatterAddBackward0', linalg_norm: 'LinalgVectorNormBackward0', scatter: 'ScatterBackward0', 'scatter.value': 'ScatterBackward1', index_add: 'IndexAddBackward0',
  mm: 'MmBackward0', dot: 'DotBackward0', mv: 'MvBackward0', bmm: 'BmmBackward0', double: 'ToCopyBackward0',
};

/** A Python number operand: a 0-d constant made by the same call as the node. */
function isNumber(i: IRNode | undefined, n: IRNode): boolean {
  return !!i && i.op === 'Data' && i.shape.length === 0 && !!i.loc && !!n.loc && i.loc.row === n.loc.row && i.loc.column === n.loc.column && i.loc.endColumn === n.loc.endColumn && i.loc.endRow === n.loc.endRow;
}

/** Through casts of the operands (promotion), the node's operand `k`. */
function operand(n: IRNode, k: number): IRNode | undefined {
  const i = n.inputs[k];
  return i && i.op === 'Cast' ? i.inputs[0] : i;
}

const allAxes = (n: IRNode): boolean => {
  const input = n.inputs[0];
  const axes = n.attrs.axes as readonly number[] | undefined;
  return !!input && !n.attrs.keepdims && !!axes && axes.length === input.shape.length;
};

export function gradFnName(n: IRNode): string | undefined {
  // A write through a view or an index (`h[0] = 0`): the base's new version.
  if (n.op === 'ScatterND' || (n.op === 'Reshape' && n.inputs[0]?.op === 'ScatterND')) return 'CopySlices';
  // A layer's forward (`Linear.forward`) is named by its layer.
  const api = n.api?.replace(/\.forward$/, '');
  if (!api) return undefined;
  const simple = BY_API[api];
  if (simple) return simple;
  switch (api) {
    case '-':
    case 'sub':
      return isNumber(operand(n, 0), n) ? 'RsubBackward1' : n.op === 'Sub' ? 'SubBackward0' : undefined;
    case '/':
    case 'div':
      return isNumber(operand(n, 0), n) ? 'MulBackward0' : n.op === 'Div' ? 'DivBackward0' : undefined;
    case '**':
    case 'pow':
      return n.op !== 'Pow' ? undefined : isNumber(operand(n, 1), n) && !isNumber(operand(n, 0), n) ? 'PowBackward0' : 'PowBackward1';
    case 'sum':
      return n.op === 'ReduceSum' ? (allAxes(n) ? 'SumBackward0' : 'SumBackward1') : undefined;
    case 'mean':
      return n.op === 'ReduceMean' ? (allAxes(n) ? 'MeanBackward0' : 'MeanBackward1') : undefined;
    case 'median':
      return n.op === 'ReduceMax' ? 'MedianBackward0' : n.op === 'GatherElements' || n.inputs[0]?.op === 'GatherElements' ? 'MedianBackward1' : undefined;
    case 'max':
    case 'min':
      return n.op === 'ReduceMax' || n.op === 'ReduceMin' ? `${api === 'max' ? 'Max' : 'Min'}Backward${allAxes(n) ? 1 : 0}` : undefined;
    case '@':
    case 'matmul':
      return n.op === 'MatMul' && n.inputs.every((i) => i.shape.length === 2) ? 'MmBackward0' : undefined;
    case 'Linear':
    case 'linear': {
      const mm = n.op === 'Add' ? n.inputs.find((i) => i.op === 'MatMul') : n;
      if (!mm || mm.op !== 'MatMul' || !mm.inputs.every((i) => i.shape.length === 2)) return undefined;
      return n.op === 'Add' ? 'AddmmBackward0' : 'MmBackward0';
    }
    case '[]':
      if (n.op === 'Slice') return 'SliceBackward0';
      if (n.op === 'Gather') return n.inputs[1]?.shape.length === 0 ? 'SelectBackward0' : 'IndexBackward0';
      if (n.op === 'GatherND') return 'IndexBackward0';
      return undefined;
    default:
      return undefined;
  }
}
