import { isAlias, isCollection, isScalar, parseDocument as parseYamlDocument, visit, type YAMLError } from 'yaml';
import { AppError } from '../errors.js';
import { parseJsonText } from '../http/json-body.js';
import { assertStorableJson } from '../json/storable.js';
import { findDuplicateKey } from './duplicate-keys.js';

/**
 * The documents operators write by hand (the policy document, the sync contracts), sent as JSON or YAML: parsed
 * here, once, with one strictness, so that a document refused by one route is refused by the other with the same
 * problem. Every refusal is a 400 `bad_request` (a 413 for an oversized document) whose detail names the position
 * or the JSON pointer, never the text: a document may hold a secret pasted by mistake.
 */

export type DocumentFormat = 'json' | 'yaml';

/** The media types a YAML document may be sent with (there is no single registered one). */
export const YAML_MEDIA_TYPES = ['application/yaml', 'application/x-yaml', 'text/yaml', 'text/x-yaml'];

/** Far more than a hand-written document needs; parsing (YAML above all) is then bounded whatever BODY_LIMIT says. */
export const MAX_DOCUMENT_BYTES = 1024 * 1024;

/**
 * How many nodes aliases may expand to, relative to the document (the yaml package's measure): YAML's "billion
 * laughs" (each alias doubling the one before) is refused long before it costs memory.
 */
export const MAX_ALIAS_COUNT = 100;

const YAML_OPTIONS = {
  version: '1.2',
  // Explicit, so that a `%YAML 1.1` directive cannot switch to the 1.1 schema (yes/no booleans, merge keys).
  schema: 'core',
  merge: false,
  // `!!binary`, `!!set`, `!!timestamp`… would build values JSON has no form for: left unresolved, then refused.
  resolveKnownTags: false,
  uniqueKeys: true,
  strict: true,
  prettyErrors: false,
} as const;

function refused(detail: string): AppError {
  return new AppError('bad_request', detail);
}

/** `line L, column C` of an offset, computed here so that the library's message (which quotes the text) is never used. */
function position(text: string, offset: number): string {
  const before = text.slice(0, Math.min(Math.max(offset, 0), text.length));
  const line = before.split('\n').length;
  return `line ${line}, column ${before.length - before.lastIndexOf('\n')}`;
}

function yamlProblem(text: string, problem: YAMLError): AppError {
  return refused(`the document is not valid YAML (${problem.code} at ${position(text, problem.pos[0])})`);
}

/**
 * What YAML can say but a JSON document cannot: a mapping key that is itself a mapping or a list (JavaScript would
 * turn it into text), and `<<` merge keys (YAML 1.1 only; refused rather than kept as an odd literal key).
 */
function refuseNonJsonStructure(text: string, document: ReturnType<typeof parseYamlDocument>): void {
  visit(document, {
    Pair(_key, pair) {
      const key = pair.key;
      if (isCollection(key) || isAlias(key)) {
        throw refused(`the document is not valid YAML (a mapping key must be a scalar, at ${position(text, key.range?.[0] ?? 0)})`);
      }
      if (isScalar(key) && key.type === 'PLAIN' && key.value === '<<') {
        throw refused(`the document is not valid YAML (merge keys are not supported, at ${position(text, key.range?.[0] ?? 0)})`);
      }
    },
  });
}

/** The JSON pointer of the first value JSON cannot hold (NaN or an infinity: YAML's `.nan`, `.inf`), if any. */
function nonFiniteNumberAt(value: unknown): string | undefined {
  const stack: Array<[unknown, string]> = [[value, '']];
  while (stack.length > 0) {
    const [current, pointer] = stack.pop()!;
    if (typeof current === 'number' && !Number.isFinite(current)) return pointer === '' ? '/' : pointer;
    if (current !== null && typeof current === 'object') {
      for (const [key, inner] of Object.entries(current)) stack.push([inner, `${pointer}/${key.replaceAll('~', '~0').replaceAll('/', '~1')}`]);
    }
  }
  return undefined;
}

function parseYaml(text: string): unknown {
  const document = parseYamlDocument(text, YAML_OPTIONS);
  const problem = document.errors[0] ?? document.warnings[0];
  if (problem) throw yamlProblem(text, problem);
  refuseNonJsonStructure(text, document);
  let value: unknown;
  try {
    value = document.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch {
    // The only failure left at this stage is the alias bound (a ReferenceError naming the alias).
    throw refused(`the document's aliases expand to too many nodes (at most ${MAX_ALIAS_COUNT} per alias)`);
  }
  const nonFinite = nonFiniteNumberAt(value);
  if (nonFinite !== undefined) throw refused(`the document holds a number JSON cannot represent (.nan or .inf) at ${nonFinite}`);
  return value;
}

function parseJson(text: string): unknown {
  const value = parseJsonText(text, 'the document');
  const duplicate = findDuplicateKey(text);
  if (duplicate !== undefined) throw refused(`the document repeats the key ${duplicate}`);
  return value;
}

/**
 * Parses a document's text in the given format: JSON (RFC 8259, no `__proto__`/`constructor` keys) or YAML 1.2 (core
 * schema, no custom tags, no merge keys, aliases bounded), with duplicate keys refused in both, no more than
 * MAX_DOCUMENT_BYTES, and held to the limits of every stored JSON document (nesting depth, lone surrogates).
 */
export function parseDocument(text: string, format: DocumentFormat): unknown {
  if (Buffer.byteLength(text, 'utf8') > MAX_DOCUMENT_BYTES) {
    throw new AppError('payload_too_large', `the document is larger than ${MAX_DOCUMENT_BYTES} bytes`);
  }
  if (text.trim() === '') throw refused('the document is empty');
  const value = format === 'json' ? parseJson(text) : parseYaml(text);
  assertStorableJson(value, { subject: 'the document' });
  return value;
}
