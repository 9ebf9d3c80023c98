/**
 * Images in markdown: external links and images outside the required folder, when the notebook's own
 * preamble forbids them; image files and attachments that are not there.
 */
import { existsSync } from 'node:fs';
import { isAbsolute, join, normalize } from 'node:path';
import type { Finding } from '../findings';
import { maskCode } from '../notebook/markdown';
import { htmlTags, nextOfTable } from '../notebook/scan';
import type { Check, CheckContext } from './context';

export interface ImageRules {
  /** The folder images must be in ("imgs"), when the notebook says so. */
  readonly folder?: string;
  readonly externalForbidden: boolean;
}

/** The first question heading: the preamble (the notebook's rules) is what comes before it. */
export const FIRST_QUESTION = /^[ \t]{0,3}#{1,6}[ \t]*(?:part|question)[ \t]+\d/im;

/** Rules stated in the notebook before its first "Part"/"Question" heading. */
export function preambleRules(cells: readonly { kind: string; source: string }[]): ImageRules {
  let text = '';
  for (const c of cells) {
    if (c.kind !== 'markdown') continue;
    const m = FIRST_QUESTION.exec(c.source);
    text += `${m ? c.source.slice(0, m.index) : c.source}\n`;
    if (m) break;
  }
  const folder = /\b(?:put|place|save|store|add)\s+(?:them|images?|it)\s+(?:inside|in|into|under)\s+the\s+['"`]?([\w./-]+?)['"`]?\s+(?:folder|directory)/i.exec(text)?.[1];
  const externalForbidden = /\b(?:do\s+not|don't|never)\s+(?:put|use|add|include)\s+(?:a\s+)?(?:reference|link|references|links)\s+to\s+(?:an?\s+)?external\s+links?/i.test(text);
  return folder ? { folder, externalForbidden } : { externalForbidden };
}

interface ImageRef {
  readonly url: string;
  readonly start: number;
  readonly end: number;
}

export function imageRefs(source: string): ImageRef[] {
  const masked = maskCode(source);
  const refs: ImageRef[] = [];
  for (const [start, end] of markdownImageUrls(masked)) refs.push({ url: source.slice(start, end), start, end });
  // <img … src=…> tags, each read on its own (a tag's text is bounded by its '>').
  for (const [tagStart, tagEnd] of htmlTags(masked, { name: 'img' })) {
    const m = /\bsrc\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))/i.exec(masked.slice(tagStart, tagEnd));
    if (!m) continue;
    const url = m[1] ?? m[2] ?? m[3] ?? '';
    const start = tagStart + m.index + m[0].lastIndexOf(url);
    refs.push({ url: source.slice(start, start + url.length), start, end: start + url.length });
  }
  return refs.sort((a, b) => a.start - b.start);
}

export const imageCheck: Check = (ctx) => {
  const rules = preambleRules(ctx.nb.cells);
  const findings: Finding[] = [];
  for (const cell of ctx.nb.cells) {
    if (cell.kind !== 'markdown') continue;
    for (const ref of imageRefs(cell.source)) {
      const problem = judge(ctx, rules, cell.attachments, ref.url);
      if (!problem) continue;
      findings.push({
        ...problem,
        question: ctx.questionAt(cell.index, ref.start),
        cell: cell.index,
        range: ctx.range(cell.index, ref.start, ref.end),
      });
    }
  }
  return findings;
};

