import type { ADAPTERS } from './adapters/index.js';

/** The narrow view of the sources module ingestion needs (resolved per request, cached there). */
export interface SourceLookup {
  forIngest(id: string): Promise<
    | {
        id: string;
        kind: keyof typeof ADAPTERS;
        enabled: boolean;
        mapping: Record<string, unknown>;
        toleranceSeconds: number;
        options: Record<string, unknown>;
        secret: string;
        previousSecret: string | null;
        previousSecretExpiresAt: Date | null;
      }
    | undefined
  >;
}
