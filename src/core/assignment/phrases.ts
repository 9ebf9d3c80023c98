/**
 * Sentence patterns for pack data, built from named word groups so that one idea ("more parameters",
 * "reduces over-fitting") is spelled once and reads the same in every entry. Templates are regular
 * expressions over the lower-case sentence with three additions:
 *   {name}  the group `name` (starting at a word boundary)
 *   …       any words within the same sentence part (no . or ; but a dot inside a word, nor a contrast: "whereas",
 *           "but", "while", "however", "although"), as few as possible, up to GAP_LIMIT characters (bounded.ts)
 *   ‥       any words within the same clause (no . ; or , but inside a word), as few as possible, up to the same
 */
import { GAP_LIMIT } from './bounded';

export type Phrase = (template: string) => RegExp;

export function phrases(groups: Readonly<Record<string, string>>): Phrase {
  return (template) => {
    const source = template
      .replace(/\{(\w+)\}/g, (_, name: string) => {
        const g = groups[name];
        if (g === undefined) throw new Error(`unknown word group {${name}} in pattern ${template}`);
        return `\\b(?:${g})`;
      })
      // A dot inside a word (`torch.no_grad`, `model.eval()`, `0.2`) does not end the sentence part.
      // Nor does the part run across a contrast: its two sides are about different things.
      .replace(/…/g, `(?:(?!\\b(?:whereas|but|however|although|while)\\b)(?:[^.;]|\\.(?=\\w))){0,${GAP_LIMIT}}?`)
      .replace(/‥/g, `(?:[^.;,]|[.,](?=\\w)){0,${GAP_LIMIT}}?`);
    return new RegExp(source);
  };
}
