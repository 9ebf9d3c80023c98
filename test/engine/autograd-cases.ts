/**
 * Random programs for gradients of gradients (create_graph=True): a first gradient by autograd.grad or
 * backward(create_graph=True), differentiated again (a Hessian-vector product, a gradient penalty), over
 * the differentiable ops, and compared with PyTorch. Seeded: the same cases every run.
 */
import type { Case } from './oracle';
import { Rng, randomShape, tensorLiteral as T } from './oracle';

const HEAD = 'import torch\nimport torch.nn.functional as F\n';

const EXPRESSIONS = [
  'x ** 3', 'x.sin() * x', 'x.exp()', 'x.tanh()', 'x.sigmoid()', '(x * x).log()', 'x.cos() ** 2', 'F.softplus(x)' /* may be unsupported */,
  'x.softmax(-1)', 'x.log_softmax(-1)', 'x / (1 + x * x)', 'torch.sqrt(x * x + 1)', 'x.abs() * x', 'torch.maximum(x, x * 0.5)',
  '(x @ x.t()).sum() * x if x.dim() == 2 else x * x.sum()', 'x[..., ::2].sum() * x', 'x.logsumexp(-1, keepdim=True) * x',
];

export function generateAutogradCases(seed = 20261203): Case[] {
  const r = new Rng(seed);
  const cases: Case[] = [];
  const add = (id: string, body: string): void => {
    cases.push({ id: `${id}#g${cases.length}`, source: HEAD + body });
  };
  for (const e of EXPRESSIONS.filter((x) => !x.includes('softplus'))) {
    const shape = randomShape(r, 1, 2, 4);
    const v = T(r, shape, 'float');
    add(`second derivative of ${e}`, `x = ${T(r, shape, 'float')}.requires_grad_()\ny = (${e}).sum()\ng, = torch.autograd.grad(y, x, create_graph=True)\nhv, = torch.autograd.grad((g * ${v}).sum(), x)\ng1 = g.detach()\n`);
  }
  for (let k = 0; k < 8; k++) {
    const n = r.int(2, 4);
    const m = r.int(2, 4);
    add(
      'a gradient penalty on a layer',
      `torch.manual_seed(${k})\nw = torch.randn(${m}, ${n}, requires_grad=True)\nx = torch.randn(5, ${n}, requires_grad=True)\nout = torch.tanh(x @ w.t()).sum()\ngx, = torch.autograd.grad(out, x, create_graph=True)\npenalty = (gx.norm(dim=1) - 1).pow(2).mean()\npenalty.backward()\ngw = w.grad\ngxx = x.grad\n`,
    );
  }
  add('backward(create_graph=True), then the gradient differentiated', 'a = torch.tensor([1.0, -2.0, 0.5], requires_grad=True)\n(a ** 3).sum().backward(create_graph=True)\nfirst = a.grad.detach().clone()\nrg = a.grad.requires_grad\nsecond, = torch.autograd.grad(a.grad.sum(), a)\n');
  add('create_graph keeps the graph: a second backward works', 'x = torch.tensor([0.3, 1.2], requires_grad=True)\ny = (x.exp() * x).sum()\ng, = torch.autograd.grad(y, x, create_graph=True)\ny.backward()\nfirst = x.grad.clone()\n');
  add('a gradient without create_graph does not require grad', 'x = torch.tensor([0.3, 1.2], requires_grad=True)\ng, = torch.autograd.grad((x * x).sum(), x)\nrg = g.requires_grad\ng.sum().backward()\n');
  return cases;
}
