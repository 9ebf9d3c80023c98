/**
 * Links from a diagnostic's code to its explanation in docs/findings.md (shipped in the extension), at the
 * line of the code's heading: VS Code opens `…/findings.md#L42` at line 42.
 */
import { readFileSync } from 'node:fs';
import * as vscode from 'vscode';

export interface ExplanationLinks {
  /** The diagnostic code for a finding code: with a link when the explanation is found, else the bare code. */
  code(findingCode: string): string | { value: string; target: vscode.Uri };
}

export function explanationLinks(extensionUri: vscode.Uri): ExplanationLinks {
  const doc = vscode.Uri.joinPath(extensionUri, 'docs', 'findings.md');
  let lines: Map<string, number> | undefined;
  const headings = (): Map<string, number> => {
    if (lines) return lines;
    lines = new Map();
    try {
      readFileSync(doc.fsPath, 'utf8')
        .split('\n')
        .forEach((l, i) => {
          const m = /^## `([\w.-]+)`\s*$/.exec(l);
          if (m) lines?.set(m[1] as string, i + 1);
        });
    } catch {
      // Without the file the codes are shown without links.
    }
    return lines;
  };
  return {
    code(findingCode) {
      const line = headings().get(findingCode);
      return line ? { value: findingCode, target: doc.with({ fragment: `L${line}` }) } : findingCode;
    },
  };
}
