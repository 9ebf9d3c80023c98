/**
 * Real students' notebooks (../shared/corpus): the status of every (sub)question, as read by a person from
 * each notebook, and the findings each notebook must (and must not) get.
 */
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { CORPUS, HAVE_CORPUS, checkNotebook, codes, readNotebook, statusTable } from '../helpers';

const ALL_Q1 = { '1': 'answered', '1.1': 'answered', '1.2': 'answered', '1.3.1': 'answered', '1.3.2': 'answered', '1.3.3': 'answered', '1.3.4': 'answered' };

/** Q1 complete, Q2 chosen over Q3, Q4–Q7 answered. */
const Q2_CHOSEN_ALL_ANSWERED = { ...ALL_Q1, '2': 'answered', '3': 'missing', '4': 'answered', '5': 'answered', '6': 'answered', '7': 'answered' };

/** Read by hand from each notebook: release, statuses, attainable points. */
const TABLE: Record<string, { release: string; status: Record<string, string>; attainable: number }> = {
  'Almogbs__draft__Part2_TheoreticalQuestions.ipynb': {
    release: 'original',
    status: { ...ALL_Q1, '2': 'missing', '3': 'missing', '4': 'answered', '5': 'answered', '6': 'missing', '7': 'answered' },
    attainable: 36,
  },
  'Almogbs__final__Part2_TheoreticalQuestions.ipynb': {
    release: 'original',
    status: Q2_CHOSEN_ALL_ANSWERED,
    attainable: 50,
  },
  'HayElmaliah__Deep-Learning-CS236781-MiniProject__Part2_TheoreticalQuestions.ipynb': {
    release: 'revised',
    status: Q2_CHOSEN_ALL_ANSWERED,
    attainable: 50,
  },
  'oreo-hippiepham1__cs236781-prj__Part2_TheoreticalQuestions.ipynb': {
    release: 'original',
    status: Q2_CHOSEN_ALL_ANSWERED,
    attainable: 50,
  },
  'noam-mosh__mini_project__Part2_TheoreticalQuestions.ipynb': {
    release: 'revised',
    status: {
      '1': 'partial', '1.1': 'answered', '1.2': 'answered', '1.3.1': 'missing', '1.3.2': 'missing', '1.3.3': 'missing', '1.3.4': 'missing',
      '2': 'missing', '3': 'missing', '4': 'missing', '5': 'missing', '6': 'missing', '7': 'missing',
    },
    attainable: 15,
  },
};

const dir = join(CORPUS, 'spring2023-theory');

