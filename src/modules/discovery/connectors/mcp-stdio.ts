/**
 * The stdio transport of MCP (newline-delimited JSON-RPC on a child process's stdin and stdout) with the bounds a
 * hostile server calls for, which the SDK's own transport does not keep: a message longer than `maxMessageBytes` or
 * one that is not JSON-RPC is reported through `onerror` (and the process stopped) instead of being buffered without
 * end; the child gets only the SDK's minimal environment (PATH, HOME …) plus what the source's credentials give it,
 * never ORCA's own (which holds ORCA_SECRET_KEY); and closing kills it, whatever it was doing.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { getDefaultEnvironment } from '@modelcontextprotocol/sdk/client/stdio.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import { JSONRPCMessageSchema, type JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';

export interface StdioServer {
  command: string;
  args: string[];
  env: Record<string, string>;
  maxMessageBytes: number;
}

/** A message the server sent that is not JSON-RPC, or too large: what makes a run partial. */
export class MalformedMessage extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MalformedMessage';
  }
}

/** How long a closed server may take to exit on SIGTERM before it is killed. */
const KILL_AFTER_MS = 2000;

export class BoundedStdioTransport implements Transport {
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: (message: JSONRPCMessage) => void;

  private child: ChildProcess | undefined;
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private closed = false;

  constructor(private readonly server: StdioServer) {}

  start(): Promise<void> {
    return new Promise((resolve, reject) => {
      const child = spawn(this.server.command, this.server.args, {
        env: { ...getDefaultEnvironment(), ...this.server.env },
        stdio: ['pipe', 'pipe', 'pipe'],
        shell: false,
        windowsHide: true,
      });
      this.child = child;
      child.once('spawn', () => resolve());
      child.once('error', (error) => {
        reject(error);
        this.onerror?.(error);
      });
      child.once('exit', () => this.finish());
      // Drained and dropped: a server writing much to stderr must not block on a full pipe.
      child.stderr?.resume();
      child.stdout?.on('data', (chunk: Buffer) => this.receive(chunk));
      child.stdin?.on('error', (error) => this.onerror?.(error));
    });
  }

  private receive(chunk: Buffer): void {
    let start = 0;
    for (let index = chunk.indexOf(0x0a); index !== -1; index = chunk.indexOf(0x0a, start)) {
      this.append(chunk.subarray(start, index));
      if (this.closed) return;
      const line = Buffer.concat(this.pending).toString('utf8').replace(/\r$/, '');
      this.pending = [];
      this.pendingBytes = 0;
      if (line.trim() !== '') this.deliver(line);
      if (this.closed) return;
      start = index + 1;
    }
    this.append(chunk.subarray(start));
  }

  private append(part: Buffer): void {
    this.pendingBytes += part.length;
    if (this.pendingBytes > this.server.maxMessageBytes) {
      this.fail(new MalformedMessage(`the server sent a message longer than ${this.server.maxMessageBytes} bytes`));
      return;
    }
    if (part.length > 0) this.pending.push(part);
  }

  private deliver(line: string): void {
    let message: JSONRPCMessage;
    try {
      message = JSONRPCMessageSchema.parse(JSON.parse(line));
    } catch {
      this.fail(new MalformedMessage('the server sent a line that is not a JSON-RPC message'));
      return;
    }
    this.onmessage?.(message);
  }

  private fail(error: Error): void {
    this.onerror?.(error);
    void this.close();
  }

  send(message: JSONRPCMessage): Promise<void> {
    return new Promise((resolve, reject) => {
      const stdin = this.child?.stdin;
      if (!stdin || this.closed) {
        reject(new Error('the MCP server process is not running'));
        return;
      }
      stdin.write(`${JSON.stringify(message)}\n`, (error) => (error ? reject(error) : resolve()));
    });
  }

  async close(): Promise<void> {
    const child = this.child;
    if (child && child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), KILL_AFTER_MS);
      timer.unref();
      child.once('exit', () => clearTimeout(timer));
    }
    this.finish();
  }

  private finish(): void {
    if (this.closed) return;
    this.closed = true;
    this.pending = [];
    this.onclose?.();
  }
}
