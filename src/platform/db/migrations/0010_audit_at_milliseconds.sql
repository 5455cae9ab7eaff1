-- The audit hash covers an entry's time as JavaScript renders it: milliseconds. The column kept microseconds, so a
-- change of up to 999 µs to a stored time left the hash valid. Storing exactly what is hashed closes that gap: a
-- value written with finer precision is rounded to the millisecond, and any change that survives the rounding is a
-- change to the hashed text. Every existing entry was written from a millisecond timestamp, so no value (and no
-- hash) changes; an entry whose time was already moved by microseconds gets rounded, and is then either back to
-- what was hashed or detected by `orca audit verify`.
alter table audit_entry alter column at type timestamptz(3);
