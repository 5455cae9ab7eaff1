import { AgentPage } from './agent.tsx';
import { AgentsPage } from './agents.tsx';
import { AlertsPage } from './alerts.tsx';
import { ApprovalsPage } from './approvals.tsx';
import { DiscoveryPage } from './discovery.tsx';
import { KillSwitchPage } from './kill-switch.tsx';
import { OverviewPage } from './overview.tsx';
import { ReceiversPage } from './receivers.tsx';
import type { PageRoute } from './registry.ts';
import { ReportsPage } from './reports.tsx';
import { ReviewPage } from './review.tsx';
import { SilencesPage } from './silences.tsx';
import { SyncGapsPage } from './sync-gaps.tsx';
import { SyncPage } from './sync.tsx';

/**
 * Every page of the console, in navigation order. A page stands for its section in the navigation when it has `nav`
 * (docs/console.md "Adding a page").
 */
export const ROUTES: readonly PageRoute[] = [
  { pattern: '/', title: 'Overview', access: 'viewer', section: 'overview', nav: 'Overview', render: (props) => <OverviewPage {...props} /> },
  { pattern: '/agents', title: 'Agents', access: 'viewer', section: 'agents', nav: 'Agents', render: (props) => <AgentsPage {...props} /> },
  { pattern: '/agents/:id', title: 'Agent', access: 'viewer', section: 'agents', render: (props) => <AgentPage {...props} /> },
  { pattern: '/review', title: 'Review queue', access: 'viewer', section: 'review', nav: 'Review queue', render: () => <ReviewPage /> },
  { pattern: '/approvals', title: 'Approvals', access: 'viewer', section: 'approvals', nav: 'Approvals', render: (props) => <ApprovalsPage {...props} /> },
  { pattern: '/sync', title: 'Sync', access: 'viewer', section: 'sync', nav: 'Sync', render: () => <SyncPage /> },
  { pattern: '/sync/gaps', title: 'Sync gaps', access: 'viewer', section: 'sync', render: (props) => <SyncGapsPage {...props} /> },
  { pattern: '/alerts', title: 'Alerts', access: 'viewer', section: 'alerts', nav: 'Alerts', render: (props) => <AlertsPage {...props} /> },
  { pattern: '/alerts/silences', title: 'Silences', access: 'viewer', section: 'alerts', render: () => <SilencesPage /> },
  { pattern: '/alerts/receivers', title: 'Receivers', access: 'operator', section: 'alerts', render: (props) => <ReceiversPage {...props} /> },
  { pattern: '/discovery', title: 'Discovery', access: 'viewer', section: 'discovery', nav: 'Discovery', render: (props) => <DiscoveryPage {...props} /> },
  { pattern: '/kill-switch', title: 'Kill switch', access: 'viewer', section: 'kill-switch', nav: 'Kill switch', render: () => <KillSwitchPage /> },
  { pattern: '/reports', title: 'Reports', access: 'viewer', section: 'reports', nav: 'Reports', render: (props) => <ReportsPage {...props} /> },
];
