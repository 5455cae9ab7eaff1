// Generated from the OpenAPI document by `npm run openapi:client` (openapi-typescript). Do not edit:
// change the route schemas and regenerate. Used with openapi-fetch: createClient<paths>({ baseUrl }).

export interface paths {
    "/livez": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Liveness: the event loop answers */
        get: operations["getLivez"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/liveness": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Liveness: the event loop answers */
        get: operations["getLiveness"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/readyz": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Readiness: database reachable and migrations current (Redis is reported, never required) */
        get: operations["getReadyz"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/readiness": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Readiness: database reachable and migrations current (Redis is reported, never required) */
        get: operations["getReadiness"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/health": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Health document: every check with its latency (200 when all are up, 503 otherwise) */
        get: operations["getHealth"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/status": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Runtime status of this process */
        get: operations["getStatus"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/metrics": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Prometheus metrics (text exposition format) */
        get: operations["getMetrics"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/agents": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List agents
         * @description Filters combine with AND. Newest first; pass next_cursor as cursor for the next page.
         */
        get: operations["listAgents"];
        put?: never;
        /**
         * Register an agent
         * @description 409 when another agent from the same source already has this external_id.
         */
        post: operations["createAgent"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/agents/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Read an agent */
        get: operations["getAgent"];
        put?: never;
        post?: never;
        /**
         * Retire an agent (soft delete)
         * @description The same as POST /agents/{id}/retire; 409 when the lifecycle does not allow it.
         */
        delete: operations["deleteAgent"];
        options?: never;
        head?: never;
        /**
         * Update an agent
         * @description Fields given replace the stored ones; null clears an optional field. The fingerprint is recomputed. 409 when the agent is retired.
         */
        patch: operations["updateAgent"];
        trace?: never;
    };
    "/api/v1/agents/{id}/suspend": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Suspend an agent
         * @description Allowed only along the lifecycle state machine (docs/agents.md); otherwise 409.
         */
        post: operations["suspendAgent"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/agents/{id}/resume": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Resume an agent
         * @description Allowed only along the lifecycle state machine (docs/agents.md); otherwise 409.
         */
        post: operations["resumeAgent"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/agents/{id}/quarantine": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Quarantine an agent
         * @description Allowed only along the lifecycle state machine (docs/agents.md); otherwise 409.
         */
        post: operations["quarantineAgent"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/agents/{id}/approve": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Approve an agent
         * @description Allowed only along the lifecycle state machine (docs/agents.md); otherwise 409.
         */
        post: operations["approveAgent"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/agents/{id}/retire": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Retire an agent
         * @description Allowed only along the lifecycle state machine (docs/agents.md); otherwise 409.
         */
        post: operations["retireAgent"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/agents/{id}/history": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Status changes and definition changes of an agent, oldest first */
        get: operations["listAgentHistory"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/keys": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List API keys (never their secrets) */
        get: operations["listKeys"];
        put?: never;
        /** Create an API key; the secret is in this response only */
        post: operations["createKey"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/keys/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Read one API key (never its secret); the Location a key creation answers */
        get: operations["getKey"];
        put?: never;
        post?: never;
        /**
         * Revoke an API key (takes effect within 1 s on every replica)
         * @description 409 when the key is already revoked, or is the last active admin key.
         */
        delete: operations["revokeKey"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/audit": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Audit log, newest first */
        get: operations["listAuditEntries"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/audit/verify": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Verify the audit hash chain
         * @description Recomputes every hash; reports modified entries and entries missing from the middle of the chain.
         */
        get: operations["verifyAuditChain"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/policies": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The active policy document */
        get: operations["getActivePolicy"];
        /**
         * Store a new policy version and activate it
         * @description JSON, or YAML with Content-Type application/yaml. Validated against the document schema (errors name the path); every version is kept; the new one is active on every replica within a second.
         */
        put: operations["replacePolicy"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/policies/versions": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Every stored policy version, newest first (documents omitted) */
        get: operations["listPolicyVersions"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/policy/evaluate": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Evaluate an action of an agent against the active policy
         * @description The content is scanned and never stored or logged; the decision is recorded (allows may be sampled). A require_approval decision opens an approval (its id in `approval`); proceed by evaluating again with `approval_id` (docs/approvals.md). 400 when the SSRF guard refuses `callback_url`.
         */
        post: operations["evaluatePolicy"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/policy/simulate": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Replay recorded decisions against a draft policy
         * @description Reports what would change (newly denied, newly allowed, by rule and agent). Enforces and writes nothing.
         */
        post: operations["simulatePolicy"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/violations": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Recorded policy violations, newest first */
        get: operations["listViolations"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/sync/contracts": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The active sync contracts document (or a past version)
         * @description 404 when no contracts were written yet, or the version asked for does not exist.
         */
        get: operations["getSyncContracts"];
        /**
         * Replace the sync contracts (a new version; every version is kept)
         * @description YAML (application/yaml, text/yaml) or JSON. Invalid documents are 400 with the path of each problem; an owner agent that does not exist is 422. Format: docs/sync.md.
         */
        put: operations["replaceSyncContracts"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/sync/gaps": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Sync gaps, newest first
         * @description Filters combine with AND; pass next_cursor as cursor for the next page.
         */
        get: operations["listGaps"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/sync/gaps/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One sync gap */
        get: operations["getGap"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/sync/gaps/{id}/resolve": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Resolve a gap by hand
         * @description 409 when the gap is already resolved (automatically or by hand).
         */
        post: operations["resolveGap"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/sync/freshness": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Freshness of every stream of the active contracts
         * @description Per stream: last event received, lag, SLO and status (within_slo, stale, no_data).
         */
        get: operations["getSyncFreshness"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/sources": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List sources
         * @description Newest first; pass next_cursor as cursor for the next page. Deleted sources are not listed.
         */
        get: operations["listSources"];
        put?: never;
        /**
         * Connect a source
         * @description The secret is write-only: stored encrypted, never returned. Omit it and ORCA generates one, returned once as generated_secret. 409 when another source has the same name.
         */
        post: operations["createSource"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/sources/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Read a source */
        get: operations["getSource"];
        put?: never;
        post?: never;
        /**
         * Delete a source (soft)
         * @description Its events stay; deliveries to it are answered 404 from now on.
         */
        delete: operations["deleteSource"];
        options?: never;
        head?: never;
        /**
         * Update a source (name, enabled, signing options, mapping)
         * @description Fields given replace the stored ones. The secret changes only through rotate-secret. 409 when another source has the name.
         */
        patch: operations["updateSource"];
        trace?: never;
    };
    "/api/v1/sources/{id}/rotate-secret": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Rotate the signing secret with an overlap
         * @description The new secret verifies at once; the previous one keeps verifying for `overlap` (default 24h). Omit secret and ORCA generates one, returned once as generated_secret.
         */
        post: operations["rotateSourceSecret"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/ingest/{sourceId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Receive a webhook in the source's native format
         * @description The signature is verified over the raw body with the scheme of the source kind (docs/ingestion.md); failures are 401. New events: 201. A delivery whose events were all stored before: 200 with duplicate: true (stored once). Salesforce sources are answered with the SOAP Ack (text/xml) instead of JSON. 404 for an unknown or disabled source; 422 when the delivery does not map to canonical events.
         */
        post: operations["ingestWebhook"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/events": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List stored events
         * @description Filters combine with AND; since/until bound received_at unless time_field=occurred_at. Newest first.
         */
        get: operations["listEvents"];
        put?: never;
        /**
         * Store a batch of canonical events (all or nothing)
         * @description Up to 10,000 events or 10 MiB. A repeated idempotency_key (per source) is stored once. Problems with items are answered 422 with one entry per item in errors[] (path /body/events/<index>/<field>), and nothing is stored. 201 when something new was stored, 200 when every item was a repeat.
         */
        post: operations["ingestEvents"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/runs": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Store a batch of agent runs (all or nothing)
         * @description Up to 10,000 runs. Every agent_id must name a registered agent (else 422 per item, nothing stored). Give each run an id to make retries safe: a run whose id is stored already is counted as a duplicate.
         */
        post: operations["ingestRuns"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/incidents": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List incidents, newest first */
        get: operations["listIncidents"];
        put?: never;
        /**
         * Open an incident
         * @description Open high and critical incidents linked to an agent raise its risk exposure by 0.25 each (docs/trust.md). 422 when the agent or gap it links to does not exist.
         */
        post: operations["createIncident"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/incidents/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Read an incident */
        get: operations["getIncident"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/incidents/{id}/resolve": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Resolve an incident (resolved_by human)
         * @description 409 when the incident is already resolved.
         */
        post: operations["resolveIncident"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/agents/{id}/trust": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * An agent's trust score with its components, inputs, weights and confidence
         * @description Organisation KPIs over the trailing window (default 30d); formulas and worked examples in docs/trust.md.
         */
        get: operations["getAgentTrust"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/kpis": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Organisation KPIs over a trailing window, each with numerator, denominator, inputs and band */
        get: operations["getKpis"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/kpis/history": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** KPI snapshots taken on schedule, newest first */
        get: operations["listKpiSnapshots"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/reports/executive": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Executive summary: KPIs with inputs and bands, trends, top risks, open gaps, insights, recommendations
         * @description JSON, Markdown, CSV or self-contained HTML, chosen by ?format= or the Accept header (docs/reports.md).
         */
        get: operations["getExecutiveReport"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/reports/drift": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Drift report: sync gaps detected over the window by kind, contract and owner agent, with their cost
         * @description Gaps detected in (now − window, now]: how many are open, resolved or withdrawn, what they put at stake and what early resolution avoided. JSON, Markdown, CSV or HTML by ?format= or Accept (docs/reports.md).
         */
        get: operations["getDriftReport"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/reports/healing": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Healing report: remediation actions and outcomes, time to heal, self-resolution, cost avoided
         * @description Over the trailing window; JSON, Markdown, CSV or self-contained HTML by ?format= or the Accept header (docs/reports.md).
         */
        get: operations["getHealingReport"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/report-schedules": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List report schedules
         * @description Newest first; pass next_cursor as cursor for the next page. Deleted schedules are not listed.
         */
        get: operations["listReportSchedules"];
        put?: never;
        /**
         * Schedule a report to be generated and sent to receivers
         * @description A cron expression read in an IANA time zone, a report kind, format and window, and webhook or Slack receivers (docs/reports.md "Scheduled reports"). 400 naming the expression when the cron does not parse or never matches, or naming the time zone when it is unknown; 422 when a receiver does not exist or is an Alertmanager. Audited.
         */
        post: operations["createReportSchedule"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/report-schedules/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Read a report schedule */
        get: operations["getReportSchedule"];
        put?: never;
        post?: never;
        /**
         * Delete a report schedule (soft)
         * @description No further run; a run still queued is cancelled; past runs stay readable under /runs. Audited.
         */
        delete: operations["deleteReportSchedule"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/report-schedules/{id}/runs": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List the runs of a report schedule
         * @description Newest first, each with its status, the report's size and SHA-256, and every receiver's delivery (also for a deleted schedule).
         */
        get: operations["listReportRuns"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/evidence": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Export the evidence pack of a period (a .tar.gz with a SHA-256 manifest)
         * @description One gzipped tar: agent inventory and lifecycle, policy versions in force, decisions summary and every violation, approvals, KPIs with inputs, incidents, remediations, the period's audit log with its verification, manifest.json and SHA256SUMS (`sha256sum -c SHA256SUMS` after extraction). Streamed as it is built. 400 when from is not before to, to is in the future, the period is longer than 365 days or starts before EVIDENCE_RETENTION (docs/evidence.md). Audited.
         */
        get: operations["exportEvidencePack"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/receivers": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List alert receivers
         * @description Newest first; pass next_cursor as cursor for the next page. Deleted receivers are not listed.
         */
        get: operations["listReceivers"];
        put?: never;
        /**
         * Create an alert receiver
         * @description The URL must be http(s) and allowed by the SSRF guard (400 naming /body/url otherwise). Secret, token and header values are write-only: stored encrypted, never returned. A webhook receiver without a secret gets one generated, returned once as generated_secret. 409 when another receiver has the name.
         */
        post: operations["createReceiver"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/receivers/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Read an alert receiver */
        get: operations["getReceiver"];
        put?: never;
        post?: never;
        /**
         * Delete an alert receiver (soft)
         * @description Its deliveries stay listed; those not yet delivered are dead-lettered. A receiver kept by a setting comes back at the next start-up.
         */
        delete: operations["deleteReceiver"];
        options?: never;
        head?: never;
        /**
         * Update an alert receiver (name, URL, secret, token, headers)
         * @description Fields given replace the stored ones; the kind cannot change. 409 when another receiver has the name.
         */
        patch: operations["updateReceiver"];
        trace?: never;
    };
    "/api/v1/receivers/{id}/test": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Send a test notification now and report the outcome
         * @description One attempt, no retry, through the same payload builder and outbound client as deliveries (SSRF guard, timeout, the receiver's circuit breaker). The answer is 200 whatever the receiver did: outcome, status, duration_ms and error say it. Audited.
         */
        post: operations["testReceiver"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/deliveries": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List notification deliveries
         * @description Newest first, filtered by status and receiver; pass next_cursor as cursor for the next page.
         */
        get: operations["listDeliveries"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/deliveries/{id}/retry": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Send a failed or dead-lettered delivery again
         * @description Queued now with a fresh retry budget; the answer shows it pending. 409 when it is pending or delivered, or its receiver was deleted. Audited.
         */
        post: operations["retryDelivery"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/alert-rules": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The active alert-rules document */
        get: operations["getAlertRules"];
        /**
         * Store a new alert-rules version and activate it
         * @description JSON, or YAML with Content-Type application/yaml. Every problem (unknown kind, bad duration, a route naming a receiver that does not exist, a matcher that does not parse) is a 400 naming its path; the active version then stays in force.
         */
        put: operations["replaceAlertRules"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/alerts": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Alerts, silenced ones included (with the silences that mute them) */
        get: operations["listAlerts"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/silences": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Silences, newest first */
        get: operations["listSilences"];
        put?: never;
        /**
         * Silence the alerts matching every matcher, from starts_at (default now) to ends_at
         * @description Silenced alerts are still evaluated and listed, but not delivered. Audited.
         */
        post: operations["createSilence"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/silences/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /** Expire a silence now (it is kept, expired) */
        delete: operations["expireSilence"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/kill-switch/preview": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Preview what a kill switch would stop, and get a token to execute exactly that
         * @description Lists the selected agents, their pending approvals, the sync contracts they own and the sources feeding them, their decisions of the last 24 hours and runs of the last hour. Suspends nothing. The preview token is valid for 5 minutes and only for this exact selection (each agent and its status).
         */
        post: operations["previewKillSwitch"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/kill-switch": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Kill switch activations, newest first */
        get: operations["listKillSwitches"];
        put?: never;
        /**
         * Suspend every agent of a preview, in one audited transaction
         * @description Every replica denies the next policy evaluation of each suspended agent (within a second). 409 when the preview was already used, is older than 5 minutes, or its selection changed since (an agent now matches or no longer does, or changed status); 422 when the token names no preview or the selection is empty.
         */
        post: operations["activateKillSwitch"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/kill-switch/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A kill switch activation with each agent it selected */
        get: operations["getKillSwitch"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/kill-switch/{id}/release": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Restore each agent the kill switch still holds to its previous status
         * @description Agents whose status someone changed since are skipped; an agent another active kill switch also selected stays suspended, held by that one. 409 when already released.
         */
        post: operations["releaseKillSwitch"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/remediations": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List remediations (self-healing actions on sync gaps), newest first
         * @description Filters: status, gap_id, agent_id (the gap’s owner), action (docs/self-healing.md).
         */
        get: operations["listRemediations"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/remediations/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Read a remediation: its attempts, status and outcome */
        get: operations["getRemediation"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/session": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The console session this request was made with (its role, expiry and CSRF token)
         * @description 404 when the request was authenticated by an API key header rather than a session cookie.
         */
        get: operations["getSession"];
        put?: never;
        /**
         * Exchange an API key for a console session cookie
         * @description Sets the HttpOnly, SameSite=Strict session cookie (Secure over HTTPS). 401 for any key that is not accepted (unknown, revoked, expired: the answer does not say which); 403 for an ingest key. Each attempt counts against the caller address’s anonymous rate limit.
         */
        post: operations["signIn"];
        /**
         * Sign out: end the console session at once and clear its cookie
         * @description Needs the session’s X-CSRF-Token like every write. 404 when the request was authenticated by an API key header.
         */
        delete: operations["signOut"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/discovery/sources": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List discovery sources
         * @description Newest first. Deleted sources are not listed.
         */
        get: operations["listDiscoverySources"];
        put?: never;
        /**
         * Connect a system to discover agents from
         * @description config and credentials are checked against the kind (docs/discovery.md); URLs go through the SSRF guard, a stdio command must be allowed by DISCOVERY_STDIO_COMMANDS. Credentials are write-only: stored encrypted, never returned. 409 when another source has the name.
         */
        post: operations["createDiscoverySource"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/discovery/sources/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Read a discovery source */
        get: operations["getDiscoverySource"];
        put?: never;
        post?: never;
        /**
         * Delete a discovery source (soft)
         * @description Its agents, their identities and its runs stay; it is no longer run or scheduled.
         */
        delete: operations["deleteDiscoverySource"];
        options?: never;
        head?: never;
        /**
         * Update a discovery source
         * @description Fields given replace the stored ones; config and credentials are replaced whole, credentials null removes them. 409 when another source has the name.
         */
        patch: operations["updateDiscoverySource"];
        trace?: never;
    };
    "/api/v1/discovery/runs": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List discovery runs
         * @description Newest first; filter by source and status.
         */
        get: operations["listDiscoveryRuns"];
        put?: never;
        /**
         * Run discovery on a source now
         * @description Queued as a job (202); poll GET /discovery/runs/{id} until its status is succeeded, partial or failed. 422 for an unknown source; 409 when the source is disabled or already has a run queued or running.
         */
        post: operations["createDiscoveryRun"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/discovery/runs/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Read a discovery run: status, counts and errors */
        get: operations["getDiscoveryRun"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/discovery/findings": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Suspicious tool descriptions found by discovery
         * @description tool_poisoning (the description reads as a prompt injection) and rug_pull (it changed after the agent was approved); newest first.
         */
        get: operations["listDiscoveryFindings"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/agents/{id}/merge": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Merge this agent into another
         * @description The agent's identities, history, decisions, runs, approvals, trust snapshots, incidents, gaps and findings follow `into`, which takes its policy role if it has none; this agent becomes `merged`. Answers the surviving agent with its identities. 400 when `into` is the agent itself; 404 when either is unknown; 409 when either is merged already or retired.
         */
        post: operations["mergeAgent"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/agents/{id}/unmerge": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Give back an identity a merge brought to this agent
         * @description Undoes the merge that brought `identity`: the agent it came with gets back its identities, the rows the merge moved and the status it had. Answers that agent with its identities. 404 when the agent or the identity is unknown; 409 when the identity belongs to another agent or is the agent's own.
         */
        post: operations["unmergeAgent"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/approvals": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List approvals, newest first
         * @description Approvals past their expiry are recorded as expired first, so that the status filter sees them.
         */
        get: operations["listApprovals"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/approvals/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Read an approval; ?wait= long-polls until it is decided
         * @description With wait (e.g. 30s, at most APPROVALS_MAX_WAIT), the answer comes as soon as the approval is decided or expires, or when the wait is over (still pending). Viewers, operators and admins read any approval; an ingest key only those it asked for.
         */
        get: operations["getApproval"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/approvals/{id}/approve": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Approve a pending approval
         * @description With the policy setting approval.approvers: 2, the first approval is recorded and the approval stays pending until a second, distinct key approves. 403 for the API key that asked for the approval; 409 when it was already decided or has expired; audited.
         */
        post: operations["approveApproval"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/approvals/{id}/deny": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Deny a pending approval
         * @description One deny decides. 403 for the API key that asked for the approval; 409 when it was already decided or has expired; audited.
         */
        post: operations["denyApproval"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/integrations/slack/interactions": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Slack's interactivity request URL: Approve and Deny buttons of approval messages
         * @description Verified with the Slack app signing secret (X-Slack-Signature v0 over the raw body, X-Slack-Request-Timestamp within 5 minutes): anything else is 401. The Slack user must be mapped to an operator key (APPROVALS_SLACK_APPROVERS). Answered 200 at once; the message is updated through its response_url (docs/approvals.md). 401 while APPROVALS_SLACK_SIGNING_SECRET is not set. Slack sends application/x-www-form-urlencoded; the body is read raw, whatever its media type, since the signature covers the exact bytes.
         */
        post: operations["receiveSlackInteraction"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
}
export type webhooks = Record<string, never>;
export interface components {
    schemas: {
        /** Agent */
        Agent: {
            /**
             * Format: uuid
             * @description UUID
             */
            id: string;
            name: string;
            kind: components["schemas"]["AgentKind"];
            source: components["schemas"]["AgentSource"];
            external_id: string | null;
            owner: string | null;
            vendor: string | null;
            model: string | null;
            version: string | null;
            description: string | null;
            prompt: string | null;
            /** @description free-form JSON object */
            config: {
                [key: string]: unknown;
            };
            tools: components["schemas"]["Tool"][];
            /** @description sha256 of the canonical definition (tools, prompt, model, config) */
            fingerprint: string;
            status: components["schemas"]["AgentStatus"];
            status_reason: string | null;
            classification: components["schemas"]["Classification"];
            role: string | null;
            targets: string[];
            tags: string[];
            /** @description free-form JSON object */
            metadata: {
                [key: string]: unknown;
            };
            /** @description what each source calls this agent (GET /agents/{id} only, when it has any): one per discovery source, and those merged in (docs/discovery.md "Merging") */
            identities?: components["schemas"]["AgentIdentity"][];
            /** Format: date-time */
            created_at: string;
            /** Format: date-time */
            updated_at: string;
        };
        /** AgentEvent */
        AgentEvent: {
            /**
             * Format: uuid
             * @description UUID
             */
            id: string;
            /**
             * Format: uuid
             * @description UUID
             */
            agent_id: string;
            /** @description register, a lifecycle action, definition_changed, or a move made by discovery (discovered, review, missing, reappeared, tool_poisoning) */
            action: string;
            from_status: components["schemas"]["AgentStatus"] | null;
            to_status: components["schemas"]["AgentStatus"];
            reason: string | null;
            actor: string;
            fingerprint: string | null;
            correlation_id: string | null;
            /** @description what changed, for a definition change found by discovery: [{change, tool?, from?, to?}] (docs/discovery.md) */
            changes?: {
                [key: string]: unknown;
            }[] | null;
            /** Format: date-time */
            at: string;
        };
        /** AgentEventPage */
        AgentEventPage: {
            items: components["schemas"]["AgentEvent"][];
            /** @description null on the last page */
            next_cursor: string | null;
        };
        /** AgentIdentity */
        AgentIdentity: {
            /**
             * Format: uuid
             * @description UUID
             */
            id: string;
            source_kind: components["schemas"]["AgentSource"];
            /** @description the discovery source that sees it; null for an identity registered by hand */
            discovery_source_id: string | null;
            /** @description the source's own id for it (a workflow id, a function ARN, a server URL) */
            external_id: string;
            /**
             * @description discovered (new), adopted (an agent with its external id existed), rule (linked by a linking rule), manual (merged by hand)
             * @enum {string}
             */
            link: "discovered" | "adopted" | "rule" | "manual";
            /** @description the agent it came with when merged (rule or by hand): POST /agents/{id}/unmerge gives it back */
            merged_from: string | null;
            /** Format: date-time */
            first_seen_at: string;
            missing_since: string | null;
        };
        /**
         * AgentKind
         * @enum {string}
         */
        AgentKind: "mcp_server" | "llm_agent" | "workflow" | "pipeline" | "function";
        /** AgentPage */
        AgentPage: {
            items: components["schemas"]["Agent"][];
            /** @description null on the last page */
            next_cursor: string | null;
        };
        /**
         * AgentSource
         * @description where the agent was registered from
         * @enum {string}
         */
        AgentSource: "manual" | "mcp" | "n8n" | "zapier" | "make" | "airflow" | "lambda";
        /**
         * AgentStatus
         * @description lifecycle state (docs/agents.md)
         * @enum {string}
         */
        AgentStatus: "active" | "suspended" | "quarantined" | "retired" | "needs_review" | "missing" | "merged";
        /** AgentTrust */
        AgentTrust: {
            /**
             * Format: uuid
             * @description UUID
             */
            agent_id: string;
            name: string;
            status: string;
            classification: string;
            /** Format: date-time */
            at: string;
            window: string;
            /** Format: date-time */
            from: string;
            score: number;
            grade: "excellent" | "good" | "fair" | "critical";
            confidence: number;
            signals: number;
            components: {
                /** @description null without runs in W: excluded, other weights renormalised */
                reliability: number | null;
                policy_adherence: number;
                freshness: number;
                risk_exposure: number;
            };
            weights: {
                reliability: number;
                policy_adherence: number;
                freshness: number;
                risk: number;
            };
            inputs: {
                runs: number;
                successful_runs: number;
                decisions: number;
                compliant_decisions: number;
                owned_streams_and_contracts: number;
                healthy_streams_and_contracts: number;
                open_severe_incidents: number;
                /** @description risk weight of the agent's classification in the active policy */
                classification_risk_weight: number;
            };
        };
        /** Alert */
        Alert: {
            /** @description hash of the rule and the labels: one alert per condition */
            fingerprint: string;
            rule: string;
            status: components["schemas"]["AlertStatus"];
            labels: {
                [key: string]: string;
            };
            annotations: {
                [key: string]: string;
            };
            /** @description what the rule measured (a count, a score, seconds of silence …) */
            value: number | null;
            /** Format: date-time */
            active_since: string;
            /** @description when it started firing; null while pending */
            starts_at: string | null;
            ends_at: string | null;
            /** Format: date-time */
            last_evaluated_at: string;
            /** @description of the request or job whose evaluation last changed its status */
            correlation_id: string | null;
            /** @description silences in force that match it: it is not delivered */
            silenced_by: {
                /**
                 * Format: uuid
                 * @description UUID
                 */
                id: string;
                comment: string;
                /** Format: date-time */
                ends_at: string;
            }[];
        };
        /** AlertPage */
        AlertPage: {
            items: components["schemas"]["Alert"][];
            /** @description null on the last page */
            next_cursor: string | null;
        };
        /** AlertRules */
        AlertRules: {
            /** @description 0 is the built-in default document */
            version: number;
            active: boolean;
            /** @enum {string} */
            format: "yaml" | "json";
            created_by: string;
            /** Format: date-time */
            created_at: string;
            document: components["schemas"]["AlertRulesDocument"];
            /** @description the document as it was written (YAML keeps its comments) */
            source: string;
        };
        /**
         * AlertRulesDocument
         * @description An alert-rules document (docs/alerts.md): rules over ORCA's data and the routing tree to receivers
         */
        AlertRulesDocument: {
            description?: string;
            rules: {
                /** @description the alert's `alertname` label */
                name: string;
                /** @description gap_opened, stream_stale, trust_below, kpi_threshold, violations, signature_failures, agent_silent, incident_opened, delivery_dead_lettered, backup_failed, backup_stale, agent_discovered, agent_changed, tool_poisoning, discovery_failed, approval_requested */
                kind: string;
                /** @description what the kind looks at (docs/alerts.md "Rule kinds") */
                match?: {
                    [key: string]: unknown;
                };
                threshold?: number;
                /** @description trust_below: fire when the score fell by at least this many points over `window` */
                drop?: number;
                /** @description a duration: 0s, 30s, 5m, 4h, 1d */
                window?: string;
                /** @description a duration: 0s, 30s, 5m, 4h, 1d */
                for?: string;
                /** @description info, low, medium, warning, high, critical */
                severity: string;
                labels?: {
                    [key: string]: string;
                };
                annotations?: {
                    [key: string]: string;
                };
            }[];
            route?: {
                receiver?: string;
                /** @description label names, or ["..."] for all labels */
                group_by?: string[];
                /** @description a duration: 0s, 30s, 5m, 4h, 1d */
                group_wait?: string;
                /** @description a duration: 0s, 30s, 5m, 4h, 1d */
                group_interval?: string;
                /** @description a duration: 0s, 30s, 5m, 4h, 1d */
                repeat_interval?: string;
                matchers?: string[];
                continue?: boolean;
                routes?: {
                    [key: string]: unknown;
                }[];
            };
        };
        /**
         * AlertStatus
         * @description pending (condition holds, `for` not yet over), firing, resolved
         * @enum {string}
         */
        AlertStatus: "pending" | "firing" | "resolved";
        /** ApiKey */
        ApiKey: {
            /**
             * Format: uuid
             * @description UUID
             */
            id: string;
            name: string;
            /** @description public part of the key, for recognising it */
            prefix: string;
            role: components["schemas"]["Role"];
            /** @description api, cli, bootstrap (first start) or env (API_KEYS) */
            origin: string;
            created_by: string;
            /** Format: date-time */
            created_at: string;
            expires_at: string | null;
            last_used_at: string | null;
            revoked_at: string | null;
            /** @enum {string} */
            status: "active" | "revoked" | "expired";
        };
        /** ApiKeyPage */
        ApiKeyPage: {
            items: components["schemas"]["ApiKey"][];
            /** @description null on the last page */
            next_cursor: string | null;
        };
        /** Approval */
        Approval: {
            /**
             * Format: uuid
             * @description UUID
             */
            id: string;
            status: components["schemas"]["ApprovalStatus"];
            /**
             * Format: uuid
             * @description UUID
             */
            agent_id: string;
            action: string;
            resource: string;
            classification: string;
            content_digest: string | null;
            /** @description the policy rule that asked for the approval */
            rule: string;
            /** @description the violations of the decision that asked */
            violations: {
                rule: string;
                severity: string;
                detail: string;
            }[];
            decision_id: string | null;
            policy_version: number;
            /** @description the id of the API key that asked; it can never decide this approval */
            requested_by: string;
            /** @description distinct approvers needed (the policy setting approval.approvers) */
            approvals_required: number;
            /** @description who approved so far, in order */
            approvals: components["schemas"]["ApprovalVote"][];
            decided_by: string | null;
            reason: string | null;
            decided_at: string | null;
            /** Format: date-time */
            expires_at: string;
            used_at: string | null;
            /** @description counted in risk avoided (RA$) once the approval is denied or expires */
            risk_cost_usd: number;
            callback: {
                /**
                 * @description waiting (for the outcome), pending, delivered, failed (a retry is scheduled), dead_lettered
                 * @enum {string}
                 */
                status: "waiting" | "pending" | "delivered" | "failed" | "dead_lettered";
                attempts: number;
                last_status: number | null;
                last_error: string | null;
            } | null;
            /** Format: date-time */
            created_at: string;
            /** Format: date-time */
            updated_at: string;
        };
        /** ApprovalDecisionRequest */
        ApprovalDecisionRequest: {
            /** @description why; kept with the decision and in the audit log */
            reason: string;
        };
        /** ApprovalPage */
        ApprovalPage: {
            items: components["schemas"]["Approval"][];
            /** @description null on the last page */
            next_cursor: string | null;
        };
        /**
         * ApprovalStatus
         * @description pending (waiting for its approvers); approved; denied; expired (no decision before expires_at: counts as denied)
         * @enum {string}
         */
        ApprovalStatus: "pending" | "approved" | "denied" | "expired";
        /** ApprovalVote */
        ApprovalVote: {
            /** @description the id of the API key that approved */
            approver: string;
            /** @enum {string} */
            via: "api" | "slack";
            reason: string;
            /** Format: date-time */
            at: string;
        };
        /** AuditChainReport */
        AuditChainReport: {
            valid: boolean;
            entries_checked: number;
            head_seq: number;
            head_hash: string;
            problems: {
                seq: number;
                problem: string;
                detail: string;
            }[];
        };
        /** AuditEntry */
        AuditEntry: {
            seq: number;
            /** Format: date-time */
            at: string;
            /** @description API key id, or "system" */
            actor: string;
            action: string;
            target: string;
            /** @description the target before the change (JSON), or null */
            before: unknown;
            /** @description the target after the change (JSON), or null */
            after: unknown;
            correlation_id: string | null;
            prev_hash: string;
            hash: string;
        };
        /** AuditEntryPage */
        AuditEntryPage: {
            items: components["schemas"]["AuditEntry"][];
            /** @description null on the last page */
            next_cursor: string | null;
        };
        /** BackupState */
        BackupState: {
            /** @description of the last attempt */
            last_outcome: "success" | "failure";
            /** Format: date-time */
            last_attempt_at: string;
            last_success_at: string | null;
            /** @description why the last attempt failed; null when it succeeded */
            last_error: string | null;
            /** @description the last attempt's copy to S3_BUCKET */
            s3: "copied" | "failed" | "off";
        };
        /** BreakerStatus */
        BreakerStatus: {
            /** @description the target id (a receiver, a discovery source…) */
            target: string;
            /** @description what the target is */
            kind: "receiver" | "callback" | "discovery" | "remediation" | "classifier";
            /** @description open: calls fail at once; half_open: probing after the open period; closed: calls flow */
            state: "closed" | "half_open" | "open";
            consecutive_failures: number;
            /** @description when it last opened; null once closed */
            opened_at: string | null;
        };
        /** CanonicalEvent */
        CanonicalEvent: {
            /**
             * Format: uuid
             * @description UUID
             */
            source_id: string;
            idempotency_key?: string;
            external_event_id?: string | null;
            event_type: string;
            entity_type: string;
            entity_id: string;
            /** Format: date-time */
            occurred_at: string;
            sequence?: number | null;
            agent_id?: string | null;
            correlation_id?: string | null;
            /** @description the business record as JSON (default {}) */
            payload?: unknown;
        };
        /**
         * Classification
         * @description highest data classification the agent may touch
         * @enum {string}
         */
        Classification: "public" | "internal" | "confidential" | "restricted" | "critical";
        /**
         * ConsoleSession
         * @description A console session; its token is only in the HttpOnly cookie (docs/console.md)
         */
        ConsoleSession: {
            /**
             * Format: uuid
             * @description UUID
             */
            id: string;
            key: {
                /**
                 * Format: uuid
                 * @description UUID
                 */
                id: string;
                name: string;
                /** @description what the session may do (the key’s role) */
                role: "viewer" | "operator" | "admin";
            };
            /** Format: date-time */
            expires_at: string;
            /** @description echo it in the X-CSRF-Token header of every write made with this session */
            csrf_token: string;
        };
        /**
         * ContentOrigin
         * @description where the content came from: user (default, a request to the agent), or data the agent reads — document, web, email, tool_output — scanned for instructions aimed at the agent
         * @enum {string}
         */
        ContentOrigin: "user" | "document" | "web" | "email" | "tool_output";
        /** CreateAgentRequest */
        CreateAgentRequest: {
            name: string;
            kind: components["schemas"]["AgentKind"];
            source?: components["schemas"]["AgentSource"];
            /**
             * @description initial status (default active)
             * @enum {string}
             */
            status?: "active" | "quarantined";
            classification?: components["schemas"]["Classification"];
            /** @description free-form JSON object */
            config?: {
                [key: string]: unknown;
            };
            tools?: components["schemas"]["ToolInput"][];
            targets?: string[];
            tags?: string[];
            /** @description free-form JSON object */
            metadata?: {
                [key: string]: unknown;
            };
            external_id?: string | null;
            owner?: string | null;
            vendor?: string | null;
            model?: string | null;
            version?: string | null;
            description?: string | null;
            prompt?: string | null;
            role?: string | null;
        };
        /** CreateApiKeyRequest */
        CreateApiKeyRequest: {
            name: string;
            role: components["schemas"]["Role"];
            /** @description e.g. 30d */
            expires_in?: string;
            /** Format: date-time */
            expires_at?: string;
        };
        /** CreatedApiKey */
        CreatedApiKey: {
            key: components["schemas"]["ApiKey"];
            /** @description the key itself: shown in this response only, never again */
            secret: string;
        };
        /** CreateDiscoveryRunRequest */
        CreateDiscoveryRunRequest: {
            /**
             * Format: uuid
             * @description UUID
             */
            source_id: string;
        };
        /** CreateDiscoverySourceRequest */
        CreateDiscoverySourceRequest: {
            kind: components["schemas"]["DiscoverySourceKind"];
            name: string;
            /** @description the kind's settings (docs/discovery.md): URL, transport, region … */
            config: {
                [key: string]: unknown;
            };
            /** @description the kind's credentials (docs/discovery.md); write-only: stored encrypted, never returned */
            credentials?: {
                [key: string]: unknown;
            };
            /** @description null: runs on request only */
            schedule?: string | null;
            enabled?: boolean;
        };
        /** CreateIncidentRequest */
        CreateIncidentRequest: {
            /** @description e.g. order_duplication, ticket_breach, data_leak */
            kind: string;
            severity: "low" | "medium" | "high" | "critical";
            title?: string;
            /**
             * Format: uuid
             * @description UUID
             */
            agent_id?: string;
            /**
             * Format: uuid
             * @description UUID
             */
            gap_id?: string;
            loss_usd?: number;
            status?: "open" | "mitigated";
        };
        /** CreateReceiverRequest */
        CreateReceiverRequest: {
            /** @description unique; how alert routes name the receiver */
            name: string;
            kind: components["schemas"]["ReceiverKind"];
            /** @description http or https; checked against the SSRF guard (OUTBOUND_ALLOW_CIDRS) */
            url: string;
            /** @description webhook receivers only: the Standard Webhooks signing secret, whsec_ + base64 of 24–64 random bytes (write-only) */
            secret?: string;
            /** @description sent as Authorization: Bearer <token> (alertmanager and webhook receivers; write-only) */
            token?: string;
            /** @description extra request headers; their values are write-only (responses list the names) */
            headers?: {
                [key: string]: string;
            };
        };
        /** CreateReportScheduleRequest */
        CreateReportScheduleRequest: {
            /** @description shown in notifications */
            name: string;
            /** @description five fields (minute hour day-of-month month day-of-week, e.g. "0 8 * * 1") or @hourly, @daily, @weekly, @monthly, @yearly */
            cron: string;
            /**
             * @description IANA time zone the cron expression is read in (e.g. Europe/Paris)
             * @default UTC
             */
            time_zone: string;
            report_kind: components["schemas"]["ReportKind"];
            /**
             * @default json
             * @enum {string}
             */
            format: "json" | "md" | "csv" | "html";
            /**
             * @description trailing window W of each report, 1h to 365d
             * @default 30d
             */
            window: string;
            /** @description webhook or Slack receivers (GET /api/v1/receivers); Alertmanager receivers take alerts, not reports */
            receiver_ids: string[];
        };
        /** CreateSourceRequest */
        CreateSourceRequest: {
            kind: components["schemas"]["SourceKind"];
            name: string;
            description?: string | null;
            enabled?: boolean;
            /** @description signing secret (write-only: stored encrypted, never returned); printable ASCII without spaces */
            secret?: string;
            signing?: {
                /** @description replay window (default 300) */
                tolerance_seconds?: number;
                /** @description per-kind options, validated against the kind (docs/ingestion.md) */
                options?: {
                    [key: string]: unknown;
                };
            };
            mapping?: components["schemas"]["FieldMapping"];
        };
        /** Decision */
        Decision: {
            decision: components["schemas"]["DecisionKind"];
            violations: components["schemas"]["Violation"][];
            redacted_content?: string;
            policy_version: number;
            mode: components["schemas"]["PolicyMode"];
            /** @description id of the recorded decision; null when an allow was not sampled */
            decision_id: string | null;
            approval?: components["schemas"]["OpenedApproval"];
        };
        /**
         * DecisionKind
         * @enum {string}
         */
        DecisionKind: "allow" | "deny" | "redact" | "require_approval";
        /** Delivery */
        Delivery: {
            /**
             * Format: uuid
             * @description UUID
             */
            id: string;
            /** @description the webhook-id: the same on every attempt */
            notification_id: string;
            /**
             * @description report: a scheduled report (docs/reports.md)
             * @enum {string}
             */
            notification_kind: "alert" | "test" | "report";
            /** @enum {string} */
            notification_status: "firing" | "resolved";
            group_key: string;
            /** @description alerts in the notification */
            alerts: number;
            /**
             * Format: uuid
             * @description UUID
             */
            receiver_id: string;
            receiver_name: string;
            receiver_kind: components["schemas"]["ReceiverKind"];
            status: components["schemas"]["DeliveryStatus"];
            attempts: number;
            /** @description the receiver's last HTTP status; null when it has not answered */
            last_status: number | null;
            last_error: string | null;
            /** @description of the request or job that caused the notification */
            correlation_id: string | null;
            /** Format: date-time */
            created_at: string;
            /** Format: date-time */
            updated_at: string;
            last_attempt_at: string | null;
            delivered_at: string | null;
            dead_lettered_at: string | null;
        };
        /** DeliveryPage */
        DeliveryPage: {
            items: components["schemas"]["Delivery"][];
            /** @description null on the last page */
            next_cursor: string | null;
        };
        /**
         * DeliveryStatus
         * @description pending (waiting for its next attempt); failed (the last attempt failed, a retry is scheduled); delivered; dead_lettered (given up)
         * @enum {string}
         */
        DeliveryStatus: "pending" | "delivered" | "failed" | "dead_lettered";
        /** DiscoveryFinding */
        DiscoveryFinding: {
            /**
             * Format: uuid
             * @description UUID
             */
            id: string;
            /**
             * Format: uuid
             * @description UUID
             */
            agent_id: string;
            /**
             * Format: uuid
             * @description UUID
             */
            source_id: string;
            /**
             * Format: uuid
             * @description UUID
             */
            run_id: string;
            /**
             * @description tool_poisoning: the description reads as a prompt injection; rug_pull: it changed after approval
             * @enum {string}
             */
            kind: "tool_poisoning" | "rug_pull";
            tool: string;
            detail: string;
            /** @description the injection detector's score (tool_poisoning) */
            score: number | null;
            signals: string[];
            /** Format: date-time */
            detected_at: string;
        };
        /** DiscoveryFindingPage */
        DiscoveryFindingPage: {
            items: components["schemas"]["DiscoveryFinding"][];
            /** @description null on the last page */
            next_cursor: string | null;
        };
        /** DiscoveryRun */
        DiscoveryRun: {
            /**
             * Format: uuid
             * @description UUID
             */
            id: string;
            /**
             * Format: uuid
             * @description UUID
             */
            source_id: string;
            status: components["schemas"]["DiscoveryRunStatus"];
            /** @enum {string} */
            trigger: "api" | "schedule" | "cli";
            /** @description the API key id, "schedule" or "cli" */
            requested_by: string;
            /** @description agents the source listed */
            found: number;
            /** @description registered by this run (quarantined) */
            new: number;
            /** @description first listed by this source, joined by a linking rule to an agent another source or a person registered (no new agent) */
            linked: number;
            /** @description listed with another fingerprint than before */
            changed: number;
            unchanged: number;
            /** @description known from this source, no longer listed (only counted when the listing was complete) */
            missing: number;
            errors: components["schemas"]["DiscoveryRunError"][];
            attempts: number;
            correlation_id: string | null;
            /** Format: date-time */
            created_at: string;
            started_at: string | null;
            finished_at: string | null;
        };
        /** DiscoveryRunError */
        DiscoveryRunError: {
            /** @description unauthorized, rate_limited, timeout, unreachable, malformed_response, too_many_tools … (docs/discovery.md) */
            code: string;
            message: string;
            /** @description the agent the error is about, when it is about one */
            external_id?: string;
        };
        /** DiscoveryRunPage */
        DiscoveryRunPage: {
            items: components["schemas"]["DiscoveryRun"][];
            /** @description null on the last page */
            next_cursor: string | null;
        };
        /**
         * DiscoveryRunStatus
         * @enum {string}
         */
        DiscoveryRunStatus: "queued" | "running" | "succeeded" | "partial" | "failed";
        /** DiscoverySource */
        DiscoverySource: {
            /**
             * Format: uuid
             * @description UUID
             */
            id: string;
            kind: components["schemas"]["DiscoverySourceKind"];
            name: string;
            /** @description the kind's settings (docs/discovery.md): URL, transport, region … */
            config: {
                [key: string]: unknown;
            };
            credentials: {
                /** @description whether credentials are stored (they are never returned) */
                set: boolean;
                set_at: string | null;
            };
            schedule: string | null;
            enabled: boolean;
            last_run: {
                /**
                 * Format: uuid
                 * @description UUID
                 */
                id: string;
                status: components["schemas"]["DiscoveryRunStatus"];
                /** Format: date-time */
                created_at: string;
                finished_at: string | null;
            } | null;
            /** Format: date-time */
            created_at: string;
            /** Format: date-time */
            updated_at: string;
        };
        /**
         * DiscoverySourceKind
         * @description the system discovered from (docs/discovery.md)
         * @enum {string}
         */
        DiscoverySourceKind: "mcp" | "n8n" | "make" | "airflow" | "lambda";
        /** DiscoverySourcePage */
        DiscoverySourcePage: {
            items: components["schemas"]["DiscoverySource"][];
            /** @description null on the last page */
            next_cursor: string | null;
        };
        /** DriftReport */
        DriftReport: {
            /** Format: date-time */
            generated_at: string;
            window: string;
            /** Format: date-time */
            from: string;
            /** Format: date-time */
            to: string;
            totals: {
                /** @description gaps detected in the window */
                detected: number;
                /** @description of those, still open at the end of the window */
                open: number;
                /** @description of those, resolved by the end of the window */
                resolved: number;
                /** @description of the resolved, closed by data arriving (resolution auto) */
                resolved_auto: number;
                /** @description closed because a newer contracts version removed their rule */
                withdrawn: number;
                by_severity: {
                    low: number;
                    medium: number;
                    high: number;
                    critical: number;
                };
                /** @description Σ cost_usd of the gaps detected (their risk kinds' configured cost) */
                cost_usd: number;
                /** @description Σ cost_usd of those resolved before their due time */
                avoided_usd: number;
                /** @description Σ cost_usd of those still open */
                open_cost_usd: number;
                /** @description null when none was resolved */
                mean_time_to_resolve_seconds: number | null;
            };
            /** @description every gap open at the end of the window, whenever detected */
            open_at_end: {
                count: number;
                cost_usd: number;
            };
            by_kind: {
                type: string;
                /** @description gaps detected in the window */
                detected: number;
                /** @description of those, still open at the end of the window */
                open: number;
                /** @description of those, resolved by the end of the window */
                resolved: number;
                /** @description of the resolved, closed by data arriving (resolution auto) */
                resolved_auto: number;
                /** @description closed because a newer contracts version removed their rule */
                withdrawn: number;
                by_severity: {
                    low: number;
                    medium: number;
                    high: number;
                    critical: number;
                };
                /** @description Σ cost_usd of the gaps detected (their risk kinds' configured cost) */
                cost_usd: number;
                /** @description Σ cost_usd of those resolved before their due time */
                avoided_usd: number;
                /** @description Σ cost_usd of those still open */
                open_cost_usd: number;
                /** @description null when none was resolved */
                mean_time_to_resolve_seconds: number | null;
            }[];
            by_contract: {
                contract: string | null;
                /** @description gaps detected in the window */
                detected: number;
                /** @description of those, still open at the end of the window */
                open: number;
                /** @description of those, resolved by the end of the window */
                resolved: number;
                /** @description of the resolved, closed by data arriving (resolution auto) */
                resolved_auto: number;
                /** @description closed because a newer contracts version removed their rule */
                withdrawn: number;
                by_severity: {
                    low: number;
                    medium: number;
                    high: number;
                    critical: number;
                };
                /** @description Σ cost_usd of the gaps detected (their risk kinds' configured cost) */
                cost_usd: number;
                /** @description Σ cost_usd of those resolved before their due time */
                avoided_usd: number;
                /** @description Σ cost_usd of those still open */
                open_cost_usd: number;
                /** @description null when none was resolved */
                mean_time_to_resolve_seconds: number | null;
            }[];
            by_owner_agent: {
                agent_id: string | null;
                agent_name: string | null;
                /** @description gaps detected in the window */
                detected: number;
                /** @description of those, still open at the end of the window */
                open: number;
                /** @description of those, resolved by the end of the window */
                resolved: number;
                /** @description of the resolved, closed by data arriving (resolution auto) */
                resolved_auto: number;
                /** @description closed because a newer contracts version removed their rule */
                withdrawn: number;
                by_severity: {
                    low: number;
                    medium: number;
                    high: number;
                    critical: number;
                };
                /** @description Σ cost_usd of the gaps detected (their risk kinds' configured cost) */
                cost_usd: number;
                /** @description Σ cost_usd of those resolved before their due time */
                avoided_usd: number;
                /** @description Σ cost_usd of those still open */
                open_cost_usd: number;
                /** @description null when none was resolved */
                mean_time_to_resolve_seconds: number | null;
            }[];
            /** @description contracts and owner agents past the first 100 (the totals include them) */
            groups_omitted: {
                by_contract: number;
                by_owner_agent: number;
            };
        };
        /** EvaluateRequest */
        EvaluateRequest: {
            /**
             * Format: uuid
             * @description UUID
             */
            agent_id: string;
            /** @description what the agent is about to do, e.g. read, send_message, delete_data */
            action: string;
            /** @description what it acts on (a system, table, URL …); no control characters */
            resource: string;
            /** @description classification of the destination / data touched */
            classification: string;
            /** @description text to scan for PII, secrets and prompt injection; never stored */
            content?: string;
            content_origin?: components["schemas"]["ContentOrigin"];
            tokens?: number;
            cost_usd?: number;
            /**
             * Format: uuid
             * @description proceed with this approval (docs/approvals.md): allowed once, when it was approved for exactly this agent, action, resource, classification and content and has not expired; anything else is a deny (rule approval_invalid) with the reason
             */
            approval_id?: string;
            /** @description where ORCA POSTs the outcome of the approval this call may open, signed with Standard Webhooks; checked against the SSRF guard (400 when refused) */
            callback_url?: string;
            /** @description the Standard Webhooks secret to sign the callback with (whsec_ + base64 of 24–64 bytes); without it ORCA generates one and returns it once */
            callback_secret?: string;
        };
        /** Event */
        Event: {
            /**
             * Format: uuid
             * @description UUID
             */
            id: string;
            /**
             * Format: uuid
             * @description UUID
             */
            source_id: string;
            external_event_id: string | null;
            idempotency_key: string;
            event_type: string;
            entity_type: string;
            entity_id: string;
            /** Format: date-time */
            occurred_at: string;
            /** Format: date-time */
            received_at: string;
            sequence: number | null;
            agent_id: string | null;
            correlation_id: string | null;
            payload: unknown;
        };
        /** EventBatch */
        EventBatch: {
            events: components["schemas"]["CanonicalEvent"][];
        };
        /** EventBatchResult */
        EventBatchResult: {
            accepted: number;
            duplicates: number;
            conflicts: number;
            /** @description the stored id of each item, in order (the original one for a repeat) */
            ids: string[];
        };
        /** EventPage */
        EventPage: {
            items: components["schemas"]["Event"][];
            /** @description null on the last page */
            next_cursor: string | null;
        };
        /** ExecutiveReport */
        ExecutiveReport: {
            /** Format: date-time */
            generated_at: string;
            window: string;
            /** Format: date-time */
            from: string;
            /** Format: date-time */
            to: string;
            previous_window: {
                /** Format: date-time */
                from: string;
                /** Format: date-time */
                to: string;
            };
            kpis: components["schemas"]["KpiSet"];
            previous_kpis: components["schemas"]["KpiSet"];
            trends: {
                [key: string]: components["schemas"]["KpiTrend"];
            };
            active_agents: number;
            top_risky_agents: {
                /**
                 * Format: uuid
                 * @description UUID
                 */
                agent_id: string;
                name: string;
                score: number;
                grade: string;
                confidence: number;
                components: {
                    reliability: number | null;
                    policy_adherence: number;
                    freshness: number;
                    risk_exposure: number;
                };
                inputs: {
                    [key: string]: number;
                };
            }[];
            open_gaps_by_kind: {
                type: string;
                count: number;
                by_severity: {
                    low: number;
                    medium: number;
                    high: number;
                    critical: number;
                };
            }[];
            insights: components["schemas"]["ReportFinding"][];
            recommendations: components["schemas"]["ReportFinding"][];
        };
        /** FieldError */
        FieldError: {
            /** @description JSON Pointer into the request part that failed: /body/…, /querystring/…, /params/…, /headers/… */
            path: string;
            message: string;
        };
        /**
         * FieldMapping
         * @description JSON paths per canonical field, applied over the kind's default mapping (docs/ingestion.md)
         */
        FieldMapping: {
            event_type?: string | {
                /** @description JSON path into the native event document */
                path: string;
                /** @enum {string} */
                format?: "iso" | "epoch_ms" | "epoch_s";
            };
            entity_type?: string | {
                /** @description JSON path into the native event document */
                path: string;
                /** @enum {string} */
                format?: "iso" | "epoch_ms" | "epoch_s";
            };
            entity_id?: string | {
                /** @description JSON path into the native event document */
                path: string;
                /** @enum {string} */
                format?: "iso" | "epoch_ms" | "epoch_s";
            };
            occurred_at?: string | {
                /** @description JSON path into the native event document */
                path: string;
                /** @enum {string} */
                format?: "iso" | "epoch_ms" | "epoch_s";
            };
            sequence?: string | {
                /** @description JSON path into the native event document */
                path: string;
                /** @enum {string} */
                format?: "iso" | "epoch_ms" | "epoch_s";
            };
            agent_id?: string | {
                /** @description JSON path into the native event document */
                path: string;
                /** @enum {string} */
                format?: "iso" | "epoch_ms" | "epoch_s";
            };
            correlation_key?: string | {
                /** @description JSON path into the native event document */
                path: string;
                /** @enum {string} */
                format?: "iso" | "epoch_ms" | "epoch_s";
            };
        };
        /** FreshnessReport */
        FreshnessReport: {
            /** Format: date-time */
            at: string;
            /** @description 0 when no contracts are defined */
            contracts_version: number;
            items: components["schemas"]["StreamFreshness"][];
        };
        /** Gap */
        Gap: {
            /**
             * Format: uuid
             * @description UUID
             */
            id: string;
            type: components["schemas"]["GapType"];
            severity: components["schemas"]["Severity"];
            /** @enum {string} */
            status: "open" | "resolved";
            contract: string | null;
            stream: string | null;
            rule: string;
            entity_type: string | null;
            entity_id: string | null;
            agent_id: string | null;
            /** Format: date-time */
            detected_at: string;
            due_at: string | null;
            resolved_at: string | null;
            resolution: ("auto" | "manual") | null;
            resolved_by: string | null;
            resolution_reason: string | null;
            risk_kind: string | null;
            cost_usd: number;
            /** @description evidence: event ids, values, deadlines (never payload content beyond agreed fields) */
            detail: {
                [key: string]: unknown;
            };
        };
        /** GapPage */
        GapPage: {
            items: components["schemas"]["Gap"][];
            /** @description null on the last page */
            next_cursor: string | null;
        };
        /**
         * GapType
         * @enum {string}
         */
        GapType: "stale" | "missing_record" | "out_of_order" | "duplicate" | "field_drift";
        /** HealingDurations */
        HealingDurations: {
            mean_seconds: number | null;
            median_seconds: number | null;
            p90_seconds: number | null;
            max_seconds: number | null;
        };
        /** HealingReport */
        HealingReport: {
            /** Format: date-time */
            generated_at: string;
            window: string;
            /** Format: date-time */
            from: string;
            /** Format: date-time */
            to: string;
            /** @description remediations created in the window, by their status now */
            remediations: {
                total: number;
                /** @description pending, acting or verifying */
                in_progress: number;
                healed: number;
                failed: number;
                gave_up: number;
                skipped: number;
                attempts: number;
                /** @description healed / (healed + failed + gave_up); null when none of them */
                heal_rate: number | null;
            };
            by_action: {
                action: "resync_request" | "retry_delivery" | "notify" | "open_incident" | "quarantine_agent" | "suspend_agent";
                total: number;
                /** @description pending, acting or verifying */
                in_progress: number;
                healed: number;
                failed: number;
                gave_up: number;
                skipped: number;
                attempts: number;
                /** @description healed / (healed + failed + gave_up); null when none of them */
                heal_rate: number | null;
            }[];
            time_to_heal: {
                /** @description gaps healed by a remediation created in the window */
                gaps: number;
                since_detection: components["schemas"]["HealingDurations"];
                after_action: components["schemas"]["HealingDurations"];
            };
            self_resolution: components["schemas"]["Kpi"];
            cost_avoided: {
                usd: number;
                gaps: number;
                /** @description how the figure is computed */
                rule: string;
            };
            problems: {
                contract: string | null;
                rule: string;
                action: string;
                count: number;
                last_reason: string | null;
            }[];
        };
        /** Health */
        Health: {
            status: "ok" | "degraded" | "down";
            version: string;
            uptime_seconds: number;
            /** @description by check name (database, migrations, redis when configured) */
            checks: {
                [key: string]: components["schemas"]["HealthCheck"];
            };
        };
        /** HealthCheck */
        HealthCheck: {
            status: "up" | "down";
            latency_ms: number;
            detail?: string;
        };
        /** Incident */
        Incident: {
            /**
             * Format: uuid
             * @description UUID
             */
            id: string;
            kind: string;
            severity: "low" | "medium" | "high" | "critical";
            title: string | null;
            agent_id: string | null;
            gap_id: string | null;
            /** @description US dollars, a JSON number */
            loss_usd: number;
            status: "open" | "mitigated" | "resolved";
            resolved_by: "auto" | "human" | null;
            resolution_note: string | null;
            opened_by: string;
            /** Format: date-time */
            opened_at: string;
            resolved_at: string | null;
            /** Format: date-time */
            created_at: string;
            /** Format: date-time */
            updated_at: string;
        };
        /** IncidentPage */
        IncidentPage: {
            items: components["schemas"]["Incident"][];
            /** @description null on the last page */
            next_cursor: string | null;
        };
        /** KillSwitchActivation */
        KillSwitchActivation: {
            /**
             * Format: uuid
             * @description UUID
             */
            id: string;
            status: "active" | "released";
            selector: components["schemas"]["KillSwitchSelector"];
            reason: string;
            /**
             * Format: uuid
             * @description UUID
             */
            preview_id: string;
            /** @description agents this activation suspended */
            suspended_count: number;
            /** @description selected agents that were suspended already (left alone) */
            already_suspended_count: number;
            activated_by: string;
            /** Format: date-time */
            activated_at: string;
            correlation_id: string | null;
            released_at: string | null;
            released_by: string | null;
            release_reason: string | null;
            restored_count: number | null;
            skipped_count: number | null;
            transferred_count: number | null;
        };
        /** KillSwitchActivationDetail */
        KillSwitchActivationDetail: {
            /**
             * Format: uuid
             * @description UUID
             */
            id: string;
            status: "active" | "released";
            selector: components["schemas"]["KillSwitchSelector"];
            reason: string;
            /**
             * Format: uuid
             * @description UUID
             */
            preview_id: string;
            /** @description agents this activation suspended */
            suspended_count: number;
            /** @description selected agents that were suspended already (left alone) */
            already_suspended_count: number;
            activated_by: string;
            /** Format: date-time */
            activated_at: string;
            correlation_id: string | null;
            released_at: string | null;
            released_by: string | null;
            release_reason: string | null;
            restored_count: number | null;
            skipped_count: number | null;
            transferred_count: number | null;
            agents: components["schemas"]["KillSwitchAgent"][];
        };
        /** KillSwitchActivationPage */
        KillSwitchActivationPage: {
            items: components["schemas"]["KillSwitchActivation"][];
            /** @description null on the last page */
            next_cursor: string | null;
        };
        /** KillSwitchAgent */
        KillSwitchAgent: {
            /**
             * Format: uuid
             * @description UUID
             */
            agent_id: string;
            name: string;
            current_status: components["schemas"]["AgentStatus"];
            outcome: "suspended" | "already_suspended";
            previous_status: components["schemas"]["AgentStatus"];
            previous_status_reason: string | null;
            release_outcome: ("restored" | "skipped" | "transferred") | null;
            release_detail: string | null;
        };
        /** KillSwitchPendingApproval */
        KillSwitchPendingApproval: {
            /**
             * Format: uuid
             * @description UUID
             */
            id: string;
            /**
             * Format: uuid
             * @description UUID
             */
            agent_id: string;
            action: string;
            resource: string | null;
            /** Format: date-time */
            requested_at: string;
            expires_at: string | null;
        };
        /** KillSwitchPreview */
        KillSwitchPreview: {
            /**
             * Format: uuid
             * @description UUID
             */
            preview_id: string;
            /** @description give it to POST /api/v1/kill-switch within 5 minutes; shown once */
            preview_token: string;
            /** Format: date-time */
            expires_at: string;
            selector: components["schemas"]["KillSwitchSelector"];
            agents: {
                /** @description agents selected (not retired) */
                total: number;
                to_suspend: number;
                already_suspended: number;
                /** @description selected agents per current status */
                by_status: {
                    [key: string]: number;
                };
                /** @description the selected agents, by id; at most 5,000 (see truncated) */
                items: components["schemas"]["KillSwitchPreviewAgent"][];
                truncated: boolean;
            };
            pending_approvals: {
                total: number;
                items: components["schemas"]["KillSwitchPendingApproval"][];
            } | null;
            /** @description active sync contracts owned by a selected agent */
            sync_contracts: {
                name: string;
                /**
                 * Format: uuid
                 * @description UUID
                 */
                owner_agent_id: string;
                streams: string[];
            }[];
            /** @description the sources feeding those contracts */
            sources: {
                /** @description a source id, or a source kind, as the contract names it */
                source: string;
                name: string | null;
                contracts: string[];
            }[];
            decisions_last_24h: {
                total: number;
                /** @description per decision */
                by_decision: {
                    [key: string]: number;
                };
            };
            runs_last_hour: {
                total: number;
                /** @description per outcome */
                by_outcome: {
                    [key: string]: number;
                };
            };
            notes: string[];
        };
        /** KillSwitchPreviewAgent */
        KillSwitchPreviewAgent: {
            /**
             * Format: uuid
             * @description UUID
             */
            id: string;
            name: string;
            kind: components["schemas"]["AgentKind"];
            status: components["schemas"]["AgentStatus"];
            owner: string | null;
            vendor: string | null;
            model: string | null;
            tags: string[];
            /** @description none: already suspended, left as it is */
            action: "suspend" | "none";
            decisions_last_24h: number;
            runs_last_hour: number;
        };
        /** KillSwitchPreviewRequest */
        KillSwitchPreviewRequest: {
            selector: components["schemas"]["KillSwitchSelector"];
        };
        /** KillSwitchReleaseRequest */
        KillSwitchReleaseRequest: {
            /** @description why; kept on the activation and in the audit log */
            reason: string;
        };
        /** KillSwitchRequest */
        KillSwitchRequest: {
            preview_token: string;
            /** @description why; kept on the activation, in each agent's history and in the audit log */
            reason: string;
        };
        /**
         * KillSwitchSelector
         * @description Which agents to stop. Each list matches any of its values; the criteria given must all match. Retired agents are never selected.
         */
        KillSwitchSelector: {
            /** @description every agent that is not retired; must then be the only criterion */
            all?: boolean;
            /** @description these agents */
            agent_ids?: string[];
            /** @description agents carrying any of these tags */
            tags?: string[];
            /** @description agents owned by any of these owners (exact match) */
            owners?: string[];
            /** @description agents of any of these vendors (exact match) */
            vendors?: string[];
            /** @description agents running any of these models (exact match) */
            models?: string[];
            /** @description agents of any of these kinds */
            kinds?: components["schemas"]["AgentKind"][];
            /** @description agents found by any of these discovery sources; matches nothing in a build without discovery (the preview says so) */
            discovery_source_ids?: string[];
        };
        /** Kpi */
        Kpi: {
            /** @description null only when the denominator is 0 (band no_data) or ROI has no configured cost */
            value: number | null;
            unit: "score" | "percent" | "ratio" | "usd";
            numerator: number;
            denominator: number | null;
            window: string;
            /** @description the value's band (docs/trust.md); null for KPIs without bands */
            band: components["schemas"]["KpiBand"] | null;
            inputs: {
                [key: string]: number | null;
            };
        };
        /** KpiBand */
        KpiBand: "excellent" | "good" | "fair" | "critical" | "no_data" | "not_configured";
        /** KpiReport */
        KpiReport: {
            /** Format: date-time */
            at: string;
            window: string;
            window_ms: number;
            /** Format: date-time */
            from: string;
            kpis: components["schemas"]["KpiSet"];
        };
        /** KpiSet */
        KpiSet: {
            trust_score: components["schemas"]["Kpi"];
            sync_freshness: components["schemas"]["Kpi"];
            drift_rate: components["schemas"]["Kpi"];
            compliance_sla: components["schemas"]["Kpi"];
            self_resolution: components["schemas"]["Kpi"];
            risk_avoided: components["schemas"]["Kpi"];
            roi: components["schemas"]["Kpi"];
        };
        /** KpiSnapshot */
        KpiSnapshot: {
            /**
             * Format: uuid
             * @description UUID
             */
            id: string;
            /** Format: date-time */
            at: string;
            window: string;
            window_ms: number;
            /** Format: date-time */
            from: string;
            kpis: components["schemas"]["KpiSet"];
        };
        /** KpiSnapshotPage */
        KpiSnapshotPage: {
            items: components["schemas"]["KpiSnapshot"][];
            /** @description null on the last page */
            next_cursor: string | null;
        };
        /** KpiTrend */
        KpiTrend: {
            current: number | null;
            previous: number | null;
            delta: number | null;
            direction: "up" | "down" | "flat" | "no_data";
            improved: boolean | null;
        };
        /** Liveness */
        Liveness: {
            /** @enum {string} */
            status: "ok";
        };
        /** MergeAgentRequest */
        MergeAgentRequest: {
            /**
             * Format: uuid
             * @description the surviving agent: it takes this agent's identities, history, decisions, runs and trust
             */
            into: string;
            /** @description why (kept in the history and the audit log) */
            reason?: string;
        };
        /** NotReady */
        NotReady: components["schemas"]["Problem"] & {
            /** @description by check name (database, migrations, redis when configured) */
            checks: {
                [key: string]: components["schemas"]["HealthCheck"];
            };
        };
        /**
         * OpenedApproval
         * @description require_approval: the approval this decision opened; poll GET /api/v1/approvals/{id} (docs/approvals.md)
         */
        OpenedApproval: {
            /**
             * Format: uuid
             * @description UUID
             */
            id: string;
            /** @enum {string} */
            status: "pending";
            /** Format: date-time */
            expires_at: string;
            /** @description the generated Standard Webhooks secret of the callback: shown this once */
            callback_secret?: string;
        };
        /** Policy */
        Policy: {
            /** @description 0 is the built-in default policy */
            version: number;
            mode: components["schemas"]["PolicyMode"];
            active: boolean;
            /** @enum {string} */
            format: "yaml" | "json";
            created_by: string;
            /** Format: date-time */
            created_at: string;
            document: components["schemas"]["PolicyDocument"];
            /** @description the document as it was written (YAML keeps its comments) */
            source: string;
        };
        /**
         * PolicyDocument
         * @description A policy document (docs/policies.md): classifications, roles, PII detectors, prompt-injection patterns, approvals, quotas
         */
        PolicyDocument: {
            /** @description enforce (default) or monitor: record violations but allow */
            mode?: "enforce" | "monitor";
            description?: string;
            default_role?: string;
            /** @description lowest to highest */
            classifications: {
                name: string;
                risk_weight: number;
            }[];
            roles: {
                [key: string]: {
                    /** @description names, or ["*"] for all */
                    classifications: string[];
                    /** @description names, or ["*"] for all */
                    actions: string[];
                };
            };
            pii?: {
                detectors?: {
                    [key: string]: {
                        enabled?: boolean;
                        severity: "low" | "medium" | "high" | "critical";
                        /** @description USD this violation would cost if it happened (RA$ when it is blocked) */
                        risk_cost_usd?: number;
                        /** @description allow | redact | block for each destination classification */
                        actions: {
                            [key: string]: "allow" | "redact" | "block";
                        };
                    };
                };
                /** @description regions (ISO 3166-1 alpha-2) whose national phone formats are detected; default [US] (North America). Numbers written with a + are detected whatever the list */
                phone_regions?: string[];
                custom?: {
                    name: string;
                    pattern: string;
                    case_insensitive?: boolean;
                    severity: "low" | "medium" | "high" | "critical";
                    /** @description USD this violation would cost if it happened (RA$ when it is blocked) */
                    risk_cost_usd?: number;
                    /** @description allow | redact | block for each destination classification */
                    actions: {
                        [key: string]: "allow" | "redact" | "block";
                    };
                }[];
            };
            prompt_injection?: {
                /** @description what a matching pattern does (default deny) */
                action?: "deny" | "require_approval";
                severity?: "low" | "medium" | "high" | "critical";
                /** @description USD this violation would cost if it happened (RA$ when it is blocked) */
                risk_cost_usd?: number;
                /** @description the built-in prompt-injection detector (docs/policies.md "Prompt-injection detection"); on by default */
                detector?: {
                    /** @description default true */
                    enabled?: boolean;
                    /** @description score (0–1) from which the content is flagged */
                    threshold?: number;
                    /** @description deny | require_approval | monitor */
                    action?: "deny" | "require_approval" | "monitor";
                    /** @description threshold and action per destination classification; unlisted classifications use the detector-wide ones */
                    classifications?: {
                        [key: string]: {
                            /** @description score (0–1) from which the content is flagged */
                            threshold?: number;
                            /** @description deny | require_approval | monitor */
                            action?: "deny" | "require_approval" | "monitor";
                        };
                    };
                    /** @description an HTTP classifier whose score replaces the built-in one; on failure the built-in detector decides */
                    external?: {
                        /** @description POST {content, content_origin} → {score, signals?} */
                        url: string;
                        /** @description default 500 */
                        timeout_ms?: number;
                    };
                };
                patterns?: {
                    name: string;
                    phrases?: string[];
                    regex?: string;
                }[];
            };
            /** @description deny (default) or allow the actions of an agent in needs_review: approved, then changed, waiting for a new approval (docs/discovery.md) */
            needs_review?: "deny" | "allow";
            /** @description actions held for a human approval, and how approvals are decided (docs/approvals.md) */
            approval?: {
                actions: string[];
                /** @description how long an approval waits for its decision before it expires (denied): 1m to 30d, default 24h */
                expires_after?: string;
                /** @description distinct approvers an approval needs (default 1); one deny is enough */
                approvers?: number;
            };
            quotas?: {
                default?: {
                    /** @description evaluations per window */
                    calls?: number;
                    /** @description window of `calls`, e.g. 1m, 1h (default 1m) */
                    window?: string;
                    tokens_per_day?: number;
                    cost_usd_per_day?: number;
                };
                roles?: {
                    [key: string]: {
                        /** @description evaluations per window */
                        calls?: number;
                        /** @description window of `calls`, e.g. 1m, 1h (default 1m) */
                        window?: string;
                        tokens_per_day?: number;
                        cost_usd_per_day?: number;
                    };
                };
                agents?: {
                    [key: string]: {
                        /** @description evaluations per window */
                        calls?: number;
                        /** @description window of `calls`, e.g. 1m, 1h (default 1m) */
                        window?: string;
                        tokens_per_day?: number;
                        cost_usd_per_day?: number;
                    };
                };
            };
            rules?: {
                [key: string]: {
                    severity?: "low" | "medium" | "high" | "critical";
                    /** @description USD this violation would cost if it happened (RA$ when it is blocked) */
                    risk_cost_usd?: number;
                };
            };
        };
        /**
         * PolicyMode
         * @description enforce, or monitor: violations are recorded but the action is allowed
         * @enum {string}
         */
        PolicyMode: "enforce" | "monitor";
        /** PolicyVersion */
        PolicyVersion: {
            /** @description 0 is the built-in default policy */
            version: number;
            mode: components["schemas"]["PolicyMode"];
            active: boolean;
            /** @enum {string} */
            format: "yaml" | "json";
            created_by: string;
            /** Format: date-time */
            created_at: string;
        };
        /** PolicyVersionPage */
        PolicyVersionPage: {
            items: components["schemas"]["PolicyVersion"][];
            /** @description null on the last page */
            next_cursor: string | null;
        };
        /**
         * Problem
         * @description RFC 9457 problem details
         */
        Problem: {
            /** @description urn:orca:problem:<code>; the codes are listed in docs/errors.md */
            type: string;
            title: string;
            /** @description the HTTP status */
            status: number;
            detail: string;
            /** @description the request path, without its query string */
            instance: string;
            /** @description the X-Correlation-ID of the request; quote it when reporting a problem */
            correlation_id: string;
            /** @description one entry per field that failed (validation errors only) */
            errors?: components["schemas"]["FieldError"][];
        } & {
            [key: string]: unknown;
        };
        /** QueueStatus */
        QueueStatus: {
            queue: string;
            /** @description waiting to run, retries and delayed jobs included */
            queued: number;
            /** @description running now, on any replica */
            active: number;
            /** @description retries exhausted: waiting in the queue's dead-letter queue */
            dead_lettered: number;
            /** @description how long the oldest due job has waited past its start time (0 when none) */
            oldest_queued_seconds: number;
        };
        /** Readiness */
        Readiness: {
            /** @enum {string} */
            status: "ready";
            /** @description by check name (database, migrations, redis when configured) */
            checks: {
                [key: string]: components["schemas"]["HealthCheck"];
            };
        };
        /** Receiver */
        Receiver: {
            /**
             * Format: uuid
             * @description UUID
             */
            id: string;
            name: string;
            kind: components["schemas"]["ReceiverKind"];
            /** @description the URL with what may be a credential redacted: a Slack path, query values, user info */
            url: string;
            has_secret: boolean;
            has_token: boolean;
            header_names: string[];
            /**
             * @description config: kept by ALERTMANAGER_URL or ALERT_WEBHOOK_URL at every start-up
             * @enum {string}
             */
            origin: "api" | "config";
            /** Format: date-time */
            created_at: string;
            /** Format: date-time */
            updated_at: string;
        };
        /**
         * ReceiverKind
         * @description what the receiver speaks: Alertmanager API v2, a Slack incoming webhook, or JSON signed with Standard Webhooks (docs/receivers.md)
         * @enum {string}
         */
        ReceiverKind: "alertmanager" | "slack" | "webhook";
        /** ReceiverPage */
        ReceiverPage: {
            items: components["schemas"]["Receiver"][];
            /** @description null on the last page */
            next_cursor: string | null;
        };
        /** ReceiverTestResult */
        ReceiverTestResult: {
            /** @description the webhook-id of the test notification */
            notification_id: string;
            /**
             * @description delivered (2xx); rejected (the receiver answered another status); failed (no answer: refused, breaker_open, timeout, network, too_large)
             * @enum {string}
             */
            outcome: "delivered" | "rejected" | "failed";
            /** @description the receiver's HTTP status; null when it did not answer */
            status: number | null;
            duration_ms: number;
            error: string | null;
        };
        /** ReceiverWithGeneratedSecret */
        ReceiverWithGeneratedSecret: {
            /**
             * Format: uuid
             * @description UUID
             */
            id: string;
            name: string;
            kind: components["schemas"]["ReceiverKind"];
            /** @description the URL with what may be a credential redacted: a Slack path, query values, user info */
            url: string;
            has_secret: boolean;
            has_token: boolean;
            header_names: string[];
            /**
             * @description config: kept by ALERTMANAGER_URL or ALERT_WEBHOOK_URL at every start-up
             * @enum {string}
             */
            origin: "api" | "config";
            /** Format: date-time */
            created_at: string;
            /** Format: date-time */
            updated_at: string;
            /** @description present only when ORCA generated the signing secret: shown this once, never again */
            generated_secret?: string;
        };
        /** RecordedViolation */
        RecordedViolation: {
            /**
             * Format: uuid
             * @description UUID
             */
            id: string;
            /**
             * Format: uuid
             * @description UUID
             */
            decision_id: string;
            /** Format: date-time */
            at: string;
            agent_id: string | null;
            rule: string;
            severity: components["schemas"]["Severity"];
            detail: string;
            decision: components["schemas"]["DecisionKind"];
            mode: components["schemas"]["PolicyMode"];
            policy_version: number;
        };
        /** RecordedViolationPage */
        RecordedViolationPage: {
            items: components["schemas"]["RecordedViolation"][];
            /** @description null on the last page */
            next_cursor: string | null;
        };
        /** Remediation */
        Remediation: {
            /**
             * Format: uuid
             * @description UUID
             */
            id: string;
            /**
             * Format: uuid
             * @description UUID
             */
            gap_id: string;
            gap_type: string;
            contract: string | null;
            rule: string;
            entity_id: string | null;
            /** @description the gap’s owner agent */
            agent_id: string | null;
            action: components["schemas"]["RemediationAction"];
            receiver: string | null;
            status: components["schemas"]["RemediationStatus"];
            /** @description the final status once finished; null while in progress */
            outcome: ("healed" | "failed" | "gave_up" | "skipped") | null;
            attempts: number;
            max_attempts: number;
            /** @description how long after an action the gap has to close to count as healed */
            verify_within_seconds: number;
            /** @description pending: when the next attempt is due */
            next_attempt_at: string | null;
            /** @description when the last action’s verification window ends */
            verify_until: string | null;
            last_attempt_at: string | null;
            finished_at: string | null;
            /** @description when the gap closed, for a healed remediation */
            healed_at: string | null;
            reason: string | null;
            last_error: string | null;
            /** @description what the last attempt did: HTTP status, incident id, deliveries retried … */
            result: {
                [key: string]: unknown;
            };
            correlation_id: string | null;
            /** Format: date-time */
            created_at: string;
            /** Format: date-time */
            updated_at: string;
        };
        /**
         * RemediationAction
         * @enum {string}
         */
        RemediationAction: "resync_request" | "retry_delivery" | "notify" | "open_incident" | "quarantine_agent" | "suspend_agent";
        /** RemediationPage */
        RemediationPage: {
            items: components["schemas"]["Remediation"][];
            /** @description null on the last page */
            next_cursor: string | null;
        };
        /**
         * RemediationStatus
         * @description pending, acting, verifying (in progress) or an outcome: healed, failed, gave_up, skipped
         * @enum {string}
         */
        RemediationStatus: "pending" | "acting" | "verifying" | "healed" | "failed" | "gave_up" | "skipped";
        /** ReportFinding */
        ReportFinding: {
            topic: string;
            severity: "info" | "warning" | "critical";
            text: string;
        };
        /**
         * ReportFormat
         * @description json, md (Markdown), csv or html
         * @enum {string}
         */
        ReportFormat: "json" | "md" | "csv" | "html";
        /**
         * ReportKind
         * @description executive (docs/reports.md "Executive summary"), drift ("Drift report"), healing ("Healing report": self-healing actions and outcomes)
         * @enum {string}
         */
        ReportKind: "executive" | "drift" | "healing";
        /** ReportRun */
        ReportRun: {
            /**
             * Format: uuid
             * @description UUID
             */
            id: string;
            /**
             * Format: uuid
             * @description UUID
             */
            schedule_id: string;
            /** Format: date-time */
            scheduled_for: string;
            /**
             * @description queued (waiting for its job); sent (generated and handed to every receiver's durable delivery); failed (error says why); cancelled (the schedule was deleted first)
             * @enum {string}
             */
            status: "queued" | "sent" | "failed" | "cancelled";
            attempts: number;
            error: string | null;
            media_type: string | null;
            report_bytes: number | null;
            /** @description SHA-256 (hex) of the report as rendered, the same as the envelope's report.sha256 */
            report_sha256: string | null;
            correlation_id: string | null;
            /** Format: date-time */
            created_at: string;
            started_at: string | null;
            finished_at: string | null;
            deliveries: components["schemas"]["ReportRunDelivery"][];
        };
        /** ReportRunDelivery */
        ReportRunDelivery: {
            /**
             * Format: uuid
             * @description UUID
             */
            receiver_id: string;
            /** @description the webhook-id; null when nothing was handed to the receiver */
            notification_id: string | null;
            delivery_id: string | null;
            /** @description the delivery status (GET /api/v1/deliveries); null when nothing was handed over */
            status: string | null;
            attempts: number;
            /** @description why the delivery failed, or why the receiver got nothing (it was deleted) */
            last_error: string | null;
            delivered_at: string | null;
        };
        /** ReportRunPage */
        ReportRunPage: {
            items: components["schemas"]["ReportRun"][];
            /** @description null on the last page */
            next_cursor: string | null;
        };
        /** ReportSchedule */
        ReportSchedule: {
            /**
             * Format: uuid
             * @description UUID
             */
            id: string;
            name: string;
            cron: string;
            time_zone: string;
            report_kind: components["schemas"]["ReportKind"];
            format: components["schemas"]["ReportFormat"];
            /** @description the trailing window each report covers */
            window: string;
            receiver_ids: string[];
            /** Format: date-time */
            next_run_at: string;
            /** @description false when this version of ORCA cannot build the report kind: its runs fail until it can */
            report_available: boolean;
            /** @description the API key id (or cli:<user>) that created it */
            created_by: string;
            /** Format: date-time */
            created_at: string;
            /** Format: date-time */
            updated_at: string;
        };
        /** ReportSchedulePage */
        ReportSchedulePage: {
            items: components["schemas"]["ReportSchedule"][];
            /** @description null on the last page */
            next_cursor: string | null;
        };
        /** ResolveGapRequest */
        ResolveGapRequest: {
            /** @description why; kept on the gap and in the audit log */
            reason: string;
        };
        /** ResolveIncidentRequest */
        ResolveIncidentRequest: {
            note?: string;
            loss_usd?: number;
        };
        /**
         * Role
         * @description what the key may do (docs/SECURITY.md)
         * @enum {string}
         */
        Role: "viewer" | "operator" | "admin" | "ingest";
        /** RotateSecretRequest */
        RotateSecretRequest: {
            /** @description signing secret (write-only: stored encrypted, never returned); printable ASCII without spaces */
            secret?: string;
            /** @description how long the previous secret keeps verifying (default 24h, at most 30d; 0s ends it at once) */
            overlap?: string;
        };
        /** Run */
        Run: {
            /**
             * Format: uuid
             * @description UUID
             */
            id?: string;
            /**
             * Format: uuid
             * @description UUID
             */
            agent_id: string;
            /** Format: date-time */
            started_at: string;
            duration_ms: number;
            /** @enum {string} */
            outcome: "success" | "error" | "timeout";
            error_kind?: string | null;
            tokens_in?: number;
            tokens_out?: number;
            cost_usd?: number;
            correlation_id?: string | null;
        };
        /** RunBatch */
        RunBatch: {
            runs: components["schemas"]["Run"][];
        };
        /** RunBatchResult */
        RunBatchResult: {
            accepted: number;
            /** @description runs whose id was already stored (a retried batch); stored once */
            duplicates: number;
            ids: string[];
        };
        /** RuntimeStatus */
        RuntimeStatus: {
            /** @description degraded while Redis is configured and down */
            status: "ok" | "degraded";
            redis: "up" | "down" | "not_configured";
            version: string;
            uptime_seconds: number;
            role: string;
            node_version: string;
            database: {
                kind: string;
                schema_version: number;
            };
            /** @description the circuit breaker of each outbound target this process has called, by kind and target */
            breakers: components["schemas"]["BreakerStatus"][];
            /** @description the durable job queues, by name */
            queues: components["schemas"]["QueueStatus"][];
            /** @description the last backup attempt recorded in BACKUP_DIR (docs/backups.md); null before the first */
            backup: components["schemas"]["BackupState"] | null;
        };
        /**
         * Severity
         * @enum {string}
         */
        Severity: "low" | "medium" | "high" | "critical";
        /** SignInRequest */
        SignInRequest: {
            /** @description a viewer, operator or admin API key; exchanged for the session cookie, never stored */
            api_key: string;
        };
        /** Silence */
        Silence: {
            /**
             * Format: uuid
             * @description UUID
             */
            id: string;
            matchers: string[];
            /** Format: date-time */
            starts_at: string;
            /** Format: date-time */
            ends_at: string;
            comment: string;
            created_by: string;
            /** Format: date-time */
            created_at: string;
            status: components["schemas"]["SilenceStatus"];
        };
        /** SilencePage */
        SilencePage: {
            items: components["schemas"]["Silence"][];
            /** @description null on the last page */
            next_cursor: string | null;
        };
        /** SilenceRequest */
        SilenceRequest: {
            /** @description name="v", name!="v", name=~"re", name!~"re"; all must match */
            matchers: string[];
            /** Format: date-time */
            starts_at?: string;
            /** Format: date-time */
            ends_at: string;
            comment: string;
        };
        /**
         * SilenceStatus
         * @enum {string}
         */
        SilenceStatus: "pending" | "active" | "expired";
        /** SimulateRequest */
        SimulateRequest: {
            policy: components["schemas"]["PolicyDocument"];
            /** Format: date-time */
            since: string;
            /** Format: date-time */
            until: string;
            /**
             * Format: uuid
             * @description UUID
             */
            agent_id?: string;
        };
        /** SimulationReport */
        SimulationReport: {
            /** @description recorded decisions replayed */
            replayed: number;
            unchanged: number;
            /** @description allowed (or redacted / held) before, denied by the draft */
            newly_denied: number;
            /** @description denied, redacted or held before, allowed by the draft */
            newly_allowed: number;
            /** @description decisions that differ in any way */
            changed: number;
            transitions: {
                from: components["schemas"]["DecisionKind"];
                to: components["schemas"]["DecisionKind"];
                count: number;
            }[];
            /** @description violations per rule, as recorded and under the draft */
            by_rule: {
                rule: string;
                recorded: number;
                simulated: number;
            }[];
            by_agent: ({
                agent_id: string | null;
            } & {
                newly_denied: number;
                newly_allowed: number;
                /** @description decisions that differ in any way (including the two above) */
                changed: number;
            })[];
            /** @description what the replay could not reproduce, and how often */
            limitations: string[];
            /** @description true when the range held more decisions than one simulation replays */
            truncated: boolean;
        };
        /** Source */
        Source: {
            /**
             * Format: uuid
             * @description UUID
             */
            id: string;
            kind: components["schemas"]["SourceKind"];
            name: string;
            description: string | null;
            enabled: boolean;
            /** @description signature scheme verified for this kind */
            scheme: string;
            /** @description where this source delivers its webhooks */
            ingest_path: string;
            signing: {
                tolerance_seconds: number;
                options: {
                    [key: string]: unknown;
                };
            };
            mapping: components["schemas"]["FieldMapping"];
            secret: {
                rotated_at: string | null;
                /** @description the previous secret still verifies until then (rotation overlap); null when none does */
                previous_valid_until: string | null;
            };
            /** Format: date-time */
            created_at: string;
            /** Format: date-time */
            updated_at: string;
        };
        /**
         * SourceKind
         * @description the business system, which fixes the signature scheme and the default mapping (docs/ingestion.md)
         * @enum {string}
         */
        SourceKind: "hubspot" | "salesforce" | "dynamics365" | "servicenow" | "sap" | "oracle_erp" | "zapier" | "n8n" | "make" | "generic" | "cloudevents";
        /** SourcePage */
        SourcePage: {
            items: components["schemas"]["Source"][];
            /** @description null on the last page */
            next_cursor: string | null;
        };
        /** SourceWithGeneratedSecret */
        SourceWithGeneratedSecret: {
            /**
             * Format: uuid
             * @description UUID
             */
            id: string;
            kind: components["schemas"]["SourceKind"];
            name: string;
            description: string | null;
            enabled: boolean;
            /** @description signature scheme verified for this kind */
            scheme: string;
            /** @description where this source delivers its webhooks */
            ingest_path: string;
            signing: {
                tolerance_seconds: number;
                options: {
                    [key: string]: unknown;
                };
            };
            mapping: components["schemas"]["FieldMapping"];
            secret: {
                rotated_at: string | null;
                /** @description the previous secret still verifies until then (rotation overlap); null when none does */
                previous_valid_until: string | null;
            };
            /** Format: date-time */
            created_at: string;
            /** Format: date-time */
            updated_at: string;
            /** @description present only when ORCA generated the secret: shown this once, never again */
            generated_secret?: string;
        };
        /** StreamFreshness */
        StreamFreshness: {
            contract: string;
            stream: string;
            /** @description source kind or source id, as the contract names it */
            source: string;
            entity_type: string;
            /**
             * Format: uuid
             * @description UUID
             */
            agent_id: string;
            last_event_at: string | null;
            lag_seconds: number | null;
            slo_seconds: number;
            /** @enum {string} */
            status: "within_slo" | "stale" | "no_data";
            /** @description open gaps of any type on this stream */
            open_gaps: number;
        };
        /**
         * SyncContracts
         * @description sync contracts (docs/sync.md); YAML or JSON
         */
        SyncContracts: {
            contracts: {
                /** @description letters, digits and . _ : - (at most 100) */
                name: string;
                /** @description id of the agent accountable for this data */
                owner: string;
                description?: string;
                /** @description a duration such as 90s, 15m, 4h or 2d */
                resolve_within?: string;
                /** @description how long the analyzer keeps an idle entity's memory (default 30d, at least 1h) */
                forget_after?: string;
                /** @description risk kind and cost per gap type (for Risk Avoided); rules may override */
                costs?: {
                    stale?: {
                        /** @description e.g. order_duplication, ticket_breach */
                        risk_kind: string;
                        cost_usd: number;
                    };
                    missing_record?: {
                        /** @description e.g. order_duplication, ticket_breach */
                        risk_kind: string;
                        cost_usd: number;
                    };
                    out_of_order?: {
                        /** @description e.g. order_duplication, ticket_breach */
                        risk_kind: string;
                        cost_usd: number;
                    };
                    duplicate?: {
                        /** @description e.g. order_duplication, ticket_breach */
                        risk_kind: string;
                        cost_usd: number;
                    };
                    field_drift?: {
                        /** @description e.g. order_duplication, ticket_breach */
                        risk_kind: string;
                        cost_usd: number;
                    };
                };
                /** @description remediation policy per gap type (docs/self-healing.md); rules and streams may override */
                remediation?: {
                    /** @description actions to take when a gap of this rule opens (docs/self-healing.md); [] turns the contract defaults off for the rule */
                    stale?: {
                        /** @description resync_request, retry_delivery, notify, open_incident, quarantine_agent or suspend_agent */
                        action: "resync_request" | "retry_delivery" | "notify" | "open_incident" | "quarantine_agent" | "suspend_agent";
                        /** @description resync_request: the webhook receiver of the owner automation (its URL and signing secret); notify: the receiver to tell; retry_delivery: only deliveries to it */
                        receiver?: string;
                        /** @description act only if the gap is still open this long after it opened (default 0s) */
                        after?: string;
                        /** @description how long after the action the gap must close to count as healed (default: the rule's resolve_within) */
                        verify_within?: string;
                        /** @description attempts before giving up (default 3 for resync_request and retry_delivery, else 1) */
                        max_attempts?: number;
                        /** @description false: recorded as skipped, never run (default true) */
                        enabled?: boolean;
                    }[];
                    /** @description actions to take when a gap of this rule opens (docs/self-healing.md); [] turns the contract defaults off for the rule */
                    missing_record?: {
                        /** @description resync_request, retry_delivery, notify, open_incident, quarantine_agent or suspend_agent */
                        action: "resync_request" | "retry_delivery" | "notify" | "open_incident" | "quarantine_agent" | "suspend_agent";
                        /** @description resync_request: the webhook receiver of the owner automation (its URL and signing secret); notify: the receiver to tell; retry_delivery: only deliveries to it */
                        receiver?: string;
                        /** @description act only if the gap is still open this long after it opened (default 0s) */
                        after?: string;
                        /** @description how long after the action the gap must close to count as healed (default: the rule's resolve_within) */
                        verify_within?: string;
                        /** @description attempts before giving up (default 3 for resync_request and retry_delivery, else 1) */
                        max_attempts?: number;
                        /** @description false: recorded as skipped, never run (default true) */
                        enabled?: boolean;
                    }[];
                    /** @description actions to take when a gap of this rule opens (docs/self-healing.md); [] turns the contract defaults off for the rule */
                    out_of_order?: {
                        /** @description resync_request, retry_delivery, notify, open_incident, quarantine_agent or suspend_agent */
                        action: "resync_request" | "retry_delivery" | "notify" | "open_incident" | "quarantine_agent" | "suspend_agent";
                        /** @description resync_request: the webhook receiver of the owner automation (its URL and signing secret); notify: the receiver to tell; retry_delivery: only deliveries to it */
                        receiver?: string;
                        /** @description act only if the gap is still open this long after it opened (default 0s) */
                        after?: string;
                        /** @description how long after the action the gap must close to count as healed (default: the rule's resolve_within) */
                        verify_within?: string;
                        /** @description attempts before giving up (default 3 for resync_request and retry_delivery, else 1) */
                        max_attempts?: number;
                        /** @description false: recorded as skipped, never run (default true) */
                        enabled?: boolean;
                    }[];
                    /** @description actions to take when a gap of this rule opens (docs/self-healing.md); [] turns the contract defaults off for the rule */
                    duplicate?: {
                        /** @description resync_request, retry_delivery, notify, open_incident, quarantine_agent or suspend_agent */
                        action: "resync_request" | "retry_delivery" | "notify" | "open_incident" | "quarantine_agent" | "suspend_agent";
                        /** @description resync_request: the webhook receiver of the owner automation (its URL and signing secret); notify: the receiver to tell; retry_delivery: only deliveries to it */
                        receiver?: string;
                        /** @description act only if the gap is still open this long after it opened (default 0s) */
                        after?: string;
                        /** @description how long after the action the gap must close to count as healed (default: the rule's resolve_within) */
                        verify_within?: string;
                        /** @description attempts before giving up (default 3 for resync_request and retry_delivery, else 1) */
                        max_attempts?: number;
                        /** @description false: recorded as skipped, never run (default true) */
                        enabled?: boolean;
                    }[];
                    /** @description actions to take when a gap of this rule opens (docs/self-healing.md); [] turns the contract defaults off for the rule */
                    field_drift?: {
                        /** @description resync_request, retry_delivery, notify, open_incident, quarantine_agent or suspend_agent */
                        action: "resync_request" | "retry_delivery" | "notify" | "open_incident" | "quarantine_agent" | "suspend_agent";
                        /** @description resync_request: the webhook receiver of the owner automation (its URL and signing secret); notify: the receiver to tell; retry_delivery: only deliveries to it */
                        receiver?: string;
                        /** @description act only if the gap is still open this long after it opened (default 0s) */
                        after?: string;
                        /** @description how long after the action the gap must close to count as healed (default: the rule's resolve_within) */
                        verify_within?: string;
                        /** @description attempts before giving up (default 3 for resync_request and retry_delivery, else 1) */
                        max_attempts?: number;
                        /** @description false: recorded as skipped, never run (default true) */
                        enabled?: boolean;
                    }[];
                };
                streams: {
                    /** @description letters, digits and . _ : - (at most 100) */
                    name?: string;
                    /** @description a source kind (hubspot, salesforce, …) or a source id */
                    source: string;
                    entity_type: string;
                    /** @description a duration such as 90s, 15m, 4h or 2d */
                    freshness: string;
                    severity?: ("low" | "medium" | "high" | "critical") | {
                        /** @description low, medium, high or critical */
                        stale?: "low" | "medium" | "high" | "critical";
                        /** @description low, medium, high or critical */
                        out_of_order?: "low" | "medium" | "high" | "critical";
                        /** @description low, medium, high or critical */
                        duplicate?: "low" | "medium" | "high" | "critical";
                    };
                    /** @description open out_of_order when an entity’s sequence goes backwards (default true) */
                    check_sequence?: boolean;
                    /** @description event types that happen once per entity: a second one is a duplicate */
                    unique_event_types?: string[];
                    /** @description actions to take when a gap of this rule opens (docs/self-healing.md); [] turns the contract defaults off for the rule */
                    remediation?: {
                        /** @description resync_request, retry_delivery, notify, open_incident, quarantine_agent or suspend_agent */
                        action: "resync_request" | "retry_delivery" | "notify" | "open_incident" | "quarantine_agent" | "suspend_agent";
                        /** @description resync_request: the webhook receiver of the owner automation (its URL and signing secret); notify: the receiver to tell; retry_delivery: only deliveries to it */
                        receiver?: string;
                        /** @description act only if the gap is still open this long after it opened (default 0s) */
                        after?: string;
                        /** @description how long after the action the gap must close to count as healed (default: the rule's resolve_within) */
                        verify_within?: string;
                        /** @description attempts before giving up (default 3 for resync_request and retry_delivery, else 1) */
                        max_attempts?: number;
                        /** @description false: recorded as skipped, never run (default true) */
                        enabled?: boolean;
                    }[];
                }[];
                follow_ups?: {
                    /** @description letters, digits and . _ : - (at most 100) */
                    name: string;
                    when: {
                        /** @description letters, digits and . _ : - (at most 100) */
                        stream: string;
                        event_type: string;
                        /** @description `entity_id`, `correlation_id`, or a JSON path into the payload such as `$.properties.order_id` */
                        key?: string;
                    };
                    then: {
                        /** @description letters, digits and . _ : - (at most 100) */
                        stream: string;
                        event_type: string;
                        /** @description `entity_id`, `correlation_id`, or a JSON path into the payload such as `$.properties.order_id` */
                        key?: string;
                    };
                    /** @description a duration such as 90s, 15m, 4h or 2d */
                    within?: string;
                    /** @description JSON path to a timestamp in the trigger payload */
                    deadline?: string;
                    /** @description a duration such as 90s, 15m, 4h or 2d */
                    warn_before?: string;
                    /** @description low, medium, high or critical */
                    severity?: "low" | "medium" | "high" | "critical";
                    /** @description a duration such as 90s, 15m, 4h or 2d */
                    resolve_within?: string;
                    cost?: {
                        /** @description e.g. order_duplication, ticket_breach */
                        risk_kind: string;
                        cost_usd: number;
                    };
                    /** @description actions to take when a gap of this rule opens (docs/self-healing.md); [] turns the contract defaults off for the rule */
                    remediation?: {
                        /** @description resync_request, retry_delivery, notify, open_incident, quarantine_agent or suspend_agent */
                        action: "resync_request" | "retry_delivery" | "notify" | "open_incident" | "quarantine_agent" | "suspend_agent";
                        /** @description resync_request: the webhook receiver of the owner automation (its URL and signing secret); notify: the receiver to tell; retry_delivery: only deliveries to it */
                        receiver?: string;
                        /** @description act only if the gap is still open this long after it opened (default 0s) */
                        after?: string;
                        /** @description how long after the action the gap must close to count as healed (default: the rule's resolve_within) */
                        verify_within?: string;
                        /** @description attempts before giving up (default 3 for resync_request and retry_delivery, else 1) */
                        max_attempts?: number;
                        /** @description false: recorded as skipped, never run (default true) */
                        enabled?: boolean;
                    }[];
                }[];
                lifecycles?: {
                    /** @description letters, digits and . _ : - (at most 100) */
                    name: string;
                    /** @description letters, digits and . _ : - (at most 100) */
                    stream: string;
                    order: string[];
                    /** @description low, medium, high or critical */
                    severity?: "low" | "medium" | "high" | "critical";
                    /** @description a duration such as 90s, 15m, 4h or 2d */
                    resolve_within?: string;
                    cost?: {
                        /** @description e.g. order_duplication, ticket_breach */
                        risk_kind: string;
                        cost_usd: number;
                    };
                    /** @description actions to take when a gap of this rule opens (docs/self-healing.md); [] turns the contract defaults off for the rule */
                    remediation?: {
                        /** @description resync_request, retry_delivery, notify, open_incident, quarantine_agent or suspend_agent */
                        action: "resync_request" | "retry_delivery" | "notify" | "open_incident" | "quarantine_agent" | "suspend_agent";
                        /** @description resync_request: the webhook receiver of the owner automation (its URL and signing secret); notify: the receiver to tell; retry_delivery: only deliveries to it */
                        receiver?: string;
                        /** @description act only if the gap is still open this long after it opened (default 0s) */
                        after?: string;
                        /** @description how long after the action the gap must close to count as healed (default: the rule's resolve_within) */
                        verify_within?: string;
                        /** @description attempts before giving up (default 3 for resync_request and retry_delivery, else 1) */
                        max_attempts?: number;
                        /** @description false: recorded as skipped, never run (default true) */
                        enabled?: boolean;
                    }[];
                }[];
                agreements?: {
                    /** @description letters, digits and . _ : - (at most 100) */
                    name: string;
                    left: {
                        /** @description letters, digits and . _ : - (at most 100) */
                        stream: string;
                        /** @description JSON path into the event payload, e.g. `$.amount` */
                        field: string;
                        /** @description `entity_id`, `correlation_id`, or a JSON path into the payload such as `$.properties.order_id` */
                        key?: string;
                        event_types?: string[];
                        /** @description only events whose payload has these values (e.g. HubSpot propertyName = amount) */
                        where?: {
                            /** @description JSON path into the event payload, e.g. `$.amount` */
                            path: string;
                            equals: string | number | boolean | null;
                        }[];
                    };
                    right: {
                        /** @description letters, digits and . _ : - (at most 100) */
                        stream: string;
                        /** @description JSON path into the event payload, e.g. `$.amount` */
                        field: string;
                        /** @description `entity_id`, `correlation_id`, or a JSON path into the payload such as `$.properties.order_id` */
                        key?: string;
                        event_types?: string[];
                        /** @description only events whose payload has these values (e.g. HubSpot propertyName = amount) */
                        where?: {
                            /** @description JSON path into the event payload, e.g. `$.amount` */
                            path: string;
                            equals: string | number | boolean | null;
                        }[];
                    };
                    /** @description largest absolute difference still in agreement (numbers) */
                    tolerance?: number;
                    /** @description low, medium, high or critical */
                    severity?: "low" | "medium" | "high" | "critical";
                    /** @description a duration such as 90s, 15m, 4h or 2d */
                    resolve_within?: string;
                    cost?: {
                        /** @description e.g. order_duplication, ticket_breach */
                        risk_kind: string;
                        cost_usd: number;
                    };
                    /** @description actions to take when a gap of this rule opens (docs/self-healing.md); [] turns the contract defaults off for the rule */
                    remediation?: {
                        /** @description resync_request, retry_delivery, notify, open_incident, quarantine_agent or suspend_agent */
                        action: "resync_request" | "retry_delivery" | "notify" | "open_incident" | "quarantine_agent" | "suspend_agent";
                        /** @description resync_request: the webhook receiver of the owner automation (its URL and signing secret); notify: the receiver to tell; retry_delivery: only deliveries to it */
                        receiver?: string;
                        /** @description act only if the gap is still open this long after it opened (default 0s) */
                        after?: string;
                        /** @description how long after the action the gap must close to count as healed (default: the rule's resolve_within) */
                        verify_within?: string;
                        /** @description attempts before giving up (default 3 for resync_request and retry_delivery, else 1) */
                        max_attempts?: number;
                        /** @description false: recorded as skipped, never run (default true) */
                        enabled?: boolean;
                    }[];
                }[];
            }[];
        };
        /** SyncContractsVersion */
        SyncContractsVersion: {
            version: number;
            /**
             * @description how the document was sent
             * @enum {string}
             */
            format: "yaml" | "json";
            /** @description API key id of the writer */
            created_by: string;
            /** Format: date-time */
            created_at: string;
            document: components["schemas"]["SyncContracts"];
        };
        /** Tool */
        Tool: {
            name: string;
            title?: string | null;
            description: string | null;
            /** @description sha256 of the canonical JSON Schema of its input */
            input_schema_hash: string | null;
            /** @description sha256 of the canonical JSON Schema of its output, when it declares one */
            output_schema_hash?: string | null;
            annotations?: {
                [key: string]: unknown;
            } | null;
        };
        /** ToolInput */
        ToolInput: {
            name: string;
            title?: string | null;
            description?: string | null;
            /** @description JSON Schema of the tool input; only its hash is kept */
            input_schema?: {
                [key: string]: unknown;
            };
            /** @description the MCP spelling of input_schema */
            inputSchema?: {
                [key: string]: unknown;
            };
            input_schema_hash?: string;
            /** @description JSON Schema of the tool output (MCP outputSchema); only its hash is kept */
            output_schema?: {
                [key: string]: unknown;
            };
            /** @description the MCP spelling of output_schema */
            outputSchema?: {
                [key: string]: unknown;
            };
            /** @description MCP tool annotations (readOnlyHint, destructiveHint, idempotentHint, openWorldHint, title), kept as given */
            annotations?: {
                [key: string]: unknown;
            };
            /** @description MCP icons: accepted, not kept */
            icons?: {
                [key: string]: unknown;
            }[];
            /** @description MCP execution hints: accepted, not kept */
            execution?: {
                [key: string]: unknown;
            };
            /** @description MCP _meta: accepted, not kept */
            _meta?: {
                [key: string]: unknown;
            };
        };
        /** TransitionRequest */
        TransitionRequest: {
            /** @description why; kept in the agent history */
            reason: string;
        };
        /** UnmergeAgentRequest */
        UnmergeAgentRequest: {
            /**
             * Format: uuid
             * @description an identity of this agent that a merge brought (merged_from is set)
             */
            identity: string;
            /** @description why (kept in the history and the audit log) */
            reason?: string;
        };
        /** UpdateAgentRequest */
        UpdateAgentRequest: {
            name?: string;
            kind?: components["schemas"]["AgentKind"];
            classification?: components["schemas"]["Classification"];
            /** @description free-form JSON object */
            config?: {
                [key: string]: unknown;
            };
            tools?: components["schemas"]["ToolInput"][];
            targets?: string[];
            tags?: string[];
            /** @description free-form JSON object */
            metadata?: {
                [key: string]: unknown;
            };
            external_id?: string | null;
            owner?: string | null;
            vendor?: string | null;
            model?: string | null;
            version?: string | null;
            description?: string | null;
            prompt?: string | null;
            role?: string | null;
        };
        /** UpdateDiscoverySourceRequest */
        UpdateDiscoverySourceRequest: {
            name?: string;
            /** @description the kind's settings (docs/discovery.md): URL, transport, region … */
            config?: {
                [key: string]: unknown;
            };
            /** @description replaces the stored credentials whole; null removes them */
            credentials?: {
                [key: string]: unknown;
            } | null;
            /** @description null: runs on request only */
            schedule?: string | null;
            enabled?: boolean;
        };
        /**
         * UpdateReceiverRequest
         * @description The kind cannot change: create another receiver.
         */
        UpdateReceiverRequest: {
            /** @description unique; how alert routes name the receiver */
            name?: string;
            /** @description http or https; checked against the SSRF guard (OUTBOUND_ALLOW_CIDRS) */
            url?: string;
            /** @description webhook receivers only: the Standard Webhooks signing secret, whsec_ + base64 of 24–64 random bytes (write-only) */
            secret?: string;
            /** @description null removes the token */
            token?: string | null;
            /** @description replaces every extra header; null removes them */
            headers?: {
                [key: string]: string;
            } | null;
        };
        /**
         * UpdateSourceRequest
         * @description The secret changes only through rotate-secret.
         */
        UpdateSourceRequest: {
            name?: string;
            description?: string | null;
            enabled?: boolean;
            signing?: {
                /** @description replay window (default 300) */
                tolerance_seconds?: number;
                /** @description per-kind options, validated against the kind (docs/ingestion.md) */
                options?: {
                    [key: string]: unknown;
                };
            };
            mapping?: components["schemas"]["FieldMapping"];
        };
        /** Violation */
        Violation: {
            rule: string;
            severity: components["schemas"]["Severity"];
            detail: string;
            /** @description prompt_injection from the detector: its score */
            score?: number;
            /** @description prompt_injection from the detector: the signals behind the score, strongest first */
            signals?: string[];
        };
        /** WebhookEventOutcome */
        WebhookEventOutcome: {
            /**
             * Format: uuid
             * @description UUID
             */
            id: string;
            /** @description the idempotency key was already stored: id is the stored event */
            duplicate: boolean;
            /** @description same idempotency key, different payload: the original is kept and a duplicate gap opened */
            conflict: boolean;
        };
        /** WebhookResult */
        WebhookResult: {
            /** @description events newly stored */
            accepted: number;
            /** @description events whose idempotency key was already stored (stored once) */
            duplicates: number;
            /** @description true when nothing new was stored because every event was a repeat */
            duplicate: boolean;
            /** @description true when a repeat carried a different payload */
            conflict: boolean;
            /** @description one entry per event of the delivery, in order */
            events: components["schemas"]["WebhookEventOutcome"][];
        };
    };
    responses: {
        /** @description The client address is blocked (BLOCKED_IPS). */
        AddressBlocked: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/problem+json": components["schemas"]["Problem"];
            };
        };
        /** @description The request is malformed or does not match the schema; `errors[]` points at each field (JSON Pointer). */
        BadRequest: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/problem+json": components["schemas"]["Problem"];
            };
        };
        /** @description The change is not allowed in the current state, or would break a uniqueness rule. */
        Conflict: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/problem+json": components["schemas"]["Problem"];
            };
        };
        /** @description The key's role may not call this operation (docs/SECURITY.md), a write made with a console session lacks that session's X-CSRF-Token, or the client address is blocked (BLOCKED_IPS). */
        Forbidden: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/problem+json": components["schemas"]["Problem"];
            };
        };
        /** @description A bug. The body says nothing internal; quote its correlation_id when reporting it. */
        InternalServerError: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/problem+json": components["schemas"]["Problem"];
            };
        };
        /** @description The resource named in the path does not exist. */
        NotFound: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/problem+json": components["schemas"]["Problem"];
            };
        };
        /** @description The body is larger than this operation accepts (BODY_LIMIT, 1 MiB by default; 10 MiB for event and run batches). */
        PayloadTooLarge: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/problem+json": components["schemas"]["Problem"];
            };
        };
        /** @description The database is unavailable, the server is shutting down, or (for a body of 256 KiB or more) it is short of memory (`insufficient_memory`); retry after Retry-After. */
        ServiceUnavailable: {
            headers: {
                /** @description seconds to wait before retrying */
                "Retry-After"?: number;
                [name: string]: unknown;
            };
            content: {
                "application/problem+json": components["schemas"]["Problem"];
            };
        };
        /** @description The rate limit of the API key (or, without a key, of the client address) is spent for this window. */
        TooManyRequests: {
            headers: {
                /** @description seconds to wait before retrying */
                "Retry-After"?: number;
                /** @description remaining quota and reset time (IETF RateLimit header fields) */
                RateLimit?: string;
                /** @description the quota policy that applies */
                "RateLimit-Policy"?: string;
                [name: string]: unknown;
            };
            content: {
                "application/problem+json": components["schemas"]["Problem"];
            };
        };
        /** @description No valid API key (missing, invalid, expired or revoked); on a webhook, a signature that does not verify. */
        Unauthorized: {
            headers: {
                /** @description `Bearer realm="orca"` when the API key is the problem */
                "WWW-Authenticate"?: string;
                [name: string]: unknown;
            };
            content: {
                "application/problem+json": components["schemas"]["Problem"];
            };
        };
        /** @description The request is well-formed but refers to something that does not exist or cannot be stored; `errors[]` says where. */
        UnprocessableContent: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/problem+json": components["schemas"]["Problem"];
            };
        };
        /** @description The body is in a media type this operation does not accept. */
        UnsupportedMediaType: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/problem+json": components["schemas"]["Problem"];
            };
        };
    };
    parameters: never;
    requestBodies: never;
    headers: never;
    pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
    getLivez: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Liveness"];
                };
            };
            403: components["responses"]["AddressBlocked"];
            500: components["responses"]["InternalServerError"];
        };
    };
    getLiveness: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Liveness"];
                };
            };
            403: components["responses"]["AddressBlocked"];
            500: components["responses"]["InternalServerError"];
        };
    };
    getReadyz: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Readiness"];
                };
            };
            403: components["responses"]["AddressBlocked"];
            500: components["responses"]["InternalServerError"];
            /** @description Not ready: a problem document with the checks */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["NotReady"];
                };
            };
        };
    };
    getReadiness: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Readiness"];
                };
            };
            403: components["responses"]["AddressBlocked"];
            500: components["responses"]["InternalServerError"];
            /** @description Not ready: a problem document with the checks */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["NotReady"];
                };
            };
        };
    };
    getHealth: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Health"];
                };
            };
            403: components["responses"]["AddressBlocked"];
            500: components["responses"]["InternalServerError"];
            /** @description Response */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Health"];
                };
            };
        };
    };
    getStatus: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RuntimeStatus"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalServerError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    getMetrics: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/plain": string;
                };
            };
            403: components["responses"]["AddressBlocked"];
            500: components["responses"]["InternalServerError"];
        };
    };
    listAgents: {
        parameters: {
            query?: {
                /** @description lifecycle state (docs/agents.md) */
                status?: "active" | "suspended" | "quarantined" | "retired" | "needs_review" | "missing" | "merged";
                kind?: "mcp_server" | "llm_agent" | "workflow" | "pipeline" | "function";
                /** @description where the agent was registered from */
                source?: "manual" | "mcp" | "n8n" | "zapier" | "make" | "airflow" | "lambda";
                owner?: string;
                tag?: string;
                /** @description case-insensitive substring of the name */
                q?: string;
                /** @description page size */
                limit?: number;
                /** @description next_cursor of the previous page */
                cursor?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AgentPage"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalServerError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    createAgent: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CreateAgentRequest"];
            };
        };
        responses: {
            /** @description Created */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Agent"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            409: components["responses"]["Conflict"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalServerError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    getAgent: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description UUID */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Agent"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalServerError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    deleteAgent: {
        parameters: {
            query?: {
                reason?: string;
            };
            header?: never;
            path: {
                /** @description UUID */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Agent"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalServerError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    updateAgent: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description UUID */
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["UpdateAgentRequest"];
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Agent"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalServerError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    suspendAgent: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description UUID */
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["TransitionRequest"];
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Agent"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalServerError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    resumeAgent: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description UUID */
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["TransitionRequest"];
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Agent"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalServerError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    quarantineAgent: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description UUID */
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["TransitionRequest"];
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Agent"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalServerError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    approveAgent: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description UUID */
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["TransitionRequest"];
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Agent"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalServerError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    retireAgent: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description UUID */
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["TransitionRequest"];
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Agent"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalServerError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    listAgentHistory: {
        parameters: {
            query?: {
                /** @description page size */
                limit?: number;
                /** @description next_cursor of the previous page */
                cursor?: string;
            };
            header?: never;
            path: {
                /** @description UUID */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AgentEventPage"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalServerError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    listKeys: {
        parameters: {
            query?: {
                /** @description page size */
                limit?: number;
                /** @description next_cursor of the previous page */
                cursor?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiKeyPage"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalServerError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    createKey: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CreateApiKeyRequest"];
            };
        };
        responses: {
            /** @description Created */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CreatedApiKey"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalServerError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    getKey: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description UUID */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiKey"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalServerError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    revokeKey: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description UUID */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiKey"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalServerError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    listAuditEntries: {
        parameters: {
            query?: {
                actor?: string;
                action?: string;
                target?: string;
                /** @description page size */
                limit?: number;
                /** @description next_cursor of the previous page */
                cursor?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AuditEntryPage"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalServerError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    verifyAuditChain: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AuditChainReport"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalServerError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    getActivePolicy: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Policy"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalServerError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    replacePolicy: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** @description A policy document (docs/policies.md): classifications, roles, PII detectors, prompt-injection patterns, approvals, quotas */
        requestBody: {
            content: {
                "application/json": components["schemas"]["PolicyDocument"];
                "application/yaml": components["schemas"]["PolicyDocument"];
                "application/x-yaml": components["schemas"]["PolicyDocument"];
                "text/yaml": components["schemas"]["PolicyDocument"];
                "text/x-yaml": components["schemas"]["PolicyDocument"];
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Policy"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalServerError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    listPolicyVersions: {
        parameters: {
            query?: {
                /** @description page size */
                limit?: number;
                /** @description next_cursor of the previous page */
                cursor?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PolicyVersionPage"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalServerError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    evaluatePolicy: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["EvaluateRequest"];
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Decision"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalServerError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    simulatePolicy: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["SimulateRequest"];
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SimulationReport"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalServerError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    listViolations: {
        parameters: {
            query?: {
                /** @description page size */
                limit?: number;
                /** @description next_cursor of the previous page */
                cursor?: string;
                /** @description UUID */
                agent_id?: string;
                rule?: string;
                severity?: "low" | "medium" | "high" | "critical";
                decision?: "allow" | "deny" | "redact" | "require_approval";
                since?: string;
                until?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RecordedViolationPage"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalServerError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    getSyncContracts: {
        parameters: {
            query?: {
                /** @description a past version (default: the active one) */
                version?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SyncContractsVersion"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalServerError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    replaceSyncContracts: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** @description sync contracts (docs/sync.md); YAML or JSON */
        requestBody: {
            content: {
                "application/json": components["schemas"]["SyncContracts"];
                "application/yaml": components["schemas"]["SyncContracts"];
                "application/x-yaml": components["schemas"]["SyncContracts"];
                "text/yaml": components["schemas"]["SyncContracts"];
                "text/x-yaml": components["schemas"]["SyncContracts"];
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SyncContractsVersion"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            422: components["responses"]["UnprocessableContent"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalServerError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    listGaps: {
        parameters: {
            query?: {
                type?: "stale" | "missing_record" | "out_of_order" | "duplicate" | "field_drift";
                severity?: "low" | "medium" | "high" | "critical";
                status?: "open" | "resolved";
                contract?: string;
                /** @description UUID */
                agent_id?: string;
                /** @description entity id (or the correlation key of an agreement) */
                entity?: string;
                stream?: string;
                rule?: string;
                /** @description page size */
                limit?: number;
                /** @description next_cursor of the previous page */
                cursor?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GapPage"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalServerError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    getGap: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description UUID */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Gap"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalServerError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    resolveGap: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description UUID */
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ResolveGapRequest"];
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Gap"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalServerError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    getSyncFreshness: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["FreshnessReport"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalServerError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    listSources: {
        parameters: {
            query?: {
                /** @description the business system, which fixes the signature scheme and the default mapping (docs/ingestion.md) */
                kind?: "hubspot" | "salesforce" | "dynamics365" | "servicenow" | "sap" | "oracle_erp" | "zapier" | "n8n" | "make" | "generic" | "cloudevents";
                enabled?: boolean;
                /** @description page size */
                limit?: number;
                /** @description next_cursor of the previous page */
                cursor?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SourcePage"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalServerError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    createSource: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CreateSourceRequest"];
            };
        };
        responses: {
            /** @description Created */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SourceWithGeneratedSecret"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            409: components["responses"]["Conflict"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalServerError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    getSource: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description UUID */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Source"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalServerError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    deleteSource: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description UUID */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description deleted */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalServerError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    updateSource: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description UUID */
                id: string;
            };
            cookie?: never;
        };
        /** @description The secret changes only through rotate-secret. */
        requestBody: {
            content: {
                "application/json": components["schemas"]["UpdateSourceRequest"];
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Source"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalServerError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    rotateSourceSecret: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description UUID */
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["RotateSecretRequest"];
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SourceWithGeneratedSecret"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalServerError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    ingestWebhook: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description UUID */
                sourceId: string;
            };
            cookie?: never;
        };
        /** @description the sender's own delivery (JSON, CloudEvents, SOAP XML…), exactly as signed: docs/ingestion-formats.md */
        requestBody: {
            content: {
                "*/*": unknown;
            };
        };
        responses: {
            /** @description Every event of the delivery was stored before (stored once); or the SOAP Ack of a Salesforce source */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["WebhookResult"];
                    "text/xml": string;
                };
            };
            /** @description Created */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["WebhookResult"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["AddressBlocked"];
            404: components["responses"]["NotFound"];
            413: components["responses"]["PayloadTooLarge"];
            422: components["responses"]["UnprocessableContent"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalServerError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    listEvents: {
        parameters: {
            query?: {
                /** @description UUID */
                source_id?: string;
                event_type?: string;
                entity_type?: string;
                entity_id?: string;
                /** @description UUID */
                agent_id?: string;
                /** @description inclusive lower bound on the time field */
                since?: string;
                /** @description exclusive upper bound on the time field */
                until?: string;
                /** @description which timestamp since/until bound */
                time_field?: "occurred_at" | "received_at";
                /** @description page size */
                limit?: number;
                /** @description next_cursor of the previous page */
                cursor?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["EventPage"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalServerError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    ingestEvents: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["EventBatch"];
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["EventBatchResult"];
                };
            };
            /** @description Created */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["EventBatchResult"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            422: components["responses"]["UnprocessableContent"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalServerError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    ingestRuns: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["RunBatch"];
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RunBatchResult"];
                };
            };
            /** @description Created */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RunBatchResult"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            422: components["responses"]["UnprocessableContent"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalServerError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    listIncidents: {
        parameters: {
            query?: {
                status?: "open" | "mitigated" | "resolved";
                severity?: "low" | "medium" | "high" | "critical";
                /** @description UUID */
                agent_id?: string;
                /** @description UUID */
                gap_id?: string;
                /** @description page size */
                limit?: number;
                /** @description next_cursor of the previous page */
                cursor?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["IncidentPage"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalServerError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    createIncident: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CreateIncidentRequest"];
            };
        };
        responses: {
            /** @description Created */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Incident"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            422: components["responses"]["UnprocessableContent"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalServerError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    getIncident: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description UUID */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Incident"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalServerError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    resolveIncident: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description UUID */
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ResolveIncidentRequest"];
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Incident"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalServerError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    getAgentTrust: {
        parameters: {
            query?: {
                /** @description trailing window W, 1h to 365d (e.g. 24h, 7d, 30d) */
                window?: string;
            };
            header?: never;
            path: {
                /** @description UUID */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AgentTrust"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalServerError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    getKpis: {
        parameters: {
            query?: {
                /** @description trailing window W, 1h to 365d (e.g. 24h, 7d, 30d) */
                window?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["KpiReport"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalServerError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    listKpiSnapshots: {
        parameters: {
            query?: {
                /** @description page size */
                limit?: number;
                /** @description next_cursor of the previous page */
                cursor?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["KpiSnapshotPage"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalServerError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    getExecutiveReport: {
        parameters: {
            query?: {
                /** @description overrides the Accept header */
                format?: "json" | "md" | "csv" | "html";
                /** @description trailing window W, 1h to 365d */
                window?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ExecutiveReport"];
                    "text/markdown": string;
                    "text/csv": string;
                    "text/html": string;
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalServerError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    getDriftReport: {
        parameters: {
            query?: {
                /** @description overrides the Accept header */
                format?: "json" | "md" | "csv" | "html";
                /** @description trailing window W, 1h to 365d */
                window?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DriftReport"];
                    "text/markdown": string;
                    "text/csv": string;
                    "text/html": string;
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalServerError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    getHealingReport: {
        parameters: {
            query?: {
                /** @description overrides the Accept header */
                format?: "json" | "md" | "csv" | "html";
                /** @description trailing window W, 1h to 365d */
                window?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["HealingReport"];
                    "text/markdown": string;
                    "text/csv": string;
                    "text/html": string;
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalServerError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    listReportSchedules: {
        parameters: {
            query?: {
                /** @description page size */
                limit?: number;
                /** @description next_cursor of the previous page */
                cursor?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ReportSchedulePage"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalServerError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    createReportSchedule: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CreateReportScheduleRequest"];
            };
        };
        responses: {
            /** @description Created */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ReportSchedule"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            422: components["responses"]["UnprocessableContent"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalServerError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    getReportSchedule: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description UUID */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ReportSchedule"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalServerError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    deleteReportSchedule: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description UUID */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description deleted */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalServerError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    listReportRuns: {
        parameters: {
            query?: {
                /** @description page size */
                limit?: number;
                /** @description next_cursor of the previous page */
                cursor?: string;
            };
            header?: never;
            path: {
                /** @description UUID */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ReportRunPage"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalServerError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    exportEvidencePack: {
        parameters: {
            query: {
                /** @description start of the period, inclusive (RFC 3339, e.g. 2026-01-01T00:00:00Z) */
                from: string;
                /** @description end of the period, exclusive; not in the future */
                to: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description the archive (Content-Disposition names it orca-evidence-<from>-<to>.tar.gz) */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/gzip": string;
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalServerError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    listReceivers: {
        parameters: {
            query?: {
                /** @description what the receiver speaks: Alertmanager API v2, a Slack incoming webhook, or JSON signed with Standard Webhooks (docs/receivers.md) */
                kind?: "alertmanager" | "slack" | "webhook";
                /** @description page size */
                limit?: number;
                /** @description next_cursor of the previous page */
                cursor?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ReceiverPage"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalServerError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    createReceiver: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CreateReceiverRequest"];
            };
        };
        responses: {
            /** @description Created */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ReceiverWithGeneratedSecret"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            409: components["responses"]["Conflict"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalServerError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    getReceiver: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description UUID */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Receiver"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalServerError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    deleteReceiver: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description UUID */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description deleted */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalServerError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    updateReceiver: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description UUID */
                id: string;
            };
            cookie?: never;
        };
        /** @description The kind cannot change: create another receiver. */
        requestBody: {
            content: {
                "application/json": components["schemas"]["UpdateReceiverRequest"];
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Receiver"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalServerError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    testReceiver: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description UUID */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ReceiverTestResult"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalServerError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    listDeliveries: {
        parameters: {
            query?: {
                /** @description pending (waiting for its next attempt); failed (the last attempt failed, a retry is scheduled); delivered; dead_lettered (given up) */
                status?: "pending" | "delivered" | "failed" | "dead_lettered";
                /** @description UUID */
                receiver_id?: string;
                /** @description page size */
                limit?: number;
                /** @description next_cursor of the previous page */
                cursor?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DeliveryPage"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalServerError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    retryDelivery: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description UUID */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Delivery"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalServerError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    getAlertRules: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AlertRules"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalServerError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    replaceAlertRules: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** @description An alert-rules document (docs/alerts.md): rules over ORCA's data and the routing tree to receivers */
        requestBody: {
            content: {
                "application/json": components["schemas"]["AlertRulesDocument"];
                "application/yaml": components["schemas"]["AlertRulesDocument"];
                "application/x-yaml": components["schemas"]["AlertRulesDocument"];
                "text/yaml": components["schemas"]["AlertRulesDocument"];
                "text/x-yaml": components["schemas"]["AlertRulesDocument"];
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AlertRules"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalServerError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    listAlerts: {
        parameters: {
            query?: {
                /** @description page size */
                limit?: number;
                /** @description next_cursor of the previous page */
                cursor?: string;
                /** @description pending (condition holds, `for` not yet over), firing, resolved */
                status?: "pending" | "firing" | "resolved";
                /** @description one alert (the link in a notification's generatorURL) */
                fingerprint?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AlertPage"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalServerError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    listSilences: {
        parameters: {
            query?: {
                /** @description page size */
                limit?: number;
                /** @description UUID */
                cursor?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SilencePage"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalServerError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    createSilence: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["SilenceRequest"];
            };
        };
        responses: {
            /** @description Created */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Silence"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalServerError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    expireSilence: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description UUID */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Silence"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalServerError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    previewKillSwitch: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["KillSwitchPreviewRequest"];
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["KillSwitchPreview"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalServerError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    listKillSwitches: {
        parameters: {
            query?: {
                status?: "active" | "released";
                /** @description page size */
                limit?: number;
                /** @description next_cursor of the previous page */
                cursor?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["KillSwitchActivationPage"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalServerError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    activateKillSwitch: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["KillSwitchRequest"];
            };
        };
        responses: {
            /** @description Created */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["KillSwitchActivationDetail"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            409: components["responses"]["Conflict"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            422: components["responses"]["UnprocessableContent"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalServerError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    getKillSwitch: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description UUID */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["KillSwitchActivationDetail"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalServerError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    releaseKillSwitch: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description UUID */
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["KillSwitchReleaseRequest"];
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["KillSwitchActivationDetail"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalServerError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    listRemediations: {
        parameters: {
            query?: {
                /** @description pending, acting, verifying (in progress) or an outcome: healed, failed, gave_up, skipped */
                status?: "pending" | "acting" | "verifying" | "healed" | "failed" | "gave_up" | "skipped";
                /** @description UUID */
                gap_id?: string;
                /** @description UUID */
                agent_id?: string;
                action?: "resync_request" | "retry_delivery" | "notify" | "open_incident" | "quarantine_agent" | "suspend_agent";
                /** @description page size */
                limit?: number;
                /** @description next_cursor of the previous page */
                cursor?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RemediationPage"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalServerError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    getRemediation: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description UUID */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Remediation"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalServerError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    getSession: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A console session; its token is only in the HttpOnly cookie (docs/console.md) */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ConsoleSession"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalServerError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    signIn: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["SignInRequest"];
            };
        };
        responses: {
            /** @description A console session; its token is only in the HttpOnly cookie (docs/console.md) */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ConsoleSession"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalServerError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    signOut: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description signed out */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalServerError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    listDiscoverySources: {
        parameters: {
            query?: {
                /** @description the system discovered from (docs/discovery.md) */
                kind?: "mcp" | "n8n" | "make" | "airflow" | "lambda";
                enabled?: boolean;
                /** @description page size */
                limit?: number;
                /** @description next_cursor of the previous page */
                cursor?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DiscoverySourcePage"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalServerError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    createDiscoverySource: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CreateDiscoverySourceRequest"];
            };
        };
        responses: {
            /** @description Created */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DiscoverySource"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            409: components["responses"]["Conflict"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalServerError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    getDiscoverySource: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description UUID */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DiscoverySource"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalServerError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    deleteDiscoverySource: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description UUID */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description deleted */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalServerError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    updateDiscoverySource: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description UUID */
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["UpdateDiscoverySourceRequest"];
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DiscoverySource"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalServerError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    listDiscoveryRuns: {
        parameters: {
            query?: {
                /** @description UUID */
                source_id?: string;
                status?: "queued" | "running" | "succeeded" | "partial" | "failed";
                /** @description page size */
                limit?: number;
                /** @description next_cursor of the previous page */
                cursor?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DiscoveryRunPage"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalServerError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    createDiscoveryRun: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CreateDiscoveryRunRequest"];
            };
        };
        responses: {
            /** @description Response */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DiscoveryRun"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            409: components["responses"]["Conflict"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            422: components["responses"]["UnprocessableContent"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalServerError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    getDiscoveryRun: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description UUID */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DiscoveryRun"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalServerError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    listDiscoveryFindings: {
        parameters: {
            query?: {
                /** @description UUID */
                agent_id?: string;
                /** @description UUID */
                source_id?: string;
                kind?: "tool_poisoning" | "rug_pull";
                /** @description page size */
                limit?: number;
                /** @description next_cursor of the previous page */
                cursor?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DiscoveryFindingPage"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalServerError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    mergeAgent: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description UUID */
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["MergeAgentRequest"];
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Agent"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalServerError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    unmergeAgent: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description UUID */
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["UnmergeAgentRequest"];
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Agent"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalServerError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    listApprovals: {
        parameters: {
            query?: {
                /** @description pending (waiting for its approvers); approved; denied; expired (no decision before expires_at: counts as denied) */
                status?: "pending" | "approved" | "denied" | "expired";
                /** @description UUID */
                agent_id?: string;
                /** @description page size */
                limit?: number;
                /** @description next_cursor of the previous page */
                cursor?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApprovalPage"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalServerError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    getApproval: {
        parameters: {
            query?: {
                /** @description long-poll: answer once the approval is decided or expires, or after this long (e.g. 30s; at most APPROVALS_MAX_WAIT) */
                wait?: string;
            };
            header?: never;
            path: {
                /** @description UUID */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Approval"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalServerError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    approveApproval: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description UUID */
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ApprovalDecisionRequest"];
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Approval"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalServerError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    denyApproval: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description UUID */
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ApprovalDecisionRequest"];
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Approval"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalServerError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    receiveSlackInteraction: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** @description payload=<the interaction JSON>, form-encoded, exactly as Slack signed it */
        requestBody: {
            content: {
                "*/*": unknown;
            };
        };
        responses: {
            /** @description received; the outcome is posted to the message (Slack shows an error for anything but a 200) */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["AddressBlocked"];
            413: components["responses"]["PayloadTooLarge"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalServerError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
}
