/**
 * What counts as a student's answer inside a stretch of cells: answer markers, rules and empty HTML do
 * not; words, numbers, math and images do. Code counts when it is more than the handed-out template.
 */
import { htmlTags, markdownImages, replaceSpans } from './scan';

/** A line that is only an answer marker, in any of the ways students write one. */
const MARKER_LINE =
  /^[ \t]*(?:#{1,6}[ \t]*)?(?:(?:\*\*|__|\*|_)[ \t]*)?(?:answer|solution|implementation|example|my answer|our answer)s?[ \t]*(?::[ \t]*)?(?:(?:\*\*|__|\*|_)[ \t]*)?(?::[ \t]*)?(?:\([^)\n]*\)[ \t]*)?$/gim;
/** A marker that starts a line with the answer after it: `**Answer:** The receptive field ...`. */
const MARKER_PREFIX = /^[ \t]*(?:#{1,6}[ \t]*)?(?:\*\*|__)[ \t]*answer[ \t]*(?::[ \t]*)?(?:\*\*|__)[ \t]*:?/gim;
const RULE_LINE = /^[ \t]*(?:[-*_][ \t]*){3,}$/gm;
const HTML_COMMENT = /<!--[\s\S]*?-->/g;
const EMPTY_HTML = /<\/?(?:br|center|p|div|span|hr)\b[^>]*>|&nbsp;/gi;

/**
 * Images in markdown text, `![alt](target)` and `<img …>`, as [start, end) in order, not overlapping (as the
 * alternation `!\[[^\]]*\]\([^)]*\)|<img\b[^>]*>` would match them; `withinLine`: not across a newline).
 */
export function imageSpans(text: string, withinLine: boolean): [number, number][] {
  const all = [...markdownImages(text, { withinLine }), ...htmlTags(text, { name: 'img' })].sort((a, b) => a[0] - b[0]);
  const out: [number, number][] = [];
  for (const s of all) if (!out.length || s[0] >= (out[out.length - 1] as [number, number])[1]) out.push(s);
  return out;
}

/** The text with its images replaced by a space each. */
export function withoutImages(text: string, withinLine: boolean): string {
  return replaceSpans(text, imageSpans(text, withinLine), () => ' ');
}

/** The student's own text of a markdown stretch: markers, rules, comments and empty HTML removed. */
export function markdownContent(text: string): string {
  return text
    .replace(HTML_COMMENT, ' ')
    .replace(MARKER_LINE, ' ')
    .replace(MARKER_PREFIX, ' ')
    .replace(RULE_LINE, ' ')
    .replace(EMPTY_HTML, ' ')
    .trim();
}

export function hasMarkdownAnswer(text: string): boolean {
  const content = markdownContent(text);
  return imageSpans(content, false).length > 0 || /[\p{L}\p{N}]/u.test(content.replace(/[#>*_`~|-]/g, ''));
}

const normLine = (s: string): string => s.replace(/\s+/g, ' ').trim();

/** Lines of a code cell that are the student's: not blank, not comments, not template, not imports. */
export function studentCodeLines(code: string, templates: readonly string[]): string[] {
  const templateLines = new Set(templates.flatMap((t) => t.split('\n').map(normLine)).filter((l) => l !== ''));
  return code
    .split('\n')
    .map(normLine)
    .filter(
      (l) =>
        l !== '' &&
        !l.startsWith('#') &&
        !templateLines.has(l) &&
        l !== '...' &&
        l !== 'pass' &&
        !/^(?:import\s+\S|from\s+\S+\s+import\s)/.test(l),
    );
}

/**
 * 0-based lines of a code cell that assign the template placeholder (`loss = ...`) with no later
 * assignment to the same name, so the name ends up holding Ellipsis.
 */
export function placeholderAssignments(code: string): number[] {
  const lines = code.split('\n');
  const out: number[] = [];
  lines.forEach((l, i) => {
    const m = /^\s*([A-Za-z_][\w.]*)\s*=\s*\.\.\.\s*(?:#.*)?$/.exec(l);
    if (!m) return;
    const name = m[1]!.replace(/\./g, '\\.');
    const later = new RegExp(`^\\s*${name}\\s*(?:=(?!=)|[-+*/@]=)`);
    if (!lines.slice(i + 1).some((rest) => later.test(rest))) out.push(i);
  });
  return out;
}

/**
 * A statement that the question is deliberately not answered: "We chose to answer Question 3 instead",
 * "Skipping this one", or, written in this question's cell, that another question was answered ("We chose
 * to answer Question 2.", "I answered Q3 instead"). `own` is the id of the question whose answer the text is.
 * Returns the matching sentence, or undefined.
 */
export function declineStatement(text: string, own?: string): string | undefined {
  const patterns = [
    /\b(?:chose|choose|chosen|decided|elected|opted|picked|selected|went)\b[^.\n]{0,60}?\b(?:question|q)\s*(?:\.\s*)?\d+\b[^.\n]{0,30}?\binstead\b/i,
    /\b(?:not|n't)\s+(?:to\s+)?(?:be\s+)?(?:answer(?:ing|ed)?|solv(?:e|ing|ed)|attempt(?:ing|ed)?)\b[^.\n]{0,30}?\b(?:this\s+(?:question|one|part)|question\s*\d+)/i,
    /\bskip(?:ped|ping)?\b[^.\n]{0,20}?\b(?:this|that|the)\s+(?:question|one|part)\b/i,
  ];
  for (const p of patterns) {
    const m = p.exec(text);
    if (m && !namesOwn(m[0], own)) return m[0];
  }
  // Another question named as the one answered (in this question's cell, that declines this one).
  const other = /\b(?:chose|choose|chosen|decided|elected|opted|picked|selected|went\s+with|answer(?:ed|ing)?|solv(?:ed|ing)|did|doing|attempt(?:ed|ing)?)\s+(?:to\s+(?:answer|solve|do|attempt)\s+)?(?:the\s+|only\s+)?(?:question|q)\s*(?:\.\s*)?(\d+)\b[^.\n]{0,40}/gi;
  for (const m of text.matchAll(other)) {
    if (own !== undefined && m[1] !== undefined && m[1] !== own && m[1] !== own.split('.')[0]) return m[0].trim();
  }
  return undefined;
}

/** The statement names this very question as the one chosen ("We chose Question 2" in Question 2's cell). */
function namesOwn(sentence: string, own: string | undefined): boolean {
  if (own === undefined) return false;
  const n = /\b(?:question|q)\s*(?:\.\s*)?(\d+)/i.exec(sentence)?.[1];
  return n !== undefined && /\binstead\b/i.test(sentence) && n === own;
}
