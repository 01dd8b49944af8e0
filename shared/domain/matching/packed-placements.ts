import type { Placement } from '../../schemas/directory';
import { lastReportedAt } from '../capacity';
import { EXCLUSIONS, GENDERS, MENTAL_HEALTH_LEVELS, PLACEMENT_TYPES, SPECIALIZATIONS, STATES } from '../../schemas/vocabulary';

/**
 * The candidates' traits that the matcher's loop reads, packed into columns of numbers once, when
 * the placements have been read (`placementsForMatch`): the loop over 100k candidates then reads
 * a few typed arrays instead of ten objects per placement (the placement, its location,
 * population, genders, capacity, holds, licence, specialisations, …), which is where its time
 * went. The placements themselves stay beside the columns for what
 * reads them rarely: the holds of a placement with a free bed once one has lapsed, a count's time
 * not written canonically, the languages and exact score of the few candidates scored exactly,
 * and everything said about the few returned or explained.
 *
 * Nothing here depends on the youth: the rules and scores compiled for a youth read the columns
 * (`compileRulesOnPacked` in hard-rules.ts, the care and run-risk keys in scores.ts), and a
 * property test checks they give exactly what the named functions give on the objects.
 *
 * A placement with a value the columns cannot hold (a word outside the vocabulary, an age beyond
 * a byte, a licence date not written `YYYY-MM-DD`, a state outside `STATES`) is marked
 * `IRREGULAR`, and its rules and care are then read from the object: the schemas keep such values
 * out, but a card written by older code must still be ranked exactly, not misread.
 */
export const PACKED = {
  INACTIVE: 1 << 0,
  /** A bed is free and the holds map has at least one entry (see `holds`). */
  HAS_HOLDS: 1 << 1,
  ACCEPTS_OUT_OF_STATE: 1 << 2,
  ACCEPTS_PREGNANT: 1 << 3,
  ACCEPTS_PARENTING: 1 << 4,
  RUN_PREVENTION: 1 << 5,
  IRREGULAR: 1 << 6,
  /** 2 bits: 0 open, 1 staff-secure, 2 anything else (as `runRiskScore` reads it). */
  SECURITY_SHIFT: 8,
  /** One bit per `GENDERS` word served. */
  GENDERS_SHIFT: 12,
  /** 3 bits: the index of the type in `PLACEMENT_TYPES`. */
  TYPE_SHIFT: 20,
} as const;

// The fields above and in `CARE` hold these vocabularies as they are: a bit per word (genders,
// specialisations, exclusions) or a word's index (the type, 3 bits; the mental-health level, 3
// bits with one value for a word outside it). A vocabulary that outgrew its field would be
// misread, so it stops the process at load instead.
for (const [name, words, most] of [
  ['GENDERS', GENDERS, PACKED.TYPE_SHIFT - PACKED.GENDERS_SHIFT],
  ['SPECIALIZATIONS', SPECIALIZATIONS, 8],
  ['EXCLUSIONS', EXCLUSIONS, 8],
  ['PLACEMENT_TYPES', PLACEMENT_TYPES, 8],
  ['MENTAL_HEALTH_LEVELS', MENTAL_HEALTH_LEVELS, 7],
] as const) {
  if (words.length > most) throw new Error(`packed-placements: ${name} has ${words.length} words; its packed field holds ${most}`);
}

/** In `care`: one bit per `SPECIALIZATIONS` word (8), then the trauma models counted up to 2, then the mental-health level's rank. */
export const CARE = {
  MODELS_SHIFT: 8,
  /** 3 bits: the index of the level in `MENTAL_HEALTH_LEVELS` (absent is `none`), or their count for any other word. */
  LEVEL_SHIFT: 10,
} as const;

const MAX_PACKED_AGE = 255;

/** Index of `word` in `vocabulary`, or -1: a loop over a few words is cheaper than hashing one. */
function indexIn(vocabulary: readonly string[], word: unknown): number {
  for (let i = 0; i < vocabulary.length; i++) if (vocabulary[i] === word) return i;
  return -1;
}

/** The bits of `words` in `vocabulary`, or -1 when a word is not in it. */
function bitsOf(vocabulary: readonly string[], words: unknown): number {
  if (!Array.isArray(words)) return -1;
  let bits = 0;
  for (let i = 0; i < words.length; i++) {
    const at = indexIn(vocabulary, words[i]);
    if (at < 0) return -1;
    bits |= 1 << at;
  }
  return bits;
}

