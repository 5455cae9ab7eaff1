import { useId, useState } from 'preact/hooks';
import { describeError } from './states.tsx';

type Submit<T> = (value: T) => Promise<unknown>;

function useSubmission<T>(submit: Submit<T>, onDone: () => void) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | undefined>();
  const run = (value: T, after?: () => void) => {
    setBusy(true);
    setError(undefined);
    submit(value).then(
      () => {
        setBusy(false);
        after?.();
        onDone();
      },
      (failure: unknown) => {
        setBusy(false);
        setError(describeError(failure).message);
      },
    );
  };
  return { busy, error, run };
}

/**
 * A write that needs a reason (kept in the audit log): the button opens a small form asking for it. Only rendered for
 * roles the API allows; the API checks again.
 */
export function ReasonAction(props: { label: string; reasonLabel?: string; submit: Submit<string>; onDone: () => void; danger?: boolean }) {
  const [open, setOpen] = useState(false);
  const id = useId();
  const { busy, error, run } = useSubmission(props.submit, props.onDone);
  if (!open) {
    return (
      <button type="button" class={props.danger ? 'danger' : ''} onClick={() => setOpen(true)}>
        {props.label}
      </button>
    );
  }
  const submit = (event: Event) => {
    event.preventDefault();
    const reason = String(new FormData(event.currentTarget as HTMLFormElement).get('reason') ?? '').trim();
    run(reason, () => setOpen(false));
  };
  return (
    <form class="action-form" onSubmit={submit}>
      <label for={`${id}-reason`}>{props.reasonLabel ?? `Reason (${props.label.toLowerCase()})`}</label>
      <input id={`${id}-reason`} name="reason" required minLength={1} maxLength={500} />
      {error && (
        <p class="form-error" role="alert">
          {error}
        </p>
      )}
      <div class="buttons">
        <button type="submit" class={props.danger ? 'danger' : ''} disabled={busy}>
          {busy ? 'Working…' : props.label}
        </button>
        <button type="button" class="secondary" onClick={() => setOpen(false)}>
          Cancel
        </button>
      </div>
    </form>
  );
}

/** A write without input (retry a delivery, expire a silence): one button, its error shown beside it. */
export function ButtonAction(props: { label: string; submit: () => Promise<unknown>; onDone: () => void }) {
  const { busy, error, run } = useSubmission<undefined>(() => props.submit(), props.onDone);
  return (
    <span class="button-action">
      <button type="button" disabled={busy} onClick={() => run(undefined)}>
        {busy ? 'Working…' : props.label}
      </button>
      {error && (
        <span class="form-error" role="alert">
          {error}
        </span>
      )}
    </span>
  );
}
