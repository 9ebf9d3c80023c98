/**
 * Growth factors read from a written claim, in the exam's symbols B (the batch) and C (the classes): "C times
 * more memory", "by a factor of $C^2$", "doubles", "B×C×4 bytes instead of B×8", "from O(B) to O(BC)",
 * "[B] -> [B, C]". Sizes are monomials k·B^b·C^c; a comparison of two sizes is their ratio (the second over
 * the first, "X instead of Y" X over Y). Any other symbol (N, K, H) makes a size unreadable, and an
 * unreadable size is no claim: nothing is judged of it. Judging is checks/soft-claims.ts's.
 */
/* eslint-disable regexp/no-super-linear-backtracking, regexp/no-super-linear-move -- every pattern here reads text readFactors has made single-spaced (its first step), or a size matched in that text: no run of whitespace for a quantifier to scan again from each position, nor for two quantifiers to share. */

/** k · B^b · C^c. */
export interface Factor {
  readonly k: number;
  readonly b: number;
  readonly c: number;
}

/** A factor the claim puts on something, where in the text (with sizes collapsed) it is said, and how. */
export interface FactorClaim {
  readonly factor: Factor;
  /** Offsets in `ReadClaims.text`. */
  readonly start: number;
  readonly end: number;
  /** `ratio`: two sizes compared ("from B to B×C"); `factor`: a factor said as one ("C times", "doubles"). */
  readonly how: 'factor' | 'ratio';
}

export interface ReadClaims {
  /** The text, lower-case, each size replaced by `§i§`. */
  readonly text: string;
  readonly claims: readonly FactorClaim[];
}

const POWER = String.raw`(?:\^\s*\d|[²³])?`;
const LETTERS = String.raw`(?:[BC]${POWER}){1,3}`;
const ATOM = String.raw`(?:\d+(?:\.\d+)?(?:${LETTERS})?|${LETTERS})`;
const OP = String.raw`\s*(?:[×*·⋅]|x(?=\s*(?:\d|[BC](?![A-Za-z])))|times(?=\s+(?:\d|[BC](?![A-Za-z]))))\s*`;
const CORE = `${ATOM}(?:${OP}${ATOM})*(?:\\s*/\\s*\\d+)?`;
const TUPLE = String.raw`\[\s*${CORE}(?:\s*,\s*${CORE})*\s*(?:,\s*)?\]|\(\s*${CORE}(?:\s*,\s*${CORE})+\s*(?:,\s*)?\)|\(\s*${CORE}\s*,\s*\)`;
/** A size as written: `B`, `4BC`, `B \times C \times 4`, `[B, C]`, `(B,)`, `O(BC)`, `C^2`, `C/2`. */
const SIZE = new RegExp(String.raw`(?<![\w.§^\\'])(?:[OΘ]\s*\(\s*(?:${TUPLE}|${CORE})\s*\)|${TUPLE}|${CORE})(?![\w§^(]|\.\d)`, 'gi');

const NUMBER_WORDS: Readonly<Record<string, string>> = { one: '1', 'a single': '1', two: '2', three: '3', four: '4', five: '5', six: '6', eight: '8', ten: '10' };

/** The factor a size stands for (`B \times C \times 4` → 4·B·C), or undefined when it is not one. */
export function sizeFactor(written: string): Factor | undefined {
  let s = written.trim().replace(/^[OΘ]\s*\(([\s\S]*)\)$/i, '$1').trim();
  if (/^[[(]/.test(s) && /[\])]$/.test(s) && s.length > 1) {
    // The tuple's inside, without a trailing comma (`(B,)`) and the spaces around it.
    s = s.slice(1, -1).trimEnd();
    if (s.endsWith(',')) s = s.slice(0, -1);
  }
  s = s.replace(/,/g, '×');
  const divided = /\/\s*(\d+)\s*$/.exec(s);
  if (divided) s = s.slice(0, divided.index);
  let k = divided ? 1 / Number(divided[1]) : 1;
  let b = 0;
  let c = 0;
  for (const atom of s.split(new RegExp(OP, 'i'))) {
    const m = /^(\d+(?:\.\d+)?)?((?:[BC](?:\^\s*\d|[²³])?)*)$/i.exec(atom.trim());
    if (!m || (!m[1] && !m[2])) return undefined;
    if (m[1]) k *= Number(m[1]);
    for (const l of (m[2] ?? '').matchAll(/([BC])(?:\^\s*(\d)|([²³]))?/gi)) {
      const power = l[2] ? Number(l[2]) : l[3] === '²' ? 2 : l[3] === '³' ? 3 : 1;
      if ((l[1] as string).toUpperCase() === 'B') b += power;
      else c += power;
    }
  }
  return Number.isFinite(k) && k > 0 ? { k, b, c } : undefined;
}

const S = '§(\\d+)§';
/** Words between "from"/"to"/"instead of" and the size they introduce ("to a B × C matrix", "from shape [B]"). */
const FILL = '(?:(?:a|an|the|shape|size|length|dimension|dim|vector|matrix|tensor|of|just|only|single|about|roughly|approximately|~|≈)\\s+)*';
/** A few words between a size and what compares it ("B int64 values instead of"). */
const WORDS = '(?:\\s+[a-z0-9-]+){0,3}?';

