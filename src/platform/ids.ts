import { v7 as uuidv7 } from 'uuid';

/** UUIDv7: unique and time-ordered, so an index on id is also an index on creation order. */
export function newId(): string {
  return uuidv7();
}
