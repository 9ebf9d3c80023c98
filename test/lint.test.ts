/**
 * The linter enforces the architecture rule (code under src/core cannot import vscode) and linear static checks
 * (no regular expression that backtracks super-linearly where the static checks run).
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { ESLint } from 'eslint';
import { ROOT } from './helpers';

describe('lint: src/core stays free of vscode', () => {
  const eslint = new ESLint({ cwd: ROOT });
  const lint = async (path: string, code: string): Promise<string[]> =>
    (await eslint.lintText(code, { filePath: join(ROOT, path) }))[0]!.messages.map((m) => `${m.ruleId}: ${m.message}`);

  it('an import of vscode in src/core is an error', async () => {
    const messages = await lint('src/core/checks/new-check.ts', "import * as vscode from 'vscode';\nexport const x = vscode;\n");
    assert.deepEqual(messages, ["no-restricted-imports: 'vscode' import is restricted from being used. src/core must stay free of VS Code: put editor code in src/extension."]);
  });
  it('the same import in src/extension is allowed', async () => {
    assert.deepEqual(await lint('src/extension/new-command.ts', "import * as vscode from 'vscode';\nexport const x = vscode;\n"), []);
  });
  it('a regular expression that backtracks super-linearly is an error on the static checks\' path, not in the worker\'s code', async () => {
    const code = 'export const MARKER = /^[ \\t]*(?:#+)?[ \\t]*answer[ \\t]*:?[ \\t]*$/m;\n';
    const rules = (messages: string[]): string[] => messages.map((m) => m.split(':')[0]!);
    assert.deepEqual([...new Set(rules(await lint('src/core/checks/new-check.ts', code)))], ['regexp/no-super-linear-backtracking']);
    assert.deepEqual(await lint('src/core/run/new-kind.ts', code), []);
  });
  it('the whole tree passes the linter', async () => {
    const results = await eslint.lintFiles(['src', 'test']);
    const problems = results.flatMap((r) => r.messages.map((m) => `${r.filePath}:${m.line}: ${m.message}`));
    assert.deepEqual(problems, []);
  });
});
