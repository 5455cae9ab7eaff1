import { useEffect, useState } from 'preact/hooks';

/** Every console URL lives under /console (ORCA answers them all with the console's page). */
export const BASE = '/console';
const CHANGE = 'orca:navigate';

export interface Location {
  /** The path below BASE, always starting with `/` (`/`, `/agents/…`). */
  path: string;
  query: URLSearchParams;
}

export function currentLocation(): Location {
  const { pathname, search } = window.location;
  const below = pathname.startsWith(BASE) ? pathname.slice(BASE.length) : pathname;
  return { path: below === '' ? '/' : below, query: new URLSearchParams(search) };
}

/** The console URL of a path below BASE, with an optional query (empty values dropped). */
export function href(path: string, query: Record<string, string | undefined> = {}): string {
  const search = new URLSearchParams(Object.entries(query).filter((entry): entry is [string, string] => entry[1] !== undefined && entry[1] !== ''));
  const text = search.toString();
  return `${BASE}${path}${text ? `?${text}` : ''}`;
}

export function navigate(url: string, options: { replace?: boolean } = {}): void {
  if (options.replace) window.history.replaceState(null, '', url);
  else window.history.pushState(null, '', url);
  window.dispatchEvent(new Event(CHANGE));
}

/** Re-renders on every navigation (links, back and forward). */
export function useLocation(): Location {
  const [location, setLocation] = useState(currentLocation);
  useEffect(() => {
    const update = () => setLocation(currentLocation());
    window.addEventListener('popstate', update);
    window.addEventListener(CHANGE, update);
    return () => {
      window.removeEventListener('popstate', update);
      window.removeEventListener(CHANGE, update);
    };
  }, []);
  return location;
}

/** A pattern such as `/agents/:id` against a path: its parameters, or undefined. */
export function matchPath(pattern: string, path: string): Record<string, string> | undefined {
  const want = pattern.split('/').filter(Boolean);
  const have = path.split('/').filter(Boolean);
  if (want.length !== have.length) return undefined;
  const params: Record<string, string> = {};
  for (const [index, segment] of want.entries()) {
    const actual = have[index]!;
    if (segment.startsWith(':')) params[segment.slice(1)] = decodeURIComponent(actual);
    else if (segment !== actual) return undefined;
  }
  return params;
}

/**
 * Where to go after signing in: only a console page of this origin (a `next` naming another site, `//host` or a
 * backslash trick would make the sign-in page an open redirect), and never the sign-in page itself.
 */
export function safeNext(next: string | null): string {
  if (!next || !next.startsWith(`${BASE}/`) || next.includes('\\') || next.startsWith('//')) return `${BASE}/`;
  if (next.startsWith(`${BASE}/sign-in`)) return `${BASE}/`;
  return next;
}

export function signInUrl(next: string): string {
  return `${BASE}/sign-in?next=${encodeURIComponent(next)}`;
}

/** Same-page navigation for plain left clicks; anything else (new tab, download) is left to the browser. */
export function followLink(event: MouseEvent): void {
  if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
  const anchor = event.currentTarget as HTMLAnchorElement;
  if (anchor.target || anchor.hasAttribute('download') || anchor.origin !== window.location.origin || !anchor.pathname.startsWith(BASE)) return;
  event.preventDefault();
  navigate(anchor.pathname + anchor.search);
}
