/**
 * The extension in an untrusted workspace (restricted mode): the static checks run, the exercise code
 * does not (package.json: capabilities.untrustedWorkspaces = limited).
 */
import { strict as assert } from 'node:assert';
import * as vscode from 'vscode';

const codeOf = (d: vscode.Diagnostic): string => String(typeof d.code === 'object' ? d.code.value : d.code);

function nbcheckCodes(doc: vscode.NotebookDocument): string[] {
  return doc.getCells().flatMap((c) => vscode.languages.getDiagnostics(c.document.uri).filter((d) => d.source === 'nbcheck').map(codeOf));
}

describe('nbcheck in an untrusted workspace', () => {
  it('runs the static checks only', async () => {
    assert.equal(vscode.workspace.isTrusted, false, 'the workspace is in restricted mode');
    const folder = vscode.workspace.workspaceFolders?.[0];
    assert.ok(folder);
    const doc = await vscode.workspace.openNotebookDocument(vscode.Uri.joinPath(folder.uri, 'seed-final-project-theory.ipynb'));
    await vscode.window.showNotebookDocument(doc);
    const end = Date.now() + 45_000;
    while (!(nbcheckCodes(doc).includes('structure.question-missing') && nbcheckCodes(doc).includes('outputs.saved-error'))) {
      if (Date.now() > end) throw new Error(`static findings did not arrive: ${nbcheckCodes(doc).join(', ')}`);
      await new Promise((r) => setTimeout(r, 250));
    }
    // Trusted, the exercise findings follow the static ones within about a second (npm run bench): wait well past that.
    await new Promise((r) => setTimeout(r, 8000));
    await vscode.commands.executeCommand('nbcheck.checkNotebook');
    await new Promise((r) => setTimeout(r, 3000));
    assert.deepEqual(nbcheckCodes(doc).filter((c) => c.startsWith('code.')), [], 'no exercise code ran');
    // And the code's part says so, and why, instead of nothing.
    const note = vscode.languages.getDiagnostics(doc.cellAt(9).document.uri).find((d) => d.source === 'nbcheck' && codeOf(d) === 'answer.not-judged');
    assert.equal(note?.severity, vscode.DiagnosticSeverity.Information);
    assert.match(note?.message ?? '', /^Not judged: nbcheck checks the code of part 1\.3\.1 only when it runs the exercises \(the workspace is not trusted\)\./);
  });
});
