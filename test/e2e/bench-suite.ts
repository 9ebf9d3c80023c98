/**
 * `npm run bench`, part 4, inside VS Code's extension host (code-server): how long nbcheck takes to
 * activate and to refresh its diagnostics after an edit, each next to a baseline measured in the same
 * VS Code — the activation of VS Code's own Jupyter support (vscode.ipynb), and the time VS Code's own JSON
 * language server takes to show an error after an edit. Results go to $NBCHECK_BENCH_RESULTS as JSON.
 */
import { writeFileSync } from 'node:fs';
import * as vscode from 'vscode';

const ROUNDS = Number(process.env['BENCH_EDIT_ROUNDS'] ?? 10);
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;

/** Resolves when `probe` holds for `uri`'s diagnostics (checked at once and on every change). */
function diagnosticsWhere(uri: vscode.Uri, probe: (ds: readonly vscode.Diagnostic[]) => boolean, ms = 20_000): Promise<void> {
  return new Promise((resolve, reject) => {
    const done = (): boolean => probe(vscode.languages.getDiagnostics(uri));
    if (done()) return resolve();
    const timer = setTimeout(() => {
      sub.dispose();
      reject(new Error(`diagnostics of ${uri.toString()} did not change as expected within ${ms} ms`));
    }, ms);
    const sub = vscode.languages.onDidChangeDiagnostics((e) => {
      if (!e.uris.some((u) => u.toString() === uri.toString()) || !done()) return;
      clearTimeout(timer);
      sub.dispose();
      resolve();
    });
  });
}

async function timeActivation(ext: vscode.Extension<unknown> | undefined): Promise<number | string> {
  if (!ext) return 'not installed';
  if (ext.isActive) return 'already active';
  const t0 = performance.now();
  await ext.activate();
  return performance.now() - t0;
}

/** Edit → error shown, then undo → error gone, `ROUNDS` times; the median of each half. */
async function editRounds(uri: vscode.Uri, insert: string, hasError: (ds: readonly vscode.Diagnostic[]) => boolean, rounds = ROUNDS): Promise<{ show: number; clear: number }> {
  const show: number[] = [];
  const clear: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const add = new vscode.WorkspaceEdit();
    add.insert(uri, new vscode.Position(0, 0), insert);
    let t0 = performance.now();
    await vscode.workspace.applyEdit(add);
    await diagnosticsWhere(uri, hasError);
    show.push(performance.now() - t0);
    const undo = new vscode.WorkspaceEdit();
    undo.delete(uri, new vscode.Range(new vscode.Position(0, 0), new vscode.Position(0, insert.length)));
    t0 = performance.now();
    await vscode.workspace.applyEdit(undo);
    await diagnosticsWhere(uri, (ds) => !hasError(ds));
    clear.push(performance.now() - t0);
  }
  return { show: median(show), clear: median(clear) };
}

export async function run(): Promise<void> {
  const results: Record<string, unknown> = { rounds: ROUNDS };
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder) throw new Error('no workspace folder');

  // 1. Activation, before any notebook is open (so neither extension has been activated by it).
  // The workbench is still starting (2 cores shared with the browser): let it settle first.
  await new Promise((r) => setTimeout(r, Number(process.env['BENCH_SETTLE_MS'] ?? 8000)));
  // The first activation in an extension host pays one-time costs (hundreds of ms here): a small built-in
  // extension takes them, untimed, so that the two measured activations are comparable.
  const warm = ['vscode.media-preview', 'vscode.references-view', 'vscode.markdown-math'].map((id) => vscode.extensions.getExtension(id)).find((e) => e && !e.isActive);
  results['activate.warm-up'] = warm?.id ?? 'none';
  await warm?.activate();
  results['activate.ipynb'] = await timeActivation(vscode.extensions.getExtension('vscode.ipynb'));
  results['activate.nbcheck'] = await timeActivation(vscode.extensions.all.find((e) => e.packageJSON?.name === 'nbcheck'));

  // 2. Open the seed: the first diagnostics (static checks), then the exercise code's.
  // From asking VS Code to open the notebook: nbcheck's first diagnostics, beside VS Code showing it in an editor.
  const t0 = performance.now();
  const doc = await vscode.workspace.openNotebookDocument(vscode.Uri.joinPath(folder.uri, 'seed.ipynb'));
  results['open.document'] = performance.now() - t0;
  const ceCell = doc.cellAt(10).document.uri;
  const has = (code: string) => (ds: readonly vscode.Diagnostic[]): boolean => ds.some((d) => d.source === 'nbcheck' && String(typeof d.code === 'object' ? d.code.value : d.code) === code);
  const shown = vscode.window.showNotebookDocument(doc).then(() => (results['open.editor'] = performance.now() - t0));
  await diagnosticsWhere(ceCell, has('outputs.saved-error'));
  results['open.static'] = performance.now() - t0;
  await diagnosticsWhere(ceCell, has('code.runtime-error'), 120_000);
  results['open.run'] = performance.now() - t0;
  await shown;

  // 3. Edit → refreshed diagnostics: a broken formula typed into Question 4's answer (markdown cell 25).
  const mathError = (ds: readonly vscode.Diagnostic[]): boolean => ds.some((d) => d.source === 'nbcheck' && d.range.start.line === 0 && String(typeof d.code === 'object' ? d.code.value : d.code) === 'math.parse-error');
  const cell25 = doc.cellAt(25).document.uri;
  await editRounds(cell25, 'Broken: $\\frac{a}{$ here. ', mathError, 1); // warm-up, not timed
  const ours = await editRounds(cell25, 'Broken: $\\frac{a}{$ here. ', mathError);
  results['edit.nbcheck.show'] = ours.show;
  results['edit.nbcheck.clear'] = ours.clear;

  // The baseline: VS Code's JSON language server, on a JSON file open in an editor, and a comma too many.
  const json = vscode.Uri.joinPath(folder.uri, 'settings-like.json');
  await vscode.workspace.fs.writeFile(json, new TextEncoder().encode('{\n  "a": 1,\n  "b": [1, 2, 3]\n}\n'));
  await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(json));
  await editRounds(json, '{"x": 1,,}\n', (ds) => ds.length > 0, 1); // the server starts: warm-up, not timed
  const theirs = await editRounds(json, '{"x": 1,,}\n', (ds) => ds.length > 0);
  results['edit.json.show'] = theirs.show;
  results['edit.json.clear'] = theirs.clear;

  const file = process.env['NBCHECK_BENCH_RESULTS'];
  if (file) writeFileSync(file, JSON.stringify(results, null, 2));
}
