/** Image rules come from the notebook's own preamble; missing files and attachments are always reported. */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { preambleRules } from '../../src/core/checks/images';
import { check, md } from '../helpers';

const dir = mkdtempSync(join(tmpdir(), 'nbcheck-img-'));
mkdirSync(join(dir, 'imgs'));
writeFileSync(join(dir, 'imgs', 'graph.png'), 'png');
writeFileSync(join(dir, 'loose.png'), 'png');
const PATH = join(dir, 'answers.ipynb');
const PREAMBLE = md("* If you need to add external images (such as graphs) to this notebook, please put them inside the 'imgs' folder. DO NOT put a reference to an external link.");

const imageFindings = (cells: ReturnType<typeof md>[]) =>
  check(cells, PATH).findings.filter((f) => f.code.startsWith('images.')).map((f) => [f.code, f.severity, f.cell, f.range?.start]);

describe('images', () => {
  it('reads the folder and the external-link rule from the preamble, not from later cells', () => {
    assert.deepEqual(preambleRules([PREAMBLE].map((c) => ({ kind: 'markdown', source: c.source as string }))), { folder: 'imgs', externalForbidden: true });
    assert.deepEqual(preambleRules([md('### Question 1'), PREAMBLE].map((c) => ({ kind: 'markdown', source: c.source as string }))), { externalForbidden: false });
  });
  it('with the rules: an external link is an error, an image outside imgs/ a warning, at the link', () => {
    assert.deepEqual(imageFindings([PREAMBLE, md('See ![g](https://example.org/g.png)\nand <img src="loose.png"/>')]), [
      ['images.external-link', 'error', 1, { line: 0, character: 9 }],
      ['images.outside-folder', 'warning', 1, { line: 1, character: 14 }],
    ]);
  });
  it('without the rules an external link is fine, but a missing file is still a warning', () => {
    assert.deepEqual(imageFindings([md('![g](https://example.org/g.png) ![h](imgs/nothere.png) ![ok](imgs/graph.png)')]), [
      ['images.missing-file', 'warning', 0, { line: 0, character: 37 }],
    ]);
  });
  it('files present in imgs/, data URIs, and attachments that exist are silent; a missing attachment is not', () => {
    const withAttachment = { ...md('![a](attachment:a.png) ![b](attachment:b.png)'), attachments: { 'a.png': { 'image/png': 'iVBORw0KGgo=' } } };
    assert.deepEqual(imageFindings([PREAMBLE, md('<img src="imgs/graph.png"> ![d](data:image/png;base64,AAAA)'), withAttachment]), [
      ['images.missing-attachment', 'warning', 2, { line: 0, character: 28 }],
    ]);
  });
  it('images inside code spans and fenced code are not images', () => {
    assert.deepEqual(imageFindings([PREAMBLE, md('`![x](http://a/b.png)`\n```\n<img src="http://x/y.png">\n```')]), []);
  });
});
