/**
 * Pack patterns are read with bounded gaps (src/core/assignment/bounded.ts): "A, any words, B" spans at most
 * GAP_LIMIT characters, so that a long sentence dense in A and B cannot make a pattern try every B after every
 * A (an 80,000-character "more parameters …" took 570 s). What the bound changes, and what it keeps.
 */
import { strict as assert } from 'node:assert';
import { GAP_LIMIT, boundedSource } from '../../src/core/assignment/bounded';
import { spring2023Theory } from '../../src/core/assignment/packs/spring2023-theory';
import { phrases } from '../../src/core/assignment/phrases';

/** Every regular expression in the data, with where it is. */
function patterns(data: unknown, path = 'pack', out: [string, RegExp][] = []): [string, RegExp][] {
  if (data instanceof RegExp) out.push([path, data]);
  else if (Array.isArray(data)) data.forEach((x, i) => patterns(x, `${path}[${i}]`, out));
  else if (data && typeof data === 'object') for (const [k, v] of Object.entries(data)) patterns(v, `${path}.${k}`, out);
  return out;
}

describe('pack patterns with bounded gaps', () => {
  it('a repeated negated class takes the bound; other quantifiers stay as written', () => {
    assert.equal(boundedSource(String.raw`\bmore\b[^.;]*\bparams\b[^.]*?x[^\]]+y`), String.raw`\bmore\b[^.;]{0,${GAP_LIMIT}}\bparams\b[^.]{0,${GAP_LIMIT}}?x[^\]]{1,${GAP_LIMIT}}y`);
    assert.equal(boundedSource(String.raw`decreas\w*\s*[^.;]{0,3}[abc]*`), String.raw`decreas\w*\s*[^.;]{0,3}[abc]*`);
  });

  it('no gap of the built-in pack is unbounded, and phrase templates make bounded gaps', () => {
    const all = patterns(spring2023Theory);
    assert.ok(all.length > 200, `${all.length} patterns`);
    const unbounded = all.filter(([, re]) => /\[\^(?:\\.|[^\]\\])*\][*+]/.test(re.source) || /\)\)\)\*\?|\)\)\*\?/.test(re.source));
    assert.deepEqual(unbounded.map(([p, re]) => `${p}: ${re.source.slice(0, 80)}`), []);
    const p = phrases({ lr: 'lr|learning rate' });
    assert.match(p('{lr}…smaller').source, new RegExp(`\\{0,${GAP_LIMIT}\\}\\?`));
    assert.match(p('{lr}‥smaller').source, new RegExp(`\\{0,${GAP_LIMIT}\\}\\?`));
  });

  it('a rubric idea is found with its parts in one sentence part, up to the bound apart, and not further', () => {
    const capacity = spring2023Theory.rubric?.flatMap((r) => r.ideas).find((i) => i.id === 'capacity');
    assert.ok(capacity);
    const found = (t: string): boolean => capacity.any.some((re) => re.test(t));
    assert.ok(found('more parameters give the model more capacity'));
    const filler = (n: number): string => ' and then'.repeat(Math.ceil(n / 9)).slice(0, n);
    assert.ok(found(`more parameters${filler(GAP_LIMIT - 40)} give the model more capacity`), 'parts within the bound');
    assert.ok(!found(`more parameters${filler(GAP_LIMIT + 50)} give the model more capacity`), 'parts further apart than the bound are not read as one idea');
    assert.ok(!found('more parameters. the model has more capacity'), 'not across a sentence end (as before)');
  });
});
