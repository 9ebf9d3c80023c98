/**
 * Reverse-mode gradients of the IR (src/core/engine/autodiff.ts) against PyTorch's autograd (Debian's
 * python3-torch): random inputs, a random cotangent, every derivative rule exercised, values compared at
 * rtol 1e-5 / atol 1e-6 (float32) after the gradient graph is lowered to ONNX and run by onnxruntime; and
 * the same programs in float64 against central differences.
 */
import { strict as assert } from 'node:assert';
import { GRADIENT_ONLY_OPS, JVP_OPS, MissingDerivative, RULE_OPS, gradients, tangents } from '../../src/core/engine/autodiff';
import type { TensorData } from '../../src/core/engine/dtype';
import { apply, dataNode, type IRNode } from '../../src/core/engine/ir';
import { Runtime } from '../../src/core/engine/runtime';
import { runProgram } from '../../src/core/run/program';
import { Tensor } from '../../src/core/torch/tensor';
import type { Exported, Outcome } from './oracle';
import { Rng, checkModels, itMatchesPyTorch, randomShape, recordingRuntime, runOracle, skipWithoutOracle, tensorLiteral as T } from './oracle';

const HEAD = 'import torch\nimport torch.nn.functional as F\n';

interface GradCase {
  readonly id: string;
  /** Defines the inputs (float tensors named in `wrt`, and any others). */
  readonly setup: string;
  /** Computes `y` from them. */
  readonly expr: string;
  readonly wrt: readonly string[];
  /** Smooth at the inputs (no kink, tie or step there), so that finite differences apply. */
  readonly smooth: boolean;
}

