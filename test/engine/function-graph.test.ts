/**
 * Functions written in LaTeX: the graph nbcheck builds computes the function as written (compared with a
 * hand-written PyTorch formula), and the engine's values, forward-mode tangents, reverse-mode adjoints and
 * Jacobian at random points match PyTorch's autograd and forward AD (float64) node by node. Also the CLI
 * `nbcheck graph` on Question 3's function at points it has not seen.
 */
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { Runtime } from '../../src/core/engine/runtime';
import { FunctionSyntaxError, functionGraph, type FunctionGraph, type FunctionNode } from '../../src/core/math/function-graph';
import { differentiateFunction, type FunctionDerivatives } from '../../src/core/run/function-ad';
import { CLI, REVISED_EXAMPLE } from '../helpers';
import { Rng, runOracle, skipWithoutOracle, type Outcome } from './oracle';

const Q3 = 'f(x,y) = (x^2\\sin(xy+\\frac{\\pi}{2}), x^2\\ln(1+xy))';

/** LaTeX, and the same function in PyTorch (of tensors x, y) to check the graph computes what is written. */
const FUNCTIONS: [string, string][] = [
  [Q3, 'torch.stack([x**2 * torch.sin(x*y + math.pi/2), x**2 * torch.log(1 + x*y)])'],
  ['f(x,y) = (\\sqrt{x^2 + y^2}, e^{-xy}\\cos(y))', 'torch.stack([torch.sqrt(x**2 + y**2), torch.exp(-x*y) * torch.cos(y)])'],
  ['f(x,y) = \\tan(x) - \\frac{y}{x} + 3x^3', 'torch.tan(x) - y/x + 3*x**3'],
  ['f(x,y) = (\\ln(x)\\sin(y), \\frac{1}{2}xy^2 - 4)', 'torch.stack([torch.log(x)*torch.sin(y), 0.5*x*y**2 - 4])'],
];

const TORCH: Record<FunctionNode['op'], (a: string, b: string) => string> = {
  input: () => '',
  const: () => '',
  add: (a, b) => `${a} + ${b}`,
  mul: (a, b) => `${a} * ${b}`,
  square: (a) => `${a} ** 2`,
  sqrt: (a) => `torch.sqrt(${a})`,
  exp: (a) => `torch.exp(${a})`,
  ln: (a) => `torch.log(${a})`,
  sin: (a) => `torch.sin(${a})`,
  cos: (a) => `torch.cos(${a})`,
  tan: (a) => `torch.tan(${a})`,
  reciprocal: (a) => `1 / ${a}`,
  pow: (a, b) => `${a} ** ${b}`,
};

/** A PyTorch program computing the graph node by node: values, each node's tangent per variable (forward AD), each output's adjoints. */
function oracleProgram(g: FunctionGraph, point: Record<string, number>, formula: string): string {
  const lines = ['import math', 'import torch', 'import torch.autograd.forward_ad as fwAD'];
  const t = (v: number): string => `torch.tensor(${v.toPrecision(17)}, dtype=torch.float64)`;
  const body = (prefix: string, input: (v: string) => string): string[] =>
    g.nodes.map((n) => {
      const name = `${prefix}${n.id}`;
      if (n.op === 'input') return `${name} = ${input(n.id)}`;
      if (n.op === 'const') return `${name} = ${t(n.value as number)}`;
      return `${name} = ${TORCH[n.op](`${prefix}${n.inputs[0]}`, `${prefix}${n.inputs[1] ?? ''}`)}`;
    });
  lines.push(...body('', (v) => `${t(point[v] as number)}.requires_grad_()`));
  const live = g.nodes.filter((n) => n.op !== 'const');
  lines.push(`values = torch.stack([${g.nodes.map((n) => n.id).join(', ')}])`);
  g.outputs.forEach((o, i) => {
    lines.push(`adj${i} = torch.stack([g if g is not None else torch.tensor(0.0, dtype=torch.float64) for g in torch.autograd.grad(${o}, [${live.map((n) => n.id).join(', ')}], retain_graph=True, allow_unused=True)])`);
  });
  g.variables.forEach((v, j) => {
    lines.push('with fwAD.dual_level():');
    lines.push(...body(`d_`, (w) => (w === v ? `fwAD.make_dual(${t(point[w] as number)}, ${t(1)})` : t(point[w] as number))).map((l) => `    ${l}`));
    lines.push(`    tan${j} = torch.stack([${live.map((n) => `(fwAD.unpack_dual(d_${n.id}).tangent if fwAD.unpack_dual(d_${n.id}).tangent is not None else torch.tensor(0.0, dtype=torch.float64))`).join(', ')}])`);
  });
  lines.push(`x, y = ${t(point['x'] ?? 0)}, ${t(point['y'] ?? 0)}`);
  lines.push(`direct = (${formula}).reshape(-1)`);
  lines.push(`written = torch.stack([${g.outputs.join(', ')}]).detach()`);
  return `${lines.join('\n')}\n`;
}

