import { describe, expect, it } from 'vitest';
import { AppError } from '../../platform/errors.js';
import { sha256Hex } from '../../platform/hash.js';
import {
  compareSelections,
  describeChange,
  generatePreviewToken,
  hashPreviewToken,
  hashSelection,
  holdReason,
  normaliseSelector,
  selectionOf,
  selectsAll,
} from './selection.js';

const A = '0190a1b2-0000-7000-8000-00000000000a';
const B = '0190a1b2-0000-7000-8000-00000000000b';
const C = '0190a1b2-0000-7000-8000-00000000000c';

function validationErrors(run: () => unknown): Array<{ path: string; message: string }> {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe('validation_failed');
    return (error as AppError).details.errors ?? [];
  }
  throw new Error('expected a validation error');
}

describe('normaliseSelector', () => {
  it('deduplicates and sorts every list, lowercases ids, keeps values otherwise as given', () => {
    expect(
      normaliseSelector({ tags: ['prod', 'crm', 'prod'], agent_ids: [B.toUpperCase(), A, B], owners: ['Team B', 'team a'], kinds: ['workflow', 'llm_agent'] }),
    ).toEqual({ tags: ['crm', 'prod'], agent_ids: [A, B], owners: ['Team B', 'team a'], kinds: ['llm_agent', 'workflow'] });
  });

  it('takes all: true alone, and drops all: false', () => {
    expect(normaliseSelector({ all: true })).toEqual({ all: true });
    expect(selectsAll(normaliseSelector({ all: true }))).toBe(true);
    expect(normaliseSelector({ all: false, vendors: ['acme'] })).toEqual({ vendors: ['acme'] });
    expect(selectsAll(normaliseSelector({ vendors: ['acme'] }))).toBe(false);
  });

  it('refuses a selector naming no criterion, and all: true mixed with criteria', () => {
    expect(validationErrors(() => normaliseSelector({}))).toEqual([
      { path: '/body/selector', message: 'names no criterion: give agent_ids, tags, owners, vendors, models, kinds, discovery_source_ids, or all: true' },
    ]);
    expect(validationErrors(() => normaliseSelector({ all: false }))).toHaveLength(1);
    expect(validationErrors(() => normaliseSelector({ all: true, tags: ['x'], models: ['m'] }))).toEqual([
      { path: '/body/selector/all', message: 'must be the only criterion (also given: tags, models)' },
    ]);
  });
});

describe('selection fingerprint', () => {
  it('is the SHA-256 of "id:status" lines sorted by id, whatever order the rows came in', () => {
    const rows = [
      { id: C, status: 'quarantined' },
      { id: A, status: 'active' },
      { id: B, status: 'suspended' },
    ];
    expect(selectionOf(rows)).toEqual([
      [A, 'active'],
      [B, 'suspended'],
      [C, 'quarantined'],
    ]);
    const expected = sha256Hex(`${A}:active\n${B}:suspended\n${C}:quarantined`);
    expect(hashSelection(selectionOf(rows))).toBe(expected);
    expect(hashSelection([[C, 'quarantined'], [A, 'active'], [B, 'suspended']])).toBe(expected);
    expect(hashSelection([])).toBe(sha256Hex(''));
  });

  it('changes with a status, an added agent or a removed one', () => {
    const base = selectionOf([{ id: A, status: 'active' }, { id: B, status: 'active' }]);
    const hash = hashSelection(base);
    expect(hashSelection(selectionOf([{ id: A, status: 'active' }, { id: B, status: 'suspended' }]))).not.toBe(hash);
    expect(hashSelection(selectionOf([{ id: A, status: 'active' }]))).not.toBe(hash);
    expect(hashSelection(selectionOf([{ id: A, status: 'active' }, { id: B, status: 'active' }, { id: C, status: 'active' }]))).not.toBe(hash);
  });

  it('says what changed between the preview and now', () => {
    const previewed = selectionOf([{ id: A, status: 'active' }, { id: B, status: 'active' }]);
    const current = selectionOf([{ id: B, status: 'quarantined' }, { id: C, status: 'active' }]);
    const change = compareSelections(previewed, current);
    expect(change).toEqual({ added: 1, removed: 1, changed: 1 });
    expect(describeChange(change)).toBe('1 agent now matches that did not, 1 no longer matches, 1 changed status');
    expect(describeChange({ added: 2, removed: 0, changed: 3 })).toBe('2 agents now match that did not, 3 changed status');
    expect(compareSelections(previewed, previewed)).toEqual({ added: 0, removed: 0, changed: 0 });
  });
});

describe('preview tokens and hold reasons', () => {
  it('makes unguessable tokens whose SHA-256 alone is stored', () => {
    const first = generatePreviewToken();
    const second = generatePreviewToken();
    expect(first).toMatch(/^orca_ksp_[A-Za-z0-9_-]{43}$/);
    expect(second).not.toBe(first);
    expect(hashPreviewToken(first)).toBe(sha256Hex(first));
  });

  it('names the activation in the reason it writes on each agent', () => {
    expect(holdReason(A, 'vendor breach')).toBe(`kill switch ${A}: vendor breach`);
  });
});
