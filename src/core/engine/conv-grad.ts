/**
 * Derivatives of convolution. Conv is linear in its input and in its weight: the input's cotangent is the
 * transposed convolution of the output's (ConvTranspose with Conv's attributes, and the output padding
 * that gives back the input's size where the stride dropped rows), the weight's is a convolution of the
 * input by the output's cotangent with stride and dilation exchanged (per group, cropped to the kernel),
 * and the bias's is the cotangent summed over all but the channels. ConvTranspose, Conv's adjoint, has
 * the mirrored rules, so that gradients taken with create_graph=True can be differentiated again.
 */
import { apply, type Attrs, type IRNode } from './ir';

const inp = (n: IRNode, k: number): IRNode => n.inputs[k] as IRNode;
const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i);
const ints = (a: Attrs, k: string): number[] => [...(a[k] as readonly number[])];

/** Conv's own attributes (strides, pads, dilations, group) from a Conv or ConvTranspose node. */
function convAttrs(n: IRNode): Attrs {
  return { strides: ints(n.attrs, 'strides'), pads: ints(n.attrs, 'pads'), dilations: ints(n.attrs, 'dilations'), group: n.attrs.group as number };
}

/** The transposed convolution of `g` by `w` that has the spatial sizes `size` (Conv's input sizes). */
function transposed(g: IRNode, w: IRNode, attrs: Attrs, size: readonly number[]): IRNode {
  const [s, p, d] = [attrs.strides as number[], attrs.pads as number[], attrs.dilations as number[]];
  const r = size.length;
  const extra = size.map((x, k) => x - ((s[k] as number) * ((g.shape[k + 2] as number) - 1) + ((w.shape[k + 2] as number) - 1) * (d[k] as number) + 1 - (p[k] as number) - (p[k + r] as number)));
  return apply('ConvTranspose', [g, w], { ...attrs, output_padding: extra });
}

/** d<g, Conv(x, w)>/dw: for each group, the input (channels as batch) convolved by g (batch as channels). */
function weightGrad(x: IRNode, g: IRNode, attrs: Attrs, kernel: readonly number[]): IRNode {
  const groups = attrs.group as number;
  const rank = x.shape.length;
  const swap = [1, 0, ...range(rank).slice(2)];
  const [cin, cout] = [(x.shape[1] as number) / groups, (g.shape[1] as number) / groups];
  const part = (on: IRNode, k: number, size: number): IRNode =>
    groups === 1 ? on : apply('Slice', [on], { starts: [k * size], ends: [(k + 1) * size], axes: [1], steps: [1] });
  const parts = range(groups).map((k) => {
    const conv = apply('Conv', [apply('Transpose', [part(x, k, cin)], { perm: swap }), apply('Transpose', [part(g, k, cout)], { perm: swap })], {
      strides: attrs.dilations as number[], pads: attrs.pads as number[], dilations: attrs.strides as number[], group: 1,
    });
    const spatial = range(rank - 2).map((i) => i + 2);
    const cropped = conv.shape.slice(2).every((d, i) => d === kernel[i]) ? conv : apply('Slice', [conv], { starts: spatial.map(() => 0), ends: [...kernel], axes: spatial, steps: spatial.map(() => 1) });
    return apply('Transpose', [cropped], { perm: swap });
  });
  return parts.length === 1 ? (parts[0] as IRNode) : apply('Concat', parts, { axis: 0 });
}

/** Conv(x, w[, b]): the cotangents of x, w and b. */
export function convVjp(n: IRNode, g: IRNode): (IRNode | undefined)[] {
  const [x, w] = [inp(n, 0), inp(n, 1)];
  const attrs = convAttrs(n);
  const grads: (IRNode | undefined)[] = [transposed(g, w, attrs, x.shape.slice(2)), weightGrad(x, g, attrs, w.shape.slice(2))];
  if (n.inputs.length > 2) grads.push(apply('ReduceSum', [g], { axes: range(g.shape.length).filter((i) => i !== 1), keepdims: false }));
  return grads;
}

/** ConvTranspose(y, w) — the adjoint of x ↦ Conv(x, w) — : the cotangents of y and w. */
export function convTransposeVjp(n: IRNode, h: IRNode): (IRNode | undefined)[] {
  const [y, w] = [inp(n, 0), inp(n, 1)];
  const attrs = convAttrs(n);
  return [apply('Conv', [h, w], attrs), weightGrad(h, y, attrs, w.shape.slice(2))];
}

/** Conv's tangent: Conv(tx, w) + Conv(x, tw) + tb (over the channels), the terms whose tangents exist. */
export function convJvp(n: IRNode, t: readonly (IRNode | undefined)[]): IRNode {
  const [x, w] = [inp(n, 0), inp(n, 1)];
  const attrs = convAttrs(n);
  const [tx, tw, tb] = [t[0], t[1], t[2]];
  const terms: IRNode[] = [];
  if (tx) terms.push(apply('Conv', [tx, w, ...(tb ? [tb] : [])], attrs));
  if (tw) terms.push(apply('Conv', [x, tw], attrs));
  if (tb && !tx) {
    const channels = apply('Reshape', [tb], { shape: n.shape.map((d, i) => (i === 1 ? d : 1)) });
    terms.push(apply('Expand', [channels], { shape: [...n.shape] }));
  }
  return terms.reduce((a, b) => apply('Add', [a, b]));
}

/** ConvTranspose's tangent: ConvTranspose(ty, w) + ConvTranspose(y, tw). */
export function convTransposeJvp(n: IRNode, t: readonly (IRNode | undefined)[]): IRNode {
  const [y, w] = [inp(n, 0), inp(n, 1)];
  const terms = [t[0] && apply('ConvTranspose', [t[0], w], n.attrs), t[1] && apply('ConvTranspose', [y, t[1]], n.attrs)].filter((v): v is IRNode => !!v);
  return terms.reduce((a, b) => apply('Add', [a, b]));
}
