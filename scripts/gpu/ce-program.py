import torch
import torch.nn.functional as F

torch.manual_seed(0)
logits = torch.randn(512, 100, requires_grad=True)
y = torch.randint(0, 100, (512,))
w = torch.randn(100, 100, requires_grad=True)
# --- on the device: what follows runs where the check runs (the inputs above are the CPU generator's) ---
h = logits @ w
loss = F.cross_entropy(h, y)
loss.backward()
grad_logits = logits.grad
grad_w = w.grad
logp = F.log_softmax(h, dim=1)
picked = logp[torch.arange(512), y]
manual = -picked.mean()
