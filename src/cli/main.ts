/**
 * `nbcheck`: the command line over the core. Exit codes: 0 no error findings, 1 error findings,
 * 2 an input could not be read or the command line is wrong. Never a stack trace for bad input.
 */
import { terminalSafe } from '../core/report/terminal';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { setFlagsFromString } from 'node:v8';
import { join } from 'node:path';
import { checkNotebook, checkStatic, forAudience, judgeReport, mergeRun, type Audience, type NotebookReport } from '../core/check';
import type { StudentOptIn } from '../core/assignment/types';
import { InputError } from '../core/errors';
import { readNotebook } from '../core/notebook/reader';
import { toJson } from '../core/report/json';
import { toSarif } from '../core/report/sarif';
import { toText } from '../core/report/text';
import { toHtml } from '../core/report/html';
import { CUDA_HELP, type DeviceRequest } from '../core/engine/runtime';
import { installCudaProviders, useExistingProviders } from '../core/engine/gpu-setup';
import { CUDA_PACKAGE, configuredRegistry, installFromRegistry } from '../core/engine/gpu-npm';
import { gatherDoctor, nextSteps } from '../core/engine/doctor';
import { WorkerPool, stopFinding } from '../core/worker/pool';
import { GraphUsageError, parseGraphOptions, runGraph } from './graph';

declare const NBCHECK_VERSION: string;
const VERSION = typeof NBCHECK_VERSION === 'string' ? NBCHECK_VERSION : '0.0.0-dev';

const USAGE = `Usage: nbcheck check <notebook.ipynb | folder>... [options]
       nbcheck graph --expr '<latex of f(x,y)>' --at x=1,y=2 [--format json|svg|dot]
       nbcheck graph --notebook <notebook.ipynb> --cell N [--format json|svg|dot]
       nbcheck exec <program.py> [--device auto|cpu|cuda|webgpu] [--memory-limit MiB]
       nbcheck install-gpu [--source npm|nuget] [--registry <url>] [--from <folder>]
       nbcheck doctor [--device auto|cuda|webgpu] [--format text|json]

check        Checks the answers in Jupyter notebooks: which questions are answered, points still
             attainable, math that will not render, pasted math, images, saved errors.
graph        The computational graph of a function written in LaTeX (atomic units: +, ×, square,
             square root, exp, ln, sin, cos, tan, constants) with its values, forward-mode tangents,
             reverse-mode adjoints and Jacobian at the point; or the traced graph of a code cell
             (cells are numbered from 0, as in check's output). Default format: json.
exec         Runs a program in nbcheck's Python subset (PyTorch through onnxruntime, no Python needed)
             and prints the tensors and numbers it leaves bound, as JSON.
install-gpu  Installs onnxruntime 1.29's CUDA provider (CUDA 13, cuDNN 9) from the npm registry npm is
             configured for (com.github.asus4.onnxruntime.linux-x64-gpu@0.4.9, its sha512 checked); with
             --source nuget, onnxruntime-node's own installer (CUDA 12); --from copies an existing install.
doctor       What the GPU route needs and what this machine has: the NVIDIA driver, the CUDA libraries
             (versions, folders), the CUDA provider, the device a run would use and why, what to do next.

Options:
  --format text|json|sarif|html   output format (default: text; html is a self-contained report)
  --exit-zero                exit 0 even when there are error findings (for demos and dashboards)
  --color / --no-color       colour the text output (default: when writing to a terminal)
  --no-run                   do not run exercise code (static checks only)
  --device auto|cpu|cuda|webgpu
                             where exercise code runs (default: auto = CUDA, else WebGPU, else the CPU)
  --memory-limit MiB         memory for the process that runs student code (default 1024); code that
                             needs more, or runs one step past its time budget, is stopped with a finding
  --audience student|grader  who reads the report (default: student): graders also see the rubric's
                             ideas and integrity signals (JSON always carries every finding, marked)
  --students-see rubric,integrity
                             show students these too (when the course allows it)
  -h, --help                 show this help
  -v, --version              show the version

Exit status: 0 no errors found, 1 errors found, 2 an input could not be read.
A folder is searched for .ipynb files (checkpoints skipped).
`;

type Format = 'text' | 'json' | 'sarif' | 'html';

interface Options {
  readonly inputs: string[];
  readonly format: Format;
  readonly exitZero: boolean;
  readonly color: boolean;
  readonly run: boolean;
  readonly device: DeviceRequest;
  /** The V8 heap cap of the processes that run student code, in MiB. */
  readonly memoryMiB: number;
  readonly audience: Audience;
  readonly studentsSee: readonly StudentOptIn[];
}

