/**
 * `{{ name }}` in annotations, replaced by the alert's variables (its labels, `value`, and what its kind adds, such
 * as `agent_name`). Only plain names: no expressions, so an annotation cannot run anything. An unknown name is left
 * empty, as Go templates in Alertmanager print `<no value>`-free output for a missing label.
 */
const PLACEHOLDER = /\{\{\s*\.?([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g;

export function renderTemplate(template: string, variables: Readonly<Record<string, string>>): string {
  return template.replace(PLACEHOLDER, (_whole, name: string) => variables[name] ?? '');
}
