/**
 * Random programs over storage and views: a chain of views (indexing, t/transpose/permute, unsqueeze/
 * squeeze, view/reshape/flatten, diagonal, expand, detach/.data), an in-place write through the last one (an
 * augmented operator, setitem with ints/slices/masks/lists, a method_), then the base, the view and a view
 * taken before the write, all compared with PyTorch; the same with autograd (writes into non-leaves, then
 * backward) and PyTorch's errors (view of non-contiguous input, writes into leaves, views of leaves and
 * expanded tensors, the version counter). Seeded: the same cases every run.
 */
import type { Case } from './oracle';
import { Rng, broadcastPartner, randomShape, tensorLiteral as T } from './oracle';

const HEAD = 'import torch\n';

/** One view step on an expression of a known shape: the Python, and the shape after it. */
function viewStep(r: Rng, shape: number[]): { code: string; shape: number[] } | undefined {
  const rank = shape.length;
  const options: (() => { code: string; shape: number[] } | undefined)[] = [
    () => (rank >= 1 ? { code: `[${r.int(-(shape[0] as number), (shape[0] as number) - 1)}]`, shape: shape.slice(1) } : undefined),
    () => {
      if (rank < 2) return undefined;
      const j = r.int(0, (shape[1] as number) - 1);
      return { code: `[:, ${j}]`, shape: [shape[0] as number, ...shape.slice(2)] };
    },
    () => {
      if (rank < 1) return undefined;
      const n = shape[0] as number;
      const a = r.int(0, n - 1);
      const b = r.int(a + 1, n);
      const step = r.pick([1, 1, 2]);
      return { code: `[${a}:${b}${step > 1 ? `:${step}` : ''}]`, shape: [Math.ceil((b - a) / step), ...shape.slice(1)] };
    },
    () => (rank >= 1 ? { code: '[..., ::2]', shape: [...shape.slice(0, -1), Math.ceil((shape[rank - 1] as number) / 2)] } : undefined),
    () => (rank >= 1 ? { code: '[:, None]', shape: [shape[0] as number, 1, ...shape.slice(1)] } : undefined),
    () => (rank === 2 ? { code: '.t()', shape: [shape[1] as number, shape[0] as number] } : undefined),
    () => {
      if (rank < 2) return undefined;
      const s = [...shape];
      [s[0], s[rank - 1]] = [s[rank - 1] as number, s[0] as number];
      return { code: `.transpose(0, ${rank - 1})`, shape: s };
    },
    () => {
      if (rank < 2) return undefined;
      const perm = shape.map((_, i) => i).reverse();
      return { code: `.permute(${perm.join(', ')})`, shape: perm.map((p) => shape[p] as number) };
    },
    () => ({ code: '.unsqueeze(0)', shape: [1, ...shape] }),
    () => ({ code: '.squeeze()', shape: shape.filter((d) => d !== 1) }),
    () => ({ code: '.view(-1)', shape: [shape.reduce((a, b) => a * b, 1)] }),
    () => ({ code: '.reshape(-1)', shape: [shape.reduce((a, b) => a * b, 1)] }),
    () => (rank >= 2 ? { code: '.flatten(1)', shape: [shape[0] as number, shape.slice(1).reduce((a, b) => a * b, 1)] } : undefined),
    () => {
      if (rank !== 2) return undefined;
      const off = r.int(-1, 1);
      const [a, b] = shape as [number, number];
      const n = Math.max(0, off >= 0 ? Math.min(a, b - off) : Math.min(a + off, b));
      return n > 0 ? { code: `.diagonal(${off})`, shape: [n] } : undefined;
    },
    () => ({ code: '.detach()', shape }),
    () => ({ code: '.data', shape }),
  ];
  for (let tries = 0; tries < 10; tries++) {
    const s = r.pick(options)();
    if (s) return s;
  }
  return undefined;
}

function viewChain(r: Rng, shape: number[], steps: number): { code: string; shape: number[] } {
  let code = '';
  let cur = shape;
  for (let k = 0; k < steps; k++) {
    const s = viewStep(r, cur);
    if (!s) break;
    code += s.code;
    cur = s.shape;
  }
  return { code, shape: cur };
}

