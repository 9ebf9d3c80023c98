/**
 * What VS Code reads from the manifest must match what the code does: the settings name the check groups
 * and packs the core has, and every finding code has an explanation for its diagnostic link.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { BUILTIN_PACKS } from '../../src/core/assignment/match';
import { CHECK_GROUPS } from '../../src/core/check';
import { FINDING_CODES } from '../../src/core/findings';
import { ROOT } from '../helpers';

interface Manifest {
  activationEvents: string[];
  contributes: {
    commands: { command: string; title: string; category?: string }[];
    configuration: { properties: Record<string, { type: string; enum?: string[]; enumDescriptions?: string[]; default: unknown }> };
  };
}
const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as Manifest;
const props = manifest.contributes.configuration.properties;

describe('the extension manifest', () => {
  it('has one on/off setting per check group, all on by default', () => {
    const groups = Object.keys(props).filter((k) => k.startsWith('nbcheck.checks.')).map((k) => k.slice('nbcheck.checks.'.length));
    assert.deepEqual(groups.sort(), Object.keys(CHECK_GROUPS).sort());
    for (const g of groups) assert.equal(props[`nbcheck.checks.${g}`]?.default, true);
  });

  it('offers auto, none and every built-in pack for nbcheck.pack, each described', () => {
    const pack = props['nbcheck.pack'];
    assert.deepEqual(pack?.enum, ['auto', 'none', ...BUILTIN_PACKS.map((p) => p.id)]);
    assert.equal(pack?.enumDescriptions?.length, pack?.enum?.length);
    assert.equal(pack?.default, 'auto');
  });

  it('puts every command in the nbcheck category, with an activation event', () => {
    for (const c of manifest.contributes.commands) {
      assert.equal(c.category, 'nbcheck', c.command);
      assert.ok(manifest.activationEvents.includes(`onCommand:${c.command}`), c.command);
    }
    assert.ok(manifest.activationEvents.includes('onNotebook:jupyter-notebook'));
  });

  it('explains every finding code in docs/findings.md (the diagnostics link there)', () => {
    const headings = readFileSync(join(ROOT, 'docs', 'findings.md'), 'utf8')
      .split('\n')
      .flatMap((l) => /^## `([\w.-]+)`\s*$/.exec(l)?.[1] ?? []);
    assert.deepEqual([...headings].sort(), Object.keys(FINDING_CODES).sort());
  });
});
