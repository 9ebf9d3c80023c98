/**
 * Runs fuzz cases in a child process with a per-case watchdog: a case that runs past `limitMs` is a hang; the
 * child is killed and the cases after it run in a fresh one. A check is synchronous, so only another process
 * can stop one that never ends.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import type { FuzzOutcome } from './fuzz';

export interface FuzzSummary {
  readonly outcomes: FuzzOutcome[];
  readonly hangs: string[];
}

export async function runFuzz(seed: number, n: number, limitMs: number, onOutcome: (o: FuzzOutcome) => void = () => undefined, maxRun = 20_000): Promise<FuzzSummary> {
  const outcomes: FuzzOutcome[] = [];
  const hangs: string[] = [];
  let from = 0;
  while (from < n) {
    from = await new Promise<number>((resolve) => {
      const child = spawn(process.execPath, [join(__dirname, 'fuzz-child.js'), String(seed), String(n), String(from), String(maxRun)], { stdio: ['ignore', 'pipe', 'pipe'] });
      let buffer = '';
      let current: { k: number; id: string } | undefined;
      let timer: NodeJS.Timeout | undefined;
      let next = from;
      child.stdout.on('data', (d: Buffer) => {
        buffer += d.toString('utf8');
        let nl: number;
        while ((nl = buffer.indexOf('\n')) >= 0) {
          const line = JSON.parse(buffer.slice(0, nl)) as { start?: number; id?: string; done?: number; outcome?: FuzzOutcome };
          buffer = buffer.slice(nl + 1);
          if (line.start !== undefined) {
            current = { k: line.start, id: line.id as string };
            clearTimeout(timer);
            timer = setTimeout(() => child.kill('SIGKILL'), limitMs);
          } else if (line.outcome) {
            clearTimeout(timer);
            outcomes.push(line.outcome);
            onOutcome(line.outcome);
            next = (line.done as number) + 1;
            current = undefined;
          }
        }
      });
      child.on('exit', () => {
        clearTimeout(timer);
        if (current) {
          hangs.push(current.id);
          resolve(current.k + 1);
        } else resolve(next >= n ? n : next);
      });
    });
  }
  return { outcomes, hangs };
}
