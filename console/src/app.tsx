import { useEffect, useState } from 'preact/hooks';
import { api, ApiError, ok, useCsrfToken, whenSessionEnds } from './api/client.ts';
import { Layout } from './components/layout.tsx';
import { ErrorState, Loading } from './components/states.tsx';
import { NotAllowed, NotFoundPage } from './pages/not-found.tsx';
import { can } from './roles.ts';
import { ROUTES } from './pages/index.tsx';
import { SignInPage } from './pages/sign-in.tsx';
import { BASE, matchPath, navigate, signInUrl, useLocation } from './router.ts';
import { SessionContext, type Session } from './session.ts';

type SessionState = { kind: 'checking' } | { kind: 'signed-out' } | { kind: 'signed-in'; session: Session } | { kind: 'error'; error: unknown };

const wanted = () => window.location.pathname + window.location.search;

/**
 * The console: asks ORCA for the current session once, then shows the page the URL names. Any 401 from the API (the
 * session expired, was signed out elsewhere, or its key was revoked) leads back to the sign-in page with the page
 * that was wanted, which opens again after signing in.
 */
export function App() {
  const location = useLocation();
  const [state, setState] = useState<SessionState>({ kind: 'checking' });

  const endSession = () => {
    useCsrfToken(undefined);
    setState({ kind: 'signed-out' });
    if (!window.location.pathname.startsWith(`${BASE}/sign-in`)) navigate(signInUrl(wanted()), { replace: true });
  };

  const check = () => {
    setState({ kind: 'checking' });
    ok(api.GET('/api/v1/session')).then(
      (session) => {
        useCsrfToken(session.csrf_token);
        setState({ kind: 'signed-in', session });
      },
      (error: unknown) => (error instanceof ApiError && error.status === 401 ? endSession() : setState({ kind: 'error', error })),
    );
  };

  useEffect(() => {
    whenSessionEnds(endSession);
    check();
  }, []);

  if (location.path === '/sign-in') {
    return (
      <SignInPage
        next={location.query.get('next')}
        onSignedIn={(session) => {
          useCsrfToken(session.csrf_token);
          setState({ kind: 'signed-in', session });
        }}
      />
    );
  }
  if (state.kind === 'checking') return <Loading label="the console" />;
  if (state.kind === 'error') {
    return (
      <main id="main" class="centered">
        <h1>ORCA console</h1>
        <ErrorState label="your session" error={state.error} retry={check} />
      </main>
    );
  }
  if (state.kind === 'signed-out') return <Loading label="the sign-in page" />;

  const signOut = () => {
    ok(api.DELETE('/api/v1/session')).then(endSession, endSession);
  };
  const matched = ROUTES.map((route) => ({ route, params: matchPath(route.pattern, location.path) })).find((candidate) => candidate.params);
  return (
    <SessionContext.Provider value={{ session: state.session, signOut }}>
      <Layout routes={ROUTES} current={matched?.route} path={location.path}>
        {!matched ? (
          <NotFoundPage />
        ) : can(state.session.key.role, matched.route.access) ? (
          matched.route.render({ params: matched.params!, query: location.query })
        ) : (
          <NotAllowed role={state.session.key.role} needs={matched.route.access} />
        )}
      </Layout>
    </SessionContext.Provider>
  );
}
