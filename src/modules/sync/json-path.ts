/**
 * The small JSON path subset contracts use to point into an event's payload: `$`, `.name`, `['name']`, `[0]`.
 * Enough to reach any field of a JSON document; no filters or wildcards (a rule names one value).
 */
export type PathSegment = string | number;

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$-]*/;

/** Parses `$.a.b[0]['c d']`; undefined when the text is not a path of this subset. */
export function parseJsonPath(text: string): PathSegment[] | undefined {
  if (!text.startsWith('$')) return undefined;
  const segments: PathSegment[] = [];
  let rest = text.slice(1);
  while (rest.length > 0) {
    if (rest.startsWith('.')) {
      const match = IDENTIFIER.exec(rest.slice(1));
      if (!match) return undefined;
      segments.push(match[0]);
      rest = rest.slice(1 + match[0].length);
    } else if (rest.startsWith('[')) {
      const index = /^\[(\d{1,9})\]/.exec(rest);
      if (index) {
        segments.push(Number(index[1]));
        rest = rest.slice(index[0].length);
        continue;
      }
      const quoted = /^\['((?:[^'\\]|\\.)*)'\]/.exec(rest) ?? /^\["((?:[^"\\]|\\.)*)"\]/.exec(rest);
      if (!quoted) return undefined;
      segments.push(quoted[1]!.replace(/\\(.)/g, '$1'));
      rest = rest.slice(quoted[0].length);
    } else {
      return undefined;
    }
  }
  return segments;
}

/** The value at the path, or undefined when any step is missing. Never walks into prototypes. */
export function readJsonPath(document: unknown, path: readonly PathSegment[]): unknown {
  let current: unknown = document;
  for (const segment of path) {
    if (current === null || typeof current !== 'object') return undefined;
    if (typeof segment === 'number') {
      if (!Array.isArray(current)) return undefined;
      current = current[segment];
    } else {
      if (Array.isArray(current) || !Object.prototype.hasOwnProperty.call(current, segment)) return undefined;
      current = (current as Record<string, unknown>)[segment];
    }
  }
  return current;
}
