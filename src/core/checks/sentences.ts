/**
 * The sentences of written answers, with their offsets in the cell: markdown answer spans cut at sentence
 * ends, list items, headings and blank lines; code and math masked to spaces (so a pattern never matches
 * inside a formula), HTML tags and markdown emphasis kept out of the text that patterns read.
 */
import { extractMath } from '../math/extract';
import { markdownTables, maskCode, type TextSpan } from '../notebook/markdown';
import { htmlTags, replaceSpans } from '../notebook/scan';
import { shortWords } from '../text';
import type { Notebook } from '../notebook/types';
import type { Segmentation } from '../notebook/segment';

export interface Sentence {
  readonly item: string;
  readonly cell: number;
  /** Offsets in the cell's source. */
  readonly start: number;
  readonly end: number;
  /** The sentence as written (for quoting). */
  readonly text: string;
  /** Lower-case, code and long math blanked (short math as text: "1-p"), markup removed, whitespace collapsed: what patterns read. */
  readonly plain: string;
  /** Index of the paragraph within the cell (sentences of one paragraph share it). */
  readonly paragraph: number;
  /** What patterns read of the sentence before it in the same cell (where a pronoun's referent is). */
  readonly before?: string;
}

const blank = (s: string): string => s.replace(/[^\n]/g, ' ');

const TEX_WORDS: Record<string, string> = { nabla: '∇', partial: '∂', to: '→', rightarrow: '→', Rightarrow: '⇒', implies: '⇒', propto: '∝', log: 'log', ln: 'ln', exp: 'exp', cdot: '·', times: '×', div: '/', sqrt: '√', infty: '∞', approx: '≈', leq: '≤', geq: '≥', le: '≤', ge: '≥', neq: '≠', subset: '⊂', subseteq: '⊆', supset: '⊃', supseteq: '⊇', in: '∈', alpha: 'α', beta: 'β', gamma: 'γ', mu: 'μ', sigma: 'σ', eta: 'η', lambda: 'λ', theta: 'θ', epsilon: 'ε', varepsilon: 'ε' };

/**
 * A short formula as words read it ("$1-p$" → "1-p", "$\frac{1}{1-p}$" → "1/(1-p)", "$O(n^2)$" → "O(n^2)"),
 * or undefined when it is longer than `max` or holds anything else (a long formula stays blank).
 */
export function mathAsText(tex: string, max: number): string | undefined {
  let t = tex.replace(/\\(left|right|big|Big|bigl|bigr|,|;|!|quad|qquad)\b/g, ' ').replace(/\\\||\\[lr]?Vert\b/g, '‖');
  for (let i = 0; i < 3; i++) t = t.replace(/\\[dt]?frac\{([^{}]*)\}\{([^{}]*)\}/g, (_, a: string, b: string) => `${a.length > 1 ? `(${a})` : a}/${b.length > 1 ? `(${b})` : b}`);
  t = t.replace(/\\(mathrm|text|mathit|operatorname|mathbf|bm|mathcal|mathbb)\{([^{}]*)\}/g, '$2').replace(/\\([A-Za-z]+)/g, (w, name: string) => TEX_WORDS[name] ?? w);
  // A subscript is a symbol of its own ("L_B": L of the batch), unlike an identifier's underscore in prose (no_grad).
  t = t.replace(/[{}]/g, '').replace(/_/g, ' ').replace(/\s+/g, ' ').trim();
  if (!t || t.length > max || /\\/.test(t)) return undefined;
  return t;
}

/**
 * The source with code, math, HTML tags and emphasis blanked (same length, same offsets); with
 * `asWords`, short inline math and inline code are kept as text for patterns to read.
 */
