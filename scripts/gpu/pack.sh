#!/bin/sh
# Packs what the GPU acceptance check needs for an offline NVIDIA machine onto which files are copied in parts
# of at most 60 MiB: the built CLI (dist/), the node_modules it loads at run time (onnxruntime-node for linux/x64,
# onnxruntime-common, web-tree-sitter), this Node binary, the CUDA provider from the npm registry (sha512 checked
# by `installFromRegistry`), the check's scripts and the seed notebook — one tar, zstd-compressed, split into
# parts, with SHA256SUMS of the whole and of each part. Run from the repository root after `npm install` and
# `npm run build`. Usage: sh scripts/gpu/pack.sh <out-dir> [part-size, default 60M]
set -eu
OUT=${1:?usage: pack.sh <out-dir> [part-size]}
PART=${2:-60M}
ROOT=$(pwd)
[ -f dist/cli.js ] || { echo "pack.sh: dist/cli.js missing; run npm run build first" >&2; exit 2; }
STAGE=$(mktemp -d)
trap 'rm -rf "$STAGE"' EXIT
P="$STAGE/nbcheck"
mkdir -p "$P/node_modules" "$P/bin" "$P/scripts" "$P/examples"
cp -r dist "$P/dist"
for m in onnxruntime-common web-tree-sitter; do cp -r "node_modules/$m" "$P/node_modules/$m"; done
# onnxruntime-node: its JS, and only the linux/x64 binaries (the package holds every platform's).
mkdir -p "$P/node_modules/onnxruntime-node/bin/napi-v6/linux"
cp -r node_modules/onnxruntime-node/package.json node_modules/onnxruntime-node/dist "$P/node_modules/onnxruntime-node/"
[ -d node_modules/onnxruntime-node/lib ] && cp -r node_modules/onnxruntime-node/lib "$P/node_modules/onnxruntime-node/"
cp -r node_modules/onnxruntime-node/bin/napi-v6/linux/x64 "$P/node_modules/onnxruntime-node/bin/napi-v6/linux/x64"
rm -f "$P"/node_modules/onnxruntime-node/bin/napi-v6/linux/x64/libonnxruntime_providers_*.so
cp "$(command -v node)" "$P/bin/node"
# The provider, into a folder of its own (gpu/check.sh puts it beside libonnxruntime.so.1 there).
mkdir -p "$P/cuda-provider"
node -e "
const { installFromRegistry } = require(process.argv[1] + '/dist/runner.js');
installFromRegistry({ target: process.argv[2], progress: () => {} }).then((r) => { console.error('pack.sh: ' + r.message); process.exit(r.ok ? 0 : 1); });
" "$ROOT" "$P/cuda-provider"
cp scripts/gpu/check.sh scripts/gpu/bench.mjs scripts/gpu/compare.py scripts/gpu/ce-program.py "$P/scripts/"
cp examples/seed-final-project-theory.ipynb "$P/examples/"
mkdir -p "$OUT"
rm -f "$OUT"/nbcheck.tar.zst.part-* "$OUT/SHA256SUMS"
tar -C "$STAGE" -cf - nbcheck | zstd -q -T0 -10 -o "$OUT/nbcheck.tar.zst"
(cd "$OUT" && sha256sum nbcheck.tar.zst > WHOLE.sha256 && split -b "$PART" -d -a 2 nbcheck.tar.zst nbcheck.tar.zst.part- && rm nbcheck.tar.zst && sha256sum nbcheck.tar.zst.part-* > SHA256SUMS)
cp scripts/gpu/check.sh "$OUT/check.sh"
ls -l "$OUT" >&2