/** An in-place write through `v` (of shape `shape`), with operands that broadcast to it. */
function write(r: Rng, v: string, shape: number[]): string {
  const c = (r.next() * 4 - 2).toFixed(3);
  const other = (): string => T(r, broadcastPartner(r, shape), 'float');
  const rank = shape.length;
  const options = [
    () => `${v} += ${c}\n`,
    () => `${v} *= ${other()}\n`,
    () => `${v} -= ${other()}\n`,
    () => `${v} /= 2.0\n`,
    () => `${v}.add_(${other()})\n`,
    () => `${v}.mul_(${c})\n`,
    () => `${v}.fill_(${c})\n`,
    () => `${v}.zero_()\n`,
    () => `${v}.clamp_(min=-0.5)\n`,
    () => `${v}.copy_(${other()})\n`,
    () => `${v}.masked_fill_(${v} > 0, ${c})\n`,
    () => `${v}[${v} < 0] = ${c}\n`,
    () => `${v}[${v} > 0] *= 3\n`,
    () => (rank >= 1 ? `${v}[0] = ${c}\n` : `${v}.fill_(${c})\n`),
    () => (rank >= 1 ? `${v}[-1] += ${c}\n` : `${v} += 1\n`),
    () => (rank >= 1 ? `${v}[::2] += 100\n` : `${v} += 100\n`),
    () => (rank >= 1 ? `${v}[[0, ${(shape[0] as number) - 1}]] = ${c}\n` : `${v} -= 1\n`),
    () => (rank >= 2 ? `${v}[:, 0] = ${T(r, [shape[0] as number], 'float')}\n` : `${v} += ${c}\n`),
    () => (rank >= 2 ? `${v}[0, ${(shape[1] as number) - 1}] += 1\n` : `${v} -= ${c}\n`),
  ];
  return r.pick(options)();
}

