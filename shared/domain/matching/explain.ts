import type { YouthNeed } from '../../schemas/vocabulary';
import type { Candidate } from './candidate';
import type { HardRuleCode, RuleContext } from './hard-rules';
import {
  ago,
  clockTime,
  EXCLUSION_NAMES,
  GENDER_NAMES,
  LANGUAGE_NAMES,
  miles,
  NEED_NAMES,
  PLACEMENT_TYPE_NAMES,
  plural,
  SECURITY_NAMES,
  SERVICE_CATEGORY_NAMES,
  shownMiles,
  spokenList,
  TRAUMA_MODEL_NAMES,
} from './labels';
import { isTraffickingInvolved, NEED_SERVICE_CATEGORIES, needCoverage, placementMentalHealthLevel } from './needs';
import type { Wraparound, WraparoundItem } from './wraparound';
import type { ResolvedYouth } from './youth';

/**
 * Plain-language explanations: the clauses a caseworker reads aloud about a result ("CSEC-
 * specialised staff; staff-secure for high run risk; 212 miles; count confirmed 40 minutes ago;
 * no substance-use program on site, but one 6 miles away") and, for an excluded program, what
 * would change the answer ("63 miles, beyond your 50-mile maximum").
 */

const MENTAL_HEALTH_LEVEL_NAMES = { none: 'none', outpatient: 'outpatient', intensive_outpatient: 'intensive outpatient', residential: 'residential' } as const;

/** What the placement itself does well for one met need, or undefined when not worth saying. */
function metNeedClause(need: string, c: Candidate): string | undefined {
  switch (need) {
    case 'csec_confirmed':
    case 'csec_at_risk':
      return 'CSEC-specialised staff';
    case 'labor_trafficking':
      return 'trafficking-informed staff';
    case 'substance_use':
      return 'substance-use program on site';
    case 'mental_health':
      return `${MENTAL_HEALTH_LEVEL_NAMES[placementMentalHealthLevel(c.placement)]} mental-health care on site`;
    case 'pregnant':
    case 'parenting':
      return 'specialised in pregnant and parenting youth';
    case 'lgbtq_affirming':
      return 'LGBTQ+-affirming';
    case 'developmental_disability':
      return 'supports youth with developmental disabilities';
    default:
      return undefined;
  }
}

/**
 * The gap, as said before a wraparound service is named: "no substance-use program on site".
 * No gap says "but": reasonClauses follows it with ", but <service>".
 */
function gapClause(need: YouthNeed, coverage: number, c: Candidate): string {
  const name = NEED_NAMES[need];
  if (coverage === 0) return need === 'lgbtq_affirming' ? 'not listed as LGBTQ+-affirming' : `no ${name} on site`;
  switch (need) {
    case 'csec_confirmed':
    case 'csec_at_risk':
      return `not CSEC-specialised${traffickingCredit(c)}`;
    case 'labor_trafficking':
      return `not trafficking-specialised${traffickingCredit(c)}`;
    case 'mental_health':
      return `mental-health care on site is ${MENTAL_HEALTH_LEVEL_NAMES[placementMentalHealthLevel(c.placement)]} only`;
    case 'pregnant':
    case 'parenting':
      // Partial credit is per need: a placement may accept pregnant youth but not parenting ones.
      return `accepts ${need} youth without specialising in them`;
    default:
      return `limited ${name} on site`;
  }
}

/**
 * What earned a trafficking need its partial credit (needCoverage): trauma-informed care,
 * survivor mentors, or both. Naming only one would tell the caseworker something untrue.
 */
function traffickingCredit(c: Candidate): string {
  const s = c.placement.specializations ?? [];
  const traumaInformed = s.includes('trauma_informed');
  const mentors = s.includes('survivor_mentor');
  if (traumaInformed && mentors) return ', though trauma-informed with survivor mentors on staff';
  if (mentors) return ', though it has survivor mentors on staff';
  return traumaInformed ? ', though trauma-informed' : '';
}

/**
 * A gap no service was found for, saying everything that was searched: every category that can
 * stand in for the need, in person within the radius and by telehealth (ServiceFinder.best looks
 * up telehealth for each category whenever nothing better was found).
 * "no substance-use program on site, and no substance-use treatment within 25 miles or by telehealth".
 */
function unfilledGapClause(need: YouthNeed, coverage: number, c: Candidate, radiusMiles: number): string {
  const gap = gapClause(need, coverage, c);
  const searched = spokenList(NEED_SERVICE_CATEGORIES[need].map((category) => SERVICE_CATEGORY_NAMES[category]), 'or');
  const where = `within ${miles(radiusMiles)} or by telehealth`;
  // "no medical care on site, and no medical care within …" would say the same thing twice.
  if (coverage === 0 && searched === NEED_NAMES[need]) return `${gap}, ${where}`;
  return `${gap}, and no ${searched} ${where}`;
}

