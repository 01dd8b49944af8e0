import { describe, expect, it } from 'vitest';
import { candidateClock, candidateOf } from './candidate';
import { asSentences, asSummary, freshnessClause, reasonClauses, whatWouldChange } from './explain';
import { minutesAgo, minutesFromNow, NOW, placement, service, youth } from './fixtures/builders';
import type { RuleContext } from './hard-rules';
import { brokenRules } from './hard-rules';
import { ServiceFinder, wraparoundFor } from './wraparound';
import type { ResolvedYouth } from './youth';

const clock = candidateClock(NOW);
const ctxFor = (y: ResolvedYouth, over: Partial<RuleContext> = {}): RuleContext => ({ youth: y, maxDistanceMiles: 300, includeFull: false, today: '2026-11-21', ...over });

describe('reasons for a result', () => {
  it('reads like the issue’s example: strengths, safety, distance, count, then the gap and its wraparound', () => {
    // Prepare: a Spanish-speaking CSEC survivor at high run risk in Austin, a CSEC program in El
    // Paso (staff-secure) without substance-use care, and a substance-use clinic 6 miles from it.
    const y = youth({ needs: ['csec_confirmed', 'substance_use'], runRisk: 'high' });
    const p = placement('ep', 'elPaso', {
      specializations: ['csec'],
      security: 'staff_secure',
      capacity: { confirmedAt: minutesAgo(40), updatedAt: minutesAgo(600) },
      acceptsOutOfState: true,
    });
    const clinic = service('clinic', 'elPaso', { name: 'Sun City Recovery', category: 'substance_use_treatment', location: { lat: 31.8489, lon: -106.485 } });
    const c = candidateOf(p, y.point, clock);
    const wrap = wraparoundFor(p, y, new ServiceFinder([clinic], y, 25));
    // Act
    const clauses = reasonClauses({ c, youth: y, wrap, scoredDistanceMiles: c.distanceMiles, wraparoundRadiusMiles: 25, now: NOW });
    // Assess
    expect(asSummary(clauses)).toBe(
      'CSEC-specialised staff; staff-secure for high run risk; 528 miles; 2 beds open; count confirmed 40 minutes ago; ' +
        'no substance-use program on site, but substance-use treatment 6 miles away (Sun City Recovery)',
    );
    expect(asSentences(clauses)[0]).toBe('CSEC-specialised staff.');
  });

  it('names language, depth, intake, an unmet need with no service, and stale counts', () => {
    const y = youth({ needs: ['csec_at_risk', 'mental_health'], languages: ['es', 'en'], runRisk: 'medium' });
    const p = placement('p', 'austin', {
      specializations: ['trauma_informed'],
      traumaModels: ['tf_cbt', 'tbri'],
      runPrevention: true,
      intake: { emergency: true, twentyFourSeven: true },
      capacity: { updatedAt: minutesAgo(60 * 50) },
    });
    const c = candidateOf(p, y.point, clock);
    const wrap = wraparoundFor(p, y, new ServiceFinder([], y, 25));
    const summary = asSummary(reasonClauses({ c, youth: y, wrap, scoredDistanceMiles: c.distanceMiles, wraparoundRadiusMiles: 25, now: NOW }));
    expect(summary).toContain('Trauma-informed (TF-CBT and TBRI)');
    expect(summary).toContain('run-prevention program');
    expect(summary).toContain('staff speak English, not Spanish');
    expect(summary).toContain('24/7 emergency intake');
    expect(summary).toContain('count last reported 2 days ago (stale); call to check');
    expect(summary).toContain('not CSEC-specialised, though trauma-informed, and no CSEC counseling within 25 miles');
    expect(summary).toContain('no mental-health care on site or within 25 miles');
  });

  it('says a count was never reported', () => {
    const c = candidateOf(placement('u', 'austin', { capacity: { updatedAt: null, confirmedAt: null } }), youth({}).point, clock);
    expect(freshnessClause(c, NOW)).toBe('bed count never reported; call to check');
  });
});

describe('what would change an exclusion', () => {
  const y = youth({ behaviors: ['fire_setting'], preferences: { maxDistanceMiles: 50 } });

  it('no bed: when the holds lapse', () => {
    const p = placement('h', 'austin', { capacity: { total: 4, occupied: 2, holds: { a: minutesFromNow(180), b: minutesFromNow(240) } } });
    const c = candidateOf(p, y.point, clock);
    expect(whatWouldChange(brokenRules(c, ctxFor(y)), c, ctxFor(y), NOW)).toBe('No open bed: 2 beds on hold, the first lapsing at 15:00 UTC (in 3 hours)');
  });

  it('no bed on a stale count: a call may find one', () => {
    const p = placement('s', 'austin', { capacity: { total: 3, occupied: 3, updatedAt: minutesAgo(60 * 30) } });
    const c = candidateOf(p, y.point, clock);
    expect(whatWouldChange(['no_bed_available'], c, ctxFor(y), NOW)).toBe('No open bed: all 3 beds occupied; the count is from 30 hours ago, so a call may find a bed');
  });

  it('no bed on record when the count was never reported', () => {
    const c = candidateOf(placement('n', 'austin', { capacity: { total: 0, occupied: 0, updatedAt: null } }), y.point, clock);
    expect(whatWouldChange(['no_bed_available'], c, ctxFor(y), NOW)).toBe('No open bed on record: the count was never reported, so a call may find one');
  });

  it('too far: the distance and whose maximum', () => {
    const c = candidateOf(placement('f', 'waco'), y.point, clock);
    expect(whatWouldChange(['too_far'], c, ctxFor(y, { maxDistanceMiles: 50 }), NOW)).toBe('95 miles, beyond your 50-mile maximum');
    const noPref = youth({});
    expect(whatWouldChange(['too_far'], c, ctxFor(noPref, { maxDistanceMiles: 50 }), NOW)).toBe("95 miles, beyond the policy's default 50-mile maximum");
  });

  it('joins every rule broken, each in words', () => {
    const p = placement('x', 'austin', {
      population: { minAge: 16, maxAge: 17, genders: ['male', 'transgender_male'] },
      exclusions: ['fire_setting'],
      license: { expires: '2026-06-30' },
      type: 'host_home',
    });
    const typed = youth({ behaviors: ['fire_setting'], preferences: { placementTypes: ['group_home'] } });
    const c = candidateOf(p, typed.point, clock);
    const line = whatWouldChange(brokenRules(c, ctxFor(typed)), c, ctxFor(typed), NOW);
    expect(line).toBe(
      'Takes ages 16–17; the youth is 15; serves boys and transgender boys only; does not accept youth with fire-setting; ' +
        'licence expired on 2026-06-30; a renewed licence makes it eligible again; a host home, not one of the placement types you asked for',
    );
  });

  it('out of state, keep-away, pregnancy, parenting, inactive', () => {
    const okYouth = youth({ location: { zip: '73102' }, needs: ['pregnant', 'parenting'], keepAway: [{ zip: '78701', radiusMiles: 10 }] });
    const p = placement('o', 'austin', { active: false });
    const c = candidateOf(p, okYouth.point, clock);
    const line = whatWouldChange(brokenRules(c, ctxFor(okYouth, { maxDistanceMiles: 1000 })), c, ctxFor(okYouth), NOW);
    expect(line).toContain('The program is marked inactive');
    expect(line).toContain('inside a keep-away area set for this youth; keep-away areas are absolute');
    expect(line).toContain('takes no youth from outside TX; the youth is from OK');
    expect(line).toContain('does not accept pregnant youth');
    expect(line).toContain('does not accept parenting youth');
  });
});
