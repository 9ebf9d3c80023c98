/**
 * The CLI as a user runs it (the built bundle, in a child process): exit codes, one clear line for bad
 * input and never a stack trace, the JSON contract, SARIF that validates against the 2.1.0 schema.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Ajv from 'ajv-draft-04';
import addFormats from 'ajv-formats';
import { CLI, ROOT, REVISED_EXAMPLE, SEED_EXAMPLE } from '../helpers';

function run(...args: string[]): { code: number; out: string; err: string } {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { code: r.status ?? -1, out: r.stdout, err: r.stderr };
}

const tmp = mkdtempSync(join(tmpdir(), 'nbcheck-cli-'));
const file = (name: string, content: string | Buffer): string => {
  const p = join(tmp, name);
  writeFileSync(p, content);
  return p;
};

describe('cli: unreadable input exits 2 with one line naming the file and the problem', () => {
  const cases: [string, () => string, RegExp][] = [
    ['invalid JSON (with line and column)', () => file('bad.ipynb', '{\n  "cells": [\n    {"cell_type": "markdown",, "source": ""}\n  ]\n}'), /bad\.ipynb:3:30: invalid JSON: expected a property name in double quotes but found ","$/],
    ['truncated JSON', () => file('trunc.ipynb', '{"cells": [ {"cell_type": "markdown"'), /trunc\.ipynb:1:37: invalid JSON: expected ',' or '}' in object but found end of file$/],
    ['an empty file', () => file('empty.ipynb', ''), /empty\.ipynb:1:1: invalid JSON: the file is empty$/],
    ['JSON that is not a notebook', () => file('other.ipynb', '{"name": "package", "version": "1.0.0"}'), /other\.ipynb: not a Jupyter notebook: there is no "cells" list$/],
    ['a JSON array', () => file('array.ipynb', '[1, 2]'), /array\.ipynb: not a Jupyter notebook: the file holds a JSON array, not an object$/],
    ['nbformat 3', () => file('v3.ipynb', JSON.stringify({ nbformat: 3, nbformat_minor: 0, metadata: {}, worksheets: [{ cells: [] }] })), /v3\.ipynb: nbformat 3 is not supported \(nbcheck reads nbformat 4\); convert it with "jupyter nbconvert --to notebook --nbformat 4"/],
    ['a cell with a bad source', () => file('cell.ipynb', JSON.stringify({ nbformat: 4, nbformat_minor: 5, metadata: {}, cells: [{ cell_type: 'markdown', source: 42, metadata: {} }] })), /cell\.ipynb: cell 0: "source" must be a string or a list of strings$/],
    ['a missing file', () => join(tmp, 'nope.ipynb'), /nope\.ipynb: no such file$/],
    ['a binary file', () => file('bin.ipynb', Buffer.from([0xff, 0xfe, 0x00, 0x81])), /bin\.ipynb: not a text file/],
    ['a folder with no notebooks', () => { const d = join(tmp, 'emptydir'); mkdirSync(d, { recursive: true }); return d; }, /emptydir: is a folder with no \.ipynb notebooks in it$/],
  ];
  if (process.getuid?.() !== 0) {
    cases.push(['an unreadable file', () => { const p = file('secret.ipynb', '{}'); chmodSync(p, 0o000); return p; }, /secret\.ipynb: cannot be read: permission denied$/]);
  }
  for (const [what, make, message] of cases) {
    it(what, () => {
      const r = run('check', make());
      assert.equal(r.code, 2);
      const lines = r.err.trimEnd().split('\n');
      assert.equal(lines.length, 1, r.err);
      assert.match(lines[0]!, /^nbcheck: /);
      assert.match(lines[0]!, message);
      assert.doesNotMatch(r.err, /\n\s+at |Error:|TypeError/);
    });
  }
  it('a bad file among good ones: the good ones are still reported, and the exit is 2', () => {
    const r = run('check', REVISED_EXAMPLE, join(tmp, 'nope.ipynb'), '--format', 'json');
    assert.equal(r.code, 2);
    assert.equal((JSON.parse(r.out) as { notebooks: unknown[] }).notebooks.length, 1);
  });
  it('bad usage: unknown option, bad format, no notebook', () => {
    for (const args of [['check', SEED_EXAMPLE, '--frobnicate'], ['check', SEED_EXAMPLE, '--format', 'xml'], ['check'], ['grade']]) {
      const r = run(...args);
      assert.equal(r.code, 2, args.join(' '));
      assert.match(r.err, /^nbcheck: .*\nRun "nbcheck --help" for usage\.\n$/);
    }
  });
});

describe('cli: check', () => {
  it('exit 1 when a finding is an error, 0 with --exit-zero; text is compiler style with a summary', () => {
    const r = run('check', SEED_EXAMPLE, '--no-run');
    assert.equal(r.code, 1);
    // `model` is an input the question provides: the saved NameError is no mistake of the answer (information).
    assert.match(r.out, /seed-final-project-theory\.ipynb:cell 10:8:1: info: The saved output of this cell is an error, NameError: name 'model' is not defined \(raised at line 8\): `model` is one of the inputs the question provides, which the notebook does not define, so running the cell alone fails whatever the answer\. .*\[outputs\.saved-error\]/);
    assert.match(r.out, /:cell 30:1:1: error: Question 6 \(Diffusion models, 7 points\) is mandatory and has no answer\. \[structure\.question-missing\]/);
    assert.match(r.out, /Q6\s+7 pts\s+missing\s+Diffusion models/);
    assert.match(r.out, /36 of 50 points attainable \(the answered questions at full value\) · 2 errors, \d+ warnings, \d+ info/);
    assert.doesNotMatch(r.out, /\[code\.|exercise code ran/, '--no-run runs nothing');
    // What the code would judge says it was not run, and why.
    assert.match(r.out, /\n {7}1\.3\.1 +not judged +0–2\.5 of 2\.5 pts: not run \(--no-run\)\n/);
    assert.match(r.out, /:cell 9:1:1: info: Not judged: nbcheck checks the code of part 1\.3\.1 only when it runs the exercises \(--no-run\)\. \[answer\.not-judged\]/);
    assert.equal(run('check', SEED_EXAMPLE, '--exit-zero').code, 0);
  });
  it('runs the exercise code by default: the CE-loss cell\'s error and its wrong value, and the device', () => {
    const r = run('check', SEED_EXAMPLE);
    assert.equal(r.code, 1);
    assert.match(r.out, /:cell 10:10:58: error: TypeError: index_select\(\) received an invalid combination of arguments - got \(incices=Tensor, dim=int, input=Tensor, \).* did you mean 'index'\?.*\[code\.runtime-error\]/);
    assert.match(r.out, /:cell 10:10:8: error: With `incices=` corrected to `index=`, the cell runs, but loss is wrong: .* makes a \[B, B\] matrix .*\[code\.numeric-mismatch\]/);
    // The node count traced from the corrected cell, next to the answer's "7 nodes" (information).
    assert.match(r.out, /:cell 12:2:15: info: The graph traced from the answer's code \(with `incices=` corrected to `index=`\) has 7 nodes .* This matches the answer's 7\. \[graph\.node-count\]/);
    // The cause first, then what follows from it on the same line.
    assert.ok(r.out.indexOf(':cell 10:10:58: error: TypeError') < r.out.indexOf(':cell 10:10:8: error: With `incices=`'));
    assert.match(r.out, /36 of 50 points attainable \(the answered questions at full value\) · 4 errors, \d+ warnings, \d+ info\n  estimate: \d+(\.5)?–\d+(\.5)? of 50 \(an estimate from what nbcheck checked and found, not a grade\) — checked: 1\.3\.2 · flagged: 1\.2, 1\.3\.1, 1\.3\.4, 7 · not judged: 1\.1, 1\.3\.3, 4, 5 \(written answers\)\n  exercise code ran on the (CPU|GPU \(CUDA\))/);
    // Every part says what was checked, flagged, and not judged.
    assert.match(r.out, /\n {7}1\.3\.1 +flagged +[0-9.]+–[0-9.]+ of 2\.5 pts: a runtime error, a wrong value\n/);
    assert.match(r.out, /\n {7}1\.3\.2 +checked in part +[0-9.]+–2\.5 of 2\.5 pts: the node count: the node count it states \(7\) matches the graph traced from its code .*; the drawing of the graph: not judged — an image \(imgs\/ce_loss\.png\)\n/);
    assert.match(r.out, /\n {7}4 +not judged +[0-9.]+–7 of 7 pts: no catalogued misconception found \(3 looked for\)\n/);
    assert.match(r.out, /\n {7}7 +flagged +[0-9.]+–[0-9.]+ of 7 pts: 3 misconceptions\n/);
  });
  it('exit 0 when nothing is an error', () => {
    const cells = JSON.parse(readFileSync(REVISED_EXAMPLE, 'utf8')) as { cells: { source: string | string[] }[] };
    const fixed = JSON.stringify(cells).replace('\\\\frac{x^3}{1+xy$', '\\\\frac{x^3}{1+xy}$').replace('![architecture](https://example.org/vaegan.png)', '');
    const r = run('check', file('clean.ipynb', fixed));
    assert.equal(r.code, 0, r.out);
  });
  it('JSON follows the contract: pack, release, points, questions with parts, findings with cell and 0-based range', () => {
    const r = run('check', SEED_EXAMPLE, '--format', 'json', '--no-run');
    const nb = (JSON.parse(r.out) as { notebooks: Record<string, unknown>[] }).notebooks[0]!;
    assert.equal(nb['path'], SEED_EXAMPLE);
    assert.equal(nb['pack'], 'cs236781-spring2023-theory');
    assert.equal(nb['release'], 'original');
    // Static checks only: the code's parts are not judged (--no-run); the range brackets the grade.
    const points = nb['points'] as { max: number; attainable: number; estimate: { low: number; high: number; basis: string } };
    assert.deepEqual([points.max, points.attainable], [50, 36]);
    assert.ok(points.estimate.low < points.estimate.high && points.estimate.high < 36, JSON.stringify(points.estimate));
    assert.equal(points.estimate.basis, 'flagged: 1.2, 1.3.4, 7 · not judged: 1.1, 1.3.3, 4, 5 (written answers); 1.3.1 (not run); 1.3.2 (images)');
    type Part = { id: string; status: string; verdict: string | null; counted: boolean; points: number; earned: { low: number; high: number } | null; aspects: { kind: string; state: string; summary: string; detail: string[] }[] };
    const qs = nb['questions'] as { id: string; points: number; status: string; parts: Part[]; earned: { low: number; high: number } | null }[];
    // Every part of a question has its verdict, Q4 as much as Q1.3.1; an unanswered question the key grades is
    // flagged (Q6; Q2 for the choice group nobody answered), the other question of the group has none.
    assert.deepEqual(qs.map((q) => q.parts.map((p) => [p.id, p.verdict])), [
      [['1.1', 'not-judged'], ['1.2', 'flagged'], ['1.3.1', 'not-judged'], ['1.3.2', 'not-judged'], ['1.3.3', 'not-judged'], ['1.3.4', 'flagged']],
      [['2', 'flagged']],
      [['3', null]],
      [['4', 'not-judged']],
      [['5', 'not-judged']],
      [['6', 'flagged']],
      [['7', 'flagged']],
    ]);
    assert.deepEqual(qs[5]!.parts[0]!.aspects.map((a) => a.summary), ['no answer', 'no answer']);
    assert.deepEqual(qs[1]!.parts[0]!.aspects.map((a) => a.summary), ['no answer, nor to Question 3: one of them is required', 'no answer, nor to Question 3: one of them is required']);
    const q7 = qs[6]!.parts[0]!;
    assert.deepEqual(q7.aspects.map((a) => [a.kind, a.state, a.summary]), [['prose', 'flagged', '3 misconceptions']]);
    assert.equal(q7.earned?.high, qs[6]!.earned?.high);
    // Each finding behind the estimate says what it puts at risk, least to most; rubric ideas put nothing.
    const fs = nb['findings'] as { code: string; question: string | null; atRisk?: { low: number; high: number }; audience: string }[];
    assert.deepEqual(fs.filter((f) => f.atRisk !== undefined).map((f) => [f.code, f.question]), [
      ['prose.misconception', '1.2'],
      ['prose.misconception', '1.2'],
      ['prose.misconception', '1.3.4'],
      ['prose.misconception', '7'],
      ['prose.misconception', '7'],
      ['prose.misconception', '7'],
    ]);
    for (const f of fs.filter((x) => x.atRisk)) assert.ok(f.atRisk!.low > 0 && f.atRisk!.low <= f.atRisk!.high, JSON.stringify(f));
    // JSON carries every finding, each marked with who it is for.
    assert.deepEqual([...new Set(fs.filter((f) => f.audience === 'grader').map((f) => f.code))].sort(), ['integrity.assistant-text', 'prose.rubric']);
    assert.deepEqual(qs.map((q) => [q.id, q.points, q.status]), [['1', 15, 'answered'], ['2', 7, 'missing'], ['3', 7, 'missing'], ['4', 7, 'answered'], ['5', 7, 'answered'], ['6', 7, 'missing'], ['7', 7, 'answered']]);
    assert.deepEqual(qs[0]!.parts.map((p) => p.id), ['1.1', '1.2', '1.3.1', '1.3.2', '1.3.3', '1.3.4']);
    const findings = nb['findings'] as { code: string; severity: string; question: string; cell: number; range: unknown; message: string }[];
    const saved = findings.find((f) => f.code === 'outputs.saved-error')!;
    assert.deepEqual(Object.keys(saved), ['code', 'severity', 'question', 'cell', 'range', 'message', 'audience']);
    assert.deepEqual(saved, { ...saved, severity: 'info', question: '1.3.1', cell: 10, range: { start: { line: 7, character: 0 }, end: { line: 7, character: 17 } } });
    assert.deepEqual(findings.filter((f) => f.severity === 'error').map((f) => [f.code, f.question]), [['structure.choice-none', '2'], ['structure.question-missing', '6']]);
    assert.ok(findings.some((f) => f.code === 'math.pasted-render' && f.question === '5'));
    assert.equal(nb['run'], null, 'nothing ran');
  });
  it('JSON names the device that ran the exercise code, and why not the GPU', () => {
    const r = run('check', REVISED_EXAMPLE, '--format', 'json');
    const nb = (JSON.parse(r.out) as { notebooks: { run: { device: string; fallback?: string } }[] }).notebooks[0]!;
    assert.ok(nb.run.device === 'cpu' || nb.run.device === 'cuda', JSON.stringify(nb.run));
    if (nb.run.device === 'cpu') {
      assert.match(nb.run.fallback ?? '', /CUDA provider|libonnxruntime_providers|cuda/i);
      assert.match(r.err, /^nbcheck: exercise code ran on the CPU because CUDA is not available: .*\. To use the GPU, run `nbcheck install-gpu`/);
    }
    const cpu = run('check', REVISED_EXAMPLE, '--format', 'json', '--device', 'cpu');
    const forced = (JSON.parse(cpu.out) as { notebooks: { run: { device: string; fallback?: string } }[] }).notebooks[0]!;
    assert.deepEqual(forced.run, { device: 'cpu' }, 'asked for the CPU: no fallback to explain');
    assert.equal(cpu.err, '');
  });
  it('a folder is searched for notebooks', () => {
    const r = run('check', join(ROOT, 'examples'), '--format', 'json');
    const paths = (JSON.parse(r.out) as { notebooks: { path: string }[] }).notebooks.map((n) => n.path.replace(ROOT, ''));
    assert.deepEqual(paths, ['/examples/deep-learning-notes.ipynb', '/examples/sample-answers-revised.ipynb', '/examples/seed-final-project-theory.ipynb']);
  });
});

describe('cli: SARIF', () => {
  const schema = JSON.parse(readFileSync(join(ROOT, 'node_modules/@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json'), 'utf8')) as object;
  const ajv = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false });
  addFormats(ajv);
  const validate = ajv.compile(schema);

  it('validates against the SARIF 2.1.0 schema', () => {
    const r = run('check', SEED_EXAMPLE, REVISED_EXAMPLE, '--format', 'sarif');
    const log = JSON.parse(r.out) as unknown;
    assert.ok(validate(log), JSON.stringify(validate.errors, null, 1));
  });
  it('results from running the code name the device', () => {
    const r = run('check', SEED_EXAMPLE, '--format', 'sarif', '--device', 'cpu');
    const log = JSON.parse(r.out) as { runs: { results: { ruleId: string; properties: Record<string, unknown> }[] }[] };
    const results = log.runs[0]!.results;
    assert.ok(validate(log), JSON.stringify(validate.errors, null, 1));
    const code = results.filter((x) => x.ruleId.startsWith('code.'));
    assert.deepEqual(code.map((x) => [x.ruleId, x.properties['device']]), [['code.runtime-error', 'cpu'], ['code.numeric-mismatch', 'cpu']]);
    assert.ok(results.filter((x) => !x.ruleId.startsWith('code.')).every((x) => x.properties['device'] === undefined));
  });
  it('the schema is really applied: a broken log is rejected', () => {
    const r = run('check', SEED_EXAMPLE, '--format', 'sarif');
    const log = JSON.parse(r.out) as { runs: { results: { level: string }[] }[] };
    log.runs[0]!.results[0]!.level = 'fatal';
    assert.equal(validate(log), false);
  });
  it('regions point into the .ipynb file itself, at the text the finding is about', () => {
    const r = run('check', SEED_EXAMPLE, '--format', 'sarif');
    const log = JSON.parse(r.out) as {
      runs: { results: { ruleId: string; level: string; locations: { physicalLocation: { region?: { startLine: number; startColumn: number; endColumn: number } } }[] }[] }[];
    };
    const saved = log.runs[0]!.results.find((x) => x.ruleId === 'outputs.saved-error')!;
    assert.equal(saved.level, 'note');
    const region = saved.locations[0]!.physicalLocation.region!;
    const line = readFileSync(SEED_EXAMPLE, 'utf8').split('\n')[region.startLine - 1]!;
    assert.equal(line.slice(region.startColumn - 1, region.endColumn - 1), 'logits = model(x)');
  });
});

describe('cli: text output is terminal-safe', () => {
  // Every family a terminal obeys: C0 (NUL, BEL, backspace, carriage return, ESC sequences: a window title,
  // the clipboard (OSC 52), clear screen, erase line), DEL, C1 (CSI), the bidirectional override and isolate.
  const FAMILIES = ['\u0000', '\u0007', '\b', '\r\u001b[2K', '\u001b]0;pwned\u0007', '\u001b]52;c;cHduZWQ=\u0007', '\u001b[2J', '\u007f', '\u009b31m', '\u202e', '\u2066'];
  const UNSAFE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/;

  it('control characters from a saved error and from the file name are written escaped, never raw', () => {
    const nb = JSON.parse(readFileSync(SEED_EXAMPLE, 'utf8')) as { cells: { outputs?: { output_type: string; ename?: string; evalue?: string }[] }[] };
    const error = nb.cells.flatMap((c) => c.outputs ?? []).find((o) => o.output_type === 'error');
    assert.ok(error, 'the seed has a saved error');
    error.ename = `Name${FAMILIES.join('')}Error`;
    error.evalue = `name 'model' is not defined${FAMILIES.join(' ')}`;
    const path = file(`evil\u001b[31m\u202e.ipynb`, JSON.stringify(nb));
    const r = run('check', path, '--no-run');
    assert.equal(r.code, 1, r.err);
    const bad = [...r.out].filter((c) => UNSAFE.test(c));
    assert.deepEqual(bad.map((c) => `U+${c.charCodeAt(0).toString(16).padStart(4, '0')}`), []);
    // What was there is shown, escaped: the reader sees that something was there.
    assert.match(r.out, /saved output of this cell is an error, Name\\x00\\x07\\x08\\x0d\\x1b\[2K\\x1b\]0;pwned\\x07/);
    assert.ok(r.out.includes('evil\\x1b[31m\\u{202e}.ipynb:cell 10'), r.out.slice(0, 300));
    // The JSON format is untouched: it is for programs, and JSON escapes what it must.
    const json = JSON.parse(run('check', path, '--no-run', '--format', 'json').out) as { notebooks: { findings: { message: string }[] }[] };
    assert.ok(json.notebooks[0]!.findings.some((f) => f.message.includes('\u001b]0;pwned\u0007')));
  });

  it('an unreadable file\'s name with control characters is escaped in its one line', () => {
    const r = run('check', file('bad\u001b[2J\r.ipynb', '{ not json'));
    assert.equal(r.code, 2);
    assert.ok(!UNSAFE.test(r.err), JSON.stringify(r.err));
    assert.match(r.err, /bad\\x1b\[2J\\x0d\.ipynb/);
  });
});

