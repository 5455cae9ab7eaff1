/**
 * Source adapters (SPEC §5): pure functions from a raw HTTP delivery to verified, parsed native events, and the
 * field-mapping engine that turns a native event into ORCA's canonical fields. No I/O, no clock of their own.
 */
export * from './types.js';
import type { FieldMapping, NativeEvent, CanonicalFields, SourceAdapter, SourceKind } from './types.js';

// Implementations land in the next commits; these declarations fix the contract for the ingest module.
export declare const ADAPTERS: Record<SourceKind, SourceAdapter>;
export declare const DEFAULT_MAPPINGS: Record<SourceKind, FieldMapping>;
export declare function applyMapping(event: NativeEvent, mapping: FieldMapping): CanonicalFields;
