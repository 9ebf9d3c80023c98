"""Runs scripts/gpu/ce-program.py in PyTorch on a device (the part after the marker line on it) and compares
every tensor and number it leaves bound with nbcheck's `exec --format json` output of the same program.
Usage: python3 compare.py <program.py> <nbcheck exec JSON> <cuda|cpu>; prints one line per variable, exits 1 on
any difference beyond float32 tolerance (rtol 1e-4, atol 1e-5)."""
import json, sys
import torch

program, ours_path, device = sys.argv[1], sys.argv[2], sys.argv[3]
text = open(program).read()
head, body = text.split('# --- on the device', 1)
body = body.split('\n', 1)[1]
env = {}
exec(head, env)
for k, v in list(env.items()):
    if isinstance(v, torch.Tensor):
        moved = v.detach().to(device)
        env[k] = moved.requires_grad_(v.requires_grad) if v.is_floating_point() else moved
exec(body, env)
ours = json.load(open(ours_path))
if 'variables' not in ours:
    print('nbcheck did not run the program:', json.dumps(ours.get('error')))
    sys.exit(1)
bad = 0
for name, got in sorted(ours['variables'].items()):
    want = env.get(name)
    if isinstance(want, torch.Tensor):
        w = want.detach().cpu().double().reshape(-1)
        g = torch.tensor([float(x) for x in got['data']], dtype=torch.float64)
        ok = list(want.shape) == got['shape'] and torch.allclose(g, w, rtol=1e-4, atol=1e-5)
        diff = (g - w).abs().max().item() if g.shape == w.shape else float('nan')
        print(f"{'ok ' if ok else 'BAD'} {name} shape {got['shape']} max |diff| {diff:.3g}")
    else:
        ok = want is not None and abs(float(got['data'][0]) - float(want)) <= 1e-5 + 1e-4 * abs(float(want))
        print(f"{'ok ' if ok else 'BAD'} {name} = {got['data'][0]} (PyTorch {want})")
    bad += not ok
print(f"device {ours.get('device')} (PyTorch on {device}{', ' + torch.cuda.get_device_name(0) if device == 'cuda' else ''}): {len(ours['variables']) - bad} equal, {bad} different")
sys.exit(1 if bad else 0)
