import type { ApiResponse } from '../client.js';
import { SOURCES } from '../organisation.js';
import type { DemoSourceKind } from '../signing.js';
import type { DemoSession } from './session.js';

type Source = { id: string; kind: string; name: string; ingest_path: string; generated_secret?: string };

/** A source the demo can send to, with the secret ORCA generated for it (shown once, kept here in memory to sign). */
export interface UsableSource {
  id: string;
  path: string;
  secret: string;
  /** found from an earlier demo run (its secret was rotated) rather than created now */
  reused: boolean;
}

export interface DemoSources {
  byKind: Map<DemoSourceKind, UsableSource>;
  summary: { created: number; reused: number; byKind: Record<string, number> };
}

/** Creates the demo's sources, or rotates the secret of those an earlier run created (found by kind and name). */
export async function ensureSources({ client, baseUrl, note }: DemoSession): Promise<DemoSources> {
  const byKind = new Map<DemoSourceKind, UsableSource>();
  const summary = { created: 0, reused: 0, byKind: {} as Record<string, number> };
  const existing = await client.listAll<Source>('/api/v1/sources');
  if (existing === null) {
    note('GET /api/v1/sources failed: sources are not available on this server');
    return { byKind, summary };
  }
  for (const definition of SOURCES) {
    const signing =
      definition.kind === 'hubspot'
        ? { ...definition.signing, options: { ...(definition.signing?.options ?? {}), public_base_url: baseUrl } }
        : definition.signing;
    const found = existing.find((source) => source.kind === definition.kind && source.name === definition.name);
    let answer: ApiResponse<Source>;
    if (found) {
      // The secret is write-only, so a reused source gets a new one; no overlap: only the demo sends to it.
      answer = await client.post<Source>(`/api/v1/sources/${found.id}/rotate-secret`, { overlap: '0s' });
      if (answer.status === 200) {
        const patched = await client.patch(`/api/v1/sources/${found.id}`, { enabled: true, ...(signing ? { signing } : {}) });
        if (patched.status !== 200) note(`source "${definition.name}" could not be updated (${patched.status} ${patched.problem ?? ''})`);
      }
    } else {
      answer = await client.post<Source>('/api/v1/sources', {
        kind: definition.kind,
        name: definition.name,
        description: definition.description,
        ...(signing ? { signing } : {}),
      });
    }
    const secret = answer.body?.generated_secret;
    if ((answer.status === 200 || answer.status === 201) && secret) {
      byKind.set(definition.kind, { id: answer.body.id, path: answer.body.ingest_path, secret, reused: Boolean(found) });
      if (found) summary.reused++;
      else summary.created++;
      summary.byKind[definition.kind] = 1;
    } else {
      note(`source "${definition.name}" is not usable (${answer.status} ${answer.problem ?? 'no generated secret'})`);
    }
  }
  return { byKind, summary };
}