function serviceClause(item: WraparoundItem): string {
  const what = SERVICE_CATEGORY_NAMES[item.category];
  const wait = item.waitDays !== undefined && item.waitDays > 14 ? `, ${item.waitDays}-day wait` : '';
  return item.modality === 'telehealth'
    ? `${what} by telehealth (${item.name}${wait})`
    : `${what} ${miles(item.distanceMiles ?? 0)} away (${item.name}${wait})`;
}

export interface ExplainInput {
  c: Candidate;
  youth: ResolvedYouth;
  wrap: Wraparound;
  /** The distance that was scored (from the stay-near ZIP when given). */
  scoredDistanceMiles: number;
  wraparoundRadiusMiles: number;
  now: Date;
}

/** The clauses explaining one result, strongest points first and gaps last. */
export function reasonClauses(input: ExplainInput): string[] {
  const { c, youth, wrap, now } = input;
  const p = c.placement;
  const profile = youth.profile;
  const met: string[] = [];
  const gaps: string[] = [];
  const byNeed = new Map(wrap.items.map((i) => [i.need, i]));
  for (const need of profile.needs) {
    const coverage = needCoverage(need, p, profile);
    const item = byNeed.get(need);
    if (coverage >= 1 || (need === 'labor_trafficking' && coverage >= 0.8)) {
      const clause = metNeedClause(need, c);
      if (clause) met.push(clause);
      if (item) gaps.push(`also ${serviceClause(item)}`);
      continue;
    }
    if (item) gaps.push(`${gapClause(need, coverage, c)}, but ${serviceClause(item)}`);
    else if (NEED_SERVICE_CATEGORIES[need].length === 0) gaps.push(gapClause(need, coverage, c));
    else gaps.push(unfilledGapClause(need, coverage, c, input.wraparoundRadiusMiles));
  }

  const depth: string[] = [];
  const models = (p.traumaModels ?? []).map((m) => TRAUMA_MODEL_NAMES[m]);
  if ((p.specializations ?? []).includes('trauma_informed')) depth.push(models.length ? `trauma-informed (${spokenList(models)})` : 'trauma-informed');
  else if (models.length) depth.push(`uses ${spokenList(models)}`);
  if (isTraffickingInvolved(profile.needs) && (p.specializations ?? []).includes('survivor_mentor')) depth.push('survivor mentors on staff');

  const safety: string[] = [];
  const security = SECURITY_NAMES[p.security];
  if (profile.runRisk === 'high') safety.push(p.security === 'open' ? 'open setting, a concern at high run risk' : `${security} for high run risk`);
  if (p.runPrevention && (profile.runRisk === 'high' || profile.runRisk === 'medium')) safety.push('run-prevention program');
  if (profile.runRisk === 'low' && p.security === 'secure') safety.push('secure setting, more restrictive than a low run risk needs');

  const language: string[] = [];
  const [first, ...others] = profile.languages;
  if (first) {
    if (p.languages.includes(first)) {
      if (first !== 'en') language.push(`${LANGUAGE_NAMES[first]}-speaking staff`);
    } else {
      const spoken = others.filter((l) => p.languages.includes(l));
      language.push(
        spoken.length
          ? `staff speak ${spokenList(spoken.map((l) => LANGUAGE_NAMES[l]))}, not ${LANGUAGE_NAMES[first]}`
          : `no staff speak ${spokenList(profile.languages.map((l) => LANGUAGE_NAMES[l]))}`,
      );
    }
  }

  const place = youth.stayNear
    ? `${miles(input.scoredDistanceMiles)} from the school or kin ZIP (${miles(c.distanceMiles)} from the youth)`
    : miles(c.distanceMiles);

  const beds =
    c.available > 0
      ? `${plural(c.available, 'bed')} open`
      : c.onHold > 0 && c.nextHoldLapse
        ? `full, ${holdsClause(c.onHold, c.nextHoldLapse, now)}`
        : 'full';

  const intake = p.intake?.emergency && p.intake?.twentyFourSeven ? ['24/7 emergency intake'] : [];
  // Related needs can give the same clause (pregnant and parenting, both CSEC needs): say it once.
  return [...new Set([...met, ...depth, ...safety, ...language, place, beds, freshnessClause(c, now), ...intake, ...gaps])];
}

/** "2 beds on hold, the first lapsing at 15:00 UTC (in 3 hours)"; "1 bed on hold, lapsing at …" (no "first" of one). */
function holdsClause(onHold: number, nextLapse: string, now: Date): string {
  return `${plural(onHold, 'bed')} on hold, ${onHold === 1 ? '' : 'the first '}lapsing at ${clockTime(nextLapse, now)}`;
}

