import { listAudit } from '../../shared/data/audit';
import { routeHandler } from '../../shared/http/route-handler';
import { ok } from '../../shared/http/responses';
import { ListAuditQuery } from './schema';

/** Admins only (route gate): the whole trail, filtered by target, actor and time. */
export const handler = routeHandler('list-audit', { query: ListAuditQuery }, async (req) => ok(await listAudit(req.query)));
