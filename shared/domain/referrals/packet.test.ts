import { describe, expect, it } from 'vitest';
import type { YouthProfile } from '../matching/youth';
import { YouthProfile as YouthProfileSchema } from '../matching/youth';
import type { ReferralYouthDetails } from './packet';
import { providerPacket, referrerYouthView } from './packet';

const youth: YouthProfile = YouthProfileSchema.parse({
  caseRef: 'TX-2291-44',
  age: 15,
  gender: 'female',
  location: { zip: '78701' },
  custodyState: 'TX',
  needs: ['csec_confirmed', 'mental_health'],
  mentalHealthLevel: 'intensive_outpatient',
  runRisk: 'high',
  languages: ['es'],
  behaviors: ['fire_setting'],
  keepAway: [{ lat: 29.42, lon: -98.49, radiusMiles: 25 }],
  preferences: { maxDistanceMiles: 200, stayNearZip: '78702' },
});
const details: ReferralYouthDetails = { youth, note: 'Arrives with a social worker.', match: null, declineNote: null, withdrawNote: null };

describe('the provider packet', () => {
  it('carries exactly the minimum necessary fields', () => {
    expect(Object.keys(providerPacket(details)).sort()).toEqual(
      ['age', 'behaviors', 'declineNote', 'gender', 'languages', 'match', 'mentalHealthLevel', 'needs', 'note', 'runRisk'].sort(),
    );
  });

  it('never carries the youth\'s location, keep-away areas, case reference or preferences', () => {
    const text = JSON.stringify(providerPacket(details));
    for (const secret of ['78701', '29.42', '-98.49', 'keepAway', 'location', 'TX-2291-44', 'caseRef', '78702', 'custodyState', 'preferences']) {
      expect(text).not.toContain(secret);
    }
  });

  it('gives the referring side everything they sent', () => {
    const view = referrerYouthView(details);
    expect(view.youth).toEqual(youth);
    expect(view.packet).toBe('full');
  });
});
