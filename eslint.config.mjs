// Lint: typescript-eslint's recommended rules, the architecture rule (the core never imports vscode), and no
// regular expression that backtracks super-linearly on the static checks' path.
import tseslint from 'typescript-eslint';
import regexp from 'eslint-plugin-regexp';

export default tseslint.config(
  { ignores: ['dist/**', 'out/**', 'node_modules/**', 'scripts/**', 'bench/**', 'eslint.config.mjs'] },
  ...tseslint.configs.recommended,
  { rules: { '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }] } },
  {
    files: ['src/core/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'vscode', message: 'src/core must stay free of VS Code: put editor code in src/extension.' }],
          patterns: [{ group: ['**/extension/**', '**/cli/**'], message: 'src/core must not depend on its shells.' }],
        },
      ],
    },
  },
  // The static checks run in the editor's extension host on every edit, over whatever a notebook holds: none of
  // their regular expressions may backtrack super-linearly (two quantifiers sharing a run, or a quantifier
  // scanned again from each start position). Exercise code, the interpreter and the engine run in the worker,
  // under its time budget, and read nbcheck's own short strings there.
  {
    files: ['src/core/*.ts', 'src/core/{assignment,checks,math,notebook,report}/**/*.ts'],
    plugins: { regexp },
    rules: {
      'regexp/no-super-linear-backtracking': ['error', { report: 'certain' }],
      'regexp/no-super-linear-move': ['error', { report: 'certain', ignorePartial: false }],
    },
  },
);
