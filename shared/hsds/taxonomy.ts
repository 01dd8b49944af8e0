/**
 * Harbor's controlled vocabularies as one HSDS taxonomy. HSDS 3.0 has no field for a placement's
 * type, security level, specialisations, who it accepts, etc.; it has `attributes`, each linking a
 * record to a taxonomy term (with an optional `value`). Harbor exports every vocabulary value it
 * holds as such an attribute, under its own taxonomy, and reads them back on import.
 *
 * Two kinds of term:
 * - enumerated: a facet (`placement_type`) is a parent term; each value is a child term whose code
 *   is `facet:value` (`placement_type:group_home`). The attribute carries no value.
 * - valued: one term per field (`license_expires`); the attribute's `value` carries the field
 *   (`"2027-08-30"`). Repeated for lists (`state_served` once per state).
 *
 * Term and taxonomy ids are derived from the codes (shared/hsds/ids.ts), so they never change.
 */
import type { Gender } from '../schemas/vocabulary';
import {
  EXCLUSIONS,
  GENDERS,
  MENTAL_HEALTH_LEVELS,
  MODALITIES,
  PLACEMENT_TYPES,
  SECURITY_LEVELS,
  SERVICE_CATEGORIES,
  SPECIALIZATIONS,
  TRAUMA_MODELS,
} from '../schemas/vocabulary';
import { hsdsId } from './ids';
import type { HsdsAttribute, HsdsTaxonomy, HsdsTaxonomyTerm } from './types';

export const HARBOR_TAXONOMY: HsdsTaxonomy = {
  id: hsdsId('taxonomy', 'harbor-directory'),
  name: 'Harbor directory vocabulary',
  description:
    "Harbor's controlled vocabularies for specialised placements and services for youth in foster care at risk of or surviving trafficking: placement types, service categories, specialisations, security, populations accepted, intake and licensing.",
  uri: 'urn:harbor:hsds:taxonomy:directory',
  version: '1',
};

interface Facet {
  name: string;
  description: string;
  values: Record<string, string>;
}

const labels = <T extends string>(values: readonly T[], label: Record<T, string>) =>
  Object.fromEntries(values.map((v) => [v, label[v]])) as Record<T, string>;

export const GENDER_LABELS: Record<Gender, string> = {
  female: 'Girls and young women',
  male: 'Boys and young men',
  transgender_female: 'Transgender girls and young women',
  transgender_male: 'Transgender boys and young men',
  nonbinary: 'Nonbinary youth',
};

