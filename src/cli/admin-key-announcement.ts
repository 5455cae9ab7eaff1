/** Where the first start may show the admin key it created: what `process.stdout` offers. */
export interface AnnouncementOutput {
  isTTY?: boolean;
  write(text: string): unknown;
}

/**
 * Shows the first admin key once, to a person at a terminal. When stdout is not a terminal it is a file, a pipe or a
 * log collector, which would keep the key in clear wherever it ships its lines: nothing is written there, and the
 * start-up log says where the key file is (container.ts). The usage hint reads the file rather than repeating the key.
 */
export function announceAdminKey(output: AnnouncementOutput, secret: string, file: string, baseUrl: string): boolean {
  if (!output.isTTY) return false;
  output.write(
    `\nORCA created the first admin API key. It is shown only this once and was saved to ${file} (mode 0600):\n\n  ${secret}\n\n` +
      `Use it as: curl -H "X-API-Key: $(cat ${file})" ${baseUrl}/api/v1/agents\n\n`,
  );
  return true;
}
