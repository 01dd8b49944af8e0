import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CAPACITY_FRESHNESS } from '../../schemas/vocabulary';
import { placementArb, youthArb } from './fixtures/arbitraries';
import { DEFAULT_POLICY } from '../policy';
import { candidateClock, candidateOf } from './candidate';
import { NOW, placement, youth } from './fixtures/builders';
import { needCoverage } from './needs';
import {
  combine,
  compilePartialScorer,
  distanceScore,
  freshnessScore,
  languageScore,
  needsScore,
  runRiskScore,
  scoredDistanceMiles,
  specializationScore,
} from './scores';

describe('needs score', () => {
  it('is 1 when the youth named no needs, and the weighted share met otherwise', () => {
    const p = placement('p', 'austin', { specializations: ['substance_use'] });
    expect(needsScore(p, youth({}))).toBe(1);
    // csec_confirmed weighs 3, substance_use 1.5: meeting only substance use is 1.5 / 4.5.
    expect(needsScore(p, youth({ needs: ['csec_confirmed', 'substance_use'] }))).toBeCloseTo(1 / 3, 6);
  });

  it('weighs CSEC needs most: CSEC-only beats substance-use-only for a youth with both', () => {
    const y = youth({ needs: ['csec_confirmed', 'substance_use', 'education'] });
    const csec = placement('c', 'austin', { specializations: ['csec'] });
    const su = placement('s', 'austin', { specializations: ['substance_use'] });
    expect(needsScore(csec, y)).toBeGreaterThan(needsScore(su, y));
  });

  it('gives partial credit where staff are close to the need', () => {
    const ti = placement('ti', 'austin', { specializations: ['trauma_informed'] });
    expect(needCoverage('csec_at_risk', ti, {})).toBe(0.5);
    const outpatient = placement('o', 'austin', { mentalHealthLevel: 'outpatient' });
    expect(needCoverage('mental_health', outpatient, {})).toBe(1);
    expect(needCoverage('mental_health', outpatient, { mentalHealthLevel: 'residential' })).toBe(0.5);
  });
});

describe('specialization score', () => {
  it('rewards trauma-informed care and named models, up to two', () => {
    const y = youth({});
    expect(specializationScore(placement('a', 'austin'), y)).toBe(0);
    const deep = placement('b', 'austin', { specializations: ['trauma_informed'], traumaModels: ['tf_cbt', 'tbri', 'arc'] });
    expect(specializationScore(deep, y)).toBe(1);
  });

  it('counts survivor mentors only for trafficked youth', () => {
    const mentors = placement('m', 'austin', { specializations: ['trauma_informed', 'survivor_mentor'] });
    expect(specializationScore(mentors, youth({ needs: ['csec_confirmed'] }))).toBeCloseTo(0.6, 6);
    expect(specializationScore(mentors, youth({ needs: ['substance_use'] }))).toBeCloseTo(0.3 / 0.7, 6);
  });
});

describe('distance score', () => {
  it('is 1 at the youth, halves every half-life and never reaches 0', () => {
    expect(distanceScore(0, 60)).toBe(1);
    expect(distanceScore(60, 60)).toBeCloseTo(0.5, 9);
    expect(distanceScore(120, 60)).toBeCloseTo(0.25, 9);
    expect(distanceScore(2000, 60)).toBeGreaterThan(0);
    expect(distanceScore(10, 60)).toBeGreaterThan(distanceScore(11, 60));
  });

  it('is scored from the stay-near ZIP when the youth should stay near school or kin', () => {
    const y = youth({ preferences: { stayNearZip: '78666' } });
    const c = candidateOf(placement('sm', 'sanMarcos'), y.point, candidateClock(NOW));
    expect(scoredDistanceMiles(c, y)).toBeLessThan(2);
    expect(c.distanceMiles).toBeGreaterThan(20);
  });
});

describe('freshness score', () => {
  it('orders fresh > aging > stale > unknown, unknown lowest at 0', () => {
    expect(freshnessScore('fresh')).toBe(1);
    expect(freshnessScore('fresh')).toBeGreaterThan(freshnessScore('aging'));
    expect(freshnessScore('aging')).toBeGreaterThan(freshnessScore('stale'));
    expect(freshnessScore('stale')).toBeGreaterThan(freshnessScore('unknown'));
    expect(freshnessScore('unknown')).toBe(0);
  });
});

