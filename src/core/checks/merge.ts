/**
 * Repeated findings become one: the same finding several times in one cell (one undefined macro used three
 * times) is reported once with where else it is; missing image files (or attachments) across the notebook
 * (twenty missing images) are one finding that lists them, with the count. The merged finding sits at the
 * first place.
 */
import type { Finding, FindingCode } from '../findings';
import { pushTo } from '../collections';

/**
 * Codes merged across the whole notebook, with how the list is introduced. Images outside the folder or
 * linked from outside stay one finding each: each has its fix at its place (the move-image quick fix).
 */
const ACROSS: Partial<Record<FindingCode, (n: number) => string>> = {
  'images.missing-file': (n) => `${n} images are not there next to the notebook, so they will show as broken images: add them to your submission.`,
  'images.missing-attachment': (n) => `${n} image attachments are not attached to their cells.`,
};

const at = (f: Finding): string => (f.range ? `${f.range.start.line + 1}:${f.range.start.character + 1}` : '');

/** The first `max` items of a list, and how many more. */
function listed(items: readonly string[], max = 8): string {
  const shown = items.slice(0, max).join('; ');
  return items.length > max ? `${shown}; and ${items.length - max} more` : shown;
}

export function mergeRepeats(findings: readonly Finding[]): Finding[] {
  const out: Finding[] = [];
  // Across the notebook first (images), then identical findings within one cell.
  const across = new Map<FindingCode, Finding[]>();
  for (const f of findings) {
    if (ACROSS[f.code] && f.cell !== undefined) pushTo(across, f.code, f);
  }
  const merged = new Set<Finding>();
  for (const [code, list] of across) {
    if (list.length < 2) continue;
    const first = list[0] as Finding;
    const each = list.map((f) => `${imageOf(f) ?? 'an image'} (cell ${f.cell}${f.range ? ` line ${f.range.start.line + 1}` : ''})`);
    out.push({ ...first, message: `${(ACROSS[code] as (n: number) => string)(list.length)} They are: ${listed(each)}.` });
    for (const f of list) merged.add(f);
  }
  const byCell = new Map<string, Finding[]>();
  for (const f of findings) {
    if (merged.has(f)) continue;
    const key = f.cell === undefined ? '' : `${f.cell}\u0000${f.code}\u0000${f.message}`;
    if (!key) {
      out.push(f);
      continue;
    }
    pushTo(byCell, key, f);
  }
  for (const list of byCell.values()) {
    const first = list[0] as Finding;
    if (list.length === 1) out.push(first);
    else out.push({ ...first, message: `${first.message} (${list.length} times in this cell, at lines:columns ${listed(list.map(at))}.)` });
  }
  return out;
}

/** The image a finding is about (its path or link, the first thing it names). */
function imageOf(f: Finding): string | undefined {
  return /^The image(?: attachment)? "?([^"\s]+)"?/.exec(f.message)?.[1];
}
