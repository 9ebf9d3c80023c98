/**
 * The VS Code shell: checks Jupyter notebooks as they are opened, edited and saved, and publishes the
 * findings as diagnostics on the cells. Static checks run on every edit (debounced, redoing only the cells
 * that changed); the exercise code runs on open and save, when the cells it reads changed. The exercise
 * runner (interpreter, tensor engine, onnxruntime) is a bundle of its own, loaded on the first run.
 * Everything it judges comes from the core.
 */
import * as vscode from 'vscode';
import type { AudienceOptions, CheckCache, CheckGroup, CheckOptions, NotebookReport, RunInfo } from '../core/check';
import type { RunState, Verified } from '../core/assignment/verdicts';
import type { StudentOptIn } from '../core/assignment/types';
import type { Finding } from '../core/findings';
import type { CellKind, Notebook, Output } from '../core/notebook/types';
import { NbcheckActions, registerFixCommands } from './actions';
import { explanationLinks } from './explain';
import { core, runner, type RunnerModule } from './lazy';
import { ExamPanel } from './panel';
import { WorkerPool, stopFinding } from '../core/worker/pool';

const SEVERITY: Record<Finding['severity'], vscode.DiagnosticSeverity> = {
  error: vscode.DiagnosticSeverity.Error,
  warning: vscode.DiagnosticSeverity.Warning,
  info: vscode.DiagnosticSeverity.Information,
};

/** Runs longer than this get a progress notification. */
const SLOW_MS = 1000;
/** Quiet time after the last keystroke before the static checks run. */
const DEBOUNCE_MS = 300;

/** The last run of a notebook's exercise code: what it read, and its findings on the cells as they were. */
interface RunResult {
  readonly key: string;
  readonly findings: readonly { readonly cell: vscode.NotebookCell; readonly text: string; readonly finding: Finding }[];
  /** What the run verified, with the cells (and their text) it was verified on. */
  readonly verified: readonly { readonly cells: readonly { readonly cell: vscode.NotebookCell; readonly text: string }[]; readonly fact: Verified }[];
  readonly run?: RunInfo;
}

/** Per open notebook. */
interface State {
  readonly cache: CheckCache;
  /** The last static report (checks only), the published one (with the run's findings merged, as the audience sees it) and the whole of it. */
  checked?: NotebookReport;
  report?: NotebookReport;
  full?: NotebookReport;
  run?: RunResult;
  /** What is published on each cell (by the cell document's URI), to send only what changed. */
  published: Map<string, { readonly uri: vscode.Uri; readonly key: string }>;
  timer?: NodeJS.Timeout;
}