/** Enumerated facets: every value Harbor's vocabularies allow, with a label a 211 can show. */
export const FACETS = {
  placement_type: {
    name: 'Placement type',
    description: 'The kind of placement (a program with beds).',
    values: labels(PLACEMENT_TYPES, {
      emergency_shelter: 'Emergency shelter',
      foster_home: 'Foster home',
      therapeutic_foster_care: 'Therapeutic foster care',
      group_home: 'Group home',
      residential_treatment: 'Residential treatment',
      transitional_living: 'Transitional living',
      host_home: 'Host home',
    }),
  },
  service_category: {
    name: 'Service category',
    description: 'The kind of service (a program without beds).',
    values: labels(SERVICE_CATEGORIES, {
      csec_counseling: 'CSEC counseling',
      survivor_mentoring: 'Survivor mentoring',
      trauma_therapy: 'Trauma therapy',
      substance_use_treatment: 'Substance-use treatment',
      mental_health: 'Mental health',
      medical: 'Medical care',
      legal_advocacy: 'Legal advocacy',
      education: 'Education (GED, credit recovery)',
      family_therapy: 'Family therapy',
      case_management: 'Case management',
    }),
  },
  specialization: {
    name: 'Specialisation',
    description: 'What a placement specialises in.',
    values: labels(SPECIALIZATIONS, {
      csec: 'CSEC-specialised (commercial sexual exploitation of children)',
      trauma_informed: 'Trauma-informed care',
      lgbtq_affirming: 'LGBTQ+-affirming',
      substance_use: 'Substance use',
      mental_health: 'Mental health',
      developmental_disability: 'Developmental disability',
      pregnant_parenting: 'Pregnant and parenting youth',
      survivor_mentor: 'Survivor mentors on staff',
    }),
  },
  trauma_model: {
    name: 'Trauma-informed model',
    description: 'A named trauma-informed model of care the placement uses.',
    values: labels(TRAUMA_MODELS, {
      tf_cbt: 'TF-CBT (Trauma-Focused Cognitive Behavioral Therapy)',
      tbri: 'TBRI (Trust-Based Relational Intervention)',
      sanctuary: 'Sanctuary Model',
      arc: 'ARC (Attachment, Regulation and Competency)',
      seeking_safety: 'Seeking Safety',
      my_life_my_choice: 'My Life My Choice',
    }),
  },
  security: {
    name: 'Security level',
    description: 'How secure the setting is.',
    values: labels(SECURITY_LEVELS, { open: 'Open', staff_secure: 'Staff-secure', secure: 'Secure (court order required)' }),
  },
  mental_health_level: {
    name: 'Mental-health level of care',
    description: 'The highest mental-health level of care the placement provides.',
    values: labels(MENTAL_HEALTH_LEVELS, {
      none: 'No mental-health care on site',
      outpatient: 'Outpatient',
      intensive_outpatient: 'Intensive outpatient',
      residential: 'Residential',
    }),
  },
  gender: {
    name: 'Gender identity accepted',
    description: 'A gender identity the program accepts.',
    values: labels(GENDERS, GENDER_LABELS),
  },
  population: {
    name: 'Population accepted',
    description: 'Further groups of youth the placement accepts.',
    values: { pregnant: 'Accepts pregnant youth', parenting: 'Accepts parenting youth with their children' },
  },
  exclusion: {
    name: 'Exclusion criterion',
    description: 'A behaviour or need the placement cannot take.',
    values: labels(EXCLUSIONS, {
      fire_setting: 'Fire setting',
      sexual_harm_to_others: 'Sexual harm to others',
      violence: 'Violence',
      active_psychosis: 'Active psychosis',
      complex_medical: 'Complex medical needs',
    }),
  },
  modality: {
    name: 'Service modality',
    description: 'How a service is delivered.',
    values: labels(MODALITIES, { in_person: 'In person', telehealth: 'Telehealth', both: 'In person and telehealth' }),
  },
  intake: {
    name: 'Intake',
    description: 'How the placement takes admissions.',
    values: { twenty_four_seven: 'Admissions 24/7', emergency: 'Same-day emergency admissions' },
  },
  feature: {
    name: 'Program feature',
    description: 'Further features of a placement.',
    values: {
      run_prevention: 'Structured run-prevention program',
      accepts_out_of_state: 'Accepts youth from other states (ICPC)',
    },
  },
  location: {
    name: 'Location',
    description: 'Facts about a location.',
    values: { confidential: 'Confidential location (street address and coordinates withheld)' },
  },
  provider_status: {
    name: 'Provider status',
    description: 'The status of the organisation in Harbor.',
    values: { inactive: 'Not active in Harbor' },
  },
} as const satisfies Record<string, Facet>;

export type FacetName = keyof typeof FACETS;

/** Terms whose attribute carries a value. */
export const VALUED_TERMS = {
  harbor_id: { name: 'Harbor id', description: "The record's id in Harbor (lets a re-import update the same record)." },
  license_number: { name: 'Licence number', description: 'The licence number of the placement.' },
  license_expires: { name: 'Licence expiry date', description: 'The date (YYYY-MM-DD) the licence expires.' },
  intake_response_hours: { name: 'Usual response time (hours)', description: 'Usual time, in hours, to answer a referral.' },
  wait_days: { name: 'Wait (days)', description: 'Usual wait, in days, before the service starts.' },
  open_slots: { name: 'Open slots', description: 'Openings the service reports for new clients.' },
  state_served: { name: 'State served', description: 'A two-letter state code the organisation serves.' },
  accreditation: { name: 'Accreditation', description: 'An accreditation the organisation holds (COA, CARF, Joint Commission…).' },
  area_state: { name: 'Service area: state', description: 'The service is available across this state (two-letter code).' },
  area_county: { name: 'Service area: county', description: "The service is available in this county of the service location's state." },
  area_radius_miles: { name: 'Service area: radius (miles)', description: 'The service is available within this many miles of its location.' },
} as const;

