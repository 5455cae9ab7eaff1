import { parseDuration } from '../../platform/config/duration.js';
import { AppError } from '../../platform/errors.js';

/**
 * When a new key expires: `expiresIn` ("30d") from now, or the absolute `expiresAt`, or never. Anything that
 * does not give a representable date in the future is the caller's mistake (400 naming the field), never a 500:
 * "999999999d" overflows JavaScript's Date, and a leap second ("…T23:59:60Z") is valid RFC 3339 that Date rejects.
 */
export function resolveExpiry(input: { expiresIn?: string; expiresAt?: string }, now: Date): Date | null {
  const invalid = (field: string, message: string) =>
    new AppError('validation_failed', `${field} ${message}`, { errors: [{ path: `/body/${field}`, message }] });
  if (input.expiresIn !== undefined && input.expiresAt !== undefined) {
    throw invalid('expires_in', 'cannot be combined with expires_at');
  }
  if (input.expiresIn !== undefined) {
    const lifetime = parseDuration(input.expiresIn);
    const at = new Date(now.getTime() + (lifetime ?? Number.NaN));
    if (lifetime === undefined || lifetime <= 0 || Number.isNaN(at.getTime())) {
      throw invalid('expires_in', 'must be a positive duration such as 30d ending at a representable date');
    }
    return at;
  }
  if (input.expiresAt !== undefined) {
    const at = new Date(input.expiresAt);
    if (Number.isNaN(at.getTime())) throw invalid('expires_at', 'must be a representable date-time (no leap second)');
    if (at.getTime() <= now.getTime()) throw invalid('expires_at', 'must be in the future');
    return at;
  }
  return null;
}
