/**
 * Random programs over the torch.nn surface: the module tree (Sequential / ModuleList / ModuleDict
 * indexing, len and iteration, named_parameters, named_modules, state_dict / load_state_dict, train/eval,
 * requires_grad_), the layers, activations and losses, forward values and the gradients of inputs and
 * parameters after backward, compared with PyTorch. Seeded: the same cases every run.
 */
import type { Case } from './oracle';
import { Rng, tensorLiteral as T } from './oracle';

const HEAD = 'import torch\nimport torch.nn as nn\nimport torch.nn.functional as F\n';

/** A small network whose modules sit in every kind of container, registered in a mixed order. */
const NET = `
class Net(nn.Module):
    def __init__(self, n):
        super(Net, self).__init__()
        self.body = nn.Sequential(nn.Linear(n, 4), nn.Tanh(), nn.Linear(4, 3))
        self.scale = nn.Parameter(torch.ones(3))
        self.heads = nn.ModuleList([nn.Linear(3, 3)])
        self.heads.append(nn.Linear(3, 2))
        self.heads.extend([nn.Linear(2, 2)])
        self.d = nn.ModuleDict({'a': nn.Linear(2, 1), 'b': nn.Linear(2, 1)})
        self.bn = nn.BatchNorm1d(3)
    def forward(self, x):
        y = self.bn(self.body(x) * self.scale)
        for h in self.heads:
            y = torch.tanh(h(y))
        return self.d['a'](y) + self.d['b'](y)
`;

