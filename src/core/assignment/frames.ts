/**
 * Claims as relations between concepts, read from a sentence by the signs its words give them.
 *
 * A catalogue's regular expressions read one wording of a claim; students write the same claim in many. A
 * frame reads the claim itself: "more parameters reduce over-fitting", "the fewer weights, the more it
 * overfits", "params ↑ → overfitting ↓" and "a small model is the one that overfits" all put a sign on the
 * number of parameters and the opposite sign on over-fitting. A frame names its concepts (each a small
 * synonym table, matched on word stems and, for long words, with one typo) and the sign the claim gives their
 * product; a sentence asserts it when some reading of one of its segments gives that sign and none gives the
 * opposite.
 *
 * How a sentence is read (all of it English, none of it exam-specific):
 *   - mentions: the frame's concepts' phrases (longest first); a phrase may carry a sign of its own
 *     (`vae | gan:-`: a VAE and a GAN are the two sides of one concept);
 *   - directions: words that raise (more, increase, doubles, ↑), lower (fewer, reduce, prevent, halves, ↓) or
 *     keep (same, unchanged, constant) what they attach to: the next mention within three words when nothing
 *     stops it (an adjective or a transitive verb: "more parameters", "reduces over-fitting"), else the one
 *     before it within five ("over-fitting goes down");
 *   - negations (not, no, never, without, cannot) flip the direction or mention that follows them;
 *   - a comparison ("than", "compared to", "unlike", "instead of", "rather than") flips the sign of the
 *     mention after it: "a CNN has more weights than an MLP" and "an MLP has fewer weights than a CNN" read
 *     the same;
 *   - segments end at sentence ends, semicolons and contrasts (but, whereas, while, however, although): a
 *     reading never joins the two sides of a contrast.
 * A mention's value is its sign × its direction (+1 when none is written, unless the slot asks for one with
 * `!`; 0 for "same"); a reading's value is the product over the frame's slots.
 *
 * Notation (pack data, one string per frame): `slot slot … => +` or `=> -`, each slot a concept name, `!`
 * after it when the claim needs a direction written on it, `@` when it is context that directions pass over; `~name` names a concept whose mention in the
 * segment sets the frame aside (a condition such as "with a summed loss"), unless it is what the claim is likened to
 * ("exactly as with hard labels"); `slot^name` sets a reading aside when name is mentioned in that slot's own clause; `&name` is a concept
 * the segment must mention. Concepts: `phrase | phrase:-`,
 * each phrase words separated by spaces, a word ending in `*` a prefix.
 */

export interface Frame {
  readonly source: string;
  /** `unlessNear`: concepts whose mention in the slot's own clause sets the reading aside (`grad!^cost`). */
  readonly slots: readonly { readonly concept: Concept; readonly needsDirection: boolean; readonly context: boolean; readonly unlessNear: readonly Concept[] }[];
  readonly unless: readonly Concept[];
  /** Concepts the segment must mention besides the slots (not read for signs). */
  readonly requires: readonly Concept[];
  readonly sign: 1 | -1;
  /** The slots' mentions must lie close together (eight words, no comma or clause word such as "and", "so", "because" between). */
  readonly near: boolean;
  /** Every concept of the table the frame was written with: two of one concept joined by "and" are a list, not two clauses. */
  readonly kinds: () => readonly Concept[];
}

interface Word {
  readonly text: string;
  readonly prefix: boolean;
  /** Whether a whole word may also match with one typo (a concept's words; not the grammar's: "through" is not "though"). */
  readonly typo: boolean;
}
interface Phrase {
  readonly words: readonly Word[];
  readonly sign: 1 | -1;
}
interface Concept {
  readonly name: string;
  readonly phrases: readonly Phrase[];
}

