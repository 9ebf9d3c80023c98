/**
 * Random programs that train through convolutions: nn.Conv2d with random strides, padding, dilation,
 * groups and bias, in small CNNs (conv, ReLU, conv, flatten, linear, cross-entropy) stepped by SGD, and
 * gradient penalties (a gradient with respect to the input taken with create_graph=True, then
 * differentiated with respect to the weights). The input's, weights' and biases' gradients, the losses
 * and the stepped weights are compared with PyTorch. Seeded: the same cases every run.
 */
import type { Case } from './oracle';
import { Rng, tensorLiteral as T } from './oracle';

const HEAD = 'import torch\nimport torch.nn as nn\nimport torch.nn.functional as F\n';

interface ConvConfig {
  readonly cin: number;
  readonly cout: number;
  readonly code: string;
  /** The output's spatial sizes for an input of `size`. */
  readonly out: (size: readonly number[]) => number[];
}

function randomConv(r: Rng, cin: number): ConvConfig {
  const groups = cin % 2 === 0 && r.bool(0.4) ? 2 : 1;
  const cout = groups * r.int(1, 3);
  const k = [r.int(1, 3), r.int(1, 3)];
  const s = [r.int(1, 2), r.int(1, 2)];
  const p = [r.int(0, 1), r.int(0, 1)];
  const d = r.bool(0.3) ? [2, 2] : [1, 1];
  const bias = r.bool(0.8);
  const pair = (v: number[]): string => (v[0] === v[1] ? `${v[0]}` : `(${v[0]}, ${v[1]})`);
  const code = `nn.Conv2d(${cin}, ${cout}, ${pair(k)}, stride=${pair(s)}, padding=${pair(p)}, dilation=${pair(d)}, groups=${groups}${bias ? '' : ', bias=False'})`;
  const out = (size: readonly number[]): number[] => size.map((n, i) => Math.floor((n + 2 * (p[i] as number) - (d[i] as number) * ((k[i] as number) - 1) - 1) / (s[i] as number)) + 1);
  return { cin, cout, code, out };
}

export function generateConvCases(seed = 20261202): Case[] {
  const r = new Rng(seed);
  const cases: Case[] = [];
  const add = (id: string, body: string): void => {
    cases.push({ id: `${id}#c${cases.length}`, source: HEAD + body });
  };
  for (let k = 0; k < 10; k++) {
    const cin = r.int(1, 4);
    const size = [r.int(5, 8), r.int(5, 8)];
    const first = randomConv(r, cin);
    const second = randomConv(r, first.cout);
    const out = second.out(first.out(size));
    const batch = r.int(1, 3);
    const features = second.cout * (out[0] as number) * (out[1] as number);
    const labels = Array.from({ length: batch }, () => r.int(0, 2));
    add(
      `a CNN trained by SGD: ${first.code}, ${second.code}`,
      `torch.manual_seed(${k})\nc1 = ${first.code}\nc2 = ${second.code}\nfc = nn.Linear(${features}, 3)\n` +
        `params = list(c1.parameters()) + list(c2.parameters()) + list(fc.parameters())\nopt = torch.optim.SGD(params, lr=0.1, momentum=0.5)\n` +
        `x = torch.tensor(${T(r, [batch, cin, ...size], 'float')}).requires_grad_()\nlabels = torch.tensor([${labels.join(', ')}])\nlosses = []\n` +
        `for step in range(3):\n    opt.zero_grad()\n    loss = F.cross_entropy(fc(F.relu(c2(F.relu(c1(x)))).flatten(1)), labels)\n    loss.backward()\n    opt.step()\n    losses.append(loss.item())\n` +
        `gx = x.grad\ng1 = c1.weight.grad\ng2 = c2.weight.grad\nb1 = c1.bias.grad if c1.bias is not None else None\nw1 = c1.weight.detach()\nw2 = c2.weight.detach()\n`,
    );
  }
  for (let k = 0; k < 4; k++) {
    const cin = r.int(1, 3);
    const conv = randomConv(r, cin);
    const size = [r.int(4, 6), r.int(4, 6)];
    add(
      `a gradient penalty through ${conv.code}`,
      `torch.manual_seed(${k})\nconv = ${conv.code}\nx = torch.tensor(${T(r, [2, cin, ...size], 'float')}).requires_grad_()\n` +
        'y = torch.tanh(conv(x)).sum()\ngx, = torch.autograd.grad(y, x, create_graph=True)\npenalty = (gx ** 2).sum()\npenalty.backward()\n' +
        'gw = conv.weight.grad\ngb = conv.bias.grad if conv.bias is not None else None\ngx1 = gx.detach()\n',
    );
  }
  // The version counter: the input or the weight changed in place between forward and backward.
  add('the input of a convolution changed in place before backward', 'conv = nn.Conv2d(1, 2, 2)\nx = torch.ones(1, 1, 3, 3)\ny = conv(x).sum()\nx += 1\ny.backward()\n');
  add('a step between forward and backward', 'conv = nn.Conv2d(1, 2, 2)\nopt = torch.optim.SGD(conv.parameters(), lr=0.1)\nx = torch.ones(1, 1, 3, 3, requires_grad=True)\nloss = conv(x).sum()\nloss.backward(retain_graph=True)\nopt.step()\nloss.backward()\n');
  return cases;
}
