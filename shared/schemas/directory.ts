import { z } from 'zod';
import type { StoredLocation } from './common';
import { Age, Contact, Id, LanguageCode, License, Location, StateCode, setOf, text } from './common';
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
} from './vocabulary';
import type {
  Exclusion,
  Gender,
  Language,
  MentalHealthLevel,
  Modality,
  PlacementType,
  SecurityLevel,
  ServiceCategory,
  Specialization,
  TraumaModel,
} from './vocabulary';

const ageOrder = {
  check: (p: { minAge: number; maxAge: number }) => p.minAge <= p.maxAge,
  message: { message: 'minAge must not be above maxAge', path: ['maxAge'] },
};

// ---------- providers ----------

export const ProviderFields = {
  name: text(200),
  description: text(2000).optional(),
  contacts: z.array(Contact).max(10).default([]),
  license: License.optional(),
  accreditations: setOf(text(100), 10).default([]),
  statesServed: setOf(StateCode, 60).min(1),
  website: z.url().max(300).optional(),
  active: z.boolean().default(true),
};
export const CreateProviderBody = z.strictObject(ProviderFields);
export const UpdateProviderBody = z
  .strictObject({
    name: ProviderFields.name,
    description: ProviderFields.description,
    contacts: z.array(Contact).max(10),
    license: License,
    accreditations: setOf(text(100), 10),
    statesServed: setOf(StateCode, 60).min(1),
    website: z.url().max(300),
    active: z.boolean(),
  })
  .partial()
  .refine((b) => Object.keys(b).length > 0, 'name at least one field to change');

export interface Provider {
  id: string;
  name: string;
  description?: string;
  contacts: z.infer<typeof Contact>[];
  license?: z.infer<typeof License>;
  accreditations: string[];
  statesServed: string[];
  website?: string;
  active: boolean;
  version: number;
  createdAt: string;
  updatedAt: string;
}

// ---------- placements ----------

export const Population = z
  .strictObject({
    minAge: Age,
    maxAge: Age,
    genders: setOf(z.enum(GENDERS), GENDERS.length).min(1),
    acceptsPregnant: z.boolean().default(false),
    acceptsParenting: z.boolean().default(false),
  })
  .refine(ageOrder.check, ageOrder.message);

export const Intake = z.strictObject({
  /** Takes admissions around the clock. */
  twentyFourSeven: z.boolean().default(false),
  /** Takes same-day emergency admissions. */
  emergency: z.boolean().default(false),
  /** Usual time to answer a referral. */
  responseHours: z.number().int().min(0).max(720).optional(),
});

export const CapacityReport = z.strictObject({
  total: z.number().int().min(0).max(1000),
  occupied: z.number().int().min(0).max(1000),
});

/** Profile fields of a placement: everything a provider edits except capacity and ownership. */
const PlacementProfile = {
  name: text(200),
  description: text(2000).optional(),
  type: z.enum(PLACEMENT_TYPES),
  location: Location,
  population: Population,
  specializations: setOf(z.enum(SPECIALIZATIONS), SPECIALIZATIONS.length).default([]),
  traumaModels: setOf(z.enum(TRAUMA_MODELS), TRAUMA_MODELS.length).default([]),
  mentalHealthLevel: z.enum(MENTAL_HEALTH_LEVELS).default('none'),
  security: z.enum(SECURITY_LEVELS),
  /** A structured run-prevention program (safety planning, 1:1 staffing at night, alarms). */
  runPrevention: z.boolean().default(false),
  languages: setOf(LanguageCode, 13).min(1),
  exclusions: setOf(z.enum(EXCLUSIONS), EXCLUSIONS.length).default([]),
  acceptsOutOfState: z.boolean().default(false),
  license: License,
  intake: Intake.default({ twentyFourSeven: false, emergency: false }),
  active: z.boolean().default(true),
};

export const CreatePlacementBody = z.strictObject({
  providerId: Id,
  ...PlacementProfile,
  capacity: CapacityReport.optional(),
});

/**
 * PATCH: each top-level field given replaces that field whole. Capacity, onHold and ownership
 * are not here (capacity has its own route; onHold belongs to the system).
 */
