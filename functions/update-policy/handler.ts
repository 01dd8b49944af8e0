import { PolicyBody } from '../../shared/domain/policy';
import { readIfMatch } from '../../shared/http/if-match';
import { routeHandler } from '../../shared/http/route-handler';
import { etag, ok } from '../../shared/http/responses';
import { replacePolicy } from '../../shared/matching/policy';

/** PUT /policy: replaces the policy (admin); If-Match must name the current version. */
export const handler = routeHandler('update-policy', { body: PolicyBody }, async (req) => {
  const ifMatch = readIfMatch(req.headers, { required: true })!;
  const policy = await replacePolicy(req.body, ifMatch, { actor: req.actor, requestId: req.requestId, now: new Date() });
  return ok(policy, etag(policy.version));
});
