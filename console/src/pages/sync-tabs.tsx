import { followLink, href } from '../router.ts';

/** The two pages of the Sync section. */
export function SyncTabs({ current }: { current: 'streams' | 'gaps' }) {
  return (
    <nav class="tabs" aria-label="Sync">
      <a href={href('/sync')} onClick={followLink} aria-current={current === 'streams' ? 'page' : undefined}>
        Contracts and streams
      </a>
      <a href={href('/sync/gaps')} onClick={followLink} aria-current={current === 'gaps' ? 'page' : undefined}>
        Gaps
      </a>
    </nav>
  );
}
