/**
 * The extension in a real VS Code (code-server's extension host), on the workspace the outer test made:
 * the seed reconstruction. Diagnostics land on the right cells with the right codes and ranges.
 */
import { strict as assert } from 'node:assert';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';

const SEED = 'seed-final-project-theory.ipynb';

async function waitFor<T>(what: string, probe: () => T | undefined, ms = 45_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = probe();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

function codesOn(doc: vscode.NotebookDocument, index: number): vscode.Diagnostic[] {
  const cell = doc.cellAt(index);
  return vscode.languages.getDiagnostics(cell.document.uri).filter((d) => d.source === 'nbcheck');
}

const codeOf = (d: vscode.Diagnostic): string => String(typeof d.code === 'object' ? d.code.value : d.code);

describe('nbcheck in VS Code', () => {
  let doc: vscode.NotebookDocument;

  before(async () => {
    console.log(`e2e: suite starts at ${new Date().toISOString()}`);
    const folder = vscode.workspace.workspaceFolders?.[0];
    assert.ok(folder, 'a workspace folder is open');
    doc = await vscode.workspace.openNotebookDocument(vscode.Uri.joinPath(folder.uri, SEED));
    await vscode.window.showNotebookDocument(doc);
  });

  it('activates on the Jupyter notebook', async () => {
    const ext = vscode.extensions.all.find((e) => e.packageJSON?.name === 'nbcheck');
    assert.ok(ext, 'the extension is installed');
    await waitFor('activation', () => (ext.isActive ? true : undefined));
  });

  it('puts the saved NameError on the CE-loss cell, at the line that raised it', async () => {
    const saved = await waitFor('the saved-error diagnostic', () => codesOn(doc, 10).find((d) => codeOf(d) === 'outputs.saved-error'));
    assert.equal(saved.severity, vscode.DiagnosticSeverity.Warning);
    assert.equal(saved.range.start.line, 7);
    assert.match(saved.message, /NameError: name 'model' is not defined/);
  });

  it('puts the missing Question 6 on its prompt cell as an error', async () => {
    const missing = await waitFor('the missing-question diagnostic', () => codesOn(doc, 30).find((d) => codeOf(d) === 'structure.question-missing'));
    assert.equal(missing.severity, vscode.DiagnosticSeverity.Error);
    assert.match(missing.message, /Question 6 \(Diffusion models, 7 points\) is mandatory and has no answer/);
  });

  it('runs the exercise code: the `incices` keyword at its exact range', async () => {
    const err = await waitFor('the runtime-error diagnostic', () => codesOn(doc, 10).find((d) => codeOf(d) === 'code.runtime-error'), 90_000);
    const text = doc.cellAt(10).document.getText(err.range);
    assert.equal(text, 'incices=y');
    assert.match(err.message, /did you mean 'index'\?/);
  });

  it('Go to Next Problem walks the findings in order', async () => {
    const editor = vscode.window.activeNotebookEditor;
    assert.ok(editor);
    editor.selection = new vscode.NotebookRange(0, 1);
    await vscode.commands.executeCommand('nbcheck.nextProblem');
    assert.equal(editor.selection.start, 10, 'first: the CE-loss cell');
    await vscode.commands.executeCommand('nbcheck.nextProblem');
    await vscode.commands.executeCommand('nbcheck.nextProblem');
    await vscode.commands.executeCommand('nbcheck.nextProblem');
    assert.ok(editor.selection.start > 10, `moved on past cell 10: ${editor.selection.start}`);
  });

  it('Export Report writes HTML and JSON', async () => {
    const folder = vscode.workspace.workspaceFolders?.[0];
    assert.ok(folder);
    const html = vscode.Uri.joinPath(folder.uri, 'report.html');
    const json = vscode.Uri.joinPath(folder.uri, 'report.json');
    await vscode.commands.executeCommand('nbcheck.exportReport', html);
    await vscode.commands.executeCommand('nbcheck.exportReport', json);
    const page = new TextDecoder().decode(await vscode.workspace.fs.readFile(html));
    assert.match(page, /<strong>Exam 4\/6 · ≤36\/50<\/strong>/);
    const data = JSON.parse(new TextDecoder().decode(await vscode.workspace.fs.readFile(json))) as { notebooks: { points: { attainable: number } }[] };
    assert.equal(data.notebooks[0]?.points.attainable, 36);
  });

  it('offers a quick fix that inserts an answer cell under the missing Question 6, applied only when chosen', async () => {
    const cell = doc.cellAt(30);
    const missing = codesOn(doc, 30).find((d) => codeOf(d) === 'structure.question-missing');
    assert.ok(missing);
    const before = doc.cellCount;
    // Code actions are asked of the cell's editor, as when the student puts the cursor on the squiggle.
    const editor = vscode.window.activeNotebookEditor;
    assert.ok(editor);
    editor.selection = new vscode.NotebookRange(30, 31);
    editor.revealRange(new vscode.NotebookRange(30, 31));
    await vscode.commands.executeCommand('notebook.cell.edit');
    const actions = (await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', cell.document.uri, missing.range)) ?? [];
    await vscode.commands.executeCommand('notebook.cell.quitEdit');
    const fix = actions.find((a) => a.title === 'Insert an answer cell under this question');
    assert.ok(fix?.command, `actions: ${actions.map((a) => a.title).join(', ')}`);
    assert.equal(doc.cellCount, before, 'nothing changes until the fix is chosen');
    assert.equal(await vscode.commands.executeCommand(fix.command.command, ...(fix.command.arguments ?? [])), true);
    assert.equal(doc.cellCount, before + 1);
    assert.equal(doc.cellAt(31).kind, vscode.NotebookCellKind.Markup);
    assert.match(doc.cellAt(31).document.getText(), /^#### Answer:/);
    // Back as it was, for the checks that follow.
    const undo = new vscode.WorkspaceEdit();
    undo.set(doc.uri, [vscode.NotebookEdit.deleteCells(new vscode.NotebookRange(31, 32))]);
    assert.ok(await vscode.workspace.applyEdit(undo));
  });

  it('leaves the CE-loss cell in view, for the browser checks that follow', async () => {
    const editor = vscode.window.activeNotebookEditor;
    assert.ok(editor, 'the notebook is the active editor');
    editor.revealRange(new vscode.NotebookRange(10, 11), vscode.NotebookEditorRevealType.AtTop);
    editor.selection = new vscode.NotebookRange(10, 11);
    await vscode.commands.executeCommand('notebook.cell.edit');
  });

  it('the command re-checks the active notebook', async () => {
    await vscode.commands.executeCommand('nbcheck.checkNotebook');
    const all = vscode.languages.getDiagnostics().flatMap(([, ds]) => ds).filter((d) => d.source === 'nbcheck');
    assert.ok(all.length >= 6, `diagnostics after the command: ${all.length}`);
  });

  // The extension host ends with the suite (and its diagnostics with it): hold it while the browser looks.
  it('stays up while the browser checks the workbench', async function () {
    const hold = process.env['NBCHECK_E2E_HOLD'];
    if (!hold) this.skip();
    this.timeout(300_000);
    writeFileSync(join(hold, 'ready'), '');
    await waitFor('the browser checks', () => (existsSync(join(hold, 'done')) ? true : undefined), 280_000);
  });
});
