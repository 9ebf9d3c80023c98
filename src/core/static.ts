/**
 * The static half of the core (notebook reading, the checks with KaTeX, reports) as one entry point. The
 * extension bundles it on its own and loads it on its first check, so that activating the extension —
 * which VS Code awaits before it opens a Jupyter notebook — loads none of it.
 */
export { BUILTIN_PACKS } from './assignment/match';
export { CHECK_GROUPS, CheckCache, checkNotebook, checkStatic, forAudience, judgeReport, shownTo } from './check';
export { compareFindings } from './findings';
export { preambleRules } from './checks/images';
export { notebookFromCells } from './notebook/reader';
export { answersByQuestion, notebookMacros, questionCells } from './report/answers';
export { toHtml } from './report/html';
export { toJson } from './report/json';
export { examSummary } from './report/summary';
export { ESTIMATE_NOTE, questionEarned, range, riskOf } from './assignment/verdicts';
export { VERDICT_LABEL, earnedText, partDetail, verdictLabel, verdictTally } from './report/verdict-text';
