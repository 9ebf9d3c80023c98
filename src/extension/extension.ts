/**
 * The VS Code shell: checks Jupyter notebooks as they are opened, edited and saved, and publishes the
 * findings as diagnostics on the cells. Static checks run on every edit (debounced); the exercise code
 * runs on open and save. Everything it judges comes from the core.
 */
import * as vscode from 'vscode';
import { checkNotebook, checkNotebookAndRun, type NotebookReport } from '../core/check';
import { compareFindings } from '../core/findings';
import { toHtml } from '../core/report/html';
import { toJson } from '../core/report/json';
import { examSummary } from '../core/report/summary';
import { NbcheckActions, registerFixCommands } from './actions';
import { ExamPanel } from './panel';
import { installCudaProviders, useExistingProviders } from '../core/engine/gpu-setup';
import { CUDA_HELP, DeviceError, Runtime, type DeviceRequest } from '../core/engine/runtime';
import type { Finding } from '../core/findings';
import { notebookFromCells } from '../core/notebook/reader';
import type { CellKind, Notebook, Output } from '../core/notebook/types';

const SEVERITY: Record<Finding['severity'], vscode.DiagnosticSeverity> = {
  error: vscode.DiagnosticSeverity.Error,
  warning: vscode.DiagnosticSeverity.Warning,
  info: vscode.DiagnosticSeverity.Information,
};

/** Findings of the last run of a notebook's exercise code, with the cell texts they were found on. */
interface RunResult {
  readonly findings: readonly Finding[];
  readonly texts: readonly string[];
}

