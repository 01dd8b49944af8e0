import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { distanceMiles } from '../geo';
import type { Placement, Service } from '../../schemas/directory';
import type { YouthNeed } from '../../schemas/vocabulary';
import { YOUTH_NEEDS } from '../../schemas/vocabulary';
import { directoryArb, youthArb } from './fixtures/arbitraries';
import { NEED_SERVICE_CATEGORIES } from './needs';
import type { ResolvedYouth } from './youth';
import { placement, service, youth } from './fixtures/builders';
import { PackedServices } from './packed-services';
import { ServiceFinder, TELEHEALTH_QUALITY, wraparoundFor } from './wraparound';

const y = youth({ needs: ['substance_use'], languages: ['es'] });
const home = placement('home', 'austin');

describe('ServiceFinder', () => {
  it('names the nearest suitable in-person service within the radius of the placement', () => {
    const near = service('near', 'georgetown', { category: 'substance_use_treatment' });
    const nearer = service('nearer', 'austin', { category: 'substance_use_treatment', location: { lat: 30.3, lon: -97.75 } });
    const far = service('far', 'waco', { category: 'substance_use_treatment' });
    const best = new ServiceFinder([far, near, nearer], y, 25).best('substance_use', home);
    expect(best).toMatchObject({ serviceId: 'nearer', modality: 'in_person', need: 'substance_use' });
    expect(best!.distanceMiles).toBeLessThan(5);
  });

  it('ignores services of the wrong category, beyond the radius, or not serving this youth', () => {
    const wrongCategory = service('cat', 'austin', { category: 'education' });
    const beyond = service('waco', 'waco', { category: 'substance_use_treatment' });
    const tooOld = service('old', 'austin', { category: 'substance_use_treatment', population: { minAge: 18, maxAge: 24 } });
    const boysOnly = service('boys', 'austin', { category: 'substance_use_treatment', population: { genders: ['male'] } });
    const englishOnly = service('en', 'austin', { category: 'substance_use_treatment', languages: ['en'] });
    const inactive = service('off', 'austin', { category: 'substance_use_treatment', active: false });
    const finder = new ServiceFinder([wrongCategory, beyond, tooOld, boysOnly, englishOnly, inactive], y, 25);
    expect(finder.best('substance_use', home)).toBeNull();
  });

  it('takes telehealth serving the placement’s state when nothing is near, and prefers in person', () => {
    const tele = service('tele', 'elPaso', { category: 'substance_use_treatment', modality: 'telehealth', serviceArea: { states: ['TX'] } });
    const otherState = service('ok', 'tulsa', { category: 'substance_use_treatment', modality: 'telehealth', serviceArea: { states: ['OK'] } });
    expect(new ServiceFinder([tele, otherState], y, 25).best('substance_use', home)).toMatchObject({
      serviceId: 'tele',
      modality: 'telehealth',
      distanceMiles: null,
      quality: TELEHEALTH_QUALITY,
    });
    const inPerson = service('in', 'georgetown', { category: 'substance_use_treatment' });
    expect(new ServiceFinder([tele, inPerson], y, 30).best('substance_use', home)?.serviceId).toBe('in');
  });

  it('respects the service’s own area (states, counties, radius)', () => {
    const countyOnly = service('c', 'austin', { category: 'substance_use_treatment', serviceArea: { counties: ['Williamson'] } });
    const smallRadius = service('r', 'georgetown', { category: 'substance_use_treatment', serviceArea: { radiusMiles: 5 } });
    expect(new ServiceFinder([countyOnly, smallRadius], y, 25).best('substance_use', home)).toBeNull();
  });

  it('rates a long wait or no open slot lower than an open service a little further away', () => {
    const waiting = service('wait', 'austin', { category: 'substance_use_treatment', waitDays: 30 });
    const open = service('open', 'georgetown', { category: 'substance_use_treatment', waitDays: 2 });
    expect(new ServiceFinder([waiting, open], y, 40).best('substance_use', home)?.serviceId).toBe('open');
  });

  it('finds services for placements far north of the search centre too (wider longitude cells)', () => {
    const north = placement('n', 'tulsa');
    const s = service('s', 'tulsa', { category: 'substance_use_treatment', location: { lon: -95.7 } });
    expect(new ServiceFinder([s], y, 25).best('substance_use', north)?.serviceId).toBe('s');
  });
});

