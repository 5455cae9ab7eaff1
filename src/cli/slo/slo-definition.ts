/** An SLO as `orca slo compile` turns it into rules: one per objective of an OpenSLO SLO document. */
export interface SloDefinition {
  /** `<service>-<slo>`, unique in the manifest: the `sloth_id` label. */
  id: string;
  service: string;
  /** The SLO's name, suffixed `-<n>` when it has several objectives: the `sloth_slo` label. */
  name: string;
  /** The SLO's displayName (or name), and with several objectives the objective's: what alerts call it. */
  displayName: string;
  /** The manifest's description of the SLO, if any: the alerts quote it. */
  description: string | undefined;
  /** Target ratio of good events, e.g. 0.995. */
  objective: number;
  periodDays: number;
  /** PromQL with the `{{.window}}` placeholder: the numerator (good or bad events) and the denominator. */
  sli: { numerator: 'good' | 'bad'; events: string; total: string };
  labels: Record<string, string>;
  alertName: string;
  runbookUrl: string | undefined;
}

/** The `orca.dev/` annotations an SLO may carry; any other `orca.dev/` key is refused as a typo. */
export const SLO_ANNOTATIONS = {
  alertName: 'orca.dev/alert-name',
  runbookUrl: 'orca.dev/runbook-url',
} as const;

/** A ratio that reads well in a label: 0.995 → "99.5". */
export const percentText = (ratio: number) => String(Number((ratio * 100).toPrecision(12)));
