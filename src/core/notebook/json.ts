/**
 * A strict JSON parser (RFC 8259) that reports syntax errors with a 1-based line and column, and records
 * where selected string literals sit in the file so findings can be mapped back to the `.ipynb` text
 * (SARIF needs file positions, not cell positions).
 */

export class JsonSyntaxError extends Error {
  constructor(
    readonly reason: string,
    readonly offset: number,
    readonly line: number,
    readonly column: number,
  ) {
    super(`${reason} at line ${line}, column ${column}`);
  }
}

/** Where one JSON string literal sits in the file: offset of its opening quote, and its raw text. */
export interface StringSpan {
  readonly start: number;
  readonly raw: string;
}

export type JsonPath = readonly (string | number)[];

export interface ParseOptions {
  /** Called for every string value; return true to have its span recorded under `path.join('.')`. */
  readonly recordString?: (path: JsonPath) => boolean;
}

export interface ParseResult {
  readonly value: unknown;
  readonly spans: ReadonlyMap<string, StringSpan>;
}

const WS = new Set([0x20, 0x09, 0x0a, 0x0d]);

export function parseJson(text: string, options: ParseOptions = {}): ParseResult {
  const spans = new Map<string, StringSpan>();
  const path: (string | number)[] = [];
  let i = 0;

  const fail = (reason: string, at = i): never => {
    const { line, column } = lineColumn(text, at);
    throw new JsonSyntaxError(reason, at, line, column);
  };
  const describe = (at: number): string =>
    at >= text.length ? 'end of file' : `${JSON.stringify(text[at])}`;
  const skipWs = (): void => {
    while (i < text.length && WS.has(text.charCodeAt(i))) i++;
  };

  const parseString = (): string => {
    const start = i;
    i++; // opening quote
    let out = '';
    for (;;) {
      if (i >= text.length) fail('unterminated string', start);
      const c = text.charCodeAt(i);
      if (c === 0x22) break;
      if (c < 0x20) fail('control character in string (write it as an escape such as \\n)');
      if (c === 0x5c) {
        const e = text[i + 1];
        const simple: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };
        if (e !== undefined && e in simple) {
          out += simple[e];
          i += 2;
        } else if (e === 'u') {
          const hex = text.slice(i + 2, i + 6);
          if (!/^[0-9a-fA-F]{4}$/.test(hex)) fail('invalid \\u escape in string');
          out += String.fromCharCode(parseInt(hex, 16));
          i += 6;
        } else {
          fail(`invalid escape \\${e ?? ''} in string`);
        }
      } else {
        // A run of plain characters is copied in one slice.
        let k = i + 1;
        while (k < text.length) {
          const d = text.charCodeAt(k);
          if (d === 0x22 || d === 0x5c || d < 0x20) break;
          k++;
        }
        out += text.slice(i, k);
        i = k;
      }
    }
    i++; // closing quote
    if (options.recordString?.(path)) spans.set(path.join('.'), { start, raw: text.slice(start, i) });
    return out;
  };

  const parseNumber = (): number => {
    const m = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i, i + 64));
    if (!m) fail(`unexpected ${describe(i)}`);
    i += m![0].length;
    return Number(m![0]);
  };

  const parseValue = (): unknown => {
    skipWs();
    const c = text[i];
    if (c === '{') return parseObject();
    if (c === '[') return parseArray();
    if (c === '"') return parseString();
    if (c === '-' || (c !== undefined && c >= '0' && c <= '9')) return parseNumber();
    for (const [word, value] of [['true', true], ['false', false], ['null', null]] as const) {
      if (text.startsWith(word, i)) {
        i += word.length;
        return value;
      }
    }
    return fail(`expected a value but found ${describe(i)}`);
  };

  const parseArray = (): unknown[] => {
    i++;
    const out: unknown[] = [];
    skipWs();
    if (text[i] === ']') {
      i++;
      return out;
    }
    for (;;) {
      path.push(out.length);
      out.push(parseValue());
      path.pop();
      skipWs();
      if (text[i] === ',') {
        i++;
        continue;
      }
      if (text[i] === ']') {
        i++;
        return out;
      }
      fail(`expected ',' or ']' in array but found ${describe(i)}`);
    }
  };

  const parseObject = (): Record<string, unknown> => {
    i++;
    const out: Record<string, unknown> = {};
    skipWs();
    if (text[i] === '}') {
      i++;
      return out;
    }
    for (;;) {
      skipWs();
      if (text[i] !== '"') fail(`expected a property name in double quotes but found ${describe(i)}`);
      const key = parseString();
      skipWs();
      if (text[i] !== ':') fail(`expected ':' after property name but found ${describe(i)}`);
      i++;
      path.push(key);
      const value = parseValue();
      path.pop();
      Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
      skipWs();
      if (text[i] === ',') {
        i++;
        continue;
      }
      if (text[i] === '}') {
        i++;
        return out;
      }
      fail(`expected ',' or '}' in object but found ${describe(i)}`);
    }
  };

  if (text.charCodeAt(0) === 0xfeff) i = 1; // a UTF-8 byte-order mark is tolerated
  skipWs();
  if (i >= text.length) fail('the file is empty');
  const value = parseValue();
  skipWs();
  if (i < text.length) fail(`unexpected ${describe(i)} after the end of the JSON value`);
  return { value, spans };
}

export function lineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let k = 0; k < offset && k < text.length; k++) {
    if (text.charCodeAt(k) === 0x0a) {
      line++;
      lineStart = k + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}

/**
 * Offset in the file of the character at `index` of a string literal's decoded value (`index` may equal
 * the decoded length: the closing quote).
 */
export function rawOffsetOf(span: StringSpan, index: number): number {
  let decoded = 0;
  let k = 1; // after the opening quote
  while (decoded < index && k < span.raw.length - 1) {
    if (span.raw[k] === '\\') k += span.raw[k + 1] === 'u' ? 6 : 2;
    else k++;
    decoded++;
  }
  return span.start + k;
}
