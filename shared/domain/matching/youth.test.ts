import { describe, expect, it } from 'vitest';
import { parseOrThrow } from '../../http/validation';
import { ValidationFailed } from '../../errors';
import type { z } from 'zod';
import { MatchRequestBody } from '../../../functions/create-match/schema';
import { CreateReferralBody } from '../../referrals/create-schema';
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

  it.each([
    // Agencies' opaque references: short capital codes and digit runs of any length.
    'TX-CPS-0042117',
    'TX-CPS-2024-001234',
    'CASE-123',
    'DFPS-88812',
    'A1B2C3',
    'NYC-ACS-123456',
    'case-123',
    '2024-000123',
    'TX-2291-44',
    'CPS#2024#000123',
    'TX:CPS:0042117',
    'TX_CPS_1',
    '123456789',
    // Digit runs that are not exactly 8 digits, or are not a calendar date, are the agency's.
    'TX-200904121',
    'TX-0904129',
    'TX-12345678',
    'TX-20241301',
    'TX-20090230',
    'TX-18990412',
  ])('accepts the opaque case reference %s', (ref) => {
    expect(CaseRef.safeParse(ref).error?.issues.map((i) => i.message) ?? []).toEqual([]);
  });

  it.each([
    // [reference, what the 400 must say]
    ['Maria_Garcia_04_12_2009', /name/],
    ['Maria_Garcia_04_12_2009', /date/],
    ['Garcia:2009:04:12', /date/],
    ['Garcia:2009:04:12', /name/],
    ['MariaGarcia20090412', /date/],
    ['MariaGarcia20090412', /name/],
    ['Jane-Doe-2009', /written like a name/],
    ['Maria.Garcia.1', /4 letters in a row/],
    ['Jane Doe', /no spaces/],
    ['JaneDoe', /name/],
    ['Doe-2010-04-12', /date/],
    ['jd04/12/2010', /date/],
    ['TX_2009_04_12', /date/],
    ['TX#04#12#2009', /date/],
    ['TX:4:12:09', /date/],
    ['CASE-20090412', /8 digits/],
    ['CASE-04122009', /8 digits/],
    ['TX-CPS-19991231', /8 digits/],
    ['20000229', /8 digits/],
    ['garcia2009', /4 letters in a row/],
    ['ROSA-LUNA-KIM-7', /8 letters/],
    ['JDoe-88812', /written like a name/],
    ['x'.repeat(60) + '12345', /name/],
  ])('refuses %s, saying why (%s)', (ref, why) => {
    const messages = CaseRef.safeParse(ref).error?.issues.map((i) => i.message) ?? [];
    expect(messages.some((m) => why.test(m)), messages.join(' | ')).toBe(true);
  });

  it('says why in the 400 the route handler raises for a case reference', () => {
    expect.assertions(2);
    try {
      parseOrThrow(YouthProfile, { ...valid, caseRef: 'Maria.Garcia.1' }, 'body', ['youth']);
    } catch (error) {
      expect((error as ValidationFailed).fields).toContainEqual({ path: 'youth.caseRef', message: expect.stringMatching(/must not contain a name/) });
      expect((error as ValidationFailed).message).toContain('youth.caseRef (must not contain a name');
    }
  });

  it('spots identifying keys by name, wherever they are', () => {
    expect(isIdentifyingKey('motherName')).toBe(true);
    expect(isIdentifyingKey('home_address')).toBe(true);
    expect(isIdentifyingKey('needs')).toBe(false);
    expect(isIdentifyingKey('caseRef')).toBe(false);
    expect(identifyingPaths({ a: [{ b: { phoneNumber: 1 } }] })).toEqual([['a', 0, 'b', 'phoneNumber']]);
  });

  it.each([
    'dob', 'DOB', 'dobDate', 'DOBDate', 'youthDoB', 'dob_date', 'ssn', 'ssn4', 'SSN_last4', 'ssnLast4', 'bday', 'bDay', 'BDay',
    'birthday', 'medicaidNo', 'medicaidId', 'MedicaidNumber', 'medicaid', 'passport', 'passportNo', 'license', 'licenseNumber',
    'licence_no', 'driversLicense', 'driverslicense', 'licensenumber', 'driverLicenceNumber', 'school', 'schoolName', 'schoolDistrict', 'currentSchool', 'street',
  ])('knows %s identifies a youth', (key) => {
    expect(isIdentifyingKey(key)).toBe(true);
    expect(problems({ ...valid, [key]: 'x' })).toContainEqual({ path: key, message: NOT_IDENTIFIABLE });
  });

  it.each([
    // Words that merely contain the letters of a short identifying word, and ZIPs (a ZIP is no
    // finer than the youth's location, which the profile takes).
    'adobe', 'doberman', 'bedObject', 'holdObligation', 'classNumber', 'accessNotes', 'processNeeds', 'lessons',
    'jobDays', 'subDay', 'licensed', 'unlicensedOk', 'zip', 'homeZip', 'stayNearZip', 'zipCode',
  ])('does not take %s for an identifying key', (key) => {
    expect(isIdentifyingKey(key)).toBe(false);
  });

  it('takes none of the youth profile\'s, the match options\' or the referral body\'s own keys for identifying', () => {
    const keys = [...schemaKeys(MatchRequestBody), ...schemaKeys(CreateReferralBody)];
    // The walk reaches every nested shape (so the check below is not vacuous).
    expect(keys).toEqual(expect.arrayContaining([
      'caseRef', 'custodyState', 'mentalHealthLevel', 'runRisk', 'behaviors', 'languages', 'keepAway', 'radiusMiles', 'zip', 'lat',
      'maxDistanceMiles', 'placementTypes', 'stayNearZip', 'limit', 'includeFull', 'explainExcluded', 'excludedLimit',
      'placementId', 'matchId', 'note',
    ]));
    expect(keys.filter((k) => isIdentifyingKey(k))).toEqual([]);
  });
});

/** Every object key anywhere in a zod schema (through optional, default, pipe, array, union…). */
function schemaKeys(schema: z.ZodType, seen = new Set<unknown>()): string[] {
  if (seen.has(schema)) return [];
  seen.add(schema);
  const def = (schema as unknown as { _zod: { def: Record<string, unknown> } })._zod.def;
  const inner = (s: unknown) => (s ? schemaKeys(s as z.ZodType, seen) : []);
  switch (def.type) {
    case 'object': {
      const shape = def.shape as Record<string, z.ZodType>;
      return Object.entries(shape).flatMap(([key, s]) => [key, ...inner(s)]);
    }
    case 'pipe':
      return [...inner(def.in), ...inner(def.out)];
    case 'array':
      return inner(def.element);
    case 'union':
      return (def.options as z.ZodType[]).flatMap(inner);
    default:
      return inner(def.innerType);
  }
}

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