export function activate(context: vscode.ExtensionContext): void {
  const diagnostics = vscode.languages.createDiagnosticCollection('nbcheck');
  const status = vscode.window.createStatusBarItem('nbcheck.exam', vscode.StatusBarAlignment.Right, 100);
  status.name = 'nbcheck exam';
  const panel = new ExamPanel(context.extensionUri, {
    views: () =>
      vscode.workspace.isTrusted && settings().get<boolean>('runExercises', true)
        ? {
            // Drawn in the worker that runs student code: a graph of a hostile cell cannot end the extension host.
            cell: async (nb, cell) => {
              const r = await getPool().run({ kind: 'cell-graph', notebook: nb, cell });
              return r.ok ? (r.value ?? { error: 'nothing to draw' }) : { error: r.stop.message };
            },
            question: async (nb, question) => {
              const r = await getPool().run({ kind: 'question-graph', notebook: nb, question });
              return r.ok ? (r.value ?? undefined) : { error: r.stop.message };
            },
          }
        : undefined,
    audience: () => audience().audience,
  });
  const links = explanationLinks(context.extensionUri);
  const states = new Map<string, State>();
  let fallbackTold = false;

  const stateOf = (doc: vscode.NotebookDocument): State => {
    const key = doc.uri.toString();
    let s = states.get(key);
    if (!s) states.set(key, (s = { cache: new (core().CheckCache)(), published: new Map() }));
    return s;
  };

  const settings = (): vscode.WorkspaceConfiguration => vscode.workspace.getConfiguration('nbcheck');
  /** The check options the settings ask for: which check groups run, which exam packs are tried. */
  const options = (s?: State): CheckOptions => {
    const config = settings();
    const { CHECK_GROUPS, BUILTIN_PACKS } = core();
    const groups = (Object.keys(CHECK_GROUPS) as CheckGroup[]).filter((g) => config.get<boolean>(`checks.${g}`, true));
    const pack = config.get<string>('pack', 'auto');
    // `auto` (or a pack this version does not have): the built-in packs, each bundle its own default.
    const chosen = pack === 'none' ? [] : BUILTIN_PACKS.filter((p) => p.id === pack);
    return { groups, ...(pack === 'none' || chosen.length ? { packs: chosen } : {}), ...(s ? { cache: s.cache } : {}) };
  };
  /** Who reads the findings (`nbcheck.audience`, `nbcheck.studentsSee`). */
  const audience = (): AudienceOptions => {
    const config = settings();
    return { audience: config.get<string>('audience') === 'grader' ? 'grader' : 'student', studentsSee: config.get<StudentOptIn[]>('studentsSee', []) };
  };
  /** Why the exercise code does not run here, if it does not. */
  const notRunReason = (): string | undefined =>
    !vscode.workspace.isTrusted ? 'the workspace is not trusted' : !settings().get<boolean>('runExercises', true) ? 'the nbcheck.runExercises setting is off' : undefined;

  // The exercise code runs in a worker process (src/core/worker): nothing it does can end the extension host.
  let pool: WorkerPool | undefined;
  const getPool = (): WorkerPool => {
    const cudaProviders = settings().get<string>('cudaProvidersPath') || undefined;
    pool ??= new WorkerPool({ setup: { device: settings().get<RunnerModule.DeviceRequest>('device') ?? 'auto', ...(cudaProviders ? { cudaProviders } : {}) } });
    return pool;
  };
  const resetRuntime = (): void => {
    void pool?.dispose();
    pool = undefined;
    fallbackTold = false;
  };

  /** `Exam 4/6 · ≤36/50` for the active exam notebook, with where its code ran; hidden otherwise. */
  const updateStatus = (): void => {
    const doc = vscode.window.activeNotebookEditor?.notebook;
    const s = doc ? states.get(doc.uri.toString()) : undefined;
    const summary = s?.report && core().examSummary(s.report);
    if (!s?.report || !summary) {
      status.hide();
      return;
    }
    const report = s.report;
    const errors = report.findings.filter((f) => f.severity === 'error').length;
    status.text = `$(checklist) ${summary}`;
    const run = report.run;
    const device = run ? `\nExercise code ran on the ${run.device === 'cuda' ? 'GPU (CUDA)' : 'CPU'}${run.fallback ? ` (CUDA unavailable: ${run.fallback})` : ''}.` : '';
    const j = report.judgement;
    const verdicts = j && report.points ? `\nAnswer parts: ${core().verdictTally(j)}.\nEstimate ${core().range(j.estimate.low, j.estimate.high)} of ${report.points.max} (${core().ESTIMATE_NOTE}).` : '';
    status.tooltip = `${report.pack?.title ?? ''}\nExam: answers the key asks for that are there · points still attainable.${verdicts}\n${errors} error${errors === 1 ? '' : 's'}, ${report.findings.length - errors} other findings. Click to open the exam panel.${device}`;
    status.command = 'nbcheck.showPanel';
    status.show();
  };

  const readNotebook = (doc: vscode.NotebookDocument): Notebook =>
    core().notebookFromCells(
      doc.uri.fsPath,
      doc.getCells().map((c) => ({ kind: cellKind(c), source: c.document.getText(), outputs: errorOutputs(c) })),
    );

  /**
   * The static report, plus the last run's findings and verified facts on the cells unchanged since it ran
   * (where they now are), judged: per answer part what was checked, flagged and not judged.
   */
  const publish = (doc: vscode.NotebookDocument, report: NotebookReport): void => {
    const s = stateOf(doc);
    const cells = doc.getCells();
    const fresh: Finding[] = [];
    let stale = false;
    for (const r of s.run?.findings ?? []) {
      const index = cells.indexOf(r.cell);
      if (index >= 0 && r.cell.document.getText() === r.text) fresh.push({ ...r.finding, cell: index });
      else stale = true;
    }
    const verified: Verified[] = [];
    for (const v of s.run?.verified ?? []) {
      const now = v.cells.map((c) => ({ index: cells.indexOf(c.cell), same: c.cell.document.getText() === c.text }));
      if (now.every((c) => c.index >= 0 && c.same)) verified.push({ ...v.fact, cells: now.map((c) => c.index) });
      else stale = true;
    }
    const off = notRunReason();
    const runState: RunState = off ? { kind: 'off', reason: off } : s.run && !stale ? { kind: 'ran' } : { kind: 'pending' };
    const run = s.run?.run;
    const merged = core().judgeReport({ ...report, findings: [...report.findings, ...fresh].sort(core().compareFindings), verified, runState, ...(run ? { run } : {}) });
    // What this audience sees (the JSON export carries everything).
    const shown = core().forAudience(merged, audience());
    const findings = shown.findings;
    s.checked = report;
    s.report = shown;
    s.full = merged;
    updateStatus();
    if (vscode.window.activeNotebookEditor?.notebook === doc) panel.update(doc, report.notebook, shown);
    const byCell = new Map<number, { list: vscode.Diagnostic[]; key: string[] }>();
    for (const f of findings) {
      // Notebook-level findings (none has a question without a cell) go on the first cell.
      const cell = f.cell ?? 0;
      const r = f.range ?? { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
      const d = new vscode.Diagnostic(
        new vscode.Range(r.start.line, r.start.character, r.end.line, r.end.character),
        f.question ? `${f.message} (question ${f.question})` : f.message,
        SEVERITY[f.severity],
      );
      d.source = 'nbcheck';
      d.code = links.code(f.code);
      const entry = byCell.get(cell) ?? { list: [], key: [] };
      entry.list.push(d);
      entry.key.push(JSON.stringify([f.code, f.severity, d.message, r]));
      byCell.set(cell, entry);
    }
    // Only the cells whose diagnostics changed are sent to VS Code (an edit usually changes one cell's).
    const published = new Map<string, { uri: vscode.Uri; key: string }>();
    for (const [index, { list, key }] of byCell) {
      const cell = cells[index];
      if (!cell) continue;
      const uri = cell.document.uri;
      const joined = key.join('\n');
      if (s.published.get(uri.toString())?.key !== joined) diagnostics.set(uri, list);
      published.set(uri.toString(), { uri, key: joined });
    }
    for (const [k, { uri }] of s.published) if (!published.has(k)) diagnostics.delete(uri);
    s.published = published;
  };

  const isJupyter = (doc: vscode.NotebookDocument): boolean => doc.notebookType === 'jupyter-notebook';

  /** The static checks (cells unchanged since the last check are not redone). */
  const check = (doc: vscode.NotebookDocument): NotebookReport | undefined => {
    if (!isJupyter(doc) || doc.isClosed) return undefined;
    const s = stateOf(doc);
    const report = core().checkStatic(readNotebook(doc), options(s)).report;
    publish(doc, report);
    return report;
  };

  /** Shows a progress notification for `work` once it has taken longer than about a second. */
  const slow = async <T>(title: string, work: Promise<T>): Promise<T> => {
    let done = false;
    const timer = setTimeout(() => {
      if (!done) void vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title }, () => work.catch(() => undefined));
    }, SLOW_MS);
    try {
      return await work;
    } finally {
      done = true;
      clearTimeout(timer);
    }
  };

  /**
   * The static checks, then the exercise code when what it reads changed since its last run (or `force`).
   * Exercise code runs only in trusted workspaces: it is interpreted, never executed, but it is still code.
   */
  const checkAndRun = async (doc: vscode.NotebookDocument, force = false): Promise<void> => {
    const report = check(doc);
    if (!report) return;
    const s = stateOf(doc);
    if (!settings().get<boolean>('runExercises', true) || !vscode.workspace.isTrusted) {
      if (s.run) {
        s.run = undefined;
        publish(doc, report);
      }
      return;
    }
    if (!report.pack) {
      if (s.run) {
        s.run = undefined;
        publish(doc, report);
      }
      return;
    }
    const nb = report.notebook;
    const { exerciseRunKey, CUDA_HELP } = runner();
    const opts = options();
    const key = JSON.stringify([exerciseRunKey(nb, opts), settings().get('device'), settings().get('cudaProvidersPath')]);
    if (!force && s.run?.key === key) return;
    const outcome = await slow('nbcheck: running the exercise code', getPool().run({ kind: 'exercises', notebook: nb, ...(opts.packs ? { packs: opts.packs.map((p) => p.id) } : {}) }));
    if (!outcome.ok && outcome.stop.reason === 'device') {
      void vscode.window.showErrorMessage(`nbcheck: ${outcome.stop.message}`, 'Use the CPU').then((choice) => {
        if (choice) void settings().update('device', 'cpu', vscode.ConfigurationTarget.Global);
      });
      return;
    }
    // A worker that ran out of memory, past its time or crashed: a finding at the cell that was running.
    const ran = outcome.ok ? outcome.value : { findings: [stopFinding(outcome.stop)], verified: [] };
    if (doc.isClosed) return;
    const cells = doc.getCells();
    const findings = ran.findings
      .filter((f) => f.cell !== undefined)
      .flatMap((f) => {
        const cell = cells[f.cell as number];
        // A cell edited while the code ran: its findings are for text that is gone.
        return cell && cell.document.getText() === nb.cells[f.cell as number]?.source ? [{ cell, text: nb.cells[f.cell as number]!.source, finding: f }] : [];
      });
    const same = (c: number): boolean => cells[c]?.document.getText() === nb.cells[c]?.source;
    const verified = ran.verified
      .filter((v) => v.cells.every(same))
      .map((fact) => ({ fact, cells: fact.cells.map((c) => ({ cell: cells[c] as vscode.NotebookCell, text: nb.cells[c]?.source ?? '' })) }));
    s.run = { key, findings, verified, ...(ran.run ? { run: ran.run } : {}) };
    publish(doc, s.checked ?? report);
    if (ran.run?.fallback && !fallbackTold) {
      fallbackTold = true;
      void vscode.window
        .showInformationMessage(`nbcheck ran the exercise code on the CPU because CUDA is not available: ${ran.run.fallback}. To use the GPU, ${CUDA_HELP.replace('run `nbcheck install-gpu`', 'install GPU support')}.`, 'Install GPU support')
        .then((choice) => {
          if (choice) void vscode.commands.executeCommand('nbcheck.installGpu');
        });
    }
  };

  const schedule = (doc: vscode.NotebookDocument): void => {
    if (!isJupyter(doc)) return;
    const s = stateOf(doc);
    clearTimeout(s.timer);
    s.timer = setTimeout(() => {
      try {
        check(doc);
      } catch (e) {
        fail(e);
      }
    }, DEBOUNCE_MS);
  };

  const installGpu = async (): Promise<void> => {
    const { installFromRegistry, useExistingProviders, CUDA_PACKAGE } = runner();
    // From the npm registry npm is configured for (the provider for onnxruntime-node 1.29, CUDA 13), sha512 checked.
    const result = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `nbcheck: installing onnxruntime's CUDA provider (${CUDA_PACKAGE.name}@${CUDA_PACKAGE.version})`, cancellable: false },
      (progress) => {
        let last = 0;
        return installFromRegistry({
          progress: ({ done, total }) => {
            if (!total) return;
            const pct = Math.floor((100 * done) / total);
            if (pct >= last + 5) {
              progress.report({ message: `${pct}% of ${(total / 1e6).toFixed(0)} MB`, increment: pct - last });
              last = pct;
            }
          },
        });
      },
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

  /** The finding Go to Next Problem showed last (a markdown cell has no cursor to tell where in it we are). */
  let lastShown: { uri: string; cell: number; pos: number } | undefined;

  /** Reveals the next finding after the selection, in document order, wrapping around. */
  const nextProblem = async (): Promise<void> => {
    const editor = vscode.window.activeNotebookEditor;
    const r = editor ? states.get(editor.notebook.uri.toString())?.report : undefined;
    const placed = (r?.findings ?? []).filter((f) => f.cell !== undefined && f.severity !== 'info');
    if (!editor || !placed.length) {
      void vscode.window.showInformationMessage('nbcheck: no problems in this notebook.');
      return;
    }
    const current = editor.selection.start;
    const textEditor = vscode.window.activeTextEditor;
    const inCell = textEditor && textEditor.document.uri.toString() === editor.notebook.cellAt(current).document.uri.toString();
    // Where the cursor is in the current cell (before its first character when the cell is not being edited).
    const uri = editor.notebook.uri.toString();
    const shownHere = lastShown && lastShown.uri === uri && lastShown.cell === current ? lastShown.pos : -1;
    const at = inCell ? textEditor.selection.start.line * 1e6 + textEditor.selection.start.character : shownHere;
    const pos = (f: Finding): number => (f.range ? f.range.start.line * 1e6 + f.range.start.character : 0);
    const next = placed.find((f) => (f.cell as number) > current || (f.cell === current && pos(f) > at)) ?? placed[0];
    if (!next) return;
    const index = next.cell as number;
    lastShown = { uri, cell: index, pos: pos(next) };
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
    const r = editor ? states.get(editor.notebook.uri.toString())?.report : undefined;
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
    const full = editor ? states.get(editor.notebook.uri.toString())?.full : undefined;
    // JSON carries every finding marked with its audience; the HTML shows what this audience sees.
    const text = uri.path.endsWith('.json') ? core().toJson([full ?? r]) : core().toHtml([r], String(context.extension.packageJSON.version ?? ''));
    await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(text));
    if (!target) void vscode.window.showInformationMessage(`nbcheck: report saved to ${uri.fsPath}.`);
  };

  const fail = (e: unknown): void => {
    void vscode.window.showErrorMessage(`nbcheck: internal error: ${(e as Error).message}`);
  };
  const recheckAll = (force: boolean): void => vscode.workspace.notebookDocuments.forEach((doc) => void checkAndRun(doc, force).catch(fail));

  context.subscriptions.push(
    diagnostics,
    status,
    { dispose: () => states.forEach((s) => clearTimeout(s.timer)) },
    { dispose: () => void pool?.dispose() },
    vscode.workspace.onDidOpenNotebookDocument((doc) => void checkAndRun(doc).catch(fail)),
    vscode.workspace.onDidSaveNotebookDocument((doc) => void checkAndRun(doc).catch(fail)),
    vscode.workspace.onDidChangeNotebookDocument((e) => schedule(e.notebook)),
    vscode.workspace.onDidCloseNotebookDocument((doc) => {
      const s = states.get(doc.uri.toString());
      if (!s) return;
      clearTimeout(s.timer);
      for (const { uri } of s.published.values()) diagnostics.delete(uri);
      states.delete(doc.uri.toString());
      updateStatus();
    }),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (!e.affectsConfiguration('nbcheck')) return;
      if (e.affectsConfiguration('nbcheck.device') || e.affectsConfiguration('nbcheck.cudaProvidersPath')) resetRuntime();
      recheckAll(false);
    }),
    vscode.commands.registerCommand('nbcheck.checkNotebook', async () => {
      const doc = vscode.window.activeNotebookEditor?.notebook;
      if (!doc) {
        void vscode.window.showInformationMessage('nbcheck: open a Jupyter notebook to check it.');
        return;
      }
      await checkAndRun(doc, true).catch(fail);
    }),
    vscode.commands.registerCommand('nbcheck.installGpu', () => installGpu().catch(fail)),
    vscode.commands.registerCommand('nbcheck.nextProblem', () => nextProblem().catch(fail)),
    vscode.commands.registerCommand('nbcheck.exportReport', (target?: vscode.Uri) => exportReport(target).catch(fail)),
    vscode.window.onDidChangeActiveNotebookEditor((editor) => {
      updateStatus();
      const s = editor ? states.get(editor.notebook.uri.toString()) : undefined;
      if (editor && s?.report) panel.update(editor.notebook, s.report.notebook, s.report);
    }),
    vscode.window.registerWebviewViewProvider(ExamPanel.viewId, panel, { webviewOptions: { retainContextWhenHidden: false } }),
    vscode.languages.registerCodeActionsProvider({ notebookType: 'jupyter-notebook' }, new NbcheckActions(), { providedCodeActionKinds: NbcheckActions.kinds }),
    ...registerFixCommands(),
    vscode.commands.registerCommand('nbcheck.showPanel', () => vscode.commands.executeCommand(`${ExamPanel.viewId}.focus`)),
    vscode.commands.registerCommand('nbcheck.showGraph', (cell?: vscode.NotebookCell) => showGraph(cell).catch(fail)),
    vscode.workspace.onDidGrantWorkspaceTrust(() => recheckAll(false)),
  );
  /** "Show Computational Graph": the cell given (a cell's menu), else the active notebook's selected cell. */
  async function showGraph(cell?: vscode.NotebookCell): Promise<void> {
    const editor = vscode.window.activeNotebookEditor;
    const doc = cell?.notebook ?? editor?.notebook;
    const index = cell?.index ?? editor?.selection.start;
    if (!doc || index === undefined) {
      void vscode.window.showInformationMessage('nbcheck: select a cell of a Jupyter notebook to draw its computational graph.');
      return;
    }
    await slow('nbcheck: drawing the computational graph', panel.showCellGraph(doc, readNotebook(doc), index));
  }

  // Notebooks already open (activation by a command or the panel): checked after activation returns, which
  // VS Code awaits before it opens a notebook.
  setImmediate(() => recheckAll(false));
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
