import { AppError } from '../errors.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Cursors are opaque to clients (base64url JSON) so that the keyset behind them can change later. */
export function encodeCursor(lastId: string): string {
  return Buffer.from(JSON.stringify({ after: lastId })).toString('base64url');
}

export function decodeCursor(cursor: string | undefined): string | undefined {
  if (cursor === undefined) return undefined;
  try {
    const decoded = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as { after?: unknown };
    if (typeof decoded.after === 'string' && UUID.test(decoded.after)) return decoded.after.toLowerCase();
  } catch {
    // fall through to the client error below
  }
  throw new AppError('validation_failed', 'cursor is not a value returned as next_cursor', {
    errors: [{ path: '/querystring/cursor', message: 'is not a valid cursor' }],
  });
}

/** Fetch limit + 1 rows; the extra row only tells whether another page exists. */
export function pageOf<T extends { id: string }>(rows: T[], limit: number): { items: T[]; next_cursor: string | null } {
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  return { items, next_cursor: rows.length > limit && last ? encodeCursor(last.id) : null };
}

/** Cursors over an integer sequence (the audit log), same opaque shape. */
export function encodeSeqCursor(lastSeq: number): string {
  return Buffer.from(JSON.stringify({ before: lastSeq })).toString('base64url');
}

export function decodeSeqCursor(cursor: string | undefined): number | undefined {
  if (cursor === undefined) return undefined;
  try {
    const decoded = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as { before?: unknown };
    if (typeof decoded.before === 'number' && Number.isSafeInteger(decoded.before) && decoded.before > 0) return decoded.before;
  } catch {
    // fall through to the client error below
  }
  throw new AppError('validation_failed', 'cursor is not a value returned as next_cursor', {
    errors: [{ path: '/querystring/cursor', message: 'is not a valid cursor' }],
  });
}
