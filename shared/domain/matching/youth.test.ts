import { describe, expect, it } from 'vitest';
import { parseOrThrow } from '../../http/validation';
import { ValidationFailed } from '../../errors';
import { CaseRef, identifyingPaths, isIdentifyingKey, NOT_IDENTIFIABLE, resolveYouth, YouthProfile } from './youth';

const valid = {
  caseRef: 'TX-CPS-0042117',
  age: 15,
  gender: 'female',
  location: { zip: '78701' },
  needs: ['csec_confirmed', 'substance_use'],
  runRisk: 'high',
  languages: ['es', 'en'],
  behaviors: [],
  keepAway: [{ lat: 29.42, lon: -98.49, radiusMiles: 25 }],
  preferences: { maxDistanceMiles: 300, placementTypes: ['residential_treatment', 'therapeutic_foster_care'] },
};

function problems(value: unknown) {
  const r = YouthProfile.safeParse(value);
  return r.success ? [] : r.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
}

describe('youth profile', () => {
  it('accepts the API.md example and applies defaults', () => {
    // Prepare / Act
    const parsed = YouthProfile.parse({ age: 13, gender: 'male', location: { lat: 30.27, lon: -97.74 } });
    // Assess
    expect(parsed).toMatchObject({ needs: [], languages: [], behaviors: [], keepAway: [], preferences: {} });
    expect(YouthProfile.safeParse(valid).success).toBe(true);
  });

  it.each([
    ['name', { name: 'Jane Doe' }, 'name'],
    ['firstName', { firstName: 'Jane' }, 'firstName'],
    ['last_name', { last_name: 'Doe' }, 'last_name'],
    ['dob', { dob: '2010-04-12' }, 'dob'],
    ['birthDate', { birthDate: '2010-04-12' }, 'birthDate'],
    ['dateOfBirth', { dateOfBirth: '2010-04-12' }, 'dateOfBirth'],
    ['address', { address: '12 Elm St' }, 'address'],
    ['street', { street: 'Elm St' }, 'street'],
    ['ssn', { ssn: '123-45-6789' }, 'ssn'],
    ['phone', { phone: '512-555-0100' }, 'phone'],
    ['email', { email: 'jane@example.com' }, 'email'],
    ['nested in location', { location: { zip: '78701', address: '12 Elm St' } }, 'location.address'],
    ['nested in preferences', { preferences: { kinAddress: '5 Oak Ave' } }, 'preferences.kinAddress'],
    ['in a keep-away area', { keepAway: [{ lat: 29.4, lon: -98.5, radiusMiles: 5, exploiterName: 'X' }] }, 'keepAway.0.exploiterName'],
  ])('refuses an identifying field (%s) saying the youth must not be identifiable', (_label, extra, path) => {
    const found = problems({ ...valid, ...extra });
    expect(found).toContainEqual({ path, message: NOT_IDENTIFIABLE });
    expect(NOT_IDENTIFIABLE).toContain('must not be identifiable');
  });

  it('names the field in the 400 the route handler raises', () => {
    expect.assertions(3);
    try {
      parseOrThrow(YouthProfile, { ...valid, lastName: 'Doe' }, 'body', ['youth']);
    } catch (error) {
      expect(error).toBeInstanceOf(ValidationFailed);
      expect((error as ValidationFailed).fields).toContainEqual({ path: 'youth.lastName', message: NOT_IDENTIFIABLE });
      expect((error as ValidationFailed).message).toContain('must not be identifiable');
    }
  });

  it('refuses unknown fields and wrong types, naming each', () => {
    expect(problems({ ...valid, favouriteColour: 'blue' })).toContainEqual({ path: '', message: expect.stringContaining('favouriteColour') });
    expect(problems({ ...valid, age: 'fifteen' }).map((p) => p.path)).toContain('age');
    expect(problems({ ...valid, age: 15.5 }).map((p) => p.path)).toContain('age');
    expect(problems({ ...valid, gender: 'girl' }).map((p) => p.path)).toContain('gender');
    expect(problems({ ...valid, needs: ['csec'] }).map((p) => p.path)).toContain('needs.0');
    expect(problems({ ...valid, needs: ['pregnant', 'pregnant'] }).map((p) => p.path)).toContain('needs');
    expect(problems({ ...valid, runRisk: 'very high' }).map((p) => p.path)).toContain('runRisk');
    expect(problems({ ...valid, keepAway: [{ lat: 29, lon: -98 }] }).map((p) => p.path)).toContain('keepAway.0.radiusMiles');
  });

  it('takes a location as a ZIP or as lat and lon, never both or half', () => {
    expect(problems({ ...valid, location: { zip: '78701' } })).toEqual([]);
    expect(problems({ ...valid, location: { lat: 30.2, lon: -97.7 } })).toEqual([]);
    expect(problems({ ...valid, location: { zip: '78701', lat: 30.2, lon: -97.7 } }).map((p) => p.path)).toContain('location.zip');
    expect(problems({ ...valid, location: { lat: 30.2 } }).map((p) => p.path)).toContain('location.lon');
    expect(problems({ ...valid, location: { zip: '00000' } }).map((p) => p.path)).toContain('location.zip');
    expect(problems({ ...valid, location: { zip: '7870' } }).map((p) => p.path)).toContain('location.zip');
  });

  it('keeps case references opaque: digits, no spaces, no dates', () => {
    expect(CaseRef.safeParse('TX-CPS-0042117').success).toBe(true);
    expect(CaseRef.safeParse('2024-000123').success).toBe(true);
    expect(CaseRef.safeParse('Jane Doe').success).toBe(false);
    expect(CaseRef.safeParse('JaneDoe').success).toBe(false);
    expect(CaseRef.safeParse('Doe-2010-04-12').success).toBe(false);
    expect(CaseRef.safeParse('jd04/12/2010').success).toBe(false);
    expect(CaseRef.safeParse('x'.repeat(60) + '12345').success).toBe(false);
  });

  it('spots identifying keys by name, wherever they are', () => {
    expect(isIdentifyingKey('motherName')).toBe(true);
    expect(isIdentifyingKey('home_address')).toBe(true);
    expect(isIdentifyingKey('needs')).toBe(false);
    expect(isIdentifyingKey('caseRef')).toBe(false);
    expect(identifyingPaths({ a: [{ b: { phoneNumber: 1 } }] })).toEqual([['a', 0, 'b', 'phoneNumber']]);
  });
});

