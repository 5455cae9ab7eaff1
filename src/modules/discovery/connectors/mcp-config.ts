/**
 * What an MCP discovery source is configured with, and the checks no schema states: a URL for the HTTP transports
 * (through the SSRF guard), and for stdio a command that DISCOVERY_STDIO_COMMANDS allows — a source may only start
 * what an administrator of the ORCA deployment listed, whoever can edit sources.
 */
import { Type } from '@sinclair/typebox';
import type { FieldError } from '../../../platform/errors.js';
import { httpUrl, urlErrors } from './http-json.js';
import type { ValidationContext } from './types.js';

export const MCP_TRANSPORTS = ['streamable_http', 'sse', 'stdio'] as const;

export const McpConfigSchema = Type.Object(
  {
    // Literals, not an enum: config is checked with TypeBox's Value, which checks only the schemas it built.
    transport: Type.Union(
      MCP_TRANSPORTS.map((transport) => Type.Literal(transport)),
      { description: 'streamable_http (falls back to the older HTTP+SSE transport when the server does not speak it), sse, or stdio' },
    ),
    url: Type.Optional(httpUrl('the server endpoint (streamable_http, sse), e.g. https://tools.example.com/mcp')),
    command: Type.Optional(Type.String({ minLength: 1, maxLength: 1000, description: 'stdio: the program to start; must be allowed by DISCOVERY_STDIO_COMMANDS' })),
    args: Type.Optional(Type.Array(Type.String({ maxLength: 1000 }), { maxItems: 50, description: 'stdio: its arguments' })),
  },
  { additionalProperties: false },
);

const HeaderName = Type.String({ minLength: 1, maxLength: 100, pattern: "^[!#$%&'*+.^_`|~0-9A-Za-z-]+$" });

export const McpCredentialsSchema = Type.Object(
  {
    bearer_token: Type.Optional(Type.String({ minLength: 1, maxLength: 4096, description: 'sent as Authorization: Bearer <token> (HTTP transports)' })),
    headers: Type.Optional(Type.Record(HeaderName, Type.String({ maxLength: 4096 }), { maxProperties: 20, description: 'extra request headers, e.g. an API key header (HTTP transports)' })),
    env: Type.Optional(
      Type.Record(Type.String({ minLength: 1, maxLength: 200, pattern: '^[A-Za-z_][A-Za-z0-9_]*$' }), Type.String({ maxLength: 4096 }), {
        maxProperties: 50,
        description: 'environment variables of the server process (stdio); it inherits nothing else of ORCA\'s environment but PATH, HOME and the like',
      }),
    ),
  },
  { additionalProperties: false },
);

export interface McpConfig {
  transport: (typeof MCP_TRANSPORTS)[number];
  url?: string;
  command?: string;
  args?: string[];
}

export interface McpCredentials {
  bearer_token?: string;
  headers?: Record<string, string>;
  env?: Record<string, string>;
}

/**
 * Whether DISCOVERY_STDIO_COMMANDS allows this command line: an entry is a command optionally followed by arguments
 * (split on whitespace), and allows every command line that starts with exactly those words. `node /srv/mcp/git.js`
 * allows that one script with any further arguments, where a bare `node` would allow any script at all.
 */
export function stdioAllowed(allowList: readonly string[], command: string, args: readonly string[]): boolean {
  const line = [command, ...args];
  return allowList.some((entry) => {
    const words = entry.split(/\s+/).filter((word) => word !== '');
    return words.length > 0 && words.length <= line.length && words.every((word, index) => line[index] === word);
  });
}

/** The identity of the server: its URL, or the command line that starts it. */
export function serverIdOf(config: McpConfig): string {
  if (config.transport === 'stdio') return `stdio:${[config.command ?? '', ...(config.args ?? [])].join(' ')}`;
  return new URL(config.url ?? '').toString();
}

export async function validateMcpSource(config: McpConfig, credentials: McpCredentials | null, context: ValidationContext): Promise<FieldError[]> {
  const errors: FieldError[] = [];
  if (config.transport === 'stdio') {
    if (config.url !== undefined) errors.push({ path: '/body/config/url', message: 'is for the HTTP transports; a stdio server is started with command and args' });
    if (config.command === undefined) errors.push({ path: '/body/config/command', message: 'is required for the stdio transport' });
    else if (!stdioAllowed(context.stdioCommands, config.command, config.args ?? [])) {
      errors.push({
        path: '/body/config/command',
        message:
          context.stdioCommands.length === 0
            ? 'stdio MCP servers are disabled: an administrator must list the command in DISCOVERY_STDIO_COMMANDS'
            : 'is not allowed by DISCOVERY_STDIO_COMMANDS (the command line must start with one of its entries)',
      });
    }
    if (credentials?.bearer_token !== undefined || credentials?.headers !== undefined) {
      errors.push({ path: '/body/credentials', message: 'bearer_token and headers are for the HTTP transports; a stdio server gets env' });
    }
    return errors;
  }
  if (config.command !== undefined || config.args !== undefined) errors.push({ path: '/body/config/command', message: 'is for the stdio transport only' });
  if (credentials?.env !== undefined) errors.push({ path: '/body/credentials/env', message: 'is for the stdio transport only' });
  if (config.url === undefined) errors.push({ path: '/body/config/url', message: `is required for the ${config.transport} transport` });
  else errors.push(...(await urlErrors(context, config.url, '/body/config/url')));
  return errors;
}
