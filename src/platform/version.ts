import { readFileSync } from 'node:fs';

// src/platform and dist/platform are both two levels below the package root.
// eslint-disable-next-line security/detect-non-literal-fs-filename -- path is ORCA's own package.json, never a request's
const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };

export const ORCA_VERSION: string = pkg.version;
