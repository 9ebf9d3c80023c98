"""Runs programs with real PyTorch and prints what they leave bound, in `nbcheck exec`'s JSON shape.

Input (stdin): a JSON list of {"id": str, "source": str}. Output (stdout): {id: {"variables": {...}} or
{"error": {"type": str, "message": str}}}. Used by the tests as the oracle for nbcheck's engine.
"""
import contextlib
import io
import json
import math
import sys

import torch

torch.set_num_threads(1)


def number(v):
    if isinstance(v, float):
        if math.isnan(v):
            return "nan"
        if math.isinf(v):
            return "inf" if v > 0 else "-inf"
    return v


def export(scope):
    out = {}
    for name, v in scope.items():
        if name.startswith("__"):
            continue
        if isinstance(v, torch.Tensor):
            t = v.detach()
            out[name] = {
                "dtype": str(t.dtype).replace("torch.", ""),
                "shape": list(t.shape),
                "data": [number(x) for x in t.reshape(-1).tolist()],
            }
        elif isinstance(v, bool):
            out[name] = {"dtype": "bool", "shape": [], "data": [v]}
        elif isinstance(v, int):
            out[name] = {"dtype": "int", "shape": [], "data": [v]}
        elif isinstance(v, float):
            out[name] = {"dtype": "float", "shape": [], "data": [number(v)]}
    return out


def main():
    programs = json.load(sys.stdin)
    results = {}
    for p in programs:
        scope = {}
        try:
            # What a program prints is its own, not part of this JSON.
            with contextlib.redirect_stdout(io.StringIO()):
                exec(compile(p["source"], "<program>", "exec"), scope)
            results[p["id"]] = {"variables": export(scope)}
        except Exception as e:  # the oracle reports every failure as data
            results[p["id"]] = {"error": {"type": type(e).__name__, "message": str(e).split("\n")[0]}}
    json.dump(results, sys.stdout)


if __name__ == "__main__":
    main()
