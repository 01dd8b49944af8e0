import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { placementArb, youthArb } from './fixtures/arbitraries';
import type { Placement } from '../../schemas/directory';
import { candidateClock, candidateOf } from './candidate';
import { minutesFromNow, NOW, placement, youth } from './fixtures/builders';
import type { HardRule, HardRuleCode, RuleContext } from './hard-rules';
import {
  brokenRules,
  compileHardRules,
  HARD_RULE_CODES,
  rulesOfMask,
  HARD_RULES,
  requireAcceptableType,
  requireActive,
  requireAgeServed,
  requireCurrentLicence,
  requireGenderServed,
  requireNoExcludedBehavior,
  requireOpenBed,
  requireOutsideKeepAway,
  requireParentingAccepted,
  requirePregnancyAccepted,
  requireStateAccepted,
  requireWithinMaxDistance,
} from './hard-rules';
import type { ResolvedYouth } from './youth';

const clock = candidateClock(NOW);
const ctxFor = (y: ResolvedYouth, over: Partial<RuleContext> = {}): RuleContext => ({ youth: y, maxDistanceMiles: 300, includeFull: false, today: '2026-11-21', ...over });
const cand = (p: Placement, y: ResolvedYouth) => candidateOf(p, y.point, clock);

// A 15-year-old girl in Austin with every need a rule looks at; the baseline placement passes all.
const girl = youth({ needs: ['pregnant', 'parenting'], behaviors: ['fire_setting'], preferences: { maxDistanceMiles: 100, placementTypes: ['group_home'] } });
const passing = placement('ok', 'austin', { population: { acceptsPregnant: true, acceptsParenting: true } });

/** Each rule alone: the one change that breaks it, and nothing else broken. */
const cases: [HardRuleCode, HardRule, Placement, ResolvedYouth?, Partial<RuleContext>?][] = [
  ['inactive', requireActive, { ...passing, active: false }],
  ['no_bed_available', requireOpenBed, placement('full', 'austin', { population: passing.population, capacity: { total: 3, occupied: 3 } })],
  ['age_out_of_range', requireAgeServed, placement('age', 'austin', { population: { ...passing.population, minAge: 16 } })],
  ['gender_not_served', requireGenderServed, placement('boys', 'austin', { population: { ...passing.population, genders: ['male'] } })],
  ['exclusion_criteria', requireNoExcludedBehavior, { ...passing, exclusions: ['fire_setting'] }],
  ['keep_away_area', requireOutsideKeepAway, passing, youth({ ...girl.profile, keepAway: [{ zip: '78701', radiusMiles: 5 }] })],
  ['too_far', requireWithinMaxDistance, placement('far', 'dallas', { population: passing.population }), undefined, { maxDistanceMiles: 100 }],
  ['out_of_state_not_accepted', requireStateAccepted, passing, youth({ ...girl.profile, custodyState: 'OK' })],
  ['pregnant_not_accepted', requirePregnancyAccepted, placement('np', 'austin', { population: { ...passing.population, acceptsPregnant: false } })],
  ['parenting_not_accepted', requireParentingAccepted, placement('npar', 'austin', { population: { ...passing.population, acceptsParenting: false } })],
  ['license_expired', requireCurrentLicence, placement('lic', 'austin', { population: passing.population, license: { expires: '2026-11-20' } })],
  ['type_not_acceptable', requireAcceptableType, { ...passing, type: 'residential_treatment' }],
];

