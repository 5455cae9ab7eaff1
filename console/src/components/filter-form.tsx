import { href, navigate } from '../router.ts';

export type FilterField = { name: string; label: string } & ({ kind: 'text' } | { kind: 'select'; options: readonly string[] });

/**
 * Filters of a list, kept in the URL's query (so a filtered list can be bookmarked, shared and reached with Back).
 * Submitting replaces the query; every field is labelled.
 */
export function FilterForm(props: { path: string; fields: readonly FilterField[]; query: URLSearchParams; id: string }) {
  const submit = (event: Event) => {
    event.preventDefault();
    const data = new FormData(event.currentTarget as HTMLFormElement);
    const values: Record<string, string> = {};
    for (const field of props.fields) {
      const value = String(data.get(field.name) ?? '').trim();
      if (value !== '') values[field.name] = value;
    }
    navigate(href(props.path, values));
  };
  return (
    // Keyed by the query: the fields start from the URL's values and are left alone while the user types (a list
    // finishing its load re-renders the page), until the next navigation builds them afresh.
    <form key={props.query.toString()} class="filters" onSubmit={submit} aria-label="Filters">
      {props.fields.map((field) => {
        const id = `${props.id}-${field.name}`;
        const current = props.query.get(field.name) ?? '';
        return (
          <div class="field">
            <label for={id}>{field.label}</label>
            {field.kind === 'select' ? (
              <select id={id} name={field.name}>
                <option value="" selected={current === ''}>
                  any
                </option>
                {field.options.map((option) => (
                  <option value={option} selected={current === option}>
                    {option.replace(/_/g, ' ')}
                  </option>
                ))}
              </select>
            ) : (
              <input id={id} name={field.name} type="search" defaultValue={current} />
            )}
          </div>
        );
      })}
      <div class="field actions">
        <button type="submit">Apply filters</button>
        <a class="button secondary" href={href(props.path)} onClick={(event) => (event.preventDefault(), navigate(href(props.path)))}>
          Clear
        </a>
      </div>
    </form>
  );
}

/** A query value that must be one of a closed set (an enum filter); anything else is dropped rather than sent. */
export function oneOf<T extends string>(query: URLSearchParams, name: string, options: readonly T[]): T | undefined {
  const value = query.get(name);
  return value !== null && (options as readonly string[]).includes(value) ? (value as T) : undefined;
}

/** A free-text query value, or undefined when empty. */
export function textOf(query: URLSearchParams, name: string): string | undefined {
  const value = query.get(name)?.trim();
  return value ? value : undefined;
}

/** The query without its unset filters: openapi-fetch would otherwise send `?owner=undefined`. */
export function withoutUndefined<T extends Record<string, unknown>>(values: T): { [K in keyof T]?: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(values).filter((entry) => entry[1] !== undefined)) as { [K in keyof T]?: Exclude<T[K], undefined> };
}
