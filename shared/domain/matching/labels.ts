import type {
  Exclusion,
  Gender,
  PlacementType,
  SecurityLevel,
  ServiceCategory,
  TraumaModel,
  YouthNeed,
} from '../../schemas/vocabulary';

/** The words a caseworker would say aloud for each code, used by every explanation. */

export { LANGUAGE_NAMES } from '../../schemas/vocabulary';


export const GENDER_NAMES: Record<Gender, string> = {
  female: 'girls', male: 'boys', transgender_female: 'transgender girls', transgender_male: 'transgender boys', nonbinary: 'nonbinary youth',
};

export const PLACEMENT_TYPE_NAMES: Record<PlacementType, string> = {
  emergency_shelter: 'emergency shelter', foster_home: 'foster home', therapeutic_foster_care: 'therapeutic foster care',
  group_home: 'group home', residential_treatment: 'residential treatment', transitional_living: 'transitional living',
  host_home: 'host home',
};

export const SECURITY_NAMES: Record<SecurityLevel, string> = { open: 'open', staff_secure: 'staff-secure', secure: 'secure' };

export const EXCLUSION_NAMES: Record<Exclusion, string> = {
  fire_setting: 'fire-setting', sexual_harm_to_others: 'sexual harm to others', violence: 'violence',
  active_psychosis: 'active psychosis', complex_medical: 'complex medical needs',
};

export const TRAUMA_MODEL_NAMES: Record<TraumaModel, string> = {
  tf_cbt: 'TF-CBT', tbri: 'TBRI', sanctuary: 'Sanctuary', arc: 'ARC', seeking_safety: 'Seeking Safety', my_life_my_choice: 'My Life My Choice',
};

/** What is missing when a need is not covered: "no substance-use program on site". */
export const NEED_NAMES: Record<YouthNeed, string> = {
  csec_confirmed: 'CSEC-specialised care', csec_at_risk: 'CSEC-prevention care', labor_trafficking: 'labor-trafficking care',
  substance_use: 'substance-use program', mental_health: 'mental-health care', pregnant: 'prenatal support',
  parenting: 'parenting support', lgbtq_affirming: 'LGBTQ+-affirming home', developmental_disability: 'developmental-disability support',
  medical: 'medical care', education: 'education program',
};

export const SERVICE_CATEGORY_NAMES: Record<ServiceCategory, string> = {
  csec_counseling: 'CSEC counseling', survivor_mentoring: 'survivor mentoring', trauma_therapy: 'trauma therapy',
  substance_use_treatment: 'substance-use treatment', mental_health: 'mental-health care', medical: 'medical care',
  legal_advocacy: 'legal advocacy', education: 'education program', family_therapy: 'family therapy', case_management: 'case management',
};

/** "2 beds", "1 bed". */
export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** A list a person would say: "a, b and c", or with `or`: "a, b or c". */
export function spokenList(items: readonly string[], conjunction: 'and' | 'or' = 'and'): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} ${conjunction} ${items[items.length - 1]}`;
}

/** The number `miles` says for a distance: whole miles, or one decimal below ten. */
export function shownMiles(d: number): number {
  return d < 10 ? Math.round(d * 10) / 10 : Math.round(d);
}

/** Whole miles, or one decimal below ten: "212 miles", "6.4 miles", "1 mile", "under 0.1 miles". */
export function miles(d: number): string {
  if (d < 0.05) return 'under 0.1 miles';
  const rounded = shownMiles(d);
  return `${rounded} ${rounded === 1 ? 'mile' : 'miles'}`;
}

/** "40 minutes ago", "3 hours ago", "2 days ago". */
export function ago(iso: string, now: Date): string {
  const minutes = Math.max(0, Math.round((now.getTime() - Date.parse(iso)) / 60_000));
  if (minutes < 1) return 'just now';
  if (minutes < 90) return `${plural(minutes, 'minute')} ago`;
  const hours = Math.round(minutes / 60);
  if (hours < 36) return `${plural(hours, 'hour')} ago`;
  return `${plural(Math.round(hours / 24), 'day')} ago`;
}

/** "15:00 UTC" today, "15:00 UTC on 22 Nov" another day; plus "(in 3 hours)", "(in under a minute)". */
export function clockTime(iso: string, now: Date): string {
  const t = new Date(iso);
  const hhmm = t.toISOString().slice(11, 16);
  const sameDay = t.toISOString().slice(0, 10) === now.toISOString().slice(0, 10);
  const day = sameDay ? '' : ` on ${t.getUTCDate()} ${t.toLocaleString('en-US', { month: 'short', timeZone: 'UTC' })}`;
  const ms = t.getTime() - now.getTime();
  // Checked before rounding: 40 seconds away would round to "1 minute", 20 seconds to "0 minutes".
  if (ms < 60_000) return `${hhmm} UTC${day} (in under a minute)`;
  const minutes = Math.round(ms / 60_000);
  const inText = minutes < 90 ? plural(minutes, 'minute') : plural(Math.round(minutes / 60), 'hour');
  return `${hhmm} UTC${day} (in ${inText})`;
}
