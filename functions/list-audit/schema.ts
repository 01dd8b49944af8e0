import { z } from 'zod';
import { PageQuery, text } from '../../shared/schemas/common';

const DAY_MS = 86_400_000;
/** Without `from`, the trail reads back this far: a bounded number of day partitions. */
export const DEFAULT_AUDIT_WINDOW_DAYS = 30;
export const MAX_AUDIT_WINDOW_DAYS = 366;

export const ListAuditQuery = z
  .strictObject({
    targetId: text(100).optional(),
    actor: text(200).optional(),
    from: z.iso.datetime().or(z.iso.date()).optional(),
    to: z.iso.datetime().or(z.iso.date()).optional(),
    ...PageQuery,
  })
  .transform((q, ctx) => {
    const to = q.to ? new Date(q.to.length === 10 ? `${q.to}T23:59:59.999Z` : q.to) : new Date();
    const from = q.from ? new Date(q.from.length === 10 ? `${q.from}T00:00:00.000Z` : q.from) : new Date(to.getTime() - DEFAULT_AUDIT_WINDOW_DAYS * DAY_MS);
    if (from > to) ctx.addIssue({ code: 'custom', path: ['from'], message: 'must not be after to' });
    if (to.getTime() - from.getTime() > MAX_AUDIT_WINDOW_DAYS * DAY_MS) {
      ctx.addIssue({ code: 'custom', path: ['from'], message: `the window may span at most ${MAX_AUDIT_WINDOW_DAYS} days` });
    }
    return { ...q, from: from.toISOString(), to: to.toISOString() };
  });