export function proseMask(source: string, asWords = false): string {
  const code = maskCode(source);
  // Each formula replaced in one pass (not the whole text rebuilt per formula).
  const parts: string[] = [];
  let at = 0;
  for (const m of extractMath(source).segments) {
    const words = asWords ? mathAsText(source.slice(m.texStart, m.texEnd), m.end - m.start) : undefined;
    parts.push(code.slice(at, m.start), words === undefined ? blank(code.slice(m.start, m.end)) : words.padEnd(m.end - m.start, ' '));
    at = m.end;
  }
  parts.push(code.slice(at));
  let text = parts.join('');
  // Emphasis marks go; an underscore inside a word is not one (no_grad, requires_grad, log_softmax).
  text = replaceSpans(text, htmlTags(text, { withinLine: true }), blank).replace(/\*{1,3}(?=\S)|(?<=\S)\*{1,3}|(?<![\p{L}\p{N}])_{1,3}(?=\S)|(?<=\S)_{1,3}(?![\p{L}\p{N}])/gu, blank);
  if (asWords) {
    // Short inline code reads as words too ("`model.eval()` turns off …"), as written (no_grad keeps its
    // underscore); fenced code stays blank.
    const spans: [number, number][] = [];
    for (const m of source.matchAll(/(?<!`)`([^`\n]{1,40})`(?!`)/g)) {
      const at = (m.index ?? 0) + 1;
      const inner = m[1] as string;
      if (code.slice(at, at + inner.length).trim() === '') spans.push([at, at + inner.length]);
    }
    // All put back in one pass (the text rebuilt per span was quadratic in a cell of many).
    text = replaceSpans(text, spans, (_s, i) => source.slice(spans[i]![0], spans[i]![1]));
  }
  return text;
}

const ANSWER_MARKER = /^\s*(?:#{1,6}\s*)?answers?\s*(?:\d+(?:\.\d+)*\s*)?[:.)\-–]\s*/i;

/**
 * Sentence boundaries: after . ! ? followed by a space and a capital; at line breaks that start a list item
 * or a heading, that end a heading, or that end a line closed by `<br>` or by . ! ? :; at blank lines. A
 * list marker or an answer marker ("**Answer:**") at the start is not part of the sentence.
 */
export function splitSentences(source: string, from = 0, to = source.length): { start: number; end: number; paragraph: number }[] {
  const masked = proseMask(source);
  const out: { start: number; end: number; paragraph: number }[] = [];
  let paragraph = 0;
  let start = from;
  const push = (end: number): void => {
    const text = source.slice(start, end);
    const trimmed = text.trimStart();
    // A list marker is not part of the sentence.
    const lead = text.length - trimmed.length + (/^([-*+]|\d+[.)])\s+/.exec(trimmed)?.[0].length ?? 0);
    // Nor is an answer marker written in line ("**Answer:** The boundary ...").
    const marker = ANSWER_MARKER.exec(masked.slice(start + lead, end))?.[0].length ?? 0;
    const s = start + lead + marker;
    const e = start + text.trimEnd().length;
    if (e > s && /[A-Za-z]{2}/.test(masked.slice(s, e))) out.push({ start: s, end: e, paragraph });
  };
  for (let i = from; i < to; i++) {
    const ch = masked[i];
    if (ch === '\n') {
      const rest = masked.slice(i + 1, i + 12);
      if (/^[ \t]*\n/.test(rest)) {
        push(i);
        paragraph++;
        start = i + 1;
      } else if (/^[ \t]*([-*+]|\d+[.)]|#{1,6})\s/.test(rest) || /^[ \t]*#{1,6}/.test(masked.slice(masked.lastIndexOf('\n', i - 1) + 1, i)) || /^[ \t]*-{3,}/.test(rest) || /<br\s*\/?>\s*$|[.!?:]\s*$/i.test(source.slice(source.lastIndexOf('\n', i - 1) + 1, i))) {
        push(i);
        start = i + 1;
      }
    } else if ((ch === '.' || ch === '!' || ch === '?') && /^\s+["'(*]*[A-Z0-9]/.test(masked.slice(i + 1, i + 6)) && !/\b(e\.g|i\.e|etc|vs|fig|eq|approx)$/i.test(masked.slice(Math.max(from, i - 7), i))) {
      push(i + 1);
      start = i + 1;
    }
  }
  push(to);
  return out;
}

/** The sentences of every markdown answer of the pack's items. */
export function answerSentences(nb: Notebook, seg: Segmentation): Sentence[] {
  const out: Sentence[] = [];
  for (const item of seg.items) {
    for (const span of item.answer) {
      const cell = nb.cells[span.cell];
      if (!cell || cell.kind !== 'markdown') continue;
      const masked = proseMask(cell.source, true);
      const rates = statedRates(masked.slice(span.start, span.end).toLowerCase());
      let before: string | undefined;
      const read = (from: number, to: number): string => shortWords(readAsWords(withRates(masked.slice(from, to).toLowerCase().replace(/\s+/g, ' ').trim(), rates)));
      const push = (start: number, end: number, plain: string, paragraph: number): void => {
        out.push({ item: item.item.id, cell: span.cell, start, end, text: cell.source.slice(start, end), plain, paragraph, ...(before ? { before } : {}) });
        before = plain;
      };
      const topics = listTopics(cell.source, span.start, span.end, read);
      // The start of the line a sentence starts on, by binary search over the span's line starts (a walk back
      // from each sentence was quadratic on a long line of sentences).
      const starts = [span.start];
      for (let i = cell.source.indexOf('\n', span.start); i >= 0 && i < span.end; i = cell.source.indexOf('\n', i + 1)) starts.push(i + 1);
      const lineStart = (at: number): number => {
        if (at <= span.start) return cell.source.lastIndexOf('\n', at - 1) + 1;
        let [lo, hi] = [0, starts.length - 1];
        while (lo < hi) {
          const mid = (lo + hi + 1) >> 1;
          if ((starts[mid] as number) <= at) lo = mid;
          else hi = mid - 1;
        }
        return lo === 0 ? cell.source.lastIndexOf('\n', at - 1) + 1 : (starts[lo] as number);
      };
      // Markdown tables are read cell by cell; the text around them as sentences.
      let from = span.start;
      let paragraph = 0;
      for (const table of [...markdownTables(cell.source, span.start, span.end), undefined]) {
        const to = table ? table.start : span.end;
        const pieces = splitSentences(cell.source, from, to);
        for (const s of pieces) {
          const own = read(s.start, s.end);
          const topic = topics.size ? topics.get(lineStart(s.start)) : undefined;
          push(s.start, s.end, topic ? `${topic} ${own}` : own, paragraph + s.paragraph);
        }
        paragraph += (pieces.at(-1)?.paragraph ?? 0) + 1;
        if (!table) break;
        // Each header is read once (a table's cells are many); a body row's first cell is what it is about.
        const columns = table.header?.cells ?? [];
        const headers = new Map<number, string>();
        const header = (k: number): string => headers.get(k) ?? (headers.set(k, read((columns[k] as TextSpan).start, (columns[k] as TextSpan).end)), headers.get(k) as string);
        const named = (k: number): boolean => k < columns.length && (columns[k] as TextSpan).end > (columns[k] as TextSpan).start;
        for (const row of table.rows) {
          const [first, ...rest] = row.cells;
          if (!first) continue;
          const head = read(first.start, first.end);
          // Two to six columns side by side compare them ("CNN: #params more, compared with MLP").
          const others = rest.map((_, i) => i + 1).filter(named);
          rest.forEach((c, i) => {
            const k = i + 1;
            const compared = named(k) && others.length > 1 && others.length <= 6 ? others.filter((o) => o !== k).map(header) : [];
            const vs = compared.length ? `, compared with ${compared.join(' and ')}` : '';
            push(row.start, row.end, `${named(k) ? `${header(k)}: ` : ''}${head} ${read(c.start, c.end)}${vs}`.trim(), paragraph);
          });
        }
        paragraph++;
        from = table.end;
      }
    }
  }
  return out;
}

const LIST_ITEM = /^[ \t]*(?:[-*+]|\d+[.)])\s/;

/**
 * The header each list item of source[from, to) sits under, as patterns read it, by the offset of the item's line:
 * a line of its own ending in a colon ("RNN:", "Dropout @ inference:", "`model.eval()`:"), opening with a short
 * header ("Boundary: f(x) = 0 …"), or short with no sentence end ("Dropout backward"), right above the list (other
 * items and one blank line between allowed). Each item is read after it ("RNN: tokens processed in parallel"); what
 * is quoted stays the item as written. One pass over the lines.
 */
function listTopics(source: string, from: number, to: number, read: (from: number, to: number) => string): Map<number, string> {
  const out = new Map<number, string>();
  // The line above the list, read only when a list item follows it.
  let header: { start: number; end: number; topic?: string | undefined } | undefined;
  let blanks = 0;
  for (let start = from; start < to; ) {
    const nl = source.indexOf('\n', start);
    const end = nl < 0 || nl > to ? to : nl;
    const line = source.slice(start, end);
    if (!line.trim()) {
      if (++blanks > 1) header = undefined;
    } else if (LIST_ITEM.test(line)) {
      if (header && !('topic' in header)) header.topic = headerOf(read(header.start, header.end).replace(/^#+\s*/, ''), source.slice(header.start, header.end));
      if (header?.topic) out.set(start, header.topic);
    } else {
      blanks = 0;
      header = { start, end };
    }
    start = end + 1;
  }
  return out;
}

/** A line as the header of the list under it, or undefined. */
function headerOf(text: string, line: string): string | undefined {
  // "**Answer:**" is not a topic.
  if (!text || ANSWER_MARKER.test(line.replace(/[*_]/g, ''))) return undefined;
  if (text.endsWith(':') && text.split(/\s+/).length <= 4) return text;
  // A short line of its own with no sentence end ("Dropout backward", "`model.eval()`", "Soft labels, memory").
  if (!/[.!?;:]$/.test(text) && text.split(/\s+/).length <= 4) return `${text}:`;
  const head = /^([^:]{1,40}):/.exec(text);
  return head && (head[1] as string).trim().split(/\s+/).length <= 3 ? `${head[1]}:` : undefined;
}

/**
 * Notes-style symbols and contractions read as the words they stand for, so that one pattern reads "lr ↓
 * when batch ↑", "params ↑ → overfitting ↓", "#params(CNN) > #params(MLP)", "the gradient is 2× bigger" and
 * "doesn't" as it reads the sentence written out. Applied to what patterns read, never to what is quoted.
 */
export function readAsWords(plain: string): string {
  /* eslint-disable regexp/no-super-linear-move -- every pattern below reads
     text whose whitespace the first replacement made single spaces: no run of it for a quantifier to scan again
     from each position, nor for two quantifiers to share. */
  return plain
    .replace(/\s+/g, ' ')
    .replace(/∇|\bnabla(?:_|\b)/g, ' gradient ')
    // ∂L/∂a, the loss's derivative: a gradient.
    .replace(/∂\s?(?:l|loss|e|j)\s?\/\s?∂\s?[\p{L}\p{N}_]+/gu, ' gradient ')
    // The batch statistics' letters written as words ("mu and sigma", "\\mu_B").
    .replace(/\\?\bmu(?:_?b)?\b/g, ' mean ')
    .replace(/\\?\bsigma(?:_?b)?(?:\^?2|²)(?:_?b)?\b|\\?\bsigma(?:\^2)?(?:_?b)?\^?2\b/g, ' variance ')
    .replace(/\\?\bsigma(?:_?b)?\b/g, ' std ')
    // The batch statistics as symbols (μ_B, σ²_B; the underscore is gone by now): their names.
    .replace(/μ(?:[\s_]?b\b)?/g, ' mean ')
    .replace(/σ\s?(?:\^?2|²)(?:[\s_]?b\b)?|σ(?:[\s_]?b\b)?\s?(?:\^?2|²)/g, ' variance ')
    .replace(/σ(?:[\s_]?b\b)?/g, ' std ')
    .replace(/[↑⬆]/g, ' increases ')
    .replace(/[↓⬇]/g, ' decreases ')
    .replace(/\s*(?:→|->|=>|⇒|⟹)\s*/g, ' so ')
    // "B → 2B": the batch doubled.
    .replace(/\b(?:b|batch(?: size)?) (?:so|to|\\to) 2 ?b\b/g, 'batch doubles')
    // "a batch of 2B", "batch size = 2B": the batch doubled.
    .replace(/\bbatch(?: size)?(?: of| =|=| is) 2 ?b\b/g, 'doubled batch')
    // Numbers standing for the change ("batch 32 → 64", "lr 0.1 → 0.05"): doubled, halved; not when a noun follows
    // ("from 64 to 128 samples the graph …": what doubled is that noun).
    .replace(/(?<![\w.])(?:from )?(\d+(?:\.\d+)?)(k?) (?:so|to) (\d+(?:\.\d+)?)\2(?![\w.]| [a-z])/g, (m, a: string, _k: string, b: string) => (Number(b) === 2 * Number(a) ? 'doubled' : Number(a) === 2 * Number(b) ? 'halved' : m))
    .replace(/\b(only|just) 1 (?=class|entry|term|logit|label|row|index)/g, '$1 one ')
    .replace(/\s*·\s*/g, ' × ')
    .replace(/#\s*(params|parameters|weights)\b/g, 'number of parameters')
    .replace(/#\s*nodes\b/g, 'number of nodes')
    .replace(/\s*(?:≠|!=)\s*/g, ' does not mean ')
    // A table's or a list's marks: "parallel over tokens | ✘" is "no", "✔" is "yes".
    .replace(/\s*[✘✗❌](?=\s*(?:\(|$))/g, ' no ')
    .replace(/\s*[✔✓✅]\s*/g, ", yes ")
    // Sets: "linear model ⊂ this model".
    .replace(/\s*[⊂⊆]\s*/g, ' included in ')
    .replace(/\s*[⊃⊇]\s*/g, ' includes ')
    .replace(/\s+>\s+|(?<=\))\s*>\s*/g, ' more than ')
    .replace(/\s+<\s+|(?<=\))\s*<\s*/g, ' less than ')
    .replace(/(?<![\w.])(?:2\s*(?:×|\*|x)|(?:×|x)\s*2)(?![\w.])/g, ' twice ')
    .replace(/\b(do|does|did|is|are|was|were|has|have|had|would|should|could|must|need)n't\b/g, '$1 not')
    .replace(/\bcan't\b/g, 'cannot')
    // The same contractions written without their apostrophe, as notes often are ("doesnt", "cant").
    .replace(/\b(do|does|did|is|are|was|were|has|have|had|would|should|could|must|need)nt\b/g, '$1 not')
    .replace(/\bcant\b/g, 'cannot')
    .replace(/\bits (?=(?:a|an|the|still|just|not|only|also|always|never|very|like|because|impossible|possible|better|worse|more|less)\b)/g, 'it is ')
    .replace(/\bwont\b/g, 'will not')
    // Misspellings common in exam answers, read as meant.
    // "This means …" is not the batch mean.
    .replace(/\b(this|which|it|that|so) means\b|\bmeans (?=that\b)/g, (m, w: string | undefined) => (w ? `${w} implies` : 'implies '))
    .replace(/\bwich\b/g, 'which')
    .replace(/\bthru\b/g, 'through')
    .replace(/\b(they|you)re\b/g, '$1 are')
    .replace(/\b(?:becuase|beacuse|becasue|bcs|bc|b\/c)\b/g, 'because')
    .replace(/\bthier\b/g, 'their')
    // "then" for "than" after a comparative ("more params then a cnn"), not after an if ("if we double it then the …").
    .replace(/\bth[ae]n\b(?= (?:a|an|the|in|fully|fc|mlp|cnn|transformers?|attention|rnns?|lstms?)\b)/g, (w, at: number, all: string) => (/\b(?:\w+er|more|less|fewer|rather|other)\b(?:\s+\S+){0,4}\s*$/.test(all.slice(Math.max(0, at - 60), at)) && !/\bif\b[^,;]*$/.test(all.slice(Math.max(0, at - 400), at)) ? 'than' : w))
    .replace(/\bwon't\b/g, 'will not')
    .replace(/\s+/g, ' ')
    .trim();
  /* eslint-enable regexp/no-super-linear-move */
}

/**
 * The rates an answer states as numbers ("p = 0.2", "a drop rate of 0.3", "Dropout(0.5)", "keep probability
 * 0.8"), so that "we multiply the outputs by 0.2" reads as "by p" and "by 0.8" as "by 1-p": one claim, whatever
 * number the student chose. A rate of 0.5 is its own complement and names neither.
 */
export function statedRates(text: string): { p?: string; keep?: string } {
  const num = '(0?\\.\\d+|\\d{1,2}\\s?%)';
  const drop = new RegExp(`(?:\\bp\\s*=\\s*|\\bdrop(?:out)?[- ]?(?:rate|probability|prob|ratio|p)?\\s*(?:(?:of|=|is|:)\\s*)?|dropout\\s*\\(\\s*(?:p\\s*=\\s*)?)${num}`).exec(text);
  const keep = new RegExp(`\\b(?:keep|retain|retention|survival)(?:ing)?[- ]?(?:rate|probability|prob)?\\s*(?:(?:of|=|is|:)\\s*)?${num}`).exec(text);
  const value = (m: RegExpExecArray | null): number | undefined => {
    if (!m) return undefined;
    const t = (m[1] as string).replace(/\s/g, '');
    const v = t.endsWith('%') ? Number(t.slice(0, -1)) / 100 : Number(t);
    return v > 0 && v < 1 && v !== 0.5 ? v : undefined;
  };
  const p = value(drop) ?? (value(keep) !== undefined ? 1 - (value(keep) as number) : undefined);
  if (p === undefined) return {};
  const show = (v: number): string => String(Math.round(v * 1000) / 1000);
  return { p: show(p), keep: show(1 - p) };
}

/** The sentence with the answer's stated rates read as p and 1-p (see statedRates). */
export function withRates(plain: string, rates: { p?: string; keep?: string }): string {
  if (!rates.p || !rates.keep) return plain;
  const forms = (v: string): string => [v, v.replace(/^0\./, '.'), `${Math.round(Number(v) * 100)}\\s?%`].map((f) => f.replace(/\./g, '\\.')).join('|');
  return plain
    .replace(new RegExp(`(?<![\\w.])(?:${forms(rates.p)})(?![\\w%]|\\.\\d)`, 'g'), 'p')
    .replace(new RegExp(`(?<![\\w.])(?:${forms(rates.keep)})(?![\\w%]|\\.\\d)`, 'g'), '1-p');
}

/** A short quotation of a sentence for messages. */
export function quote(text: string, max = 90): string {
  const one = text.replace(/\s+/g, ' ').trim();
  return `"${one.length > max ? `${one.slice(0, max - 1).trimEnd()}…` : one}"`;
}