class UsageError extends Error {}

export interface Io {
  readonly out: (s: string) => void;
  readonly err: (s: string) => void;
  readonly isTty: boolean;
}

export async function main(argv: readonly string[], io: Io): Promise<number> {
  try {
    const [command, ...rest] = argv;
    if (command === undefined || command === '-h' || command === '--help' || command === 'help') {
      io.out(USAGE);
      return command === undefined ? 2 : 0;
    }
    if (command === '-v' || command === '--version') {
      io.out(`nbcheck ${VERSION}\n`);
      return 0;
    }
    if (command === 'exec') return await runExec(rest, io);
    if (command === 'install-gpu') return await runInstallGpu(rest, io);
    if (command === 'doctor') return await runDoctor(rest, io);
    if (command === 'graph') {
      const o = parseGraphOptions(rest, deviceOption);
      if (o === 'help') {
        io.out(USAGE);
        return 0;
      }
      return await runGraph(o, io);
    }
    if (command !== 'check') throw new UsageError(`unknown command "${command}"; the commands are check, graph, exec, install-gpu and doctor`);
    const options = parseOptions(rest, io);
    if (options === 'help') {
      io.out(USAGE);
      return 0;
    }
    return await runCheck(options, io);
  } catch (e) {
    if (e instanceof UsageError || e instanceof GraphUsageError) {
      io.err(`nbcheck: ${e.message}\nRun "nbcheck --help" for usage.\n`);
      return 2;
    }
    io.err(`nbcheck: internal error: ${terminalSafe((e as Error).message)} (please report this with the notebook that caused it)\n`);
    return 2;
  }
}

function parseOptions(args: readonly string[], io: Io): Options | 'help' {
  const inputs: string[] = [];
  let format: Format = 'text';
  let exitZero = false;
  let color = io.isTty && !process.env['NO_COLOR'];
  let run = true;
  let device: DeviceRequest = 'auto';
  let memoryMiB = DEFAULT_MEMORY_MIB;
  let audience: Audience = 'student';
  let studentsSee: StudentOptIn[] = [];
  const value = (a: string, i: number): [string | undefined, number] => (a.includes('=') ? [a.slice(a.indexOf('=') + 1), i] : [args[i + 1], i + 1]);
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '-h' || a === '--help') return 'help';
    if (a === '--audience' || a.startsWith('--audience=')) {
      const [v, next] = value(a, i);
      i = next;
      if (v !== 'student' && v !== 'grader') throw new UsageError(`--audience must be student or grader${v === undefined ? '' : `, not "${v}"`}`);
      audience = v;
    } else if (a === '--students-see' || a.startsWith('--students-see=')) {
      const [v, next] = value(a, i);
      i = next;
      const list = (v ?? '').split(',').map((x) => x.trim()).filter(Boolean);
      const bad = list.find((x) => x !== 'rubric' && x !== 'integrity');
      if (!list.length || bad !== undefined) throw new UsageError(`--students-see takes rubric, integrity or both (comma-separated)${bad ? `, not "${bad}"` : ''}`);
      studentsSee = list as StudentOptIn[];
    } else if (a === '--exit-zero') exitZero = true;
    else if (a === '--no-run') run = false;
    else if (a === '--memory-limit' || a.startsWith('--memory-limit=')) {
      const [v, next] = value(a, i);
      i = next;
      memoryMiB = memoryOption(v);
    } else if (a === '--device') device = deviceOption(args[++i]);
    else if (a.startsWith('--device=')) device = deviceOption(a.slice('--device='.length));
    else if (a === '--color') color = true;
    else if (a === '--no-color') color = false;
    else if (a === '--format' || a.startsWith('--format=')) {
      const value = a === '--format' ? args[++i] : a.slice('--format='.length);
      if (value !== 'text' && value !== 'json' && value !== 'sarif' && value !== 'html') {
        throw new UsageError(`--format must be text, json, sarif or html${value === undefined ? '' : `, not "${value}"`}`);
      }
      format = value;
    } else if (a.startsWith('-') && a !== '-') throw new UsageError(`unknown option "${a}"`);
    else inputs.push(a);
  }
  if (inputs.length === 0) throw new UsageError('no notebook given');
  return { inputs, format, exitZero, color, run, device, memoryMiB, audience, studentsSee };
}

