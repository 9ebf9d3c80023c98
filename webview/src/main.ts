/**
 * The exam panel, in the webview: questions with status, points and finding counts; the findings; the
 * selected answer with its math rendered by KaTeX. Notebook text only ever becomes text nodes (or KaTeX's
 * output, with `trust: false`); nothing from the notebook is parsed as HTML or run as script.
 */
import '@vscode-elements/elements/dist/vscode-badge/index.js';
import '@vscode-elements/elements/dist/vscode-divider/index.js';
import katex from 'katex';
import { toSvg } from '../../src/core/report/graph-draw';
import type { AnswerPiece, HostToPanel, PanelAnswer, PanelFinding, PanelGraphView, PanelPart, PanelQuestion, PanelToHost, Verdict } from './messages';
import { isHostToPanel } from './messages';

declare function acquireVsCodeApi(): { postMessage(m: PanelToHost): void };
const vscode = acquireVsCodeApi();
const post = (m: PanelToHost): void => vscode.postMessage(m);

const root = document.getElementById('root') as HTMLElement;
let macros: Record<string, string> = {};
let selected: string | undefined;

function el<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Record<string, string> = {}, ...children: (Node | string)[]): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  for (const c of children) e.append(c);
  return e;
}

function badge(text: string, variant: string, title: string, kind: string): HTMLElement {
  const b = document.createElement('vscode-badge');
  b.setAttribute('variant', variant);
  b.setAttribute('title', title);
  b.setAttribute('aria-label', title);
  b.classList.add(kind);
  b.textContent = text;
  return b;
}

const STATUS_LABEL: Record<PanelQuestion['status'], string> = { answered: 'answered', partial: 'partial', missing: 'missing', declined: 'declined' };

let exam: Extract<HostToPanel, { type: 'exam' }> | undefined;
/** Whether the findings list shows every finding while a question is selected. */
let showAll = false;

function renderExam(m: Extract<HostToPanel, { type: 'exam' }>): void {
  exam = m;
  macros = { ...m.macros };
  if (selected && !m.questions.some((q) => q.id === selected)) selected = undefined;
  root.replaceChildren();
  root.append(el('h2', { class: 'title' }, m.title ?? m.path.split('/').pop() ?? ''));
  if (m.summary) root.append(el('p', { class: 'summary', 'data-testid': 'summary' }, m.summary));
  if (m.estimate) root.append(el('p', { class: 'estimate', 'data-testid': 'estimate', title: m.basis ? `It rests on: ${m.basis}` : '' }, m.estimate));
  if (m.basis) root.append(el('p', { class: 'basis', 'data-testid': 'basis' }, `It rests on — ${m.basis}.`));
  root.append(el('p', { class: 'device' }, el('span', { 'data-testid': 'audience' }, m.audience), m.device ? ` Exercise code ran on the ${m.device}.` : ''));
  if (m.gpu) {
    const details = el('details', { class: 'gpu', 'data-testid': 'gpu' }, el('summary', {}, `GPU — ${m.gpu.summary}`));
    const lines = el('ul', {});
    for (const line of m.gpu.details) lines.append(el('li', {}, line));
    details.append(lines);
    root.append(details);
  }
  const list = el('ul', { class: 'questions', 'data-testid': 'questions' });
  for (const q of m.questions) {
    const counts = el('span', { class: 'counts' });
    // Errors and warnings, each its own badge (a question with only warnings, e.g. misconceptions, shows too).
    if (q.counts.error) counts.append(badge(String(q.counts.error), 'counter', `${q.counts.error} error${q.counts.error === 1 ? '' : 's'}`, 'error'));
    if (q.counts.warning) counts.append(badge(String(q.counts.warning), 'default', `${q.counts.warning} warning${q.counts.warning === 1 ? '' : 's'}`, 'warning'));
    const parts = q.parts.length < 2 ? '' : q.parts.filter((p) => p.status !== 'answered').map((p) => `${p.id} ${p.status}`).join(', ');
    const item = el(
      'li',
      { class: `question ${q.status}${q.id === selected ? ' selected' : ''}`, tabindex: '0', 'data-question': q.id, role: 'button', title: 'Show this answer and its cell' },
      el('span', { class: 'qid' }, `Q${q.id}`),
      el('span', { class: 'qtitle', title: q.title }, q.title),
      el('span', { class: 'points', title: q.earned ? `the estimate gives ${q.earned} of ${q.points} points (an estimate, not a grade)` : '' }, q.earned && q.earned !== String(q.points) ? `${q.earned} of ${q.points} pts${q.earned.includes('–') ? '?' : ''}` : `${q.points} pts`),
      // Under the title: its status, finding counts and the parts' verdicts.
      el('span', { class: 'row2' }, el('span', { class: `status ${q.status}` }, STATUS_LABEL[q.status] + (parts ? ` (${parts})` : '')), counts, partChips(q)),
    );
    const choose = (): void => {
      selected = q.id;
      showAll = false;
      for (const li of list.querySelectorAll('li')) li.classList.toggle('selected', li === item);
      post({ type: 'select', question: q.id, reveal: true });
      // The last question's graph goes at once; this one's (if it has one) comes when computed.
      const graph = document.getElementById('graph');
      if (graph) {
        graph.replaceChildren();
        graph.dataset['question'] = q.id;
      }
      renderFindings();
      renderVerdicts();
    };
    item.addEventListener('click', choose);
    item.addEventListener('keydown', (e) => {
      if (e.key === 'Enter' || e.key === ' ') choose();
    });
    list.append(item);
  }
  root.append(list);
  // The selected question's verdicts, then its answer, right under the questions, above the (possibly long) findings; its graph under it.
  root.append(el('div', { class: 'verdicts', id: 'verdicts', 'data-testid': 'verdicts' }));
  root.append(el('div', { class: 'answer', id: 'answer', 'data-testid': 'answer' }));
  root.append(el('div', { class: 'graph', id: 'graph', 'data-testid': 'graph' }));
  root.append(document.createElement('vscode-divider'));
  root.append(el('div', { id: 'findings' }));
  renderFindings();
  renderVerdicts();
  if (selected) post({ type: 'select', question: selected, reveal: false });
}

