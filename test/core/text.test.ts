/** Folding prompt text for matching: case, emphasis and every kind of whitespace do not matter. */
import assert from 'node:assert/strict';
import { fold } from '../../src/core/text';

describe('fold', () => {
  it('lower-cases, drops emphasis, and makes any run of whitespace (Unicode spaces too) one space', () => {
    const s = 'Use **Torch\u2019s**\u2009log_softmax\u00a0\n\u3000AND\tgather';
    const f = fold(s);
    assert.equal(f.text, "use torch's logsoftmax and gather");
    assert.equal(f.offsets.length, f.text.length);
    assert.equal(s[f.offsets[f.text.indexOf('and')]!], 'A');
  });
});
