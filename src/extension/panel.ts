/**
 * The exam panel: a webview view in nbcheck's activity-bar container. The host sends the active exam
 * notebook's questions, findings and (on request) an answer; the webview renders them. Security: a CSP of
 * `default-src 'none'` with a per-load nonce for the one script, resources only from dist/webview, and
 * notebook text only as data in messages (never in the HTML the host writes). Messages are checked on
 * both ends (webview/src/messages.ts).
 */
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import type { NotebookReport } from '../core/check';
import type { Notebook } from '../core/notebook/types';
import { core, runner, type RunnerModule } from './lazy';
import { gpuSection } from '../core/engine/doctor';
import { isPanelToHost, type HostToPanel, type PanelFinding, type PanelPart, type PanelQuestion } from '../../webview/src/messages';

/** What the panel needs from the extension to draw graphs: views computed where student code runs. */
export interface GraphSource {
  /**
   * The graph views, computed in the worker process that runs student code; undefined when code may not run
   * (an untrusted workspace, or exercise runs off).
   */
  views(): GraphViews | undefined;
  /** Who reads the panel (the `nbcheck.audience` setting). */
  audience(): 'student' | 'grader';
}

export interface GraphViews {
  cell(nb: Notebook, cell: number): Promise<RunnerModule.ViewResult>;
  question(nb: Notebook, question: string): Promise<RunnerModule.ViewResult | undefined>;
}

