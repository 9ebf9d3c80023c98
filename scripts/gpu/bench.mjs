// The CE loss forward + backward at B=65536, C=1000 on one device, nbcheck (from the bundle: dist/runner.js)
// against PyTorch on the same device (CUDA: torch.cuda.synchronize() around each step), in this command.
// Usage: node scripts/gpu/bench.mjs <nbcheck dir> <device: cuda|cpu> <python> [B] [C]
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { join } from 'node:path';

const [dir, device = 'cuda', python = 'python3', B = '65536', C = '1000'] = process.argv.slice(2);
const require = createRequire(import.meta.url);
const { Runtime, Session } = require(join(dir, 'dist', 'runner.js'));
const REPS = 7;
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const head = `import torch\nimport torch.nn.functional as F\ntorch.manual_seed(0)\nlogits = torch.randn(${B}, ${C}, requires_grad=True)\ny = torch.randint(0, ${C}, (${B},))\n`;
const body = 'logits.grad = None\nloss = F.cross_entropy(logits, y)\nloss.backward()\n';
const result = 'logits.grad.abs().double().sum()';

const runtime = new Runtime({ device });
const session = await Session.create({ runtime, maxElements: 2 ** 27 });
const setup = await session.run(head);
if (setup) throw new Error(setup.message);
const times = [];
for (let i = 0; i < REPS + 1; i++) {
  const t0 = process.hrtime.bigint();
  const p = await session.run(`${body}value = ${result}.item()\nlossv = loss.item()\n`);
  if (p) throw new Error(p.message);
  if (i > 0) times.push(Number(process.hrtime.bigint() - t0) / 1e6);
}
const ours = { ms: median(times), grad: Number(session.globals.vars.get('value')), loss: Number(session.globals.vars.get('lossv')), device: runtime.device, fallback: runtime.fallbackReason };
session.dispose();
await runtime.dispose();

const dev = device === 'cuda' ? 'cuda' : 'cpu';
const sync = dev === 'cuda' ? 'torch.cuda.synchronize()' : 'pass';
const script = `
import time, json
${head}logits = logits.detach().to('${dev}').requires_grad_(True)
y = y.to('${dev}')
def step():
${body.trim().split('\n').map((l) => `    ${l}`).join('\n')}
    return ${result}.item(), loss.item()
step(); ${sync}
ts = []
for _ in range(${REPS}):
    ${sync}; t0 = time.perf_counter(); g, l = step(); ${sync}; ts.append((time.perf_counter() - t0) * 1000)
print(json.dumps({"ms": sorted(ts)[len(ts) // 2], "grad": g, "loss": l, "torch": torch.__version__, "gpu": torch.cuda.get_device_name(0) if ${dev === 'cuda' ? 'True' : 'False'} else None}))
`;
const r = spawnSync(python, ['-c', script], { encoding: 'utf8' });
const theirs = r.status === 0 ? JSON.parse(r.stdout.trim().split('\n').pop()) : { error: (r.stderr ?? '').trim().split('\n').pop() };
const out = { B: Number(B), C: Number(C), device, nbcheck: ours, pytorch: theirs, ratio: theirs.ms ? ours.ms / theirs.ms : undefined, lossRelDiff: theirs.loss ? Math.abs(ours.loss - theirs.loss) / Math.abs(theirs.loss) : undefined };
console.log(JSON.stringify(out, null, 2));
