/**
 * Random programs over the functions of functions-surface.ts (flip, roll, split, sort, cumsum, scatter,
 * einsum, linalg.norm, ...): forward values, gradients through them (a weighted sum's backward, `x.grad`
 * compared), in-place forms writing through views, PyTorch's errors, and the random ones under a seed.
 * Seeded: the same cases every run.
 */
import type { Case } from './oracle';
import { Rng, randomShape, tensorLiteral as T } from './oracle';

const HEAD = 'import torch\n';

/** An expression of `x` (of shape `s`) whose value is a float tensor, or undefined where it does not apply. */
type Template = (r: Rng, s: readonly number[]) => string | undefined;

const dimOf = (r: Rng, s: readonly number[]): number => r.int(-s.length, s.length - 1);

const DIFFERENTIABLE: [string, Template][] = [
  ['flip', (r, s) => (s.length ? `torch.flip(x, [${dimOf(r, s)}])` : undefined)],
  ['flip all dims', (_r, s) => `x.flip(${s.map((_, i) => i).join(', ')})`],
  ['roll flat', (r) => `torch.roll(x, ${r.int(-5, 5)})`],
  ['roll dims', (r, s) => (s.length ? `x.roll(${r.int(-3, 3)}, ${dimOf(r, s)})` : undefined)],
  ['narrow', (r, s) => {
    if (!s.length) return undefined;
    const d = r.int(0, s.length - 1);
    const start = r.int(0, (s[d] as number) - 1);
    return `x.narrow(${d}, ${start}, ${r.int(0, (s[d] as number) - start)})`;
  }],
  ['chunk', (r, s) => (s.length ? `torch.chunk(x, ${r.int(1, 4)}, ${dimOf(r, s)})[0]` : undefined)],
  ['split int', (r, s) => {
    if (!s.length) return undefined;
    const d = dimOf(r, s);
    return `torch.cat(x.split(${r.int(1, 3)}, ${d})[::-1], ${d})`;
  }],
  ['split list', (r, s) => {
    if (!s.length) return undefined;
    const n = s[0] as number;
    const a = r.int(0, n);
    return `x.split([${a}, ${n - a}])[1] * 2`;
  }],
  ['unbind', (r, s) => (s.length ? `torch.stack(x.unbind(${dimOf(r, s)})[::-1])` : undefined)],
  ['hstack', () => `torch.hstack([x, x * 2])`],
  ['vstack', (_r, s) => (s.length <= 2 ? `torch.vstack([x, x.exp()])` : undefined)],
  ['sort values', (r, s) => `torch.sort(x, ${dimOf(r, s)}, descending=${r.pick(['True', 'False'])}).values`],
  ['sort, stable', (r, s) => `x.sort(dim=${dimOf(r, s)}, stable=True)[0]`],
  ['topk', (r, s) => {
    const d = dimOf(r, s);
    return `x.topk(${r.int(0, s[d < 0 ? d + s.length : d] as number)}, ${d}, largest=${r.pick(['True', 'False'])}).values`;
  }],
  ['median', () => 'x.median() * x.sum()'],
  ['median dim', (r, s) => `torch.median(x, ${dimOf(r, s)}, keepdim=${r.pick(['True', 'False'])}).values`],
  ['cumsum', (r, s) => `torch.cumsum(x, ${dimOf(r, s)})`],
  ['cumprod', (r, s) => `x.cumprod(${dimOf(r, s)})`],
  ['cumprod of a zero', (r, s) => `(x * (x > 0.5)).cumprod(${dimOf(r, s)})`],
  ['prod', () => 'x.prod() * x'],
  ['prod dim', (r, s) => `x.prod(${dimOf(r, s)}, keepdim=${r.pick(['True', 'False'])})`],
  ['prod with zeros', (r, s) => `(x * (x > 0)).prod(${dimOf(r, s)})`],
  ['prod of all with a zero', () => '(x * (x > 1)).prod()'],
  ['linalg.norm', (r, s) => r.pick([`torch.linalg.norm(x)`, `torch.linalg.norm(x, dim=${dimOf(r, s)}, keepdim=${r.pick(['True', 'False'])})`, `torch.linalg.norm(x, ${r.pick(['1', '2', "float('inf')"])}, ${dimOf(r, s)})`])],
  ['linalg.norm of a matrix', (_r, s) => (s.length === 2 ? `torch.linalg.norm(x, 'fro') + torch.linalg.norm(x, dim=(0, 1))` : `torch.linalg.norm(x, dim=(0, -1))`)],
  ['einsum transpose and sum', (_r, s) => {
    const letters = 'abc'.slice(0, s.length);
    return `torch.einsum('${letters}->${[...letters].reverse().join('')}', x) + torch.einsum('${letters}', x).sum()`;
  }],
  ['einsum matmul', (r, s) => {
    const k = s[s.length - 1] as number;
    const letters = 'abc'.slice(0, s.length - 1);
    return `torch.einsum('${letters}j,jk->${letters}k', x, ${T(r, [k, 3], 'float')})`;
  }],
  ['einsum outer, trace, batch', (r, s) => {
    const n = s[0] as number;
    return `torch.einsum('i,j->ij', x.flatten(), x.flatten()).sum(0) * torch.einsum('ii', ${T(r, [n, n], 'float')}) + torch.einsum('bi,bj->bij', x.reshape(${n}, -1), x.reshape(${n}, -1)).sum(0).flatten()[:1]`;
  }],
  ['tile', (r) => `torch.tile(x, (${Array.from({ length: r.int(1, 3) }, () => r.int(1, 2)).join(', ')},))`],
];

