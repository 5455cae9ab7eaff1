import type { Diagnosis } from './diagnose.js';
import type { DoctorCheck, ReceiversCheck } from './doctor-check.js';

function line(name: string, check: { status: string; latency_ms: number; detail?: string | undefined }): string {
  return `${name}: ${check.status} (${check.latency_ms} ms)${check.detail ? ` — ${check.detail}` : ''}`;
}

/**
 * The report as a terminal shows it: one line per check (`name: status (latency) — detail`), one indented line per
 * receiver, the overall status, then one `hint:` line per problem (docs/CLI.md).
 */
export function renderDiagnosis(diagnosis: Diagnosis): string[] {
  const lines: string[] = [];
  if (diagnosis.via) lines.push(`checked by: ${diagnosis.via}, which holds the embedded database`);
  for (const [name, check] of Object.entries(diagnosis.checks) as Array<[string, DoctorCheck]>) {
    lines.push(line(name, check));
    if (name === 'receivers') {
      for (const target of (check as ReceiversCheck).targets ?? []) {
        lines.push(`  ${line(`receiver ${target.name} (${target.kind}, ${target.target})`, { ...target, detail: target.error })}`);
      }
    }
  }
  lines.push(`status: ${diagnosis.status}`);
  for (const hint of diagnosis.hints) lines.push(`hint: ${hint}`);
  return lines;
}