describe('hard rules', () => {
  it('the baseline placement breaks none', () => {
    expect(brokenRules(cand(passing, girl), ctxFor(girl))).toEqual([]);
  });

  it('covers every API.md rule code, each with one named function', () => {
    expect(cases.map(([code]) => code).sort()).toEqual([...HARD_RULE_CODES].sort());
    expect(HARD_RULES).toHaveLength(HARD_RULE_CODES.length);
  });

  it.each(cases)('%s: its function alone returns its code, and it is the only rule broken', (code, rule, p, y = girl, over = {}) => {
    const ctx = ctxFor(y, over);
    const c = cand(p, y);
    expect(rule(c, ctx)).toBe(code);
    expect(rule(cand(passing, girl), ctxFor(girl))).toBeNull();
    expect(brokenRules(c, ctx)).toEqual([code]);
  });

  it('lists every rule a placement breaks', () => {
    const bad = placement('bad', 'dallas', { active: false, population: { genders: ['male'], minAge: 16 }, license: { expires: '2020-01-01' } });
    expect(brokenRules(cand(bad, girl), ctxFor(girl, { maxDistanceMiles: 100 }))).toEqual([
      'inactive',
      'age_out_of_range',
      'gender_not_served',
      'too_far',
      'pregnant_not_accepted',
      'parenting_not_accepted',
      'license_expired',
    ]);
  });

  it('ages at the edges of the range are served', () => {
    const y17 = youth({ age: 17 });
    const y12 = youth({ age: 12 });
    const p = placement('edge', 'austin', { population: { minAge: 12, maxAge: 17 } });
    expect(requireAgeServed(cand(p, y17), ctxFor(y17))).toBeNull();
    expect(requireAgeServed(cand(p, y12), ctxFor(y12))).toBeNull();
  });

  it('a full program passes when the caller includes full programs; lapsed holds free their beds', () => {
    const full = placement('f', 'austin', { capacity: { total: 2, occupied: 1, holds: { r1: minutesFromNow(60) } } });
    expect(requireOpenBed(cand(full, girl), ctxFor(girl))).toBe('no_bed_available');
    expect(requireOpenBed(cand(full, girl), ctxFor(girl, { includeFull: true }))).toBeNull();
    const lapsed = placement('l', 'austin', { capacity: { total: 2, occupied: 1, holds: { r1: minutesFromNow(-1) } } });
    expect(requireOpenBed(cand(lapsed, girl), ctxFor(girl))).toBeNull();
  });

  it('a licence is valid through its expiry date', () => {
    const today = placement('t', 'austin', { license: { expires: '2026-11-21' } });
    expect(requireCurrentLicence(cand(today, girl), ctxFor(girl))).toBeNull();
  });

  it('keep-away is absolute: a placement inside any area is out, one just outside stays', () => {
    const sa = placement('sa', 'sanAntonio');
    const inside = youth({ keepAway: [{ lat: 29.42, lon: -98.49, radiusMiles: 25 }, { lat: 40, lon: -100, radiusMiles: 1 }] });
    const outside = youth({ keepAway: [{ lat: 29.42, lon: -98.49, radiusMiles: 0.1 }] });
    expect(requireOutsideKeepAway(cand(sa, inside), ctxFor(inside, { includeFull: true }))).toBe('keep_away_area');
    expect(requireOutsideKeepAway(cand(sa, outside), ctxFor(outside))).toBeNull();
  });

  it('out-of-state youth are fine where the placement accepts them', () => {
    const okYouth = youth({ location: { zip: '73102' } });
    const takes = placement('t', 'austin', { acceptsOutOfState: true });
    expect(requireStateAccepted(cand(takes, okYouth), ctxFor(okYouth))).toBeNull();
    expect(requireStateAccepted(cand(passing, okYouth), ctxFor(okYouth))).toBe('out_of_state_not_accepted');
  });

  it('no type preference accepts every type', () => {
    const any = youth({});
    expect(requireAcceptableType(cand({ ...passing, type: 'host_home' }, any), ctxFor(any))).toBeNull();
  });
});

describe('compileHardRules', () => {
  it('gives exactly the rules the named functions give, for any placement and youth', () => {
    fc.assert(
      fc.property(placementArb('p'), youthArb, fc.boolean(), fc.integer({ min: 20, max: 800 }), (p, y, includeFull, max) => {
        const ctx = ctxFor(y, { includeFull, maxDistanceMiles: max });
        const c = cand(p, y);
        expect(rulesOfMask(compileHardRules(ctx)(p, c.distanceMiles, c.available))).toEqual(brokenRules(c, ctx));
      }),
      { numRuns: 500 },
    );
  });
});
