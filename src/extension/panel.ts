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
import { core } from './lazy';
import { isPanelToHost, type HostToPanel, type PanelFinding, type PanelQuestion } from '../../webview/src/messages';

export class ExamPanel implements vscode.WebviewViewProvider {
  static readonly viewId = 'nbcheck.examPanel';
  private view: vscode.WebviewView | undefined;
  private current: { doc: vscode.NotebookDocument; nb: Notebook; report: NotebookReport } | undefined;

  constructor(private readonly extensionUri: vscode.Uri) {}

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
    const cells = core().questionCells(c.nb, r.pack ? [r.pack] : []);
    const questions: PanelQuestion[] = r.questions.map((q) => ({ id: q.id, title: q.title, points: q.points, status: q.status, parts: q.parts.map((p) => ({ id: p.id, status: p.status })), cell: cells.get(q.id) ?? null, counts: counts(q.id) }));
    const findings: PanelFinding[] = r.findings.map((f) => ({
      code: f.code,
      severity: f.severity,
      message: f.message,
      question: f.question ?? null,
      cell: f.cell ?? null,
      line: f.range?.start.line ?? 0,
      character: f.range?.start.character ?? 0,
    }));
    void this.post({
      type: 'exam',
      path: c.doc.uri.fsPath,
      title: r.pack?.title ?? null,
      summary: core().examSummary(r) ?? null,
      device: r.run ? (r.run.device === 'cuda' ? 'GPU (CUDA)' : 'CPU') : null,
      questions,
      findings,
      macros: core().notebookMacros(c.nb),
    });
  }

  private receive(m: unknown): void {
    if (!isPanelToHost(m)) return; // anything else is ignored: the webview is not trusted either
    if (m.type === 'ready') this.sendExam();
    else if (m.type === 'select') {
      const c = this.current;
      if (!c) return;
      const packs = c.report.pack ? [c.report.pack] : [];
      const cells = core().answersByQuestion(c.nb, packs).get(m.question) ?? [];
      void this.post({ type: 'answer', answer: { question: m.question, cells } });
      // The question's cell is shown; the focus stays in the panel, to go on browsing.
      const at = m.reveal ? core().questionCells(c.nb, packs).get(m.question) : undefined;
      if (at !== undefined) void this.reveal(at, 0, 0, true);
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
