/**
 * Who reads the report: a student sees no rubric idea (it gives the answer key away during an exam) and no
 * integrity signal, unless the pack or a setting opts them in; a grader sees both. JSON always carries every
 * finding, marked with its audience. Repeated findings are one.
 */
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { forAudience } from '../../src/core/check';
import { BUILTIN_PACKS } from '../../src/core/assignment/match';
import { CLI, SEED_EXAMPLE, check, checkNotebook, md, readNotebook } from '../helpers';

const seed = checkNotebook(readNotebook(SEED_EXAMPLE));
const kinds = (r: typeof seed): Set<string> => new Set(r.findings.map((f) => f.code));

describe('audience', () => {
  it('students see no rubric idea and no integrity signal; graders see both, with the notebook\'s rule on pasted math', () => {
    const student = forAudience(seed, { audience: 'student' });
    for (const c of ['prose.rubric', 'integrity.assistant-text']) {
      assert.ok(kinds(seed).has(c), `the seed has ${c}`);
      assert.ok(!kinds(student).has(c), `a student does not see ${c}`);
    }
    // Everything else a student needs stays: errors, misconceptions, math, what was not judged.
    for (const c of ['structure.question-missing', 'prose.misconception', 'math.pasted-render', 'answer.not-judged']) assert.ok(kinds(student).has(c), c);
    assert.ok(!student.findings.some((f) => /on your own/.test(f.message)), 'the integrity sentence of the pasted-math warning is the graders\'');
    const grader = forAudience(seed, { audience: 'grader' });
    assert.deepEqual(grader.findings.length, seed.findings.length);
    assert.match(grader.findings.find((f) => f.code === 'math.pasted-render')?.message ?? '', / the notebook says: "You should answer the questions on your own" — a signal for a reader, not proof\.$/);
    // The estimate is the same for both: neither group costs anything.
    assert.deepEqual(student.judgement?.estimate, grader.judgement?.estimate);
  });

  it('a setting or the pack can show students the rubric or the integrity signals', () => {
    const rubric = forAudience(seed, { audience: 'student', studentsSee: ['rubric'] });
    assert.ok(kinds(rubric).has('prose.rubric') && !kinds(rubric).has('integrity.assistant-text'));
    const pack = { ...BUILTIN_PACKS[0]!, studentsSee: ['integrity'] as const };
    const withPack = forAudience({ ...seed, pack }, { audience: 'student' });
    assert.ok(!kinds(withPack).has('prose.rubric') && kinds(withPack).has('integrity.assistant-text'));
  });

  it('the CLI: --audience grader shows them, the default does not; JSON carries all of them, marked', () => {
    const run = (...args: string[]): string => spawnSync(process.execPath, [CLI, 'check', SEED_EXAMPLE, '--no-run', '--exit-zero', ...args], { encoding: 'utf8' }).stdout;
    const student = run();
    assert.doesNotMatch(student, /\[prose\.rubric\]|\[integrity\./);
    const grader = run('--audience', 'grader');
    assert.match(grader, /\[prose\.rubric\]/);
    assert.match(grader, /\[integrity\.assistant-text\]/);
    assert.match(run('--audience=student', '--students-see', 'rubric'), /\[prose\.rubric\]/);
    const json = JSON.parse(run('--format', 'json')) as { notebooks: { findings: { code: string; audience: string; graderNote?: string }[] }[] };
    const fs = json.notebooks[0]!.findings;
    assert.ok(fs.some((f) => f.code === 'prose.rubric' && f.audience === 'grader'));
    assert.ok(fs.some((f) => f.code === 'integrity.assistant-text' && f.audience === 'grader'));
    assert.ok(fs.filter((f) => !f.code.startsWith('prose.rubric') && !f.code.startsWith('integrity.')).every((f) => f.audience === 'all'));
    assert.match(fs.find((f) => f.code === 'math.pasted-render')?.graderNote ?? '', /on your own/);
    const bad = spawnSync(process.execPath, [CLI, 'check', SEED_EXAMPLE, '--audience', 'teacher'], { encoding: 'utf8' });
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /^nbcheck: --audience must be student or grader, not "teacher"\n/);
  });
});

describe('repeated findings are one', () => {
  it('missing images across the notebook: one finding listing them, with the count', () => {
    const r = check([md('# Notes\n\n![a](imgs/a.png)\n\n![b](imgs/b.png)'), md('![c](imgs/c.png)')]);
    const missing = r.findings.filter((f) => f.code === 'images.missing-file');
    assert.equal(missing.length, 1);
    assert.equal(missing[0]?.cell, 0);
    assert.match(missing[0]?.message ?? '', /^3 images are not there next to the notebook, so they will show as broken images: add them to your submission\. They are: imgs\/a\.png \(cell 0 line 3\); imgs\/b\.png \(cell 0 line 5\); imgs\/c\.png \(cell 1 line 1\)\.$/);
    assert.equal(check([md('![a](imgs/a.png)')]).findings.filter((f) => f.code === 'images.missing-file').length, 1, 'one is one');
  });

  it('the same math error several times in one cell: once, saying where else', () => {
    const r = check([md('$\\norm{a}$ and $\\norm{b}$\n\nand $\\norm{c}$'), md('$\\norm{d}$')]);
    const errors = r.findings.filter((f) => f.code === 'math.parse-error');
    assert.deepEqual(errors.map((f) => f.cell), [0, 1]);
    assert.match(errors[0]?.message ?? '', /\(3 times in this cell, at lines:columns 1:2; 1:17; 3:6\.\)$/);
    assert.doesNotMatch(errors[1]?.message ?? '', /times in this cell/);
  });
});
