import { readFileSync } from 'node:fs';
import { compilePolicy, type CompiledPolicy } from './compile-policy.js';
import { parseDocumentText } from './policy-document.js';

/** The built-in default policy (version 0), active until a document is PUT. */
export const DEFAULT_POLICY_SOURCE = readFileSync(new URL('./default-policy.yaml', import.meta.url), 'utf8');

export function compileDefaultPolicy(): CompiledPolicy {
  return compilePolicy(parseDocumentText(DEFAULT_POLICY_SOURCE, 'yaml'), 0);
}
