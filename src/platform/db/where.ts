/** A piece of SQL and the values of its positional parameters ($1, $2, … in order). */
export interface SqlText {
  text: string;
  values: unknown[];
}

/**
 * Builds the `where` clause of a filtered listing: conditions joined with `and`, each value bound as the next
 * positional parameter, never spliced into the text. Conditions are written by the repository (column names stay
 * plain SQL there); a caller decides which filters apply.
 */
export interface WhereBuilder {
  /** Adds a condition on one bound value; `condition` receives its placeholder (`$3`), and may use it twice. */
  add(condition: (placeholder: string) => string, value: unknown): WhereBuilder;
  /** Adds a condition that binds nothing (`resolved_at is null`). */
  addFixed(condition: string): WhereBuilder;
  /** Binds a value that is not a condition (a `limit`), numbered after the conditions so far; its placeholder. */
  bind(value: unknown): string;
  /** `where a and b` (empty text when there is no condition) and every value bound, in placeholder order. */
  build(): SqlText;
}

export function whereClause(): WhereBuilder {
  const conditions: string[] = [];
  const values: unknown[] = [];
  const builder: WhereBuilder = {
    add(condition, value) {
      conditions.push(condition(builder.bind(value)));
      return builder;
    },
    addFixed(condition) {
      conditions.push(condition);
      return builder;
    },
    bind(value) {
      values.push(value);
      return `$${values.length}`;
    },
    build() {
      return { text: conditions.length > 0 ? `where ${conditions.join(' and ')}` : '', values: [...values] };
    },
  };
  return builder;
}
