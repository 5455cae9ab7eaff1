import type { Logger } from '../../platform/telemetry/logger.js';
import { validateContractDocument, type CompiledContract } from './contract.js';
import type { ContractsRepository, ContractVersionRecord } from './contracts.repository.js';

export interface ActiveContracts {
  version: number;
  activated_at: Date;
  contracts: CompiledContract[];
}

/** The active contract of this name, if any (a stored gap or follow-up may name one a newer version removed). */
export function ownerOf(active: ActiveContracts, contract: string): CompiledContract | undefined {
  return active.contracts.find((candidate) => candidate.name === contract);
}

const EMPTY: ActiveContracts = { version: 0, activated_at: new Date(0), contracts: [] };

/**
 * The compiled active contracts, held in memory because every ingested batch consults them. A PUT on this
 * replica replaces them at once; other replicas re-read the version at most `refreshMs` later.
 */
export function createActiveContracts(deps: { repository: Pick<ContractsRepository, 'latestContractVersion'>; logger: Logger; refreshMs?: number }) {
  const refreshMs = deps.refreshMs ?? 5000;
  let current: ActiveContracts | undefined;
  let loadedAt = 0;
  let loading: Promise<ActiveContracts> | undefined;

  function compile(record: ContractVersionRecord): ActiveContracts {
    const result = validateContractDocument(record.document);
    if (!result.ok) {
      // Stored documents were validated on PUT; a failure here means the format changed under them.
      deps.logger.error({ version: record.version, errors: result.errors.slice(0, 5) }, 'stored sync contracts no longer validate; analysing with none');
      return { version: record.version, activated_at: record.created_at, contracts: [] };
    }
    return { version: record.version, activated_at: record.created_at, contracts: result.contracts };
  }

  async function load(): Promise<ActiveContracts> {
    const record = await deps.repository.latestContractVersion();
    const next = record ? (current && current.version === record.version ? current : compile(record)) : EMPTY;
    current = next;
    loadedAt = Date.now();
    return next;
  }

  return {
    /**
     * The contracts held now, without reading the database: for work inside a transaction (on PGlite a read through
     * the pool would wait for it), right after `get()` loaded them.
     */
    current(): ActiveContracts {
      return current ?? EMPTY;
    },
    async get(): Promise<ActiveContracts> {
      if (current && Date.now() - loadedAt < refreshMs) return current;
      loading ??= load().finally(() => {
        loading = undefined;
      });
      return loading;
    },
    /** Installs a version just written on this replica. */
    set(record: ContractVersionRecord): void {
      current = compile(record);
      loadedAt = Date.now();
    },
  };
}

export type ActiveContractsStore = ReturnType<typeof createActiveContracts>;