/** Factors said as one: the factor's group is 1 (a size) or a word. */
const SAID: readonly { re: RegExp; word?: number }[] = [
  { re: new RegExp(`${S}\\s*(?:times|×)\\s+(?:more|larger|bigger|greater|higher|as\\s+(?:much|many|large|big|long)|the\\s+(?:memory|size|space|storage|number|amount|entries|elements|values|work|computation|cost|operations|bytes|nodes))\\b`, 'g') },
  { re: new RegExp(`${S}\\s*-?\\s*fold\\b`, 'g') },
  { re: new RegExp(`\\bby\\s+(?:a\\s+)?factor\\s+(?:of\\s+)?(?:~|≈|about\\s+|roughly\\s+|approximately\\s+)?${S}`, 'g') },
  { re: new RegExp(`\\bmultipl(?:y|ies|ied|ying)\\s+by\\s+(?:a\\s+factor\\s+of\\s+)?${S}`, 'g') },
  { re: new RegExp(`(?<![§\\w)\\]]\\s*)×\\s*${S}(?!\\s*§)`, 'g') },
  { re: /\b(?:doubled|doubling|(?<!\b(?:as|of|in|into|to|are|use|using)\s+)doubles(?!\s+(?:instead|rather))|(?:will|would|does|do|can|must|should|may)\s+double(?!\s+precision)|twice\s+(?:as\s+(?:much|many|large|big)|the\s+(?:memory|size|space|nodes|number))|twofold|two-fold)\b/g, word: 2 },
  { re: /\b(?:tripled|triples|(?:will|would|to)\s+triple|threefold|three-fold)\b/g, word: 3 },
  { re: /\b(?:quadrupled|quadruples|(?:will|would|to)\s+quadruple|fourfold|four-fold)\b/g, word: 4 },
];

/** Two sizes compared: [pattern, which group is the new size]. */
const COMPARED: readonly [RegExp, 1 | 2][] = [
  [new RegExp(`\\bfrom\\s+${FILL}${S}${WORDS}\\s+to\\s+${FILL}${S}`, 'g'), 2],
  [new RegExp(`${S}${WORDS}\\s*(?:→|->|=>|⟶|⇒|⟹)\\s*${FILL}${S}`, 'g'), 2],
  [new RegExp(`${S}${WORDS}\\s*,?\\s+(?:instead\\s+of|rather\\s+than)\\s+${FILL}${S}`, 'g'), 1],
];

const ratio = (a: Factor, b: Factor): Factor => ({ k: a.k / b.k, b: a.b - b.b, c: a.c - b.c });

/** The text with its sizes collapsed, and every factor it puts on something. */
export function readFactors(written: string): ReadClaims {
  // Whitespace as single spaces first: the patterns here (and soft-claims', which read this text) then never
  // meet a run of it for two of their quantifiers to share, which would make them quadratic or worse.
  let t = written.replace(/\s+/g, ' ');
  for (const [word, digits] of Object.entries(NUMBER_WORDS)) t = t.replace(new RegExp(`\\b${word}\\b(?!-)`, 'gi'), digits);
  const sizes: (Factor | undefined)[] = [];
  const text = t.replace(SIZE, (m) => `§${sizes.push(sizeFactor(m)) - 1}§`).toLowerCase();
  const size = (i: string | undefined): Factor | undefined => sizes[Number(i)];
  const claims: FactorClaim[] = [];
  for (const { re, word } of SAID) {
    for (const m of text.matchAll(re)) {
      const factor = word ? { k: word, b: 0, c: 0 } : size(m[1]);
      if (factor) claims.push({ factor, start: m.index ?? 0, end: (m.index ?? 0) + m[0].length, how: 'factor' });
    }
  }
  for (const [re, fresh] of COMPARED) {
    for (const m of text.matchAll(re)) {
      const [was, now] = fresh === 2 ? [size(m[1]), size(m[2])] : [size(m[2]), size(m[1])];
      if (was && now) claims.push({ factor: ratio(now, was), start: m.index ?? 0, end: (m.index ?? 0) + m[0].length, how: 'ratio' });
    }
  }
  return { text, claims: claims.sort((a, b) => a.start - b.start) };
}

/** A factor as written in a message: `C`, `C²`, `B·C`, `C/2`, `2`. */
export function showFactor(f: Factor): string {
  const sup = (n: number): string => (n === 1 ? '' : n === 2 ? '²' : n === 3 ? '³' : `^${n}`);
  const letters = [f.b > 0 ? `B${sup(f.b)}` : '', f.c > 0 ? `C${sup(f.c)}` : ''].filter(Boolean).join('·');
  const below = [f.b < 0 ? `B${sup(-f.b)}` : '', f.c < 0 ? `C${sup(-f.c)}` : ''].filter(Boolean).join('·');
  const whole = Math.abs(f.k - Math.round(f.k)) < 1e-9;
  const inverse = Math.abs(1 / f.k - Math.round(1 / f.k)) < 1e-9;
  let top = letters;
  let bottom = below;
  if (whole && Math.round(f.k) !== 1) top = `${Math.round(f.k)}${top ? `·${top}` : ''}`;
  else if (!whole && inverse) bottom = `${Math.round(1 / f.k)}${bottom ? `·${bottom}` : ''}`;
  else if (!whole) top = `${Number(f.k.toPrecision(3))}${top ? `·${top}` : ''}`;
  return `${top || '1'}${bottom ? `/${bottom.includes('·') ? `(${bottom})` : bottom}` : ''}`;
}