function generate(seed = 7): GradCase[] {
  const r = new Rng(seed);
  const cases: GradCase[] = [];
  const add = (id: string, setup: string, expr: string, wrt: string[] = ['x'], smooth = true): void => {
    cases.push({ id: `${id}#${cases.length}`, setup, expr, wrt, smooth });
  };
  const x = (shape: number[], kind: 'float' | 'pos' | 'float64' = 'float'): string => `x = torch.tensor(${T(r, shape, kind)}${kind === 'float64' ? ', dtype=torch.float64' : ''})\n`;
  for (const fn of ['neg', 'exp', 'log', 'sqrt', 'sin', 'cos', 'tanh', 'sigmoid', 'relu', 'abs', 'reciprocal', 'floor', 'ceil', 'sign', 'square', 'rsqrt']) {
    for (let k = 0; k < 2; k++) {
      const positive = ['log', 'sqrt', 'reciprocal', 'rsqrt'].includes(fn);
      add(`unary ${fn}`, x(randomShape(r, 0, 3), positive ? 'pos' : k ? 'float64' : 'float'), `y = torch.${fn}(x)\n`);
    }
  }
  for (const o of ['+', '-', '*', '/']) {
    for (let k = 0; k < 3; k++) {
      const sa = randomShape(r, 1, 3);
      const sb = sa.slice(r.int(0, sa.length)).map((d) => (r.bool(0.3) ? 1 : d));
      add(`binary ${o} (broadcast)`, `${x(sa)}w = torch.tensor(${T(r, sb, o === '/' ? 'pos' : 'float')})\n`, `y = x ${o} w\n`, ['x', 'w']);
    }
  }
  add('pow, both operands', `x = torch.tensor(${T(r, [2, 3], 'pos')})\nw = torch.tensor(${T(r, [3], 'unit')})\n`, 'y = x ** w\n', ['x', 'w']);
  add('pow, number exponent', x([4], 'pos'), 'y = x ** 3 + 2 ** x\n');
  add('maximum/minimum with ties', 'x = torch.tensor([1.0, 2.0, 3.0, -1.0])\nw = torch.tensor([1.0, 0.5, 4.0, -1.0])\n', 'y = torch.maximum(x, w) * 2 + torch.minimum(x, w)\n', ['x', 'w'], false);
  add('where', `${x([3, 4])}w = torch.tensor(${T(r, [4], 'float')})\n`, 'y = torch.where(x > 0, x * 3, w)\n', ['x', 'w']);
  for (let k = 0; k < 3; k++) {
    const s = randomShape(r, 2, 3);
    const d = r.int(0, s.length - 1);
    add('sum over a dim', x(s), `y = x.sum(dim=${d}, keepdim=${r.bool() ? 'True' : 'False'})\n`);
    add('mean over a dim', x(s), `y = x.mean(${d})\n`);
    add('full sum and mean', x(s), 'y = x.sum() + x.mean()\n');
    add('max, min over a dim and logsumexp', x(s), `y = x.max(dim=${d})[0] + x.min(${d}).values + torch.logsumexp(x, dim=${d})\n`);
    add('softmax', x(s), `y = F.softmax(x, dim=${d})\n`);
    add('log_softmax', x(s), `y = F.log_softmax(x, dim=${d})\n`);
  }
  add('max of all (one maximum)', 'x = torch.tensor([[0.5, 3.0], [-1.0, 2.0]], dtype=torch.float32)\n', 'y = x.max()\n');
  add('matmul 2-D', `${x([3, 4])}w = torch.tensor(${T(r, [4, 2], 'float')})\n`, 'y = x @ w\n', ['x', 'w']);
  add('matmul vector-matrix', `${x([4])}w = torch.tensor(${T(r, [4, 2], 'float')})\n`, 'y = x @ w\n', ['x', 'w']);
  add('matmul matrix-vector', `${x([3, 4])}w = torch.tensor(${T(r, [4], 'float')})\n`, 'y = torch.matmul(x, w)\n', ['x', 'w']);
  add('matmul vector-vector', `${x([4])}w = torch.tensor(${T(r, [4], 'float')})\n`, 'y = torch.matmul(x, w)\n', ['x', 'w']);
  add('matmul batched, broadcast', `${x([2, 3, 4])}w = torch.tensor(${T(r, [4, 5], 'float')})\n`, 'y = x @ w\n', ['x', 'w']);
  add('bmm', `${x([2, 3, 4])}w = torch.tensor(${T(r, [2, 4, 2], 'float')})\n`, 'y = torch.bmm(x, w)\n', ['x', 'w']);
  add('view, permute, transpose', x([2, 3, 4]), 'y = x.view(6, 4).t().reshape(2, 2, 6).permute(2, 0, 1)\n');
  add('expand and repeat', x([3, 1]), 'y = x.expand(3, 4) * 2 + x.repeat(2, 3).sum()\n');
  add('cat and stack', `${x([2, 3])}w = torch.tensor(${T(r, [1, 3], 'float')})\n`, 'y = torch.cat([x, w, x], dim=0) * torch.stack([w[0], w[0], w[0], w[0], w[0]])[:, :1]\n', ['x', 'w']);
  add('slices with steps', x([4, 5]), 'y = x[1:, ::2] * 3 + x[:2, 1:4].sum()\n');
  add('index_select with repeats', x([4, 3]), 'y = torch.index_select(x, 0, torch.tensor([2, 0, 2, 3]))\n');
  add('index_select on dim 1', x([2, 4, 3]), 'y = x.index_select(1, torch.tensor([3, 3, 1]))\n');
  add('gather', x([3, 4]), 'y = x.gather(1, torch.tensor([[0, 0], [3, 1], [2, 2]]))\n');
  add('advanced indexing', x([4, 3]), 'y = x[torch.tensor([1, 1, 3]), torch.tensor([0, 2, 2])]\n');
  add('assignment into a copy', `${x([3, 4])}w = torch.tensor(${T(r, [4], 'float')})\n`, 'z = x.clone()\nz[1] = w\ny = z * z\n', ['x', 'w']);
  add('cross-entropy by hand (the seed\'s intent)', `${x([4, 3])}labels = torch.tensor([2, 0, 1, 2])\n`, 'y = -torch.mean(F.log_softmax(x, dim=1).gather(1, labels.view(-1, 1)))\n');
  add('F.cross_entropy', `${x([5, 4])}labels = torch.tensor([3, 0, 1, 1, 2])\n`, 'y = F.cross_entropy(x, labels)\n');
  add('a linear layer with mse', `${x([3, 4])}w = torch.tensor(${T(r, [2, 4], 'float')})\nb = torch.tensor(${T(r, [2], 'float')})\nt = torch.tensor(${T(r, [3, 2], 'float')})\n`, 'y = F.mse_loss(F.linear(x, w, b), t)\n', ['x', 'w', 'b']);
  // Scaled so that tanh does not saturate: there 1 - tanh² cancels, and the last-bit difference between
  // onnxruntime's tanh and PyTorch's becomes a relative error of 1e-3 in either's gradient.
  add('a small MLP', `${x([4, 3])}w = torch.tensor(${T(r, [3, 5], 'float')})\nv = torch.tensor(${T(r, [5, 2], 'float')})\n`, 'y = torch.tanh(torch.relu(x @ w) @ v * 0.1).pow(2).sum()\n', ['x', 'w', 'v']);
  // Not in the float64 reruns: nbcheck's erf is float32 only (gelu of a float64 tensor is 'not supported').
  add('F.gelu (erf)', x([3, 4]), 'y = F.gelu(x)\n', ['x'], false);
  add('float64 chain', x([3, 2], 'float64'), 'y = torch.exp(torch.sin(x) * x).sum(dim=1)\n');
  add('casts and a copy', x([2, 3]), 'y = x.double().clone() * 2 + x.to(torch.float64)\n');
  add('norms', x([3, 4]), 'y = x.norm(dim=1) * 2 + x.norm() + torch.norm(x, dim=0, keepdim=True).sum()\n');
  add('prod, of all and over a dim', x([3, 4]), 'y = x.prod() * x + x.prod(1, keepdim=True) + x.prod(0)\n');
  add('prod with a zero', 'x = torch.tensor([[2.0, 0.0, 3.0], [1.5, -1.0, 0.5]])\n', 'y = x.prod(1) + x.prod()\n', ['x'], false);
  add('cumsum and cumprod', x([3, 4]), 'y = x.cumsum(1) * 2 + x.cumprod(0) + x.cumsum(0, dtype=torch.float64)\n');
  add('scatter and scatter_add', `${x([2, 3])}w = torch.tensor(${T(r, [3, 4], 'float')})\n`, 'i = torch.tensor([[0, 1, 2], [2, 0, 1]])\ny = w.scatter(0, i, x) * 2 + w.scatter_add(1, i, x) + w.index_add(0, torch.tensor([2, 0]), x[:, :1].expand(2, 4) * 1)\n', ['x', 'w']);
  // A gradient taken with create_graph=True, differentiated again: the gradients' own ops (scatters) get rules too.
  add('a gradient through an index, differentiated again', x([4]), 'x.requires_grad_()\ny = torch.autograd.grad((x[torch.tensor([0, 2, 2])] ** 3).sum(), x, create_graph=True)[0] * 1.5\n');
  add('a gradient through gather, differentiated again', x([2, 3]), 'x.requires_grad_()\ny = torch.autograd.grad((x.gather(1, torch.tensor([[0, 2], [1, 1]])) ** 3).sum(), x, create_graph=True)[0] * 1.5\n');
  add('a gradient through advanced indexing, differentiated again', x([3, 3]), 'x.requires_grad_()\ny = torch.autograd.grad((x[torch.tensor([0, 2]), torch.tensor([1, 1])] ** 3).sum(), x, create_graph=True)[0] * 1.5\n');
  // Convolutions (float32 only, so no central differences): strides, padding, dilation, groups; and a
  // gradient through one differentiated again (the transposed convolution's own rules).
  for (const [cin, cout, k, rest, size] of [[2, 3, 3, '', [5, 6]], [2, 4, 3, ', stride=2, padding=1, groups=2', [7, 6]], [4, 2, 2, ', stride=2, padding=1, dilation=2, groups=2', [8, 9]], [1, 2, '(2, 3)', ', stride=(2, 1), padding=(1, 0)', [6, 5]]] as const) {
    const conv = `torch.manual_seed(${cases.length})\nconv = torch.nn.Conv2d(${cin}, ${cout}, ${k}${rest})\n`;
    add(`conv2d ${cin}→${cout}, kernel ${k}${rest}`, `${conv}${x([2, cin, ...size])}`, 'y = conv(x)\n', ['x'], false);
  }
  add('a gradient through conv2d, differentiated again', `torch.manual_seed(1)\nconv = torch.nn.Conv2d(2, 2, 3, stride=2, padding=1)\n${x([1, 2, 5, 5])}`, 'x.requires_grad_()\ny = torch.autograd.grad((conv(x) ** 2).sum(), x, create_graph=True)[0] * 1.5\n', ['x'], false);
  return cases;
}