export function generateSurfaceNnCases(seed = 20261204): Case[] {
  const r = new Rng(seed);
  const cases: Case[] = [];
  const add = (id: string, body: string): void => {
    cases.push({ id: `${id}#n${cases.length}`, source: HEAD + body });
  };
  for (let k = 0; k < 4; k++) {
    const n = r.int(2, 4);
    const x = T(r, [5, n], 'float');
    add('the module tree: containers, parameters in order, gradients', `${NET}torch.manual_seed(${k})\nnet = Net(${n})\nx = ${x}\nout = net(x)\nout.sum().backward()\n` +
      'flat = torch.cat([p.flatten() for p in net.parameters()])\ngrads = torch.cat([p.grad.flatten() for p in net.parameters()])\n' +
      'names = [name for name, _ in net.named_parameters()]\nn_params = len(names)\nfirst_is_scale = names[0] == "scale"\nhas_d = "d.b.bias" in names\n' +
      'n_modules = len(list(net.modules()))\nn_named = len(list(net.named_modules()))\nn_children = len(list(net.children()))\nchild_names = len(list(net.named_children()))\n' +
      'lens = torch.tensor([len(net.body), len(net.heads), len(net.d), len(list(net.d.keys())), len(net.body[1:]), len(net.heads[:2])])\n' +
      'w_last = net.body[-1].weight\nw_first = net.heads[0].weight.grad\nw_dict = net.d["b"].weight.grad\nsliced = net.body[:1](x)\n' +
      'iter_sum = sum(m.weight.sum() for m in net.heads)\nkeys_ok = [k for k in net.d] == list(net.d.keys())\nitems = torch.cat([m.bias for _, m in net.d.items()])\nvals = torch.cat([m.bias for m in net.d.values()])\n' +
      'rm = net.bn.running_mean\nrv = net.bn.running_var\nnbt = net.bn.num_batches_tracked\n');
  }
  for (let k = 0; k < 3; k++) {
    const n = r.int(2, 4);
    const x = T(r, [4, n], 'float');
    add('state_dict / load_state_dict copy values in place', `${NET}torch.manual_seed(${k})\nnet = Net(${n})\nnet(${x})\nsd = net.state_dict()\n` +
      'keys = list(sd.keys())\nn_keys = len(keys)\nhas_buffers = "bn.running_mean" in keys and "bn.num_batches_tracked" in keys\nstate = torch.cat([v.flatten().float() for v in sd.values()])\n' +
      `torch.manual_seed(${k + 10})\nother = Net(${n})\nw = other.body[0].weight\nother.load_state_dict(sd)\nsame = w is other.body[0].weight\nloaded = torch.cat([v.flatten().float() for v in other.state_dict().values()])\n` +
      'shares = sd["body.0.weight"].data_ptr() == net.body[0].weight.data_ptr()\nsd_grad = sd["scale"].requires_grad\n' +
      `out = other(${x})\nout.sum().backward()\ng = other.body[0].weight.grad\n`);
  }
  add('load_state_dict: missing and unexpected keys', `${NET}net = Net(2)\nnet.load_state_dict({'x': torch.ones(1)})\n`);
  add('load_state_dict: size mismatch', `${NET}net = Net(2)\nsd = net.state_dict()\nsd['scale'] = torch.ones(4)\nnet.load_state_dict(sd)\n`);
  add('load_state_dict(strict=False)', `${NET}net = Net(2)\nsd = net.state_dict()\nsd = {k: v for k, v in sd.items() if k != 'scale'}\nnet.load_state_dict(sd, strict=False)\nw = net.scale\n`);
  add('Sequential index out of range', 'seq = nn.Sequential(nn.Linear(2, 2), nn.ReLU())\nm = seq[2]\n');
  add('Sequential negative index', 'torch.manual_seed(0)\nseq = nn.Sequential(nn.Linear(2, 2), nn.ReLU(), nn.Linear(2, 1))\nw = seq[-1].weight\nw2 = seq[-3].weight\nn = len(seq[::2])\n');
  add('ModuleDict missing key', "d = nn.ModuleDict({'a': nn.ReLU()})\nm = d['b']\n");
  add('Sequential of a non-module', 'seq = nn.Sequential(nn.ReLU(), 3)\n');
  add('train / eval / requires_grad_', `${NET}net = Net(2)\nt0 = net.training\nnet.eval()\nt1 = net.bn.training\nt2 = net.body[0].training\nnet.train()\nt3 = net.d['a'].training\nnet.requires_grad_(False)\nrg = net.scale.requires_grad\nrg2 = net.heads[1].weight.requires_grad\nnet.train(False)\nt4 = net.heads[0].training\n`);
  add('zero_grad on a module', `${NET}torch.manual_seed(1)\nnet = Net(2)\nnet(torch.randn(3, 2)).sum().backward()\nnet.zero_grad()\ng = net.body[0].weight.grad\nnet.zero_grad(set_to_none=True)\nnone = net.body[0].weight.grad is None\n`);
  add('a plain list of modules is not registered', 'class M(nn.Module):\n    def __init__(self):\n        super().__init__()\n        self.layers = [nn.Linear(2, 2)]\n        self.out = nn.Linear(2, 1)\nn = len(list(M().parameters()))\n');
  add('super(Cls, self) with a wrong instance', 'class A(nn.Module):\n    def __init__(self):\n        super(A, self).__init__()\nclass B(nn.Module):\n    def __init__(self):\n        super(A, self).__init__()\nb = B()\n');
  // Activations, normalisation and distances: forward values and input gradients.
  for (const e of ACTIVATIONS) {
    for (let k = 0; k < 2; k++) {
      const shape = [r.int(1, 4), r.int(2, 5)];
      add(`activation ${e}`, `x = ${T(r, shape, 'float')}.requires_grad_()\nv = ${T(r, shape, 'float')}\ny = ${e}\n(y * v).sum().backward() if y.shape == v.shape else y.sum().backward()\ng = x.grad\n`);
    }
  }
  for (const e of POOLS) {
    const shape = [r.int(1, 2), r.int(1, 3), r.int(4, 7), r.int(4, 7)];
    add(`pooling ${e}`, `x = ${T(r, shape, 'float')}.requires_grad_()\ny = ${e}\n(y * y).sum().backward()\ng = x.grad\n`);
  }
  add('pooling: a window larger than the input', 'x = torch.ones(1, 1, 2, 2)\ny = F.max_pool2d(x, 3)\n');
  add('pooling: padding over half the kernel', 'x = torch.ones(1, 1, 4, 4)\ny = F.avg_pool2d(x, 2, padding=2)\n');
  add('max pooling ties: the first maximum takes the gradient', 'x = torch.tensor([[[[1., 1., 0.], [1., 0., 2.], [2., 2., 2.]]]], requires_grad=True)\ny = F.max_pool2d(x, 2, stride=1)\ny.sum().backward()\ng = x.grad\n');
  for (const e of LOSSES) {
    for (let k = 0; k < 2; k++) {
      const n = r.int(2, 5);
      const c = r.int(2, 4);
      add(`loss ${e}`, `torch.manual_seed(${k})\nx = ${T(r, [n, c], 'float')}.requires_grad_()\nt = torch.rand(${n}, ${c})\nw = torch.rand(${c}) + 0.5\nl = ${e}\nl.sum().backward()\ng = x.grad\n`);
    }
  }
  for (const e of CROSS_ENTROPY) {
    for (let k = 0; k < 2; k++) {
      const n = r.int(2, 6);
      const c = r.int(2, 5);
      const target = Array.from({ length: n }, () => r.int(0, c - 1));
      if (k === 1) target[0] = -100;
      add(`cross_entropy ${e}`, `x = ${T(r, [n, c], 'float')}.requires_grad_()\nt = torch.tensor([${target.join(', ')}])\nw = torch.linspace(0.5, 2.0, ${c})\nl = ${e}\nl.sum().backward()\ng = x.grad\n`);
    }
  }
  add('binary_cross_entropy outside [0, 1]', 'l = F.binary_cross_entropy(torch.tensor([0.5, 1.5]), torch.tensor([1.0, 0.0]))\n');
  add('binary_cross_entropy with another target size', 'l = F.binary_cross_entropy(torch.tensor([[0.5], [0.2]]), torch.tensor([1.0, 0.0]))\n');
  add('label_smoothing out of range', 'l = F.cross_entropy(torch.randn(3, 2), torch.tensor([0, 1, 1]), label_smoothing=1.5)\n');
  // Layers with parameters: LayerNorm, Embedding, BatchNorm2d, through training steps.
  for (let k = 0; k < 3; k++) {
    const d = r.int(2, 5);
    add('LayerNorm, Embedding and BatchNorm2d layers', `torch.manual_seed(${k})\nemb = nn.Embedding(7, ${d}, padding_idx=${k === 0 ? 'None' : k === 1 ? 0 : -1})\nln = nn.LayerNorm(${d})\nbn = nn.BatchNorm2d(2)\n` +
      `idx = torch.tensor([[${r.int(0, 6)}, 0, 6], [${r.int(0, 6)}, ${r.int(0, 6)}, 1]])\nimg = torch.randn(3, 2, 5, 5)\nopt = torch.optim.SGD(list(emb.parameters()) + list(ln.parameters()) + list(bn.parameters()), lr=0.1)\n` +
      'for step in range(2):\n    opt.zero_grad()\n    h = ln(emb(idx))\n    p = F.max_pool2d(torch.relu(bn(img)), 2)\n    loss = (h ** 2).mean() + p.mean() + F.avg_pool2d(p, 1).pow(2).sum()\n    loss.backward()\n    opt.step()\n' +
      'we = emb.weight\nge = emb.weight.grad\nwl = ln.weight\nbl = ln.bias\nrm = bn.running_mean\nrv = bn.running_var\nnbt = bn.num_batches_tracked\ngb = bn.weight.grad\n');
  }
  add('Embedding index out of range', 'emb = nn.Embedding(3, 2)\ne = emb(torch.tensor([0, 3]))\n');
  add('LayerNorm shape mismatch', 'ln = nn.LayerNorm(4)\ny = ln(torch.randn(2, 3))\n');
  add('BatchNorm2d of a 3-D input', 'bn = nn.BatchNorm2d(3)\ny = bn(torch.randn(2, 3, 4))\n');
  add('in-place activations', 'torch.manual_seed(0)\nx = torch.randn(3, 4)\ny = x.clone()\nz = F.elu(y, inplace=True)\nsame = z is y\nm = nn.LeakyReLU(0.3, inplace=True)\nw = x.clone()\nm(w)\n');
  add('dtype names compare as PyTorch\'s', 'x = torch.tensor([1.5, 2.0])\na = x.dtype == torch.int32\nb = torch.int32 == torch.int\nc = torch.int32 != torch.int64\nd = torch.float16.is_floating_point\ne = torch.long == torch.int64\nf = torch.double == torch.float64\ng = x.dtype == torch.float\nh = torch.uint8 == torch.int8\ni = torch.half == torch.float16\n');
  // nn.init: in place, the random ones drawing PyTorch's numbers from the seeded generator.
  for (const e of INITS) {
    const shape = r.pick([[4, 3], [20, 5], [3, 2, 3, 3], [17]]);
    add(`nn.init ${e}`, `torch.manual_seed(${r.int(0, 99)})\nw = torch.empty(${shape.join(', ')}, requires_grad=True)\nout = ${e.replace(/W/g, 'w')}\nsame = out is w\nrg = w.requires_grad\nafter = torch.rand(3)\n(w * w).sum().backward()\ng = w.grad\n`);
  }
  add('nn.init on a layer, then training', 'torch.manual_seed(5)\nl = nn.Linear(4, 3)\nnn.init.kaiming_uniform_(l.weight, nonlinearity="relu")\nnn.init.zeros_(l.bias)\nopt = torch.optim.SGD(l.parameters(), lr=0.1)\nx = torch.randn(6, 4)\nfor _ in range(2):\n    opt.zero_grad()\n    F.relu(l(x)).pow(2).mean().backward()\n    opt.step()\nw = l.weight\nb = l.bias\ngain = nn.init.calculate_gain("leaky_relu", 0.2)\n');
  add('nn.init: fans of a 1-D tensor', 'w = torch.empty(3)\nnn.init.xavier_uniform_(w)\n');
  // import copy: deep copies with their own storages, shallow copies sharing.
  for (let k = 0; k < 2; k++) {
    const n = r.int(2, 4);
    add('copy.deepcopy of a module: independent parameters', `import copy\n${NET}torch.manual_seed(${k})\nnet = Net(${n})\nx = ${T(r, [4, n], 'float')}\nnet(x).sum().backward()\ntwin = copy.deepcopy(net)\nno_grad_copied = twin.body[0].weight.grad is None\n` +
      'opt = torch.optim.SGD(net.parameters(), lr=0.5)\nopt.step()\nmoved = net.body[0].weight\nkept = twin.body[0].weight\nis_param = isinstance(twin.scale, nn.Parameter)\nrg = twin.scale.requires_grad\ndistinct = twin.body is not net.body\n' +
      'twin.zero_grad()\nout = twin(x)\nout.sum().backward()\ng = twin.heads[0].weight.grad\ng_orig = net.heads[0].weight.grad\nsd_keys = len(twin.state_dict())\nrm = twin.bn.running_mean\n');
  }
  add('copy.deepcopy of tensors and containers', 'import copy\ntorch.manual_seed(0)\na = torch.randn(3)\nb = torch.randn(2, requires_grad=True)\n(b * b).sum().backward()\nd = {"a": a, "l": [a, b]}\ne = copy.deepcopy(d)\ne["a"].add_(1)\nsame_inside = e["a"] is e["l"][0]\na_after = a\nea = e["a"]\nrg = e["l"][1].requires_grad\nleaf = e["l"][1].is_leaf\ngrad_copy = e["l"][1].grad\nf = copy.copy(d)\nshares = f["a"] is a\nl2 = copy.copy([a, b])\nl2.append(1)\nn = len(l2)\n');
  add('copy.deepcopy of a non-leaf tensor', 'import copy\nx = torch.ones(2, requires_grad=True)\ny = copy.deepcopy(x * 2)\n');
  // Optimizers: parameter groups (their own settings, the defaults for the rest), lr changed between steps, add_param_group.
  for (const opt of ['SGD', 'Adam']) {
    for (let k = 0; k < 2; k++) {
      const n = r.int(2, 4);
      const kw = opt === 'SGD' ? "'lr': 0.3, 'momentum': 0.9" : "'lr': 0.05, 'betas': (0.8, 0.95)";
      add(`${opt} with parameter groups`, `torch.manual_seed(${k})\nm = nn.Sequential(nn.Linear(${n}, 4), nn.Tanh(), nn.Linear(4, 1))\nx = ${T(r, [5, n], 'float')}\n` +
        `opt = torch.optim.${opt}([{'params': m[0].parameters()}, {'params': m[2].parameters(), ${kw}}], lr=0.1)\n` +
        'for i in range(3):\n    opt.zero_grad()\n    m(x).pow(2).mean().backward()\n    opt.step()\n    opt.param_groups[0]["lr"] *= 0.5\n' +
        'extra = nn.Parameter(torch.ones(2))\nopt.add_param_group({"params": [extra], "lr": 1.0})\n(extra * torch.tensor([1., 2.])).sum().backward()\nopt.step()\n' +
        'w0 = m[0].weight\nw2 = m[2].weight\nb2 = m[2].bias\nn_groups = len(opt.param_groups)\nlr0 = opt.param_groups[0]["lr"]\nlr1 = opt.param_groups[1]["lr"]\nn_keys = len(opt.param_groups[1])\nwd = opt.param_groups[2]["weight_decay"]\n');
    }
  }
  add('a parameter in two groups', 'l = nn.Linear(2, 2)\nopt = torch.optim.SGD([{"params": l.parameters()}, {"params": [l.weight]}], lr=0.1)\n');
  add('a group without lr', 'l = nn.Linear(2, 2)\nopt = torch.optim.SGD([{"params": [l.weight], "lr": 0.1}, {"params": [l.bias]}])\n');
  add('an empty parameter list', 'opt = torch.optim.Adam([], lr=0.1)\n');
  // BatchNorm's running statistics: cumulative averages (momentum=None), none at all (track_running_stats=False).
  for (let k = 0; k < 3; k++) {
    const [c, batches] = [r.int(1, 3), r.int(2, 4)];
    const bn = k === 2 ? `nn.BatchNorm2d(${c}, momentum=None)` : `nn.BatchNorm1d(${c}, momentum=None)`;
    const shape = k === 2 ? [4, c, 2, 2] : [4, c];
    add(`${bn} over ${batches} batches`,
      `bn = ${bn}\n` + Array.from({ length: batches }, () => `_ = bn(torch.tensor(${T(r, shape, 'float')}))\n`).join('') +
      `rm = bn.running_mean.clone()\nrv = bn.running_var.clone()\nn = bn.num_batches_tracked.item()\nbn.eval()\ny = bn(torch.tensor(${T(r, shape, 'float')})).detach()\n`);
  }
  add('BatchNorm1d(track_running_stats=False) in train and eval mode',
    `bn = nn.BatchNorm1d(3, track_running_stats=False)\nx = torch.tensor(${T(r, [5, 3], 'float')}).requires_grad_()\ny = bn(x)\n(y * torch.arange(15.0).view(5, 3)).sum().backward()\ng = x.grad\nbn.eval()\nz = bn(x).detach()\nnone = bn.running_mean is None and bn.num_batches_tracked is None\ny = y.detach()\n`);
  return cases;
}