const isByte = (n: unknown): n is number => typeof n === 'number' && Number.isInteger(n) && n >= 0 && n <= MAX_PACKED_AGE;

/** `YYYY-MM-DD` as the number YYYYMMDD (ordered as the strings are), or -1 for any other text. */
export function dayNumber(date: unknown): number {
  if (typeof date !== 'string' || date.length !== 10 || date.charCodeAt(4) !== 45 || date.charCodeAt(7) !== 45) return -1;
  let n = 0;
  for (let i = 0; i < 10; i++) {
    if (i === 4 || i === 7) continue;
    const digit = date.charCodeAt(i) - 48;
    if (digit < 0 || digit > 9) return -1;
    n = n * 10 + digit;
  }
  return n;
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
const digitsAt = (s: string, from: number, count: number): number => {
  let n = 0;
  for (let i = from; i < from + count; i++) {
    const digit = s.charCodeAt(i) - 48;
    if (digit < 0 || digit > 9) return NaN;
    n = n * 10 + digit;
  }
  return n;
};

/**
 * A canonical `Date.toISOString()` time (`2026-11-21T12:00:00.000Z`) in milliseconds, or NaN for
 * anything else. Only a valid date and time of years 100–9999 is read, so that comparing the
 * numbers always answers as comparing the strings does (which is how freshness and holds are
 * judged on the objects); anything else is left to the object.
 */
export function isoMs(s: unknown): number {
  if (typeof s !== 'string' || s.length !== 24 || s.charCodeAt(4) !== 45 || s.charCodeAt(7) !== 45 || s.charCodeAt(10) !== 84) return NaN;
  if (s.charCodeAt(13) !== 58 || s.charCodeAt(16) !== 58 || s.charCodeAt(19) !== 46 || s.charCodeAt(23) !== 90) return NaN;
  const year = digitsAt(s, 0, 4);
  const month = digitsAt(s, 5, 2);
  const day = digitsAt(s, 8, 2);
  const hour = digitsAt(s, 11, 2);
  const minute = digitsAt(s, 14, 2);
  const second = digitsAt(s, 17, 2);
  const ms = digitsAt(s, 20, 3);
  if (!(year >= 100 && month >= 1 && month <= 12 && day >= 1 && hour <= 23 && minute <= 59 && second <= 59 && ms >= 0)) return NaN;
  const leap = month === 2 && year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  if (day > DAYS_IN_MONTH[month - 1]! + (leap ? 1 : 0)) return NaN;
  return daysFromCivil(year, month, day) * 86_400_000 + ((hour * 60 + minute) * 60 + second) * 1000 + ms;
}

/**
 * Days from 1970-01-01 to a date of the proleptic Gregorian calendar (H. Hinnant's
 * `days_from_civil`), in integer arithmetic: what `Date.UTC` gives, at a fraction of its cost.
 */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146_097 + dayOfEra - 719_468;
}

/** Each state's number in the `state` column: its place in `STATES`, the same for every pack and every process. */
const STATE_CODES: ReadonlyMap<unknown, number> = new Map(STATES.map((state, i) => [state, i]));

/** The number `PackedPlacements.state` holds for placements in `state`, or -1 for a word outside `STATES` (no packed placement holds it). */
export function packedStateCode(state: unknown): number {
  return STATE_CODES.get(state) ?? -1;
}

/** Written out as one literal: an object built key by key can end up a hash table, slow to read in the packing loop. */
function newColumns(n: number) {
  return {
    lat: new Float64Array(n),
    lon: new Float64Array(n),
    free: new Float64Array(n),
    flags: new Uint32Array(n),
    minAge: new Uint8Array(n),
    maxAge: new Uint8Array(n),
    state: new Uint8Array(n),
    licenceExpires: new Int32Array(n),
    exclusions: new Uint8Array(n),
    care: new Uint16Array(n),
    reportedAt: new Float64Array(n),
    holds: new Int32Array(n),
    firstHoldLapse: new Float64Array(n),
  };
}
type Columns = ReturnType<typeof newColumns>;

/** The names of the columns, for what handles them all alike (tests comparing packs). */
export const PACKED_COLUMNS = Object.keys(newColumns(0)) as readonly (keyof Columns)[];