const VERDICT_TEXT: Record<Verdict, string> = { checked: 'checked', flagged: 'flagged', 'not-judged': 'not judged' };

/** A chip per answer part, coloured by its verdict (its reasons in the tooltip and under the list once selected). */
function partChips(q: PanelQuestion): HTMLElement {
  const chips = el('span', { class: q.parts.length > 1 ? 'chips' : 'chips single' });
  for (const p of q.parts) {
    if (!p.verdict) continue;
    chips.append(el('span', { class: `chip ${p.verdict}`, 'data-part': p.id, title: `${p.id}: ${p.label} — ${p.aspects.map((a) => a.summary).join('; ')}` }, q.parts.length > 1 ? p.id : p.label));
  }
  return chips;
}

/** The selected question's parts: each verdict with what was checked, flagged and not judged, and why. */
function renderVerdicts(): void {
  const box = document.getElementById('verdicts');
  if (!box || !exam) return;
  const q = exam.questions.find((x) => x.id === selected);
  const parts = (q?.parts ?? []).filter((p) => p.verdict);
  if (!q || !parts.length) {
    box.replaceChildren();
    return;
  }
  const list = el('ul', { class: 'parts', 'data-testid': 'parts' });
  for (const p of parts) list.append(partItem(p));
  box.replaceChildren(el('h3', {}, `What nbcheck judged in Q${q.id}`), list);
}

/** One part: its verdict and points, then each aspect in a few words (the full reasons in the tooltip). */
function partItem(p: PanelPart): HTMLElement {
  const verdict = p.verdict as Verdict;
  const head = el('div', { class: 'meta' }, el('span', { class: 'pid' }, p.id), el('span', { class: `verdict ${verdict}`, 'data-testid': 'verdict' }, p.label), el('span', { class: 'where' }, p.points));
  const aspects = el('ul', { class: 'aspects' });
  for (const a of p.aspects) {
    // A part of one aspect has its verdict in its heading already.
    const label = p.aspects.length > 1 ? `${a.what}: ${VERDICT_TEXT[a.state]}` : '';
    aspects.append(el('li', { class: `aspect ${a.state}`, title: a.detail.join('\n') }, ...(label ? [el('span', { class: `verdict ${a.state}` }, label), ' — '] : []), el('span', { class: 'says' }, a.summary)));
  }
  return el('li', { class: `part ${verdict}`, 'data-part': p.id }, head, aspects);
}

/** The findings: of the selected question (and its parts), or all of them. */
function renderFindings(): void {
  const box = document.getElementById('findings');
  if (!box || !exam) return;
  const mine = (f: PanelFinding): boolean => !!selected && (f.question === selected || !!f.question?.startsWith(`${selected}.`));
  const filtered = selected && !showAll;
  const shown = filtered ? exam.findings.filter(mine) : exam.findings;
  const heading = el('h3', {}, filtered ? `Findings for Q${selected} (${shown.length} of ${exam.findings.length})` : `Findings (${exam.findings.length})`);
  if (selected) {
    const toggle = el('button', { class: 'link', type: 'button', 'data-testid': 'show-all' }, filtered ? 'show all' : `only Q${selected}`);
    toggle.addEventListener('click', () => {
      showAll = !showAll;
      renderFindings();
    });
    heading.append(' ', toggle);
  }
  const list = el('ul', { class: 'findings', 'data-testid': 'findings' });
  for (const f of shown) list.append(findingItem(f));
  if (!shown.length) list.append(el('li', { class: 'empty' }, filtered ? 'No findings for this question.' : 'No findings.'));
  box.replaceChildren(heading, list);
}

