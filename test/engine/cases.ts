/**
 * Random programs covering every op of the engine's torch surface, with broadcasting, dtype promotion,
 * dims and keepdim variants, and misuse that PyTorch rejects. Seeded: the same cases every run.
 */
import type { Case, Kind } from './oracle';
import { Rng, broadcastPartner, randomShape, tensorLiteral as T } from './oracle';

const HEAD = 'import torch\nimport torch.nn as nn\nimport torch.nn.functional as F\n';

export function generateCases(seed = 20261126): Case[] {
  const r = new Rng(seed);
  const cases: Case[] = [];
  const add = (id: string, body: string): void => {
    cases.push({ id: `${id}#${cases.length}`, source: HEAD + body });
  };
  const scalarOf = (kind: 'int' | 'float' | 'bool'): string => (kind === 'int' ? String(r.int(1, 4)) : kind === 'float' ? (r.next() * 3 + 0.5).toFixed(3) : r.bool() ? 'True' : 'False');

  // Binary operators: broadcasting and dtype promotion (tensor/tensor, tensor/0-d, tensor/Python number).
  const kinds: Kind[] = ['float', 'int', 'bool', 'float64'];
  for (const op of ['+', '-', '*', '/', '//', '%', '**', '==', '!=', '<', '<=', '>', '>=', '&', '|', '^']) {
    for (let k = 0; k < 6; k++) {
      const sa = randomShape(r, 0, 3);
      const sb = r.bool(0.3) ? [] : broadcastPartner(r, sa);
      let ka = r.pick(kinds);
      let kb = r.pick(kinds);
      if (op === '&' || op === '|' || op === '^') ka = kb = 'bool';
      if (op === '//' || op === '%') {
        if (ka === 'bool') ka = 'int';
        kb = kb === 'int' || kb === 'bool' ? 'posint' : 'pos';
      }
      if (op === '**') {
        ka = ka === 'bool' ? 'posint' : ka === 'int' ? 'posint' : 'pos';
        kb = kb === 'int' || kb === 'bool' ? 'posint' : 'unit';
      }
      const a = T(r, sa, ka);
      const useScalar = r.bool(0.3) && op !== '&' && op !== '|' && op !== '^';
      const b = useScalar ? scalarOf(kb === 'float' || kb === 'float64' || kb === 'pos' || kb === 'unit' ? 'float' : kb === 'bool' ? 'bool' : 'int') : T(r, sb, kb);
      add(`binary ${op}`, r.bool(0.2) ? `y = ${b} ${op} ${a}\n` : `y = ${a} ${op} ${b}\n`);
    }
  }
  add('bool minus bool is rejected', `y = torch.tensor([True]) - torch.tensor([False])\n`);
  add('int to a negative power is rejected', `y = torch.tensor([2, 3]) ** -1\n`);
  add('broadcast mismatch', `y = torch.ones(2, 3) + torch.ones(4)\n`);
  add('in-place add keeps dtype', `x = torch.tensor([1, 2, 3])\nx += 2\ny = torch.zeros(2, 2)\ny *= 3.5\n`);
  add('in-place float into int is rejected', `x = torch.tensor([1, 2, 3])\nx += 0.5\n`);

  // Unary functions (integer inputs promoted to float where PyTorch does).
  for (const fn of ['neg', 'exp', 'log', 'sqrt', 'abs', 'sin', 'cos', 'tanh', 'sigmoid', 'relu', 'floor', 'ceil', 'sign', 'rsqrt', 'reciprocal', 'log1p', 'square']) {
    for (let k = 0; k < 3; k++) {
      const positive = ['log', 'sqrt', 'rsqrt', 'log1p'].includes(fn);
      const kind: Kind = k === 2 && !['neg', 'floor', 'ceil', 'sign', 'reciprocal', 'rsqrt'].includes(fn) ? (positive ? 'posint' : 'int') : positive ? 'pos' : 'float';
      const x = T(r, randomShape(r, 0, 3), kind);
      add(`unary ${fn}`, k === 0 ? `y = torch.${fn}(${x})\n` : `y = (${x}).${fn}()\n`);
    }
  }
  add('neg of bool is rejected', 'y = -torch.tensor([True, False])\n');

  // clamp, where, maximum/minimum, masked_fill.
  for (let k = 0; k < 4; k++) {
    const s = randomShape(r, 1, 3);
    const kind = r.pick<Kind>(['float', 'int']);
    add('clamp', `x = ${T(r, s, kind)}\na = x.clamp(min=-1)\nb = torch.clamp(x, -1, 2)\nc = x.clamp(max=${kind === 'int' ? 1 : 0.5})\n`);
    add('where', `c = ${T(r, s, 'bool')}\nx = ${T(r, broadcastPartner(r, s), kind)}\ny = torch.where(c, x, ${T(r, broadcastPartner(r, s), r.pick<Kind>(['float', 'int']))})\nz = torch.where(c, x, 0.0)\n`);
    add('maximum minimum', `a = ${T(r, s, kind)}\nb = ${T(r, broadcastPartner(r, s), r.pick<Kind>(['float', 'int']))}\nhi = torch.maximum(a, b)\nlo = torch.minimum(a, b)\n`);
    add('masked_fill', `x = ${T(r, s, kind)}\nm = ${T(r, broadcastPartner(r, s), 'bool')}\ny = x.masked_fill(m, ${kind === 'int' ? 7 : -1.5})\n`);
  }
  add('masked_fill needs a bool mask', `x = torch.ones(3)\ny = x.masked_fill(torch.tensor([1, 0, 1]), 0.0)\n`);
  add('where needs a bool condition', `y = torch.where(torch.tensor([1, 0]), torch.ones(2), torch.zeros(2))\n`);

  // Reductions with dim/keepdim.
  for (const fn of ['sum', 'mean', 'prod', 'max', 'min', 'argmax', 'argmin', 'logsumexp', 'norm', 'var', 'std', 'all', 'any']) {
    for (let k = 0; k < 4; k++) {
      const s = randomShape(r, 1, 3);
      const kind: Kind = fn === 'all' || fn === 'any' ? r.pick<Kind>(['bool', 'int']) : fn === 'sum' || fn === 'prod' ? r.pick<Kind>(['float', 'int', 'bool']) : fn === 'max' || fn === 'min' ? r.pick<Kind>(['float', 'int']) : 'float';
      const x = T(r, s, kind);
      const dim = r.int(-s.length, s.length - 1);
      const keep = r.bool() ? 'True' : 'False';
      if (fn === 'logsumexp') add(`reduce ${fn}`, `x = ${x}\ny = torch.logsumexp(x, dim=${dim}, keepdim=${keep})\n`);
      else if (fn === 'max' || fn === 'min') add(`reduce ${fn}`, k % 2 ? `x = ${x}\nv, i = x.${fn}(dim=${dim}, keepdim=${keep})\nr = x.${fn}(${dim}).values\n` : `x = ${x}\ny = x.${fn}()\n`);
      else if (fn === 'norm') add(`reduce ${fn}`, k % 2 ? `x = ${x}\ny = x.norm(dim=${dim}, keepdim=${keep})\nz = x.norm(p=1)\n` : `x = ${x}\ny = torch.norm(x)\n`);
      else if (fn === 'all' || fn === 'any' || fn === 'prod') add(`reduce ${fn}`, `x = ${x}\ny = x.${fn}()\nz = x.${fn}(dim=${dim}, keepdim=${keep})\n`);
      else add(`reduce ${fn}`, k % 2 ? `x = ${x}\ny = x.${fn}(dim=${dim}, keepdim=${keep})\n` : `x = ${x}\ny = torch.${fn}(x)\n`);
    }
  }
  add('sum over several dims', `x = ${T(r, [2, 3, 4], 'float')}\ny = x.sum(dim=(0, 2))\nz = x.mean((1, 2), keepdim=True)\n`);
  add('mean of an int tensor is rejected', 'y = torch.tensor([1, 2, 3]).mean()\n');
  add('dimension out of range', 'y = torch.ones(2, 3).sum(dim=2)\n');

  // softmax / log_softmax.
  for (let k = 0; k < 6; k++) {
    const s = randomShape(r, 1, 3);
    const dim = r.int(-s.length, s.length - 1);
    add('softmax', `x = ${T(r, s, 'float')}\na = torch.softmax(x, dim=${dim})\nb = F.log_softmax(x, dim=${dim})\nc = x.softmax(${dim})\n`);
  }
  add('softmax of ints is rejected', 'y = torch.softmax(torch.tensor([1, 2]), dim=0)\n');

  // matmul family.
  for (let k = 0; k < 8; k++) {
    const n = r.int(1, 4);
    const m = r.int(1, 4);
    const p = r.int(1, 4);
    const batch = r.bool() ? [r.int(1, 3)] : [];
    const sa = r.bool(0.2) ? [m] : [...batch, n, m];
    const sb = r.bool(0.2) ? [m] : [...(r.bool() ? batch : []), m, p];
    add('matmul', `a = ${T(r, sa, 'float')}\nb = ${T(r, sb, 'float')}\ny = a @ b\nz = torch.matmul(a, b)\n`);
  }
  add('mm', `a = ${T(r, [3, 2], 'float')}\nb = ${T(r, [2, 4], 'float')}\ny = torch.mm(a, b)\nz = a.mm(b)\n`);
  add('bmm', `a = ${T(r, [2, 3, 2], 'float')}\nb = ${T(r, [2, 2, 4], 'float')}\ny = torch.bmm(a, b)\n`);
  add('dot mv outer', `a = ${T(r, [3], 'float')}\nb = ${T(r, [3], 'float')}\nm = ${T(r, [2, 3], 'float')}\nd = torch.dot(a, b)\nv = m.mv(a)\no = torch.outer(a, b)\n`);
  add('int matmul', `a = ${T(r, [2, 3], 'int')}\nb = ${T(r, [3, 2], 'int')}\ny = a @ b\n`);
  add('matmul shape mismatch', 'y = torch.ones(3, 4) @ torch.ones(5, 6)\n');
  add('matmul dtype mismatch', 'y = torch.ones(2, 2) @ torch.ones(2, 2, dtype=torch.int64)\n');

  // Shapes.
  for (let k = 0; k < 4; k++) {
    const s: [number, number, number] = [r.int(1, 3), r.int(1, 3), r.int(1, 4)];
    const x = T(r, s, r.pick<Kind>(['float', 'int']));
    add('reshape view flatten', `x = ${x}\na = x.reshape(-1)\nb = x.view(${s[0]}, -1)\nc = x.flatten(1)\nd = torch.flatten(x, 0, 1)\ne = torch.reshape(x, (${s[2]}, -1))\n`);
    add('unsqueeze squeeze', `x = ${x}\na = x.unsqueeze(${r.int(-4, 3)})\nb = a.squeeze()\nc = x.unsqueeze(0).squeeze(0)\nd = torch.unsqueeze(x, -1)\n`);
    add('transpose permute t', `x = ${x}\na = x.transpose(0, 2)\nb = x.permute(2, 0, 1)\nc = x[0].t()\nd = x[0].T\ne = torch.transpose(x, -1, -2)\nf = x.T\n`);
    add('expand repeat', `x = ${T(r, [s[0], 1], 'float')}\na = x.expand(${s[0]}, 3)\nb = x.expand(2, -1, 4)\nc = x.repeat(2, 3)\nd = x.repeat(2, 1, 1)\ne = x.expand_as(torch.ones(${s[0]}, 5))\n`);
    add('cat stack', `a = ${T(r, [2, s[1]], 'float')}\nb = ${T(r, [3, s[1]], 'float')}\nc = torch.cat([a, b])\nd = torch.cat((a, a), dim=1)\ne = torch.stack([a, a, a], dim=${r.int(-3, 2)})\nf = torch.cat([a, ${T(r, [1, s[1]], 'int')}], dim=0)\n`);
  }
  add('view with a bad size', 'y = torch.ones(12).view(5, -1)\n');
  add('expand with a bad size', 'y = torch.ones(2, 3).expand(2, 4)\n');
  add('cat with mismatched sizes', 'y = torch.cat([torch.ones(2, 3), torch.ones(2, 4)])\n');
  add('stack with mismatched sizes', 'y = torch.stack([torch.ones(2), torch.ones(3)])\n');
  add('permute with wrong rank', 'y = torch.ones(2, 3).permute(1, 0, 2)\n');
  add('t of a 3-d tensor', 'y = torch.ones(2, 3, 4).t()\n');
  for (let k = 0; k < 3; k++) {
    const n = r.int(2, 4);
    const off = r.int(-1, 1);
    add('diag diagonal', `v = ${T(r, [n], 'float')}\nm = ${T(r, [n, n + 1], 'float')}\na = torch.diag(v)\nb = torch.diag(v, ${off})\nc = torch.diag(m)\nd = m.diagonal(${off})\ne = torch.diagonal(${T(r, [2, n, n], 'float')}, 0, 1, 2)\n`);
  }

  // Indexing.
  for (let k = 0; k < 5; k++) {
    const B = r.int(2, 5);
    const C = r.int(2, 5);
    const x = T(r, [B, C], 'float');
    const y = T(r, [B], 'index', C);
    add('index_select', `x = ${x}\ni = ${T(r, [r.int(1, 4)], 'index', B)}\na = torch.index_select(x, 0, i)\nb = x.index_select(1, ${T(r, [2], 'index', C)})\n`);
    add('gather', `x = ${x}\ny = ${y}\na = x.gather(1, y.unsqueeze(1))\nb = torch.gather(x, 0, ${T(r, [1, C], 'index', B)})\n`);
    add('advanced indexing', `x = ${x}\ny = ${y}\na = x[range(${B}), y]\nb = x[torch.arange(${B}), y]\nc = x[y % ${B}]\nd = x[:, y % ${C}]\ne = x[[0, -1]]\n`);
    add('basic indexing', `x = ${T(r, [B, C, 3], 'float')}\na = x[1]\nb = x[-1, 1:]\nc = x[:, ::2]\nd = x[..., 0]\ne = x[None, 0, :, None]\nf = x[0][1][2]\ng = x[1:, :-1, 1]\n`);
    add('bool mask indexing', `x = ${x}\nm = x > 0\na = x[m]\nb = x[x[:, 0] > 0]\n`);
    add('index assignment', `x = ${x}\nx[0] = 5.0\nx[:, 1] = ${T(r, [B], 'float')}\nx[x < 0] = 0.0\nx[1:, :1] = -2.0\n`);
    add('one_hot', `y = ${y}\na = F.one_hot(y, ${C})\nb = F.one_hot(y)\n`);
  }
  add('index out of range', 'x = torch.ones(3, 2)\ny = x[3]\n');
  add('index_select needs int64 indices', 'y = torch.ones(3).index_select(0, torch.tensor([0.0]))\n');
  add('index_select out of range', 'y = torch.ones(3, 2).index_select(0, torch.tensor([0, 3]))\n');
  add('gather needs equal ranks', 'y = torch.ones(3, 2).gather(1, torch.tensor([0, 1, 0]))\n');
  add('too many indices', 'y = torch.ones(2)[0, 0]\n');

  // Losses.
  for (let k = 0; k < 5; k++) {
    const B = r.int(1, 6);
    const C = r.int(2, 6);
    const x = T(r, [B, C], 'float');
    const y = T(r, [B], 'index', C);
    const red = r.pick(['mean', 'sum', 'none']);
    add('cross_entropy', `x = ${x}\ny = ${y}\na = F.cross_entropy(x, y)\nb = F.cross_entropy(x, y, reduction='${red}')\nc = nn.CrossEntropyLoss()(x, y)\n`);
    add('cross_entropy weights and ignore_index', `x = ${x}\ny = ${y}\nw = ${T(r, [C], 'pos')}\na = F.cross_entropy(x, y, weight=w)\ny[0] = -100\nb = F.cross_entropy(x, y)\nc = F.cross_entropy(x, y, weight=w, reduction='sum')\n`);
    add('cross_entropy with probabilities', `x = ${x}\np = torch.softmax(${T(r, [B, C], 'float')}, dim=1)\na = F.cross_entropy(x, p)\n`);
    add('nll_loss', `x = F.log_softmax(${x}, dim=1)\ny = ${y}\na = F.nll_loss(x, y)\nb = F.nll_loss(x, y, reduction='${red}')\nc = nn.NLLLoss()(x, y)\n`);
    add('mse_loss l1_loss', `a = ${x}\nb = ${T(r, [B, C], 'float')}\nm = F.mse_loss(a, b)\nl = F.l1_loss(a, b, reduction='${red}')\nn = nn.MSELoss(reduction='sum')(a, b)\n`);
  }
  add('cross_entropy with [B,1] labels', 'y = F.cross_entropy(torch.ones(4, 3), torch.tensor([[0], [1], [2], [0]]))\n');
  add('cross_entropy batch mismatch', 'y = F.cross_entropy(torch.ones(4, 3), torch.tensor([0, 1]))\n');
  add('cross_entropy target out of range', 'y = F.cross_entropy(torch.ones(2, 3), torch.tensor([0, 3]))\n');

  // Creation and the generator.
  for (let k = 0; k < 3; k++) {
    const seed = r.int(0, 1000);
    const s = randomShape(r, 1, 3, 5);
    add('random creation', `torch.manual_seed(${seed})\na = torch.rand(${s.join(', ')})\nb = torch.randn(${s.join(', ')})\nc = torch.randint(0, 10, (${s.join(', ')},))\nd = torch.randn(${r.int(16, 40)})\ne = torch.rand_like(a)\nf = torch.randn_like(b)\ng = torch.randint(5, (3,))\n`);
  }
  add('creation', `a = torch.zeros(2, 3)\nb = torch.ones((3,), dtype=torch.int64)\nc = torch.full((2, 2), 7)\nd = torch.full((2,), 1.5)\ne = torch.arange(5)\nf = torch.arange(1, 4, 0.5)\ng = torch.linspace(0, 1, 7)\ng1 = torch.linspace(-1.5, 2.0, 1)\ng0 = torch.linspace(3, 4, 0)\nh = torch.eye(3)\ni = torch.eye(2, 4)\nj = torch.zeros_like(h)\nk = torch.ones_like(e)\nl = torch.full_like(h, 2)\nm = torch.tensor([[1, 2], [3, 4]])\nn = torch.tensor([1.5, 2])\no = torch.tensor(True)\np = torch.tensor([1, 2], dtype=torch.float64)\nq = torch.as_tensor([3, 4])\n`);
  add('ragged list is rejected', 'y = torch.tensor([[1, 2], [3]])\n');

  // nn modules, initialised from the same generator as PyTorch.
  for (let k = 0; k < 3; k++) {
    const seed = r.int(0, 1000);
    const inF = r.int(2, 6);
    const outF = r.int(2, 5);
    add('nn.Linear and Sequential', `torch.manual_seed(${seed})\nmodel = nn.Sequential(nn.Flatten(), nn.Linear(${inF * 2}, ${outF}), nn.ReLU(), nn.Linear(${outF}, 3))\nx = torch.randn(4, 2, ${inF})\ny = model(x)\nw = model[1].weight\n`.replace('model[1].weight', 'list(model.parameters())[0]'));
    add('nn.Conv2d', `torch.manual_seed(${seed})\nconv = nn.Conv2d(2, ${outF}, 3, padding=1)\nconv2 = nn.Conv2d(${outF}, 2, kernel_size=(2, 3), stride=2)\nx = torch.randn(2, 2, 5, 6)\ny = conv2(conv(x))\n`);
    add('nn.BatchNorm1d train and eval', `torch.manual_seed(${seed})\nbn = nn.BatchNorm1d(${outF})\nx = torch.randn(6, ${outF})\na = bn(x)\nrm = bn.running_mean\nrv = bn.running_var\nbn.eval()\nb = bn(x * 2)\n`);
    add('nn.Module subclass', `torch.manual_seed(${seed})\nclass Net(nn.Module):\n    def __init__(self, d):\n        super().__init__()\n        self.fc = nn.Linear(d, 4)\n        self.out = nn.Linear(4, 2)\n        self.drop = nn.Dropout(0.5)\n    def forward(self, x):\n        return self.out(self.drop(torch.relu(self.fc(x))))\nnet = Net(${inF})\nnet.eval()\nx = torch.randn(3, ${inF})\ny = net(x)\nn = len(list(net.parameters()))\n`);
  }
  add('nn.Parameter and module attributes', `torch.manual_seed(5)\nclass Affine(nn.Module):\n    def __init__(self, n):\n        super().__init__()\n        self.scale = nn.Parameter(torch.ones(n) * 2)\n        self.shift = nn.Parameter(torch.randn(n))\n        self.inner = nn.Linear(n, n)\n    def forward(self, x):\n        return self.inner(x) * self.scale + self.shift\nm = Affine(3)\nm.inner.bias = nn.Parameter(torch.zeros(3))\ny = m(torch.randn(2, 3))\nn = len(list(m.parameters()))\nfirst = list(m.parameters())[0]\nlast = list(m.parameters())[-1]\nflag = m.training\nm.eval()\nflag2 = m.inner.training\n`);
  add('dropout in training mode', 'torch.manual_seed(3)\nx = torch.ones(5, 4)\ny = F.dropout(x, 0.3)\nd = nn.Dropout(0.5)\nz = d(x)\n');
  add('conv2d channel mismatch', 'conv = nn.Conv2d(3, 4, 3)\ny = conv(torch.ones(1, 2, 5, 5))\n');
  add('linear shape mismatch', 'lin = nn.Linear(4, 2)\ny = lin(torch.ones(3, 5))\n');

  // Python around tensors.
  add('python control flow', `x = ${T(r, [4, 3], 'float')}\ntotal = 0.0\nfor row in x:\n    if row.sum() > 0:\n        total += row.max().item()\nsq = [v * v for v in range(5) if v % 2]\nn = len(sq)\ns = sum(sq)\ndef f(a, b=2):\n    return a * b\ng = f(x).sum()\nh = (lambda t: t.mean())(x)\ni = 0\nwhile i < 10:\n    i += 3\nk, (l, m) = 1, (2.5, True)\nz = max(3, 7, 1)\nq = abs(-2.5) + min([4, 2])\nfor j, (a, b) in enumerate(zip([1, 2], [3, 4])):\n    i += j * a * b\n`);
  add('item float int bool', `x = ${T(r, [2, 2], 'float')}\na = x[0, 1].item()\nb = float(x.sum())\nc = int(x.abs().sum())\nd = bool(x.max() > 0)\ne = x.numel()\nf = x.dim()\ng = x.size(1)\nh = x.shape[0]\nl = x.tolist()[1][0]\n`);
  for (let k = 0; k < 3; k++) {
    const s = randomShape(r, 1, 3);
    add('allclose isclose equal', `a = ${T(r, s, 'float')}\nb = a + ${T(r, broadcastPartner(r, s), 'unit')} * 1e-6\nc = torch.allclose(a, b)\nd = torch.allclose(a, b, rtol=0, atol=1e-9)\ne = torch.isclose(a, b, atol=5e-7)\nf = torch.equal(a, a.clone())\ng = torch.equal(a, b)\nh = torch.allclose(a, a + 1.0)\n`);
  }
  // Misuse: PyTorch's exception and exact message.
  const misuse: [string, string][] = [
    ['matmul of two [2, 3]', 'y = torch.ones(2, 3) @ torch.ones(2, 3)\n'],
    ['unsqueeze out of range', 'y = torch.ones(2, 3).unsqueeze(5)\n'],
    ['squeeze out of range', 'y = torch.ones(2, 3).squeeze(3)\n'],
    ['two inferred dims', 'y = torch.ones(6).view(-1, -1)\n'],
    ['transpose out of range', 'y = torch.ones(2, 3).transpose(0, 3)\n'],
    ['index past the end', 'y = torch.ones(3, 2)[:, 2]\n'],
    ['gather index out of range', 'y = torch.ones(2, 3).gather(1, torch.tensor([[0], [3]]))\n'],
    ['randint with low >= high', 'y = torch.randint(5, 2, (3,))\n'],
    ['one_hot with too few classes', 'y = F.one_hot(torch.tensor([0, 2]), 2)\n'],
    ['flatten with start after end', 'y = torch.ones(2, 3, 4).flatten(2, 1)\n'],
    ['arange with step 0', 'y = torch.arange(0, 5, 0)\n'],
    ['expand to fewer dims', 'y = torch.ones(2, 3).expand(3)\n'],
    ['repeat with fewer dims', 'y = torch.ones(2, 3).repeat(2)\n'],
    ['mse_loss of ints', 'y = F.mse_loss(torch.tensor([1, 2]), torch.tensor([1, 3]))\n'],
    ['linear of an int input', 'torch.manual_seed(0)\ny = nn.Linear(4, 2)(torch.ones(3, 4, dtype=torch.int64))\n'],
    ['len of a 0-d tensor', 'y = len(torch.tensor(1.0))\n'],
    ['mean over a missing dim', 'y = torch.ones(2, 3).mean(dim=5)\n'],
    ['softmax over a missing dim', 'y = torch.softmax(torch.ones(2, 3), 3)\n'],
    ['reshape to a wrong size', 'y = torch.ones(2, 3).reshape(7)\n'],
    ['max over a missing dim', 'y = torch.ones(2, 3).max(dim=3)\n'],
    ['index_select over a missing dim', 'y = torch.ones(2, 3).index_select(2, torch.tensor([0]))\n'],
    ['index_select with a matrix index', 'y = torch.ones(2, 3).index_select(1, torch.tensor([[0, 1]]))\n'],
    ['cross_entropy of int logits', 'y = F.cross_entropy(torch.tensor([[1, 2]]), torch.tensor([0]))\n'],
    ['cross_entropy with float class labels', 'y = F.cross_entropy(torch.ones(2, 3), torch.tensor([0.0, 1.0]))\n'],
    ['nll_loss batch mismatch', 'y = F.nll_loss(torch.ones(3, 4), torch.tensor([0, 1]))\n'],
    ['bmm of 2-d tensors', 'y = torch.bmm(torch.ones(2, 3), torch.ones(3, 2))\n'],
    ['dot of matrices', 'y = torch.dot(torch.ones(2, 2), torch.ones(2, 2))\n'],
    ['dot of different lengths', 'y = torch.dot(torch.ones(2), torch.ones(3))\n'],
    ['mm of a vector', 'y = torch.mm(torch.ones(3), torch.ones(3, 2))\n'],
    ['cat of a 0-d tensor', 'y = torch.cat([torch.tensor(1.0), torch.tensor(2.0)])\n'],
    ['cat of different ranks', 'y = torch.cat([torch.ones(2, 3), torch.ones(3)])\n'],
    ['where with shape mismatch', 'y = torch.where(torch.tensor([True, False]), torch.ones(3), torch.zeros(3))\n'],
    ['diag of a 3-d tensor', 'y = torch.diag(torch.ones(2, 2, 2))\n'],
    ['float index', 'y = torch.ones(3)[torch.tensor([0.0])]\n'],
    ['clamp with neither bound', 'y = torch.clamp(torch.ones(2))\n'],
    ['requires_grad on ints', 'y = torch.ones(2, dtype=torch.int64, requires_grad=True)\n'],
    ['unknown keyword', "y = torch.sum(torch.ones(2), dims=0)\n"],
    ['missing argument', 'y = torch.index_select(torch.ones(2), 0)\n'],
    ['too many positional arguments', 'y = torch.ones(2).sum(0, True, 1, 2)\n'],
    ['Conv2d of a 2-d input', 'torch.manual_seed(0)\ny = nn.Conv2d(1, 2, 3)(torch.ones(4, 4))\n'],
    ['kernel larger than the input', 'torch.manual_seed(0)\ny = nn.Conv2d(1, 2, 5)(torch.ones(1, 1, 3, 3))\n'],
    ['BatchNorm1d with one sample', 'torch.manual_seed(0)\ny = nn.BatchNorm1d(3)(torch.ones(1, 3))\n'],
    ['BatchNorm1d with the wrong width', 'torch.manual_seed(0)\ny = nn.BatchNorm1d(3)(torch.ones(4, 5))\n'],
    ['dropout with p > 1', 'y = F.dropout(torch.ones(2), 1.5)\n'],
    ['Sequential of a non-module', 'y = nn.Sequential(nn.ReLU(), 3)\n'],
  ];
  for (const [what, body] of misuse) add(`misuse: ${what}`, body);
  add('item of a many-element tensor is rejected', 'y = torch.ones(2).item()\n');
  add('bool of a many-element tensor is rejected', 'if torch.ones(2) > 0:\n    y = 1\n');
  autogradCases(r, add);
  return cases;
}

