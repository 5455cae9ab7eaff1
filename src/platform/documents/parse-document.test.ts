import { describe, expect, it } from 'vitest';
import { AppError } from '../errors.js';
import { MAX_DOCUMENT_BYTES, parseDocument, type DocumentFormat } from './parse-document.js';

/** The problem a refusal carries, or the parsed value. */
function outcome(text: string, format: DocumentFormat): unknown {
  try {
    return { value: parseDocument(text, format) };
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    return { code: error.code, status: error.status, detail: error.message };
  }
}

const refusal = (detail: string) => ({ code: 'bad_request', status: 400, detail });

describe('parseDocument: what both formats share', () => {
  it('parses the same document to the same value from JSON and from YAML', () => {
    const json = '{"contracts":[{"name":"orders","streams":[{"source":"zapier","freshness":"1h"}],"n":1.5,"on":true,"none":null}]}';
    const yaml = 'contracts:\n  - name: orders # a comment\n    streams:\n      - { source: zapier, freshness: 1h }\n    n: 1.5\n    on: true\n    none: ~\n';
    expect(parseDocument(yaml, 'yaml')).toEqual(JSON.parse(json));
    expect(parseDocument(json, 'json')).toEqual(JSON.parse(json));
  });

  it.each(['json', 'yaml'] as const)('refuses an empty %s document', (format) => {
    expect(outcome('', format)).toEqual(refusal('the document is empty'));
    expect(outcome(' \n\t', format)).toEqual(refusal('the document is empty'));
  });

  it.each(['json', 'yaml'] as const)('refuses a %s document larger than MAX_DOCUMENT_BYTES with 413, counting bytes', (format) => {
    const text = `"${'é'.repeat(MAX_DOCUMENT_BYTES / 2)}"`; // 2 bytes per character
    expect(outcome(text, format)).toEqual({ code: 'payload_too_large', status: 413, detail: `the document is larger than ${MAX_DOCUMENT_BYTES} bytes` });
  });

  it('refuses a duplicate key in either format', () => {
    expect(outcome('{"roles":{"a":1,"a":2}}', 'json')).toEqual(refusal('the document repeats the key /roles/a'));
    expect(outcome('roles:\n  a: 1\n  a: 2\n', 'yaml')).toEqual(refusal('the document is not valid YAML (DUPLICATE_KEY at line 3, column 3)'));
  });

  it('holds both to the limits of every stored document: depth and lone surrogates', () => {
    expect(outcome(`{"a":${'['.repeat(32)}${']'.repeat(32)}}`, 'json')).toEqual(refusal('the document nests deeper than 32 levels'));
    expect(outcome(`a: ${'['.repeat(32)}${']'.repeat(32)}`, 'yaml')).toEqual(refusal('the document nests deeper than 32 levels'));
    expect(outcome(`a: ${'['.repeat(31)}${']'.repeat(31)}`, 'yaml')).toEqual({ value: { a: JSON.parse(`${'['.repeat(31)}${']'.repeat(31)}`) } });
    const lone = refusal('the document contains a lone UTF-16 surrogate escape, which is not Unicode text');
    expect(outcome('{"a":"\\ud800"}', 'json')).toEqual(lone);
    expect(outcome('a: "\\ud800"', 'yaml')).toEqual(lone);
    expect(outcome('a: "\\U0000DC00"', 'yaml')).toEqual(lone);
    expect(outcome('a: "\\ud83d\\ude00"', 'yaml')).toEqual({ value: { a: '😀' } });
  });
});

describe('parseDocument: JSON', () => {
  it('refuses what is not JSON without quoting it, and prototype keys', () => {
    expect(outcome('{"secret": "hunter2",}', 'json')).toEqual(refusal('the document is not valid JSON'));
    expect(outcome('a: 1', 'json')).toEqual(refusal('the document is not valid JSON'));
    expect(outcome('{"__proto__":{"admin":true}}', 'json')).toEqual(refusal('the document contains a forbidden __proto__ or constructor key'));
    expect(outcome('{"constructor":{"prototype":{}}}', 'json')).toEqual(refusal('the document contains a forbidden __proto__ or constructor key'));
  });

  it('accepts any JSON value at the top (what the value must be is the schema\'s business)', () => {
    expect(outcome('[1,"a"]', 'json')).toEqual({ value: [1, 'a'] });
    expect(outcome('null', 'json')).toEqual({ value: null });
  });
});

