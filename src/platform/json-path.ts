/**
 * The JSON path subset ORCA reads documents with — source field mappings (ingest) and sync contracts both use it.
 * A deliberate subset of JSONPath that names exactly one value: `$`, `$.name`, `$.a.b`, `$.a[0]`,
 * `$['key with space']`, `$["k"]` (a backslash escapes the next character inside quotes). No filters, wildcards or
 * recursive descent, so evaluation is linear in the path and cannot be abused. Only own properties are read, so
 * `$.constructor` or `$.__proto__` find nothing rather than an object's prototype.
 */

export type PathSegment = string | number;

export const MAX_PATH_LENGTH = 512;
export const MAX_SEGMENTS = 64;
const IDENTIFIER = /^[A-Za-z0-9_$@:-]+/;

/** A text that is not a path of the subset; `path` is the offending text (never a document's content). */
export class JsonPathError extends Error {
  readonly path: string;
  constructor(message: string, path: string) {
    super(message);
    this.name = 'JsonPathError';
    this.path = path;
  }
}

/** Parses a path into its segments; throws JsonPathError when it is not of the supported syntax. */
export function parseJsonPath(path: string): PathSegment[] {
  if (typeof path !== 'string' || path.length === 0 || path.length > MAX_PATH_LENGTH) {
    throw new JsonPathError(`a JSON path must be a non-empty string of at most ${MAX_PATH_LENGTH} characters`, String(path));
  }
  if (path[0] !== '$') throw new JsonPathError('a JSON path starts with $', path);
  const segments: PathSegment[] = [];
  let index = 1;
  while (index < path.length) {
    if (segments.length >= MAX_SEGMENTS) throw new JsonPathError(`a JSON path has at most ${MAX_SEGMENTS} segments`, path);
    const char = path[index];
    if (char === '.') {
      const match = IDENTIFIER.exec(path.slice(index + 1));
      if (!match) throw new JsonPathError(`expected a property name at offset ${index + 1}`, path);
      segments.push(match[0]);
      index += 1 + match[0].length;
    } else if (char === '[') {
      const rest = path.slice(index + 1);
      const number = /^(\d{1,9})\]/.exec(rest);
      if (number) {
        segments.push(Number(number[1]));
        index += 1 + number[0].length;
        continue;
      }
      const quote = rest[0];
      if (quote !== "'" && quote !== '"') throw new JsonPathError(`expected an index or a quoted name at offset ${index + 1}`, path);
      let name = '';
      let cursor = 1;
      let closed = false;
      while (cursor < rest.length) {
        const c = rest[cursor] as string;
        if (c === '\\' && cursor + 1 < rest.length) {
          name += rest[cursor + 1];
          cursor += 2;
          continue;
        }
        if (c === quote) {
          closed = true;
          break;
        }
        name += c;
        cursor += 1;
      }
      if (!closed || rest[cursor + 1] !== ']') throw new JsonPathError(`unterminated bracket at offset ${index}`, path);
      segments.push(name);
      index += 1 + cursor + 2;
    } else {
      throw new JsonPathError(`unexpected character ${JSON.stringify(char)} at offset ${index}`, path);
    }
  }
  return segments;
}

/** Like parseJsonPath, but undefined instead of an error (for validators that word their own message). */
export function tryParseJsonPath(path: string): PathSegment[] | undefined {
  try {
    return parseJsonPath(path);
  } catch (error) {
    if (error instanceof JsonPathError) return undefined;
    throw error;
  }
}

/** The value at the path's segments, or `undefined` when any step is missing. Never throws for any document. */
export function readJsonPath(document: unknown, segments: readonly PathSegment[]): unknown {
  let current: unknown = document;
  for (const segment of segments) {
    if (typeof segment === 'number') {
      if (!Array.isArray(current) || segment >= current.length) return undefined;
      current = current[segment];
    } else {
      if (typeof current !== 'object' || current === null || Array.isArray(current)) return undefined;
      if (!Object.hasOwn(current, segment)) return undefined;
      current = (current as Record<string, unknown>)[segment];
    }
  }
  return current;
}

/** parseJsonPath then readJsonPath; throws JsonPathError for a bad path. */
export function evaluateJsonPath(document: unknown, path: string): unknown {
  return readJsonPath(document, parseJsonPath(path));
}
