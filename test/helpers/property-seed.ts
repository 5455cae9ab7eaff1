/**
 * Every fast-check property runs from one fixed seed, so a run of the suite is reproducible: a property that fails
 * in CI fails the same way on a laptop. ORCA_PROPERTY_SEED picks another seed (to explore, or to replay the one
 * fast-check printed with a counterexample). The fuzzer (test/fuzz) keeps its own ORCA_FUZZ_SEED.
 */
import fc from 'fast-check';

const DEFAULT_SEED = 20_261_128;
const parsedSeed = Number.parseInt(process.env.ORCA_PROPERTY_SEED ?? '', 10);

fc.configureGlobal({ seed: Number.isSafeInteger(parsedSeed) ? parsedSeed : DEFAULT_SEED });
