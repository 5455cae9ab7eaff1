import type { Suite } from '../lib/types.js';
import { alertsSuite } from './alerts.js';
import { approvalsSuite } from './approvals.js';
import { dbSuite } from './db.js';
import { discoverySuite } from './discovery.js';
import { httpCostSuite } from './http-cost.js';
import { httpSuite } from './http.js';
import { ingestSuite } from './ingest.js';
import { killSwitchSuite } from './killswitch.js';
import { kpisSuite } from './kpis.js';
import { memorySuite } from './memory.js';
import { policySuite } from './policy.js';

/** Every suite, in the order `npm run bench` runs them and the report lists them. Add new suites here. */
export const SUITES: readonly Suite[] = [httpSuite, httpCostSuite, dbSuite, policySuite, ingestSuite, kpisSuite, memorySuite, alertsSuite, killSwitchSuite, discoverySuite, approvalsSuite];