export function generateViewCases(seed = 20261202): Case[] {
  const r = new Rng(seed);
  const cases: Case[] = [];
  const add = (id: string, body: string): void => {
    cases.push({ id: `${id}#v${cases.length}`, source: HEAD + body });
  };

  // Values: writes through a chain of views reach the base and every other view of it.
  for (let k = 0; k < 90; k++) {
    const shape = randomShape(r, 1, 3, 5);
    const chain = viewChain(r, shape, r.int(1, 3));
    const before = viewChain(r, shape, r.int(1, 2));
    add(
      `write through a view${chain.code}`,
      `x = ${T(r, shape, 'float')}\n` + `w = x${before.code}\n` + `v = x${chain.code}\n` + write(r, 'v', chain.shape) + 'base = x.clone()\nseen = w.clone()\n',
    );
  }

  // Autograd: writes into views of non-leaves, then backward through them.
  for (let k = 0; k < 40; k++) {
    const shape = randomShape(r, 1, 3, 4);
    const chain = viewChain(r, shape, r.int(1, 2));
    const c = T(r, shape, 'float');
    const y = T(r, chain.shape, 'float');
    const kind = r.pick(['value', 'scalar', 'op']);
    const body =
      `x = ${T(r, shape, 'float')}.requires_grad_()\n` +
      `y = ${y}.requires_grad_()\n` +
      `h = x * ${(r.next() * 2 + 0.5).toFixed(2)}\n` +
      `v = h${chain.code.replace(/\.data|\.detach\(\)/g, '')}\n` +
      (kind === 'value' ? 'v.copy_(y * y)\n' : kind === 'scalar' ? 'v.mul_(3)\n' : 'v += y\n') +
      `loss = (h * ${c}).sum() + (v * v).sum()\n` +
      'loss.backward()\n' +
      'gx = x.grad\ngy = y.grad if y.grad is not None else torch.zeros(1)\nhv = h.detach().clone()\n';
    add(`autograd through a write into h${chain.code}`, body);
  }

  // Leaves: in-place updates under no_grad, through .data, and .grad kept in place.
  for (let k = 0; k < 12; k++) {
    const shape = randomShape(r, 1, 2, 4);
    const lr = (r.next() * 0.5 + 0.05).toFixed(3);
    const update = r.pick([
      `with torch.no_grad():\n    w -= ${lr} * w.grad\n`,
      `w.data -= ${lr} * w.grad\n`,
      `w.data.add_(w.grad, alpha=-${lr})\n`,
      `with torch.no_grad():\n    w[0] = 0.0\n`,
    ]);
    add(
      'a manual step on a leaf',
      `w = ${T(r, shape, 'float')}.requires_grad_()\n` +
        `g_alias = None\n` +
        `for step in range(3):\n    loss = (w * w * ${T(r, shape, 'float')}).sum()\n    loss.backward()\n    if g_alias is None:\n        g_alias = w.grad\n` +
        update.replace(/^(?=.)/gm, '    ') +
        `    w.grad.data.zero_() if step % 2 else w.grad.zero_()\n` +
        'final = w.detach().clone()\nalias_zero = g_alias.clone()\nversion = w._version\n',
    );
  }

  // An in-place op reading another view of the tensor it writes: PyTorch refuses partial overlaps of dense views.
  for (let k = 0; k < 16; k++) {
    const n = r.int(4, 8);
    const len = r.int(1, n - 1);
    const a = r.int(0, n - len);
    const b = r.int(0, n - len);
    const step = r.pick(['', '', ':2']);
    const op = r.pick(['+=', '*=', '.copy_', '.add_', '=']);
    const stmt = op.startsWith('.') ? `d[${a}:${a + len}${step}]${op}(d[${b}:${b + len}${step}])` : `d[${a}:${a + len}${step}] ${op} d[${b}:${b + len}${step}]`;
    add('a write reading another view of its tensor', `d = torch.arange(${n}.)
${stmt}
out = d.clone()
`);
  }

  // PyTorch's errors.
  const errors: [string, string][] = [
    ['view of a transposed tensor', 'x = torch.arange(6.).view(2, 3)\ny = x.t().view(6)\n'],
    ['view of a stepped slice', 'x = torch.arange(8.)\ny = x[::2].view(2, 2)\n'],
    ['view that splits a permuted dim', 'x = torch.zeros(2, 3, 4)\ny = x.permute(2, 0, 1).view(4, 6)\n'],
    ['in-place on a leaf that requires grad', 'w = torch.ones(3, requires_grad=True)\nw += 1\n'],
    ['in-place method on a leaf', 'w = torch.ones(3, requires_grad=True)\nw.mul_(2)\n'],
    ['setitem on a leaf', 'w = torch.ones(3, requires_grad=True)\nw[0] = 5\n'],
    ['write into a view of a leaf', 'w = torch.ones(2, 2, requires_grad=True)\nw.t().add_(1)\n'],
    ['index_put on a leaf', 'w = torch.ones(3, requires_grad=True)\nw[[0, 1]] = 5.0\n'],
    ['in-place on an expanded tensor', 'e = torch.ones(3).expand(2, 3)\ne.add_(1)\n'],
    ['setitem into an expanded tensor row', 'e = torch.ones(3).expand(2, 3)\ne[0] = 2\nr = e.clone()\n'],
    ['a saved input modified before backward', 'x = torch.ones(3, requires_grad=True)\nh = x * 2\nz = h.log()\nh[0] = 3\nz.sum().backward()\n'],
    ['a saved output modified before backward', 'x = torch.ones(3, requires_grad=True)\ns = x.sigmoid()\ns.mul_(2)\ns.sum().backward()\n'],
    ['a saved output modified through a view', 'x = torch.ones(2, 2, requires_grad=True)\ne = x.exp()\ne.t()[0, 1] = 0\ne.sum().backward()\n'],
    ['not saved: backward after the write works', 'x = torch.ones(3, requires_grad=True)\nh = x * 3\nh[1] = 0\nh.sum().backward()\ng = x.grad\n'],
    ['float into a long tensor in place', 'c = torch.zeros(3, dtype=torch.long)\nc[0] += 0.5\n'],
    ['shape mismatch in setitem', 'x = torch.zeros(3, 4)\nx[0] = torch.ones(3)\n'],
    ['shape mismatch in an in-place op', 'x = torch.zeros(3)\nx += torch.ones(2, 3)\n'],
    ['requires_grad flag of a computed tensor', 'x = torch.ones(2, requires_grad=True)\nh = x * 2\nh.requires_grad_(False)\n'],
  ];
  for (const [what, body] of errors) add(`view/in-place: ${what}`, body);

  // index_put_: random positions (repeated ones add up with accumulate=True), through a view, with autograd.
  for (let k = 0; k < 8; k++) {
    const [n, m, count] = [r.int(2, 4), r.int(2, 4), r.int(1, 6)];
    const rows = Array.from({ length: count }, () => r.int(-n, n - 1));
    const cols = Array.from({ length: count }, () => r.int(0, m - 1));
    const acc = r.bool() ? 'True' : 'False';
    const unique = new Set(rows.map((i, j) => `${(i + n) % n},${cols[j]}`)).size === count;
    if (acc === 'False' && !unique) continue; // which repeated write PyTorch keeps is its kernel's order
    const values = r.bool(0.3) ? `torch.tensor(${(r.next() * 4 - 2).toFixed(3)})` : T(r, [count], 'float');
    add(`index_put_ (accumulate=${acc})`,
      `w = ${T(r, [n + 1, m], 'float')}.requires_grad_()\nz = w[1:] * 2\nz.index_put_((torch.tensor([${rows.join(', ')}]), torch.tensor([${cols.join(', ')}])), ${values}, accumulate=${acc})\n` +
      `(z * ${T(r, [n, m], 'float')}).sum().backward()\ng = w.grad\nz = z.detach()\n`);
  }
  add('index_put_: indices not a tuple', 'x = torch.zeros(3)\nx.index_put_(torch.tensor([0]), torch.tensor(1.0))\n');
  add('index_put_: values not a tensor', 'x = torch.zeros(3)\nx.index_put_((torch.tensor([0]),), 1.0)\n');
  add('index_put_ on a leaf that requires grad', 'x = torch.zeros(3, requires_grad=True)\nx.index_put_((torch.tensor([0]),), torch.tensor(1.0), accumulate=True)\n');
  return cases;
}
