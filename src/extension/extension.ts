/**
 * The VS Code shell: checks Jupyter notebooks as they are opened, edited and saved, and publishes the
 * findings as diagnostics on the cells. Everything it judges comes from the core.
 */
import * as vscode from 'vscode';
import { checkNotebook } from '../core/check';
import type { Finding } from '../core/findings';
import { notebookFromCells } from '../core/notebook/reader';
import type { CellKind, Output } from '../core/notebook/types';

const SEVERITY: Record<Finding['severity'], vscode.DiagnosticSeverity> = {
  error: vscode.DiagnosticSeverity.Error,
  warning: vscode.DiagnosticSeverity.Warning,
  info: vscode.DiagnosticSeverity.Information,
};

export function activate(context: vscode.ExtensionContext): void {
  const diagnostics = vscode.languages.createDiagnosticCollection('nbcheck');
  const pending = new Map<string, NodeJS.Timeout>();
  const published = new Map<string, vscode.Uri[]>();

  const check = (doc: vscode.NotebookDocument): void => {
    if (doc.notebookType !== 'jupyter-notebook') return;
    const cells = doc.getCells();
    const nb = notebookFromCells(
      doc.uri.fsPath,
      cells.map((c) => ({ kind: cellKind(c), source: c.document.getText(), outputs: errorOutputs(c) })),
    );
    const report = checkNotebook(nb);
    for (const uri of published.get(doc.uri.toString()) ?? []) diagnostics.delete(uri);
    const byCell = new Map<number, vscode.Diagnostic[]>();
    for (const f of report.findings) {
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

  const schedule = (doc: vscode.NotebookDocument): void => {
    const key = doc.uri.toString();
    clearTimeout(pending.get(key));
    pending.set(key, setTimeout(() => check(doc), 300));
  };

  context.subscriptions.push(
    diagnostics,
    { dispose: () => pending.forEach((t) => clearTimeout(t)) },
    vscode.workspace.onDidOpenNotebookDocument(check),
    vscode.workspace.onDidSaveNotebookDocument(check),
    vscode.workspace.onDidChangeNotebookDocument((e) => schedule(e.notebook)),
    vscode.workspace.onDidCloseNotebookDocument((doc) => {
      for (const uri of published.get(doc.uri.toString()) ?? []) diagnostics.delete(uri);
      published.delete(doc.uri.toString());
    }),
    vscode.commands.registerCommand('nbcheck.checkNotebook', () => {
      const doc = vscode.window.activeNotebookEditor?.notebook;
      if (!doc) {
        void vscode.window.showInformationMessage('nbcheck: open a Jupyter notebook to check it.');
        return;
      }
      check(doc);
    }),
  );
  vscode.workspace.notebookDocuments.forEach(check);
}

export function deactivate(): void {
  // Everything is disposed through the extension context.
}

function cellKind(c: vscode.NotebookCell): CellKind {
  if (c.kind === vscode.NotebookCellKind.Markup) return 'markdown';
  return c.document.languageId === 'raw' ? 'raw' : 'code';
}

function errorOutputs(c: vscode.NotebookCell): Output[] {
  const out: Output[] = [];
  for (const o of c.outputs) {
    for (const item of o.items) {
      if (item.mime !== 'application/vnd.code.notebook.error') continue;
      try {
        const e = JSON.parse(new TextDecoder().decode(item.data)) as { name?: string; message?: string; stack?: string };
        out.push({ kind: 'error', ename: e.name ?? 'Error', evalue: e.message ?? '', traceback: e.stack ? [e.stack] : [] });
      } catch {
        out.push({ kind: 'error', ename: 'Error', evalue: '', traceback: [] });
      }
    }
  }
  return out;
}
