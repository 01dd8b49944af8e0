import { z } from 'zod';
import { Age, Lat, LanguageCode, Lon, StateCode, Zip, setOf } from '../../schemas/common';
import { EXCLUSIONS, GENDERS, MENTAL_HEALTH_LEVELS, PLACEMENT_TYPES, RUN_RISKS, YOUTH_NEEDS } from '../../schemas/vocabulary';
import type { Point } from '../geo';
import { lookupZip } from '../zip-codes';
import { nearestZipPlace } from './zip-state';

/**
 * The youth profile of `POST /matches` and `POST /referrals` (API.md): what a youth needs, never
 * who they are. Harbor keeps minors' trafficking histories, so the profile is strict twice over:
 * unknown fields are refused like everywhere else, and anything that looks like it identifies the
 * youth is refused first, with a message saying why, wherever it sits in the object.
 */

/** Shown with every field refused as identifying; the 400's message carries it. */
export const NOT_IDENTIFIABLE =
  'the youth must not be identifiable: remove names, birth dates, addresses and contact details (Harbor never stores who a youth is)';

/**
 * Key names (lower-cased, letters and digits only) that identify a person as the whole key and
 * that neither list below catches: the all-lower-case spellings (`driverslicense`,
 * `licensenumber`) have no word breaks for IDENTIFYING_WORDS to find.
 */
const IDENTIFYING_KEYS = new Set([
  'street', 'mobile', 'cell', 'cellphone', 'telephone', 'photo', 'initials',
  'driverslicense', 'driverlicense', 'licensenumber', 'licencenumber',
]);
/**
 * Fragments that make a key identifying wherever they appear, even inside a word: `motherName`,
 * `home_address`, `birthDate`, `birthday`, `medicaidNo`, `passportNo`, `schoolName`, `preschool`.
 * An innocent word seldom holds one (`tournament` holds "name"); no key of the schemas does, and
 * a test checks that. `zip` is deliberately absent: a ZIP is no finer than the youth's
 * `location`, which the profile takes (`stayNearZip` too).
 */
const IDENTIFYING_FRAGMENTS = ['name', 'birth', 'address', 'phone', 'email', 'socialsecurity', 'medicaid', 'passport', 'school'];
/**
 * Short words that identify only as whole words of the key (split at case changes, digits and
 * punctuation): `dob`, `dobDate`, `youthDoB`, `ssn4`, `SSN_last4`, `bDay`, `licenseNumber`,
 * `driversLicence`. As bare fragments they would catch innocent keys: `bedObject` holds "dob",
 * `classNumber` and `accessNotes` hold "ssn", `jobDays` holds "bday", `licensed` holds "license".
 * A licence a youth holds is a driver's licence or ID card, and its number identifies them.
 */
const IDENTIFYING_WORDS = new Set(['dob', 'ssn', 'bday', 'license', 'licence']);
const LONGEST_IDENTIFYING_WORD = Math.max(...[...IDENTIFYING_WORDS].map((w) => w.length));

/** A key's words, lower-cased: `dobDate` → dob, date; `SSN_last4` → ssn, last, 4; `DoB` → do, b. */
function keyWords(key: string): string[] {
  return (key.match(/[A-Z]+(?![a-z])|[A-Z]?[a-z]+|\d+/g) ?? []).map((w) => w.toLowerCase());
}

/** Whether a field name would carry identifying details (name, birth date, address, SSN, IDs, school, contact). */
export function isIdentifyingKey(key: string): boolean {
  const k = key.toLowerCase().replace(/[^a-z0-9]/g, '');
  if (IDENTIFYING_KEYS.has(k)) return true;
  if (IDENTIFYING_FRAGMENTS.some((f) => k.includes(f))) return true;
  // A word may be split by odd casing (`DoB`, `BDay`): runs of consecutive words count as one.
  const words = keyWords(key);
  return words.some((_, i) => {
    let run = '';
    for (const w of words.slice(i)) {
      run += w;
      if (IDENTIFYING_WORDS.has(run)) return true;
      if (run.length >= LONGEST_IDENTIFYING_WORD) return false;
    }
    return false;
  });
}

/** Paths of every identifying key anywhere under `value` (objects and arrays, any depth). */
export function identifyingPaths(value: unknown, path: (string | number)[] = [], depth = 0): (string | number)[][] {
  // Depth is bounded so a hostile, deeply nested body cannot blow the stack; the strict schema
  // refuses anything nested this deep anyway.
  if (depth > 8 || value === null || typeof value !== 'object') return [];
  if (Array.isArray(value)) return value.flatMap((v, i) => identifyingPaths(v, [...path, i], depth + 1));
  return Object.entries(value as Record<string, unknown>).flatMap(([key, v]) => [
    ...(isIdentifyingKey(key) ? [[...path, key]] : []),
    ...identifyingPaths(v, [...path, key], depth + 1),
  ]);
}

