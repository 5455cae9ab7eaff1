import type { ComponentChildren } from 'preact';
import { ApiError } from '../api/client.ts';
import type { Resource } from '../hooks/use-resource.ts';

export function Loading({ label }: { label: string }) {
  return (
    <p class="state state-loading" role="status">
      Loading {label}…
    </p>
  );
}

export function Empty({ children }: { children: ComponentChildren }) {
  return <p class="state state-empty">{children}</p>;
}

export function describeError(error: unknown): { message: string; correlationId?: string } {
  if (error instanceof ApiError) {
    if (error.status === 403) return { message: `Your key’s role may not see this (${error.message}).` };
    if (error.status === 429) return { message: 'Too many requests: wait a moment and try again.' };
    return { message: error.message, ...(error.problem?.correlation_id ? { correlationId: error.problem.correlation_id } : {}) };
  }
  return { message: error instanceof Error ? `ORCA could not be reached (${error.message}).` : 'Something went wrong.' };
}

export function ErrorState({ label, error, retry }: { label: string; error: unknown; retry?: () => void }) {
  const { message, correlationId } = describeError(error);
  return (
    <div class="state state-error" role="alert">
      <p>
        Could not load {label}: {message}
      </p>
      {correlationId && <p class="muted">Correlation id: {correlationId}</p>}
      {retry && (
        <button type="button" onClick={retry}>
          Try again
        </button>
      )}
    </div>
  );
}

/**
 * Every page's three states in one place: loading, error (with a retry), empty (when `isEmpty` says so), and the
 * data otherwise.
 */
export function Async<T>(props: {
  resource: Resource<T>;
  label: string;
  retry?: () => void;
  isEmpty?: (data: T) => boolean;
  empty?: ComponentChildren;
  children: (data: T) => ComponentChildren;
}) {
  const { resource, label } = props;
  if (resource.status === 'loading') return <Loading label={label} />;
  if (resource.status === 'error') return <ErrorState label={label} error={resource.error} {...(props.retry ? { retry: props.retry } : {})} />;
  if (props.isEmpty?.(resource.data)) return <Empty>{props.empty ?? `No ${label}.`}</Empty>;
  return <>{props.children(resource.data)}</>;
}
