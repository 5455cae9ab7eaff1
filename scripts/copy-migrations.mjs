// The compiler only emits .js: copy the SQL migrations beside the compiled migrator.
import { cpSync } from 'node:fs';
cpSync('src/platform/db/migrations', 'dist/platform/db/migrations', { recursive: true });
// The built-in default policy is read at run time from beside the compiled policies module.
cpSync('src/modules/policies/default-policy.yaml', 'dist/modules/policies/default-policy.yaml');
// The built-in alert rules, likewise.
cpSync('src/modules/alerts/default-alert-rules.yaml', 'dist/modules/alerts/default-alert-rules.yaml');
