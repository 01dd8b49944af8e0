import type { Gender, RunRisk, YouthNeed } from '../../schemas/vocabulary';
import type { HardRuleCode } from './hard-rules';
import type { RankOutcome } from './rank-placements';
import type { ResolvedYouth } from './youth';

/**
 * Unmet demand: when a match finds no placement with an open bed that passes every hard rule,
 * Harbor keeps a de-identified note of who could not be placed — age band, gender, needs, state,
 * date, and why the nearest programs were ruled out — so coordinators can show where beds are
 * missing. No case reference, location, keep-away area, age or behaviour is kept.
 */
export interface UnmetDemandEntry {
  id: string;
  /** UTC date of the match, `YYYY-MM-DD`. */
  date: string;
  /** `YYYY-MM`: reports count by month. */
  month: string;
  /** The youth's (custody) state. */
  state: string;
  ageBand: AgeBand;
  gender: Gender;
  needs: YouthNeed[];
  runRisk?: RunRisk;
  /** How many candidates there were at all (0: no program of any kind within reach). */
  candidates: number;
  /** How often each rule excluded the nearest candidates (up to five). */
  nearestRules: Partial<Record<HardRuleCode, number>>;
}

export const AGE_BANDS = ['under 12', '12-13', '14-15', '16-17', '18+'] as const;
export type AgeBand = (typeof AGE_BANDS)[number];

/** Two-year bands: wide enough not to single out a youth, narrow enough to plan beds by. */
export function ageBand(age: number): AgeBand {
  if (age < 12) return 'under 12';
  if (age < 14) return '12-13';
  if (age < 16) return '14-15';
  if (age < 18) return '16-17';
  return '18+';
}

/** The unmet-demand record for a match, or undefined when the youth had somewhere to go. */
export function unmetDemandEntry(youth: ResolvedYouth, outcome: RankOutcome, now: Date, id: string): UnmetDemandEntry | undefined {
  if (outcome.counts.eligibleWithOpenBed > 0) return undefined;
  const nearestRules: Partial<Record<HardRuleCode, number>> = {};
  for (const { rules } of outcome.nearestExcluded) for (const r of rules) nearestRules[r] = (nearestRules[r] ?? 0) + 1;
  const date = now.toISOString().slice(0, 10);
  return {
    id,
    date,
    month: date.slice(0, 7),
    state: youth.state,
    ageBand: ageBand(youth.profile.age),
    gender: youth.profile.gender,
    needs: [...youth.profile.needs].sort(),
    ...(youth.profile.runRisk ? { runRisk: youth.profile.runRisk } : {}),
    candidates: outcome.counts.candidates,
    nearestRules,
  };
}

export interface UnmetDemandReport {
  from: string;
  to: string;
  /** The states counted: a coordinator's jurisdiction, or every state for an admin. */
  states: string[] | 'all';
  total: number;
  /** A youth with several needs counts once under each; `none` for youth who named none. */
  byNeed: Record<string, number>;
  byState: Record<string, number>;
  byMonth: Record<string, number>;
  byAgeBand: Record<string, number>;
  byGender: Record<string, number>;
  /** How often each rule excluded the nearest candidates: what kind of bed is missing. */
  byRule: Record<string, number>;
  /** Month × state × need, for a table or chart. */
  rows: { month: string; state: string; need: string; count: number }[];
}

const bump = (m: Record<string, number>, key: string, by = 1) => {
  m[key] = (m[key] ?? 0) + by;
};

/** Counts entries by need, state and month (and age band, gender, rule), keys sorted. */
export function summariseUnmetDemand(entries: readonly UnmetDemandEntry[], scope: { from: string; to: string; states: string[] | 'all' }): UnmetDemandReport {
  const byNeed: Record<string, number> = {};
  const byState: Record<string, number> = {};
  const byMonth: Record<string, number> = {};
  const byAgeBand: Record<string, number> = {};
  const byGender: Record<string, number> = {};
  const byRule: Record<string, number> = {};
  const cells: Record<string, number> = {};
  for (const e of entries) {
    bump(byState, e.state);
    bump(byMonth, e.month);
    bump(byAgeBand, e.ageBand);
    bump(byGender, e.gender);
    for (const [rule, n] of Object.entries(e.nearestRules)) bump(byRule, rule, n ?? 0);
    for (const need of e.needs.length ? e.needs : ['none']) {
      bump(byNeed, need);
      bump(cells, `${e.month}|${e.state}|${need}`);
    }
  }
  const sorted = (m: Record<string, number>) => Object.fromEntries(Object.entries(m).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  const rows = Object.entries(cells)
    .map(([key, count]) => {
      const [month, state, need] = key.split('|') as [string, string, string];
      return { month, state, need, count };
    })
    .sort((a, b) => a.month.localeCompare(b.month) || a.state.localeCompare(b.state) || a.need.localeCompare(b.need));
  return {
    from: scope.from,
    to: scope.to,
    states: scope.states,
    total: entries.length,
    byNeed: sorted(byNeed),
    byState: sorted(byState),
    byMonth: sorted(byMonth),
    byAgeBand: sorted(byAgeBand),
    byGender: sorted(byGender),
    byRule: sorted(byRule),
    rows,
  };
}

/** The months from `from` to `to` inclusive (`YYYY-MM`), oldest first. */
export function monthsBetween(from: string, to: string): string[] {
  const out: string[] = [];
  let [y, m] = from.split('-').map(Number) as [number, number];
  const [ty, tm] = to.split('-').map(Number) as [number, number];
  while (y < ty || (y === ty && m <= tm)) {
    out.push(`${y}-${String(m).padStart(2, '0')}`);
    m++;
    if (m > 12) {
      m = 1;
      y++;
    }
  }
  return out;
}