function judge(
  ctx: CheckContext,
  rules: ImageRules,
  attachments: readonly string[],
  url: string,
): Pick<Finding, 'code' | 'severity' | 'message'> | undefined {
  if (/^data:/i.test(url)) return undefined;
  if (/^attachment:/i.test(url)) {
    const name = decode(url.slice('attachment:'.length));
    return attachments.includes(name)
      ? undefined
      : { code: 'images.missing-attachment', severity: 'warning', message: `The image attachment "${name}" is not attached to this cell.` };
  }
  if (/^(?:[a-z][a-z0-9+.-]*:)?\/\//i.test(url) || /^[a-z][a-z0-9+.-]*:/i.test(url) && !/^[a-z]:[\\/]/i.test(url)) {
    if (!rules.externalForbidden) return undefined;
    return {
      code: 'images.external-link',
      severity: 'error',
      message:
        `The image ${url} is an external link, which this notebook forbids ("DO NOT put a reference to an external link"). ` +
        `Save the image${rules.folder ? ` in ${rules.folder}/` : ' next to the notebook'} and reference it by its relative path.`,
    };
  }
  const path = decode(url.split(/[?#]/)[0]!);
  const rel = normalize(path).replace(/\\/g, '/');
  if (rules.folder && (isAbsolute(path) || !rel.startsWith(`${withoutTrailingSlashes(rules.folder)}/`))) {
    return {
      code: 'images.outside-folder',
      severity: 'warning',
      message: `The image ${url} is not in the ${rules.folder}/ folder, where this notebook asks for images to be put.`,
    };
  }
  const file = isAbsolute(path) ? path : join(ctx.notebookDir, path);
  if (!existsSync(file)) {
    return {
      code: 'images.missing-file',
      severity: 'warning',
      message: `The image ${url} is not there next to the notebook (${file}): it will show as a broken image. Add the file to your submission.`,
    };
  }
  return undefined;
}

function decode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/**
 * The URLs of markdown images, `![alt](<url> "title")` as CommonMark writes them (alt on one line, the URL
 * without spaces, an optional title), as [start, end) of each URL: scanned with next-occurrence tables, since a
 * regular expression over `![a](![a](…` tried every start against the rest of the text.
 */
function markdownImageUrls(text: string): [number, number][] {
  const altEnd = nextOfTable(text, ']\n');
  const urlEnd = nextOfTable(text, ') \t\n\r\f\v>');
  const quoteEnd = nextOfTable(text, '"\'');
  // The first non-space at or after each position (runs of spaces are skipped in one step, however many tries).
  const solid = new Int32Array(text.length + 1);
  solid[text.length] = text.length;
  for (let p = text.length - 1; p >= 0; p--) solid[p] = /\s/.test(text[p] as string) ? (solid[p + 1] as number) : p;
  const skip = (p: number): number => solid[Math.min(p, text.length)] as number;
  const out: [number, number][] = [];
  for (let i = text.indexOf('!['); i >= 0; i = text.indexOf('![', i)) {
    const close = altEnd[i + 2] as number;
    if (text[close] !== ']' || text[close + 1] !== '(') {
      i += 1;
      continue;
    }
    // `<?` then the URL, and, as the regex backtracks, the URL from the `<` itself when that fails.
    const open = skip(close + 2);
    const tries = text[open] === '<' ? [open + 1, open] : [open];
    let found: [number, number, number] | undefined;
    for (const j of tries) {
      const u1 = urlEnd[j] as number;
      if (u1 === j) continue;
      let k = u1;
      if (text[k] === '>') k++;
      // An optional title ("…" or '…', any quote closing it, as the regex read it), then the closing parenthesis.
      let end = -1;
      const t = skip(k);
      if (t > k && (text[t] === '"' || text[t] === "'")) {
        const q = quoteEnd[t + 1] as number;
        if (q < text.length) {
          const r = skip(q + 1);
          if (text[r] === ')') end = r + 1;
        }
      }
      if (end < 0) {
        const r = skip(k);
        if (text[r] === ')') end = r + 1;
      }
      if (end >= 0) {
        found = [j, u1, end];
        break;
      }
    }
    if (!found) {
      i += 1;
      continue;
    }
    const [u0, u1, end] = found;
    out.push([u0, u1]);
    i = end;
  }
  return out;
}

/** The folder without the slashes that end it (`figures//` → `figures`). */
function withoutTrailingSlashes(folder: string): string {
  let end = folder.length;
  while (end > 0 && folder[end - 1] === '/') end--;
  return folder.slice(0, end);
}