export function activate(context: vscode.ExtensionContext): void {
  const diagnostics = vscode.languages.createDiagnosticCollection('nbcheck');
  const status = vscode.window.createStatusBarItem(vscode.StatusBarAlignment.Right, 100);
  const panel = new ExamPanel(context.extensionUri);
  const notebooks = new Map<string, Notebook>();
  const pending = new Map<string, NodeJS.Timeout>();
  const published = new Map<string, vscode.Uri[]>();
  const runs = new Map<string, RunResult>();
  /** The last report published for each notebook (with the run's findings merged in). */
  const reports = new Map<string, NotebookReport>();
  let runtime: Runtime | undefined;
  let fallbackTold = false;
  const runReports = new Map<string, NonNullable<NotebookReport['run']>>();

  /** `Exam 4/6 · ≤36/50` for the active exam notebook, with where its code ran; hidden otherwise. */
  const updateStatus = (): void => {
    const doc = vscode.window.activeNotebookEditor?.notebook;
    const report = doc ? reports.get(doc.uri.toString()) : undefined;
    const summary = report && examSummary(report);
    if (!report || !summary) {
      status.hide();
      return;
    }
    const errors = report.findings.filter((f) => f.severity === 'error').length;
    status.text = `$(checklist) ${summary}`;
    const run = runReports.get(doc?.uri.toString() ?? '');
    const device = run ? `\nExercise code ran on the ${run.device === 'cuda' ? 'GPU (CUDA)' : 'CPU'}${run.fallback ? ` (CUDA unavailable: ${run.fallback})` : ''}.` : '';
    status.tooltip = `${report.pack?.title ?? ''}\n${errors} error${errors === 1 ? '' : 's'}, ${report.findings.length - errors} other findings. Click to open the exam panel.${device}`;
    status.command = 'nbcheck.showPanel';
    status.show();
  };

  const settings = (): vscode.WorkspaceConfiguration => vscode.workspace.getConfiguration('nbcheck');
  const getRuntime = (): Runtime => {
    const cudaProviders = settings().get<string>('cudaProvidersPath') || undefined;
    runtime ??= new Runtime({ device: settings().get<DeviceRequest>('device') ?? 'auto', ...(cudaProviders ? { cudaProviders } : {}) });
    return runtime;
  };
  const resetRuntime = (): void => {
    void runtime?.dispose();
    runtime = undefined;
    fallbackTold = false;
  };

  const readNotebook = (doc: vscode.NotebookDocument): Notebook =>
    notebookFromCells(
      doc.uri.fsPath,
      doc.getCells().map((c) => ({ kind: cellKind(c), source: c.document.getText(), outputs: errorOutputs(c) })),
    );

  /** Static findings, plus the last run's findings on cells unchanged since it ran. */
  const publish = (doc: vscode.NotebookDocument, report: NotebookReport): void => {
    const cells = doc.getCells();
    const run = runs.get(doc.uri.toString());
    const fresh = (run?.findings ?? []).filter((f) => f.cell !== undefined && cells[f.cell]?.document.getText() === run?.texts[f.cell]);
    const findings = [...report.findings.filter((f) => !f.code.startsWith('code.')), ...fresh].sort(compareFindings);
    const ran = report.run ?? runReports.get(doc.uri.toString());
    const merged: NotebookReport = { ...report, findings, ...(ran ? { run: ran } : {}) };
    reports.set(doc.uri.toString(), merged);
    notebooks.set(doc.uri.toString(), report.notebook);
    updateStatus();
    if (vscode.window.activeNotebookEditor?.notebook === doc) panel.update(doc, report.notebook, merged);
    for (const uri of published.get(doc.uri.toString()) ?? []) diagnostics.delete(uri);
    const byCell = new Map<number, vscode.Diagnostic[]>();
    for (const f of findings) {
      const cell = f.cell ?? 0;
      const r = f.range ?? { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
      const d = new vscode.Diagnostic(
        new vscode.Range(r.start.line, r.start.character, r.end.line, r.end.character),
        f.question ? `${f.message} (question ${f.question})` : f.message,
        SEVERITY[f.severity],
      );
      d.source = 'nbcheck';
      d.code = f.code;
      byCell.set(cell, [...(byCell.get(cell) ?? []), d]);
    }
    const uris: vscode.Uri[] = [];
    for (const [index, list] of byCell) {
      const cell = cells[index];
      if (!cell) continue;
      diagnostics.set(cell.document.uri, list);
      uris.push(cell.document.uri);
    }
    published.set(doc.uri.toString(), uris);
  };

  const check = (doc: vscode.NotebookDocument): void => {
    if (doc.notebookType !== 'jupyter-notebook') return;
    publish(doc, checkNotebook(readNotebook(doc)));
  };

  const checkAndRun = async (doc: vscode.NotebookDocument): Promise<void> => {
    if (doc.notebookType !== 'jupyter-notebook') return;
    // Exercise code runs only in trusted workspaces (it is interpreted, never executed, but it is still code).
    if (!settings().get<boolean>('runExercises', true) || !vscode.workspace.isTrusted) {
      runs.delete(doc.uri.toString());
      check(doc);
      return;
    }
    const nb = readNotebook(doc);
    let report: NotebookReport;
    try {
      report = await checkNotebookAndRun(nb, getRuntime());
    } catch (e) {
      if (!(e instanceof DeviceError)) throw e;
      void vscode.window.showErrorMessage(`nbcheck: ${e.message}`, 'Use the CPU').then((choice) => {
        if (choice) void settings().update('device', 'cpu', vscode.ConfigurationTarget.Global);
      });
      check(doc);
      return;
    }
    runs.set(doc.uri.toString(), { findings: report.findings.filter((f) => f.code.startsWith('code.')), texts: nb.cells.map((c) => c.source) });
    if (report.run) runReports.set(doc.uri.toString(), report.run);
    publish(doc, report);
    if (report.run) {
      if (report.run.fallback && !fallbackTold) {
        fallbackTold = true;
        void vscode.window
          .showInformationMessage(`nbcheck ran the exercise code on the CPU because CUDA is not available: ${report.run.fallback}. To use the GPU, ${CUDA_HELP.replace('run `nbcheck install-gpu`', 'install GPU support')}.`, 'Install GPU support')
          .then((choice) => {
            if (choice) void vscode.commands.executeCommand('nbcheck.installGpu');
          });
      }
    }
  };

  const schedule = (doc: vscode.NotebookDocument): void => {
    const key = doc.uri.toString();
    clearTimeout(pending.get(key));
    pending.set(key, setTimeout(() => check(doc), 300));
  };

  const installGpu = async (): Promise<void> => {
    const result = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: 'nbcheck: installing onnxruntime\'s CUDA provider', cancellable: false },
      (progress) => installCudaProviders((line) => progress.report({ message: line })),
    );
    if (result.ok) {
      resetRuntime();
      void vscode.window.showInformationMessage(`nbcheck: ${result.message}. Exercise code will run on the GPU from the next check.`);
      return;
    }
    const choice = await vscode.window.showErrorMessage(`nbcheck: ${result.message}`, 'Use an existing install…');
    if (!choice) return;
    const folder = await vscode.window.showOpenDialog({ canSelectFolders: true, canSelectFiles: false, openLabel: 'Use this CUDA provider' });
    const path = folder?.[0]?.fsPath;
    if (!path) return;
    const copied = useExistingProviders(path);
    if (copied.ok) {
      await settings().update('cudaProvidersPath', path, vscode.ConfigurationTarget.Global);
      resetRuntime();
      void vscode.window.showInformationMessage(`nbcheck: ${copied.message}.`);
    } else void vscode.window.showErrorMessage(`nbcheck: ${copied.message}.`);
  };

  /** Reveals the next finding after the selection, in document order, wrapping around. */
  const nextProblem = async (): Promise<void> => {
    const editor = vscode.window.activeNotebookEditor;
    const r = editor ? reports.get(editor.notebook.uri.toString()) : undefined;
    const placed = (r?.findings ?? []).filter((f) => f.cell !== undefined && f.severity !== 'info');
    if (!editor || !placed.length) {
      void vscode.window.showInformationMessage('nbcheck: no problems in this notebook.');
      return;
    }
    const current = editor.selection.start;
    const textEditor = vscode.window.activeTextEditor;
    const inCell = textEditor && textEditor.document.uri.toString() === editor.notebook.cellAt(current).document.uri.toString();
    // Where the cursor is in the current cell (before its first character when the cell is not being edited).
    const at = inCell ? textEditor.selection.start.line * 1e6 + textEditor.selection.start.character : -1;
    const pos = (f: Finding): number => (f.range ? f.range.start.line * 1e6 + f.range.start.character : 0);
    const next = placed.find((f) => (f.cell as number) > current || (f.cell === current && pos(f) > at)) ?? placed[0];
    if (!next) return;
    const index = next.cell as number;
    editor.selection = new vscode.NotebookRange(index, index + 1);
    editor.revealRange(new vscode.NotebookRange(index, index + 1), vscode.NotebookEditorRevealType.InCenterIfOutsideViewport);
    const cell = editor.notebook.cellAt(index);
    if (cell.kind === vscode.NotebookCellKind.Code && next.range) {
      const range = new vscode.Range(next.range.start.line, next.range.start.character, next.range.end.line, next.range.end.character);
      await vscode.window.showTextDocument(cell.document, { selection: range, viewColumn: editor.viewColumn });
    }
    void vscode.window.setStatusBarMessage(`nbcheck: ${next.message}`, 8000);
  };

  /** Saves the active notebook's report as HTML or JSON, where the user picks (or at `target`). */
  const exportReport = async (target?: vscode.Uri): Promise<void> => {
    const editor = vscode.window.activeNotebookEditor;
    const r = editor ? reports.get(editor.notebook.uri.toString()) : undefined;
    if (!editor || !r) {
      void vscode.window.showInformationMessage('nbcheck: open a checked Jupyter notebook to export its report.');
      return;
    }
    const uri =
      target ??
      (await vscode.window.showSaveDialog({
        defaultUri: editor.notebook.uri.with({ path: editor.notebook.uri.path.replace(/\.ipynb$/, '.nbcheck.html') }),
        filters: { 'HTML report': ['html'], 'JSON (nbcheck contract)': ['json'] },
        saveLabel: 'Export report',
      }));
    if (!uri) return;
    const text = uri.path.endsWith('.json') ? toJson([r]) : toHtml([r], String(context.extension.packageJSON.version ?? ''));
    await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(text));
    if (!target) void vscode.window.showInformationMessage(`nbcheck: report saved to ${uri.fsPath}.`);
  };

  const report = (e: unknown): void => {
    void vscode.window.showErrorMessage(`nbcheck: internal error: ${(e as Error).message}`);
  };

  context.subscriptions.push(
    diagnostics,
    status,
    { dispose: () => pending.forEach((t) => clearTimeout(t)) },
    { dispose: () => void runtime?.dispose() },
    vscode.workspace.onDidOpenNotebookDocument((doc) => void checkAndRun(doc).catch(report)),
    vscode.workspace.onDidSaveNotebookDocument((doc) => void checkAndRun(doc).catch(report)),
    vscode.workspace.onDidChangeNotebookDocument((e) => schedule(e.notebook)),
    vscode.workspace.onDidCloseNotebookDocument((doc) => {
      for (const uri of published.get(doc.uri.toString()) ?? []) diagnostics.delete(uri);
      published.delete(doc.uri.toString());
      runs.delete(doc.uri.toString());
    }),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('nbcheck.device') || e.affectsConfiguration('nbcheck.cudaProvidersPath')) resetRuntime();
    }),
    vscode.commands.registerCommand('nbcheck.checkNotebook', () => {
      const doc = vscode.window.activeNotebookEditor?.notebook;
      if (!doc) {
        void vscode.window.showInformationMessage('nbcheck: open a Jupyter notebook to check it.');
        return;
      }
      void checkAndRun(doc).catch(report);
    }),
    vscode.commands.registerCommand('nbcheck.installGpu', () => installGpu().catch(report)),
    vscode.commands.registerCommand('nbcheck.nextProblem', () => nextProblem().catch(report)),
    vscode.commands.registerCommand('nbcheck.exportReport', (target?: vscode.Uri) => exportReport(target).catch(report)),
    vscode.window.onDidChangeActiveNotebookEditor((editor) => {
      updateStatus();
      const key = editor?.notebook.uri.toString();
      const r = key ? reports.get(key) : undefined;
      const nb = key ? notebooks.get(key) : undefined;
      if (editor && r && nb) panel.update(editor.notebook, nb, r);
    }),
    vscode.window.registerWebviewViewProvider(ExamPanel.viewId, panel, { webviewOptions: { retainContextWhenHidden: false } }),
    vscode.languages.registerCodeActionsProvider({ notebookType: 'jupyter-notebook' }, new NbcheckActions(), { providedCodeActionKinds: NbcheckActions.kinds }),
    ...registerFixCommands(),
    vscode.commands.registerCommand('nbcheck.showPanel', () => vscode.commands.executeCommand(`${ExamPanel.viewId}.focus`)),
    vscode.workspace.onDidGrantWorkspaceTrust(() => vscode.workspace.notebookDocuments.forEach((doc) => void checkAndRun(doc).catch(report))),
  );
  vscode.workspace.notebookDocuments.forEach((doc) => void checkAndRun(doc).catch(report));
}

