/**
 * PyTorch's autograd over nbcheck's IR: `tensor.backward()`, `torch.autograd.grad`, and the graph
 * freeing behind "Trying to backward through the graph a second time". Which nodes require grad and which
 * tensors are leaves is kept by the TorchContext; the derivatives come from engine/autodiff.
 */
import { MissingDerivative, SAVES_VALUES, gradients, savesInput, tangents } from '../engine/autodiff';
import { SCALAR_NAME, isFloat } from '../engine/dtype';
import type { IRNode, SourceLoc } from '../engine/ir';
import { nextNodeId } from '../engine/ir';
import type { PyValue } from '../python/values';
import { HostValue, PyBuiltin, PyError, PyList, PyModule, PyNamedTuple, PyTuple, Unsupported } from '../python/values';
import { bind, boolArg, signature, typeError, type Bound } from './args';
import { Tensor as TensorClass, type Tensor, type TorchContext } from './tensor';

const SECOND_BACKWARD =
  'Trying to backward through the graph a second time (or directly access saved tensors after they have already been freed). Saved intermediate values of the graph are freed when you call .backward() or autograd.grad(). Specify retain_graph=True if you need to backward through the graph a second time or if you need to access saved tensors after calling backward.';

const VIEW_OPS: ReadonlySet<string> = new Set(['Transpose', 'Reshape', 'Unsqueeze', 'Squeeze', 'Expand', 'Slice', 'Identity']);
/** Ops whose backward reads their own output (PyTorch saves the result). */
const SAVES_OUTPUT: ReadonlySet<string> = new Set(['Exp', 'Tanh', 'Sigmoid', 'Sqrt', 'Softmax', 'LogSoftmax', 'Relu', 'Reciprocal']);

const size = (shape: readonly number[]): string => `torch.Size([${shape.join(', ')}])`;

/** The recorded graph behind `outputs`: the nodes that require grad, reached through nodes that do. */
function recorded(ctx: TorchContext, outputs: readonly IRNode[]): IRNode[] {
  const seen = new Set<number>();
  const out: IRNode[] = [];
  const walk = (n: IRNode): void => {
    if (seen.has(n.id) || !ctx.requiring.has(n)) return;
    seen.add(n.id);
    out.push(n);
    // A leaf is where recording starts, even one updated in place (under no_grad) from earlier values.
    if (!ctx.leaves.has(n)) n.inputs.forEach(walk);
  };
  outputs.forEach(walk);
  return out;
}

/**
 * The gradients of `outputs` (seeded by `gradOutputs`, or ones for scalars) with respect to `wrt`, with
 * PyTorch's checks and errors; frees the graph's saved values unless `retainGraph`.
 */
function differentiate(ctx: TorchContext, outputs: readonly Tensor[], gradOutputs: readonly (Tensor | null)[], wrt: (graph: IRNode[]) => IRNode[], retainGraph: boolean, loc: SourceLoc | undefined, createGraph = false): { nodes: IRNode[]; grads: (IRNode | undefined)[] } {
  const first = nextNodeId();
  const seeds = outputs.map((o, k) => {
    if (!o.requiresGrad) throw new PyError('RuntimeError', `element ${k} of tensors does not require grad and does not have a grad_fn`);
    const g = gradOutputs[k];
    if (g) {
      if (g.shape.length !== o.shape.length || g.shape.some((d, i) => d !== o.shape[i])) {
        throw new PyError('RuntimeError', `Mismatch in shape: grad_output[${k}] has a shape of ${size(g.shape)} and output[${k}] has a shape of ${size(o.shape)}.`);
      }
      return ctx.cast(g.node, o.dtype);
    }
    if (o.shape.reduce((a, b) => a * b, 1) !== 1) throw new PyError('RuntimeError', 'grad can be implicitly created only for scalar outputs');
    return ctx.reshape(ctx.scalar(1, o.dtype), o.shape);
  });
  const graph = recorded(ctx, outputs.map((o) => o.node));
  const freed = graph.filter((n) => ctx.freed.has(n) && SAVES_VALUES.has(n.op));
  if (freed.length) {
    const freedAt = [...new Set(freed.map((n) => ctx.freed.get(n)))].filter((l): l is SourceLoc => !!l);
    ctx.observer?.refused?.({ loc, freedAt });
    throw new PyError('RuntimeError', SECOND_BACKWARD);
  }
  // Saved values whose storage was written since they were read: PyTorch's version-counter error (or, for
  // writes through .data that PyTorch's counter does not see, a backward nbcheck cannot run as PyTorch would).
  const stale = (x: IRNode): void => {
    let y = x;
    while (!ctx.versions.has(y) && VIEW_OPS.has(y.op) && y.inputs[0]) y = y.inputs[0];
    const v = ctx.versions.get(y);
    if (!v || v.writes === v.storage.writes) return;
    if (v.version !== v.storage.version) {
      throw new PyError('RuntimeError', `one of the variables needed for gradient computation has been modified by an inplace operation: [torch.${SCALAR_NAME[x.dtype]}Tensor [${x.shape.join(', ')}]] is at version ${v.storage.version}; expected version ${v.version} instead. Hint: enable anomaly detection to find the operation that failed to compute its gradient, with torch.autograd.set_detect_anomaly(True).`);
    }
    throw new Unsupported('a backward pass through values changed through .data after they were used (PyTorch would use the new values)');
  };
  for (const n of graph) {
    if (ctx.leaves.has(n)) continue;
    if (SAVES_OUTPUT.has(n.op)) stale(n);
    n.inputs.forEach((input, k) => {
      if (savesInput(n, k, (y) => ctx.requiring.has(y))) stale(input);
    });
  }
  const nodes = wrt(graph);
  let grads: (IRNode | undefined)[];
  try {
    grads = gradients(outputs.map((o) => o.node), seeds, nodes, (n) => ctx.requiring.has(n) && !ctx.leaves.has(n));
  } catch (e) {
    if (e instanceof MissingDerivative) throw new Unsupported(`a backward pass through ${e.op} (its derivative is not implemented in nbcheck yet)`);
    throw e;
  }
  if (!retainGraph && !ctx.keepGraphs) for (const n of graph) if (n.inputs.length && !ctx.freed.has(n)) ctx.freed.set(n, loc);
  if (createGraph && ctx.gradEnabled) recordGradientGraph(ctx, grads, first);
  for (const g of grads) if (g) ctx.checkSize(g.shape);
  return { nodes, grads };
}