export class ExamPanel implements vscode.WebviewViewProvider {
  static readonly viewId = 'nbcheck.examPanel';
  private view: vscode.WebviewView | undefined;
  private current: { doc: vscode.NotebookDocument; nb: Notebook; report: NotebookReport } | undefined;
  /** The graph shown last (for Export SVG), with its notebook. */
  private shownGraph: { view: RunnerModule.GraphView; doc: vscode.NotebookDocument } | undefined;
  /** A graph shown before the webview was ready. */
  private pending: HostToPanel | undefined;

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly graphs: GraphSource,
  ) {}

  private audience(): 'student' | 'grader' {
    return this.graphs.audience();
  }

  /** Draws the graph of a cell (traced from a code cell, or the function a markdown cell writes). */
  async showCellGraph(doc: vscode.NotebookDocument, nb: Notebook, cell: number): Promise<void> {
    const views = this.graphs.views();
    if (!views) {
      void vscode.window.showInformationMessage('nbcheck: drawing a graph runs the notebook\'s code, which is off here (an untrusted workspace, or nbcheck.runExercises is off).');
      return;
    }
    const view = await views.cell(nb, cell);
    await vscode.commands.executeCommand(`${ExamPanel.viewId}.focus`);
    if ('error' in view) {
      this.shownGraph = undefined;
      this.send({ type: 'graphError', message: `Cell ${cell}: ${view.error}` });
      void vscode.window.showWarningMessage(`nbcheck: no graph for cell ${cell}: ${view.error}`);
      return;
    }
    this.shownGraph = { view, doc };
    this.send({ type: 'graph', question: null, view });
  }

  /** A message now, or when the webview is ready. */
  private send(m: HostToPanel): void {
    if (this.view) void this.post(m);
    else this.pending = m;
  }

  private async sendQuestionGraph(question: string): Promise<void> {
    const c = this.current;
    const views = this.graphs.views();
    if (!c || !views) return;
    const view = await views.question(c.nb, question);
    if (!view || 'error' in view || this.current !== c) return;
    this.shownGraph = { view, doc: c.doc };
    void this.post({ type: 'graph', question, view });
  }

  private async exportSvg(shown: readonly string[]): Promise<void> {
    const g = this.shownGraph;
    if (!g?.view.graph) return;
    const allowed = shown.filter((a) => g.view.graph?.annotations.includes(a));
    const base = g.doc.uri.path.replace(/\.ipynb$/i, '');
    const target = await vscode.window.showSaveDialog({ defaultUri: g.doc.uri.with({ path: `${base}-graph.svg` }), filters: { SVG: ['svg'] } });
    if (!target) return;
    await vscode.workspace.fs.writeFile(target, Buffer.from(runner().toSvg(g.view.graph, allowed), 'utf8'));
    void vscode.window.showInformationMessage(`nbcheck: graph saved to ${vscode.workspace.asRelativePath(target)}`);
  }

  resolveWebviewView(view: vscode.WebviewView): void {
    this.view = view;
    const root = vscode.Uri.joinPath(this.extensionUri, 'dist', 'webview');
    view.webview.options = { enableScripts: true, localResourceRoots: [root] };
    view.webview.html = this.html(view.webview, root);
    view.webview.onDidReceiveMessage((m: unknown) => this.receive(m));
    view.onDidDispose(() => (this.view = undefined));
  }

  /** The active exam notebook changed or was re-checked. */
  update(doc: vscode.NotebookDocument, nb: Notebook, report: NotebookReport): void {
    this.current = { doc, nb, report };
    this.sendExam();
  }

  clear(): void {
    this.current = undefined;
    void this.post({ type: 'clear' });
  }

  private post(m: HostToPanel): Thenable<boolean> | undefined {
    return this.view?.webview.postMessage(m);
  }

  private sendExam(): void {
    const c = this.current;
    if (!c) return;
    const r = c.report;
    const counts = (id: string): Record<'error' | 'warning' | 'info', number> => {
      const mine = r.findings.filter((f) => f.question === id || f.question?.startsWith(`${id}.`));
      return { error: mine.filter((f) => f.severity === 'error').length, warning: mine.filter((f) => f.severity === 'warning').length, info: mine.filter((f) => f.severity === 'info').length };
    };
    const k = core();
    const cells = k.questionCells(c.nb, r.pack ? [r.pack] : []);
    const j = r.judgement;
    const partsOf = (id: string): PanelPart[] =>
      (j?.parts ?? [])
        .filter((p) => p.question === id)
        .map((p) => ({ id: p.id, status: p.status, verdict: p.verdict ?? null, label: k.verdictLabel(p), points: k.earnedText(p), aspects: p.aspects.map((a) => ({ what: a.what, state: a.state, summary: a.summary, detail: a.says })) }));
    const earnedOf = (id: string): string | null => {
      const e = k.questionEarned(j, id);
      return e ? k.range(e.low, e.high) : null;
    };
    const questions: PanelQuestion[] = r.questions.map((q) => ({ id: q.id, title: q.title, points: q.points, status: q.status, parts: partsOf(q.id), cell: cells.get(q.id) ?? null, counts: counts(q.id), earned: earnedOf(q.id) }));
    const findingRisk = k.riskOf(j);
    const findings: PanelFinding[] = r.findings.map((f) => {
      const risk = findingRisk.get(f);
      return {
        atRisk: risk ? k.range(risk[0], risk[1]) : null,
        code: f.code,
        severity: f.severity,
        message: f.message,
        question: f.question ?? null,
        cell: f.cell ?? null,
        line: f.range?.start.line ?? 0,
        character: f.range?.start.character ?? 0,
      };
    });
    void this.post({
      type: 'exam',
      path: c.doc.uri.fsPath,
      title: r.pack?.title ?? null,
      summary: k.examSummary(r) ?? null,
      device: r.run ? (r.run.device === 'cuda' ? 'GPU (CUDA)' : r.run.device === 'webgpu' ? 'GPU (WebGPU)' : 'CPU') : null,
      gpu: this.gpu(r.run),
      estimate: j && r.points ? `Estimate ${k.range(j.estimate.low, j.estimate.high)} of ${r.points.max} — ${k.ESTIMATE_NOTE}.` : null,
      basis: j?.estimate.basis ?? null,
      audience: this.audience() === 'grader' ? 'Grader view: rubric ideas and integrity signals are shown.' : 'Student view.',
      questions,
      findings,
      macros: k.notebookMacros(c.nb),
    });
  }

  /** The GPU section, read from the file system at most once a minute (what `nbcheck doctor` reads). */
  private gpuCache: { at: number; key: string; value: ReturnType<typeof gpuSection> } | undefined;
  private gpu(run: NotebookReport['run']): ReturnType<typeof gpuSection> | null {
    const key = JSON.stringify(run ?? null);
    if (!this.gpuCache || this.gpuCache.key !== key || Date.now() - this.gpuCache.at > 60_000) {
      try {
        this.gpuCache = { at: Date.now(), key, value: gpuSection(run) };
      } catch {
        return null;
      }
    }
    return this.gpuCache.value;
  }

  private receive(m: unknown): void {
    if (!isPanelToHost(m)) return; // anything else is ignored: the webview is not trusted either
    if (m.type === 'ready') {
      this.sendExam();
      if (this.pending) void this.post(this.pending);
      this.pending = undefined;
    } else if (m.type === 'exportSvg') void this.exportSvg(m.shown).catch((e: Error) => vscode.window.showErrorMessage(`nbcheck: could not save the graph: ${e.message}`));
    else if (m.type === 'select') {
      const c = this.current;
      if (!c) return;
      const packs = c.report.pack ? [c.report.pack] : [];
      const cells = core().answersByQuestion(c.nb, packs).get(m.question) ?? [];
      void this.post({ type: 'answer', answer: { question: m.question, cells } });
      // The question's cell is shown; the focus stays in the panel, to go on browsing.
      const at = m.reveal ? core().questionCells(c.nb, packs).get(m.question) : undefined;
      if (at !== undefined) void this.reveal(at, 0, 0, true);
      void this.sendQuestionGraph(m.question).catch(() => undefined);
    } else void this.reveal(m.cell, m.line, m.character, false);
  }

  private async reveal(cell: number, line: number, character: number, preserveFocus: boolean): Promise<void> {
    const c = this.current;
    if (!c || cell >= c.doc.cellCount) return;
    const editor = await vscode.window.showNotebookDocument(c.doc, { preserveFocus });
    editor.selection = new vscode.NotebookRange(cell, cell + 1);
    editor.revealRange(new vscode.NotebookRange(cell, cell + 1), vscode.NotebookEditorRevealType.InCenterIfOutsideViewport);
    const target = c.doc.cellAt(cell);
    if (target.kind === vscode.NotebookCellKind.Code && !preserveFocus) {
      const pos = new vscode.Position(line, character);
      await vscode.window.showTextDocument(target.document, { selection: new vscode.Range(pos, pos), viewColumn: editor.viewColumn });
    }
  }

  private html(webview: vscode.Webview, root: vscode.Uri): string {
    const nonce = randomBytes(18).toString('base64');
    const uri = (...p: string[]): string => webview.asWebviewUri(vscode.Uri.joinPath(root, ...p)).toString();
    const csp = [
      "default-src 'none'",
      `script-src 'nonce-${nonce}'`,
      `style-src ${webview.cspSource} 'unsafe-inline'`,
      `font-src ${webview.cspSource}`,
      `img-src ${webview.cspSource} data:`,
    ].join('; ');
    return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="stylesheet" href="${uri('katex', 'katex.min.css')}">
<link rel="stylesheet" href="${uri('panel.css')}">
<title>nbcheck exam</title></head>
<body><div id="root"><p class="empty">Open a Jupyter notebook to see its exam.</p></div>
<script nonce="${nonce}" src="${uri('panel.js')}"></script>
</body></html>`;
  }
}