const SEED_LINE = 'g = torch.linspace(-1.5, 2.0, y.numel()).reshape(y.shape).to(y.dtype)\n';

function exported(t: TensorData): Exported {
  return { dtype: t.dtype, shape: [...t.shape], data: Array.from(t.data as ArrayLike<number>, (v) => Number(v)) };
}

const cases = generate();

describe('autodiff: reverse-mode gradients against PyTorch', function () {
  this.timeout(120_000);
  const ours = new Map<string, Outcome>();
  const applied = new Set<string>();
  const { runtime, models, lowered } = recordingRuntime();
  let theirs: Record<string, Outcome> = {};

  before(async function () {
    skipWithoutOracle(this);
    for (const c of cases) {
      const run = await runProgram(HEAD + c.setup + c.expr + SEED_LINE, { runtime });
      assert.equal(run.problem, undefined, `${c.id}: ${run.problem?.message}`);
      const node = (name: string): Tensor => {
        const v = run.globals.vars.get(name);
        assert.ok(v instanceof Tensor, `${c.id}: ${name} is a tensor`);
        return v;
      };
      const y = node('y').node;
      const collect = (n: typeof y): void => {
        applied.add(n.op);
        n.inputs.forEach(collect);
      };
      collect(y);
      const grads = gradients([y], [node('g').node], c.wrt.map((n) => node(n).node));
      assert.ok(grads.every((g) => g), `${c.id}: every input gets a gradient`);
      const values = await runtime.realize(grads as NonNullable<(typeof grads)[number]>[]);
      ours.set(c.id, { variables: Object.fromEntries(c.wrt.map((n, k) => [`grad_${n}`, exported(values[k] as TensorData)])) });
    }
    await runtime.dispose();
    theirs = runOracle(
      cases.map((c) => ({
        id: c.id,
        source: `${HEAD}${c.setup}${c.wrt.map((n) => `${n}.requires_grad_()\n`).join('')}${c.expr}${SEED_LINE}` +
          `${c.wrt.map((n) => `grad_${n}`).join(', ')}, = torch.autograd.grad(y, [${c.wrt.join(', ')}], grad_outputs=g)\n` +
          `del ${['x', 'y', 'g', ...c.wrt.filter((n) => n !== 'x')].join(', ')}\n` +
          // Only the gradients are compared: drop every other name the program bound.
          `for _k in [k for k in list(globals()) if not k.startswith('grad_') and not k.startswith('__') and k not in ('torch', 'F')]: del globals()[_k]\n`,
      })),
    );
  });

  for (const c of cases) itMatchesPyTorch(c.id, `${c.setup}${c.expr}`, ours, () => theirs);

  it('every derivative rule is exercised, and the gradient-only ops are lowered', () => {
    assert.deepEqual(RULE_OPS.filter((op) => !applied.has(op)), []);
    assert.deepEqual(GRADIENT_ONLY_OPS.filter((op) => !lowered.has(op)), []);
  });

  it('every gradient model passes onnx.checker (IR 8, opset 17)', () => {
    assert.ok(models.length >= cases.length, `models were emitted (${models.length})`);
    assert.deepEqual(checkModels(models), []);
  });

  it('an op with no derivative rule is an error naming it', () => {
    // No surface function makes a float Mod (x % y is composed of ops with rules): the IR is built here.
    const x = dataNode({ dtype: 'float32', shape: [3], data: new Float32Array([1.5, -2.5, 3]) });
    const y = apply('ReduceSum', [apply('Mod', [x, dataNode({ dtype: 'float32', shape: [], data: new Float32Array([2]) })])], { axes: [0], keepdims: false });
    assert.throws(() => gradients([y], [y], [x]), (e: unknown) => e instanceof MissingDerivative && /Mod/.test(e.message));
  });
});