/**
 * create_graph=True: the gradient's own nodes (ids from `first` on) are recorded by autograd like any
 * computation, so a gradient can be differentiated again: a node requires grad when one of its inputs does.
 */
function recordGradientGraph(ctx: TorchContext, grads: readonly (IRNode | undefined)[], first: number): void {
  const done = new Set<IRNode>();
  const stack: [IRNode, boolean][] = grads.filter((g): g is IRNode => !!g).map((g) => [g, false]);
  while (stack.length) {
    const [n, expanded] = stack.pop() as [IRNode, boolean];
    if (done.has(n) || n.id < first) continue;
    if (!expanded) {
      stack.push([n, true]);
      for (const i of n.inputs) if (!done.has(i) && i.id >= first) stack.push([i, false]);
      continue;
    }
    done.add(n);
    if (isFloat(n.dtype) && n.inputs.some((i) => ctx.requiring.has(i))) ctx.requiring.add(n);
  }
}

/** The leaf tensors the recorded graph behind `output` starts from (the parameters a loss depends on). */
export function leavesOf(ctx: TorchContext, output: Tensor): Tensor[] {
  return [...new Set(recorded(ctx, [output.node]).flatMap((n) => ctx.leaves.get(n) ?? []))];
}

/**
 * The gradient of a scalar `output` with respect to each of `leaves` (summed over the nodes a leaf had in
 * the graph), as IR, without PyTorch's checks and without freeing anything: for a harness that compares
 * what a program applied with what it should have. Undefined where the output does not depend on a leaf.
 */
export function leafGradients(ctx: TorchContext, output: Tensor, leaves: readonly Tensor[]): (IRNode | undefined)[] {
  const graph = recorded(ctx, [output.node]);
  const nodes = graph.filter((n) => leaves.includes(ctx.leaves.get(n) as Tensor));
  if (!nodes.length) return leaves.map(() => undefined);
  const seed = ctx.reshape(ctx.scalar(1, output.dtype), output.shape);
  const grads = gradients([output.node], [seed], nodes, (n) => ctx.requiring.has(n) && !ctx.leaves.has(n));
  return leaves.map((t) => {
    let sum: IRNode | undefined;
    nodes.forEach((n, k) => {
      const g = grads[k];
      if (g && ctx.leaves.get(n) === t) sum = sum ? ctx.op('Add', [sum, g]) : g;
    });
    return sum;
  });
}