describe('language score', () => {
  it('first language 1, another named language 0.6, none 0, not named 1', () => {
    const en = placement('en', 'austin', { languages: ['en'] });
    const es = placement('es', 'austin', { languages: ['en', 'es'] });
    const vi = placement('vi', 'austin', { languages: ['vi'] });
    const spanishFirst = youth({ languages: ['es', 'en'] });
    expect(languageScore(es, spanishFirst)).toBe(1);
    expect(languageScore(en, spanishFirst)).toBe(0.6);
    expect(languageScore(vi, spanishFirst)).toBe(0);
    expect(languageScore(vi, youth({}))).toBe(1);
  });
});

describe('run-risk score', () => {
  const open = placement('o', 'austin', { security: 'open' });
  const openPrevention = placement('op', 'austin', { security: 'open', runPrevention: true });
  const staffSecure = placement('ss', 'austin', { security: 'staff_secure' });
  const staffSecurePrevention = placement('ssp', 'austin', { security: 'staff_secure', runPrevention: true });
  const secure = placement('s', 'austin', { security: 'secure' });

  it('high run risk favours staff-secure and run prevention', () => {
    const y = youth({ runRisk: 'high' });
    expect(runRiskScore(staffSecurePrevention, y)).toBe(1);
    expect(runRiskScore(staffSecure, y)).toBeGreaterThan(runRiskScore(openPrevention, y));
    expect(runRiskScore(openPrevention, y)).toBeGreaterThan(runRiskScore(open, y));
  });

  it('low run risk favours the least restrictive setting', () => {
    const y = youth({ runRisk: 'low' });
    expect(runRiskScore(open, y)).toBe(1);
    expect(runRiskScore(open, y)).toBeGreaterThan(runRiskScore(staffSecure, y));
    expect(runRiskScore(staffSecure, y)).toBeGreaterThan(runRiskScore(secure, y));
  });

  it('medium risk values run prevention', () => {
    const y = youth({ runRisk: 'medium' });
    expect(runRiskScore(openPrevention, y)).toBeGreaterThan(runRiskScore(staffSecure, y));
    expect(runRiskScore(staffSecure, y)).toBeGreaterThan(runRiskScore(open, y));
  });

  it('not assessed: open settings keep a slight edge, less than at an assessed low risk', () => {
    const unassessed = youth({});
    const low = youth({ runRisk: 'low' });
    expect(runRiskScore(open, unassessed)).toBe(1);
    expect(runRiskScore(staffSecure, unassessed)).toBeLessThan(1);
    expect(runRiskScore(staffSecure, unassessed)).toBeGreaterThan(runRiskScore(staffSecure, low));
    expect(runRiskScore(secure, unassessed)).toBeGreaterThan(runRiskScore(secure, low));
  });
});

describe('combine', () => {
  it('is the weighted mean of the components, 0..1', () => {
    const all = (x: number) => ({ needs: x, specialization: x, distance: x, freshness: x, language: x, runRisk: x, wraparound: x });
    expect(combine(all(1), DEFAULT_POLICY.weights)).toBeCloseTo(1, 9);
    expect(combine(all(0), DEFAULT_POLICY.weights)).toBe(0);
    const onlyNeeds = { ...all(0), needs: 1 };
    const w = DEFAULT_POLICY.weights;
    const sum = Object.values(w).reduce((a, b) => a + b, 0);
    expect(combine(onlyNeeds, w)).toBeCloseTo(w.needs / sum, 9);
    expect(combine(all(1), { ...w, needs: 0, specialization: 0, distance: 0, freshness: 0, language: 0, runRisk: 0, wraparound: 0 })).toBe(0);
  });

  it('default weights put needs first', () => {
    const w = DEFAULT_POLICY.weights;
    for (const [name, weight] of Object.entries(w)) if (name !== 'needs') expect(w.needs).toBeGreaterThan(weight);
  });
});

describe('compilePartialScorer', () => {
  it('is exactly the weighted sum of the six named components, for any placement and youth', () => {
    fc.assert(
      fc.property(placementArb('p'), youthArb, fc.double({ min: 0, max: 600, noNaN: true }), fc.constantFrom(...CAPACITY_FRESHNESS), (p, y, miles, freshness) => {
        const w = DEFAULT_POLICY.weights;
        const expected =
          w.needs * needsScore(p, y) +
          w.specialization * specializationScore(p, y) +
          w.distance * distanceScore(miles, 60) +
          w.freshness * freshnessScore(freshness) +
          w.language * languageScore(p, y) +
          w.runRisk * runRiskScore(p, y);
        expect(compilePartialScorer(y, w, 60).score(p, miles, freshness)).toBeCloseTo(expected, 12);
      }),
      { numRuns: 300 },
    );
  });
});