describe('resolveYouth', () => {
  it('resolves a ZIP to coordinates and the custody state', () => {
    const y = resolveYouth(YouthProfile.parse({ age: 15, gender: 'female', location: { zip: '78701' } }));
    expect(y.state).toBe('TX');
    expect(y.point.lat).toBeCloseTo(30.27, 1);
  });

  it('finds the state of coordinates offline, and a given custody state wins', () => {
    const okc = resolveYouth(YouthProfile.parse({ age: 15, gender: 'female', location: { lat: 35.47, lon: -97.52 } }));
    expect(okc.state).toBe('OK');
    const custody = resolveYouth(YouthProfile.parse({ age: 15, gender: 'female', location: { lat: 35.47, lon: -97.52 }, custodyState: 'TX' }));
    expect(custody.state).toBe('TX');
  });

  it('resolves keep-away ZIPs and the stay-near ZIP', () => {
    const y = resolveYouth(
      YouthProfile.parse({
        age: 15,
        gender: 'female',
        location: { zip: '78701' },
        keepAway: [{ zip: '78205', radiusMiles: 10 }],
        preferences: { stayNearZip: '78666' },
      }),
    );
    expect(y.keepAway[0]).toMatchObject({ radiusMiles: 10 });
    expect(y.keepAway[0]!.lat).toBeCloseTo(29.42, 1);
    expect(y.stayNear!.lat).toBeCloseTo(29.88, 1);
  });
});
