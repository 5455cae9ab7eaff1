import type { JSX } from 'preact';
import type { Access } from '../roles.ts';

export interface PageProps {
  params: Record<string, string>;
  query: URLSearchParams;
}

/**
 * One console page: its URL pattern below /console, the role it needs to be listed, the navigation section it belongs
 * to and, for the one page that stands for its section, the navigation label. Adding a page is one entry in
 * pages/index.ts and one component.
 */
export interface PageRoute {
  pattern: string;
  title: string;
  access: Access;
  section: string;
  nav?: string;
  render: (props: PageProps) => JSX.Element;
}
