/**
 * What an evidence pack holds, file by file: the descriptions the manifest carries and the README an auditor reads
 * first. docs/evidence.md maps the same files to the questions of an AI-governance audit.
 */
export const FILE_DESCRIPTIONS = {
  'README.md': 'what this archive is and how to check it',
  'agents.jsonl': 'agent inventory: every agent registered before the end of the period, its owner, kind, vendor, model, classification ceiling, tools and definition fingerprint, with its status at the start and end of the period and now',
  'agent-lifecycle.jsonl': 'every status change of an agent during the period (registration, approval, suspension, quarantine, retirement, fingerprint changes), with actor and reason',
  'policies.json': 'the policy versions in force during the period: the one in force at its start and every version put during it, each with its full document and when it was superseded',
  'decisions-summary.json': 'policy decisions of the period counted by outcome, policy version, classification, action, agent and violated rule',
  'violations.jsonl': 'every policy violation recorded in the period, with the decision, action, resource and classification it belonged to',
  'approvals.jsonl': 'human approvals requested in the period, each with its decisions in order: who approved or denied it (API key id and name, via the API or Slack), when and why',
  'kpis.json': 'the organisation KPIs computed over the period, each with the numerator, denominator and inputs it was computed from',
  'kpi-snapshots.jsonl': 'the KPI snapshots taken during the period (each with its inputs), as recorded at the time',
  'incidents.jsonl': 'every incident open at any moment of the period, with severity, loss, status and resolution',
  'remediations.jsonl': 'self-healing actions taken in the period, with attempts and outcomes',
  'audit-log.jsonl': 'the hash-chained audit log entries written during the period, in sequence order',
  'audit-verification.json': 'the verification of the period\'s audit entries against the hash chain, and of the whole chain at export time',
  'manifest.json': 'this pack\'s period, generator, files (records, bytes, SHA-256) and anything not available',
} as const;

export type EvidenceFile = keyof typeof FILE_DESCRIPTIONS;

/** Why a file is missing when the table it comes from does not exist in this version of ORCA. */
export const UNAVAILABLE_REASONS: Partial<Record<EvidenceFile, string>> = {
  'approvals.jsonl': 'approvals were not available: this version of ORCA records no approvals (the approval table does not exist)',
  'remediations.jsonl': 'remediations were not available: this version of ORCA records no self-healing actions (the remediation table does not exist)',
};

export function readme(input: { root: string; from: string; to: string; generatedAt: string; version: string }): string {
  const files = Object.entries(FILE_DESCRIPTIONS)
    .map(([path, description]) => `- \`${path}\`: ${description}`)
    .join('\n');
  return `# ORCA evidence pack

Period: ${input.from} (inclusive) to ${input.to} (exclusive). Generated ${input.generatedAt} by ORCA ${input.version}.

## Check that nothing was altered

Every file of this folder except SHA256SUMS is listed in SHA256SUMS with its SHA-256 digest. From this folder:

    sha256sum -c SHA256SUMS

Every line must say OK. Record the SHA-256 of the archive file itself where you keep your audit records: it covers
SHA256SUMS too.

The audit log entries (audit-log.jsonl) are hash-chained: each entry's \`hash\` is the SHA-256 of its \`prev_hash\`, a
newline, and the RFC 8785 canonical JSON of its fields seq, at, actor, action, target, before, after and
correlation_id. audit-verification.json gives ORCA's own verification of the chain.

## Files

JSON Lines files (\`.jsonl\`) hold one JSON document per line; times are RFC 3339 in UTC; money is in US dollars.

${files}
`;
}
