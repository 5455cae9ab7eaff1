/**
 * The JSON pointer of the first member name that repeats within one object of a JSON text, or undefined. JSON.parse
 * keeps the last value silently (RFC 8259 only says names SHOULD be unique); a hand-written document with a key
 * twice is a mistake to report, not to guess at. One pass over text already known to be valid JSON, iterative.
 */
export function findDuplicateKey(text: string): string | undefined {
  interface Frame {
    pointer: string;
    /** Member names seen so far; null in an array. */
    names: Set<string> | null;
    /** The pointer token of the value being read: the last member name, or the array index. */
    token: string;
    index: number;
    expectingName: boolean;
  }
  const stack: Frame[] = [];
  const escape = (name: string) => name.replaceAll('~', '~0').replaceAll('/', '~1');
  const childPointer = () => {
    const parent = stack.at(-1);
    return parent === undefined ? '' : `${parent.pointer}/${parent.token}`;
  };
  for (let at = 0; at < text.length; at += 1) {
    const char = text[at];
    if (char === '{' || char === '[') {
      const object = char === '{';
      stack.push({ pointer: childPointer(), names: object ? new Set() : null, token: '0', index: 0, expectingName: object });
    } else if (char === '}' || char === ']') {
      stack.pop();
    } else if (char === ',') {
      const frame = stack.at(-1);
      if (frame === undefined) continue;
      if (frame.names === null) {
        frame.index += 1;
        frame.token = String(frame.index);
      } else frame.expectingName = true;
    } else if (char === '"') {
      let end = at + 1;
      while (end < text.length && text[end] !== '"') end += text[end] === '\\' ? 2 : 1;
      if (end >= text.length) return undefined;
      const frame = stack.at(-1);
      if (frame?.names && frame.expectingName) {
        const name = JSON.parse(text.slice(at, end + 1)) as string;
        frame.token = escape(name);
        if (frame.names.has(name)) return `${frame.pointer}/${frame.token}`;
        frame.names.add(name);
        frame.expectingName = false;
      }
      at = end;
    }
  }
  return undefined;
}
