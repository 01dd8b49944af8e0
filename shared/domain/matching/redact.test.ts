import { describe, expect, it } from 'vitest';
import { placement, rank, youth } from './fixtures/builders';
import { matchLocationFor, resultFor, youthForProvider } from './redact';

describe('privacy of match output', () => {
  const safeHouse = placement('safe', 'sanAntonio', { location: { confidential: true, address: '9 Hidden Ln' } });
  const listed = placement('listed', 'austin');

  it('a caseworker gets city, county, state and distance for a safe house — no street, ZIP or coordinates', () => {
    const [r] = rank(youth({}), [safeHouse]).results;
    const view = resultFor(r!, 'caseworker');
    expect(view.location).toEqual({ city: 'San Antonio', county: 'Bexar', state: 'TX', confidential: true });
    expect(view.distanceMiles).toBeGreaterThan(0);
    expect(JSON.stringify(view)).not.toContain('Hidden');
  });

  it('admins and coordinators see a safe house’s address; anyone sees a listed one', () => {
    expect(matchLocationFor(safeHouse.location, 'coordinator')).toMatchObject({ address: '9 Hidden Ln', lat: 29.4241 });
    expect(matchLocationFor(safeHouse.location, 'admin')).toMatchObject({ address: '9 Hidden Ln' });
    expect(matchLocationFor(listed.location, 'caseworker')).toMatchObject({ address: '1 Main St', zip: '78701', lat: 30.2672 });
  });

  it('what provider staff may read of a youth has no location, keep-away areas or stay-near ZIP', () => {
    const y = youth({ keepAway: [{ zip: '78205', radiusMiles: 20 }], preferences: { stayNearZip: '78666', maxDistanceMiles: 100 }, needs: ['csec_confirmed'] });
    const shown = youthForProvider(y.profile);
    expect(shown).not.toHaveProperty('location');
    expect(shown).not.toHaveProperty('keepAway');
    expect(shown.preferences).toEqual({ maxDistanceMiles: 100 });
    expect(shown.needs).toEqual(['csec_confirmed']);
    expect(JSON.stringify(shown)).not.toMatch(/78701|78205|78666/);
  });
});