(HAVE_CORPUS ? describe : describe.skip)('corpus: Spring 2023 theory notebooks', () => {
  it('has a row in the table for every notebook in the corpus', () => {
    assert.deepEqual(readdirSync(dir).filter((f) => f.endsWith('.ipynb')).sort(), Object.keys(TABLE).sort());
  });

  for (const [file, want] of Object.entries(TABLE)) {
    it(`${file.split('__')[0]}/${file.split('__')[1]}: pack, release, every (sub)question status, points`, () => {
      const r = checkNotebook(readNotebook(join(dir, file)));
      assert.equal(r.pack?.id, 'cs236781-spring2023-theory');
      assert.equal(r.release?.id, want.release);
      assert.deepEqual(statusTable(r), want.status);
      assert.deepEqual(r.points, { max: 50, attainable: want.attainable });
    });
  }

  it('the seed notebook: Q2/Q3 unanswered, Q6 missing, the saved NameError, the pasted math of Q5', () => {
    const r = checkNotebook(readNotebook(join(dir, 'Almogbs__draft__Part2_TheoreticalQuestions.ipynb')));
    const errors = r.findings.filter((f) => f.severity === 'error');
    assert.deepEqual(errors.map((f) => [f.code, f.question]), [['structure.choice-none', '2'], ['structure.question-missing', '6']]);
    const saved = r.findings.find((f) => f.code === 'outputs.saved-error');
    assert.equal(saved?.cell, 10);
    assert.equal(saved?.question, '1.3.1');
    assert.match(saved!.message, /NameError: name 'model' is not defined/);
    assert.deepEqual(saved?.range?.start, { line: 7, character: 0 }); // `logits = model(x)`, where it was raised
    const pasted = r.findings.filter((f) => f.code === 'math.pasted-render');
    assert.equal(pasted.length, 1);
    assert.equal(pasted[0]!.question, '5');
    assert.equal(pasted[0]!.cell, 29);
    assert.match(pasted[0]!.message, /U\+FFFD/);
  });

  it('real students\u2019 math: \\norm (defined nowhere) is an error at its exact position; nothing else is', () => {
    const r = checkNotebook(readNotebook(join(dir, 'HayElmaliah__Deep-Learning-CS236781-MiniProject__Part2_TheoreticalQuestions.ipynb')));
    const math = r.findings.filter((f) => f.code === 'math.parse-error');
    // Three uses in one cell: one finding at the first, naming the others.
    assert.equal(math.length, 1);
    const f = math[0]!;
    assert.equal(f.cell, 20);
    assert.equal(f.question, '2');
    const line = r.notebook.cells[20]!.source.split('\n')[f.range!.start.line]!;
    assert.equal(line.slice(f.range!.start.character, f.range!.end.character), '\\norm');
    assert.match(f.message, /\(3 times in this cell, at lines:columns 2:19; 4:8; 4:25\.\)$/);
    // Besides, two display formulas of Question 7 closed with `$$ <br>`, which VS Code does not end there.
    const vscode = r.findings.filter((g) => g.code.startsWith('math.') && g.code !== 'math.parse-error');
    assert.deepEqual(vscode.map((g) => [g.code, g.severity, g.cell, g.range?.start.line]), [['math.renders-jupyter-only', 'warning', 40, 27], ['math.renders-jupyter-only', 'warning', 40, 38]]);
    assert.match(vscode[0]!.message, /^Renders in Jupyter, shows as an error in VS Code: .* the text after the closing \$\$ \("<br>"\) keeps it open/);
  });

  it('no finding about math on any other corpus notebook of this exam, but the seed\u2019s `$$ CE_LOSS … $$ <br>` (VS Code) and a `beta_t` without its backslash', () => {
    const hits = Object.keys(TABLE)
      .filter((f) => !f.startsWith('HayElmaliah'))
      .flatMap((file) =>
        checkNotebook(readNotebook(join(dir, file)))
          .findings.filter((f) => f.code.startsWith('math.') && f.code !== 'math.pasted-render')
          .map((f) => `${file.split('__')[0]}/${file.split('__')[1]}:${f.cell} ${f.code}`),
      );
    assert.deepEqual(hits, ['Almogbs/draft:9 math.renders-jupyter-only', 'Almogbs/final:9 math.renders-jupyter-only', 'oreo-hippiepham1/cs236781-prj:32 math.missing-backslash']);
  });

  it('pasted-math warnings only where math was pasted (the seed\u2019s Q5), on no other corpus cell', () => {
    const hits = Object.keys(TABLE).flatMap((file) =>
      checkNotebook(readNotebook(join(dir, file)))
        .findings.filter((f) => f.code === 'math.pasted-render')
        .map((f) => `${file.split('__')[0]}/${file.split('__')[1]}:${f.cell}`),
    );
    assert.deepEqual(hits, ['Almogbs/draft:29']);
  });
});

(HAVE_CORPUS ? describe : describe.skip)('corpus: earlier exams (another question bank)', () => {
  const earlier = join(CORPUS, 'earlier-exams');
  for (const file of HAVE_CORPUS ? readdirSync(earlier).filter((f) => f.endsWith('.ipynb')) : []) {
    it(`${file.split('__')[0]}: no pack matches (info), and its \\newcommand/\\renewcommand macros render`, () => {
      const r = checkNotebook(readNotebook(join(earlier, file)));
      assert.equal(r.pack, undefined);
      assert.ok(codes(r).includes('pack.none'));
      assert.deepEqual(r.findings.filter((f) => f.severity === 'error'), []);
    });
  }
});