export function deactivate(): void {
  // Everything is disposed through the extension context.
}

function cellKind(c: vscode.NotebookCell): CellKind {
  if (c.kind === vscode.NotebookCellKind.Markup) return 'markdown';
  return c.document.languageId === 'raw' ? 'raw' : 'code';
}

/**
 * The exception's message. VS Code's Jupyter support does not always keep it in `message` (it may hold a
 * placeholder); the traceback's last "Name: message" line has it.
 */
function errorValue(ename: string, message: string | undefined, stack: string | undefined): string {
  const lines = (stack ?? '').replace(/\u001b\[[0-9;]*m/g, '').split('\n').reverse();
  const line = lines.find((l) => l.startsWith(`${ename}: `));
  if (line) return line.slice(ename.length + 2).trim();
  return message && message !== 'ignored' ? message : '';
}

function errorOutputs(c: vscode.NotebookCell): Output[] {
  const out: Output[] = [];
  for (const o of c.outputs) {
    for (const item of o.items) {
      if (item.mime !== 'application/vnd.code.notebook.error') continue;
      try {
        const e = JSON.parse(new TextDecoder().decode(item.data)) as { name?: string; message?: string; stack?: string };
        const ename = e.name ?? 'Error';
        out.push({ kind: 'error', ename, evalue: errorValue(ename, e.message, e.stack), traceback: e.stack ? [e.stack] : [] });
      } catch {
        out.push({ kind: 'error', ename: 'Error', evalue: '', traceback: [] });
      }
    }
  }
  return out;
}
