import { AgentPage } from './agent.tsx';
import { AgentsPage } from './agents.tsx';
import { AlertsPage } from './alerts.tsx';
import { OverviewPage } from './overview.tsx';
import { ReceiversPage } from './receivers.tsx';
import type { PageRoute } from './registry.ts';
import { ReportsPage } from './reports.tsx';
import { SilencesPage } from './silences.tsx';
import { SyncGapsPage } from './sync-gaps.tsx';
import { SyncPage } from './sync.tsx';

/**
 * Every page of the console, in navigation order. A page stands for its section in the navigation when it has `nav`.
 * Review queue, approvals, discovery and the kill switch join here as their APIs land (docs/console.md "Adding a page").
 */
export const ROUTES: readonly PageRoute[] = [
  { pattern: '/', title: 'Overview', access: 'viewer', section: 'overview', nav: 'Overview', render: (props) => <OverviewPage {...props} /> },
  { pattern: '/agents', title: 'Agents', access: 'viewer', section: 'agents', nav: 'Agents', render: (props) => <AgentsPage {...props} /> },
  { pattern: '/agents/:id', title: 'Agent', access: 'viewer', section: 'agents', render: (props) => <AgentPage {...props} /> },
  { pattern: '/sync', title: 'Sync', access: 'viewer', section: 'sync', nav: 'Sync', render: () => <SyncPage /> },
  { pattern: '/sync/gaps', title: 'Sync gaps', access: 'viewer', section: 'sync', render: (props) => <SyncGapsPage {...props} /> },
  { pattern: '/alerts', title: 'Alerts', access: 'viewer', section: 'alerts', nav: 'Alerts', render: (props) => <AlertsPage {...props} /> },
  { pattern: '/alerts/silences', title: 'Silences', access: 'viewer', section: 'alerts', render: () => <SilencesPage /> },
  { pattern: '/alerts/receivers', title: 'Receivers', access: 'operator', section: 'alerts', render: (props) => <ReceiversPage {...props} /> },
  { pattern: '/reports', title: 'Reports', access: 'viewer', section: 'reports', nav: 'Reports', render: (props) => <ReportsPage {...props} /> },
];
