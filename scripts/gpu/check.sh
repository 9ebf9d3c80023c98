#!/bin/sh
# The GPU acceptance check, on an offline NVIDIA machine whose only CUDA is the CUDA 13 user libraries of a Python
# environment (PyTorch with CUDA 13 and the nvidia-* packages). Put the parts made by scripts/gpu/pack.sh (and
# SHA256SUMS, WHOLE.sha256, this file) in one folder, then: sh check.sh <parts-dir> <out-dir> [python]
#   1. checks every part against SHA256SUMS, reassembles, checks the whole against WHOLE.sha256, unpacks;
#   2. puts the CUDA provider beside onnxruntime-node's libonnxruntime.so.1;
#   3. nbcheck doctor (text and JSON);
#   4. the seed notebook checked with --device cuda (JSON);
#   5. exec of the CE program on CUDA, compared value by value with PyTorch on CUDA;
#   6. the CE forward + backward bench at B=65536, C=1000, nbcheck on CUDA against PyTorch on CUDA.
# Every step writes into <out-dir>; a failed step is recorded (steps.txt) and the next one still runs.
# DEVICE=cpu rehearses every step on a machine without a GPU (B and C smaller for the bench).
set -u
PARTS=${1:?usage: check.sh <parts-dir> <out-dir> [python]}
OUT=${2:?usage: check.sh <parts-dir> <out-dir> [python]}
PY=${3:-python3}
DEVICE=${DEVICE:-cuda}
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)
WORK=$(mktemp -d)
step() { name=$1; shift; if "$@" > "$OUT/$name.out" 2> "$OUT/$name.err"; then echo "ok   $name" >> "$OUT/steps.txt"; else echo "FAIL $name (exit $?)" >> "$OUT/steps.txt"; fi; }
: > "$OUT/steps.txt"
(cd "$PARTS" && sha256sum -c SHA256SUMS) > "$OUT/parts.sha256.out" 2>&1 || { echo "FAIL parts: a part does not match SHA256SUMS" >> "$OUT/steps.txt"; exit 1; }
cat "$PARTS"/nbcheck.tar.zst.part-* > "$WORK/nbcheck.tar.zst"
(cd "$WORK" && sha256sum -c "$(cd "$PARTS" && pwd)/WHOLE.sha256") > "$OUT/whole.sha256.out" 2>&1 || { echo "FAIL whole: the reassembled archive does not match WHOLE.sha256" >> "$OUT/steps.txt"; exit 1; }
zstd -q -d -c "$WORK/nbcheck.tar.zst" | tar -C "$WORK" -xf - || { echo "FAIL unpack" >> "$OUT/steps.txt"; exit 1; }
echo "ok   parts, whole, unpack" >> "$OUT/steps.txt"
N="$WORK/nbcheck"
NODE="$N/bin/node"
if [ "$DEVICE" = cuda ]; then cp "$N"/cuda-provider/*.so "$N/node_modules/onnxruntime-node/bin/napi-v6/linux/x64/"; fi
# The Python environment's own site-packages, for nbcheck to find the nvidia-* libraries in.
VIRTUAL_ENV=$("$PY" -c 'import sys; print(sys.prefix)' 2>/dev/null || echo "")
export VIRTUAL_ENV
nvidia-smi > "$OUT/nvidia-smi.txt" 2>&1 || true
"$PY" -c 'import torch; print(torch.__version__, torch.version.cuda, torch.cuda.is_available(), torch.cuda.get_device_name(0) if torch.cuda.is_available() else "")' > "$OUT/pytorch.txt" 2>&1 || true
step doctor "$NODE" "$N/dist/cli.js" doctor --device "$DEVICE"
step doctor-json "$NODE" "$N/dist/cli.js" doctor --device "$DEVICE" --format json
step seed "$NODE" "$N/dist/cli.js" check "$N/examples/seed-final-project-theory.ipynb" --device "$DEVICE" --format json --exit-zero
step exec "$NODE" "$N/dist/cli.js" exec "$N/scripts/ce-program.py" --device "$DEVICE"
step compare "$PY" "$N/scripts/compare.py" "$N/scripts/ce-program.py" "$OUT/exec.out" "$DEVICE"
if [ "$DEVICE" = cuda ]; then step bench "$NODE" "$N/scripts/bench.mjs" "$N" cuda "$PY"; else step bench "$NODE" "$N/scripts/bench.mjs" "$N" cpu "$PY" 4096 100; fi
rm -rf "$WORK"
cat "$OUT/steps.txt"
