import { AppError } from '../../platform/errors.js';

/** A date-time the database can hold (PostgreSQL has no year 0; JSON Schema's date-time allows it). */
export function instant(value: string, path: string): Date {
  const date = new Date(value);
  const year = date.getUTCFullYear();
  if (Number.isNaN(date.getTime()) || year < 1 || year > 9999) {
    throw new AppError('validation_failed', `${path} is not a supported date-time`, { errors: [{ path, message: 'must be a date-time between years 1 and 9999' }] });
  }
  return date;
}