/**
 * A date written with separators — 2009-04-12, 04/12/2009, 4.12.09, 04_12_2009, 2009:04:12,
 * 04#12#2009, or mixed: in a case reference it is most often a birth date. Any three digit
 * groups shaped like a date are refused, calendar-valid or not (an SSN-shaped 123-45-6789 too).
 */
const SEPARATED_DATE = /(\d{4}[._:#/-]\d{1,2}[._:#/-]\d{1,2})|(\d{1,2}[._:#/-]\d{1,2}[._:#/-]\d{2,4})/;

/** Exactly eight digits, with no digit either side. */
const EIGHT_DIGITS = /(?<!\d)\d{8}(?!\d)/g;

function isCalendarDate(year: number, month: number, day: number): boolean {
  if (year < 1900 || year > 2099 || month < 1 || month > 12 || day < 1) return false;
  return day <= new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/**
 * Whether `ref` holds a date written without separators: a run of exactly 8 digits, bounded by
 * non-digits, that reads as YYYYMMDD or MMDDYYYY with a 19xx/20xx year and a real month and day
 * (20090412, 04122009; not 20090230 nor 20241301). Agencies' opaque numbers are full of digit
 * runs, so a longer or shorter run (200904121, 0042117) is theirs whatever it contains, and so
 * is an 8-digit run that is no calendar date; about 1 in 700 random 8-digit numbers does read as
 * one and is refused — the cost of catching a birth date typed as digits.
 */
function hasCompactDate(ref: string): boolean {
  return [...ref.matchAll(EIGHT_DIGITS)].some(([run]) => {
    const n = (from: number, to: number) => Number(run.slice(from, to));
    return isCalendarDate(n(0, 4), n(4, 6), n(6, 8)) || isCalendarDate(n(4, 8), n(0, 2), n(2, 4));
  });
}

/**
 * Why `ref` reads as a name, or undefined. Agencies put short codes before their numbers
 * (CASE-123, TX-CPS-2024-001234, DFPS-88812, NYC-ACS-123456, A1B2C3); names are longer, or
 * written like names. So: at most 4 letters in a row (Maria, Garcia are refused), at most 8
 * letters in all (ROSA-LUNA-KIM-7), and no capital followed by lower case (Jane-Doe-2009, JDoe):
 * codes are written all in capitals or all in lower case. A short name written all in capitals
 * or all in lower case (DOE-2009, doe-2009) cannot be told from a code (CPS-2009) by its letters
 * and passes; the case reference never reaches a provider in any case (docs/referrals.md).
 */
function nameProblem(ref: string): string | undefined {
  if (/[A-Za-z]{5,}/.test(ref)) return 'must not contain a name: at most 4 letters in a row (an agency code such as CPS or DFPS), the rest digits';
  if ((ref.match(/[A-Za-z]/g) ?? []).length > 8) return 'must not contain a name: at most 8 letters in all (agency codes such as TX-CPS), the rest digits';
  if (/[A-Z][a-z]/.test(ref)) return 'must not contain a name: letters are written like a name (a capital, then lower case: Jane, Doe); write agency codes in capitals';
  return undefined;
}

/**
 * The agency's opaque case reference: 3–64 letters, digits and `. _ : # / -`, no spaces. It must
 * carry the agency's number (digits), no name (nameProblem: at most 4 letters in a row and 8 in
 * all, none written like a name) and no date (SEPARATED_DATE with any of the punctuation as
 * separator, or an 8-digit run that is a calendar date: hasCompactDate) — a name or a birth date
 * would identify the youth. Each refusal's message says which rule it broke; the value itself
 * is never echoed.
 */
export const CaseRef = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._:#/-]{2,63}$/, 'must be the agency\'s opaque case reference: 3–64 letters, digits and . _ : # / -, no spaces')
  .refine((s) => /\d/.test(s), 'must contain the agency\'s case number (digits), never a name')
  .superRefine((s, ctx) => {
    const name = nameProblem(s);
    if (name) ctx.addIssue({ code: 'custom', message: name });
  })
  .refine((s) => !SEPARATED_DATE.test(s), 'must not contain a date (a birth date would identify the youth)')
  .refine((s) => !hasCompactDate(s), 'must not contain a date written as 8 digits (YYYYMMDD or MMDDYYYY): a birth date would identify the youth');

/** Where the youth is now: a 5-digit ZIP, or coordinates. Never a street address. */
export const YouthLocation = z
  .strictObject({ zip: Zip.optional(), lat: Lat.optional(), lon: Lon.optional() })
  .superRefine((loc, ctx) => {
    const hasZip = loc.zip !== undefined;
    const hasLat = loc.lat !== undefined;
    const hasLon = loc.lon !== undefined;
    if (hasZip && (hasLat || hasLon)) {
      ctx.addIssue({ code: 'custom', message: 'give either a ZIP or lat and lon, not both', path: ['zip'] });
    } else if (!hasZip && !(hasLat && hasLon)) {
      ctx.addIssue({ code: 'custom', message: 'give a 5-digit ZIP, or both lat and lon', path: hasLat ? ['lon'] : hasLon ? ['lat'] : ['zip'] });
    } else if (hasZip && !lookupZip(loc.zip!)) {
      ctx.addIssue({ code: 'custom', message: 'is not a US ZIP code Harbor knows', path: ['zip'] });
    }
  });

/** An area to keep the youth away from (an exploiter's known area): a point and a radius. */
export const KeepAwayArea = z
  .strictObject({
    lat: Lat.optional(),
    lon: Lon.optional(),
    zip: Zip.optional(),
    radiusMiles: z.number().positive().max(500),
  })
  .superRefine((a, ctx) => {
    const point = a.lat !== undefined && a.lon !== undefined;
    if (point === (a.zip !== undefined) || (a.lat === undefined) !== (a.lon === undefined)) {
      ctx.addIssue({ code: 'custom', message: 'give lat and lon, or a ZIP, for the centre of the area', path: ['lat'] });
    } else if (a.zip !== undefined && !lookupZip(a.zip)) {
      ctx.addIssue({ code: 'custom', message: 'is not a US ZIP code Harbor knows', path: ['zip'] });
    }
  });

export const YouthPreferences = z.strictObject({
  /** The furthest a placement may be from the youth; the policy's default applies when absent. */
  maxDistanceMiles: z.number().positive().max(3000).optional(),
  /** Only these placement types are acceptable. */
  placementTypes: setOf(z.enum(PLACEMENT_TYPES), PLACEMENT_TYPES.length).min(1).optional(),
  /** Stay near this ZIP (the youth's school, or kin): distance is scored from here. */
  stayNearZip: Zip.refine((z) => lookupZip(z) !== undefined, 'is not a US ZIP code Harbor knows').optional(),
});

const YouthFields = z.strictObject({
  caseRef: CaseRef.optional(),
  age: Age,
  gender: z.enum(GENDERS),
  location: YouthLocation,
  /** The state with custody of the youth; defaults to the state of `location`. */
  custodyState: StateCode.optional(),
  needs: setOf(z.enum(YOUTH_NEEDS), YOUTH_NEEDS.length).default([]),
  /** With the `mental_health` need: the level of care the youth needs (outpatient when absent). */
  mentalHealthLevel: z.enum(MENTAL_HEALTH_LEVELS).exclude(['none']).optional(),
  /** Absent when not assessed: run risk then neither helps nor hurts any placement. */
  runRisk: z.enum(RUN_RISKS).optional(),
  /** Languages the youth speaks, the one they are most at home in first. */
  languages: setOf(LanguageCode, 13).default([]),
  behaviors: setOf(z.enum(EXCLUSIONS), EXCLUSIONS.length).default([]),
  keepAway: z.array(KeepAwayArea).max(20).default([]),
  preferences: YouthPreferences.default({}),
});

/**
 * The youth profile schema. Identifying fields are refused before the strict parse so the client
 * hears "must not be identifiable" rather than a bare "unknown field".
 */
export const YouthProfile = z
  .unknown()
  .superRefine((value, ctx) => {
    for (const path of identifyingPaths(value)) ctx.addIssue({ code: 'custom', message: NOT_IDENTIFIABLE, path });
  })
  .pipe(YouthFields);
export type YouthProfile = z.infer<typeof YouthFields>;

export interface KeepAwayCircle extends Point {
  radiusMiles: number;
}

/** The profile with its places resolved to coordinates, as the matching stages use it. */
export interface ResolvedYouth {
  profile: YouthProfile;
  /** Where the youth is: the search centre. */
  point: Point;
  /** The state with custody: the out-of-state rule compares placements' states with it. */
  state: string;
  /** Where distance is scored from when the youth should stay near a school or kin. */
  stayNear?: Point;
  keepAway: KeepAwayCircle[];
}

function zipPoint(zip: string): Point & { state: string } {
  const place = lookupZip(zip);
  // The schema refuses unknown ZIPs, so reaching here with one is a programming error.
  if (!place) throw new Error(`ZIP ${zip} did not resolve after validation`);
  return { lat: place.lat, lon: place.lon, state: place.state };
}

/** Resolves ZIPs to coordinates and the custody state (given, or the state the youth is in). */
export function resolveYouth(profile: YouthProfile): ResolvedYouth {
  const loc = profile.location;
  const here = loc.zip !== undefined ? zipPoint(loc.zip) : { lat: loc.lat!, lon: loc.lon!, state: nearestZipPlace({ lat: loc.lat!, lon: loc.lon! })?.state ?? '' };
  const resolved: ResolvedYouth = {
    profile,
    point: { lat: here.lat, lon: here.lon },
    state: profile.custodyState ?? here.state,
    keepAway: profile.keepAway.map((a) => {
      const centre = a.zip !== undefined ? zipPoint(a.zip) : { lat: a.lat!, lon: a.lon! };
      return { lat: centre.lat, lon: centre.lon, radiusMiles: a.radiusMiles };
    }),
  };
  if (profile.preferences.stayNearZip) {
    const p = zipPoint(profile.preferences.stayNearZip);
    resolved.stayNear = { lat: p.lat, lon: p.lon };
  }
  return resolved;
}