/** backward(), .grad, torch.autograd.grad, no_grad, detach, zero_grad and the optimizers, with their errors. */
function autogradCases(r: Rng, add: (id: string, body: string) => void): void {
  const x = (shape: number[]): string => `x = torch.tensor(${T(r, shape, 'float')}, requires_grad=True)\n`;
  add('autograd: backward and .grad', `${x([3, 2])}y = (x * x).sum() + x.mean()\ny.backward()\ng = x.grad\nleaf = x.is_leaf\nrg = y.requires_grad\n`);
  add('autograd: a gradient argument', `${x([3])}(x * 2).backward(torch.tensor([1.0, -2.0, 0.5]))\ng = x.grad\n`);
  add('autograd: retain_graph accumulates', `${x([4])}y = torch.exp(x).sum()\ny.backward(retain_graph=True)\ny.backward()\ng = x.grad\n`);
  add('autograd: a second backward through saved values', `${x([4])}y = (x * x).sum()\ny.backward()\ny.backward()\n`);
  add('autograd: a second backward through an addition needs nothing saved', `${x([4])}y = (x + 1).sum()\ny.backward()\ny.backward()\ng = x.grad\n`);
  add('autograd: a non-scalar output needs a gradient', `${x([3])}(x * 2).backward()\n`);
  add('autograd: nothing requires grad', 'torch.ones(3).sum().backward()\n');
  add('autograd: gradient of the wrong shape', `${x([3])}(x * 2).backward(torch.ones(2))\n`);
  add('autograd: autograd.grad', `${x([2, 3])}w = torch.tensor(${T(r, [3], 'float')}, requires_grad=True)\ny = torch.tanh(x @ w).sum()\ngx, gw = torch.autograd.grad(y, [x, w])\nnone = x.grad is None\n`);
  add('autograd: autograd.grad, unused input', `${x([3])}w = torch.ones(2, requires_grad=True)\ng = torch.autograd.grad((x * 2).sum(), [x, w])\n`);
  add('autograd: autograd.grad, allow_unused', `${x([3])}w = torch.ones(2, requires_grad=True)\ngx, gw = torch.autograd.grad((x * 2).sum(), [x, w], allow_unused=True)\nunused = gw is None\n`);
  add('autograd: autograd.grad of an input that does not require grad', `${x([3])}g = torch.autograd.grad((x * 2).sum(), [torch.ones(3)])\n`);
  add('autograd: autograd.grad, grad_outputs', `${x([3])}y = x * x\n(g,) = torch.autograd.grad(y, x, grad_outputs=torch.tensor([1.0, 0.0, -1.0]))\n`);
  add('autograd: no_grad and detach', `${x([3])}with torch.no_grad():\n    z = x * 2\nd = (x * 5).detach()\nzr = z.requires_grad\ndr = d.requires_grad\ny = (x * 3 + z + d).sum()\ny.backward()\ng = x.grad\n`);
  add('autograd: in-place on a leaf that requires grad', `${x([2])}x += 1\n`);
  add('autograd: in-place on a leaf under no_grad', `${x([2])}with torch.no_grad():\n    x -= 0.5\nleaf = x.is_leaf\nrg = x.requires_grad\n`);
  add('autograd: requires_grad of a computed tensor', `${x([2])}v = x * 2\nv.requires_grad = False\n`);
  add('autograd: requires_grad_ on a fresh tensor', `a = torch.tensor(${T(r, [3], 'float')})\nb = a * 2\na.requires_grad_()\nc = (a * b).sum()\nc.backward()\ng = a.grad\nbr = b.requires_grad\n`);
  const model = 'torch.manual_seed(0)\nl1 = nn.Linear(4, 5)\nl2 = nn.Linear(5, 3)\ndef model(x):\n    return l2(torch.relu(l1(x)))\ninputs = torch.randn(6, 4)\nlabels = torch.randint(0, 3, (6,))\nparams = list(l1.parameters()) + list(l2.parameters())\n';
  const loop = (make: string): string => `${model}opt = ${make}\nfor _ in range(3):\n    opt.zero_grad()\n    loss = F.cross_entropy(model(inputs), labels)\n    loss.backward()\n    opt.step()\nw1 = l1.weight\nb2 = l2.bias\ng1 = l1.weight.grad\nfinal = F.cross_entropy(model(inputs), labels)\n`;
  add('autograd: SGD', loop('torch.optim.SGD(params, lr=0.1)'));
  add('autograd: SGD with momentum, dampening and weight decay', loop('torch.optim.SGD(params, lr=0.05, momentum=0.9, dampening=0.1, weight_decay=0.01)'));
  add('autograd: SGD, Nesterov', loop('torch.optim.SGD(params, lr=0.05, momentum=0.8, nesterov=True)'));
  add('autograd: Adam', loop('torch.optim.Adam(params, lr=0.01)'));
  add('autograd: Adam with betas and weight decay', loop('torch.optim.Adam(params, lr=0.02, betas=(0.8, 0.99), eps=1e-6, weight_decay=0.1)'));
  add('autograd: the seed\'s CE loss, its gradient', `${model}logits = model(inputs)\nloss = -torch.mean(F.log_softmax(logits, dim=1).gather(1, labels.view(-1, 1)))\nloss.backward()\ng1 = l1.weight.grad\ng2 = l2.bias.grad\n`);
  add('autograd: zero_grad zeroes in place', `${model}F.cross_entropy(model(inputs), labels).backward()\nkept = l1.weight.grad\nl1.zero_grad()\nafter = l1.weight.grad\n`);
  add('autograd: a step between forward and backward modifies saved weights', `${model}opt = torch.optim.SGD(params, lr=0.1)\nloss = F.cross_entropy(model(inputs), labels)\nloss.backward(retain_graph=True)\nopt.step()\nloss.backward()\n`);
  add('autograd: an in-place update of a weight backward does not read', `w = torch.tensor(${T(r, [3, 2], 'float')}, requires_grad=True)\nx = torch.tensor(${T(r, [4, 3], 'float')})\ny = (x @ w).sum()\nwith torch.no_grad():\n    w -= 0.1\ny.backward()\ng = w.grad\n`);
  add('autograd: an in-place update of a factor backward reads', `${x([3])}y = (x * x).sum()\nwith torch.no_grad():\n    x.mul_(2)\ny.backward()\n`);
  add('autograd: SGD without a learning rate', `${model}opt = torch.optim.SGD(params)\n`);
  add('reshape of empty tensors (a 0 is a dimension, not ONNX\'s "copy")', 'a = torch.zeros(2, 0, 3)\nb = a.reshape(0, 6)\nc = a.view(3, 0)\nd = torch.ones(0, 4).sum(0)\n');
  const fw = 'import torch.autograd.forward_ad as fwAD\n';
  add('forward AD: make_dual, unpack_dual', `${fw}a = torch.tensor(${T(r, [3, 4], 'float')})\nta = torch.tensor(${T(r, [3, 4], 'float')})\nw = torch.tensor(${T(r, [4, 2], 'float')})\nwith fwAD.dual_level():\n    d = fwAD.make_dual(a, ta)\n    y = torch.tanh(d @ w).sum(dim=1) + F.log_softmax(d, dim=1)[:, 0]\n    primal, tangent = fwAD.unpack_dual(y)\n    plain = fwAD.unpack_dual(w).tangent is None\n`);
  add('forward AD: two duals and a loss', `${fw}a = torch.tensor(${T(r, [4, 3], 'float')})\nw = torch.tensor(${T(r, [3], 'float')})\nlabels = torch.tensor([0, 2, 1, 1])\nwith fwAD.dual_level():\n    da = fwAD.make_dual(a, torch.ones(4, 3))\n    dw = fwAD.make_dual(w, torch.tensor([1.0, -1.0, 0.5]))\n    loss = F.cross_entropy(da * dw, labels)\n    tangent = fwAD.unpack_dual(loss).tangent\n`);
  add('forward AD: outside a dual level', `${fw}d = fwAD.make_dual(torch.ones(2), torch.ones(2))\n`);
  add('forward AD: an integer primal', `${fw}with fwAD.dual_level():\n    d = fwAD.make_dual(torch.tensor([1, 2]), torch.tensor([1, 2]))\n`);
  add('forward AD: a tangent of another size', `${fw}with fwAD.dual_level():\n    d = fwAD.make_dual(torch.ones(2), torch.ones(3))\n`);
  add('autograd: a manual SGD step', `${x([3])}for _ in range(2):\n    loss = ((x - 1.5) ** 2).sum()\n    loss.backward()\n    with torch.no_grad():\n        x -= 0.1 * x.grad\n        x.grad.zero_()\n`);
}
