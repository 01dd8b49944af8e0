import { routeHandler } from '../../shared/http/route-handler';
import { ok } from '../../shared/http/responses';

/** Liveness only: it touches no data, so a load balancer or uptime check can call it freely. */
export const handler = routeHandler('health', {}, async () => ok({ status: 'ok' }));
