import { createAuditModule } from '../modules/audit/index.js';
import { createConsoleModule } from '../modules/console/index.js';
import { wireAgentControl } from './agent-control.js';
import { wireAlerting } from './alerting.js';
import { wireDataFlow } from './data-flow.js';
import { wireGovernance } from './governance.js';
import { wireOperations } from './operations.js';
import { sharedDeps, type BuiltModules, type Wiring } from './wiring.js';

/**
 * Every module, each with the narrow dependencies it needs, area by area. The order matters where a module takes
 * another's service as it is built (the audit log first: every module records into it); a module that only reacts
 * to one built after it reaches it through `modules` inside a closure, called once the container runs.
 */
export function createModules(w: Wiring): BuiltModules {
  const modules = {} as BuiltModules;
  modules.audit = createAuditModule({ db: w.db, clock: w.clock, metrics: w.metrics.registry, logger: w.logger });
  const shared = sharedDeps(w, modules.audit.service);
  Object.assign(modules, wireAlerting(w, modules, shared));
  Object.assign(modules, wireGovernance(w, modules, shared));
  Object.assign(modules, wireDataFlow(w, modules, shared));
  Object.assign(modules, wireOperations(w, modules, shared));
  Object.assign(modules, wireAgentControl(w, modules, shared));
  modules.console = createConsoleModule({ dir: w.config.consoleDir });
  return modules;
}