describe('parseDocument: YAML', () => {
  it('names the position of a syntax error, never the text', () => {
    const result = outcome('contracts:\n  - name: [unclosed hunter2\n', 'yaml') as { detail: string };
    expect(result).toMatchObject({ code: 'bad_request', status: 400 });
    expect(result.detail).toMatch(/^the document is not valid YAML \([A-Z_]+ at line \d+, column \d+\)$/);
    expect(result.detail).not.toContain('hunter2');
  });

  it('reads YAML 1.2 core schema only, even under a %YAML 1.1 directive', () => {
    expect(outcome('a: yes\nb: 0x1F\nc: 2001-12-14\nd: "12"\ne: !!str 12', 'yaml')).toEqual({ value: { a: 'yes', b: 31, c: '2001-12-14', d: '12', e: '12' } });
    expect(outcome('%YAML 1.1\n---\na: yes\nb: on', 'yaml')).toEqual({ value: { a: 'yes', b: 'on' } });
  });

  it('refuses tags with no JSON form, and custom tags', () => {
    expect(outcome('a: !!binary aGVsbG8=', 'yaml')).toEqual(refusal('the document is not valid YAML (TAG_RESOLVE_FAILED at line 1, column 4)'));
    expect(outcome('a: !!set {x, y}', 'yaml')).toEqual(refusal('the document is not valid YAML (TAG_RESOLVE_FAILED at line 1, column 4)'));
    expect(outcome('a: !custom x', 'yaml')).toEqual(refusal('the document is not valid YAML (TAG_RESOLVE_FAILED at line 1, column 4)'));
  });

  it('refuses numbers JSON cannot hold, naming where', () => {
    expect(outcome('a:\n  b: [1, .nan]', 'yaml')).toEqual(refusal('the document holds a number JSON cannot represent (.nan or .inf) at /a/b/1'));
    expect(outcome('-.inf', 'yaml')).toEqual(refusal('the document holds a number JSON cannot represent (.nan or .inf) at /'));
  });

  it('refuses merge keys and collection keys, but reads a quoted "<<" as a plain name', () => {
    expect(outcome('base: &b {x: 1}\nderived:\n  <<: *b\n  y: 2', 'yaml')).toEqual(refusal('the document is not valid YAML (merge keys are not supported, at line 3, column 3)'));
    expect(outcome('? [a, b]\n: 1', 'yaml')).toEqual(refusal('the document is not valid YAML (a mapping key must be a scalar, at line 1, column 3)'));
    expect(outcome('"<<": 1', 'yaml')).toEqual({ value: { '<<': 1 } });
  });

  it('expands a few aliases but refuses an expansion bomb', () => {
    expect(outcome('a: &x [1, 2]\nb: *x\nc: *x', 'yaml')).toEqual({ value: { a: [1, 2], b: [1, 2], c: [1, 2] } });
    const bomb = `a: &a [x, x, x, x, x, x, x, x, x, x]\n${Array.from({ length: 9 }, (_, i) => `l${i}: &l${i} [${`*${i === 0 ? 'a' : `l${i - 1}`}, `.repeat(9)}*${i === 0 ? 'a' : `l${i - 1}`}]`).join('\n')}\n`;
    expect(outcome(bomb, 'yaml')).toEqual(refusal("the document's aliases expand to too many nodes (at most 100 per alias)"));
  });

  it('refuses several documents in one text, and nesting that would exhaust the parser', () => {
    expect(outcome('a: 1\n---\nb: 2', 'yaml')).toEqual(refusal('the document is not valid YAML (MULTIPLE_DOCS at line 2, column 1)'));
    expect(outcome(`${'['.repeat(5000)}${']'.repeat(5000)}`, 'yaml')).toMatchObject({ code: 'bad_request', status: 400 });
  });
});
