/**
 * The flags this Node process runs with: NODE_OPTIONS, then the command line (Node applies them in that order, so a
 * flag given twice takes the later value). Node's own flags, not ORCA settings: read here because only
 * platform/config reads the environment.
 */
export function nodeFlags(): string[] {
  return [...(process.env.NODE_OPTIONS ?? '').split(/\s+/).filter(Boolean), ...process.execArgv];
}
