/**
 * End to end in a real VS Code: code-server (VS Code 1.139 from the npm registry, on Node 24) driven by
 * Debian's Chromium through playwright-core, as ../shared/E2E.md describes. The extension is loaded from
 * this checkout (its built dist/), a mocha suite runs inside VS Code's extension host (test/e2e/suite), and
 * the browser sees what a student sees: squiggles on the cells and rows in the Problems panel.
 * Screenshots go to test-results/e2e/. `npm run test:e2e` runs this file alone.
 */
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Frame, Page } from 'playwright-core';
import { vscodeDefinitions, vscodeFailures } from '../../src/core/math/vscode-render';
import { ROOT, SEED_EXAMPLE } from '../helpers';
import { CODE_SERVER, NODE24, openWorkbench, setUp, unavailable, type Workbench } from './launch';

const XSS_TEXT = '<img src=x onerror="window.__pwned=1"> <script>window.__pwned=2</script> The loss $\\href{javascript:window.__pwned=3}{click}$ is $\\frac{a}{b}$.';
export const ARTIFACTS = join(ROOT, 'test-results', 'e2e');

interface Outcome {
  readonly title: string;
  readonly state: 'passed' | 'failed' | 'pending';
  readonly error?: string;
}

describe('end to end in VS Code (code-server + Chromium)', function () {
  this.timeout(600_000);
  let workbench: Workbench | undefined;
  let page: Page | undefined;
  let work = '';
  let outcomes: Outcome[] = [];
  let resultsFile = '';
  let exited: Promise<number> | undefined;
  let hold = '';

  before(async function () {
    const t0 = Date.now();
    const mark = (what: string): void => {
      if (process.env['NBCHECK_E2E_TIMING']) console.log(`      ${((Date.now() - t0) / 1000).toFixed(1)} s  ${what}`);
    };
    const why = unavailable();
    if (why) {
      console.log(`    (skipped: ${why})`);
      this.skip();
    }
    setUp();
    assert.ok(existsSync(join(ROOT, 'dist', 'extension.js')), 'the extension is built (npm test builds it first)');
    mark('set up');

    work = mkdtempSync(join(tmpdir(), 'nbcheck-e2e-'));
    const ws = join(work, 'ws');
    mkdirSync(ws);
    // The seed, with hostile text added to Question 4's answer (cell 25): markup and a javascript: link in math.
    const seed = JSON.parse(readFileSync(SEED_EXAMPLE, 'utf8')) as { cells: { source: string | string[] }[] };
    const q4 = seed.cells[25] as { source: string | string[] };
    q4.source = `${Array.isArray(q4.source) ? q4.source.join('') : q4.source}\n\n${XSS_TEXT}\n`;
    writeFileSync(join(ws, 'seed-final-project-theory.ipynb'), JSON.stringify(seed, null, 1));
    const results = join(work, 'results.json');
    hold = join(work, 'hold');
    mkdirSync(hold);
    resultsFile = results;
    workbench = await openWorkbench({
      workspace: ws,
      work,
      testsPath: join(ROOT, 'out', 'test', 'e2e', 'suite', 'index.js'),
      env: { NBCHECK_E2E_RESULTS: results, NBCHECK_E2E_HOLD: hold },
    });
    page = workbench.page;
    exited = workbench.exited;
    const log = workbench.log;
    mark('workbench loaded');
    // The suite inside VS Code checks the diagnostics, then holds its extension host up for the browser.
    const end = Date.now() + 240_000;
    while (!existsSync(join(hold, 'ready'))) {
      if (Date.now() > end || existsSync(results)) throw new Error(`the extension-host suite did not reach the browser checks:\n${existsSync(results) ? readFileSync(results, 'utf8') : log.join('').slice(-3000)}`);
      await new Promise((r) => setTimeout(r, 250));
    }
    mkdirSync(ARTIFACTS, { recursive: true });
    mark('suite ready for the browser');
  });

  after(async () => {
    await workbench?.close();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  /** Asks the extension host (held by its suite) to change a setting or reveal a cell, and waits until it has. */
  const askHost = async (what: 'theme' | 'audience' | 'reveal', value: string): Promise<void> => {
    rmSync(join(hold, `${what}-applied`), { force: true });
    writeFileSync(join(hold, `${what}-request`), value);
    const end = Date.now() + 20_000;
    while (!existsSync(join(hold, `${what}-applied`)) && Date.now() < end) await new Promise((r) => setTimeout(r, 100));
    assert.ok(existsSync(join(hold, `${what}-applied`)), `${what} ${value} applied`);
  };

  it('the notebook editor shows error and information squiggles on the cells', async () => {
    const p = page as Page;
    await p.locator('.notebook-editor .squiggly-error').first().waitFor({ timeout: 60_000 });
    // The saved NameError on the CE cell in view is information (`model` is the question's input).
    await p.locator('.notebook-editor .squiggly-info').first().waitFor({ timeout: 60_000 });
    await p.screenshot({ path: join(ARTIFACTS, 'notebook-squiggles.png') });
  });

  it('VS Code renders the seed\'s `$$ CE_LOSS … $$ <br>` line as a KaTeX error: the formula nbcheck reports, as nbcheck reads it', async () => {
    const p = page as Page;
    await askHost('reveal', '9');
    // The notebook's markdown is rendered in its webview (a cell's shadow root: playwright's CSS pierces it).
    let title: string | null = null;
    const end = Date.now() + 60_000;
    while (title === null && Date.now() < end) {
      for (const f of p.frames()) {
        const err = f.locator('.katex-error', { hasText: "Can't use function '$' in math mode" });
        if (await err.count().catch(() => 0)) {
          await err.first().waitFor({ state: 'visible', timeout: 10_000 });
          title = await err.first().getAttribute('title');
        }
      }
      if (title === null) await new Promise((r) => setTimeout(r, 250));
    }
    assert.ok(title !== null, 'a KaTeX error in view in the rendered notebook');
    // What VS Code handed KaTeX is what nbcheck's own render of the cell (markdown-it + @vscode/markdown-it-katex) fails on.
    const seed = JSON.parse(readFileSync(SEED_EXAMPLE, 'utf8')) as { cells: { source: string | string[] }[] };
    const source = [seed.cells[9]!.source].flat().join('');
    const failures = vscodeFailures(source, {});
    assert.equal(failures.length, 1);
    assert.equal(title, failures[0]!.tex);
    assert.match(title, /^ CE_LOSS\(x, y\) = {2}-1 \\cdot sum.*y_probs\) \$\$ <br>\n$/);
    await p.screenshot({ path: join(ARTIFACTS, 'notebook-katex-error.png') });
  });

  it('the status bar shows the exam\'s answers and points attainable', async () => {
    const p = page as Page;
    const item = p.locator('.statusbar-item', { hasText: 'Exam 4/6 · ≤36/50' });
    await item.first().waitFor({ timeout: 30_000 });
  });

  it('the Problems panel lists nbcheck\'s findings', async () => {
    const p = page as Page;
    await p.keyboard.press('F1');
    await p.keyboard.type('View: Focus on Problems View');
    await p.keyboard.press('Enter');
    const rows = p.locator('.markers-panel .monaco-list-row');
    await rows.first().waitFor({ timeout: 30_000 });
    const text = (await p.locator('.markers-panel').innerText()).replace(/\s+/g, ' ');
    assert.match(text, /Question 6 \(Diffusion models, 7 points\) is mandatory and has no answer/);
    assert.match(text, /makes a \[B, B\] matrix/);
    await p.screenshot({ path: join(ARTIFACTS, 'problems-panel.png') });
  });

  let panel: Frame | undefined;

  it('the exam panel lists the questions and the points attainable', async () => {
    const p = page as Page;
    await p.keyboard.press('F1');
    await p.keyboard.type('nbcheck: Show Exam Panel');
    await p.keyboard.press('Enter');
    const end = Date.now() + 30_000;
    while (!panel && Date.now() < end) {
      for (const f of p.frames()) {
        if (await f.locator('[data-testid=summary]').count().catch(() => 0)) panel = f;
      }
      if (!panel) await new Promise((r) => setTimeout(r, 250));
    }
    assert.ok(panel, 'the panel\'s webview frame');
    assert.equal(await panel.locator('[data-testid=summary]').innerText(), 'Exam 4/6 · ≤36/50');
    // Once the exercise code has run, the estimate says what it rests on (the node count was checked).
    await panel.locator('[data-testid=basis]', { hasText: 'checked: 1.3.2' }).waitFor({ timeout: 60_000 });
    assert.match(await panel.locator('[data-testid=estimate]').innerText(), /^Estimate \d+(\.5)?–\d+(\.5)? of 50 — an estimate from what nbcheck checked and found, not a grade\.$/);
    assert.equal(await panel.locator('[data-testid=basis]').innerText(), 'It rests on — checked: 1.3.2 · flagged: 1.2, 1.3.1, 1.3.4, 7 · not judged: 1.1, 1.3.3, 4, 5 (written answers).');
    assert.equal(await panel.locator('[data-testid=audience]').innerText(), 'Student view.');
    // The GPU section: where the exercise code ran and why, and the pieces `nbcheck doctor` reads.
    await panel.locator('[data-testid=gpu] summary').click();
    const gpu = await panel.locator('[data-testid=gpu]').innerText();
    assert.match(gpu, /^GPU — Exercise code (ran on the (CPU|GPU)|has not run yet)/);
    assert.match(gpu, /CUDA provider: (installed|not installed \(the Install GPU Support command installs it\))/);
    assert.match(gpu, /cuBLAS: libcublas\.so\.13/);
    assert.equal(await panel.locator('[data-testid=questions] li').count(), 7);
    assert.match(await panel.locator('[data-testid=questions]').innerText(), /Q6\s+Diffusion models\s+0 of 7 pts\s+missing/);
    // Q7 has no error but three warnings (its misconceptions; the assistant-text signal is for graders): its own badge.
    assert.equal(await panel.locator('[data-question="7"] vscode-badge.error').count(), 0);
    assert.equal(await panel.locator('[data-question="7"] vscode-badge.warning').getAttribute('title'), '3 warnings');
    // Each part's verdict as a chip on its question's row.
    assert.deepEqual(await panel.locator('[data-question="1"] .chip').evaluateAll((cs) => cs.map((c) => `${c.textContent} ${c.className}`)), ['1.1 chip not-judged', '1.2 chip flagged', '1.3.1 chip flagged', '1.3.2 chip checked', '1.3.3 chip not-judged', '1.3.4 chip flagged']);
    // Q4's only finding is the hostile text's image outside imgs/ (a warning): no error badge.
    assert.equal(await panel.locator('[data-question="4"] vscode-badge.error').count(), 0);
    assert.equal(await panel.locator('[data-question="4"] vscode-badge.warning').getAttribute('title'), '1 warning');
    await p.screenshot({ path: join(ARTIFACTS, 'exam-panel.png') });
  });

  it('the selected answer\'s math is rendered by KaTeX, and notebook markup stays text', async () => {
    const f = panel as Frame;
    await f.locator('[data-question="4"]').click();
    await f.locator('[data-testid=answer] .katex').first().waitFor({ timeout: 15_000 });
    const answer = f.locator('[data-testid=answer]');
    assert.ok((await answer.locator('.katex').count()) >= 1);
    assert.match(await answer.innerText(), /<img src=x onerror="window.__pwned=1">/, 'shown as text');
    // The answer is under the questions, in view, whatever the number of findings below it.
    assert.equal(await f.evaluate("document.querySelector('[data-testid=answer]').getBoundingClientRect().top < window.innerHeight * 0.8"), true);
    await (page as Page).screenshot({ path: join(ARTIFACTS, 'exam-panel-answer.png') });
  });

  it('the findings follow the selected question, with all of them a click away', async () => {
    const f = panel as Frame;
    const heading = (): Promise<string> => f.locator('#findings h3').innerText();
    // Its image outside imgs/, and the note that the written answer is not judged.
    assert.match(await heading(), /^Findings for Q4 \(2 of \d+\)/);
    assert.match(await f.locator('[data-testid=findings]').innerText(), /The image x is not in the imgs\/ folder/);
    await f.locator('[data-testid=show-all]').click();
    const all = Number(/^Findings \((\d+)\)/.exec(await heading())?.[1]);
    assert.equal(await f.locator('[data-testid=findings] li').count(), all);
    assert.ok(all >= 8);
    // The findings behind the estimate say what each puts at risk, least to most: Q7's three misconceptions.
    const risks = await f.locator('[data-testid=findings] li', { hasText: 'prose.misconception' }).filter({ hasText: 'Q7' }).locator('[data-testid=risk]').allInnerTexts();
    assert.equal(risks.length, 3);
    for (const r of risks) assert.match(r, /^−[0-9.]+(–[0-9.]+)? pts\?$/);
  });

  it('a question\'s verdicts: what was checked, what was flagged, and what was not judged, with the reason', async () => {
    const f = panel as Frame;
    await f.locator('[data-question="1"]').click();
    const part = (id: string) => f.locator(`[data-testid=parts] li[data-part="${id}"]`);
    await part('1.3.2').waitFor({ timeout: 15_000 });
    assert.equal(await part('1.3.2').locator('[data-testid=verdict]').innerText(), 'checked in part');
    assert.match(await part('1.3.2').innerText(), /the node count: checked — the node count it states \(7\) matches the graph traced from its code/);
    assert.match(await part('1.3.2').innerText(), /the drawing of the graph: not judged — an image \(imgs\/ce_loss\.png\)/);
    assert.equal(await part('1.3.1').locator('[data-testid=verdict]').innerText(), 'flagged');
    assert.match(await part('1.3.1').innerText(), /a runtime error, a wrong value/);
    assert.equal(await part('1.1').locator('[data-testid=verdict]').innerText(), 'not judged');
    assert.match(await part('1.1').innerText(), /\n\s*no catalogued misconception found \(2 looked for\)/);
    // The full reason a hover away.
    assert.match(String(await part('1.1').locator('li.aspect').getAttribute('title')), /^Not judged by nbcheck: the written answer of part 1\.1 was read for the 2 misconceptions/);
    await (page as Page).screenshot({ path: join(ARTIFACTS, 'exam-panel-verdicts.png') });
  });

  it('the audience setting switches what is shown: rubric ideas and integrity signals for graders only', async () => {
    const f = panel as Frame;
    const p = page as Page;
    await f.locator('[data-question="7"]').click();
    // Every finding, not only Q7's (the panel re-renders when the audience changes, keeping the choice).
    const showEvery = async (): Promise<void> => {
      const toggle = f.locator('[data-testid=show-all]');
      if ((await toggle.innerText()) === 'show all') await toggle.click();
    };
    await showEvery();
    const findings = (): Promise<string> => f.locator('[data-testid=findings]').innerText();
    assert.doesNotMatch(await findings(), /prose\.rubric|integrity\./, 'a student sees neither');
    const ask = (audience: string): Promise<void> => askHost('audience', audience);
    await ask('grader');
    await f.locator('[data-testid=audience]', { hasText: 'Grader view' }).waitFor({ timeout: 15_000 });
    await showEvery();
    assert.match(await findings(), /prose\.rubric/);
    assert.match(await findings(), /integrity\.assistant-text/);
    assert.equal(await f.locator('[data-question="7"] vscode-badge.warning').getAttribute('title'), '4 warnings');
    await p.screenshot({ path: join(ARTIFACTS, 'exam-panel-grader.png') });
    await ask('student');
    await f.locator('[data-testid=audience]', { hasText: 'Student view' }).waitFor({ timeout: 15_000 });
    await showEvery();
    assert.doesNotMatch(await findings(), /prose\.rubric|integrity\./);
  });

  it('Question 3 shows its function\'s computational graph (atomic units, shared nodes) with annotations to toggle and tables', async () => {
    const f = panel as Frame;
    await f.locator('[data-question="3"]').click();
    const svg = f.locator('[data-testid=graph-svg] svg');
    await svg.waitFor({ timeout: 30_000 });
    assert.equal(await svg.locator('g.node').count(), 12);
    assert.equal(await svg.locator('path.edge').count(), 13);
    assert.match(await f.locator('[data-testid=graph]').innerText(), /At \(x, y\) = \(1, 2\): the answer states no point/);
    assert.doesNotMatch(await svg.innerHTML(), /∂\/∂x/);
    await f.locator('[data-annotation="∂/∂x"]').check();
    await f.locator('[data-testid=graph-svg] svg text', { hasText: '∂/∂x -2.65089' }).waitFor({ timeout: 5_000 });
    assert.match(await f.locator('[data-testid=graph] table').first().innerText(), /v5\s+x\^2\\sin\(xy\+\\frac\{\\pi\}\{2\}\)\s+-0\.416147\s+-2\.65089\s+-0\.909297\s+1/);
    await (page as Page).screenshot({ path: join(ARTIFACTS, 'exam-panel-q3-graph.png') });
  });

  it('the graph exports as SVG, with the annotations shown', async () => {
    const f = panel as Frame;
    const p = page as Page;
    await f.locator('[data-testid=export-svg]').click();
    // code-server's save dialog is a quick input holding the proposed path: accept it.
    const input = p.locator('.quick-input-widget input');
    await input.waitFor({ timeout: 15_000 });
    // The dialog fills in the folder first, then the proposed name.
    const filled = Date.now() + 10_000;
    while (!/\.svg$/.test(await input.inputValue()) && Date.now() < filled) await new Promise((r) => setTimeout(r, 100));
    assert.match(await input.inputValue(), /seed-final-project-theory-graph\.svg$/);
    await p.keyboard.press('Enter');
    const file = join(work, 'ws', 'seed-final-project-theory-graph.svg');
    const end = Date.now() + 15_000;
    while (!existsSync(file) && Date.now() < end) await new Promise((r) => setTimeout(r, 200));
    const svgText = readFileSync(file, 'utf8');
    assert.match(svgText, /^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
    assert.equal((svgText.match(/<g class="node/g) ?? []).length, 12);
    assert.match(svgText, /∂\/∂x -2\.65089/);
  });

  it('"Show Computational Graph" on a cell draws it (the Q3 prompt cell: the function it writes)', async () => {
    const f = panel as Frame;
    // The cell menu's entry runs the command with the cell: the extension host (held by its suite) does that.
    writeFileSync(join(hold, 'graph-request'), '21');
    await f.locator('[data-testid=graph] h3', { hasText: 'Cell 21: f(x,y)' }).waitFor({ timeout: 30_000 });
    assert.equal(await f.locator('[data-testid=graph-svg] svg g.node').count(), 12);
    // A code cell: the graph traced from running it (the seed's CE cell, on the question's inputs).
    writeFileSync(join(hold, 'graph-request'), '10');
    await f.locator('[data-testid=graph] h3', { hasText: 'Cell 10: computational graph' }).waitFor({ timeout: 30_000 });
    assert.match(await f.locator('[data-testid=graph] p.note').innerText(), /^Traced from the cell on the question's inputs: 1 input, 1 module as black boxes, 1 operation .*The cell stops at line 10/);
    assert.deepEqual(await f.locator('[data-testid=graph-svg] svg g.node').evaluateAll((ns) => ns.map((n) => n.getAttribute('data-id'))), ['x', 'n1', 'n2']);
    await (page as Page).screenshot({ path: join(ARTIFACTS, 'exam-panel-cell-graph.png') });
  });

  it('Question 1 shows the traced CE graph of the answer\'s code and the measured growth (soft labels, 2B)', async () => {
    const f = panel as Frame;
    await f.locator('[data-question="1"]').click();
    const table = f.locator('[data-testid=graph] table');
    await table.first().waitFor({ timeout: 60_000 });
    const text = await table.first().innerText();
    assert.match(text, /hard\s+2048\s+\d+\s+\d+\s+[\d.]+ MiB/);
    assert.match(text, /soft\s+2048/);
    assert.match(text, /hard\s+4096/);
    // The seed's cell stops at `incices=`: the graph is what ran before, and the note says so.
    assert.match(await f.locator('[data-testid=graph] p.note').innerText(), /The cell stops at line \d+/);
    assert.ok((await f.locator('[data-testid=graph-svg] svg g.node').count()) >= 3);
    await (page as Page).screenshot({ path: join(ARTIFACTS, 'exam-panel-q1-growth.png') });
  });

  it('clicking a question shows its cell in the notebook (Question 6: where its answer is missing)', async () => {
    const f = panel as Frame;
    await f.locator('[data-question="6"]').click();
    assert.match(await f.locator('#findings h3').innerText(), /^Findings for Q6 \(1 of/);
    // The extension host (held by its suite) checks where the notebook editor's selection went.
    writeFileSync(join(hold, 'expect-selection'), '30');
  });

  it('the panel follows the colour theme: light, dark and high contrast', async () => {
    const f = panel as Frame;
    const luminance = async (): Promise<number> => {
      const rgb = String(await f.evaluate('getComputedStyle(document.body).color')).match(/\d+/g)?.map(Number) ?? [];
      return ((rgb[0] ?? 0) * 0.2126 + (rgb[1] ?? 0) * 0.7152 + (rgb[2] ?? 0) * 0.0722) / 255;
    };
    for (const [theme, file, dark] of [['Default Light Modern', 'light', false], ['Default High Contrast', 'high-contrast', true], ['Default Dark Modern', 'dark', true]] as const) {
      await askHost('theme', theme);
      // The webview gets the theme's variables a moment after the workbench switches.
      const deadline = Date.now() + 10_000;
      while ((await luminance()) > 0.5 !== dark && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
      assert.equal((await luminance()) > 0.5, dark, `${theme}: text ${dark ? 'light on dark' : 'dark on light'}`);
      if (theme === 'Default High Contrast') assert.equal(await f.evaluate("document.body.classList.contains('vscode-high-contrast')"), true);
      await (page as Page).screenshot({ path: join(ARTIFACTS, `exam-panel-${file}.png`) });
    }
  });

  it('XSS in a markdown cell does not execute (an onerror image, a script, a javascript: link in math)', async () => {
    const f = panel as Frame;
    // Evaluated in the page: the test's own tsconfig has no DOM types, so the expression is a string.
    assert.equal(await f.evaluate('window.__pwned'), undefined);
    assert.equal(await f.locator('[data-testid=answer] img').count(), 0);
    assert.equal(await f.locator('[data-testid=answer] script').count(), 0);
    assert.equal(await f.locator('a[href^="javascript:"]').count(), 0);
    assert.equal(await (page as Page).evaluate('window.__pwned'), undefined);
  });

  it('the suite inside VS Code\'s extension host passes', async () => {
    writeFileSync(join(hold, 'done'), '');
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<number>((_, reject) => {
      timer = setTimeout(() => reject(new Error('the extension-host suite did not finish')), 120_000);
    });
    const code = await Promise.race([exited, timeout]).finally(() => clearTimeout(timer));
    outcomes = existsSync(resultsFile) ? (JSON.parse(readFileSync(resultsFile, 'utf8')) as Outcome[]) : [];
    const failed = outcomes.filter((o) => o.state === 'failed');
    assert.deepEqual(failed.map((o) => `${o.title}: ${o.error}`), []);
    assert.ok(outcomes.filter((o) => o.state === 'passed').length >= 14, `ran: ${JSON.stringify(outcomes.map((o) => o.title))}`);
    assert.equal(code, 0);
  });
});

/** Formulas whose fate in VS Code is known from its renderer's rules; each cell one case. */
const RENDER_CASES = [
  'A space after the closing dollars:\n$$r = s \\cdot k$$ \nWhere $s$ is the stride.\n$$r_0 = 1$$',
  'Text after it:\n$$ CE = -\\sum_i y_i \\log p_i $$ <br>',
  '$$\\newcommand{\\mat}[1]{\\boldsymbol{#1}}\\newcommand{\\vec}[1]{\\boldsymbol{#1}}\\newcommand{\\norm}[1]{\\lVert #1 \\rVert}$$',
  '$\\DeclareMathOperator*{\\amax}{arg\\,max}$',
  'KaTeX only: $\\bm{x}$',
  'Both fail: $x^2^3$',
  'Fine in both: $$x = 1$$\n\nand $\\frac{a}{b}$ and \\begin{align}a &= b\\end{align}',
  // Defined in cell 2 before and after the \\vec KaTeX refuses: \\mat is known in VS Code, \\norm is not.
  'Uses: $\\mat{W}$ and $\\norm{g}$',
];

describe('end to end: math as VS Code renders it (render cases)', function () {
  this.timeout(300_000);
  it('VS Code shows a KaTeX error exactly where nbcheck\'s render of the cell fails, and nbcheck reports each there', async function () {
    const why = unavailable();
    if (why) this.skip();
    setUp();
    const work = mkdtempSync(join(tmpdir(), 'nbcheck-e2e-render-'));
    let workbench: Workbench | undefined;
    try {
      const ws = join(work, 'ws');
      const hold = join(work, 'hold');
      mkdirSync(ws);
      mkdirSync(hold);
      const cells = RENDER_CASES.map((source) => ({ cell_type: 'markdown', metadata: {}, source }));
      writeFileSync(join(ws, 'render-cases.ipynb'), JSON.stringify({ cells, metadata: {}, nbformat: 4, nbformat_minor: 5 }, null, 1));
      const results = join(work, 'results.json');
      workbench = await openWorkbench({ workspace: ws, work, testsPath: join(ROOT, 'out', 'test', 'e2e', 'suite', 'index.js'), env: { NBCHECK_E2E_RESULTS: results, NBCHECK_E2E_SUITE: 'render', NBCHECK_E2E_HOLD: hold } });
      const end = Date.now() + 180_000;
      while (!existsSync(join(hold, 'ready')) && Date.now() < end && !existsSync(results)) await new Promise((r) => setTimeout(r, 250));
      assert.ok(existsSync(join(hold, 'ready')), workbench.log.join('').slice(-2000));
      // What VS Code shows: the KaTeX errors in the notebook's webview, by the TeX it handed KaTeX (their title).
      const shown = new Set<string>();
      for (const f of workbench.page.frames()) {
        const errs = f.locator('.katex-error');
        const n = await errs.count().catch(() => 0);
        for (let k = 0; k < n; k++) shown.add(String(await errs.nth(k).getAttribute('title')));
      }
      await workbench.page.screenshot({ path: join(ARTIFACTS, 'render-cases.png') });
      const defined = vscodeDefinitions(RENDER_CASES[2]!);
      const expected = RENDER_CASES.flatMap((source, i) => vscodeFailures(source, i === 2 ? {} : defined).map((f) => f.tex));
      assert.deepEqual([...shown].sort(), [...expected].sort());
      assert.equal(expected.length, 6, 'cases 0-3, 5 and \\norm in 7 fail in VS Code');
      // And where nbcheck puts its findings, in the same VS Code.
      const diagnostics = JSON.parse(readFileSync(join(hold, 'diagnostics.json'), 'utf8')) as { cell: number; code: string; text: string }[];
      assert.deepEqual(diagnostics.map((d) => [d.cell, d.code, d.text]), [
        [0, 'math.renders-jupyter-only', '$$r = s \\cdot k$$ \nWhere $s$ is the stride.\n$$r_0 = 1$$'],
        [1, 'math.renders-jupyter-only', '$$ CE = -\\sum_i y_i \\log p_i $$ <br>'],
        [2, 'math.renders-jupyter-only', '\\newcommand{\\vec}'],
        [3, 'math.renders-jupyter-only', '$\\DeclareMathOperator*{\\amax}{arg\\,max}$'],
        [4, 'math.renders-vscode-only', '$\\bm{x}$'],
        [5, 'math.parse-error', '^'],
        [7, 'math.renders-jupyter-only', '$\\norm{g}$'],
      ]);
      writeFileSync(join(hold, 'done'), '');
      const code = await Promise.race([workbench.exited, new Promise<string>((r) => setTimeout(() => r('timeout'), 60_000))]);
      const outcomes = existsSync(results) ? (JSON.parse(readFileSync(results, 'utf8')) as Outcome[]) : [];
      assert.deepEqual(outcomes.filter((o) => o.state === 'failed').map((o) => `${o.title}: ${o.error}`), []);
      assert.equal(code, 0);
    } finally {
      await workbench?.close();
      rmSync(work, { recursive: true, force: true });
    }
  });
});

describe('end to end in an untrusted workspace (restricted mode)', function () {
  this.timeout(300_000);
  it('the static checks run and the exercise code does not', async function () {
    const why = unavailable();
    if (why) this.skip();
    setUp();
    const work = mkdtempSync(join(tmpdir(), 'nbcheck-e2e-untrusted-'));
    let workbench: Workbench | undefined;
    try {
      const ws = join(work, 'ws');
      mkdirSync(ws);
      writeFileSync(join(ws, 'seed-final-project-theory.ipynb'), readFileSync(SEED_EXAMPLE));
      const results = join(work, 'results.json');
      workbench = await openWorkbench({ workspace: ws, work, untrusted: true, testsPath: join(ROOT, 'out', 'test', 'e2e', 'suite', 'index.js'), env: { NBCHECK_E2E_RESULTS: results, NBCHECK_E2E_SUITE: 'untrusted' } });
      const code = await Promise.race([workbench.exited, new Promise<string>((r) => setTimeout(() => r('timeout'), 120_000))]);
      const outcomes = existsSync(results) ? (JSON.parse(readFileSync(results, 'utf8')) as Outcome[]) : [];
      assert.deepEqual(outcomes.filter((o) => o.state === 'failed').map((o) => `${o.title}: ${o.error}`), []);
      assert.equal(outcomes.filter((o) => o.state === 'passed').length, 1, workbench.log.join('').slice(-2000));
      assert.equal(code, 0);
    } finally {
      await workbench?.close();
      rmSync(work, { recursive: true, force: true });
    }
  });
});

describe('packaging: the linux-x64 VSIX', function () {
  this.timeout(300_000);
  it('npm run package builds it; code-server installs it; what it ships runs (the CLI in it checks the seed, exercise code included)', function () {
    if (process.platform !== 'linux' || !existsSync(NODE24)) this.skip();
    const dir = mkdtempSync(join(tmpdir(), 'nbcheck-vsix-'));
    try {
      const vsix = join(dir, 'nbcheck.vsix');
      const pack = spawnSync(process.execPath, [join(ROOT, 'node_modules', '@vscode', 'vsce', 'vsce'), 'package', '--target', 'linux-x64', '--allow-missing-repository', '--out', vsix], { cwd: ROOT, encoding: 'utf8' });
      assert.equal(pack.status, 0, pack.stderr + pack.stdout);
      const size = readFileSync(vsix).length;
      assert.ok(size < 40e6, `the VSIX holds only what runs (${(size / 1e6).toFixed(1)} MB)`);
      const install = spawnSync(NODE24, [CODE_SERVER, '--config', '/dev/null', '--extensions-dir', join(dir, 'exts'), '--user-data-dir', join(dir, 'ud'), '--install-extension', vsix], { encoding: 'utf8' });
      assert.match(install.stdout + install.stderr, /was successfully installed/);
      const installed = join(dir, 'exts', 'nbcheck.nbcheck-0.1.0');
      for (const f of ['dist/extension.js', 'dist/core.js', 'dist/runner.js', 'docs/findings.md', 'dist/webview/panel.js', 'dist/tree-sitter-python.wasm', 'node_modules/onnxruntime-node/bin/napi-v6/linux/x64/libonnxruntime.so.1', 'node_modules/web-tree-sitter/web-tree-sitter.cjs']) {
        assert.ok(existsSync(join(installed, f)), f);
      }
      assert.ok(!existsSync(join(installed, 'node_modules', 'onnxruntime-node', 'bin', 'napi-v6', 'win32')), 'no other platforms\' binaries');
      const check = spawnSync(process.execPath, [join(installed, 'dist', 'cli.js'), 'check', SEED_EXAMPLE, '--format', 'json', '--device', 'cpu'], { encoding: 'utf8' });
      const nb = (JSON.parse(check.stdout) as { notebooks: { run: { device: string } | null; findings: { code: string }[] }[] }).notebooks[0];
      assert.equal(nb?.run?.device, 'cpu');
      assert.ok(nb?.findings.some((f) => f.code === 'code.runtime-error'), 'the exercise code ran from the installed extension');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
