import { routeHandler } from '../../shared/http/route-handler';
import { etag, ok } from '../../shared/http/responses';
import { currentPolicy } from '../../shared/matching/policy';

/** GET /policy: the matching and referral policy in force, with its version as the ETag. */
export const handler = routeHandler('get-policy', {}, async () => {
  const policy = await currentPolicy({ consistent: true });
  return ok(policy, etag(policy.version));
});
