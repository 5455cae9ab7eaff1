import { describe, expect, it } from 'vitest';
import { serverIdOf, stdioAllowed } from './mcp-config.js';

describe('DISCOVERY_STDIO_COMMANDS', () => {
  const allowList = ['/usr/local/bin/mcp-server-git', 'node /srv/mcp/everything.js'];

  it.each([
    ['/usr/local/bin/mcp-server-git', []],
    ['/usr/local/bin/mcp-server-git', ['--repository', '/data/repo']],
    ['node', ['/srv/mcp/everything.js']],
    ['node', ['/srv/mcp/everything.js', 'stdio']],
  ])('allows %s %j', (command, args) => {
    expect(stdioAllowed(allowList, command, args)).toBe(true);
  });

  it.each([
    ['node', []],
    ['node', ['-e', 'require("child_process").exec("id")']],
    ['node', ['/srv/mcp/other.js']],
    ['/usr/local/bin/mcp-server-git2', []],
    ['mcp-server-git', []],
    ['sh', ['-c', '/usr/local/bin/mcp-server-git']],
  ])('refuses %s %j', (command, args) => {
    expect(stdioAllowed(allowList, command, args)).toBe(false);
  });

  it('refuses everything when the list is empty, or holds only blanks', () => {
    expect(stdioAllowed([], '/usr/local/bin/mcp-server-git', [])).toBe(false);
    expect(stdioAllowed(['  '], '', [])).toBe(false);
  });
});

describe('serverIdOf', () => {
  it('names a server by its URL, or by the command line that starts it', () => {
    expect(serverIdOf({ transport: 'streamable_http', url: 'https://tools.example.com/mcp' })).toBe('https://tools.example.com/mcp');
    expect(serverIdOf({ transport: 'stdio', command: 'node', args: ['/srv/mcp/everything.js', 'stdio'] })).toBe('stdio:node /srv/mcp/everything.js stdio');
  });
});
