/** Markdown helpers that keep offsets: scanners run on masked text and report positions in the original. */

const blank = (s: string): string => s.replace(/[^\n]/g, ' ');

/**
 * The text with fenced code blocks, indented code is left alone (students indent list items), inline
 * code spans and HTML comments replaced by spaces, so nothing inside them is taken for math or links.
 */
export function maskCode(text: string): string {
  let out = text.replace(/<!--[\s\S]*?(?:-->|$)/g, blank);
  // Fenced blocks: ``` or ~~~ (3 or more) up to a closing fence of the same kind, or the end.
  out = out.replace(/^([ \t]*)(`{3,}|~{3,})[^\n]*\n[\s\S]*?(?:^\1?[ \t]*\2[`~]*[ \t]*$|(?![\s\S]))/gm, blank);
  // Inline code: a run of N backticks up to the next run of exactly N.
  out = out.replace(/(`+)(?!`)[\s\S]*?[^`]\1(?!`)/g, (m) => (m.includes('\n\n') ? m : blank(m)));
  return out;
}
