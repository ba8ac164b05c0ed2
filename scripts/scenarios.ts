// npm run scenarios: diagnoses every scenario in test/scenarios and prints the
// accuracy per category and overall, then the failures.
import { accuracyRows, accuracyTable, failureReport } from "../test/scenarios/accuracy.js";
import { loadScenarios } from "../test/scenarios/load.js";
import { runAll } from "../test/scenarios/run.js";

const outcomes = await runAll(loadScenarios());
console.log(accuracyTable(outcomes));
const failures = failureReport(outcomes);
if (failures) console.log(`\n${failures}`);
const { overall } = accuracyRows(outcomes);
process.exitCode = overall.passed / overall.total >= 0.95 ? 0 : 1;