describe('wraparound score', () => {
  it('is 1 when the placement meets every need itself', () => {
    const covered = placement('c', 'austin', { specializations: ['substance_use'] });
    const w = wraparoundFor(covered, y, new ServiceFinder([], y, 25));
    expect(w).toEqual({ items: [], uncovered: [], score: 1 });
  });

  it('is 0 when no service stands in for an unmet need, higher the nearer the service', () => {
    expect(wraparoundFor(home, y, new ServiceFinder([], y, 25))).toMatchObject({ score: 0, uncovered: ['substance_use'] });
    const next = service('next', 'austin', { category: 'substance_use_treatment' });
    const edge = service('edge', 'georgetown', { category: 'substance_use_treatment' });
    const nextDoor = wraparoundFor(home, y, new ServiceFinder([next], y, 30)).score;
    const atEdge = wraparoundFor(home, y, new ServiceFinder([edge], y, 30)).score;
    expect(nextDoor).toBeGreaterThan(atEdge);
    expect(atEdge).toBeGreaterThan(0);
  });

  it('ignores needs no service can meet (an affirming home)', () => {
    const ty = youth({ gender: 'transgender_male', needs: ['lgbtq_affirming'] });
    const p = placement('p', 'austin', { population: { genders: ['transgender_male'] } });
    expect(wraparoundFor(p, ty, new ServiceFinder([], ty, 25)).score).toBe(1);
  });
});

/** A brute-force oracle written from the rules in wraparound.ts's docs: every service, no grid. */
function bruteForceBest(need: YouthNeed, p: Placement, y: ResolvedYouth, services: Service[], radius: number) {
  let best: { id: string; quality: number; d: number } | null = null;
  NEED_SERVICE_CATEGORIES[need].forEach((category, rank) => {
    for (const s of services) {
      if (s.category !== category || s.active === false) continue;
      if (y.profile.age < s.population.minAge || y.profile.age > s.population.maxAge || !s.population.genders.includes(y.profile.gender)) continue;
      if (y.profile.languages.length > 0 && !y.profile.languages.some((l) => s.languages.includes(l))) continue;
      const wait = (s.waitDays ?? 0) > 14 || s.openSlots === 0 ? 0.6 : 1;
      const states = s.serviceArea.states;
      const options: { d: number; quality: number }[] = [];
      const d = distanceMiles(p.location, s.location);
      if (s.modality !== 'telehealth' && d <= radius && (states.length === 0 || states.includes(p.location.state))) {
        if (s.serviceArea.radiusMiles === undefined || d <= s.serviceArea.radiusMiles) options.push({ d, quality: (1 - 0.4 * (d / radius)) * wait * (1 - 0.1 * rank) });
      }
      if (s.modality !== 'in_person' && (states.length > 0 ? states.includes(p.location.state) : s.location.state === p.location.state)) {
        options.push({ d: Infinity, quality: TELEHEALTH_QUALITY * wait * (1 - 0.1 * rank) });
      }
      for (const o of options) {
        if (!best || o.quality > best.quality || (o.quality === best.quality && (o.d < best.d || (o.d === best.d && s.id < best.id)))) best = { id: s.id, quality: o.quality, d: o.d };
      }
    }
  });
  return best as { id: string; quality: number; d: number } | null;
}

describe('ServiceFinder over packed services', () => {
  it('never names a service whose category is outside the vocabulary, packed or not', () => {
    const odd = service('odd', 'austin', { category: 'yoga' as never, modality: 'both' });
    const good = service('good', 'waco', { category: 'substance_use_treatment' });
    for (const services of [[odd, good], PackedServices.of([odd, good])]) {
      expect(new ServiceFinder(services, y, 200).best('substance_use', home)?.serviceId).toBe('good');
    }
  });
});

describe('ServiceFinder against a brute-force search', () => {
  it('finds the same service for any placement, need and directory', () => {
    fc.assert(
      fc.property(directoryArb(10, 60), youthArb, fc.constantFrom(...YOUTH_NEEDS), fc.constantFrom(10, 25, 60), ({ placements, services }, y, need, radius) => {
        const finder = new ServiceFinder(services, y, radius);
        // With a reach, services too far from the youth for any candidate are not indexed: still
        // the same answer for every placement within that reach.
        const reach = 250;
        const reaching = new ServiceFinder(services, y, radius, reach);
        // Given them packed, as a match reads them (servicesForMatch).
        const packed = new ServiceFinder(PackedServices.of(services), y, radius);
        for (const p of placements) {
          const found = finder.best(need, p);
          expect(packed.best(need, p)).toStrictEqual(found);
          const expected = bruteForceBest(need, p, y, services, radius);
          expect(found?.serviceId ?? null).toBe(expected?.id ?? null);
          if (found && expected) expect(found.quality).toBeCloseTo(expected.quality, 12);
          if (distanceMiles(y.point, p.location) <= reach) expect(reaching.best(need, p)?.serviceId ?? null).toBe(expected?.id ?? null);
        }
      }),
      { numRuns: 200 },
    );
  });
});
