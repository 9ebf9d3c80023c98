/**
 * `nbcheck exec`: programs in the subset, run through the built CLI, against real PyTorch; the JSON
 * contract for values and errors; the device and the CPU fallback.
 */
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compareOutcomes, oracleAvailable, runOracle, type Outcome } from '../engine/oracle';
import { CLI } from '../helpers';

const dir = mkdtempSync(join(tmpdir(), 'nbcheck-exec-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function exec(source: string, ...args: string[]): { code: number; out: string; err: string; json: Record<string, unknown> } {
  const file = join(dir, `p${Math.random().toString(36).slice(2)}.py`);
  writeFileSync(file, source);
  const r = spawnSync(process.execPath, [CLI, 'exec', file, ...args], { encoding: 'utf8' });
  let json: Record<string, unknown> = {};
  try {
    json = JSON.parse(r.stdout) as Record<string, unknown>;
  } catch {
    // not JSON: the test says so
  }
  return { code: r.status ?? -1, out: r.stdout, err: r.stderr, json };
}

/** Programs written for this test, not drawn from the op generator. */
const PROGRAMS: Record<string, string> = {
  'a two-layer MLP and its CE loss': `import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(7)
class MLP(nn.Module):
    def __init__(self, d_in, d_hidden, n_classes):
        super().__init__()
        self.hidden = nn.Linear(d_in, d_hidden)
        self.out = nn.Linear(d_hidden, n_classes)

    def forward(self, x):
        return self.out(torch.tanh(self.hidden(x)))

model = MLP(6, 8, 4)
x = torch.randn(10, 6)
y = torch.randint(0, 4, (10,))
logits = model(x)
loss = F.cross_entropy(logits, y)
pred = logits.argmax(dim=1)
accuracy = (pred == y).float().mean().item()
probs = logits.softmax(dim=-1)
`,
  'numerics with broadcasting and promotion': `import torch
import math
a = torch.arange(12).reshape(3, 4)
b = a / 3
c = a // 3 + a % 3
d = torch.where(a > 5, b, -b) * math.pi
e = torch.tensor([[1.5], [2.5], [-0.5]]) ** 2 + a
n = e.norm()
m = d.max(dim=1).indices
s = float(d.sum())
k = int(a.sum())
flags = (a % 2 == 0) & (a > 2)
count = flags.sum().item()
`,
  'loops, comprehensions and functions over tensors': `import torch
torch.manual_seed(0)
w = torch.randn(3, 3)
def power_iteration(m, steps=20):
    v = torch.ones(3)
    for _ in range(steps):
        v = m @ v
        v = v / v.norm()
    return v
v = power_iteration(w @ w.T)
rayleigh = (v @ (w @ w.T) @ v).item()
rows = torch.stack([w[i] * (i + 1) for i in range(3)])
total = sum(r.sum() for r in rows)
i = 0
while total > 0 and i < 50:
    total = total - 1.5
    i += 1
`,
  'indexing and in-place updates': `import torch
torch.manual_seed(3)
x = torch.randn(5, 4)
y = torch.tensor([3, 0, 1, 1, 2])
picked = x[torch.arange(5), y]
top = x[x[:, 0] > 0]
x[x < -1] = -1.0
x[:, 2] = 0.0
x += 1
one_hot = torch.nn.functional.one_hot(y, 4).float()
masked = x.masked_fill(one_hot.bool(), float('-inf')).max(dim=1).values
`,
};

describe('cli: exec', function () {
  this.timeout(60_000);
  const oracle = oracleAvailable();

  it('matches PyTorch on programs written for this test (max relative error 1e-5)', function () {
    if (!oracle.ok) this.skip();
    const ids = Object.keys(PROGRAMS);
    const theirs = runOracle(ids.map((id) => ({ id, source: PROGRAMS[id] as string })));
    for (const id of ids) {
      const r = exec(PROGRAMS[id] as string, '--device', 'cpu');
      assert.equal(r.code, 0, `${id}: ${r.out}${r.err}`);
      assert.equal(r.json['device'], 'cpu');
      const diffs = compareOutcomes({ variables: r.json['variables'] } as Outcome, theirs[id] as Outcome);
      assert.deepEqual(diffs, [], id);
      assert.ok(Object.keys(r.json['variables'] as object).length >= 5, `${id}: variables are exported`);
    }
  });

  it('print writes what PyTorch prints (to stderr, keeping stdout JSON)', function () {
    if (!oracle.ok) this.skip();
    const program = [
      'import torch',
      'x = torch.ones(2, 3)',
      'print(x.shape, x.size(), x.shape == (2, 3), f"{x.shape}")',
      'print(torch.tensor([[1.5, 2.0], [3.25, -4.0]]))',
      'print(torch.arange(5), torch.tensor(True), torch.tensor(0.1234567))',
      'print(torch.zeros(2, 2, dtype=torch.int64), [1, 2.5, "a"], (1,), {"k": None})',
      'print(f"loss = {torch.tensor(2.0) / 3:.4f}", 1e-05, 1e16, 0.1 + 0.2, 10 / 4, 7 // 2, -7 % 3)',
      'print(torch.zeros(0), torch.zeros(2, 0), torch.zeros(0, dtype=torch.int64), torch.zeros(0, 3, dtype=torch.float64))',
      'print(torch.arange(30.0) / 7, torch.arange(40), torch.linspace(-1, 1, 26, dtype=torch.float64))',
      'print(torch.arange(48.0).reshape(2, 2, 12) * 1.5, torch.tensor([[1e-5, 3.0] * 9]))',
      '',
    ].join('\n');
    const r = exec(program, '--device', 'cpu');
    assert.equal(r.code, 0, r.err);
    const py = spawnSync('/usr/bin/python3', ['-c', program], { encoding: 'utf8' });
    assert.equal(r.err, py.stdout);
  });

  it('prints tensors that require grad as PyTorch does: requires_grad=True on leaves, grad_fn=<...> on the rest', function () {
    if (!oracle.ok) this.skip();
    const exprs = [
      'x', 'x + 1', '1 + x', 'x - 1', '1 - x', 'x - w', 'x * 2', 'x * w', 'x / 2', '2 / x', 'x / w', 'x ** 2', '2 ** x', 'x ** w', '-x',
      'x.sum()', 'x.sum(0)', 'x.mean()', 'x.mean(dim=1)', 'x.exp()', 'torch.log(w)', 'torch.sqrt(w)', 'x.tanh()', 'torch.sigmoid(x)',
      'torch.relu(x)', 'F.relu(x)', 'x.abs()', 'torch.sin(x)', 'x.cos()', 'F.softmax(x, dim=1)', 'F.log_softmax(x, dim=1)',
      'F.cross_entropy(x, y)', 'F.nll_loss(x, y)', 'F.mse_loss(x, torch.zeros(3, 4))', 'nn.CrossEntropyLoss()(x, y)',
      'x.gather(1, y.view(-1, 1))', 'x.index_select(0, y)', 'x.view(12)', 'x.reshape(2, 6)', 'x.t()', 'x.transpose(0, 1)',
      'x.permute(1, 0)', 'x.unsqueeze(0)', 'x[0]', 'x[:, 1]', 'x[1:]', 'x[y]', 'x @ m', 'torch.mm(x, m)', 'torch.matmul(x, m)',
      'lin(x)', 'F.linear(x, m.t())', 'x.max()', 'x.max(1)[0]', 'x.min()', 'torch.cat([x, x])', 'torch.stack([x, x])',
      'v.expand(3, 4)', 'x.repeat(2, 1)', 'torch.where(x > 0, x, w)', 'x.clone()', 'x.double()', 'x.logsumexp(1)', 'x.prod()',
      'x.square()', 'x.neg()', 'torch.reciprocal(w)', 'w.rsqrt()', 'x.pow(3)', 'torch.softmax(x, 1)', 'nn.ReLU()(x)',
      '(x.detach() * 2)', 'x.data', '-torch.mean(F.log_softmax(lin(x), dim=1).gather(1, y.view(-1, 1)))',
    ];
    const program = [
      'import torch',
      'import torch.nn as nn',
      'import torch.nn.functional as F',
      'torch.manual_seed(3)',
      'x = torch.randn(3, 4, requires_grad=True)',
      'w = torch.rand(3, 4) + 0.5',
      'w.requires_grad_()',
      'v = torch.randn(4, requires_grad=True)',
      'm = torch.randn(4, 2, requires_grad=True)',
      'y = torch.tensor([0, 2, 1])',
      'lin = nn.Linear(4, 3)',
      ...exprs.map((e) => `print(${JSON.stringify(e)}, ${e})`),
      '',
    ].join('\n');
    const r = exec(program, '--device', 'cpu');
    assert.equal(r.code, 0, r.err);
    const py = spawnSync('/usr/bin/python3', ['-c', program], { encoding: 'utf8' });
    assert.equal(py.status, 0, py.stderr);
    const ours = r.err.split('\n');
    const theirs = py.stdout.split('\n');
    const diffs = theirs.map((line, i) => (line === ours[i] ? '' : `PyTorch: ${line}\nnbcheck: ${ours[i]}`)).filter(Boolean);
    assert.deepEqual(diffs, []);
  });

  it('exports tensors, ints, floats and bools only, row-major', () => {
    const r = exec('import torch\nt = torch.tensor([[1, 2], [3, 4]]).T\nf = 0.5\ni = 3\nb = True\ns = "text"\nl = [1, 2]\nimport math\n', '--device', 'cpu');
    assert.equal(r.code, 0, r.err);
    assert.deepEqual(r.json['variables'], {
      b: { dtype: 'bool', shape: [], data: [true] },
      f: { dtype: 'float', shape: [], data: [0.5] },
      i: { dtype: 'int', shape: [], data: [3] },
      t: { dtype: 'int64', shape: [2, 2], data: [1, 3, 2, 4] },
    });
  });

  it('an error is JSON with PyTorch\'s message and a 1-based position, exit 1', () => {
    const r = exec('import torch\nx = torch.ones(2, 3)\ny = x.sum(dim=2)\n', '--device', 'cpu');
    assert.equal(r.code, 1);
    assert.deepEqual(r.json, { device: 'cpu', error: { message: 'IndexError: Dimension out of range (expected to be in range of [-2, 1], but got 2)', line: 3, column: 11 } });
    const kw = exec('import torch\nx = torch.ones(3, 2)\ni = torch.tensor([0, 1])\ny = torch.index_select(x, dim=1, incices=i)\n', '--device', 'cpu');
    assert.equal(kw.code, 1);
    assert.deepEqual(kw.json['error'], {
      message: "TypeError: index_select() received an invalid combination of arguments - got (Tensor, incices=Tensor, dim=int), but expected one of: * (input, dim, index) — 'incices' is not one of its keywords; did you mean 'index'?",
      line: 4,
      column: 34,
    });
  });

  it('a failure inside onnxruntime maps back to the Python line (each ONNX node is named line:col)', () => {
    const r = exec('import torch\nx = torch.ones(3)\ni = (torch.ones(2) * 5).long()\ny = x.index_select(0, i)\nz = y.sum().item()\n', '--device', 'cpu');
    assert.equal(r.code, 1);
    assert.deepEqual(r.json['error'], { message: 'IndexError: index out of range in self (index 5, size 3)', line: 4, column: 5 });
  });

  it('syntax errors and unsupported constructs are errors at their place, never crashes', () => {
    const s = exec('x = (1 +\n', '--device', 'cpu');
    assert.equal(s.code, 1);
    assert.match((s.json['error'] as { message: string }).message, /^SyntaxError: /);
    const u = exec('import numpy as np\n', '--device', 'cpu');
    assert.equal(u.code, 1);
    assert.deepEqual(u.json['error'], { message: "not supported by nbcheck: importing 'numpy' (nbcheck runs torch, torch.nn, torch.nn.functional, torch.optim, random, math, copy)", line: 1, column: 8 });
    const steps = exec('x = 0\nfor i in range(2000):\n    for j in range(1000):\n        x += 1\n', '--device', 'cpu');
    assert.deepEqual(steps.json['error'], { message: 'stopped after 10^6 steps at line 4', line: 4, column: 9 });
    const deep = exec('def f(n):\n    return f(n + 1)\nf(0)\n', '--device', 'cpu');
    assert.match((deep.json['error'] as { message: string }).message, /^stopped at call depth 100 \(runaway recursion\?\) at line 2$/);
    const b = exec('while True:\n    pass\n', '--device', 'cpu');
    assert.equal(b.code, 1);
    assert.match((b.json['error'] as { message: string }).message, /stopped a while loop after 10\^5 iterations at line 1/);
  });

  it('auto: CUDA when it loads, else the CPU, saying why once; --device cuda without CUDA is a clear error', () => {
    const r = exec('import torch\nx = torch.ones(2) * 2\n');
    assert.equal(r.code, 0, r.err);
    if (r.json['device'] === 'cpu') {
      assert.match(String(r.json['fallback']), /CUDA provider|libonnxruntime_providers/);
      assert.equal(r.err.match(/CUDA is not available/g)?.length, 1, r.err);
      assert.match(r.err, /nbcheck install-gpu/);
      const cuda = exec('import torch\nx = torch.ones(2) * 2\n', '--device', 'cuda');
      assert.equal(cuda.code, 2);
      // The same reason as the fallback's, not a generic one.
      assert.match(cuda.err, /^nbcheck: CUDA is not available: onnxruntime-node's CUDA provider is not installed: libonnxruntime_providers_cuda\.so is not in .*nbcheck install-gpu/);
    } else {
      assert.equal(r.json['device'], 'cuda');
    }
  });

  it('NBCHECK_CUDA_PROVIDERS names an existing install; when it lacks the libraries, the fallback says so', function () {
    const file = join(dir, 'tiny.py');
    writeFileSync(file, 'import torch\nx = torch.ones(2) * 2\n');
    const r = spawnSync(process.execPath, [CLI, 'exec', file], { encoding: 'utf8', env: { ...process.env, NBCHECK_CUDA_PROVIDERS: dir } });
    const json = JSON.parse(r.stdout) as { device: string; fallback?: string };
    if (json.device === 'cuda') this.skip(); // the provider is installed here: nothing to fall back from
    assert.match(json.fallback ?? '', /does not contain libonnxruntime_providers_shared\.so or libonnxruntime_providers_cuda\.so/);
  });

  it('bad command lines and unreadable files exit 2 with one line', () => {
    const missing = spawnSync(process.execPath, [CLI, 'exec', join(dir, 'nope.py')], { encoding: 'utf8' });
    assert.equal(missing.status, 2);
    assert.match(missing.stderr, /^nbcheck: .*nope\.py: no such file\n$/);
    const device = spawnSync(process.execPath, [CLI, 'exec', 'x.py', '--device', 'tpu'], { encoding: 'utf8' });
    assert.equal(device.status, 2);
    assert.match(device.stderr, /--device must be auto, cpu, cuda or webgpu, not "tpu"/);
  });
});

describe('cli: install-gpu', function () {
  this.timeout(60_000);
  it('--source nuget offline: a clear message with what to do instead, exit 1', () => {
    // The installer honours GLOBAL_AGENT_HTTPS_PROXY; a closed local port makes the test hermetic.
    const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('npm_')));
    const r = spawnSync(process.execPath, [CLI, 'install-gpu', '--source', 'nuget'], { encoding: 'utf8', env: { ...env, GLOBAL_AGENT_HTTPS_PROXY: 'http://127.0.0.1:9' } });
    assert.equal(r.status, 1);
    assert.match(r.stderr, /cannot reach api\.nuget\.org.*Microsoft\.ML\.OnnxRuntime\.Gpu\.Linux.*nbcheck install-gpu --from/);
    assert.doesNotMatch(r.stderr, /node:internal|triggerUncaughtException/, 'no stack trace');
  });
  it('--from a folder without the libraries says which are missing', () => {
    const r = spawnSync(process.execPath, [CLI, 'install-gpu', '--from', dir], { encoding: 'utf8' });
    assert.equal(r.status, 1);
    assert.match(r.stderr, /does not contain libonnxruntime_providers_shared\.so or libonnxruntime_providers_cuda\.so/);
  });
});
