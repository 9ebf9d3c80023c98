/**
 * Sentence patterns for pack data, built from named word groups so that one idea ("more parameters",
 * "reduces over-fitting") is spelled once and reads the same in every entry. Templates are regular
 * expressions over the lower-case sentence with three additions:
 *   {name}  the group `name` (starting at a word boundary)
 *   …       any words within the same sentence part (no . or ;), as few as possible
 *   ‥       any words within the same clause (no . ; or ,), as few as possible
 */
export type Phrase = (template: string) => RegExp;

export function phrases(groups: Readonly<Record<string, string>>): Phrase {
  return (template) => {
    const source = template
      .replace(/\{(\w+)\}/g, (_, name: string) => {
        const g = groups[name];
        if (g === undefined) throw new Error(`unknown word group {${name}} in pattern ${template}`);
        return `\\b(?:${g})`;
      })
      .replace(/…/g, '[^.;]*?')
      .replace(/‥/g, '[^.;,]*?');
    return new RegExp(source);
  };
}
