import { describe, expect, it } from 'vitest';
import { fingerprintOf } from '../../agents/index.js';
import { scenarioAgent, teamsWithHooks } from './make.js';

/** Scenarios shaped like Make's API v2 lists them (GET /api/v2/scenarios: no blueprint, the hook only by id). */
const webhookScenario = { id: 41, name: 'Orders intake', teamId: 7, hookId: 901, usedPackages: ['gateway', 'openai-gpt-3'], scheduling: { type: 'immediately' }, islinked: true };
const scheduledScenario = { id: 42, name: 'Nightly sync', teamId: 8, hookId: null, usedPackages: ['google-sheets'], scheduling: { type: 'indefinitely', interval: 900 } };

describe('Make scenarios', () => {
  it('carries the webhook URL that starts a scenario in its details, outside the fingerprint', () => {
    const url = 'https://hook.eu1.make.com/8c3f2kq9w1x7';
    const withHook = scenarioAgent(webhookScenario, 'https://eu1.make.com', url)!;
    expect(withHook).toMatchObject({ external_id: '41', kind: 'llm_agent', config: { hook_id: 901, trigger: 'immediately' }, details: { webhook_url: url } });
    // The URL read or not (the hooks call may fail) is not a change of what the scenario does.
    const without = scenarioAgent(webhookScenario, 'https://eu1.make.com')!;
    expect(without.details).not.toHaveProperty('webhook_url');
    expect(fingerprintOf(without)).toBe(fingerprintOf(withHook));
  });

  it('asks for the hooks of the teams whose scenarios use one', () => {
    expect(teamsWithHooks([webhookScenario, scheduledScenario], undefined)).toEqual(['7']);
    expect(teamsWithHooks([webhookScenario, { ...scheduledScenario, hookId: 5 }], undefined)).toEqual(['7', '8']);
    expect(teamsWithHooks([webhookScenario], 3)).toEqual(['3']);
    expect(teamsWithHooks([scheduledScenario], 3)).toEqual([]);
  });
});
