/**
 * Harbor's controlled vocabularies, the words of API.md. Everything that filters, matches or
 * validates reads these lists, so adding a value here adds it everywhere.
 */
export const PLACEMENT_TYPES = [
  'emergency_shelter',
  'foster_home',
  'therapeutic_foster_care',
  'group_home',
  'residential_treatment',
  'transitional_living',
  'host_home',
] as const;
export type PlacementType = (typeof PLACEMENT_TYPES)[number];

export const GENDERS = ['female', 'male', 'transgender_female', 'transgender_male', 'nonbinary'] as const;
export type Gender = (typeof GENDERS)[number];

export const SPECIALIZATIONS = [
  'csec',
  'trauma_informed',
  'lgbtq_affirming',
  'substance_use',
  'mental_health',
  'developmental_disability',
  'pregnant_parenting',
  'survivor_mentor',
] as const;
export type Specialization = (typeof SPECIALIZATIONS)[number];

/** Named trauma-informed models (DESIGN.md §3); depth of specialisation counts them. */
export const TRAUMA_MODELS = ['tf_cbt', 'tbri', 'sanctuary', 'arc', 'seeking_safety', 'my_life_my_choice'] as const;
export type TraumaModel = (typeof TRAUMA_MODELS)[number];

export const SECURITY_LEVELS = ['open', 'staff_secure', 'secure'] as const;
export type SecurityLevel = (typeof SECURITY_LEVELS)[number];

/** Mental-health level of care a placement can provide, lowest to highest. */
export const MENTAL_HEALTH_LEVELS = ['none', 'outpatient', 'intensive_outpatient', 'residential'] as const;
export type MentalHealthLevel = (typeof MENTAL_HEALTH_LEVELS)[number];

/**
 * Languages (ISO 639-1, plus `ase` — ISO 639-3 for American Sign Language) spoken by staff or
 * offered by a service: the languages most often needed by youth in US child welfare.
 */
export const LANGUAGES = ['en', 'es', 'zh', 'vi', 'tl', 'ar', 'ko', 'ru', 'fr', 'ht', 'pt', 'so', 'ase'] as const;
export type Language = (typeof LANGUAGES)[number];

/** Each language's English name, as explanations, descriptions and HSDS exports write it. */
export const LANGUAGE_NAMES: Record<Language, string> = {
  en: 'English',
  es: 'Spanish',
  zh: 'Chinese',
  vi: 'Vietnamese',
  tl: 'Tagalog',
  ar: 'Arabic',
  ko: 'Korean',
  ru: 'Russian',
  fr: 'French',
  ht: 'Haitian Creole',
  pt: 'Portuguese',
  so: 'Somali',
  ase: 'American Sign Language',
};

/** Behaviours a placement may exclude; a youth's `behaviors` are matched against them. */
export const EXCLUSIONS = ['fire_setting', 'sexual_harm_to_others', 'violence', 'active_psychosis', 'complex_medical'] as const;
export type Exclusion = (typeof EXCLUSIONS)[number];

export const SERVICE_CATEGORIES = [
  'csec_counseling',
  'survivor_mentoring',
  'trauma_therapy',
  'substance_use_treatment',
  'mental_health',
  'medical',
  'legal_advocacy',
  'education',
  'family_therapy',
  'case_management',
] as const;
export type ServiceCategory = (typeof SERVICE_CATEGORIES)[number];

export const MODALITIES = ['in_person', 'telehealth', 'both'] as const;
export type Modality = (typeof MODALITIES)[number];

export const YOUTH_NEEDS = [
  'csec_confirmed',
  'csec_at_risk',
  'labor_trafficking',
  'substance_use',
  'mental_health',
  'pregnant',
  'parenting',
  'lgbtq_affirming',
  'developmental_disability',
  'medical',
  'education',
] as const;
export type YouthNeed = (typeof YOUTH_NEEDS)[number];

export const RUN_RISKS = ['low', 'medium', 'high'] as const;
export type RunRisk = (typeof RUN_RISKS)[number];

/** Two-letter codes of the states, DC and the territories Harbor accepts. */
export const STATES = [
  'AL', 'AK', 'AZ', 'AR', 'CA', 'CO', 'CT', 'DE', 'DC', 'FL', 'GA', 'HI', 'ID', 'IL', 'IN', 'IA', 'KS', 'KY', 'LA', 'ME',
  'MD', 'MA', 'MI', 'MN', 'MS', 'MO', 'MT', 'NE', 'NV', 'NH', 'NJ', 'NM', 'NY', 'NC', 'ND', 'OH', 'OK', 'OR', 'PA', 'RI',
  'SC', 'SD', 'TN', 'TX', 'UT', 'VT', 'VA', 'WA', 'WV', 'WI', 'WY', 'PR', 'GU', 'VI', 'AS', 'MP',
] as const;
export type StateCode = (typeof STATES)[number];

export const CAPACITY_FRESHNESS = ['fresh', 'aging', 'stale', 'unknown'] as const;
export type Freshness = (typeof CAPACITY_FRESHNESS)[number];