const INITS = [
  'nn.init.zeros_(W)', 'nn.init.ones_(W)', 'nn.init.constant_(W, 0.3)', 'nn.init.uniform_(W)', 'nn.init.uniform_(W, -2, 0.5)', 'nn.init.normal_(W)', 'nn.init.normal_(W, mean=1.0, std=0.1)',
  'nn.init.xavier_uniform_(W) if W.dim() > 1 else nn.init.uniform_(W)', "nn.init.xavier_normal_(W, gain=nn.init.calculate_gain('tanh')) if W.dim() > 1 else nn.init.normal_(W)",
  'nn.init.kaiming_uniform_(W) if W.dim() > 1 else nn.init.zeros_(W)', "nn.init.kaiming_uniform_(W, a=0.2, mode='fan_out') if W.dim() > 1 else nn.init.zeros_(W)", "nn.init.kaiming_normal_(W, nonlinearity='relu') if W.dim() > 1 else nn.init.zeros_(W)",
  "nn.init.kaiming_normal_(W, mode='fan_out', nonlinearity='leaky_relu') if W.dim() > 1 else nn.init.zeros_(W)",
];

const ACTIVATIONS = [
  'F.gelu(x)', "F.gelu(x, approximate='tanh')", 'nn.GELU()(x)', 'F.elu(x)', 'F.elu(x, alpha=0.3)', 'nn.ELU(2.0)(x)', 'F.leaky_relu(x)', 'F.leaky_relu(x, 0.2)', 'nn.LeakyReLU(negative_slope=0.1)(x)',
  'F.softplus(x)', 'F.softplus(x * 10, beta=2, threshold=5)', 'nn.Softplus(beta=0.5)(x)', 'F.layer_norm(x, x.shape[-1:])', 'F.layer_norm(x, x.shape)',
  'F.normalize(x)', 'F.normalize(x, dim=0)', 'F.normalize(x, p=1, dim=-1)', 'F.cosine_similarity(x, (x + 0.5) ** 2)', 'F.cosine_similarity(x, x * 2 - 1, dim=0)', 'nn.CosineSimilarity(dim=1)(x, x.exp())',
];
const POOLS = [
  'F.max_pool2d(x, 2)', 'F.max_pool2d(x, 3, stride=1, padding=1)', 'F.max_pool2d(x, (2, 3), stride=(1, 2))', 'nn.MaxPool2d(2, stride=1)(x)', 'nn.MaxPool2d(kernel_size=3, stride=2, padding=1)(x[0])',
  'F.avg_pool2d(x, 2)', 'F.avg_pool2d(x, 3, stride=2, padding=1)', 'F.avg_pool2d(x, 3, padding=1, count_include_pad=False)', 'nn.AvgPool2d(2, stride=1)(x)', 'F.avg_pool2d(x, 2, divisor_override=3)',
];
const LOSSES = [
  'F.binary_cross_entropy(torch.sigmoid(x), t)', "F.binary_cross_entropy(torch.sigmoid(x), t, weight=w, reduction='sum')", "nn.BCELoss(reduction='none')(torch.sigmoid(x), t)",
  'F.binary_cross_entropy_with_logits(x, t)', "F.binary_cross_entropy_with_logits(x, t, weight=w, reduction='none')", 'F.binary_cross_entropy_with_logits(x, t, pos_weight=w * 2)', 'nn.BCEWithLogitsLoss(pos_weight=w)(x, t)',
  'F.kl_div(F.log_softmax(x, 1), F.softmax(t, 1))', "F.kl_div(F.log_softmax(x, 1), F.softmax(t, 1), reduction='batchmean')", "F.kl_div(x.log_softmax(1), t.log_softmax(1), reduction='sum', log_target=True)",
  "nn.KLDivLoss(reduction='none')(x.log_softmax(1), t.softmax(1))", "F.kl_div(x, t * (t > 0.5), reduction='sum')",
  'F.smooth_l1_loss(x, t)', 'F.smooth_l1_loss(x, t, beta=0.3)', "F.smooth_l1_loss(x, t, beta=0.0, reduction='sum')", "nn.SmoothL1Loss(beta=2.0, reduction='none')(x, t)",
  'F.huber_loss(x, t)', 'F.huber_loss(x, t, delta=0.4)', "nn.HuberLoss(reduction='sum', delta=1.5)(x, t)",
];
const CROSS_ENTROPY = [
  'F.cross_entropy(x, t, label_smoothing=0.1)', 'F.cross_entropy(x, t, weight=w, label_smoothing=0.2)', "F.cross_entropy(x, t, label_smoothing=0.3, reduction='sum')",
  "F.cross_entropy(x, t, weight=w, label_smoothing=0.15, reduction='none')", 'nn.CrossEntropyLoss(weight=w, label_smoothing=0.05)(x, t)', 'F.cross_entropy(x, t.clamp(min=0).softmax(0).unsqueeze(1).expand(-1, x.shape[1]) * 0 + 1.0 / x.shape[1], label_smoothing=0.4)',
  'F.cross_entropy(x, t, ignore_index=1, label_smoothing=0.2)', "F.cross_entropy(x, t, weight=w, reduction='sum')", 'F.cross_entropy(x[0], t[1].clamp(min=0), label_smoothing=0.1)',
];