/** The graph of `n` with some nodes replaced (new nodes; the original graph is immutable). */
function rebuild(n: IRNode, replace: ReadonlyMap<number, IRNode>, memo = new Map<number, IRNode>()): IRNode {
  const r = replace.get(n.id) ?? memo.get(n.id);
  if (r) return r;
  const out = n.inputs.length ? apply(n.op, n.inputs.map((i) => rebuild(i, replace, memo)), n.attrs) : n;
  memo.set(n.id, out);
  return out;
}

describe('autodiff: reverse-mode gradients against central differences in float64', function () {
  this.timeout(180_000);
  const smooth = cases.filter((c) => c.smooth);

  it(`agree on the ${smooth.length} smooth programs above, run in float64`, async () => {
    const runtime = new Runtime({ device: 'cpu' });
    const failures: string[] = [];
    let compared = 0;
    try {
      for (const c of smooth) {
        const run = await runProgram(HEAD + (c.setup + c.expr).replace(/dtype=torch\.float32/g, 'dtype=torch.float64') + SEED_LINE, { runtime });
        assert.equal(run.problem, undefined, `${c.id}: ${run.problem?.message}`);
        const node = (name: string): IRNode => (run.globals.vars.get(name) as Tensor).node;
        const [y, g] = [node('y'), node('g')];
        assert.equal(y.dtype, 'float64', c.id);
        const inputs = c.wrt.map(node);
        const analytic = await runtime.realize(gradients([y], [g], inputs) as IRNode[]);
        const values = await runtime.realize(inputs);
        // f(inputs) = <g, y>, perturbed one element at a time, both ways; one model per program.
        const objective = (replace: Map<number, IRNode>): IRNode => apply('ReduceSum', [apply('Mul', [rebuild(y, replace), g])], { axes: y.shape.map((_, i) => i), keepdims: false });
        const probes: { k: number; i: number; eps: number }[] = [];
        const outputs: IRNode[] = [];
        values.forEach((v, k) => {
          for (let i = 0; i < v.data.length; i++) {
            const x0 = Number(v.data[i]);
            const eps = 1e-6 * Math.max(1, Math.abs(x0));
            for (const sign of [1, -1]) {
              const data = Float64Array.from(v.data as Float64Array);
              data[i] = x0 + sign * eps;
              outputs.push(objective(new Map([[(inputs[k] as IRNode).id, dataNode({ dtype: 'float64', shape: v.shape, data })]])));
            }
            probes.push({ k, i, eps });
          }
        });
        const f = await runtime.realize(outputs);
        probes.forEach(({ k, i, eps }, p) => {
          const fd = (Number((f[2 * p] as TensorData).data[0]) - Number((f[2 * p + 1] as TensorData).data[0])) / (2 * eps);
          const a = Number((analytic[k] as TensorData).data[i]);
          compared++;
          if (Math.abs(fd - a) > 1e-6 + 1e-6 * Math.abs(a)) failures.push(`${c.id}: d/d${c.wrt[k]}[${i}] analytic ${a}, central difference ${fd}`);
        });
      }
    } finally {
      await runtime.dispose();
    }
    assert.deepEqual(failures, []);
    assert.ok(compared > 500, `elements compared: ${compared}`);
  });
});