const near = (a: number, b: number): boolean => Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(b));

describe('function graphs: values, tangents and adjoints against PyTorch (float64)', function () {
  this.timeout(120_000);
  const runtime = new Runtime({ device: 'cpu' });
  after(() => runtime.dispose());
  const r = new Rng(7);
  const cases: { id: string; g: FunctionGraph; point: Record<string, number>; program: string }[] = [];
  for (const [tex, formula] of FUNCTIONS) {
    const g = functionGraph(tex);
    for (let k = 0; k < 3; k++) {
      const point = { x: 0.3 + 1.2 * r.next(), y: 0.3 + 1.2 * r.next() };
      cases.push({ id: `${tex} at (${point.x.toFixed(3)}, ${point.y.toFixed(3)})`, g, point, program: oracleProgram(g, point, formula) });
    }
  }
  let theirs: Record<string, Outcome> = {};
  const ours = new Map<string, FunctionDerivatives>();
  before(async function () {
    skipWithoutOracle(this);
    theirs = runOracle(cases.map((c) => ({ id: c.id, source: c.program })));
    for (const c of cases) ours.set(c.id, await differentiateFunction(c.g, c.point, runtime));
  });

  for (const c of cases) {
    it(c.id, () => {
      const want = theirs[c.id];
      assert.ok(want && 'variables' in want, JSON.stringify(want));
      const v = (name: string): number[] => (want.variables[name]?.data ?? []).map(Number);
      const got = ours.get(c.id) as FunctionDerivatives;
      // The graph computes the function as written.
      v('written').forEach((w, i) => assert.ok(near(w, v('direct')[i] as number), `output ${i}: graph ${w} vs formula ${v('direct')[i]}`));
      c.g.nodes.forEach((n, k) => assert.ok(near(got.values[n.id] as number, v('values')[k] as number), `value of ${n.id}`));
      const live = c.g.nodes.filter((n) => n.op !== 'const');
      c.g.variables.forEach((x, j) =>
        live.forEach((n, k) => assert.ok(near(got.forward[x]?.[n.id] ?? 0, v(`tan${j}`)[k] as number), `tangent of ${n.id} along ${x}: ${got.forward[x]?.[n.id]} vs ${v(`tan${j}`)[k]}`)),
      );
      c.g.outputs.forEach((o, i) =>
        live.forEach((n, k) => assert.ok(near(got.reverse[o]?.[n.id] ?? 0, v(`adj${i}`)[k] as number), `adjoint of ${n.id} for output ${i}`)),
      );
      // The Jacobian from forward mode equals the one from reverse mode.
      c.g.outputs.forEach((o, i) => c.g.variables.forEach((x, j) => assert.ok(near((got.jacobian[i] as number[])[j] as number, got.reverse[o]?.[x] ?? 0))));
    });
  }

  it('Question 3\'s graph uses only the atomic units, shares x² and xy, and names its constants', () => {
    const g = functionGraph(Q3);
    assert.deepEqual(g.nodes.map((n) => n.op), ['input', 'input', 'square', 'mul', 'const', 'add', 'sin', 'mul', 'const', 'add', 'ln', 'mul']);
    assert.deepEqual(g.outputs, ['v5', 'v8']);
    assert.equal(g.nodes.find((n) => n.id === 'c1')?.value, Math.PI / 2);
  });

  it('says what is wrong with LaTeX it cannot draw', () => {
    assert.throws(() => functionGraph('\\frac{x}{'), (e: Error) => e instanceof FunctionSyntaxError && /does not parse/.test(e.message));
    assert.throws(() => functionGraph('\\arcsin(x) + y'), (e: Error) => e instanceof FunctionSyntaxError && /not one of the atomic units/.test(e.message));
  });
});

