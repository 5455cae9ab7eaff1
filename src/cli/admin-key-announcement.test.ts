import { describe, expect, it } from 'vitest';
import { announceAdminKey } from './admin-key-announcement.js';

const SECRET = 'orca_0123456789ab_KEYKEYKEYKEYKEYKEYKEYKEYKEYKEYKEYKEYKEYKEYKEY';
const FILE = '/var/lib/orca/admin.key';

function output(isTTY: boolean | undefined) {
  const written: string[] = [];
  return { written, isTTY, write: (text: string) => written.push(text) };
}

describe('announceAdminKey', () => {
  it('shows the key exactly once on a terminal, with the file it was saved to', () => {
    const terminal = output(true);
    expect(announceAdminKey(terminal, SECRET, FILE, 'http://127.0.0.1:3000')).toBe(true);
    const text = terminal.written.join('');
    expect(text.split(SECRET)).toHaveLength(2);
    expect(text).toContain(`saved to ${FILE} (mode 0600)`);
    expect(text).toContain(`curl -H "X-API-Key: $(cat ${FILE})" http://127.0.0.1:3000/api/v1/agents`);
  });

  it.each([false, undefined])('writes nothing when stdout is not a terminal (isTTY %s)', (isTTY) => {
    const pipe = output(isTTY);
    expect(announceAdminKey(pipe, SECRET, FILE, 'http://127.0.0.1:3000')).toBe(false);
    expect(pipe.written).toEqual([]);
  });
});
