/**
 * Values of the kinds ORCA hashes (parsed JSON documents, agent definitions, audit entries, event contents), for
 * property tests and for the fixed-seed samples whose hashes pin the canonical JSON that stored rows depend on.
 */
import fc from 'fast-check';

/** Text across Unicode: ASCII, escapes JSON must write (quotes, backslash, controls), astral characters, U+2028. */
export const text = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 12 }),
  fc.string({ unit: fc.constantFrom('a', 'Z', '"', '\\', '\n', '\u0000', '\u001f', '\u007f', 'é', '€', '😀', '\u2028', 'ß', '\ufb33'), maxLength: 8 }),
);

/** Numbers as JSON.parse hands them over (finite; -0 written as 0), integers and floats across the range. */
export const number = fc.oneof(
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.constantFrom(0, -0, 1e21, 1e-7, 5e-324, 1.7976931348623157e308, 333333333.3333333, 9007199254740992, 0.1),
);

/** Any JSON document: what a parser hands over for the bodies, payloads and configs that ORCA stores. */
export const jsonDocument: fc.Arbitrary<unknown> = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constant(null),
    fc.boolean(),
    number,
    text,
    fc.array(tie('value'), { maxLength: 5 }),
    fc.dictionary(text, tie('value'), { maxKeys: 6 }),
  ),
})).value;

/** Where a document sits in ORCA's hashed shapes: objects whose keys come in any order. */
export const jsonObject = fc.dictionary(text, jsonDocument, { maxKeys: 8 });

export const nullableText = fc.option(text, { nil: null });

export const agentDefinition = fc.record({
  tools: fc.array(fc.record({ name: text, description: nullableText, input_schema_hash: fc.option(fc.string({ unit: fc.constantFrom(...'0123456789abcdef'), minLength: 64, maxLength: 64 }), { nil: null }) }), { maxLength: 4 }),
  prompt: nullableText,
  model: nullableText,
  config: jsonObject,
});

export const auditFields = fc.record({
  seq: fc.nat(),
  at: fc.date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2100-01-01T00:00:00Z'), noInvalidDate: true }).map((date) => date.toISOString()),
  actor: text,
  action: text,
  target: text,
  before: fc.oneof(fc.constant(null), jsonObject),
  after: fc.oneof(fc.constant(null), jsonObject),
  correlation_id: nullableText,
});

export const eventContent = fc.record({
  event_type: text,
  entity_type: text,
  entity_id: text,
  occurred_at: fc.date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2100-01-01T00:00:00Z'), noInvalidDate: true }).map((date) => date.toISOString()),
  sequence: fc.option(fc.integer(), { nil: null }),
  agent_id: fc.option(fc.uuid(), { nil: null }),
  correlation_id: nullableText,
  payload: jsonDocument,
});

/**
 * A fixed sample, independent of ORCA_PROPERTY_SEED: the digests of its hashes are pinned in the tests, so a change
 * to canonical JSON that would alter a hash already stored fails them.
 */
export function pinnedSample<T>(arbitrary: fc.Arbitrary<T>, count = 400): T[] {
  return fc.sample(arbitrary, { seed: 8785, numRuns: count });
}
