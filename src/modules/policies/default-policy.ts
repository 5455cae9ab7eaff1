import { readFileSync } from 'node:fs';
import { compilePolicy, type CompiledPolicy } from './compile-policy.js';
import { parseDocument } from '../../platform/documents/parse-document.js';

/** The built-in default policy (version 0), active until a document is PUT. */
// eslint-disable-next-line security/detect-non-literal-fs-filename -- path is a file shipped beside this module, never a request's
export const DEFAULT_POLICY_SOURCE = readFileSync(new URL('./default-policy.yaml', import.meta.url), 'utf8');

export function compileDefaultPolicy(): CompiledPolicy {
  return compilePolicy(parseDocument(DEFAULT_POLICY_SOURCE, 'yaml'), 0);
}