const FORWARD_ONLY: [string, Template][] = [
  ['sort indices', (r, s) => `torch.stack([x.sort(${dimOf(r, s)})[1], x.argsort(0, True)])`],
  ['topk and median indices', (r, s) => `torch.cat([x.topk(1, ${dimOf(r, s)}).indices.flatten(), x.median(-1).indices.flatten(), x.argsort().flatten()])`],
  ['nonzero', () => `torch.nonzero(x > 0)`],
  ['where(condition)', () => `torch.cat(torch.where(x < 0.5))`],
  ['isnan/isinf/isfinite', () => `torch.stack([torch.isnan(z), torch.isinf(z), torch.isfinite(z)])`],
];

export function generateSurfaceFnCases(seed = 20261202): Case[] {
  const r = new Rng(seed);
  const cases: Case[] = [];
  const add = (id: string, body: string): void => {
    cases.push({ id: `${id}#sf${cases.length}`, source: HEAD + body });
  };
  for (const [name, tpl] of DIFFERENTIABLE) {
    for (let k = 0; k < 3; k++) {
      const s = randomShape(r, 1, 3, 4);
      const e = tpl(r, s);
      if (!e) continue;
      add(`${name} forward`, `x = ${T(r, s, 'float')}\ny = ${e}\n`);
      add(`${name} backward`, `x = ${T(r, s, 'float')}.requires_grad_()\ny = ${e}\n(y * torch.arange(y.numel()).reshape(y.shape).float()).sum().backward()\ng = x.grad\n`);
    }
  }
  for (const [name, tpl] of FORWARD_ONLY.slice(0, -1)) {
    for (let k = 0; k < 3; k++) {
      const s = randomShape(r, 1, 3, 4);
      add(name, `x = ${T(r, s, 'float')}\ny = ${tpl(r, s)}\n`);
    }
  }
  for (const [name, tpl] of FORWARD_ONLY.slice(-1)) {
    add(name, `z = torch.tensor([[1.0, float('nan'), 3.0], [float('inf'), -2.0, float('-inf')]])\ny = ${tpl(r, [2, 3])}\ni = torch.isnan(torch.tensor([1, 2])), torch.isfinite(torch.tensor([1, 2]))\n`);
  }
  // Views: a write through narrow/split/unbind shows in the base.
  add('narrow is a view', 'z = torch.arange(10.)\nn = z.narrow(0, 2, 3)\nn[0] = 100.\nn.mul_(2)\n');
  add('split pieces are views', 'z = torch.arange(12.).reshape(4, 3)\na, b = z.split(2)\nb += 1\nc = z.unbind(1)[2]\nc.zero_()\n');
  add('chunk of a transposed tensor', 'z = torch.arange(12.).reshape(4, 3).t()\nps = z.chunk(2, 1)\np = ps[1].contiguous()\nst = ps[0].stride()\n');
  add('chunk sizes', 'a = [t.shape[0] for t in torch.arange(5).chunk(4)]\nb = [t.shape[0] for t in torch.arange(6).chunk(4)]\nc = [t.shape[0] for t in torch.arange(0).chunk(3)]\n');
  // torch.tensor of 0-d tensors.
  add('torch.tensor of computed 0-d tensors', 'x = torch.tensor([1.5, -2.0, 3.0], requires_grad=True)\ny = torch.tensor([x.sum(), x[0] * 2, x.max().item()])\nz = torch.tensor([torch.tensor(1), 2.5])\nw = torch.tensor([x.sum().double(), 1])\n');
  add('torch.tensor of a list of 1-d tensors', 'y = torch.tensor([torch.tensor([1., 2.]), torch.tensor([3., 4.])])\n');
  add('sort of integers with ties, stable', 'i = torch.tensor([3, 1, 2, 1, 3, 0, 0, 2])\na = i.sort(stable=True)\nb = i.sort(descending=True, stable=True)\nc = torch.argsort(i, stable=True)\n');
  add('sort of NaN', "x = torch.tensor([1.5, float('nan'), -2.0])\na = x.sort()\nb = x.sort(descending=True)\n");
  add('sort of a 0-d tensor', 'a = torch.tensor(3.).sort()\nb = torch.tensor(2.).topk(1)\n');
  add('median of integers, ties', 'a = torch.median(torch.tensor([1, 5, 2, 8]))\nx = torch.tensor([3., 1, 2, 2], requires_grad=True)\nm = x.median()\nm.backward()\ng = x.grad\n');
  add('nonzero of 0-d, as_tuple', 'a = torch.nonzero(torch.tensor(5))\nb = torch.nonzero(torch.tensor(0))\nc = torch.tensor([[0, 1.], [2, 0]]).nonzero(as_tuple=True)\nd = torch.argwhere(torch.tensor([0, 3, 0, 1]))\n');
  add('bincount', 'a = torch.bincount(torch.tensor([1, 4, 1, 0]))\nb = torch.bincount(torch.tensor([1, 4, 1]), torch.tensor([0.5, 0.25, 2.]), minlength=7)\nc = torch.bincount(torch.tensor([1, 2]), weights=torch.tensor([1, 2]))\nd = torch.bincount(torch.tensor([], dtype=torch.long))\ne = torch.bincount(torch.tensor([0, 2]), weights=torch.tensor([0.1, 0.2], dtype=torch.float64))\n');
  add('bincount of floats', 'a = torch.bincount(torch.tensor([1., 2.]))\n');
  add('bincount of negatives', 'a = torch.bincount(torch.tensor([-1, 2]))\n');
  add('bincount weights of another length', 'a = torch.bincount(torch.tensor([1, 2]), weights=torch.tensor([1.]))\n');
  add('topk k too large', 'a = torch.topk(torch.tensor([1., 2.]), 3)\n');
  add('sort dim out of range', 'a = torch.sort(torch.tensor([1., 2.]), dim=1)\n');
  add('cumsum of integers and bools, dtype', 'a = torch.arange(5).cumsum(0)\nb = torch.tensor([True, False, True]).cumsum(0)\nc = torch.arange(1, 6).cumprod(0, dtype=torch.float64)\nd = torch.tensor(3.).cumsum(0)\ne = torch.tensor([[1, 2], [3, 4]]).cumprod(1)\n');
  add('prod backward with one and with two zeros', 'g = []\nfor v in [[2., 3, 4], [2., 0, 4], [0., 0, 4], [1.5, -2, 0.5, 3]]:\n    y = torch.tensor(v, requires_grad=True)\n    y.prod().backward()\n    g.append(y.grad)\n    y = torch.tensor(v, requires_grad=True)\n    (y.reshape(-1, 1).prod(0) * 2).sum().backward()\n    g.append(y.grad)\ng = torch.cat(g)\n');
  add('cumsum dim out of range', 'a = torch.zeros(2, 3).cumsum(2)\n');
  // Scatters: values, gradients of self and src, the in-place forms writing through views.
  for (let k = 0; k < 4; k++) {
    const [n, m] = [r.int(2, 4), r.int(2, 4)];
    const dim = r.int(0, 1);
    // Distinct positions: one row of targets along dim 0, or distinct columns per row along dim 1.
    const perm = (len: number, pick: number): number[] => Array.from({ length: len }, (_, i) => i).sort(() => r.next() - 0.5).slice(0, pick);
    const uniq = dim === 0 ? [Array.from({ length: m }, () => r.int(0, n - 1))] : Array.from({ length: r.int(1, n) }, () => perm(m, Math.min(m, 2)));
    const shape = [uniq.length, (uniq[0] as number[]).length];
    const index = `torch.tensor(${JSON.stringify(uniq)})`;
    add('scatter, scatter_add', `b = ${T(r, [n, m], 'float')}.requires_grad_()\ns = ${T(r, shape, 'float')}.requires_grad_()\ny = b.scatter(${dim}, ${index}, s) * 2 + b.scatter_add(${dim}, ${index}, s) + b.scatter(${dim}, ${index}, 1.5)\n(y * torch.arange(y.numel()).reshape(y.shape).float()).sum().backward()\ngb = b.grad\ngs = s.grad\n`);
    const picks = Array.from({ length: r.int(1, 4) }, () => r.int(0, n - 1));
    add('index_add', `b = ${T(r, [n, m], 'float')}.requires_grad_()\ns = ${T(r, [picks.length, m], 'float')}.requires_grad_()\ny = torch.index_add(b, 0, torch.tensor(${JSON.stringify(picks)}), s, alpha=${r.pick(['1', '2', '-0.5'])})\n(y * torch.arange(y.numel()).reshape(y.shape).float()).sum().backward()\ngb = b.grad\ngs = s.grad\nc = b.detach().t().index_add(1, torch.tensor(${JSON.stringify(picks)}), s.detach().t())\n`);
  }
  add('scatter_ and scatter_add_ through a view', 'z = torch.zeros(4, 4)\nv = z[1:3, ::2]\nv.scatter_(1, torch.tensor([[1], [0]]), torch.tensor([[5.], [6.]]))\nv.scatter_add_(0, torch.tensor([[1, 1]]), torch.tensor([[5., 1.]]))\nz.t().index_add_(0, torch.tensor([3]), torch.ones(1, 4))\nz.scatter_(0, torch.tensor([[3, 2, 1, 0]]), -1.)\nw = v.clone()\n');
  add('scatter into integers', 'a = torch.zeros(2, 3, dtype=torch.long).scatter(1, torch.tensor([[2], [0]]), 7)\nb = torch.zeros(2, 3, dtype=torch.long).scatter_add(0, torch.tensor([[1, 1, 0]]), torch.tensor([[4, 5, 6]]))\n');
  add('scatter_ into a non-leaf, backward', 'x = torch.tensor([1., 2., 3., 4.], requires_grad=True)\ny = x * 2\ny.scatter_(0, torch.tensor([1, 3]), torch.tensor([0.5, 0.25]))\ny.sum().backward()\ng = x.grad\n');
  add('scatter index of another rank', 'a = torch.zeros(3, 4).scatter(0, torch.tensor([0, 1]), 1.)\n');
  add('scatter index out of range', 'a = torch.zeros(3, 4).scatter(0, torch.tensor([[5, 1]]), 1.)\n');
  add('scatter index larger than self', 'a = torch.zeros(3, 4).scatter(0, torch.tensor([[0, 1, 2, 0, 1]]), 1.)\n');
  add('scatter index larger than src', 'a = torch.zeros(3, 4).scatter(0, torch.tensor([[0, 1]]), torch.ones(1, 1))\n');
  add('scatter_add src of another dtype', 'a = torch.zeros(3, 4).scatter_add(0, torch.tensor([[0, 1]]), torch.ones(1, 2, dtype=torch.float64))\n');
  add('index_add count mismatch', 'a = torch.zeros(3, 4).index_add(0, torch.tensor([0, 1]), torch.ones(3, 4))\n');
  add('index_add index out of range', 'a = torch.zeros(3, 4).index_add(0, torch.tensor([0, 5]), torch.ones(2, 4))\n');
  add('index_add index of rank 2', 'a = torch.zeros(3, 4).index_add(0, torch.tensor([[0, 1]]), torch.ones(2, 4))\n');
  add('index_add source dtype', 'a = torch.zeros(3, 4).index_add(0, torch.tensor([0, 1]), torch.ones(2, 4, dtype=torch.float64))\n');
  add('index_add float index', 'a = torch.zeros(3, 4).index_add(0, torch.tensor([0., 1]), torch.ones(2, 4))\n');
  // Random: the same numbers as PyTorch's generator under a seed.
  for (const seed of [0, 3, 12]) {
    add('randperm, bernoulli, normal under a seed', `torch.manual_seed(${seed})\na = torch.randperm(${r.int(1, 120)})\nc = torch.randperm(7, dtype=torch.float64)\nd = torch.bernoulli(torch.full((${r.int(1, 40)},), 0.5))\ne = torch.bernoulli(torch.rand(3, 7))\nf = torch.bernoulli(torch.zeros(20), 0.3)\nf2 = torch.zeros(5, dtype=torch.float64).bernoulli(0.7)\ng = torch.normal(torch.zeros(${r.int(1, 40)}), torch.ones(1) * 2)\nh = torch.normal(torch.arange(5.), 0.5)\ni = torch.normal(1.0, torch.arange(1., 20.))\nj = torch.normal(2., 3., (3, 4))\nk = torch.normal(torch.zeros(2, 1), torch.ones(3))\nafter = torch.rand(2)\n`);
  }
  add('normal with a negative std', 'a = torch.normal(0., -1., (2,))\n');
  add('einsum equations', "A = torch.tensor([[1., 2, 3], [4, 5, 6]])\nB = torch.tensor([[1., 0], [2, 1], [0.5, 3]])\nv = torch.tensor([1., -2, 3])\na = torch.einsum('ij,jk->ik', A, B)\nb = torch.einsum('ii->i', B[:2])\nc = torch.einsum('i,i', v, v)\nd = torch.einsum('ij,jk', A, B)\ne = torch.einsum('bij,bjk->bik', A[None].repeat(2, 1, 1), B[None].repeat(2, 1, 1))\nf = torch.einsum('ij,ij->i', [A, A])\ng = torch.einsum('ij->j', A)\n");
  add('einsum subscripts and dims', "a = torch.einsum('ijk->i', torch.zeros(2, 3))\n");
  add('linalg.norm of integers', 'a = torch.linalg.norm(torch.tensor([1, 2]))\n');
  add('linalg.norm ord on 3-d', 'a = torch.linalg.norm(torch.zeros(2, 2, 2), 2)\n');
  // PyTorch's errors.
  add('split sizes must sum', 'y = torch.arange(10).split([3, 3])\n');
  add('narrow past the end', 'y = torch.arange(10).narrow(0, 8, 3)\n');
  add('flip a repeated dim', 'y = torch.zeros(2, 3).flip(0, 0)\n');
  add('roll shifts and dims', 'y = torch.zeros(2, 3).roll((1, 2), 0)\n');
  add('chunk of 0 chunks', 'y = torch.zeros(3).chunk(0)\n');
  add('unbind of a 0-d tensor', 'y = torch.tensor(1.).unbind()\n');
  // triu/tril (and in place), trace, select (a view written through), lerp, addcmul/addcdiv: values and gradients.
  for (let k = 0; k < 6; k++) {
    const shape = randomShape(r, 2, 3, 4);
    const d = r.int(-2, 2);
    add(`triu/tril/trace on ${shape.join('x')}`,
      `x = ${T(r, shape, 'float')}.requires_grad_()\nw = ${T(r, shape, 'float')}\n` +
      `y = (torch.triu(x, ${d}) * w).sum() + (x.tril(${-d}) ** 2).sum()${shape.length === 2 ? ' + torch.trace(x) * 3' : ''}\ny.backward()\ng = x.grad\n` +
      `m = x.detach().clone()\nm.${r.bool() ? 'triu_' : 'tril_'}(${d})\n`);
    const dim = r.int(-shape.length, shape.length - 1);
    const size = shape[(dim + shape.length) % shape.length] as number;
    add(`select(${dim}, i) on ${shape.join('x')}, written through`,
      `b = ${T(r, shape, 'float')}\nv = b.select(${dim}, ${r.int(-size, size - 1)})\nv += 10\nv2 = v * 1\n`);
    const s = randomShape(r, 1, 2, 4);
    add(`lerp, addcmul, addcdiv on ${s.join('x')}`,
      `a = ${T(r, s, 'float')}.requires_grad_()\ne = ${T(r, s, 'float')}.requires_grad_()\ntorch.manual_seed(${k})\nt = torch.rand(${s.join(', ')})\n` +
      `y = torch.lerp(a, e, t) + a.lerp(e, ${(r.next() * 1.4 - 0.2).toFixed(2)}) + torch.addcmul(a, e, t, value=${(r.next() - 0.5).toFixed(2)}) + a.addcdiv(e, t + 0.5, value=0.3)\n` +
      `(y * ${T(r, s, 'float')}).sum().backward()\nga = a.grad\nge = e.grad\nz = a.detach().clone()\nz.addcmul_(e.detach(), t, value=2.0)\nz.lerp_(e.detach(), 0.25)\ny = y.detach()\n`);
  }
  add('trace of a vector', 'x = torch.ones(3)\ny = torch.trace(x)\n');
  add('triu of a vector', 'x = torch.ones(3)\ny = torch.triu(x)\n');
  add('select out of range', 'x = torch.ones(2, 3)\ny = x.select(1, 5)\n');
  add('triu/tril of bool and integer tensors (an attention mask)', 'm = torch.triu(torch.ones(4, 4, dtype=torch.bool), diagonal=1)\nl = torch.tril(torch.arange(12).view(3, 4), -1)\nt = torch.tril(torch.ones(3, 3)).bool()\n');
  add('trace of integers', 'y = torch.trace(torch.arange(12).view(3, 4))\n');
  return cases;
}