/** `output.backward(gradient=None, retain_graph=None)`: accumulates into the `.grad` of the leaves. */
export function backward(ctx: TorchContext, output: Tensor, gradient: Tensor | null, retainGraph: boolean, loc: SourceLoc | undefined, createGraph = false): void {
  let leaves: Tensor[] = [];
  let nodes: IRNode[] = [];
  const { grads } = differentiate(ctx, [output], [gradient], (graph) => {
    nodes = graph.filter((n) => ctx.leaves.has(n));
    leaves = nodes.map((n) => ctx.leaves.get(n) as Tensor);
    return nodes;
  }, retainGraph, loc, createGraph);
  const added = new Map<Tensor, IRNode>();
  leaves.forEach((t, k) => {
    const g = grads[k];
    if (!g) return;
    added.set(t, added.has(t) ? ctx.op('Add', [added.get(t) as IRNode, g]) : g);
  });
  ctx.observer?.backward?.({ loc, added });
  if (createGraph) {
    // AccumulateGrad with create_graph: .grad is the recorded gradient (a sum out of place, itself recorded).
    added.forEach((g, t) => {
      t.grad = ctx.wrap(t.grad ? ctx.op('Add', [t.grad.node, ctx.cast(g, t.grad.dtype)]) : ctx.op('Identity', [g]));
    });
    return;
  }
  // As PyTorch's AccumulateGrad (grad mode off): a new .grad, or the sum written into the existing one.
  const saved = ctx.gradEnabled;
  ctx.gradEnabled = false;
  try {
    added.forEach((g, t) => {
      if (t.grad) t.grad.write(ctx.op('Add', [t.grad.node, ctx.cast(g, t.grad.dtype)]));
      else t.grad = ctx.wrap(ctx.detached(g));
    });
  } finally {
    ctx.gradEnabled = saved;
  }
}

/** `torch.autograd.grad(outputs, inputs, grad_outputs=None, retain_graph=None, allow_unused=False)`. */
export function grad(ctx: TorchContext, outputs: readonly Tensor[], inputs: readonly Tensor[], gradOutputs: readonly (Tensor | null)[], retainGraph: boolean, allowUnused: boolean, loc: SourceLoc | undefined, createGraph = false): (Tensor | null)[] {
  for (const t of inputs) if (!t.requiresGrad) throw new PyError('RuntimeError', 'One of the differentiated Tensors does not require grad');
  const { grads } = differentiate(ctx, outputs, gradOutputs, () => inputs.map((t) => t.node), retainGraph, loc, createGraph);
  return grads.map((g) => {
    if (g) return ctx.wrap(createGraph ? ctx.op('Identity', [g]) : ctx.detached(g));
    if (!allowUnused) throw new PyError('RuntimeError', 'One of the differentiated Tensors appears to not have been used in the graph. Set allow_unused=True if this is the desired behavior.');
    return null;
  });
}

// ---- the Python surface ---------------------------------------------------------------------------------

/** A tensor or a sequence of tensors (as torch.autograd.grad takes them), with PyTorch's error otherwise. */
function tensors(fn: string, b: Bound, name: string, allowNone = false): (Tensor | null)[] {
  const v = b.get(name);
  const items = v instanceof PyTuple || v instanceof PyList ? v.items : [v ?? null];
  return items.map((t) => {
    if (t instanceof TensorClass) return t;
    if (t === null && allowNone) return null;
    throw typeError(fn, b, name, 'Tensor', t);
  });
}

/** `tensor.backward(gradient=None, retain_graph=None, create_graph=False, inputs=None)`. */
export function backwardMethod(b: Bound, ctx: TorchContext): null {
  const t = b.get('input') as Tensor;
  const createGraph = boolArg('backward', b, 'create_graph', false);
  if (b.get('inputs') !== undefined && b.get('inputs') !== null) throw new Unsupported('backward(inputs=...)');
  const gradient = b.get('gradient');
  if (gradient !== undefined && gradient !== null && !(gradient instanceof TensorClass)) throw typeError('backward', b, 'gradient', 'Tensor', gradient);
  // retain_graph defaults to create_graph, as in PyTorch.
  backward(ctx, t, gradient ?? null, boolArg('backward', b, 'retain_graph', createGraph), ctx.meta.loc, createGraph);
  return null;
}

