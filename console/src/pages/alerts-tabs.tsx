import { followLink, href } from '../router.ts';
import { useCan } from '../session.ts';

/** The pages of the Alerts section; receivers and deliveries only for the roles that may read them. */
export function AlertsTabs({ current }: { current: 'alerts' | 'silences' | 'receivers' }) {
  const canOperate = useCan('operator');
  const tab = (name: typeof current, path: string, label: string) => (
    <a href={href(path)} onClick={followLink} aria-current={current === name ? 'page' : undefined}>
      {label}
    </a>
  );
  return (
    <nav class="tabs" aria-label="Alerts">
      {tab('alerts', '/alerts', 'Alerts')}
      {tab('silences', '/alerts/silences', 'Silences')}
      {canOperate && tab('receivers', '/alerts/receivers', 'Receivers and deliveries')}
    </nav>
  );
}
