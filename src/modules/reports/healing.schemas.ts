import { Type } from '@sinclair/typebox';
import { Timestamp } from '../../platform/http/schemas.js';
import { REMEDIATION_ACTIONS } from '../sync/index.js';
import { KpiSetSchema } from '../trust/index.js';

const NullableNumber = Type.Union([Type.Number(), Type.Null()]);

const counts = {
  total: Type.Integer(),
  in_progress: Type.Integer({ description: 'pending, acting or verifying' }),
  healed: Type.Integer(),
  failed: Type.Integer(),
  gave_up: Type.Integer(),
  skipped: Type.Integer(),
  attempts: Type.Integer(),
  heal_rate: Type.Union([Type.Number(), Type.Null()], { description: 'healed / (healed + failed + gave_up); null when none of them' }),
};

const Durations = Type.Object(
  { mean_seconds: NullableNumber, median_seconds: NullableNumber, p90_seconds: NullableNumber, max_seconds: NullableNumber },
  { additionalProperties: false, title: 'HealingDurations' },
);

export const HealingReportSchema = Type.Object(
  {
    generated_at: Timestamp,
    window: Type.String(),
    from: Timestamp,
    to: Timestamp,
    remediations: Type.Object(counts, { additionalProperties: false, description: 'remediations created in the window, by their status now' }),
    by_action: Type.Array(
      Type.Object({ action: Type.Union(REMEDIATION_ACTIONS.map((action) => Type.Literal(action))), ...counts }, { additionalProperties: false }),
    ),
    time_to_heal: Type.Object(
      {
        gaps: Type.Integer({ description: 'gaps healed by a remediation created in the window' }),
        since_detection: Durations,
        after_action: Durations,
      },
      { additionalProperties: false },
    ),
    self_resolution: KpiSetSchema.properties.self_resolution,
    cost_avoided: Type.Object(
      { usd: Type.Number(), gaps: Type.Integer(), rule: Type.String({ description: 'how the figure is computed' }) },
      { additionalProperties: false },
    ),
    problems: Type.Array(
      Type.Object(
        {
          contract: Type.Union([Type.String(), Type.Null()]),
          rule: Type.String(),
          action: Type.String(),
          count: Type.Integer(),
          last_reason: Type.Union([Type.String(), Type.Null()]),
        },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false, title: 'HealingReport' },
);
