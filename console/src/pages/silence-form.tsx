import { useId, useState } from 'preact/hooks';
import { api, ok, type Schemas } from '../api/client.ts';
import { describeError } from '../components/states.tsx';

const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
const DURATIONS: Array<{ label: string; ms: number }> = [
  { label: '1 hour', ms: 3_600_000 },
  { label: '4 hours', ms: 4 * 3_600_000 },
  { label: '1 day', ms: 86_400_000 },
  { label: '1 week', ms: 7 * 86_400_000 },
];

/** Matchers that select exactly this alert: one `name="value"` per label (values quoted as JSON strings, as ORCA parses them). */
export function matchersFor(alert: Pick<Schemas['Alert'], 'labels'>): string[] {
  return Object.entries(alert.labels)
    .filter(([name]) => LABEL_NAME.test(name))
    .sort(([a], [b]) => (a === 'alertname' ? -1 : b === 'alertname' ? 1 : a.localeCompare(b)))
    .map(([name, value]) => `${name}=${JSON.stringify(value)}`);
}

/** Creates a silence from an alert: its labels as matchers (editable), a duration and a comment. */
export function SilenceForm(props: { alert: Schemas['Alert']; onDone: () => void; onCancel: () => void }) {
  const id = useId();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | undefined>();
  const submit = (event: Event) => {
    event.preventDefault();
    const data = new FormData(event.currentTarget as HTMLFormElement);
    const matchers = String(data.get('matchers') ?? '')
      .split('\n')
      .map((line) => line.trim())
      .filter(Boolean);
    const duration = Number(data.get('duration'));
    const body = { matchers, comment: String(data.get('comment') ?? '').trim(), ends_at: new Date(Date.now() + duration).toISOString() };
    setBusy(true);
    setError(undefined);
    ok(api.POST('/api/v1/silences', { body })).then(
      () => {
        setBusy(false);
        props.onDone();
      },
      (failure: unknown) => {
        setBusy(false);
        setError(describeError(failure).message);
      },
    );
  };
  return (
    <form class="action-form" onSubmit={submit} aria-label={`Silence ${props.alert.rule}`}>
      <label for={`${id}-matchers`}>Matchers (one per line; all must match)</label>
      <textarea id={`${id}-matchers`} name="matchers" rows={Math.max(2, matchersFor(props.alert).length)} required>
        {matchersFor(props.alert).join('\n')}
      </textarea>
      <label for={`${id}-duration`}>For</label>
      <select id={`${id}-duration`} name="duration">
        {DURATIONS.map((duration) => (
          <option value={String(duration.ms)}>{duration.label}</option>
        ))}
      </select>
      <label for={`${id}-comment`}>Comment</label>
      <input id={`${id}-comment`} name="comment" required maxLength={1000} />
      {error && (
        <p class="form-error" role="alert">
          {error}
        </p>
      )}
      <div class="buttons">
        <button type="submit" disabled={busy}>
          {busy ? 'Creating…' : 'Create silence'}
        </button>
        <button type="button" class="secondary" onClick={props.onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
