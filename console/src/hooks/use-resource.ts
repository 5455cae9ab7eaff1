import { useCallback, useEffect, useRef, useState } from 'preact/hooks';

export type Resource<T> = { status: 'loading' } | { status: 'error'; error: unknown } | { status: 'ready'; data: T };

/**
 * Loads data for a page and tracks its state. A result that arrives after the inputs changed (a newer load started)
 * is dropped, so a slow answer never overwrites a newer one.
 */
export function useResource<T>(load: () => Promise<T>, deps: readonly unknown[]): [Resource<T>, () => void] {
  const [resource, setResource] = useState<Resource<T>>({ status: 'loading' });
  const generation = useRef(0);
  const run = useCallback(() => {
    const mine = ++generation.current;
    setResource({ status: 'loading' });
    load().then(
      (data) => mine === generation.current && setResource({ status: 'ready', data }),
      (error: unknown) => mine === generation.current && setResource({ status: 'error', error }),
    );
  }, deps);
  useEffect(run, [run]);
  return [resource, run];
}
