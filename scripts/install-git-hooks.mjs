// Points git at the repository's own hooks (.githooks/) when `npm install` or `npm ci` runs in a git checkout.
// No third-party install script is involved: this is the package's own `prepare` step. A checkout whose
// core.hooksPath is set to something else (another hook manager) is left alone, and so is a tarball without .git.
import { execFileSync } from 'node:child_process';

function git(...args) {
  return execFileSync('git', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
}

try {
  if (git('rev-parse', '--is-inside-work-tree') !== 'true') process.exit(0);
} catch {
  process.exit(0); // not a git checkout (an installed package), or no git at all
}
let current = '';
try {
  current = git('config', '--get', 'core.hooksPath');
} catch {
  // not set
}
if (current === '' || current === '.githooks') {
  git('config', 'core.hooksPath', '.githooks');
  if (current === '') console.log('git hooks: core.hooksPath set to .githooks (pre-commit: eslint on staged files, typecheck)');
} else {
  console.log(`git hooks: core.hooksPath is ${current}; .githooks/ not installed (add its pre-commit to your own manager)`);
}