async function runCheck(o: Options, io: Io): Promise<number> {
  const reports: NotebookReport[] = [];
  let unreadable = false;
  /** Runs `step`; an unreadable input is reported on its own line and the run goes on. */
  const readable = async (step: () => Promise<void> | void): Promise<void> => {
    try {
      await step();
    } catch (e) {
      if (!(e instanceof InputError)) throw e;
      io.err(`nbcheck: ${terminalSafe(e.toString())}\n`);
      unreadable = true;
    }
  };
  // Student code runs in worker processes (src/core/worker): whatever it does, this process lives on and reports.
  const pool = o.run ? new WorkerPool({ setup: { device: o.device }, size: Math.min(2, availableParallelism()), heapMiB: o.memoryMiB }) : undefined;
  let deviceError: string | undefined;
  try {
    const pending: Promise<void>[] = [];
    for (const input of o.inputs) {
      await readable(async () => {
        for (const path of expand(input)) {
          await readable(() => {
            const nb = readNotebook(path);
            if (!pool) {
              reports.push(checkNotebook(nb, { notRun: { kind: 'off', reason: '--no-run' } }));
              return;
            }
            const { report, match } = checkStatic(nb, {});
            const at = reports.push(judgeReport(report)) - 1;
            if (!match) return;
            pending.push(pool.run({ kind: 'exercises', notebook: nb }).then((r) => {
              if (!r.ok && r.stop.reason === 'device') deviceError = r.stop.message;
              reports[at] = mergeRun(report, r.ok ? r.value : { findings: [stopFinding(r.stop)], verified: [] });
            }));
          });
        }
      });
    }
    await Promise.all(pending);
  } finally {
    await pool?.dispose();
  }
  if (deviceError) {
    io.err(`nbcheck: ${deviceError}\n`);
    return 2;
  }
  // JSON carries every finding, each marked with its audience; the other formats show what the audience sees.
  const shown = reports.map((r) => forAudience(r, { audience: o.audience, studentsSee: o.studentsSee }));
  if (reports.length > 0 || o.format !== 'text') {
    if (o.format === 'json') io.out(toJson(reports));
    else if (o.format === 'sarif') io.out(toSarif(shown, VERSION));
    else if (o.format === 'html') io.out(toHtml(shown, VERSION));
    else io.out(toText(shown, { color: o.color }));
  }
  // Said once, after the report, whatever the format (JSON has it as `run.fallback` too).
  const fallback = reports.find((r) => r.run?.fallback)?.run?.fallback;
  if (fallback) io.err(`nbcheck: exercise code ran on the CPU because CUDA is not available: ${fallback}. To use the GPU, ${CUDA_HELP}.\n`);
  if (unreadable) return 2;
  const errors = shown.some((r) => r.findings.some((f) => f.severity === 'error'));
  return errors && !o.exitZero ? 1 : 0;
}

/** A file as given; a folder replaced by the notebooks under it, sorted. Unreadable paths pass through. */
function expand(input: string): string[] {
  let isDir = false;
  try {
    isDir = statSync(input).isDirectory();
  } catch {
    // reported by the reader, with the reason
  }
  if (!isDir) return [input];
  const found = walk(input);
  if (found.length === 0) throw new InputError(input, 'is a folder with no .ipynb notebooks in it');
  return found;
}

function walk(dir: string): string[] {
  const out: string[] = [];
  const entries = readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name));
  for (const e of entries) {
    if (e.name === '.ipynb_checkpoints' || e.name === 'node_modules' || e.name.startsWith('.')) continue;
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...walk(p));
    else if (e.name.endsWith('.ipynb')) out.push(p);
  }
  return out;
}

function deviceOption(value: string | undefined): DeviceRequest {
  if (value !== 'auto' && value !== 'cpu' && value !== 'cuda' && value !== 'webgpu') {
    throw new UsageError(`--device must be auto, cpu, cuda or webgpu${value === undefined ? '' : `, not "${value}"`}`);
  }
  return value;
}

/** The default heap cap of a worker: student code that needs more is stopped with a finding. */
const DEFAULT_MEMORY_MIB = 1024;

function memoryOption(value: string | undefined): number {
  const n = Number(value);
  if (!value || !Number.isInteger(n) || n < 64 || n > 65536) throw new UsageError(`--memory-limit takes a size in MiB from 64 to 65536${value === undefined ? '' : `, not "${value}"`}`);
  return n;
}