/** `torch.autograd`: `grad`, `backward` and `forward_ad` (given). */
export function autogradModule(ctx: TorchContext, forwardAd: PyModule): PyModule {
  const gradFn = new PyBuiltin('grad', (a, site) => {
    const b = bind('grad', signature('outputs, inputs, grad_outputs?, retain_graph?, create_graph?, only_inputs?, allow_unused?, is_grads_batched?'), a, { style: 'python' });
    const createGraph = boolArg('grad', b, 'create_graph', false);
    const outputs = tensors('grad', b, 'outputs') as Tensor[];
    const inputs = tensors('grad', b, 'inputs') as Tensor[];
    const seeds = b.get('grad_outputs') === undefined || b.get('grad_outputs') === null ? outputs.map(() => null) : tensors('grad', b, 'grad_outputs', true);
    return new PyTuple(grad(ctx, outputs, inputs, seeds, boolArg('grad', b, 'retain_graph', createGraph), boolArg('grad', b, 'allow_unused', false), ctx.locOf(site), createGraph));
  });
  const backwardFn = new PyBuiltin('backward', (a, site) => {
    const b = bind('backward', signature('tensors, grad_tensors?, retain_graph?, create_graph?, inputs?'), a, { style: 'python' });
    const outs = tensors('backward', b, 'tensors') as Tensor[];
    if (outs.length !== 1) throw new Unsupported('torch.autograd.backward of several tensors');
    const g = b.get('grad_tensors');
    const seeds = g === undefined || g === null ? [null] : tensors('backward', b, 'grad_tensors', true);
    backward(ctx, outs[0] as Tensor, seeds[0] ?? null, boolArg('backward', b, 'retain_graph', false), ctx.locOf(site));
    return null;
  });
  return new PyModule('torch.autograd', new Map<string, PyValue>([['grad', gradFn], ['backward', backwardFn], ['forward_ad', forwardAd]]));
}

// ---- forward mode: torch.autograd.forward_ad ------------------------------------------------------------

/** `with fwAD.dual_level():` — dual tensors live until the block ends. */
class DualLevel extends HostValue {
  constructor(private readonly ctx: TorchContext) {
    super();
  }
  override typeName(): string {
    return 'dual_level';
  }
  override getAttr(name: string): PyValue | undefined {
    const s = this.ctx.dual;
    if (name === '__enter__') {
      return new PyBuiltin('__enter__', () => {
        if (s.open) throw new Unsupported('nested forward-AD dual levels');
        s.open = true;
        return 0n;
      });
    }
    if (name === '__exit__') {
      return new PyBuiltin('__exit__', () => {
        s.open = false;
        s.tangents.clear();
        return null;
      });
    }
    return undefined;
  }
}

/** `torch.autograd.forward_ad`: dual_level, make_dual, unpack_dual (forward-mode AD by the engine's jvp rules). */
export function forwardAdModule(ctx: TorchContext): PyModule {
  const makeDual = new PyBuiltin('make_dual', (a) => {
    const b = bind('make_dual', signature('tensor, tangent, *, level?'), a, { style: 'python' });
    const [primal, tangent] = tensors('make_dual', b, 'tensor').concat(tensors('make_dual', b, 'tangent')) as [Tensor, Tensor];
    const s = ctx.dual;
    if (!s.open) throw new PyError('RuntimeError', 'Trying to create a dual Tensor for forward AD but no level exists, make sure to enter_dual_level() first.');
    if (!isFloat(primal.dtype)) throw new PyError('ValueError', `Expected primal to be floating point or complex, but got: torch.${primal.dtype === 'int64' ? 'int64' : primal.dtype}`);
    if (tangent.shape.length !== primal.shape.length || tangent.shape.some((d, i) => d !== primal.shape[i])) {
      throw new PyError('RuntimeError', `Trying to set a forward gradient that has a different size than that of the original Tensor, this is not supported. Tensor is of size [${primal.shape.join(', ')}] while the given forward gradient is of size [${tangent.shape.join(', ')}].`);
    }
    const node = ctx.detached(primal.node);
    s.tangents.set(node, ctx.cast(tangent.node, primal.dtype));
    return ctx.wrap(node);
  });
  const unpackDual = new PyBuiltin('unpack_dual', (a) => {
    const b = bind('unpack_dual', signature('tensor, *, level?'), a, { style: 'python' });
    const [t] = tensors('unpack_dual', b, 'tensor') as [Tensor];
    const s = ctx.dual;
    let tangent: Tensor | null = null;
    if (s.open && s.tangents.size) {
      try {
        const [n] = tangents([t.node], [...s.tangents.keys()], [...s.tangents.values()]);
        if (n) tangent = ctx.wrap(ctx.detached(n));
      } catch (e) {
        if (e instanceof MissingDerivative) throw new Unsupported(`forward-mode AD through ${e.op} (its derivative is not implemented in nbcheck yet)`);
        throw e;
      }
    }
    return new PyNamedTuple('UnpackedDualTensor', ['primal', 'tangent'], [ctx.wrap(ctx.detached(t.node)), tangent]);
  });
  return new PyModule('torch.autograd.forward_ad', new Map<string, PyValue>([
    ['dual_level', new PyBuiltin('dual_level', () => new DualLevel(ctx))],
    ['make_dual', makeDual],
    ['unpack_dual', unpackDual],
  ]));
}
