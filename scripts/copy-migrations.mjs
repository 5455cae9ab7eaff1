// The compiler only emits .js: copy the SQL migrations beside the compiled migrator.
import { cpSync } from 'node:fs';
cpSync('src/platform/db/migrations', 'dist/platform/db/migrations', { recursive: true });
