import { readFileSync } from 'node:fs';
import { parseDocument } from '../../platform/documents/parse-document.js';
import type { AlertRulesDocument } from './alert-rules-document.js';

/** The built-in rules (version 0), active until a document is PUT. */
// eslint-disable-next-line security/detect-non-literal-fs-filename -- a file shipped beside this module
export const DEFAULT_ALERT_RULES_SOURCE = readFileSync(new URL('./default-alert-rules.yaml', import.meta.url), 'utf8');

/** The receivers ORCA's settings create (ALERTMANAGER_URL, ALERT_WEBHOOK_URL): the default document routes to these. */
export const SETTINGS_RECEIVERS = ['alertmanager', 'webhook'] as const;

/**
 * The default document with its root route given one `continue: true` child per settings receiver that exists
 * now, so every alert reaches each of them; the root itself names no receiver (with none, alerts are only recorded).
 */
export function defaultAlertRulesDocument(receiverNames: readonly string[]): AlertRulesDocument {
  const document = parseDocument(DEFAULT_ALERT_RULES_SOURCE, 'yaml') as AlertRulesDocument;
  const present = SETTINGS_RECEIVERS.filter((name) => receiverNames.includes(name));
  return { ...document, route: { ...document.route, routes: present.map((receiver) => ({ receiver, continue: true })) } };
}