async function runExec(args: readonly string[], io: Io): Promise<number> {
  let device: DeviceRequest = 'auto';
  let memoryMiB = DEFAULT_MEMORY_MIB;
  const files: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '-h' || a === '--help') {
      io.out(USAGE);
      return 0;
    }
    if (a === '--memory-limit') memoryMiB = memoryOption(args[++i]);
    else if (a.startsWith('--memory-limit=')) memoryMiB = memoryOption(a.slice('--memory-limit='.length));
    else if (a === '--device') device = deviceOption(args[++i]);
    else if (a.startsWith('--device=')) device = deviceOption(a.slice('--device='.length));
    else if (a.startsWith('-') && a !== '-') throw new UsageError(`unknown option "${a}"`);
    else files.push(a);
  }
  if (files.length !== 1) throw new UsageError(files.length ? 'exec takes one program' : 'no program given');
  const file = files[0]!;
  let source: string;
  try {
    if (statSync(file).isDirectory()) throw new InputError(file, 'is a folder, not a program');
    source = readFileSync(file, 'utf8');
  } catch (e) {
    if (e instanceof InputError) io.err(`nbcheck: ${terminalSafe(e.toString())}\n`);
    else io.err(`nbcheck: ${terminalSafe(file)}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : terminalSafe((e as Error).message)}\n`);
    return 2;
  }
  // The program runs in a worker process: an allocation without bound or a crash is a finding, not this process's end.
  const pool = new WorkerPool({ setup: { device }, heapMiB: memoryMiB });
  let outcome;
  try {
    outcome = await pool.run({ kind: 'exec', source }, (s) => io.err(s));
  } finally {
    await pool.dispose();
  }
  if (!outcome.ok) {
    if (outcome.stop.reason === 'device') {
      io.err(`nbcheck: ${outcome.stop.message}\n`);
      return 2;
    }
    const where = outcome.stop.line !== undefined ? { line: outcome.stop.line + 1 } : {};
    io.out(`${JSON.stringify({ device: 'unknown', error: { message: outcome.stop.message, ...where } }, null, 2)}\n`);
    return 1;
  }
  const { device: deviceName, fallback, variables, problem } = outcome.value;
  if (fallback) io.err(`nbcheck: running on the CPU because CUDA is not available: ${fallback}. To use the GPU, ${CUDA_HELP}.\n`);
  if (problem?.kind === 'device') {
    io.err(`nbcheck: ${problem.message}\n`);
    return 2;
  }
  if (problem) {
    const where = problem.span ? { line: problem.span.start.line + 1, column: problem.span.start.character + 1 } : {};
    const prefix = problem.kind === 'unsupported' ? 'not supported by nbcheck: ' : problem.type ? `${problem.type}: ` : '';
    const message = prefix + problem.message.replace(/ is not supported$/, problem.kind === 'unsupported' ? '' : ' is not supported');
    io.out(`${JSON.stringify({ device: deviceName, error: { message, ...where } }, null, 2)}\n`);
    return 1;
  }
  io.out(`${JSON.stringify({ device: deviceName, ...(fallback ? { fallback } : {}), variables: variables ?? {} }, null, 2)}\n`);
  return 0;
}

async function runInstallGpu(args: readonly string[], io: Io): Promise<number> {
  let from: string | undefined;
  let source: 'npm' | 'nuget' = 'npm';
  let registry: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    const value = (name: string): string | undefined => (a === name ? args[++i] : a.startsWith(`${name}=`) ? a.slice(name.length + 1) : undefined);
    if (a === '--from' || a.startsWith('--from=')) from = value('--from');
    else if (a === '--registry' || a.startsWith('--registry=')) {
      registry = value('--registry');
      if (!registry || !/^https?:\/\//.test(registry)) throw new UsageError(`--registry takes an http(s) URL${registry ? `, not "${registry}"` : ''}`);
    } else if (a === '--source' || a.startsWith('--source=')) {
      const v = value('--source');
      if (v !== 'npm' && v !== 'nuget') throw new UsageError(`--source must be npm or nuget${v === undefined ? '' : `, not "${v}"`}`);
      source = v;
    } else if (a === '-h' || a === '--help') {
      io.out(USAGE);
      return 0;
    } else throw new UsageError(`unknown argument "${a}"`);
  }
  if (from !== undefined) {
    const r = useExistingProviders(from);
    (r.ok ? io.out : io.err)(`nbcheck: ${r.message}\n`);
    return r.ok ? 0 : 1;
  }
  if (source === 'nuget') {
    io.err('nbcheck: running onnxruntime-node\'s installer (ONNXRUNTIME_NODE_INSTALL=cuda12)...\n');
    const r = await installCudaProviders((line) => io.err(`  ${line}\n`));
    (r.ok ? io.out : io.err)(`nbcheck: ${r.message}\n`);
    return r.ok ? 0 : 1;
  }
  const url = registry ?? configuredRegistry();
  io.err(`nbcheck: fetching ${CUDA_PACKAGE.name}@${CUDA_PACKAGE.version} from ${url} ...\n`);
  let shown = -1;
  const r = await installFromRegistry({
    registry: url,
    progress: ({ done, total }) => {
      const step = total ? Math.floor((10 * done) / total) : Math.floor(done / 20e6);
      if (step === shown) return;
      shown = step;
      io.err(total ? `  ${step * 10}% of ${(total / 1e6).toFixed(0)} MB\n` : `  ${(done / 1e6).toFixed(0)} MB\n`);
    },
  });
  (r.ok ? io.out : io.err)(`nbcheck: ${r.message}\n`);
  return r.ok ? 0 : 1;
}

