/** Exit codes shared by every command (documented in docs/CLI.md). */
export const EXIT = {
  ok: 0,
  failure: 1,
  invalidConfig: 2,
} as const;
