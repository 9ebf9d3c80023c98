/** The notebook reader: nbformat 4 of any minor, sources as strings or lists, outputs and attachments. */
import assert from 'node:assert/strict';
import { InputError } from '../../src/core/errors';
import { lineColumn, parseJson, rawOffsetOf } from '../../src/core/notebook/json';
import { parseNotebook } from '../../src/core/notebook/reader';
import { filePosition } from '../../src/core/report/file-position';

describe('notebook reader', () => {
  it('reads nbformat 4.0 to 4.5, with list and string sources, outputs and attachments', () => {
    for (const minor of [0, 1, 2, 3, 4, 5]) {
      const nb = parseNotebook(
        JSON.stringify({
          nbformat: 4,
          nbformat_minor: minor,
          metadata: {},
          cells: [
            { cell_type: 'markdown', metadata: {}, source: ['# Title\n', 'text'], attachments: { 'a.png': { 'image/png': '' } } },
            { cell_type: 'code', metadata: {}, source: 'x = 1', outputs: [{ output_type: 'error', ename: 'ValueError', evalue: 'bad', traceback: [] }], execution_count: 1 },
            { cell_type: 'raw', metadata: {}, source: '' },
          ],
        }),
        'x.ipynb',
      );
      assert.equal(nb.nbformatMinor, minor);
      assert.deepEqual(nb.cells.map((c) => [c.kind, c.source]), [['markdown', '# Title\ntext'], ['code', 'x = 1'], ['raw', '']]);
      assert.deepEqual(nb.cells[0]!.attachments, ['a.png']);
      assert.deepEqual(nb.cells[1]!.outputs, [{ kind: 'error', ename: 'ValueError', evalue: 'bad', traceback: [] }]);
    }
  });
  it('rejects a cell with an unknown type, naming the cell', () => {
    const text = JSON.stringify({ nbformat: 4, nbformat_minor: 5, metadata: {}, cells: [{ cell_type: 'markdown', source: '' }, { cell_type: 'heading', source: '' }] });
    assert.throws(() => parseNotebook(text, 'n.ipynb'), (e: unknown) => e instanceof InputError && e.toString() === 'n.ipynb: cell 1 has "cell_type" "heading"; expected "markdown", "code" or "raw"');
  });
  it('rejects a newer nbformat', () => {
    assert.throws(() => parseNotebook('{"nbformat": 5, "cells": []}', 'n.ipynb'), /nbformat 5 is newer/);
  });
  it('does not let a "__proto__" key change the object', () => {
    const v = parseJson('{"__proto__": {"polluted": true}, "a": 1}').value as Record<string, unknown>;
    assert.equal(({} as Record<string, unknown>)['polluted'], undefined);
    assert.equal(Object.getPrototypeOf(v), Object.prototype);
  });
});

describe('positions in the file', () => {
  it('JSON syntax errors carry 1-based line and column', () => {
    assert.throws(() => parseJson('{\n  "a": tru\n}'), (e: unknown) => (e as { line: number; column: number }).line === 2 && (e as { column: number }).column === 8);
    assert.deepEqual(lineColumn('ab\ncd', 4), { line: 2, column: 2 });
  });
  it('an offset in a decoded string maps to the raw file, escapes included', () => {
    const text = '["a\\"b\\u00e9c"]';
    const { spans } = parseJson(text, { recordString: () => true });
    const span = spans.get('0')!;
    assert.equal(text.slice(rawOffsetOf(span, 3), rawOffsetOf(span, 4)), '\\u00e9'); // é, written as an escape
    assert.equal(text[rawOffsetOf(span, 4)], 'c');
  });
  it('a cell position maps into the file across the pieces of a list source', () => {
    const text = '{"nbformat": 4, "nbformat_minor": 5, "metadata": {},\n "cells": [{"cell_type": "markdown", "metadata": {},\n  "source": ["line one\\n",\n             "say \\"hi\\" $\\\\foo$"]}]}';
    const nb = parseNotebook(text, 'n.ipynb');
    const at = filePosition(nb, 0, { line: 1, character: 10 })!; // the backslash of \foo
    const fileLine = text.split('\n')[at.line - 1]!;
    assert.equal(fileLine.slice(at.column - 1, at.column + 4), '\\\\foo');
  });
});
