// `npm run build` step: the web console into dist/console (or the folder given), then its first-load JavaScript
// size against the 200 KB compressed budget (gzip, the larger of the two encodings served). Exit 1 over budget.
import { buildConsole, describeBuild, FIRST_LOAD_JS_BUDGET_BYTES } from './lib/console-build.js';

const report = await buildConsole(process.argv[2]);
console.log(describeBuild(report));
if (report.firstLoadJs.gzip > FIRST_LOAD_JS_BUDGET_BYTES) {
  console.error('console: the first load is over its JavaScript budget');
  process.exitCode = 1;
}