/** "count confirmed 40 minutes ago", "count last reported 2 days ago (stale); call to check". */
export function freshnessClause(c: Candidate, now: Date): string {
  if (!c.reportedAt) return 'bed count never reported; call to check';
  const cap = c.placement.capacity;
  const verb = cap.confirmedAt && cap.confirmedAt === c.reportedAt ? 'confirmed' : 'updated';
  if (c.freshness === 'stale') return `count last reported ${ago(c.reportedAt, now)} (stale); call to check`;
  return `count ${verb} ${ago(c.reportedAt, now)}`;
}

/** Clauses → the sentences of `reasons`: capitalised, full stop. */
export function asSentences(clauses: readonly string[]): string[] {
  return clauses.map((s) => `${s[0]!.toUpperCase()}${s.slice(1)}.`);
}

/** Clauses → the one line read aloud: "CSEC-specialised staff; staff-secure for high run risk; …". */
export function asSummary(clauses: readonly string[]): string {
  const line = clauses.join('; ');
  return line.length ? `${line[0]!.toUpperCase()}${line.slice(1)}` : line;
}

/** For an excluded program: what would have to change for it to be offered, rule by rule. */
export function whatWouldChange(rules: readonly HardRuleCode[], c: Candidate, ctx: RuleContext, now: Date): string {
  const line = rules.map((rule) => changeFor(rule, c, ctx, now)).join('; ');
  return `${line[0]!.toUpperCase()}${line.slice(1)}`;
}

function changeFor(rule: HardRuleCode, c: Candidate, ctx: RuleContext, now: Date): string {
  const p = c.placement;
  const profile = ctx.youth.profile;
  switch (rule) {
    case 'inactive':
      return 'the program is marked inactive; it is offered again once its provider reactivates it';
    case 'no_bed_available': {
      if (!c.reportedAt) return 'no open bed on record: the count was never reported, so a call may find one';
      const held =
        c.onHold > 0 && c.nextHoldLapse
          ? holdsClause(c.onHold, c.nextHoldLapse, now)
          : p.capacity.total === 0
            ? 'the program reports no beds'
            : `all ${plural(p.capacity.total, 'bed')} occupied`;
      const check = c.freshness === 'stale' ? `; the count is from ${ago(c.reportedAt, now)}, so a call may find a bed` : '';
      return `no open bed: ${held}${check}`;
    }
    case 'age_out_of_range':
      return `takes ages ${p.population.minAge}–${p.population.maxAge}; the youth is ${profile.age}`;
    case 'gender_not_served':
      return `serves ${spokenList(p.population.genders.map((g) => GENDER_NAMES[g]))} only`;
    case 'exclusion_criteria': {
      const hits = profile.behaviors.filter((b) => (p.exclusions ?? []).includes(b)).map((b) => EXCLUSION_NAMES[b]);
      return `does not accept youth with ${spokenList(hits)}`;
    }
    case 'keep_away_area':
      return 'inside a keep-away area set for this youth; keep-away areas are absolute';
    case 'too_far': {
      const whose = profile.preferences.maxDistanceMiles !== undefined ? 'your' : "the policy's default";
      return tooFarClause(c.distanceMiles, ctx.maxDistanceMiles, whose);
    }
    case 'out_of_state_not_accepted':
      return `takes no youth from outside ${p.location.state}; the youth is from ${ctx.youth.state || 'another state'}`;
    case 'pregnant_not_accepted':
      return 'does not accept pregnant youth';
    case 'parenting_not_accepted':
      return 'does not accept parenting youth with their children';
    case 'license_expired':
      return `licence expired on ${p.license.expires}; a renewed licence makes it eligible again`;
    case 'type_not_acceptable':
      // Named without an article: "a emergency shelter", "a residential treatment" read badly.
      return `its type, ${PLACEMENT_TYPE_NAMES[p.type]}, is not one of the placement types you asked for`;
  }
}

/**
 * "63 miles, beyond your 50-mile maximum", with the distance visibly beyond the maximum: one
 * decimal where whole miles would not show it ("70.3 miles", not "70 miles", beyond 70), and no
 * number at all where one decimal would not either (70.02 beyond 70). A maximum that is not whole
 * keeps one decimal ("0.4-mile", not "0-mile").
 */
function tooFarClause(distance: number, max: number, whose: string): string {
  const shownMax = Number.isInteger(max) ? max : Math.round(max * 10) / 10;
  const limit = `${whose} ${Number.isInteger(max) ? max : shownMax.toFixed(1)}-mile maximum`;
  if (distance >= 0.05 && shownMiles(distance) > shownMax) return `${miles(distance)}, beyond ${limit}`;
  const tenths = Math.round(distance * 10) / 10;
  if (tenths > shownMax) return `${tenths.toFixed(1)} miles, beyond ${limit}`;
  return `just beyond ${limit}`;
}
