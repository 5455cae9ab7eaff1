import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { SETTINGS } from '../../src/platform/config/schema.js';
import { duration as parseDuration } from '../../src/platform/config/parsers.js';
import { findOnPath } from '../helpers/prometheus.js';

/**
 * compose.yaml, checked without a container runtime (none runs on the CI machine): the services, the files it
 * mounts, ORCA's memory figures against docs/OPERATIONS.md, and the names and ports by which the deploy/ files
 * reach each other; Alertmanager's configuration with amtool (Debian package prometheus-alertmanager; required
 * when ORCA_REQUIRE_ALERTMANAGER=1). Pulling the images and starting the stack are not verified here.
 */

const REPO = new URL('../..', import.meta.url).pathname;
const read = (file: string) => readFileSync(join(REPO, file), 'utf8');

interface Service {
  build?: string;
  image?: string;
  environment?: Record<string, string>;
  volumes?: string[];
  stop_grace_period?: string;
  deploy?: { resources?: { reservations?: { memory?: string }; limits?: { memory?: string } } };
  networks?: string[] | Record<string, { ipv4_address?: string } | null>;
}
/** Compose's interpolation, as with every required variable set: `${X:-default}` → default, `${X:?message}` → a value. */
const interpolated = read('compose.yaml').replace(/\$\{(\w+)(?::([-?])([^}]*))?\}/g, (_, name: string, kind?: string, rest?: string) => (kind === '-' ? (rest ?? '') : `set${name.toLowerCase().replace(/_/g, '')}`));
const compose = parse(interpolated) as { services: Record<string, Service>; networks: Record<string, { ipam: { config: Array<{ subnet: string }> } }> };
const services = compose.services;
const orca = services.orca!;
const env = orca.environment!;

/** `172.30.42.10` inside `172.30.42.0/24`. */
function inSubnet(address: string, cidr: string): boolean {
  const toNumber = (ip: string) => ip.split('.').reduce((sum, part) => sum * 256 + Number(part), 0);
  const [base = '', bits = '32'] = cidr.split('/');
  const size = 2 ** (32 - Number(bits));
  return Math.floor(toNumber(address) / size) === Math.floor(toNumber(base) / size);
}

describe('compose.yaml', () => {
  it('runs ORCA, built from this repository, with PostgreSQL, Redis, Prometheus, Alertmanager and Grafana', () => {
    expect(Object.keys(services).sort()).toEqual(['alertmanager', 'grafana', 'orca', 'postgres', 'prometheus', 'redis']);
    expect(orca.build).toBe('.');
    for (const [name, service] of Object.entries(services)) {
      if (name !== 'orca') expect(service.image, name).toMatch(/:[\w.-]+$/); // pinned, never :latest by omission
    }
  });

  it('mounts only files and folders that exist in the repository', () => {
    const sources = Object.values(services).flatMap((service) => (service.volumes ?? []).map((volume) => volume.split(':')[0]!).filter((source) => source.startsWith('./')));
    expect(sources.length).toBeGreaterThanOrEqual(4);
    for (const source of sources) expect(existsSync(join(REPO, source)), source).toBe(true);
  });

  it('gives ORCA the memory request, limit and heap bound that docs/OPERATIONS.md states for a replica on PostgreSQL', () => {
    const row = read('docs/OPERATIONS.md')
      .split('\n')
      .find((line) => /^\| PostgreSQL \| \d+ MiB \| \d+ MiB \|/.test(line));
    expect(row, 'the "Container sizing" table of docs/OPERATIONS.md').toBeDefined();
    const [request, limit, nodeOptions] = row!.split('|').slice(2, 5).map((cell) => cell.trim().replace(/`/g, ''));
    // Compose's M is a mebibyte (1024 × 1024 bytes), like the table's MiB.
    expect(orca.deploy?.resources?.reservations?.memory).toBe(request!.replace(' MiB', 'M'));
    expect(orca.deploy?.resources?.limits?.memory).toBe(limit!.replace(' MiB', 'M'));
    expect(env.NODE_OPTIONS).toBe(nodeOptions);
  });

  it('leaves ORCA its shutdown timeout to drain before the runtime kills it', () => {
    const shutdownTimeout = SETTINGS.find((setting) => setting.env === 'SHUTDOWN_TIMEOUT')!.default!;
    expect(parseDuration(orca.stop_grace_period!)).toBeGreaterThan(parseDuration(shutdownTimeout));
  });

  it('wires the services by the names and ports that the deploy/ files use', () => {
    const prometheus = parse(read('deploy/prometheus/prometheus.yml')) as {
      rule_files: string[];
      alerting: { alertmanagers: Array<{ static_configs: Array<{ targets: string[] }> }> };
      scrape_configs: Array<{ job_name: string; static_configs: Array<{ targets: string[] }> }>;
    };
    expect(prometheus.scrape_configs.find((job) => job.job_name === 'orca')?.static_configs[0]?.targets).toEqual(['orca:3000']);
    expect(prometheus.alerting.alertmanagers[0]?.static_configs[0]?.targets).toEqual(['alertmanager:9093']);
    for (const file of prometheus.rule_files) expect(existsSync(join(REPO, 'deploy/prometheus', file)), file).toBe(true);
    expect(services.prometheus!.volumes).toContain('./deploy/prometheus:/etc/prometheus:ro');

    expect(new URL(env.DATABASE_URL!).host).toBe('postgres:5432');
    expect(new URL(env.REDIS_URL!).host).toBe('redis:6379');
    expect(new URL(env.ALERTMANAGER_URL!).host).toBe('alertmanager:9093');

    const datasources = parse(read('deploy/grafana/provisioning/datasources/orca.yaml')) as { datasources: Array<{ url: string }> };
    expect(new URL(datasources.datasources[0]!.url).host).toBe('prometheus:9090');
    const dashboards = parse(read('deploy/grafana/provisioning/dashboards/orca.yaml')) as { providers: Array<{ options: { path: string } }> };
    const dashboardMount = services.grafana!.volumes!.find((volume) => volume.startsWith('./deploy/grafana/orca.json:'))!;
    expect(dirname(dashboardMount.split(':')[1]!)).toBe(dashboards.providers[0]!.options.path);
  });

  it("lets ORCA's SSRF guard reach Alertmanager, and only Alertmanager, on the stack's network", () => {
    const address = (services.alertmanager!.networks as Record<string, { ipv4_address: string }>).orca!.ipv4_address;
    expect(env.OUTBOUND_ALLOW_CIDRS).toBe(`${address}/32`);
    expect(inSubnet(address, compose.networks.orca!.ipam.config[0]!.subnet)).toBe(true);
  });

  const amtool = findOnPath('amtool');
  const amtoolRequired = process.env.ORCA_REQUIRE_ALERTMANAGER === '1';
  it.runIf(amtool || amtoolRequired)(
    amtool || amtoolRequired
      ? 'amtool check-config accepts deploy/alertmanager/alertmanager.yml'
      : 'amtool check-config — SKIPPED: amtool is not on PATH (apt-get install prometheus-alertmanager; ORCA_REQUIRE_ALERTMANAGER=1 makes it a failure)',
    () => {
      if (!amtool) throw new Error('ORCA_REQUIRE_ALERTMANAGER=1 but amtool is not on PATH: apt-get install prometheus-alertmanager');
      const result = spawnSync(amtool, ['check-config', 'deploy/alertmanager/alertmanager.yml'], { cwd: REPO, encoding: 'utf8' });
      expect(result.status, result.stdout + result.stderr).toBe(0);
      expect(result.stdout).toContain('SUCCESS');
    },
  );
});
