import { describe, expect, it } from 'vitest';
import type { RankOptions } from './rank-placements';
import { rank, youth } from './fixtures/builders';
import { SCENARIO_PLACEMENTS, SCENARIO_SERVICES } from './fixtures/scenario-directory';

/**
 * Written scenarios over the hand-made directory in fixtures/scenario-directory.ts: youth a
 * placement coordinator would recognise, the programs they should be offered first, and why.
 * Unless a scenario says otherwise the youth is in Austin (78701), in Texas custody, and the
 * default policy applies.
 */
function match(fields: Record<string, unknown>, options: Partial<RankOptions> = {}) {
  return rank(youth(fields), SCENARIO_PLACEMENTS, SCENARIO_SERVICES, { limit: 10, ...options });
}
const top = (out: ReturnType<typeof match>, n: number) => out.results.slice(0, n).map((r) => r.placementId);
const excludedFor = (out: ReturnType<typeof match>, id: string) => out.excluded.find((x) => x.placementId === id);
const result = (out: ReturnType<typeof match>, id: string) => out.results.find((r) => r.placementId === id);

describe('scenarios a placement coordinator would recognise', () => {
  it('1. 15-year-old girl, confirmed CSEC, high run risk, Spanish first, substance use, keep-away around her home city San Antonio', () => {
    const out = match({
      age: 15,
      gender: 'female',
      needs: ['csec_confirmed', 'substance_use'],
      runRisk: 'high',
      languages: ['es', 'en'],
      keepAway: [{ zip: '78205', radiusMiles: 25 }],
    });
    // Hope Ranch first by a wide margin: it alone meets both needs on site, is staff-secure with
    // run prevention for her run risk, speaks Spanish and has a fresh count; 95 miles is a price
    // worth paying (and puts distance between her and San Antonio).
    expect(top(out, 1)).toEqual(['hope-ranch']);
    expect(out.results[0]!.score - out.results[1]!.score).toBeGreaterThan(0.2);
    expect(out.results[0]!.summary).toMatch(/^CSEC-specialised staff; substance-use program on site; .*staff-secure for high run risk; run-prevention program; Spanish-speaking staff; 95 miles/);
    // Safe Harbor House would be her second-best CSEC option, but it is inside the keep-away area:
    // absolute, whatever its score would have been.
    expect(excludedFor(out, 'safe-harbor-house')?.rules).toEqual(['keep_away_area']);
    // The El Paso CSEC home is beyond the policy's default 300 miles; the full Austin program is full.
    expect(excludedFor(out, 'casa-el-paso')?.whatWouldChange).toBe("528 miles, beyond the policy's default 300-mile maximum");
    expect(excludedFor(out, 'capitol-csec-full')?.whatWouldChange).toBe('No open bed: 1 bed on hold, lapsing at 15:00 UTC (in 3 hours)');
  });

  it('2. a pregnant 17-year-old', () => {
    const out = match({ age: 17, gender: 'female', needs: ['pregnant'] });
    // Only the maternity home accepts pregnant youth; everyone else is excluded for it, and the
    // reasons say it specialises in pregnant and parenting youth.
    expect(top(out, 10)).toEqual(['new-beginnings']);
    expect(out.results[0]!.reasons[0]).toBe('Specialised in pregnant and parenting youth.');
    expect(excludedFor(out, 'hope-ranch')?.rules).toEqual(['pregnant_not_accepted']);
  });

  it('3. a transgender boy, 16, low run risk, who needs an affirming home', () => {
    const out = match({ age: 16, gender: 'transgender_male', needs: ['lgbtq_affirming'], runRisk: 'low' });
    // Both affirming programs come first. Bluebonnet (trauma-informed TBRI, count 5 h old) beats
    // the Rainbow host home 2 miles away, whose count is 30 hours stale and which has no
    // trauma-informed model. Programs for girls only are excluded, not ranked.
    expect(top(out, 2)).toEqual(['bluebonnet-tfc', 'rainbow-host-home']);
    expect(result(out, 'rainbow-host-home')!.reasons).toContain('Count last reported 30 hours ago (stale); call to check.');
    expect(result(out, 'capital-psych-rtc')!.reasons).toContain('Not listed as LGBTQ+-affirming.');
    expect(excludedFor(out, 'hope-ranch')?.rules).toEqual(['gender_not_served']);
  });

  it('4. a 13-year-old boy at risk of CSEC, with substance use, medium run risk', () => {
    const out = match({ age: 13, gender: 'male', needs: ['csec_at_risk', 'substance_use'], runRisk: 'medium' });
    // Lone Star Boys Ranch: substance use on site, trauma-informed, staff-secure with run
    // prevention. No boys' program is CSEC-specialised, so it is said plainly.
    expect(top(out, 1)).toEqual(['lone-star-ranch']);
    expect(out.results[0]!.summary).toMatch(/^Substance-use program on site/);
    expect(out.results[0]!.summary).toContain('not CSEC-specialised, though trauma-informed');
  });

  it('5. a 16-year-old Oklahoma girl, confirmed CSEC, high run risk, in Oklahoma City', () => {
    const out = match({ age: 16, gender: 'female', location: { zip: '73102' }, needs: ['csec_confirmed'], runRisk: 'high' });
    // Prairie (Oklahoma youth only — she is one) is right there; Hope Ranch in Texas takes
    // out-of-state youth and is as good a program but 272 miles away. Texas programs that take no
    // out-of-state youth are excluded for it.
    expect(top(out, 2)).toEqual(['prairie-csec', 'hope-ranch']);
    expect(excludedFor(out, 'new-beginnings')?.rules).toEqual(['out_of_state_not_accepted']);
    expect(excludedFor(out, 'new-beginnings')?.whatWouldChange).toBe('Takes no youth from outside TX; the youth is from OK');
  });

  it('6. a 14-year-old girl, confirmed CSEC, who must stay within 50 miles of Austin', () => {
    const out = match({ age: 14, gender: 'female', needs: ['csec_confirmed'], preferences: { maxDistanceMiles: 50 } });
    // Every CSEC program within 50 miles is full or too far: the best fits are trauma-informed
    // programs with CSEC counseling or mentoring nearby (wraparound), the nearest first.
    expect(top(out, 1)).toEqual(['capital-psych-rtc']);
    expect(out.results[0]!.summary).toContain('but CSEC counseling 4.3 miles away (Austin CSEC Counseling Collaborative)');
    expect(excludedFor(out, 'hope-ranch')?.whatWouldChange).toBe('95 miles, beyond your 50-mile maximum');
    expect(excludedFor(out, 'capitol-csec-full')?.rules).toEqual(['no_bed_available']);
  });

  it('7. the same girl when the coordinator asks to see full programs too', () => {
    const out = match({ age: 14, gender: 'female', needs: ['csec_confirmed'], preferences: { maxDistanceMiles: 50 } }, { includeFull: true });
    // The full CSEC program 3 miles away is the best fit, so it comes first, saying it is full and
    // when the hold on its last bed lapses — worth a call.
    expect(top(out, 1)).toEqual(['capitol-csec-full']);
    expect(out.results[0]!.available).toBe(0);
    expect(out.results[0]!.summary).toContain('full, 1 bed on hold, lapsing at 15:00 UTC (in 3 hours)');
  });

  it('8. a 12-year-old boy in Houston who sets fires', () => {
    const out = match({ age: 12, gender: 'male', behaviors: ['fire_setting'], location: { zip: '77002' } });
    // The Houston shelter excludes fire-setting, so the nearest bed is 150 miles away. With no
    // needs named and run risk not assessed, the family-based foster home (open setting) edges out
    // the staff-secure programs at the same distance.
    expect(excludedFor(out, 'gulf-coast-shelter')?.whatWouldChange).toBe('Does not accept youth with fire-setting');
    expect(top(out, 1)).toEqual(['hill-country-foster']);
  });

  it('9. an 11-year-old girl with a developmental disability', () => {
    const out = match({ age: 11, gender: 'female', needs: ['developmental_disability'] });
    // Oak TFC is the only program specialised in developmental disabilities; the others say so.
    expect(top(out, 1)).toEqual(['oak-tfc-dd']);
    expect(out.results[0]!.reasons[0]).toBe('Supports youth with developmental disabilities.');
    expect(result(out, 'hill-country-foster')!.reasons).toContain('No developmental-disability support on site.');
  });

  it('10. a nonbinary 15-year-old who needs residential mental-health care', () => {
    const out = match({ age: 15, gender: 'nonbinary', needs: ['mental_health'], mentalHealthLevel: 'residential', runRisk: 'medium' });
    // Capital Psychiatric provides the residential level; Bluebonnet's outpatient level earns half
    // credit, topped up by statewide telehealth counseling.
    expect(top(out, 2)).toEqual(['capital-psych-rtc', 'bluebonnet-tfc']);
    expect(result(out, 'bluebonnet-tfc')!.summary).toContain(
      'mental-health care on site is outpatient only, but mental-health care by telehealth (Lone Star Telehealth Counseling)',
    );
  });

  it('11. a Vietnamese-speaking 14-year-old at risk of CSEC, in Houston', () => {
    const out = match({ age: 14, gender: 'female', needs: ['csec_at_risk'], languages: ['vi', 'en'], location: { zip: '77002' } });
    // CSEC needs weigh most: the CSEC programs (staff speak English, which she also speaks) come
    // before the Vietnamese-speaking shelter down the road, which is ranked next and says so.
    expect(top(out, 3)).toEqual(['hope-ranch', 'safe-harbor-house', 'gulf-coast-shelter']);
    expect(result(out, 'gulf-coast-shelter')!.reasons).toContain('Vietnamese-speaking staff.');
    expect(result(out, 'hope-ranch')!.reasons).toContain('Staff speak English, not Vietnamese.');
  });

  it('12. staying near her school in Georgetown moves the programs near it up', () => {
    const base = { age: 14, gender: 'female', needs: ['csec_at_risk', 'education'], runRisk: 'low' };
    const anywhere = match(base);
    const nearSchool = match({ ...base, preferences: { stayNearZip: '78626' } });
    // Without the preference, the psychiatric program 4.5 miles from her ranks above Oak TFC 18
    // miles away; scored from her school, Oak (8 miles from it) overtakes it and Bluebonnet
    // (under half a mile from it) gains too.
    const pos = (out: ReturnType<typeof match>, id: string) => top(out, 10).indexOf(id);
    expect(pos(anywhere, 'capital-psych-rtc')).toBeLessThan(pos(anywhere, 'oak-tfc-dd'));
    expect(pos(nearSchool, 'oak-tfc-dd')).toBeLessThan(pos(nearSchool, 'capital-psych-rtc'));
    expect(result(nearSchool, 'bluebonnet-tfc')!.score).toBeGreaterThan(result(anywhere, 'bluebonnet-tfc')!.score);
    expect(result(nearSchool, 'bluebonnet-tfc')!.reasons).toContain('0.4 miles from the school or kin ZIP (25 miles from the youth).');
  });

  it('13. a 12-year-old girl whose caseworker will consider only family settings', () => {
    const out = match({ age: 12, gender: 'female', preferences: { placementTypes: ['therapeutic_foster_care', 'foster_home'] } });
    // Only foster homes and TFC are offered; the group homes and residential programs are
    // excluded as a type not asked for. The lapsed licence keeps Riverside out.
    expect(top(out, 10)).toEqual(['hill-country-foster', 'oak-tfc-dd', 'bluebonnet-tfc']);
    expect(excludedFor(out, 'hope-ranch')?.whatWouldChange).toBe('Its type, residential treatment, is not one of the placement types you asked for');
    expect(excludedFor(out, 'lapsed-licence-home')?.rules).toEqual(['license_expired']);
  });

  it('14. a 19-year-old parenting father in El Paso who must stay within 50 miles', () => {
    const out = match({ age: 19, gender: 'male', needs: ['parenting'], location: { zip: '79901' }, preferences: { maxDistanceMiles: 50 } });
    // Nothing fits: unmet demand. The nearest program (a girls' home in El Paso) lists every rule
    // it breaks, so the report can say what kind of bed is missing.
    expect(out.results).toEqual([]);
    expect(out.counts.eligibleWithOpenBed).toBe(0);
    expect(out.nearestExcluded[0]).toEqual({ distanceMiles: 0.5, rules: ['age_out_of_range', 'gender_not_served', 'parenting_not_accepted'] });
  });

  it('15. a high-run-risk girl is not offered an open home ahead of a staff-secure CSEC program nearby', () => {
    const out = match({ age: 15, gender: 'female', needs: ['csec_confirmed'], runRisk: 'high', location: { zip: '78205' } });
    // From San Antonio: Safe Harbor House (CSEC, staff-secure, run prevention, in town) first,
    // then Hope Ranch; the open programs nearer Austin say their open setting is a concern.
    expect(top(out, 2)).toEqual(['safe-harbor-house', 'hope-ranch']);
    expect(result(out, 'bluebonnet-tfc')!.reasons).toContain('Open setting, a concern at high run risk.');
  });
});
