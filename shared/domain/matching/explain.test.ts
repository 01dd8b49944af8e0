import { describe, expect, it } from 'vitest';
import { candidateClock, candidateOf } from './candidate';
import { asSentences, asSummary, freshnessClause, reasonClauses, whatWouldChange } from './explain';
import { minutesAgo, minutesFromNow, NOW, placement, service, youth } from './fixtures/builders';
import type { RuleContext } from './hard-rules';
import { brokenRules } from './hard-rules';
import { ServiceFinder, wraparoundFor } from './wraparound';
import type { ResolvedYouth } from './youth';
import type { Placement, Service } from '../../schemas/directory';

const clock = candidateClock(NOW);
const ctxFor = (y: ResolvedYouth, over: Partial<RuleContext> = {}): RuleContext => ({ youth: y, maxDistanceMiles: 300, includeFull: false, today: '2026-11-21', ...over });
/** The clauses for one placement, services searched within 25 miles of it. */
const clausesFor = (y: ResolvedYouth, p: Placement, services: Service[] = []) => {
  const c = candidateOf(p, y.point, clock);
  const wrap = wraparoundFor(p, y, new ServiceFinder(services, y, 25));
  return reasonClauses({ c, youth: y, wrap, scoredDistanceMiles: c.distanceMiles, wraparoundRadiusMiles: 25, now: NOW });
};
/** Clauses that appear more than once. */
const repeats = (clauses: readonly string[]) => clauses.filter((s, i) => clauses.indexOf(s) !== i);

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
    expect(summary).toContain('not CSEC-specialised, though trauma-informed, and no CSEC counseling or survivor mentoring within 25 miles or by telehealth');
    expect(summary).toContain('no mental-health care on site, within 25 miles or by telehealth');
  });

  it('says what earned partial credit for a trafficking need: trauma-informed care, survivor mentors, or both', () => {
    // needCoverage gives survivor mentors partial credit too: a placement with mentors but no
    // trauma-informed care must not be called trauma-informed.
    const mentorsOnly = placement('m', 'austin', { specializations: ['survivor_mentor'] });
    expect(clausesFor(youth({ needs: ['csec_at_risk'] }), mentorsOnly)).toContain(
      'not CSEC-specialised, though it has survivor mentors on staff, and no CSEC counseling or survivor mentoring within 25 miles or by telehealth',
    );
    expect(clausesFor(youth({ needs: ['labor_trafficking'] }), mentorsOnly)).toContain(
      'not trafficking-specialised, though it has survivor mentors on staff, and no trauma therapy or legal advocacy within 25 miles or by telehealth',
    );
    const both = placement('b', 'austin', { specializations: ['trauma_informed', 'survivor_mentor'] });
    expect(clausesFor(youth({ needs: ['csec_confirmed'] }), both)).toContain(
      'not CSEC-specialised, though trauma-informed with survivor mentors on staff, and no CSEC counseling or survivor mentoring within 25 miles or by telehealth',
    );
    const traumaOnly = placement('t', 'austin', { specializations: ['trauma_informed'] });
    expect(clausesFor(youth({ needs: ['labor_trafficking'] }), traumaOnly)).toContain(
      'not trafficking-specialised, though trauma-informed, and no trauma therapy or legal advocacy within 25 miles or by telehealth',
    );
    for (const clause of clausesFor(youth({ needs: ['csec_at_risk', 'labor_trafficking'] }), mentorsOnly)) expect(clause).not.toContain('trauma-informed');
  });

  it('says which of pregnant or parenting youth a placement accepts, with one "but" before the service', () => {
    const pregnantOnly = placement('pr', 'austin', { population: { acceptsPregnant: true, acceptsParenting: false } });
    const parentingOnly = placement('pa', 'austin', { population: { acceptsPregnant: false, acceptsParenting: true } });
    const clinic = service('clinic', 'austin', { name: 'Austin Teen Clinic', category: 'medical' });
    const pregnant = clausesFor(youth({ needs: ['pregnant'] }), pregnantOnly, [clinic]);
    expect(pregnant).toContain('accepts pregnant youth without specialising in them, but medical care under 0.1 miles away (Austin Teen Clinic)');
    expect(pregnant.join(' ')).not.toContain('parenting');
    const parenting = clausesFor(youth({ needs: ['parenting'] }), parentingOnly);
    expect(parenting).toContain('accepts parenting youth without specialising in them, and no family therapy or case management within 25 miles or by telehealth');
    expect(parenting.join(' ')).not.toContain('pregnant');
    for (const clause of [...pregnant, ...parenting]) expect(clause.split(' but ').length).toBeLessThanOrEqual(2);
  });

  it('says a strength or gap once when two related needs give the same clause', () => {
    const maternity = placement('mh', 'austin', { specializations: ['pregnant_parenting'] });
    const forMother = clausesFor(youth({ needs: ['pregnant', 'parenting'] }), maternity);
    expect(forMother.filter((s) => s === 'specialised in pregnant and parenting youth')).toHaveLength(1);
    expect(repeats(forMother)).toEqual([]);

    const csec = placement('cs', 'austin', { specializations: ['csec'] });
    const bothCsec = youth({ needs: ['csec_confirmed', 'csec_at_risk'] });
    expect(clausesFor(bothCsec, csec).filter((s) => s === 'CSEC-specialised staff')).toHaveLength(1);

    // The same gap, with and without the same service found for both needs; the first is kept.
    const traumaInformed = placement('ti', 'austin', { specializations: ['trauma_informed'] });
    const alone = clausesFor(bothCsec, traumaInformed);
    expect(repeats(alone)).toEqual([]);
    expect(alone[alone.length - 1]).toBe('not CSEC-specialised, though trauma-informed, and no CSEC counseling or survivor mentoring within 25 miles or by telehealth');
    const counseling = service('cc', 'austin', { name: 'Austin CSEC Counseling', category: 'csec_counseling' });
    const served = clausesFor(bothCsec, traumaInformed, [counseling]);
    expect(repeats(served)).toEqual([]);
    expect(served.filter((s) => s.endsWith('(Austin CSEC Counseling)'))).toHaveLength(1);
  });

  it('names every service category searched for a gap, and telehealth, when none was found', () => {
    // Labor trafficking is served by trauma therapy or legal advocacy: both were searched for.
    const open = placement('o', 'austin');
    expect(clausesFor(youth({ needs: ['labor_trafficking', 'substance_use', 'csec_confirmed'] }), open)).toEqual(
      expect.arrayContaining([
        'no labor-trafficking care on site, and no trauma therapy or legal advocacy within 25 miles or by telehealth',
        'no substance-use program on site, and no substance-use treatment within 25 miles or by telehealth',
        'no CSEC-specialised care on site, and no CSEC counseling or survivor mentoring within 25 miles or by telehealth',
      ]),
    );
    // A need whose service has its own name is not named twice.
    expect(clausesFor(youth({ needs: ['medical'] }), open)).toContain('no medical care on site, within 25 miles or by telehealth');
    // "or by telehealth" is true: a telehealth service of the need's second category is found.
    const legalAid = service('la', 'dallas', { name: 'Texas Legal Aid Online', category: 'legal_advocacy', modality: 'telehealth', serviceArea: { states: ['TX'] } });
    expect(clausesFor(youth({ needs: ['labor_trafficking'] }), open, [legalAid])).toContain(
      'no labor-trafficking care on site, but legal advocacy by telehealth (Texas Legal Aid Online)',
    );
  });

  it('full with one bed on hold: "lapsing at", not "the first lapsing at"', () => {
    const p = placement('one', 'austin', { capacity: { total: 3, occupied: 2, holds: { a: minutesFromNow(180) } } });
    const clauses = clausesFor(youth({}), p);
    expect(clauses).toContain('full, 1 bed on hold, lapsing at 15:00 UTC (in 3 hours)');
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

  it('no bed: one hold lapsing in under a minute', () => {
    const p = placement('h1', 'austin', { capacity: { total: 3, occupied: 2, holds: { a: minutesFromNow(0.5) } } });
    const c = candidateOf(p, y.point, clock);
    expect(whatWouldChange(['no_bed_available'], c, ctxFor(y), NOW)).toBe('No open bed: 1 bed on hold, lapsing at 12:00 UTC (in under a minute)');
  });

  it('too far: the distance shown is visibly beyond the maximum, and a fractional maximum keeps its decimal', () => {
    const c = candidateOf(placement('f', 'waco'), y.point, clock);
    const at = (distanceMiles: number, maxDistanceMiles: number) => whatWouldChange(['too_far'], { ...c, distanceMiles }, ctxFor(y, { maxDistanceMiles }), NOW);
    expect(at(70.3, 70)).toBe('70.3 miles, beyond your 70-mile maximum');
    expect(at(70.6, 70)).toBe('71 miles, beyond your 70-mile maximum');
    expect(at(0.9, 0.4)).toBe('0.9 miles, beyond your 0.4-mile maximum');
    expect(at(12, 10.5)).toBe('12 miles, beyond your 10.5-mile maximum');
    expect(at(10.7, 10.5)).toBe('11 miles, beyond your 10.5-mile maximum');
    expect(at(10.4, 10.3)).toBe('10.4 miles, beyond your 10.3-mile maximum');
    // Too close to show one decimal apart: said without a number that would look within it.
    expect(at(70.02, 70)).toBe('Just beyond your 70-mile maximum');
    expect(at(0.43, 0.4)).toBe('Just beyond your 0.4-mile maximum');
  });

  it('type not asked for: names the type without an article', () => {
    const typed = youth({ preferences: { placementTypes: ['foster_home'] } });
    const shelter = candidateOf(placement('es', 'austin', { type: 'emergency_shelter' }), typed.point, clock);
    expect(whatWouldChange(['type_not_acceptable'], shelter, ctxFor(typed), NOW)).toBe('Its type, emergency shelter, is not one of the placement types you asked for');
    const rtc = candidateOf(placement('rt', 'austin', { type: 'residential_treatment' }), typed.point, clock);
    expect(whatWouldChange(['type_not_acceptable'], rtc, ctxFor(typed), NOW)).toBe('Its type, residential treatment, is not one of the placement types you asked for');
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
        'licence expired on 2026-06-30; a renewed licence makes it eligible again; its type, host home, is not one of the placement types you asked for',
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
