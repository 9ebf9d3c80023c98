/**
 * Math as Jupyter shows it: JupyterLab and Notebook 7 typeset markdown cells with MathJax 3 (mathjax-full's
 * TeX input with all its packages and `require`, `$`/`$$`/`\(`/`\[` delimiters and environments). nbcheck
 * runs the same TeX input on each formula, without the `noerrors` and `noundefined` packages so that what
 * Jupyter would show as red source text or a red command name is reported as the error it is. Loaded on
 * first use; only the input side (no fonts, no output).
 */

import { boundedMemo } from './memo';

interface TexError {
  readonly id: string;
  readonly message: string;
}

interface Converter {
  convert(tex: string, options: { display: boolean; end: number }): unknown;
}

let converter: { convert: (tex: string, display: boolean, macros: Readonly<Record<string, string>>) => void } | undefined;

/* eslint-disable @typescript-eslint/no-require-imports */
function load(): NonNullable<typeof converter> {
  if (converter) return converter;
  const { mathjax } = require('mathjax-full/js/mathjax.js') as { mathjax: { document(doc: string, options: object): Converter } };
  const { TeX } = require('mathjax-full/js/input/tex.js') as { TeX: new (options: object) => object };
  const { AllPackages } = require('mathjax-full/js/input/tex/AllPackages.js') as { AllPackages: string[] };
  const { liteAdaptor } = require('mathjax-full/js/adaptors/liteAdaptor.js') as { liteAdaptor: () => unknown };
  const { RegisterHTMLHandler } = require('mathjax-full/js/handlers/html.js') as { RegisterHTMLHandler: (adaptor: unknown) => void };
  const { STATE } = require('mathjax-full/js/core/MathItem.js') as { STATE: { COMPILED: number } };
  RegisterHTMLHandler(liteAdaptor());
  // `bussproofs` needs an output jax to measure boxes; proof trees do not occur in these notebooks.
  const packages = AllPackages.filter((p) => !['noerrors', 'noundefined', 'bussproofs'].includes(p));
  // One document per set of notebook macros (MathJax keeps `\newcommand`s made while typesetting).
  const documents = new Map<string, Converter>();
  converter = {
    convert(tex, display, macros) {
      const key = JSON.stringify(macros);
      let doc = documents.get(key);
      if (!doc) {
        // JupyterLab loads every package up front, so its `\\require{…}` loads nothing new: here it expands to nothing.
        const defined = { require: ['', 1], ...Object.fromEntries(Object.entries(macros).map(([name, body]) => [name.slice(1), [body, argumentCount(body)]])) };
        const input = new TeX({ packages, macros: defined, formatError: (_jax: unknown, err: TexError) => { throw err; } });
        doc = mathjax.document('', { InputJax: input });
        if (documents.size > 16) documents.clear();
        documents.set(key, doc);
      }
      doc.convert(tex, { display, end: STATE.COMPILED });
    },
  };
  return converter;
}
/* eslint-enable @typescript-eslint/no-require-imports */

function argumentCount(body: string): number {
  let n = 0;
  for (const m of body.matchAll(/#(\d)/g)) n = Math.max(n, Number(m[1]));
  return n;
}

const verdicts = boundedMemo<string | undefined>(20_000);

/** MathJax's error for this formula as Jupyter would typeset it, or undefined when it renders. */
export function mathjaxError(tex: string, display: boolean, macros: Readonly<Record<string, string>>): string | undefined {
  return verdicts(`${display ? 'D' : 'I'}${JSON.stringify(macros)}\u0000${tex}`, () => {
    try {
      load().convert(tex, display, macros);
      return undefined;
    } catch (e) {
      const err = e as Partial<TexError>;
      if (typeof err.id === 'string' && typeof err.message === 'string') return err.message;
      // MathJax's own code failing on its input (a lone surrogate half): in Jupyter the formula does not render
      // either, since the same code runs there.
      if (e instanceof TypeError || e instanceof RangeError) return `MathJax stops on this formula with an internal error (${e.message}); a character it cannot handle, such as half of a surrogate pair, is in it`;
      throw e;
    }
  });
}