export const UpdatePlacementBody = z
  .strictObject({
    name: PlacementProfile.name,
    description: text(2000),
    type: PlacementProfile.type,
    location: Location,
    population: Population,
    specializations: setOf(z.enum(SPECIALIZATIONS), SPECIALIZATIONS.length),
    traumaModels: setOf(z.enum(TRAUMA_MODELS), TRAUMA_MODELS.length),
    mentalHealthLevel: z.enum(MENTAL_HEALTH_LEVELS),
    security: PlacementProfile.security,
    runPrevention: z.boolean(),
    languages: PlacementProfile.languages,
    exclusions: setOf(z.enum(EXCLUSIONS), EXCLUSIONS.length),
    acceptsOutOfState: z.boolean(),
    license: License,
    intake: Intake,
    active: z.boolean(),
  })
  .partial()
  .refine((b) => Object.keys(b).length > 0, 'name at least one field to change');

/** The capacity of a placement as stored. `onHold` is derived from `holds`, never written by clients. */
export interface StoredCapacity {
  total: number;
  occupied: number;
  /** referralId → ISO time the hold lapses. The system writes it (referral accept/place/release). */
  holds: Record<string, string>;
  version: number;
  updatedAt: string | null;
  updatedBy: string | null;
  confirmedAt: string | null;
  confirmedBy: string | null;
}

export interface Placement {
  id: string;
  providerId: string;
  name: string;
  description?: string;
  type: PlacementType;
  location: StoredLocation;
  population: {
    minAge: number;
    maxAge: number;
    genders: Gender[];
    acceptsPregnant: boolean;
    acceptsParenting: boolean;
  };
  specializations: Specialization[];
  traumaModels: TraumaModel[];
  mentalHealthLevel: MentalHealthLevel;
  security: SecurityLevel;
  runPrevention: boolean;
  languages: Language[];
  exclusions: Exclusion[];
  acceptsOutOfState: boolean;
  license: { number: string; expires: string };
  intake: { twentyFourSeven: boolean; emergency: boolean; responseHours?: number };
  active: boolean;
  version: number;
  createdAt: string;
  updatedAt: string;
  capacity: StoredCapacity;
}

// ---------- services ----------

export const ServiceArea = z.strictObject({
  radiusMiles: z.number().min(0).max(3000).optional(),
  states: setOf(StateCode, 60).default([]),
  counties: setOf(text(100), 100).default([]),
});

const ServicePopulation = z
  .strictObject({ minAge: Age, maxAge: Age, genders: setOf(z.enum(GENDERS), GENDERS.length).min(1) })
  .refine(ageOrder.check, ageOrder.message);

const ServiceProfile = {
  name: text(200),
  description: text(2000).optional(),
  category: z.enum(SERVICE_CATEGORIES),
  location: Location,
  serviceArea: ServiceArea.default({ states: [], counties: [] }),
  modality: z.enum(MODALITIES),
  population: ServicePopulation,
  languages: setOf(LanguageCode, 13).min(1),
  waitDays: z.number().int().min(0).max(365).optional(),
  openSlots: z.number().int().min(0).max(10000).optional(),
  active: z.boolean().default(true),
};

export const CreateServiceBody = z.strictObject({ providerId: Id, ...ServiceProfile });

export const UpdateServiceBody = z
  .strictObject({
    name: ServiceProfile.name,
    description: text(2000),
    category: ServiceProfile.category,
    location: Location,
    serviceArea: ServiceArea,
    modality: ServiceProfile.modality,
    population: ServicePopulation,
    languages: ServiceProfile.languages,
    waitDays: z.number().int().min(0).max(365),
    openSlots: z.number().int().min(0).max(10000),
    active: z.boolean(),
  })
  .partial()
  .refine((b) => Object.keys(b).length > 0, 'name at least one field to change');

export interface Service {
  id: string;
  providerId: string;
  name: string;
  description?: string;
  category: ServiceCategory;
  location: StoredLocation;
  serviceArea: { radiusMiles?: number; states: string[]; counties: string[] };
  modality: Modality;
  population: { minAge: number; maxAge: number; genders: Gender[] };
  languages: Language[];
  waitDays?: number;
  openSlots?: number;
  active: boolean;
  version: number;
  createdAt: string;
  updatedAt: string;
}
