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
  return cases;
}