export type ValuedTerm = keyof typeof VALUED_TERMS;

/** `placement_type:group_home`, or a valued term's name, or a facet's own name. */
export type TermCode = string;

export function termCode<F extends FacetName>(facet: F, value: keyof (typeof FACETS)[F]['values'] & string): TermCode {
  return `${facet}:${value}`;
}

function makeTerm(code: TermCode): HsdsTaxonomyTerm {
  const [facet, value] = code.split(':') as [string, string | undefined];
  const base = { id: hsdsId('taxonomy_term', HARBOR_TAXONOMY.id, code), code, taxonomy: HARBOR_TAXONOMY.name, taxonomy_id: HARBOR_TAXONOMY.id, language: 'en' };
  if (facet in FACETS) {
    const f = (FACETS as Record<string, Facet>)[facet]!;
    if (value === undefined) return { ...base, name: f.name, description: f.description };
    const label = f.values[value];
    if (label === undefined) throw new RangeError(`unknown Harbor term ${code}`);
    return { ...base, name: label, description: `${f.name}: ${label}.`, parent_id: hsdsId('taxonomy_term', HARBOR_TAXONOMY.id, facet) };
  }
  const valued = (VALUED_TERMS as Record<string, { name: string; description: string }>)[code];
  if (!valued || value !== undefined) throw new RangeError(`unknown Harbor term ${code}`);
  return { ...base, name: valued.name, description: valued.description };
}

/** Every term of the taxonomy: facets, their values, and the valued terms. */
export const HARBOR_TERMS: readonly HsdsTaxonomyTerm[] = [
  ...Object.entries(FACETS).flatMap(([facet, f]) => [makeTerm(facet), ...Object.keys(f.values).map((v) => makeTerm(`${facet}:${v}`))]),
  ...Object.keys(VALUED_TERMS).map(makeTerm),
];

const TERMS_BY_CODE = new Map(HARBOR_TERMS.map((t) => [t.code!, t]));
const CODES_BY_ID = new Map(HARBOR_TERMS.map((t) => [t.id, t.code!]));

export function harborTerm(code: TermCode): HsdsTaxonomyTerm {
  const term = TERMS_BY_CODE.get(code);
  if (!term) throw new RangeError(`unknown Harbor term ${code}`);
  return term;
}

/** The attribute linking one record (`linkEntity` with HSDS id `linkId`) to a Harbor term. */
export function harborAttribute(linkEntity: string, linkId: string, code: TermCode, value?: string): HsdsAttribute {
  const term = harborTerm(code);
  return {
    id: hsdsId('attribute', linkId, code, value ?? ''),
    link_id: linkId,
    link_entity: linkEntity,
    taxonomy_term_id: term.id,
    ...(value !== undefined ? { value } : {}),
    taxonomy_term: term,
  };
}

/**
 * The Harbor term code an attribute links to, or undefined for another taxonomy's term (a 211's
 * AIRS/211 LA code, say). Known by the term id (ids are derived from codes, so they match), or by
 * a code of Harbor's whose term names Harbor's taxonomy.
 */
export function harborCodeOf(attribute: { taxonomy_term_id?: unknown; taxonomy_term?: unknown }): TermCode | undefined {
  if (typeof attribute.taxonomy_term_id === 'string') {
    const code = CODES_BY_ID.get(attribute.taxonomy_term_id);
    if (code) return code;
  }
  const term = attribute.taxonomy_term;
  if (!term || typeof term !== 'object') return undefined;
  const t = term as Record<string, unknown>;
  if (typeof t.id === 'string' && CODES_BY_ID.has(t.id)) return CODES_BY_ID.get(t.id);
  const detail = t.taxonomy_detail as Record<string, unknown> | undefined;
  const ours = t.taxonomy_id === HARBOR_TAXONOMY.id || t.taxonomy === HARBOR_TAXONOMY.name || t.taxonomy === HARBOR_TAXONOMY.uri || detail?.uri === HARBOR_TAXONOMY.uri;
  if (ours && typeof t.code === 'string' && TERMS_BY_CODE.has(t.code)) return t.code;
  return undefined;
}