async function runDoctor(args: readonly string[], io: Io): Promise<number> {
  let device: DeviceRequest = 'auto';
  let format: 'text' | 'json' = 'text';
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '--device') device = deviceOption(args[++i]);
    else if (a.startsWith('--device=')) device = deviceOption(a.slice('--device='.length));
    else if (a === '--format' || a.startsWith('--format=')) {
      const v = a === '--format' ? args[++i] : a.slice('--format='.length);
      if (v !== 'text' && v !== 'json') throw new UsageError(`--format must be text or json${v === undefined ? '' : `, not "${v}"`}`);
      format = v;
    } else if (a === '-h' || a === '--help') {
      io.out(USAGE);
      return 0;
    } else throw new UsageError(`unknown argument "${a}"`);
  }
  const report = gatherDoctor();
  // The device is found as a check would find it: in a worker, with the library path it gets.
  const pool = new WorkerPool({ setup: { device } });
  let run: { device: string; fallback?: string; error?: string };
  try {
    const r = await pool.run({ kind: 'probe' });
    run = r.ok ? r.value : { device: 'none', error: r.stop.message };
  } finally {
    await pool.dispose();
  }
  const next = nextSteps(report, run.device);
  if (format === 'json') {
    io.out(`${JSON.stringify({ ...report, run, next }, null, 2)}\n`);
  } else {
    const lib = (what: string): string => {
      const found = report.libraries.filter((l) => l.what === what);
      return found.map((l) => (l.folder ? `${l.file}${l.version && l.version !== l.file.split('.so.')[1] ? ` ${l.version}` : ''} in ${l.folder}` : `${l.file} not found`)).join('; ');
    };
    const lines = [
      'nbcheck doctor: can exercise code run on the GPU here?',
      `  platform          ${report.platform}`,
      `  onnxruntime-node  ${report.onnxruntime.version ?? 'not installed'}${report.onnxruntime.folder ? ` (${report.onnxruntime.folder})` : ''}`,
      `  NVIDIA driver     ${report.driver ?? 'not loaded (no /proc/driver/nvidia/version)'}; ${lib('NVIDIA driver')}`,
      `  CUDA runtime      ${lib('CUDA runtime')}`,
      `  cuBLAS            ${lib('cuBLAS')}`,
      `  cuRAND            ${lib('cuRAND')}`,
      `  cuDNN             ${lib('cuDNN')}`,
      `  CUDA provider     ${report.provider.installed ? `installed${report.provider.unresolved?.length ? `, but the loader cannot find ${report.provider.unresolved.join(', ')}` : report.provider.unresolved ? ', every library it needs resolves' : ''}` : 'not installed'}`,
      `  library path      ${report.libraryPath || '(none found)'}`,
      `  WebGPU            bundled with onnxruntime-node; ${report.vulkan ? 'the Vulkan loader is installed' : 'needs Vulkan: libvulkan.so.1 is not installed'}`,
      `  a run would use   ${run.device === 'none' ? `nothing: ${run.error ?? 'the device cannot be used'}` : run.device}${run.fallback ? `, because ${run.fallback}` : ''}`,
      ...(next.length ? ['', 'Next:', ...next.map((s, i) => `  ${i + 1}. ${s}`)] : ['', 'The GPU route has everything it needs.']),
    ];
    io.out(`${lines.join('\n')}\n`);
  }
  return run.device === 'none' ? 1 : 0;
}

if (require.main === module) {
  // A one-shot process: tree-sitter's wasm stays on V8's baseline compiler. Tiering it up would compile
  // the whole grammar with TurboFan on background threads, taking the CPU from onnxruntime's start-up for
  // longer than any parse here takes (measured: ~150 ms of a 500 ms check). The extension host, which
  // lives long, keeps V8's defaults.
  setFlagsFromString('--liftoff-only');
  void main(process.argv.slice(2), {
    out: (s) => process.stdout.write(s),
    err: (s) => process.stderr.write(s),
    isTty: Boolean(process.stdout.isTTY),
  }).then((code) => {
    process.exitCode = code;
  });
}
