// Prints the precision and recall of redaction over the corpus in src/context/redact.corpus.ts.
import { CORPUS, scoreRedaction } from "../src/context/redact.corpus.js";

const score = scoreRedaction(CORPUS);
const rows: [string, string][] = [
  ["secret cases", String(score.secretCases)],
  ["harmless cases", String(score.harmlessCases)],
  ["secrets found", String(score.truePositives)],
  ["secrets missed", String(score.falseNegatives.length)],
  ["harmless redacted", String(score.falsePositives.length)],
  ["precision", score.precision.toFixed(3)],
  ["recall", score.recall.toFixed(3)],
];
const width = Math.max(...rows.map(([k]) => k.length));
for (const [k, v] of rows) console.log(`${k.padEnd(width)}  ${v}`);
for (const miss of score.falseNegatives) console.log(`missed:   ${miss}`);
for (const fp of score.falsePositives) console.log(`redacted: ${fp}`);
process.exitCode = score.precision >= 0.98 && score.recall >= 0.98 ? 0 : 1;