function findingItem(f: PanelFinding): HTMLElement {
  const where = f.cell === null ? '' : `cell ${f.cell}:${f.line + 1}`;
  const meta = el('div', { class: 'meta' }, el('span', { class: 'sev' }, f.severity), el('span', { class: 'where' }, [f.question ? `Q${f.question}` : '', where, f.code].filter(Boolean).join(' · ')));
  if (f.atRisk) meta.append(el('span', { class: 'risk', 'data-testid': 'risk', title: 'points this finding puts at risk in the grade estimate, least to most (an estimate, not a grade)' }, `−${f.atRisk} pts?`));
  const li = el('li', { class: `finding ${f.severity}`, tabindex: '0', role: 'button', title: f.cell === null ? '' : 'Go to the cell' }, meta, el('div', { class: 'msg' }, f.message));
  if (f.cell !== null) {
    const cell = f.cell;
    const reveal = (): void => post({ type: 'reveal', cell, line: f.line, character: f.character });
    li.addEventListener('click', reveal);
    li.addEventListener('keydown', (e) => {
      if (e.key === 'Enter') reveal();
    });
  }
  return li;
}

function renderPiece(p: AnswerPiece): Node {
  if (p.kind === 'text') return document.createTextNode(p.text);
  const span = el('span', { class: p.display ? 'math display' : 'math' });
  try {
    // trust: false (the default) keeps \href{javascript:...} and friends inert; errors are shown in place.
    span.innerHTML = katex.renderToString(p.tex, { displayMode: p.display, throwOnError: false, trust: false, macros: { ...macros }, strict: 'ignore' });
  } catch (e) {
    span.classList.add('math-error');
    span.textContent = `${p.tex} — ${(e as Error).message}`;
  }
  return span;
}

function renderAnswer(a: PanelAnswer): void {
  const box = document.getElementById('answer');
  if (!box) return;
  const graph = document.getElementById('graph');
  if (graph && graph.dataset['question'] !== a.question) {
    graph.replaceChildren();
    graph.dataset['question'] = a.question;
  }
  box.replaceChildren(el('h3', {}, `Answer to Q${a.question}`));
  if (!a.cells.length) box.append(el('p', { class: 'empty' }, 'No answer yet.'));
  for (const c of a.cells) {
    const block = el(c.kind === 'code' ? 'pre' : 'div', { class: `cell ${c.kind}`, 'data-cell': String(c.cell) });
    for (const p of c.pieces) block.append(renderPiece(p));
    box.append(block);
  }
}

/** The graph view: annotations to toggle, the graph drawn as SVG (parsed as XML, never as HTML), tables. */
function renderGraph(view: PanelGraphView): void {
  const box = document.getElementById('graph');
  if (!box) return;
  const shown = new Set(view.shown);
  const drawing = el('div', { class: 'drawing', 'data-testid': 'graph-svg' });
  const draw = (): void => {
    if (!view.graph) return;
    const svg = new DOMParser().parseFromString(toSvg(view.graph, view.graph.annotations.filter((a) => shown.has(a))), 'image/svg+xml').documentElement;
    drawing.replaceChildren(document.importNode(svg, true));
  };
  const close = el('button', { class: 'link', type: 'button', title: 'Hide the graph' }, 'hide');
  close.addEventListener('click', () => box.replaceChildren());
  box.replaceChildren(el('h3', {}, view.title, ' ', close), el('p', { class: 'note' }, view.note));
  if (view.graph) {
    const toggles = el('div', { class: 'toggles', 'data-testid': 'graph-toggles' });
    for (const a of view.graph.annotations) {
      const input = el('input', { type: 'checkbox', 'data-annotation': a });
      input.checked = shown.has(a);
      input.addEventListener('change', () => {
        if (input.checked) shown.add(a);
        else shown.delete(a);
        draw();
      });
      toggles.append(el('label', {}, input, ` ${a}`));
    }
    const save = el('button', { class: 'link', type: 'button', 'data-testid': 'export-svg' }, 'Export SVG…');
    save.addEventListener('click', () => post({ type: 'exportSvg', shown: view.graph?.annotations.filter((a) => shown.has(a)) ?? [] }));
    toggles.append(save);
    box.append(toggles, drawing);
    draw();
  }
  for (const t of view.tables) {
    const table = el('table', { class: 'values' });
    table.append(el('caption', {}, t.title), el('tr', {}, ...t.columns.map((c) => el('th', {}, c))));
    for (const r of t.rows) table.append(el('tr', {}, ...r.map((c) => el('td', {}, c))));
    box.append(el('div', { class: 'table' }, table));
  }
}

window.addEventListener('message', (event: MessageEvent<unknown>) => {
  const m = event.data;
  if (!isHostToPanel(m)) return;
  if (m.type === 'exam') renderExam(m);
  else if (m.type === 'answer') renderAnswer(m.answer);
  else if (m.type === 'graph') {
    if (m.question === null || m.question === selected) renderGraph(m.view);
  } else if (m.type === 'graphError') document.getElementById('graph')?.replaceChildren(el('p', { class: 'empty' }, m.message));
  else root.replaceChildren(el('p', { class: 'empty' }, 'Open a Jupyter notebook to see its exam.'));
});

post({ type: 'ready' });
