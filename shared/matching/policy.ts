import type { Actor } from '../auth/actor';
import { changedFields, newAuditEntry } from '../data/audit';
import { readStoredPolicy, writePolicy } from '../data/policies';
import { TransactionConditionFailed } from '../data/transact';
import type { Policy, PolicyBody } from '../domain/policy';
import { DEFAULT_POLICY } from '../domain/policy';
import { VersionMismatch } from '../errors';

/**
 * The policy in force: the stored one, or the code's DEFAULT_POLICY (version 1) until an admin
 * first changes it. Read once per match — one GetItem — so a change applies to the next match.
 */
export async function currentPolicy(options: { consistent?: boolean } = {}): Promise<Policy> {
  return (await readStoredPolicy(options)) ?? DEFAULT_POLICY;
}

/**
 * `PUT /policy`: replaces the whole policy if `ifMatch` is the current version; the new version,
 * the version history item and the audit record (each changed section before and after) are one
 * transaction.
 */
export async function replacePolicy(body: PolicyBody, ifMatch: number, meta: { actor: Actor; requestId: string; now: Date }): Promise<Policy> {
  const stored = await readStoredPolicy({ consistent: true });
  const current = stored ?? DEFAULT_POLICY;
  if (ifMatch !== current.version) throw new VersionMismatch(ifMatch, current.version);
  const at = meta.now.toISOString();
  const next: Policy = { ...body, version: current.version + 1, updatedAt: at, updatedBy: meta.actor.sub };
  const audit = newAuditEntry({
    actor: meta.actor,
    action: 'policy.update',
    targetType: 'policy',
    targetId: 'policy',
    changes: {
      ...changedFields({ weights: current.weights, matching: current.matching, referrals: current.referrals }, body),
      version: { before: current.version, after: next.version },
    },
    requestId: meta.requestId,
    at,
  });
  try {
    await writePolicy(next, current.version, stored === undefined, audit);
  } catch (error) {
    if (!(error instanceof TransactionConditionFailed)) throw error;
    // Another admin's change landed between our read and our write.
    const latest = (await readStoredPolicy({ consistent: true })) ?? DEFAULT_POLICY;
    throw new VersionMismatch(ifMatch, latest.version);
  }
  return next;
}
