import type { IncomingHttpHeaders } from 'node:http';
import { describe, expect, it } from 'vitest';
import { presentedCredential } from './credentials.js';

const KEY = 'orca_0123456789ab_AbCdEfGhIjKlMnOpQrStUvWxYz0123456789-_AbCdE';
const OTHER = 'orca_ba9876543210_zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz';

const parse = (headers: IncomingHttpHeaders) => presentedCredential(headers);

describe('presentedCredential', () => {
  it('is none without either header', () => {
    expect(parse({})).toEqual({ kind: 'none' });
    expect(parse({ 'content-type': 'application/json', cookie: `key=${KEY}` })).toEqual({ kind: 'none' });
  });

  it('reads X-API-Key, trimming surrounding whitespace', () => {
    expect(parse({ 'x-api-key': KEY })).toEqual({ kind: 'key', value: KEY });
    expect(parse({ 'x-api-key': `  ${KEY}\t` })).toEqual({ kind: 'key', value: KEY });
  });

  it('reads Authorization: Bearer, case-insensitively on the scheme, with any spacing', () => {
    expect(parse({ authorization: `Bearer ${KEY}` })).toEqual({ kind: 'key', value: KEY });
    expect(parse({ authorization: `bearer ${KEY}` })).toEqual({ kind: 'key', value: KEY });
    expect(parse({ authorization: `BEARER   ${KEY}  ` })).toEqual({ kind: 'key', value: KEY });
  });

  it('accepts both headers when they carry the same key', () => {
    expect(parse({ 'x-api-key': KEY, authorization: `Bearer ${KEY}` })).toEqual({ kind: 'key', value: KEY });
  });

  it('is invalid when both headers carry different keys, whichever is valid', () => {
    expect(parse({ 'x-api-key': KEY, authorization: `Bearer ${OTHER}` })).toEqual({ kind: 'invalid' });
    expect(parse({ 'x-api-key': OTHER, authorization: `Bearer ${KEY}` })).toEqual({ kind: 'invalid' });
    // Differ only in case: keys are case-sensitive.
    expect(parse({ 'x-api-key': KEY, authorization: `Bearer ${KEY.toUpperCase()}` })).toEqual({ kind: 'invalid' });
  });

  it.each([
    ['another scheme', `Basic ${Buffer.from(`user:${KEY}`).toString('base64')}`],
    ['Token scheme', `Token ${KEY}`],
    ['no scheme', KEY],
    ['scheme without a value', 'Bearer'],
    ['scheme and spaces only', 'Bearer    '],
    ['two tokens', `Bearer ${KEY} ${OTHER}`],
    ['no space after the scheme', `Bearer${KEY}`],
    ['empty header', ''],
    ['leading text', `x Bearer ${KEY}`],
  ])('is invalid for a malformed Authorization header (%s)', (_label, authorization) => {
    expect(parse({ authorization })).toEqual({ kind: 'invalid' });
    // A malformed Authorization poisons an otherwise good X-API-Key too.
    expect(parse({ authorization, 'x-api-key': KEY })).toEqual({ kind: 'invalid' });
  });

  it('is invalid for an empty or whitespace-only X-API-Key', () => {
    expect(parse({ 'x-api-key': '' })).toEqual({ kind: 'invalid' });
    expect(parse({ 'x-api-key': '   ' })).toEqual({ kind: 'invalid' });
  });

  it('is invalid when X-API-Key arrives as several values', () => {
    expect(parse({ 'x-api-key': [KEY, KEY] as unknown as string })).toEqual({ kind: 'invalid' });
  });

  it('accepts 256 characters and refuses 257 or more, from either header', () => {
    const at = 'k'.repeat(256);
    const over = 'k'.repeat(257);
    expect(parse({ 'x-api-key': at })).toEqual({ kind: 'key', value: at });
    expect(parse({ authorization: `Bearer ${at}` })).toEqual({ kind: 'key', value: at });
    expect(parse({ 'x-api-key': over })).toEqual({ kind: 'invalid' });
    expect(parse({ authorization: `Bearer ${over}` })).toEqual({ kind: 'invalid' });
    expect(parse({ 'x-api-key': over, authorization: `Bearer ${over}` })).toEqual({ kind: 'invalid' });
    expect(parse({ 'x-api-key': 'k'.repeat(100_000) })).toEqual({ kind: 'invalid' });
  });
});
