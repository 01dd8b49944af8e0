import type { Actor } from '../auth/actor';
import { listUnmetDemand } from '../data/unmet-demand';
import type { UnmetDemandReport } from '../domain/matching/unmet-demand';
import { monthsBetween, summariseUnmetDemand } from '../domain/matching/unmet-demand';
import { Forbidden, ValidationFailed } from '../errors';

/** Longest range one report reads: two years of monthly partitions. */
export const MAX_REPORT_MONTHS = 24;

/**
 * `GET /reports/unmet-demand`: counts of matches that found nowhere to go, by need, state and
 * month. Coordinators see their jurisdiction (or the part of it they ask for); admins all states.
 * Default range: the last twelve months including this one.
 */
export async function unmetDemandReport(actor: Actor, query: { from?: string; to?: string; state?: string[] }, now: Date): Promise<UnmetDemandReport> {
  const to = query.to ?? now.toISOString().slice(0, 7);
  const from = query.from ?? shiftMonth(to, -11);
  if (from > to) throw new ValidationFailed('`from` must not be after `to`.', [{ path: 'from', message: 'after to' }]);
  const months = monthsBetween(from, to);
  if (months.length > MAX_REPORT_MONTHS) {
    throw new ValidationFailed(`A report covers at most ${MAX_REPORT_MONTHS} months.`, [{ path: 'from', message: `at most ${MAX_REPORT_MONTHS} months before to` }]);
  }
  let states: string[] | 'all';
  if (actor.role === 'coordinator') {
    const outside = (query.state ?? []).filter((s) => !actor.jurisdiction.includes(s));
    if (outside.length) throw new Forbidden(`You oversee ${actor.jurisdiction.join(', ')}; not ${outside.join(', ')}.`);
    states = [...new Set(query.state?.length ? query.state : actor.jurisdiction)].sort();
  } else {
    states = query.state?.length ? [...new Set(query.state)].sort() : 'all';
  }
  const entries = await listUnmetDemand(months, states);
  return summariseUnmetDemand(entries, { from, to, states });
}

function shiftMonth(month: string, by: number): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  const index = y * 12 + (m - 1) + by;
  return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}`;
}