/** `t_x = ...`: a direction for each differentiated input, the same in nbcheck and in PyTorch. */
const directionLines = (wrt: readonly string[]): string => wrt.map((n) => `t_${n} = torch.linspace(-1.0, 1.3, ${n}.numel()).reshape(${n}.shape).to(${n}.dtype)\n`).join('');

describe('autodiff: forward-mode tangents against PyTorch and central differences', function () {
  this.timeout(180_000);
  const ours = new Map<string, Outcome>();
  const applied = new Set<string>();
  const { runtime, models } = recordingRuntime();
  let theirs: Record<string, Outcome> = {};
  const fd: string[] = [];

  before(async function () {
    skipWithoutOracle(this);
    for (const c of cases) {
      const run = await runProgram(HEAD + c.setup + c.expr + directionLines(c.wrt), { runtime });
      assert.equal(run.problem, undefined, `${c.id}: ${run.problem?.message}`);
      const node = (name: string): IRNode => (run.globals.vars.get(name) as Tensor).node;
      const y = node('y');
      const visit = (n: IRNode): void => {
        applied.add(n.op);
        n.inputs.forEach(visit);
      };
      visit(y);
      const [ty] = tangents([y], c.wrt.map(node), c.wrt.map((n) => node(`t_${n}`)));
      assert.ok(ty, `${c.id}: y depends on the inputs`);
      const [value] = await runtime.realize([ty]);
      ours.set(`jvp: ${c.id}`, { variables: { jy: exported(value as TensorData) } });
    }
    // The same directional derivatives by central differences, in float64, for the smooth programs.
    for (const c of cases.filter((k) => k.smooth)) {
      const run = await runProgram(HEAD + (c.setup + c.expr).replace(/dtype=torch\.float32/g, 'dtype=torch.float64') + directionLines(c.wrt), { runtime });
      assert.equal(run.problem, undefined, `${c.id}: ${run.problem?.message}`);
      const node = (name: string): IRNode => (run.globals.vars.get(name) as Tensor).node;
      const y = node('y');
      const inputs = c.wrt.map(node);
      const [ty] = tangents([y], inputs, c.wrt.map((n) => node(`t_${n}`)));
      const values = await runtime.realize([...inputs, ...c.wrt.map((n) => node(`t_${n}`))]);
      const eps = 1e-6;
      const moved = (sign: number): IRNode =>
        rebuild(y, new Map(inputs.map((n, k) => {
          const v = values[k] as TensorData;
          const t = values[k + inputs.length] as TensorData;
          const data = Float64Array.from(v.data as Float64Array, (x, i) => x + sign * eps * Number(t.data[i]));
          return [n.id, dataNode({ dtype: 'float64', shape: v.shape, data })];
        })));
      const [exact, plus, minus] = await runtime.realize([ty as IRNode, moved(1), moved(-1)]);
      for (let i = 0; i < (exact as TensorData).data.length; i++) {
        const a = Number((exact as TensorData).data[i]);
        const f = (Number((plus as TensorData).data[i]) - Number((minus as TensorData).data[i])) / (2 * eps);
        if (Math.abs(f - a) > 1e-6 + 1e-6 * Math.abs(a)) fd.push(`${c.id}: jvp[${i}] ${a}, central difference ${f}`);
      }
    }
    await runtime.dispose();
    theirs = runOracle(
      cases.map((c) => ({
        id: `jvp: ${c.id}`,
        source: `${HEAD}${c.setup}def _f(${c.wrt.join(', ')}):\n${c.expr.trim().split('\n').map((l) => `    ${l}`).join('\n')}\n    return y\n${directionLines(c.wrt)}` +
          `_, jy = torch.autograd.functional.jvp(_f, (${c.wrt.join(', ')},), (${c.wrt.map((n) => `t_${n}`).join(', ')},))\n` +
          `for _k in [k for k in list(globals()) if k != 'jy' and not k.startswith('__') and k not in ('torch', 'F')]: del globals()[_k]\n`,
      })),
    );
  });

  for (const c of cases) itMatchesPyTorch(`jvp: ${c.id}`, `${c.setup}${c.expr}`, ours, () => theirs);

  it('every forward-mode rule is exercised, every model passes onnx.checker, central differences agree', () => {
    assert.deepEqual(JVP_OPS.filter((op) => !applied.has(op)), []);
    assert.deepEqual(checkModels(models), []);
    assert.deepEqual(fd, []);
  });
});
