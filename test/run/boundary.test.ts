/**
 * The boundary between "not supported by nbcheck" and the student's error: what PyTorch has and nbcheck
 * lacks (a function, a Tensor method, a module's attribute or method, a keyword argument, indexing or len of
 * a container) stops at a located "not supported"; what PyTorch lacks too is PyTorch's own error, with
 * PyTorch's type and message (run here against Debian's python3-torch).
 */
import { strict as assert } from 'node:assert';
import { runProgram } from '../../src/core/run/program';
import { Runtime } from '../../src/core/engine/runtime';
import { runOracle, skipWithoutOracle, type Outcome } from '../engine/oracle';

const HEAD = 'import torch\nimport torch.nn as nn\nimport torch.nn.functional as F\nx = torch.ones(2, 3)\nmodel = nn.Sequential(nn.Linear(3, 2))\nopt = torch.optim.SGD(model.parameters(), lr=0.1)\n';

/** PyTorch runs these; nbcheck lacks what the last line uses. */
const GAPS: Record<string, string> = {
  'a torch function': 'y = torch.cdist(x, x)',
  'a Tensor method': 'y = x.renorm(2, 0, 1.0)',
  'a module method': 'h = model.register_forward_hook(lambda m, i, o: None)',
  'a keyword argument': 'out = torch.zeros(2, 3)\ntorch.add(x, x, out=out)',
  'an optimizer attribute': 'st = opt.state_dict()',
  'a conversion to a dtype nbcheck does not compute in': 'y = x.to(torch.int32)',
  'Tensor.int() (int32)': 'y = x.int()',
  'a tensor made in float16': 'y = torch.zeros(2, dtype=torch.float16)',
  'a module converted to float64': 'model.double()',
  'a module moved to another dtype': 'model.to(torch.half)',
  'gelu of a float64 tensor': 'y = F.gelu(x.double())',
};

/** PyTorch rejects these too: the student's error, in PyTorch's words. */
const MISTAKES: Record<string, string> = {
  'a misspelt Tensor method': 'y = x.sizee()',
  'a misspelt torch function': 'y = torch.onez(3)',
  'a misspelt layer attribute': 'w = nn.Linear(3, 2).weights',
  'a keyword PyTorch does not take': 'y = x.sum(dimm=0)',
};

describe('not supported by nbcheck, or the student\'s error', function () {
  this.timeout(60_000);
  const runtime = new Runtime({ device: 'cpu' });
  after(() => runtime.dispose());
  let theirs: Record<string, Outcome> = {};
  before(function () {
    skipWithoutOracle(this);
    theirs = runOracle([...Object.entries(GAPS), ...Object.entries(MISTAKES)].map(([id, body]) => ({ id, source: HEAD + body })));
  });

  for (const [what, body] of Object.entries(GAPS)) {
    it(`${what} PyTorch has: "not supported" at its line`, async () => {
      assert.ok('variables' in (theirs[what] as Outcome), `PyTorch runs it: ${JSON.stringify(theirs[what])}`);
      const run = await runProgram(HEAD + body, { runtime });
      assert.equal(run.problem?.kind, 'unsupported', JSON.stringify(run.problem));
      assert.equal((run.problem?.span?.start.line ?? -1) + 1, (HEAD + body).split('\n').length);
    });
  }
  for (const [what, body] of Object.entries(MISTAKES)) {
    it(`${what}: PyTorch's error`, async () => {
      const want = theirs[what] as Outcome;
      assert.ok('error' in want, 'PyTorch rejects it');
      const run = await runProgram(HEAD + body, { runtime });
      assert.equal(run.problem?.kind, 'error', JSON.stringify(run.problem));
      assert.equal(run.problem?.type, want.error.type);
      // nbcheck may add a suggestion (", did you mean …") after PyTorch's message.
      assert.ok(run.problem?.message.startsWith(want.error.message.replace(/[;,.]? ?but expected one of:.*$/, '')), `${run.problem?.message} / ${want.error.message}`);
    });
  }
});