export class PackedPlacements {
  readonly size: number;
  readonly lat!: Float64Array;
  readonly lon!: Float64Array;
  /** Total beds less occupied ones (holds not counted: see `holds`). */
  readonly free!: Float64Array;
  /** `PACKED` bits. */
  readonly flags!: Uint32Array;
  readonly minAge!: Uint8Array;
  readonly maxAge!: Uint8Array;
  /** The placement's state, numbered (`packedStateCode`). */
  readonly state!: Uint8Array;
  /** The licence's expiry as YYYYMMDD. */
  readonly licenceExpires!: Int32Array;
  /** One bit per `EXCLUSIONS` word. */
  readonly exclusions!: Uint8Array;
  /** `CARE` bits. */
  readonly care!: Uint16Array;
  /**
   * When the count was last updated or confirmed (`lastReportedAt`), in ms: -Infinity when never,
   * NaN when the time is not canonical (freshness is then read from the object).
   */
  readonly reportedAt!: Float64Array;
  /** How many holds the placement has (in force or not), when a bed is free; else 0, as no hold can open a bed. */
  readonly holds!: Int32Array;
  /** The earliest expiry of those holds, in ms (Infinity with none; NaN when one is not canonical). */
  readonly firstHoldLapse!: Float64Array;

  private constructor(
    readonly placements: readonly Placement[],
    columns: Columns,
  ) {
    this.size = placements.length;
    Object.assign(this, columns);
  }

  static of(placements: readonly Placement[]): PackedPlacements {
    const columns = newColumns(placements.length);
    for (let i = 0; i < placements.length; i++) packInto(columns, i, placements[i]!);
    return new PackedPlacements(placements, columns);
  }
}

function packInto(c: Columns, i: number, p: Placement): void {
  const { capacity, location, population } = p;
  c.lat[i] = location.lat;
  c.lon[i] = location.lon;
  const free = capacity.total - capacity.occupied;
  c.free[i] = free;
  const reported = lastReportedAt(capacity);
  c.reportedAt[i] = reported ? isoMs(reported) : -Infinity;

  let flags = 0;
  if (p.active === false) flags |= PACKED.INACTIVE;
  // With no bed free no hold can open one (availableBeds): the holds are read only when one is.
  const holds = free > 0 ? capacity.holds : undefined;
  let holdCount = 0;
  let firstLapse = Infinity;
  let unreadLapse = false;
  if (holds) {
    for (const id in holds) {
      holdCount++;
      const lapse = isoMs(holds[id]);
      if (lapse !== lapse) unreadLapse = true;
      else if (lapse < firstLapse) firstLapse = lapse;
    }
  }
  if (holdCount > 0) flags |= PACKED.HAS_HOLDS;
  c.holds[i] = holdCount;
  c.firstHoldLapse[i] = unreadLapse ? NaN : firstLapse;
  if (p.acceptsOutOfState) flags |= PACKED.ACCEPTS_OUT_OF_STATE;
  if (population.acceptsPregnant) flags |= PACKED.ACCEPTS_PREGNANT;
  if (population.acceptsParenting) flags |= PACKED.ACCEPTS_PARENTING;
  if (p.runPrevention === true) flags |= PACKED.RUN_PREVENTION;
  flags |= (p.security === 'open' ? 0 : p.security === 'staff_secure' ? 1 : 2) << PACKED.SECURITY_SHIFT;

  const genders = bitsOf(GENDERS, population.genders);
  const type = indexIn(PLACEMENT_TYPES, p.type);
  const exclusions = p.exclusions ? bitsOf(EXCLUSIONS, p.exclusions) : 0;
  const specializations = p.specializations ? bitsOf(SPECIALIZATIONS, p.specializations) : 0;
  const expires = dayNumber(p.license.expires);
  const state = packedStateCode(location.state);
  const { minAge, maxAge } = population;
  if (!(genders >= 0 && type >= 0 && exclusions >= 0 && specializations >= 0 && expires >= 0 && state >= 0 && isByte(minAge) && isByte(maxAge))) {
    c.flags[i] = flags | PACKED.IRREGULAR;
    return;
  }
  c.flags[i] = flags | (genders << PACKED.GENDERS_SHIFT) | (type << PACKED.TYPE_SHIFT);
  c.state[i] = state;
  c.minAge[i] = minAge;
  c.maxAge[i] = maxAge;
  c.licenceExpires[i] = expires;
  c.exclusions[i] = exclusions;
  // As compileCareTraitKey counts them.
  const models = p.traumaModels ? Math.min(2, p.traumaModels.length) : 0;
  let level = indexIn(MENTAL_HEALTH_LEVELS, p.mentalHealthLevel ?? 'none');
  if (level < 0) level = MENTAL_HEALTH_LEVELS.length;
  c.care[i] = specializations | (models << CARE.MODELS_SHIFT) | (level << CARE.LEVEL_SHIFT);
}