describe('nbcheck graph', function () {
  this.timeout(60_000);
  const cli = (...args: string[]): { status: number | null; stdout: string; stderr: string } => spawnSync(process.execPath, [CLI, 'graph', ...args], { encoding: 'utf8' });

  it('gives Question 3\'s exact Jacobian at points it has not seen, in the JSON contract', () => {
    const r = new Rng(11);
    for (let k = 0; k < 3; k++) {
      const x = 0.2 + 2 * r.next();
      const y = -0.3 + r.next();
      const out = cli('--expr', Q3, '--at', `x=${x},y=${y}`);
      assert.equal(out.status, 0, out.stderr);
      const j = JSON.parse(out.stdout) as { nodes: { id: string; op: string; inputs: string[]; value: number }[]; outputs: string[]; jacobian: number[][]; forward: Record<string, Record<string, number>>; reverse: Record<string, Record<string, number>> };
      const want = [
        [2 * x * Math.cos(x * y) - x * x * y * Math.sin(x * y), -(x ** 3) * Math.sin(x * y)],
        [2 * x * Math.log(1 + x * y) + (x * x * y) / (1 + x * y), x ** 3 / (1 + x * y)],
      ];
      want.forEach((row, i) => row.forEach((w, c) => assert.ok(near((j.jacobian[i] as number[])[c] as number, w), `J[${i}][${c}] = ${(j.jacobian[i] as number[])[c]} vs ${w}`)));
      assert.deepEqual(Object.keys(j.forward), ['x', 'y']);
      assert.deepEqual(Object.keys(j.reverse), j.outputs);
      assert.ok(j.nodes.every((n) => typeof n.id === 'string' && typeof n.op === 'string' && Array.isArray(n.inputs) && typeof n.value === 'number'));
      assert.ok(near(j.forward['y']?.[j.outputs[1] as string] as number, (want[1] as number[])[1] as number));
    }
  });

  it('writes SVG (laid out, one group per node) and DOT', () => {
    const svg = cli('--expr', Q3, '--at', 'x=1,y=2', '--format', 'svg');
    assert.equal(svg.status, 0, svg.stderr);
    assert.match(svg.stdout, /^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg" width="\d+" height="\d+"/);
    assert.equal((svg.stdout.match(/<g class="node/g) ?? []).length, 12);
    assert.equal((svg.stdout.match(/<path class="edge"/g) ?? []).length, 13);
    const dot = cli('--expr', Q3, '--at', 'x=1,y=2', '--format', 'dot');
    assert.equal(dot.status, 0);
    assert.match(dot.stdout, /^digraph computation \{/);
    assert.match(dot.stdout, /"v2" -> "v3";/);
  });

  it('--notebook --cell: a code cell\'s traced graph (the model as one node, one node per call), with values and the loss\'s adjoints', () => {
    const out = cli('--notebook', REVISED_EXAMPLE, '--cell', '9');
    assert.equal(out.status, 0, out.stderr);
    const j = JSON.parse(out.stdout) as { nodes: { id: string; op: string; inputs: string[]; shape: number[]; value?: number[]; adjoint?: number[] }[]; outputs: Record<string, string>; nodeCount: { inputs: number; modules: number; operations: number; total: number }; packInputs: boolean };
    assert.deepEqual(j.nodes.map((n) => [n.id, n.op, n.inputs]), [['x', 'input', []], ['y', 'input', []], ['n1', 'Sequential', ['x']], ['n2', 'log_softmax', ['n1']], ['n3', 'gather', ['n2', 'y']], ['n4', 'mean', ['n3']], ['n5', 'neg', ['n4']]]);
    assert.deepEqual(j.nodeCount, { inputs: 2, modules: 1, operations: 4, total: 7 });
    assert.equal(j.packInputs, true);
    const loss = j.nodes.find((n) => n.id === j.outputs['loss']);
    assert.deepEqual(loss?.adjoint, [1]);
    // d loss / d (mean) = -1; the gathered log-probabilities each get -1/B.
    assert.deepEqual(j.nodes.find((n) => n.id === 'n4')?.adjoint, [-1]);
    assert.ok(j.nodes.find((n) => n.id === 'n3')?.adjoint?.every((a) => Math.abs(a + 1 / 4) < 1e-6));
    const dot = cli('--notebook', REVISED_EXAMPLE, '--cell', '9', '--format', 'dot');
    assert.match(dot.stdout, /"n1" -> "n2";/);
    const md = cli('--notebook', REVISED_EXAMPLE, '--cell', '0');
    assert.equal(md.status, 2);
    assert.match(md.stderr, /cell 0: it is a markdown cell; a graph is traced from a code cell/);
  });

  it('bad input: a clear message and exit 2, never a stack trace', () => {
    const cases: [string[], RegExp][] = [
      [['--expr', '\\frac{x}{', '--at', 'x=1'], /^nbcheck: --expr: the LaTeX does not parse/],
      [['--expr', 'x + y', '--at', 'x=1'], /^nbcheck: --at gives no value for y/],
      [['--expr', '\\ln(x)', '--at', 'x=-1'], /^nbcheck: the function is not defined at x=-1: v1 = \\ln\(x\) is NaN/],
      [['--expr', 'x', '--at', 'x=one'], /^nbcheck: --at: "one" is not a number/],
      [['--at', 'x=1'], /graph takes either --expr/],
      [['--notebook', 'nope.ipynb', '--cell', '3'], /nope\.ipynb/],
    ];
    for (const [args, message] of cases) {
      const out = cli(...args);
      assert.equal(out.status, 2, `${args.join(' ')}: ${out.stdout}`);
      assert.match(out.stderr, message);
      assert.doesNotMatch(out.stderr, /\n\s+at /);
    }
  });
});
