import { useEffect, useRef, useState } from 'preact/hooks';
import { api, ApiError, ok } from '../api/client.ts';
import { navigate, safeNext } from '../router.ts';
import type { Session } from '../session.ts';

/** What a refused sign-in says. A key that is unknown, revoked or expired gets the same words: none says which. */
export function signInErrorMessage(error: unknown): string {
  if (error instanceof ApiError) {
    if (error.status === 401) return 'This API key was not accepted.';
    if (error.status === 403) return error.message;
    if (error.status === 429) return 'Too many sign-in attempts from this address: wait a few minutes and try again.';
    if (error.status === 400) return 'Paste an API key.';
    return `ORCA could not sign you in (${error.status}).`;
  }
  return 'ORCA could not be reached.';
}

/**
 * The key is read from the field once, posted, and the field cleared: it is exchanged for the HttpOnly session cookie
 * and kept nowhere in the page, its storage or its cookies (docs/console.md "Sign-in and sessions").
 */
export function SignInPage(props: { next: string | null; onSignedIn: (session: Session) => void }) {
  const field = useRef<HTMLInputElement>(null);
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);

  const submit = (event: Event) => {
    event.preventDefault();
    const input = field.current;
    if (!input) return;
    const apiKey = input.value.trim();
    input.value = '';
    if (!apiKey) {
      setError('Paste an API key.');
      input.focus();
      return;
    }
    setBusy(true);
    setError(undefined);
    ok(api.POST('/api/v1/session', { body: { api_key: apiKey } })).then(
      (session) => {
        setBusy(false);
        props.onSignedIn(session);
        navigate(safeNext(props.next), { replace: true });
      },
      (failure: unknown) => {
        setBusy(false);
        setError(signInErrorMessage(failure));
        field.current?.focus();
      },
    );
  };

  useEffect(() => {
    document.title = 'Sign in · ORCA';
    field.current?.focus();
  }, []);
  return (
    <main id="main" class="centered sign-in">
      <h1>Sign in to ORCA</h1>
      <p>Paste an API key with the viewer, operator or admin role. It is exchanged for a session and not kept by this browser.</p>
      <form onSubmit={submit} noValidate>
        <label for="api-key">API key</label>
        <input
          id="api-key"
          ref={field}
          type="password"
          name="api-key"
          autoComplete="off"
          spellcheck={false}
          required
          aria-invalid={error ? 'true' : undefined}
          aria-describedby={error ? 'sign-in-error' : undefined}
        />
        {error && (
          <p id="sign-in-error" class="form-error" role="alert">
            {error}
          </p>
        )}
        <button type="submit" disabled={busy}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
    </main>
  );
}
