/**
 * Quick fixes for nbcheck's findings that have a mechanical fix. Each is offered on the diagnostic and
 * applied only when the user picks it (a WorkspaceEdit the user can undo).
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { core } from './lazy';

const codeOf = (d: vscode.Diagnostic): string => String(typeof d.code === 'object' ? d.code.value : d.code);

export class NbcheckActions implements vscode.CodeActionProvider {
  static readonly kinds = [vscode.CodeActionKind.QuickFix];

  provideCodeActions(document: vscode.TextDocument, _range: vscode.Range, context: vscode.CodeActionContext): vscode.CodeAction[] {
    const located = findCell(document);
    if (!located) return [];
    const { notebook, cell } = located;
    const actions: vscode.CodeAction[] = [];
    for (const d of context.diagnostics) {
      if (d.source !== 'nbcheck') continue;
      const code = codeOf(d);
      if (code === 'structure.question-missing' || code === 'structure.part-missing' || code === 'structure.choice-none') {
        actions.push(insertAnswer(notebook, cell, d));
      } else if (code === 'images.outside-folder') {
        const a = moveImage(notebook, document, d);
        if (a) actions.push(a);
      }
    }
    return actions;
  }
}

function findCell(document: vscode.TextDocument): { notebook: vscode.NotebookDocument; cell: vscode.NotebookCell } | undefined {
  for (const notebook of vscode.workspace.notebookDocuments) {
    const cell = notebook.getCells().find((c) => c.document === document);
    if (cell) return { notebook, cell };
  }
  return undefined;
}

/** Inserts a markdown answer cell under the prompt (the cell holding the finding). */
function insertAnswer(notebook: vscode.NotebookDocument, cell: vscode.NotebookCell, d: vscode.Diagnostic): vscode.CodeAction {
  const action = new vscode.CodeAction('Insert an answer cell under this question', vscode.CodeActionKind.QuickFix);
  action.diagnostics = [d];
  // A command rather than an edit: notebook edits do not survive every way a code action travels.
  action.command = { command: INSERT_ANSWER, title: action.title, arguments: [notebook.uri.toString(), cell.index + 1] };
  return action;
}

export const INSERT_ANSWER = 'nbcheck.insertAnswerCell';
export const MOVE_IMAGE = 'nbcheck.moveImage';

/** The commands behind the quick fixes (not in the palette). */
export function registerFixCommands(): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand(INSERT_ANSWER, async (uri: string, index: number) => {
      const notebook = vscode.workspace.notebookDocuments.find((n) => n.uri.toString() === uri);
      if (!notebook || !Number.isInteger(index)) return false;
      const edit = new vscode.WorkspaceEdit();
      edit.set(notebook.uri, [vscode.NotebookEdit.insertCells(index, [new vscode.NotebookCellData(vscode.NotebookCellKind.Markup, '#### Answer:\n\n', 'markdown')])]);
      return vscode.workspace.applyEdit(edit);
    }),
    vscode.commands.registerCommand(MOVE_IMAGE, async (from: string, to: string, cellUri: string, range: [number, number, number, number], text: string) => {
      const edit = new vscode.WorkspaceEdit();
      edit.renameFile(vscode.Uri.parse(from), vscode.Uri.parse(to), { ignoreIfExists: true });
      edit.replace(vscode.Uri.parse(cellUri), new vscode.Range(...range), text);
      return vscode.workspace.applyEdit(edit);
    }),
  ];
}

/** Moves an image file into the folder the notebook asks for and points the reference at it. */
function moveImage(notebook: vscode.NotebookDocument, document: vscode.TextDocument, d: vscode.Diagnostic): vscode.CodeAction | undefined {
  const rules = core().preambleRules(notebook.getCells().map((c) => ({ kind: c.kind === vscode.NotebookCellKind.Markup ? 'markdown' : 'code', source: c.document.getText() })));
  if (!rules.folder || notebook.uri.scheme !== 'file') return undefined;
  const ref = document.getText(d.range);
  const rel = decodeURIComponent(ref.split(/[?#]/)[0] ?? '');
  if (!rel || path.isAbsolute(rel) || /^[a-z][a-z0-9+.-]*:/i.test(rel)) return undefined;
  const dir = path.dirname(notebook.uri.fsPath);
  const from = vscode.Uri.file(path.join(dir, rel));
  const to = vscode.Uri.file(path.join(dir, rules.folder, path.basename(rel)));
  const action = new vscode.CodeAction(`Move ${path.basename(rel)} into ${rules.folder}/ and update the reference`, vscode.CodeActionKind.QuickFix);
  action.diagnostics = [d];
  const r = d.range;
  action.command = { command: MOVE_IMAGE, title: action.title, arguments: [from.toString(), to.toString(), document.uri.toString(), [r.start.line, r.start.character, r.end.line, r.end.character], `${rules.folder}/${encodeURI(path.basename(rel))}`] };
  return action;
}
