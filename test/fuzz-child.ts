/** The fuzzer's child process: runs cases [from, n) of a seed and prints one JSON line per case as it starts and ends. */
import { fuzzCases, runCase } from './fuzz';

const [seed, n, from, maxRun] = process.argv.slice(2).map(Number) as [number, number, number, number];
const cases = fuzzCases(seed, n, maxRun || undefined);
for (let k = from; k < cases.length; k++) {
  const c = cases[k]!;
  process.stdout.write(`${JSON.stringify({ start: k, id: c.id })}\n`);
  process.stdout.write(`${JSON.stringify({ done: k, outcome: runCase(c) })}\n`);
}
