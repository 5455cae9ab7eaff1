/**
 * What the policy engine needs from approvals (docs/approvals.md), declared here by the side that calls it and
 * implemented by the approvals module (wired in container.ts): a `require_approval` decision opens an approval, and a
 * call that presents `approval_id` is judged against the approval it names.
 */
import { createHash } from 'node:crypto';
import type { PresentedApproval } from './evaluate.js';

/** What an approval is bound to: a later call proceeds only when all of it is the same. */
export interface ApprovalBinding {
  agentId: string;
  action: string;
  resource: string;
  classification: string;
  /** SHA-256 (hex) of the content; null without content. The content itself is never stored. */
  contentDigest: string | null;
}

export interface ApprovalRequest extends ApprovalBinding {
  /** The rule that asked (the first whose effect was require_approval). */
  rule: string;
  violations: Array<{ rule: string; severity: string; detail: string }>;
  decisionId: string | null;
  policyVersion: number;
  /** Risk cost RA$ counts if the approval is denied or expires. */
  riskCostUsd: number;
  expiresAfterMs: number;
  approvers: number;
  /** The API key that asked (never allowed to decide its own request). */
  requestedBy: string;
  correlationId: string | null;
  callback?: { url: string; secret?: string };
}

/** The API key and request that use an approval. */
export interface ApprovalUser {
  keyId: string | null;
  correlationId: string | null;
}

export interface ConsumedApproval {
  release(): Promise<void>;
}

export interface OpenedApproval {
  id: string;
  status: 'pending';
  expires_at: string;
  /** Only when ORCA generated the callback's signing secret: shown this once. */
  callback_secret?: string;
}

export interface ApprovalGate {
  /** Throws a 400 (`/body/callback_url`) when the SSRF guard refuses the URL. */
  checkCallbackUrl(url: string): Promise<void>;
  /** Judges a presented approval against the call, without changing it. */
  present(id: string, binding: ApprovalBinding): Promise<PresentedApproval>;
  /**
   * Uses the approval for this call: one atomic update that only an approved, unused, unexpired approval with this
   * binding passes, so exactly one call proceeds across every replica. Null when another call was first; otherwise
   * a handle that gives the approval back if the call is refused after all (a quota).
   */
  consume(id: string, binding: ApprovalBinding, by: ApprovalUser): Promise<ConsumedApproval | null>;
  /** Opens the approval a require_approval decision asks for; undefined when approvals are turned off. */
  open(request: ApprovalRequest): Promise<OpenedApproval | undefined>;
}

/** The digest an approval binds the content by (hex SHA-256 of its UTF-8 bytes); null when there is none. */
export function contentDigest(content: string | undefined): string | null {
  if (content === undefined || content === '') return null;
  return createHash('sha256').update(content, 'utf8').digest('hex');
}
