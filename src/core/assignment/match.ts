import type { Notebook } from '../notebook/types';
import { foldPhrase, foldSource } from '../text';
import { spring2023Theory } from './packs/spring2023-theory';
import type { AssignmentPack, PackRelease } from './types';

/** The packs nbcheck ships, in the order they are tried. */
export const BUILTIN_PACKS: readonly AssignmentPack[] = [spring2023Theory];

export interface PackMatch {
  readonly pack: AssignmentPack;
  /** Undefined when no release marker is found (e.g. the student deleted the prompt that differs). */
  readonly release?: PackRelease;
}

/** Recognises the exam from its prompt text: the pack whose question anchors occur most, if enough do. */
export function matchPack(nb: Notebook, packs: readonly AssignmentPack[] = BUILTIN_PACKS): PackMatch | undefined {
  const folded = nb.cells.map((c) => foldSource(c).text).join('\n');
  let best: { pack: AssignmentPack; hits: number } | undefined;
  for (const pack of packs) {
    const hits = pack.questions.filter((q) =>
      q.items.some((item) => item.anchors.some((a) => folded.includes(foldPhrase(a)))),
    ).length;
    if (hits >= pack.minAnchors && (!best || hits > best.hits)) best = { pack, hits };
  }
  if (!best) return undefined;
  const release = best.pack.releases.find((r) => r.markers.some((m) => folded.includes(foldPhrase(m))));
  return release ? { pack: best.pack, release } : { pack: best.pack };
}