/** A word's stem: the same for "increases", "increased", "increasing" and "increase". */
export function stem(word: string): string {
  let w = word.replace(/['’]s$/, '');
  if (w.length <= 4) return w;
  for (const [end, by] of [['ingly', ''], ['edly', ''], ['ing', ''], ['ied', 'y'], ['ies', 'y'], ['ed', ''], ['es', ''], ['s', ''], ['e', ''], ['ly', '']] as const) {
    if (w.endsWith(end) && w.length - end.length >= 3 && !(end === 's' && w.endsWith('ss'))) {
      w = w.slice(0, w.length - end.length) + by;
      break;
    }
  }
  return w;
}

/** Whether a and b differ by at most one edit (substitution, insertion, deletion or swap of neighbours). */
function oneEdit(a: string, b: string): boolean {
  if (a === b) return true;
  if (Math.abs(a.length - b.length) > 1) return false;
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  if (a.length === b.length) return a.slice(i + 1) === b.slice(i + 1) || (a[i] === b[i + 1] && a[i + 1] === b[i] && a.slice(i + 2) === b.slice(i + 2));
  return a.length > b.length ? a.slice(i + 1) === b.slice(i) : a.slice(i) === b.slice(i + 1);
}

function wordMatches(w: Word, token: Token): boolean {
  if (w.prefix) {
    if (token.text.startsWith(w.text)) return true;
    // One typo in a long prefix ("overfiting", "paramters").
    return w.text.length >= 6 && token.text.length >= w.text.length && (oneEdit(token.text.slice(0, w.text.length), w.text) || oneEdit(token.text.slice(0, w.text.length + 1), w.text) || oneEdit(token.text.slice(0, w.text.length - 1), w.text));
  }
  return token.stem === w.text || (w.typo && w.text.length >= 6 && token.stem.length >= 5 && oneEdit(token.stem, w.text));
}

function parseWords(phrase: string, typo = true): Word[] {
  return phrase
    .trim()
    .split(/\s+/)
    .filter(Boolean)
    // A `*` alone is the multiplication sign, not an empty prefix (which would match any word).
    .map((t) => (t.endsWith('*') && t.length > 1 ? { text: t.slice(0, -1).toLowerCase(), prefix: true, typo } : { text: stem(t.toLowerCase()), prefix: false, typo }));
}

function parseConcept(name: string, source: string): Concept {
  const phrases = source.split('|').map((raw) => {
    const m = /^(.*?)(?::([+-]))?$/.exec(raw.trim()) as RegExpExecArray;
    const words = parseWords(m[1] as string);
    if (!words.length) throw new Error(`empty phrase in concept ${name}: "${source}"`);
    return { words, sign: m[2] === '-' ? -1 : 1 } as Phrase;
  });
  // Longest phrases first, so that "number of parameters" wins over "parameters".
  return { name, phrases: phrases.sort((a, b) => b.words.length - a.words.length) };
}

/** A compiler of frames over a pack's concepts (`frames(concepts)('params overfit => -')`). */
export function frames(concepts: Readonly<Record<string, string>>): (source: string) => Frame {
  const table = new Map<string, Concept>();
  const concept = (name: string, frame: string): Concept => {
    let c = table.get(name);
    if (!c) {
      const src = concepts[name];
      if (src === undefined) throw new Error(`unknown concept ${name} in frame "${frame}"`);
      c = parseConcept(name, src);
      table.set(name, c);
    }
    return c;
  };
  let every: Concept[] | undefined;
  const kinds = (): readonly Concept[] => (every ??= Object.keys(concepts).map((name) => concept(name, '')));
  return (source) => {
    const m = /^(.*)=>\s*([+-])\s*(?:(near)\s*)?$/.exec(source);
    if (!m) throw new Error(`a frame ends with "=> +" or "=> -" (and "near" if its concepts must be close): "${source}"`);
    const slots: { concept: Concept; needsDirection: boolean; context: boolean; unlessNear: Concept[] }[] = [];
    const unless: Concept[] = [];
    const requires: Concept[] = [];
    for (const part of (m[1] as string).trim().split(/\s+/).filter(Boolean)) {
      const s = /^([~&]?)([\w.-]+)([!@]?)((?:\^[\w.-]+)*)$/.exec(part);
      if (!s) throw new Error(`bad slot "${part}" in frame "${source}"`);
      if (s[1] === '~') unless.push(concept(s[2] as string, source));
      else if (s[1] === '&') requires.push(concept(s[2] as string, source));
      else slots.push({ concept: concept(s[2] as string, source), needsDirection: s[3] === '!', context: s[3] === '@', unlessNear: (s[4] as string).split('^').filter(Boolean).map((n) => concept(n, source)) });
    }
    if (!slots.length) throw new Error(`a frame needs at least one concept: "${source}"`);
    return { source, slots, unless, requires, sign: m[2] === '-' ? -1 : 1, near: !!m[3], kinds };
  };
}

// ---------------------------------------------------------------------------------------------- reading

interface Token {
  readonly text: string;
  readonly stem: string;
}

/** Words (code identifiers such as `model.eval()` and `torch.no_grad()` whole, `1-p` whole) and the marks that stop a reading. */
const TOKEN = /[\p{L}\p{N}_]+(?:[.\-][\p{L}\p{N}_]+)*(?:\(\))?|[,;:()—–/*]|\s-\s|[=×÷√∝≈]/gu;

function tokenize(plain: string): Token[] {
  // A contraction's negation is a word of its own ("doesn't" → "does not"; "can't" → "cannot").
  const text = plain.replace(/\bcan['’]t\b/gi, 'cannot').replace(/\bwon['’]t\b/gi, 'will not').replace(/n['’]t\b/gi, ' not');
  return [...text.matchAll(TOKEN)].map((m) => {
    const text = m[0].trim().toLowerCase();
    return { text, stem: stem(text) };
  });
}

const compile = (words: string): Word[][] => words.split('|').map((w) => parseWords(w, false));

/** Directions: what raises, what lowers, what keeps. Written once for every frame. */
const UP = compile(
  'more | many | lot | lots | increase* | add | added | adding | larger | bigger | higher | greater | large | big | high | huge | grow* | rise* | rising | raise* | raising | double* | doubling | twice | two times | gain* | boost* | extra | additional | heavier | expand* | explod* | go up | goes up | went up | up | blow* up | inflat* | enlarg* | amplif* | stronger | better | × 2 | * 2 | = true',
);
const DOWN = compile(
  'smooth* out | wash* out | less | lesser | fewer | few | reduc* | decreas* | smaller | small | lower | low | little | shrink* | drop | drops | dropping | fall* | halv* | half | prevent* | avoid* | mitigat* | lessen* | cut* | go down | goes down | went down | off | limit* | remov* | fight* | combat* | divid* | disabl* | stop* | eliminat* | suppress* | vanish* | turn* off | switch* off | get rid of | gets rid of | no longer | weaker | worse | lack* | solv* | fix* | overcom* | cure* | zero | / 2 | ÷ 2 | * 0.5 | × 0.5 | resistant to | robust to | immune to | protect* against | safe from | = false',
);
const KEEP = compile('same | unchanged | constant | stay* | remain* | keep* | kept | unaffected | identical | independent of | does not change | do not change | not change | fixed size | as before');
const NEGATE = compile('no need | not | no | never | without | non | cannot | neither | nor | none | nothing | nobody | hardly* | barely*');
/** Negations of everything after them in the segment ("it is not true that …"). */
const NEGATE_ALL = compile('it is not the | it is not a | it is not an | not true that | not the case that | no longer the case that | no longer true that | false that | wrong that | wrong to say | incorrect to say | a misconception that | a myth that | a mistake to think | wrong to think | not correct that');
/** Negations of what comes before them in their clause ("hyperbolas are impossible"). */
const NEGATE_BEFORE = compile('impossible | not possible | ruled out | excluded | cannot happen | never happens | is wrong | is false | is incorrect | is untrue');
const NOT_NEGATING = compile('not only | not just | not merely | no_grad | no grad | no doubt | no matter | nothing beyond | nothing but | nothing more than | nothing other than | nothing except | nothing else than | no more than');
const FLIP = compile('than | compared to | compared with | unlike | instead of | rather than | vs | versus | as opposed to | relative to | in comparison to | in contrast to');
/**
 * What likens the claim to something ("the same way as in training"), or says the subject is it ("it is still a
 * linear classifier"): a blocker right after it supports the claim.
 */
const SIMILAR = compile('it is a | it is still a | it is just a | is still a | is just a | is simply a | same as | same way as | exactly as | just as | just like | like in | as in | as with | like with | like for | as for | as it does in | as they do in | as during | like during | exactly like | identical to | similar to | as usual | like');

/** Whether token `at` comes within three words after a likening phrase. */
function afterSimilar(toks: readonly Token[], at: number): boolean {
  return findAll(SIMILAR, toks.slice(0, at), toks.slice(0, at).map(() => false)).some((f) => at - f.end <= 3);
}

/** Where a segment ends: a reading never joins what is on either side. */
const CONTRAST = compile('but | whereas | while | however | although | though | yet | on the other hand | in contrast | otherwise | ;');
/** What stops a direction or a negation from reaching further. */
const STOP = new Set([',', ':', '(', ')', '—', '–', '-', '=', 'and', 'so', 'because', 'since', 'as', 'which', 'that', 'who', 'whose', 'when', 'where', 'if', 'then', 'therefore', 'thus', 'hence', 'or', 'than', 'unlike', 'versus', 'vs']);
/** Words not counted in distances. */
const LIGHT = new Set(['the', 'a', 'an', 'its', 'their', 'our', 'this', 'these', 'those', 'is', 'are', 'be', 'been', 'being', 'was', 'were', 'will', 'would', 'can', 'could', 'should', 'must', 'may', 'gets', 'get', 'got', 'very', 'much', 'far', 'way', 'even', 'still', 'also', 'actually', 'just', 'really', 'quite', 'too', 'of', 'in', 'to', 'by', 'it', 'they', 'has', 'have', 'had', 'does', 'do', 'did', 'number', 'amount', 'size', 'count', 'times']);

function matchAt(words: readonly Word[], toks: readonly Token[], at: number): number {
  let j = at;
  for (const w of words) {
    // A determiner may sit inside a phrase ("number of the parameters").
    while (j < toks.length && words.length > 1 && j > at && ['the', 'a', 'an', 'its', 'their'].includes((toks[j] as Token).text) && w.text !== (toks[j] as Token).text) j++;
    const t = toks[j];
    if (!t || !wordMatches(w, t)) return -1;
    j++;
  }
  return j;
}

function findAll(lexicon: readonly (readonly Word[])[], toks: readonly Token[], taken: readonly boolean[]): { at: number; end: number }[] {
  const out: { at: number; end: number }[] = [];
  const sorted = [...lexicon].sort((a, b) => b.length - a.length);
  for (let i = 0; i < toks.length; i++) {
    if (taken[i]) continue;
    for (const words of sorted) {
      const end = matchAt(words, toks, i);
      if (end > i && !taken.slice(i, end).some(Boolean)) {
        out.push({ at: i, end });
        i = end - 1;
        break;
      }
    }
  }
  return out;
}

interface Mention {
  readonly slot: number;
  /** A context slot (`@`): directions pass over it ("at inference dropout is turned off" says nothing of inference). */
  readonly context: boolean;
  readonly at: number;
  readonly end: number;
  sign: number;
  direction?: number;
  /** Where its direction is written. */
  directionAt?: number;
  directionDistance: number;
  flipped: boolean;
  /** The clause negations whose scope holds it. */
  readonly scopes: Set<number>;
}

/** Distance in counted words between token positions a < b, or Infinity when a stop lies between. */
function distance(toks: readonly Token[], a: number, b: number): number {
  let d = 0;
  for (let i = a; i < b; i++) {
    const t = (toks[i] as Token).text;
    // An aside in parentheses ("#params (same input) more") is stepped over.
    if (t === '(') {
      let close = i + 1;
      while (close < b && !['(', ')'].includes((toks[close] as Token).text)) close++;
      if (close < b && (toks[close] as Token).text === ')') {
        i = close;
        continue;
      }
    }
    if (STOP.has(t)) return Infinity;
    if (!LIGHT.has(t)) d++;
  }
  return d;
}

const CLAUSE_WORDS = new Set([...STOP].filter((t) => !['(', ')'].includes(t)));
/**
 * Whether mentions lie within eight counted words of each other, no comma or clause word between; `lists`, the
 * "and"s that join two things of one kind ("dropout and BatchNorm"), do not count as clause words.
 */
function close(toks: readonly Token[], ms: readonly Mention[], lists: ReadonlySet<number>): boolean {
  const sorted = [...ms].sort((a, b) => a.at - b.at);
  for (let i = 1; i < sorted.length; i++) {
    const from = (sorted[i - 1] as Mention).end;
    const between = toks.slice(from, (sorted[i] as Mention).at).map((t) => t.text);
    // An arrow alone between two mentions joins them ("model.eval() → requires_grad off"), as does an arrow right
    // after the first, a code line's colon before it ("`with torch.no_grad():` ⇒ dropout goes to eval mode").
    if (between.length === 1 && between[0] === 'so') continue;
    const arrow = between[0] === 'so' ? 1 : between[0] === ':' && between[1] === 'so' ? 2 : 0;
    const rest = between.slice(arrow).filter((t, k) => !lists.has(from + arrow + k));
    if ((arrow === 2 && !/\(\)$/.test(toks[from - 1]?.text ?? '')) || rest.some((t) => CLAUSE_WORDS.has(t)) || rest.filter((t) => !LIGHT.has(t)).length > 8) return false;
  }
  return true;
}

/** The "and", "or" and "/" between two things of one kind ("dropout and BatchNorm", "mean and variance"). */
function listJoins(toks: readonly Token[], kinds: readonly Concept[]): Set<number> {
  const out = new Set<number>();
  toks.forEach((t, i) => {
    if (!['and', 'or', '/'].includes(t.text)) return;
    for (const c of kinds) {
      const ends = c.phrases.some((p) => p.words.length <= i && matchAt(p.words, toks, i - p.words.length) === i);
      if (ends && c.phrases.some((p) => matchAt(p.words, toks, i + 1) > i + 1)) {
        out.add(i);
        return;
      }
    }
  });
  return out;
}

/** Verbs that raise or lower an object: with an object of their own they say nothing of a mention before them. */
const TRANSITIVE = compile('lack* | prevent* | avoid* | remov* | fix* | solv* | eliminat* | cure* | overcom* | fight* | combat* | suppress* | mitigat* | disabl* | stop* | reduc* | increase* | add | adds | boost* | get rid of | gets rid of');

/** Adjectives that raise or lower: before a word of their own they qualify it. */
const ADJECTIVES = new Set(['same', 'identical', 'more', 'many', 'few', 'fewer', 'less', 'lesser', 'larger', 'bigger', 'higher', 'greater', 'large', 'big', 'high', 'huge', 'small', 'smaller', 'lower', 'low', 'little', 'extra', 'additional', 'heavier', 'stronger', 'better', 'weaker', 'worse', 'lot', 'lots']);

/** Prepositions: an adjective before one ("better for long inputs") is predicated, not qualifying. */
const PREPOSITIONS = new Set(['for', 'at', 'on', 'with', 'from', 'about', 'into', 'over', 'under', 'across', 'between', 'per', 'than', 'in', 'to', 'of']);

/** Whether token i is a content word of its own: not light, not a stop, no mention or direction or negation. */
function isWord(toks: readonly Token[], i: number, mentions: readonly Mention[], items: readonly { at: number; end: number }[]): boolean {
  const t = toks[i];
  // An adverb ("overfits more easily", "more often") is not a word the adjective could qualify.
  return !!t && !LIGHT.has(t.text) && !STOP.has(t.text) && !PREPOSITIONS.has(t.text) && !/ly$|^often$/.test(t.text) && !mentions.some((m) => m.at <= i && i < m.end) && !items.some((d) => d.at <= i && i < d.end);
}

/**
 * Whether m's direction is not part of this reading: m and the other mention stand in one noun phrase that the
 * direction is outside of ("it fixes the blurry GAN samples": the GAN's samples are blurry, and something else
 * fixes them), the other mention having no direction of its own.
 */
function inPhrase(toks: readonly Token[], m: Mention, c: readonly Mention[]): boolean {
  if (m.direction === undefined || m.directionAt === undefined || c.length !== 2) return false;
  const other = c.find((o) => o !== m) as Mention;
  // A pronoun is a subject of its own, never inside a noun phrase ("it turns the gradients off").
  if ([m, other].some((x) => REFERRING.has(toks[x.at]?.text ?? ''))) return false;
  // A comparison ("parameters compared to fully connected networks") is not one noun phrase; nor is a context the
  // claim is made in ("with torch.no_grad(): the dropout layers stop dropping").
  if (other.direction !== undefined || other.flipped || m.flipped || other.context) return false;
  const [lo, hi] = other.at < m.at ? [other, m] : [m, other];
  const between = distance(toks, lo.end, hi.at);
  // A direction before the phrase acts on it as a whole ("fixes the blurry GAN samples"); one after it says what the
  // phrase is ("the conv's number of parameters is independent of H, W"), and is the pair's.
  return between <= 3 && m.directionAt < lo.at;
}

/** Relative clauses (", which …", "RNNs that …") up to the next comma or mark, with the mention they describe. */
function relativeClauses(toks: readonly Token[], mentions: readonly Mention[]): { from: number; to: number; antecedent: Mention }[] {
  const out: { from: number; to: number; antecedent: Mention }[] = [];
  toks.forEach((t, i) => {
    if (!['which', 'who', 'that', 'whose', 'where'].includes(t.text)) return;
    const at = toks[i - 1]?.text === ',' ? i - 1 : i;
    // What it is about: the mention right before it, or with its head noun between ("a fully connected layer, whose …").
    const antecedent = [...mentions].reverse().find((m) => m.end <= at && at - m.end <= 1);
    if (!antecedent) return;
    let to = i + 1;
    while (to < toks.length && ![',', ';', ':', '(', ')', '—', '–', '-'].includes((toks[to] as Token).text)) to++;
    out.push({ from: i + 1, to, antecedent });
  });
  return out;
}

/** The values the frame's readings of one segment take. */
function readings(frame: Frame, toks: readonly Token[], referentOf: () => Referent | undefined): Set<number> {
  const taken = toks.map(() => false);
  const mentions: Mention[] = [];
  // The longest phrase first, whichever slot's it is ("full gradient" is the likening, not the gradient).
  const phrases = frame.slots.flatMap((slot, index) => slot.concept.phrases.map((phrase) => ({ slot, index, phrase })));
  phrases.sort((a, b) => b.phrase.words.length - a.phrase.words.length);
  for (const { slot, index, phrase } of phrases) {
    for (const f of findAll([phrase.words], toks, taken)) {
      for (let i = f.at; i < f.end; i++) taken[i] = true;
      mentions.push({ slot: index, context: slot.context, at: f.at, end: f.end, sign: phrase.sign, directionDistance: Infinity, flipped: false, scopes: new Set() });
    }
  }
  // A slot the segment does not name may be the subject pronoun whose referent the sentence before named
  // ("Dropout zeroes units. In the backward pass they still get their gradient."): "it" or "they" among the
  // segment's first words, before any mention.
  // "These" and "those" stand alone before a verb's light word ("these can be treated as constants").
  // A subject: first in its segment, or after a comma or light words only ("so they", "in the end, it").
  // Or after an opening phrase of time or place ("at test time it …", "in the backward pass they …").
  const lead = (i: number): boolean =>
    i === 0 || toks[i - 1]?.text === ',' || toks.slice(0, i).every((t) => LIGHT.has(t.text) || LEADS.has(t.text)) || (OPENERS.has(toks[0]?.text ?? '') && !toks.slice(0, i).some((t) => STOP.has(t.text)));
  // A demonstrative or possessive with a noun of its own stands for it too ("This layer has …", "Such a net
  // over-fits …", "Its cost grows …", "these two can be …"); "this" before a light word ("this is why …") is the
  // event before, not a thing.
  const content = (i: number): boolean => !!toks[i] && !LIGHT.has((toks[i] as Token).text) && !STOP.has((toks[i] as Token).text) && !taken[i];
  const refers = (t: Token, i: number): boolean =>
    PRONOUNS.has(t.text) ||
    (['these', 'those'].includes(t.text) && (LIGHT.has(toks[i + 1]?.text ?? '') || content(i + 1))) ||
    (['this', 'its', 'their'].includes(t.text) && content(i + 1)) ||
    (t.text === 'such' && ['a', 'an'].includes(toks[i + 1]?.text ?? '') && content(i + 2));
  const subject = toks.findIndex((t, i) => i < 6 && lead(i) && refers(t, i));
  // Not when something the frame reads stands before it: its referent may be that ("at inference it is the identity").
  const carried = subject >= 0 && !taken[subject] && !mentions.some((m) => m.at < subject) ? referentOf() : undefined;
  if (carried) {
    taken[subject] = true;
    const slot = frame.slots[carried.slot] as Frame['slots'][number];
    mentions.push({ slot: carried.slot, context: slot.context, at: subject, end: subject + 1, sign: carried.sign, directionDistance: Infinity, flipped: false, scopes: new Set() });
  }
  // A pronoun subject of a later clause stands for the first clause's subject ("model.eval() puts the net in
  // inference mode, and it also stops the gradients"): the segment's first mention, before any clause word.
  mentions.sort((a, b) => a.at - b.at);
  // Not a mention inside an opening phrase ("with a batch of 2B the step size …, i.e. it gets halved": the step size).
  const opens = OPENERS.has(toks[0]?.text ?? '') && mentions.length > 1 && !toks.slice(0, (mentions[1] as Mention).at).some((t) => CLAUSE_WORDS.has(t.text));
  const first = mentions[opens ? 1 : 0];
  if (first && !toks.slice(0, first.at).some((t) => CLAUSE_WORDS.has(t.text))) {
    toks.forEach((t, i) => {
      // A possessive with its own noun too ("…, so its outputs are blurry").
      const possessive = ['its', 'their'].includes(t.text) && !!toks[i + 1] && !LIGHT.has((toks[i + 1] as Token).text) && !STOP.has((toks[i + 1] as Token).text) && !taken[i + 1];
      if (i <= first.end || taken[i] || !(PRONOUNS.has(t.text) || possessive) || !['and', ',', 'since', 'because', 'so', 'as', 'thus', 'hence', 'therefore', 'i.e'].includes(toks[i - 1]?.text ?? '')) return;
      taken[i] = true;
      mentions.push({ ...first, at: i, end: i + 1, directionDistance: Infinity, flipped: false, scopes: new Set() });
    });
  }
  if (frame.slots.some((_, i) => !mentions.some((m) => m.slot === i))) return new Set();
  mentions.sort((a, b) => a.at - b.at);
  for (const f of findAll(NOT_NEGATING, toks, taken)) for (let i = f.at; i < f.end; i++) taken[i] = true;
  const relative = relativeClauses(toks, mentions);
  // Comparisons flip the mention after them, unless a relative clause says what it does ("unlike RNNs, which
  // cannot …": the clause is about RNNs as they are).
  for (const f of findAll(FLIP, toks, taken)) {
    for (let i = f.at; i < f.end; i++) taken[i] = true;
    // What is compared with may carry a phrase of its own ("than an MLP with many more weights").
    let next = mentions.find((m) => m.at >= f.end && distance(toks, f.end, m.at) <= (toks.slice(f.end, m.at).some((t) => t.text === 'with') ? 5 : 3));
    // "X vs Y" compares like with like ("CNN vs MLP"); "cost vs length" is a cost as a function of the length.
    if (next && ['vs', 'versus'].includes((toks[f.at] as Token).text) && !mentions.some((m) => m.slot === next?.slot && m.end <= f.at && distance(toks, m.end, f.at) <= 1)) next = undefined;
    if (next && !next.flipped && !relative.some((r) => r.antecedent === next)) {
      next.sign = -next.sign;
      next.flipped = true;
    } else if (!next || distance(toks, f.end, next.at) > 1) {
      // What is compared with, not a mention itself, described by a relative clause ("less likely to overfit than
      // the CNN, whose few parameters force it to memorise"): the clause's mentions are said of it.
      const noun = toks.findIndex((t, i) => i >= f.end && !LIGHT.has(t.text));
      const opener = noun >= 0 && noun - f.end <= 3 ? (toks[noun + 1]?.text === ',' ? noun + 2 : noun + 1) : -1;
      if (opener > 0 && !mentions.some((m) => m.at <= noun && noun < m.end) && ['which', 'whose', 'that', 'who', 'where'].includes(toks[opener]?.text ?? '')) {
        let to = opener + 1;
        while (to < toks.length && ![',', ';', ':', '(', ')', '—', '–', '-'].includes((toks[to] as Token).text)) to++;
        for (const m of mentions) if (m.at > opener && m.at < to && !m.flipped) [m.sign, m.flipped] = [-m.sign, true];
      }
    }
  }
  /** The mentions joined to m by "and", "or", "nor" or a comma right after it. */
  const conjoined = (m: Mention): Mention[] => {
    const out: Mention[] = [];
    let last = m;
    for (;;) {
      const next = mentions.find((n) => n.at >= last.end);
      const between = next ? toks.slice(last.end, next.at).map((t) => t.text).filter((t) => !LIGHT.has(t)) : [];
      if (!next || between.length !== 1 || !['and', 'or', 'nor', ','].includes(between[0] as string)) return out;
      out.push(next);
      last = next;
    }
  };
  // Whole-clause negations first: "it is no longer the case that …" is not a direction ("no longer").
  const whole = findAll(NEGATE_ALL, toks, taken);
  const post = findAll(NEGATE_BEFORE, toks, taken);
  for (const n of [...whole, ...post]) for (let i = n.at; i < n.end; i++) taken[i] = true;
  type Item = { at: number; end: number; value: number; kind: 'direction' | 'negation' };
  const items: Item[] = [];
  for (const [lexicon, value] of [[KEEP, 0], [UP, 1], [DOWN, -1]] as const) {
    for (const f of findAll(lexicon, toks, taken)) {
      // "a fixed amount of data", "the fixed size": an adjective, not a repair.
      if (toks[f.at]?.text === 'fixed' && f.end - f.at === 1 && (['a', 'an', 'the', 'with', 'of'].includes(toks[f.at - 1]?.text ?? '') || ['amount', 'number', 'size', 'set', 'budget', 'length'].includes(toks[f.end]?.text ?? ''))) continue;
      for (let i = f.at; i < f.end; i++) taken[i] = true;
      items.push({ ...f, value, kind: 'direction' });
    }
  }
  whole.forEach((n, k) => mentions.forEach((m) => m.at >= n.end && m.scopes.add(1000 + k)));
  post.forEach((n, k) => mentions.forEach((m) => m.end <= n.at && Number.isFinite(distance(toks, m.end, n.at)) && m.scopes.add(2000 + k)));
  const negations = findAll(NEGATE, toks, taken);
  // A negation right before a direction flips it ("does not reduce"); "without" flips what follows it closely
  // ("without dropout"); any other negates its clause from there on ("does not put dropout or BatchNorm into
  // eval mode"), counted once in a reading that has a mention in its scope; with nothing after it, the
  // mention right before it ("the gradient does not").
  negations.forEach((n, id) => {
    const direction = items.filter((d) => d.kind === 'direction' && d.at >= n.end).sort((a, b) => a.at - b.at)[0];
    const mention = mentions.find((m) => m.at >= n.end);
    const dd = direction ? distance(toks, n.end, direction.at) : Infinity;
    const dm = mention ? distance(toks, n.end, mention.at) : Infinity;
    if (direction && dd <= 1 && dd <= dm) direction.value = -direction.value;
    // "no" before a noun of its own that a mention qualifies negates that noun ("no encoder in the GAN"), not the
    // mention; before the subject of a verb, the clause ("no units are dropped").
    else if ((toks[n.at] as Token).text === 'no' && isWord(toks, n.end, mentions, items) && PREPOSITIONS.has(toks[n.end + 1]?.text ?? '')) return;
    else if ((toks[n.at] as Token).text === 'without') {
      if (mention && dm <= 2) for (const c of [mention, ...conjoined(mention)]) c.sign = -c.sign;
    } else if (mention && dm <= 3) {
      for (const m of mentions) if (m.at >= n.end && Number.isFinite(distance(toks, n.end, m.at))) m.scopes.add(id);
    } else if (!['a', 'an'].includes(toks[n.end]?.text ?? '') && !((toks[n.at] as Token).text === 'no' && !STOP.has(toks[n.end]?.text ?? ',') && !LIGHT.has(toks[n.end]?.text ?? ','))) {
      // Else the mention right before it ("the gradient does not", "the optimizer is not changed"), unless it
      // negates a noun of its own ("… is not a problem", "inference: no dropout").
      // Not across a subject of its own ("as if the mask was not there": the mask, not the likening).
      const before = [...mentions].reverse().find((m) => m.end <= n.at && distance(toks, m.end, n.at) <= 3);
      const subject = before && toks.slice(before.end, n.at - 1).some((t, k) => ['the', 'a', 'an', 'its', 'their'].includes(t.text) && isWord(toks, before.end + k + 1, mentions, items));
      if (before && !subject) before.scopes.add(id);
    }
  });
  // A direction attaches to the nearer of the next mention (within three words) and the one before it (within
  // five): "more parameters", "reduces over-fitting", "over-fitting goes down"; on a tie, the next.
  for (const d of items) {
    // A verb's direction does not reach across "by" ("divide by B": B is the divisor, not what is lowered); a
    // comparative's does ("captured better by an LSTM").
    const verb = d.end - d.at === 1 && !ADJECTIVES.has((toks[d.at] as Token).text) && !/er$/.test((toks[d.at] as Token).text);
    const next = verb && toks[d.end]?.text === 'by' ? undefined : mentions.find((m) => m.at >= d.end && !m.context);
    let dn = next ? distance(toks, d.end, next.at) : Infinity;
    // A comparative right before "than" reaches what it is compared with ("remembers it better than a transformer
    // does": the transformer, its sign flipped by "than", does worse).
    if (toks[d.end]?.text === 'than' && next?.flipped && distance(toks, d.end + 1, next.at) <= 3) dn = 1;
    const before = [...mentions].reverse().find((m) => m.end <= d.at && !m.context);
    // Notes write a result after an arrow, read as "so" ("instability → solved", "lr → halved"): right after the
    // mention, it is that mention's direction.
    const arrow = before && d.at === before.end + 1 && toks[before.end]?.text === 'so';
    const db = before ? (arrow ? 0 : distance(toks, before.end, d.at)) : Infinity;
    let target: Mention | undefined;
    let dist = Infinity;
    // Both in reach and only one of them a quantity the claim needs a direction on ("the number of parameters
    // is bigger in the CNN"): that one.
    const needs = (m: Mention): boolean => frame.slots[m.slot]?.needsDirection === true;
    // An adjective before a word of its own ("the few important tokens") qualifies that word, not a mention behind it.
    // Nor does a verb before an object of its own ("GAN lacks an encoder", "it removes the noise").
    const object = TRANSITIVE.some((words) => matchAt(words, toks, d.at) === d.end) && (['a', 'an', 'the', 'any', 'its', 'their'].includes(toks[d.end]?.text ?? '') || isWord(toks, d.end, mentions, items));
    // A quantity before "of" and a word of its own ("half of the neurons are switched off") counts that word.
    let of = d.end;
    if (toks[of]?.text === 'of') for (of++; LIGHT.has(toks[of]?.text ?? ''); ) of++;
    // Nor does a count before a mention that qualifies a word of its own ("many recurrent steps").
    const modifier = mentions.find((m) => m.at === d.end);
    const counted = d.end - d.at === 1 && ['many', 'few', 'fewer'].includes((toks[d.at] as Token).text) && !!modifier && isWord(toks, modifier.end, mentions, items);
    const quantity = of > d.end && isWord(toks, of, mentions, items);
    const qualifies = object || (d.end - d.at === 1 && ADJECTIVES.has((toks[d.at] as Token).text) && isWord(toks, d.end, mentions, items));
    const behind = before && db <= 5 && !qualifies;
    if (counted || quantity) continue;
    if (next && dn <= 3 && behind && needs(next) !== needs(before as Mention)) [target, dist] = needs(next) ? [next, dn] : [before as Mention, db];
    else if (next && dn <= 3 && dn <= db) [target, dist] = [next, dn];
    else if (behind) [target, dist] = [before as Mention, db];
    if (target && dist < target.directionDistance) {
      target.direction = d.value;
      target.directionAt = d.at;
      target.directionDistance = dist;
      // A direction before coordinated mentions reaches them all ("reduces the parameters and the over-fitting").
      if (target.at >= d.end) for (const c of conjoined(target)) if (dist + 1 < c.directionDistance) [c.direction, c.directionDistance] = [d.value, dist + 1];
    }
  }
  const values = new Set<number>();
  const bySlot = frame.slots.map((slot, i) => mentions.filter((m) => m.slot === i && !(m.direction === undefined && slot.needsDirection)));
  // Every reading: one mention per slot (at most 256).
  let combos: Mention[][] = [[]];
  for (const ms of bySlot) combos = combos.flatMap((c) => ms.map((m) => [...c, m])).slice(0, 256);
  // Clause numbers: a slot's clause-local blocker (`grad!^cost`) sets aside the readings whose mention of that
  // slot shares its clause ("the computation of the gradient doubles").
  const clause: number[] = [];
  toks.forEach((t, i) => clause.push((clause[i - 1] ?? 0) + (CLAUSE_WORDS.has(t.text) ? 1 : 0)));
  const blocked = frame.slots.map((slot) => new Set(slot.unlessNear.flatMap((c) => c.phrases.flatMap((p) => findAll([p.words], toks, toks.map(() => false)).filter((f) => !afterSimilar(toks, f.at)).map((f) => clause[f.at] as number)))));
  // Two concepts: each mention read with the nearest mention of the other ("VAE samples = sharp, GAN samples =
  // blurry" is two readings, not four).
  if (frame.slots.length === 2) {
    const [as, bs] = bySlot as [Mention[], Mention[]];
    // Nearest: fewest commas and clause words between (an "=" binds closer), then fewest words.
    const apart = (x: Mention, y: Mention): number => {
      const [lo, hi] = x.at < y.at ? [x, y] : [y, x];
      // A comparison ("better than a transformer") joins what it compares.
      return toks.slice(lo.end, hi.at).filter((t) => STOP.has(t.text) && !['=', 'than', 'unlike', 'versus', 'vs'].includes(t.text)).length * 100 + hi.at - lo.end;
    };
    const nearest = (m: Mention, others: Mention[]): Mention | undefined => [...others].sort((x, y) => apart(x, m) - apart(y, m))[0];
    const pairs = new Map<string, Mention[]>();
    for (const a of as) { const b = nearest(a, bs); if (b) pairs.set(`${a.at},${b.at}`, [a, b]); }
    for (const b of bs) { const a = nearest(b, as); if (a) pairs.set(`${a.at},${b.at}`, [a, b]); }
    // A pair across clauses is read only where neither mention has a partner in its own clause, and only when
    // they are close ("compared to a plain GAN the hybrid gains an encoder, and compared to a VAE its samples
    // are sharper": the GAN is not what is sharper).
    const all = [...pairs.values()];
    const local = all.filter(([a, b]) => apart(a as Mention, b as Mention) < 100);
    combos = all.filter(([a, b]) => {
      if (apart(a as Mention, b as Mention) < 100) return true;
      const far = Math.abs((a as Mention).at - (b as Mention).at) > 12;
      return !far && !local.some((l) => l.includes(a as Mention) || l.includes(b as Mention));
    });
  }
  // An if-clause closed by a comma or "then" states a condition: a reading wholly inside it asserts nothing ("if
  // the GPUs drew different masks the gradients would be inconsistent, so the mask is broadcast").
  const conditions: [number, number][] = [];
  toks.forEach((t, i) => {
    if (t.text !== 'if' || ['as', 'even'].includes(toks[i - 1]?.text ?? '')) return;
    const end = toks.findIndex((u, j) => j > i && (u.text === ',' || u.text === 'then'));
    if (end > 0) conditions.push([i, end]);
  });
  const lists = frame.near ? listJoins(toks, frame.kinds()) : new Set<number>();
  for (const c of combos) {
    if (frame.near && !close(toks, c, lists)) continue;
    if (conditions.some(([from, to]) => c.every((m) => m.at > from && m.end <= to))) continue;
    if (c.some((m) => blocked[m.slot]?.has(clause[m.at] as number))) continue;
    // A mention inside a relative clause pairs only with what the clause is about or with its own mentions.
    if (relative.some((r) => c.some((m) => m.at >= r.from && m.at < r.to) && c.some((m) => m !== r.antecedent && (m.at < r.from || m.at >= r.to)))) continue;
    const negated = new Set(c.flatMap((m) => [...m.scopes])).size % 2 ? -1 : 1;
    // A relative clause says what its antecedent is, not what the main clause does to it ("reducing the blurriness
    // that is a drawback of VAEs": the VAE's samples are blurry).
    // Only a clause that describes ("that is", "which are"): ", which makes the network less prone to …" is about
    // the event, whose direction stands.
    const described = (m: Mention): boolean => relative.some((r) => r.antecedent === m && ['is', 'are', 'was', 'were', 'has', 'have'].includes(toks[r.from]?.text ?? '') && c.some((o) => o !== m && o.at >= r.from && o.at < r.to));
    // On a slot that asks no direction, "keeps"/"stays" says it goes on ("the random zeroing keeps going at test time").
    const direction = (m: Mention): number => (m.direction === 0 && !frame.slots[m.slot]?.needsDirection ? 1 : (m.direction ?? 1));
    values.add(c.reduce((p, m) => p * m.sign * (inPhrase(toks, m, c) || described(m) ? 1 : direction(m)), negated));
  }
  return values;
}

function segments(toks: readonly Token[]): Token[][] {
  const out: Token[][] = [[]];
  for (let i = 0; i < toks.length; i++) {
    const t = toks[i] as Token;
    const contrast = CONTRAST.find((words) => matchAt(words, toks, i) > i);
    if (contrast) {
      out.push([]);
      i += contrast.length - 1;
      continue;
    }
    (out[out.length - 1] as Token[]).push(t);
  }
  return out.filter((s) => s.length);
}

const PRONOUNS = new Set(['it', 'they']);
/** The words that stand for something named before. */
const REFERRING = new Set([...PRONOUNS, 'this', 'these', 'those', 'its', 'their', 'such']);
/** Prepositions that open a phrase of time or place before a clause's subject. */
const OPENERS = new Set(['at', 'in', 'during', 'after', 'before', 'for', 'on', 'with', 'without', 'once', 'while']);
const LEADS = new Set(['so', 'and', 'thus', 'therefore', 'hence', 'then', 'also', 'now', 'here']);

/** Abbreviations whose dot does not end a segment ("disc. loss", "e.g. dropout"). */
const ABBREVIATION = /(?:^|[^\w.])(?:disc|e\.g|i\.e|approx|resp|eq|eqs|fig|vs|etc|incl|avg|dim|prob|est|cf|w\.r\.t|wrt|approx|exp|max|min|var|std|no)$/;
const read = (plain: string): Token[][] =>
  segments(tokenize(plain.replace(/\./g, (d, at: number) => (/\w/.test(plain[at + 1] ?? '') || ABBREVIATION.test(plain.slice(Math.max(0, at - 8), at)) ? d : ' ; '))));
const memo = { plain: '', segs: [] as Token[][], before: '', beforeSegs: [] as Token[][] };

/** A pronoun's referent: which slot, with what sign. */
interface Referent {
  readonly slot: number;
  readonly sign: number;
}

/**
 * What a pronoun of the next segment stands for: the subject of the latest earlier segment that names anything the
 * frame reads — its first mention, the slot and its sign ("It overcomes the blurriness of the VAE …, but it does not
 * give an exact likelihood": the second "it" is the first's, not the blurriness).
 */
/** What one earlier segment offers a later pronoun, for one frame. */
interface Unit {
  /** Its subject, when that is a mention the frame reads ("Dropout zeroes …", "During training BN …"). */
  readonly subject?: Referent;
  /** Its subject is itself a pronoun ("It overcomes …"): the referent is passed on from before it. */
  readonly passes: boolean;
  /** Whether it names anything the frame reads. */
  readonly names: boolean;
  /** Each slot's last mention's sign in it. */
  readonly last: readonly (number | undefined)[];
}
const units = new WeakMap<readonly Token[], WeakMap<Frame, Unit>>();

/** A segment as a later pronoun sees it (cached per segment and frame: a sentence's segments are read once per frame). */
function unitOf(frame: Frame, key: readonly Token[], toks: readonly Token[]): Unit {
  let byFrame = units.get(key);
  if (!byFrame) units.set(key, (byFrame = new WeakMap()));
  const known = byFrame.get(frame);
  if (known) return known;
  let first: (Referent & { at: number }) | undefined;
  const last: (number | undefined)[] = frame.slots.map(() => undefined);
  const lastAt: number[] = frame.slots.map(() => -1);
  frame.slots.forEach((slot, index) => {
    for (const phrase of slot.concept.phrases) {
      for (const f of findAll([phrase.words], toks, toks.map(() => false))) {
        if (!first || f.at < first.at || (f.at === first.at && phrase.words.length > 1)) first = { at: f.at, slot: index, sign: phrase.sign };
        if (f.at > (lastAt[index] as number)) [lastAt[index], last[index]] = [f.at, phrase.sign];
      }
    }
  });
  const at = first?.at ?? toks.length;
  const passes = toks.slice(0, Math.min(at, 6)).some((t) => REFERRING.has(t.text));
  // The first mention is the subject when at most one word of substance stands before it.
  const subject = first && toks.slice(0, at).filter((t) => !LIGHT.has(t.text) && !OPENERS.has(t.text)).length <= 1 ? { slot: first.slot, sign: first.sign } : undefined;
  const unit = { subject, passes, names: !!first, last };
  byFrame.set(frame, unit);
  return unit;
}

/**
 * What a pronoun of the next segment stands for: the subject of the latest earlier segment that names anything the
 * frame reads — its first mention, the slot and its sign ("It overcomes the blurriness of the VAE …, but it does not
 * give an exact likelihood": the second "it" is the first's, not the blurriness). A segment whose subject is a
 * pronoun passes on what came before it; one whose subject the frame does not read ("the combination removes the
 * blurry samples …") leaves the first slot's latest mention, as an object might be.
 */
function referent(frame: Frame, earlier: readonly (() => Unit)[]): Referent | undefined {
  for (let u = earlier.length - 1; u >= 0; u--) {
    const unit = (earlier[u] as () => Unit)();
    if (unit.passes || !unit.names) continue;
    if (unit.subject) return unit.subject;
    break;
  }
  for (let slot = 0; slot < frame.slots.length; slot++) {
    for (let u = earlier.length - 1; u >= 0; u--) {
      const sign = (earlier[u] as () => Unit)().last[slot];
      if (sign !== undefined) return { slot, sign };
    }
  }
  return undefined;
}

/**
 * Whether the sentence (lower case, as the catalogue reads it) asserts the frame's claim; `before`, the sentence
 * before it in the answer, is where its pronouns' referents are.
 */
export const frameAsserts = (frame: Frame, plain: string, before = ''): boolean => frameReads(frame, plain, before) === 1;

/**
 * What the sentence says of the frame's claim: 1 when it asserts it (some segment reads the frame's sign and
 * none the opposite), -1 when it says the opposite (the right direction, or the claim negated) and no segment
 * asserts it, 0 when it reads neither.
 */
export function frameReads(frame: Frame, plain: string, before = ''): 1 | -1 | 0 {
  if (memo.plain !== plain) {
    memo.plain = plain;
    memo.segs = read(plain);
  }
  if (memo.before !== before) {
    memo.before = before;
    memo.beforeSegs = read(before);
  }
  // A pronoun's referent is in this sentence's earlier segments ("although a CNN fits images better, it has more
  // parameters") or in the sentence before.
  // Read lazily: only a segment with a pronoun subject asks what came before it.
  const earlier: (() => Unit)[] = memo.beforeSegs.map((u) => () => unitOf(frame, u, u));
  /** The context (`@`) mentions of this sentence's earlier segments, for a concession ("…, but we still …"). */
  const context: Token[] = [];
  let denied = false;
  for (const whole of memo.segs) {
    // A short header ("test time: …", "**Backward:** …", "overcome: …") is the topic of what follows it: its colon
    // does not part them.
    // A header that says what changed ("batch doubled: nodes same, …") keeps its direction to itself; one that is a
    // verb alone ("Overcomes: blurry samples, …") is said of what follows.
    // Headers may be chained ("inverted dropout: eval: still rescale"): each is the topic of what follows it.
    let cut: Token[] = whole;
    for (let from = 0, n = 0; n < 3 && cut.slice(from, from + 4).some((t) => t.text === ':'); n++) {
      const colon = cut.findIndex((t, i) => i >= from && t.text === ':');
      if (colon <= from || colon > from + 3) break;
      const head = cut.slice(from, colon);
      const directed = [UP, DOWN, KEEP].some((l) => findAll(l, head, head.map(() => false)).some((d) => d.end === head.length && d.at > 0));
      cut = [...cut.slice(0, colon), ...(directed ? [{ text: ',', stem: ',' }] : []), ...cut.slice(colon + 1)];
      from = colon + (directed ? 1 : 0);
    }
    // "X is inverted, but we still have to scale at inference": what is conceded is still the context of what follows.
    const concedes = cut.slice(0, 3).some((t) => t.text === 'still');
    const seg = concedes && context.length ? [...context, ...cut] : cut;
    const used = cut.map(() => false);
    for (const slot of frame.slots) {
      if (!slot.context) continue;
      for (const f of findAll(slot.concept.phrases.map((p) => p.words), cut, used)) {
        for (let i = f.at; i < f.end; i++) used[i] = true;
        context.push(...cut.slice(f.at, f.end), { text: ',', stem: ',' });
      }
    }
    const before = [...earlier];
    const carried = (): Referent | undefined => referent(frame, before);
    earlier.push(() => unitOf(frame, whole, cut));
    // A counterfactual ("if the update rule were changed", "if the CNN had more parameters") asserts nothing.
    const iff = seg.findIndex((t, i) => t.text === 'if' && !['as', 'even'].includes(seg[i - 1]?.text ?? ''));
    if (iff >= 0 && seg.slice(iff).some((t) => t.text === 'were' || t.text === 'had')) continue;
    // A blocker named as what the claim is likened to ("exactly as in training", "as with hard labels") does not block.
    // Nor does one that is negated ("not just approximately").
    const mentioned = (c: Concept): boolean => c.phrases.some((p) => findAll([p.words], seg, seg.map(() => false)).some((f) => !afterSimilar(seg, f.at) && !findAll(NEGATE, seg.slice(Math.max(0, f.at - 2), f.at), seg.slice(Math.max(0, f.at - 2), f.at).map(() => false)).length));
    const required = (c: Concept): boolean => c.phrases.some((p) => findAll([p.words], seg, seg.map(() => false)).length > 0);
    if (frame.unless.some(mentioned) || !frame.requires.every(required)) continue;
    const values = readings(frame, seg, carried);
    if (values.has(frame.sign) && !values.has(-frame.sign)) return 1;
    if (values.has(-frame.sign) && !values.has(frame.sign)) denied = true;
  }
  return denied ? -1 : 0;
}
