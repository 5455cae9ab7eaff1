import type { ComponentChildren } from 'preact';
import { useEffect, useRef } from 'preact/hooks';
import { followLink, href } from '../router.ts';
import { can } from '../roles.ts';
import { useSession } from '../session.ts';
import type { PageRoute } from '../pages/registry.ts';

/**
 * The frame of every signed-in page: a skip link, the header with who is signed in, the navigation (only the pages
 * the key's role may read) and the main region, which takes the focus after each navigation within the console so
 * that keyboard and screen-reader users start at the new page's content.
 */
export function Layout(props: { routes: readonly PageRoute[]; current: PageRoute | undefined; path: string; children: ComponentChildren }) {
  const { session, signOut } = useSession();
  const main = useRef<HTMLElement>(null);
  const loaded = useRef(false);
  useEffect(() => {
    document.title = `${props.current?.title ?? 'Not found'} · ORCA`;
    // Not on the first page of a visit: there the focus stays at the start of the document (the skip link first).
    if (loaded.current) main.current?.focus();
    loaded.current = true;
  }, [props.path]);
  const items = props.routes.filter((route) => route.nav && can(session.key.role, route.access));
  return (
    <>
      <a class="skip-link" href="#main">
        Skip to content
      </a>
      <header class="topbar">
        <a class="brand" href={href('/')} onClick={followLink}>
          ORCA
        </a>
        <p class="whoami">
          Signed in with <strong>{session.key.name}</strong> ({session.key.role})
        </p>
        <button type="button" class="secondary" onClick={signOut}>
          Sign out
        </button>
      </header>
      <div class="shell">
        <nav class="sidebar" aria-label="Console">
          <ul>
            {items.map((route) => (
              <li>
                <a href={href(route.pattern)} onClick={followLink} aria-current={props.current?.section === route.section ? 'page' : undefined}>
                  {route.nav}
                </a>
              </li>
            ))}
          </ul>
        </nav>
        <main id="main" ref={main} tabIndex={-1}>
          {props.children}
        </main>
      </div>
    </>
  );
}
