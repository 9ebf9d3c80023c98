/**
 * Math as VS Code renders it (code-server's extension host): opens the render cases the outer test wrote,
 * writes the nbcheck diagnostics it sees for the browser side to compare, and brings each cell into view so
 * that VS Code renders its markdown, then holds the host up until the browser has looked.
 */
import { strict as assert } from 'node:assert';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';

const codeOf = (d: vscode.Diagnostic): string => String(typeof d.code === 'object' ? d.code.value : d.code);
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

describe('math as VS Code renders it', () => {
  it('reports nbcheck\'s math diagnostics and shows every cell', async function () {
    this.timeout(240_000);
    const hold = process.env['NBCHECK_E2E_HOLD'];
    const folder = vscode.workspace.workspaceFolders?.[0];
    assert.ok(hold && folder);
    const doc = await vscode.workspace.openNotebookDocument(vscode.Uri.joinPath(folder.uri, 'render-cases.ipynb'));
    const editor = await vscode.window.showNotebookDocument(doc);
    const math = (): { cell: number; code: string; text: string }[] =>
      doc.getCells().flatMap((c) =>
        vscode.languages
          .getDiagnostics(c.document.uri)
          .filter((d) => d.source === 'nbcheck' && codeOf(d).startsWith('math.'))
          .map((d) => ({ cell: c.index, code: codeOf(d), text: c.document.getText(d.range) })),
      );
    const end = Date.now() + 60_000;
    while (!math().length && Date.now() < end) await sleep(250);
    await sleep(1000);
    writeFileSync(join(hold, 'diagnostics.json'), JSON.stringify(math()));
    for (let c = 0; c < doc.cellCount; c++) {
      editor.revealRange(new vscode.NotebookRange(c, c + 1), vscode.NotebookEditorRevealType.AtTop);
      await sleep(700);
    }
    writeFileSync(join(hold, 'ready'), '');
    const done = Date.now() + 120_000;
    while (!existsSync(join(hold, 'done')) && Date.now() < done) await sleep(100);
  });
});
