/**
 * Open Referral HSDS 3.0 → Harbor create bodies. Pure (no I/O); `scripts/hsds-import.ts` writes
 * the result.
 *
 * Accepts Harbor's export document (`{ organizations, services }`), an HSDS API page
 * (`{ contents: [...] }`), an array of records, or one record. Services may nest their
 * `organization`, organizations their `services`.
 *
 * - organization → provider (CreateProviderBody).
 * - service with a Harbor `placement_type` term → placement (CreatePlacementBody), its bed count
 *   from the HSDS 3.1 draft `capacities` (unit "bed").
 * - any other service → service (CreateServiceBody): the category from a Harbor
 *   `service_category` term or, for a 211's record, inferred from its taxonomy terms and name
 *   (with a warning naming what it was inferred from).
 *
 * Every body is validated by Harbor's own zod schema. A record that cannot become a valid body is
 * returned in `rejected` with its reasons; a field that is dropped or assumed is named in
 * `warnings`. Nothing is dropped silently.
 */
import type { z } from 'zod';
import { resolveLocation } from '../directory/locations';
import { HarborError } from '../errors';
import { Contact as ContactSchema, Id } from '../schemas/common';
import type { LocationInput } from '../schemas/common';
import { CreatePlacementBody, CreateProviderBody, CreateServiceBody } from '../schemas/directory';
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
  StateCode,
  TraumaModel,
} from '../schemas/vocabulary';
import {
  EXCLUSIONS,
  GENDERS,
  LANGUAGES,
  MENTAL_HEALTH_LEVELS,
  MODALITIES,
  PLACEMENT_TYPES,
  SECURITY_LEVELS,
  SERVICE_CATEGORIES,
  SPECIALIZATIONS,
  STATES,
  TRAUMA_MODELS,
} from '../schemas/vocabulary';
import { CONFIDENTIAL_ADDRESS_LINE, HARBOR_ID_TYPE, LICENSE_ID_TYPE, UNPUBLISHED_ADDRESS_LINE } from './export';
import { uuidV5 } from './ids';
import { LANGUAGE_ALIASES, LANGUAGE_NAMES, STATE_NAMES } from './names';
import { harborCodeOf } from './taxonomy';

export type ProviderBody = z.infer<typeof CreateProviderBody>;
export type PlacementBody = z.infer<typeof CreatePlacementBody>;
export type ServiceBody = z.infer<typeof CreateServiceBody>;

export interface ImportedProvider {
  /** The HSDS organization id it came from. */
  hsdsId: string;
  /** The Harbor id to store it under: the one it was exported with, or one derived from `hsdsId`. */
  id: string;
  body: ProviderBody;
}

export interface ImportedPlacement {
  hsdsId: string;
  id: string;
  body: PlacementBody;
  /**
   * When the bed count was last reported (the capacity's `updated`), so an old count stays old
   * in Harbor (freshness) instead of looking just reported at the moment of import.
   */
  capacityReportedAt?: string;
}

export interface ImportedService {
  hsdsId: string;
  id: string;
  body: ServiceBody;
}

export type RecordKind = 'organization' | 'service';

export interface Rejection {
  kind: RecordKind;
  hsdsId?: string;
  name?: string;
  reasons: string[];
}

export interface ImportWarning {
  kind: RecordKind;
  hsdsId?: string;
  name?: string;
  message: string;
}

export interface HsdsImport {
  /** Records found in the input (after unnesting). */
  seen: { organizations: number; services: number };
  providers: ImportedProvider[];
  placements: ImportedPlacement[];
  services: ImportedService[];
  rejected: Rejection[];
  warnings: ImportWarning[];
}

export interface ImportOptions {
  /** Capacity times later than this are clamped to it. Default: the current time. */
  now?: Date;
}

type Rec = Record<string, unknown>;

// ---------- reading untrusted JSON ----------

const isRec = (v: unknown): v is Rec => typeof v === 'object' && v !== null && !Array.isArray(v);
const recs = (v: unknown): Rec[] => (Array.isArray(v) ? v.filter(isRec) : []);
const str = (v: unknown): string | undefined => (typeof v === 'string' && v.trim().length > 0 ? v.trim() : undefined);
function num(v: unknown): number | undefined {
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v === 'string' && /^\s*-?\d+(\.\d+)?\s*$/.test(v)) return Number(v);
  return undefined;
}

const HARBOR_ID = Id;
const idFor = (prefix: string, hsdsId: string, carried: string | undefined): string => {
  if (carried && HARBOR_ID.safeParse(carried).success) return carried;
  const derived = `${prefix}-${hsdsId}`;
  return HARBOR_ID.safeParse(derived).success ? derived : `${prefix}-${uuidV5(hsdsId)}`;
};

const STATE_BY_NAME = new Map<string, StateCode>(Object.entries(STATE_NAMES).map(([code, name]) => [name.toLowerCase(), code as StateCode]));

function stateCode(v: string | undefined): StateCode | undefined {
  if (!v) return undefined;
  const s = v.trim();
  if ((STATES as readonly string[]).includes(s.toUpperCase())) return s.toUpperCase() as StateCode;
  return STATE_BY_NAME.get(s.toLowerCase());
}

function languageCode(l: Rec): Language | undefined {
  const code = str(l.code)?.toLowerCase();
  if (code) {
    const base = code.split(/[-_]/)[0]!;
    if ((LANGUAGES as readonly string[]).includes(code)) return code as Language;
    if ((LANGUAGES as readonly string[]).includes(base)) return base as Language;
    if (LANGUAGE_ALIASES[base]) return LANGUAGE_ALIASES[base];
  }
  const name = str(l.name)?.toLowerCase();
  if (name) {
    for (const [c, n] of Object.entries(LANGUAGE_NAMES)) if (n.toLowerCase() === name) return c as Language;
    if (name === 'asl' || name === 'sign language') return 'ase';
  }
  return undefined;
}

/** The Harbor terms a record's attributes link to, in order, and the names of other taxonomies' terms. */
class Terms {
  readonly codes: string[] = [];
  readonly values = new Map<string, string[]>();
  readonly foreign: string[] = [];

  constructor(attributes: Rec[]) {
    for (const a of attributes) {
      const code = harborCodeOf(a);
      if (code === undefined) {
        const term = isRec(a.taxonomy_term) ? a.taxonomy_term : undefined;
        for (const text of [str(term?.name), str(term?.code), str(a.value)]) if (text) this.foreign.push(text);
        continue;
      }
      const value = str(a.value);
      if (value !== undefined) this.values.set(code, [...(this.values.get(code) ?? []), value]);
      else if (!this.codes.includes(code)) this.codes.push(code);
    }
  }

  has(code: string): boolean {
    return this.codes.includes(code);
  }

  /** Values of an enumerated facet, in order, that Harbor's vocabulary knows. */
  facet<T extends string>(facet: string, vocabulary: readonly T[]): T[] {
    const prefix = `${facet}:`;
    return this.codes
      .filter((c) => c.startsWith(prefix))
      .map((c) => c.slice(prefix.length))
      .filter((v): v is T => (vocabulary as readonly string[]).includes(v));
  }

  value(code: string): string | undefined {
    return this.values.get(code)?.[0];
  }

  all(code: string): string[] {
    return this.values.get(code) ?? [];
  }
}

// ---------- the document ----------

function looksLikeService(r: Rec): boolean {
  return 'status' in r || 'service_at_locations' in r || 'organization_id' in r || isRec(r.organization);
}

/** Organizations and services of any accepted input shape, unnested and deduplicated by id. */
function collect(input: unknown): { organizations: Rec[]; services: Rec[]; problem?: string } {
  let organizations: Rec[] = [];
  let services: Rec[] = [];
  const sort = (items: Rec[]) => {
    for (const r of items) (looksLikeService(r) ? services : organizations).push(r);
  };
  if (Array.isArray(input)) sort(recs(input));
  else if (isRec(input) && (Array.isArray(input.organizations) || Array.isArray(input.services))) {
    organizations = recs(input.organizations);
    services = recs(input.services);
  } else if (isRec(input) && Array.isArray(input.contents)) sort(recs(input.contents));
  else if (isRec(input) && str(input.id) && str(input.name)) sort([input]);
  else return { organizations: [], services: [], problem: 'not an HSDS document: expected { organizations, services }, an HSDS API page { contents }, an array of records or one record' };

  // Nested organizations (a service's `organization`) and nested services (an organization's `services`).
  const orgIds = new Set(organizations.map((o) => str(o.id)).filter(Boolean));
  for (const s of services) {
    const org = isRec(s.organization) ? s.organization : undefined;
    const id = str(org?.id);
    if (org && id && !orgIds.has(id)) {
      organizations.push(org);
      orgIds.add(id);
    }
  }
  const serviceIds = new Set(services.map((s) => str(s.id)).filter(Boolean));
  for (const o of organizations) {
    for (const s of recs(o.services)) {
      const id = str(s.id);
      // An organization's `services` may hold only ids (HSDS API); only full records are read.
      if (!id || serviceIds.has(id) || !str(s.name)) continue;
      services.push({ organization_id: str(o.id), ...s });
      serviceIds.add(id);
    }
  }
  // Attributes that name their term only by id get the term from the document's `taxonomy_terms`
  // (a 211's own terms, whose names the category is inferred from).
  const termsById = new Map<string, Rec>();
  for (const t of recs(isRec(input) ? input.taxonomy_terms : undefined)) if (str(t.id)) termsById.set(str(t.id)!, t);
  if (termsById.size > 0) {
    const withTerms = (attributes: unknown) =>
      recs(attributes).map((a) => {
        const term = isRec(a.taxonomy_term) ? undefined : termsById.get(str(a.taxonomy_term_id) ?? '');
        return term ? { ...a, taxonomy_term: term } : a;
      });
    services = services.map((s) => (Array.isArray(s.attributes) ? { ...s, attributes: withTerms(s.attributes) } : s));
  }
  return { organizations, services };
}

// ---------- one import ----------

interface MappedService {
  raw: Rec;
  hsdsId: string;
  name: string;
  orgHsdsId: string;
  kind: 'placement' | 'service';
  id: string;
  body: Omit<PlacementBody, 'providerId'> | Omit<ServiceBody, 'providerId'>;
  capacityReportedAt?: string;
  /** States the service is in or serves (for a provider's states served, when it names none). */
  states: string[];
  /** What was dropped or assumed, reported if the record is imported. */
  notes: string[];
}

class Reporter {
  readonly rejected: Rejection[] = [];
  readonly warnings: ImportWarning[] = [];

  /** A record's notes, reported once the record is imported (a rejected record's reasons say it all). */
  warn(kind: RecordKind, r: Rec, notes: string[]): void {
    for (const message of notes) this.warnings.push({ kind, ...ident(r), message });
  }

  reject(kind: RecordKind, r: Rec, reasons: string[]): void {
    this.rejected.push({ kind, ...ident(r), reasons });
  }
}

function ident(r: Rec): { hsdsId?: string; name?: string } {
  const hsdsId = str(r.id);
  const name = str(r.name);
  return { ...(hsdsId ? { hsdsId } : {}), ...(name ? { name } : {}) };
}

function zodReasons(error: z.ZodError): string[] {
  return error.issues.map((i) => `${i.path.length > 0 ? i.path.join('.') : '(record)'}: ${i.message}`);
}

export function importHsds(input: unknown, options: ImportOptions = {}): HsdsImport {
  const now = options.now ?? new Date();
  const report = new Reporter();
  const { organizations, services, problem } = collect(input);
  const result: HsdsImport = {
    seen: { organizations: organizations.length, services: services.length },
    providers: [],
    placements: [],
    services: [],
    rejected: report.rejected,
    warnings: report.warnings,
  };
  if (problem) {
    report.rejected.push({ kind: 'organization', reasons: [problem] });
    return result;
  }

  // 1. Services and placements (their providers are known only after step 2).
  const mapped: MappedService[] = [];
  const seenServiceIds = new Set<string>();
  for (const raw of services) {
    const m = mapService(raw, report, now);
    if (!m) continue;
    if (seenServiceIds.has(m.hsdsId)) {
      report.reject('service', raw, [`duplicate service id ${m.hsdsId}: only its first record is imported`]);
      continue;
    }
    seenServiceIds.add(m.hsdsId);
    mapped.push(m);
  }

  // 2. Providers.
  const providerIdOf = new Map<string, string>();
  const rejectedOrgs = new Set<string>();
  const harborIds = new Set<string>();
  for (const raw of organizations) {
    const hsdsId = str(raw.id);
    if (hsdsId && (providerIdOf.has(hsdsId) || rejectedOrgs.has(hsdsId))) {
      report.reject('organization', raw, [`duplicate organization id ${hsdsId}: only its first record is imported`]);
      continue;
    }
    const own = mapped.filter((m) => m.orgHsdsId === hsdsId);
    const mappedOrg = mapOrganization(raw, own, report);
    const provider = mappedOrg?.provider;
    if (!provider) {
      if (hsdsId) rejectedOrgs.add(hsdsId);
      continue;
    }
    if (harborIds.has(provider.id)) {
      report.reject('organization', raw, [`Harbor id ${provider.id} is already taken by another organization of this document`]);
      rejectedOrgs.add(provider.hsdsId);
      continue;
    }
    harborIds.add(provider.id);
    providerIdOf.set(provider.hsdsId, provider.id);
    result.providers.push(provider);
    report.warn('organization', raw, mappedOrg.notes);
  }

  // 3. Attach each service to its provider and validate the whole body.
  for (const m of mapped) {
    const providerId = providerIdOf.get(m.orgHsdsId);
    if (!providerId) {
      const why = rejectedOrgs.has(m.orgHsdsId) ? 'was rejected' : 'is not in the document';
      report.reject('service', m.raw, [`its organization ${m.orgHsdsId} ${why}`]);
      continue;
    }
    if (harborIds.has(m.id)) {
      report.reject('service', m.raw, [`Harbor id ${m.id} is already taken by another record of this document`]);
      continue;
    }
    const schema = m.kind === 'placement' ? CreatePlacementBody : CreateServiceBody;
    const parsed = schema.safeParse({ providerId, ...m.body });
    if (!parsed.success) {
      report.reject('service', m.raw, zodReasons(parsed.error));
      continue;
    }
    harborIds.add(m.id);
    report.warn('service', m.raw, m.notes);
    if (m.kind === 'placement') {
      result.placements.push({
        hsdsId: m.hsdsId,
        id: m.id,
        body: parsed.data as PlacementBody,
        ...(m.capacityReportedAt ? { capacityReportedAt: m.capacityReportedAt } : {}),
      });
    } else {
      result.services.push({ hsdsId: m.hsdsId, id: m.id, body: parsed.data as ServiceBody });
    }
  }
  return result;
}

// ---------- organizations ----------

const PHONE = ContactSchema.shape.phone.unwrap();
const EMAIL = ContactSchema.shape.email.unwrap();

function mapOrganization(raw: Rec, services: MappedService[], report: Reporter): { provider: ImportedProvider; notes: string[] } | undefined {
  const reasons: string[] = [];
  const hsdsId = str(raw.id);
  const name = str(raw.name);
  if (!hsdsId) reasons.push('id: missing');
  if (!name) reasons.push('name: missing');
  if (!hsdsId || !name) {
    report.reject('organization', raw, reasons);
    return undefined;
  }
  const notes: string[] = [];
  const warn = (message: string) => notes.push(message);
  const terms = new Terms(recs(raw.attributes));
  const identifiers = recs(raw.organization_identifiers);
  const carriedId = str(identifiers.find((i) => str(i.identifier_type) === HARBOR_ID_TYPE)?.identifier);

  const body: Rec = { name, active: !terms.has('provider_status:inactive') };
  const description = str(raw.description);
  if (description) body.description = clip(description, 2000, 'description', warn);

  const website = str(raw.website);
  if (website) {
    const url = /^https?:\/\//i.test(website) ? website : /^[\w-]+(\.[\w-]+)+(\/\S*)?$/.test(website) ? `https://${website}` : undefined;
    if (url && url !== website) warn(`website "${website}" read as ${url}`);
    if (url && url.length <= 300 && URL.canParse(url)) body.website = url;
    else warn(`website "${website}" dropped: not a URL`);
  }

  body.contacts = readContacts(raw, warn);

  const licenseNumber = str(identifiers.find((i) => str(i.identifier_type) === LICENSE_ID_TYPE || /licen[cs]e/i.test(str(i.identifier_type) ?? ''))?.identifier);
  const licenseExpires = terms.value('license_expires');
  if (licenseNumber && licenseExpires) body.license = { number: licenseNumber, expires: licenseExpires };
  else if (licenseNumber) warn(`licence ${licenseNumber} dropped: no expiry date (Harbor keeps a licence only with its expiry)`);

  const accreditations = unique(terms.all('accreditation'));
  if (accreditations.length > 10) warn(`${accreditations.length - 10} accreditation(s) dropped: Harbor keeps 10`);
  body.accreditations = accreditations.slice(0, 10);

  let states = unique(terms.all('state_served').map((s) => stateCode(s) ?? s));
  if (states.length === 0) {
    const orgStates = recs(raw.locations).flatMap((l) => recs(l.addresses).map((a) => stateCode(str(a.state_province))));
    states = unique([...services.flatMap((s) => s.states), ...orgStates].filter((s): s is StateCode => s !== undefined));
    states.sort();
    if (states.length > 0) warn(`states served not given: ${states.join(', ')} taken from its services' locations and areas`);
  }
  body.statesServed = states;

  const parsed = CreateProviderBody.safeParse(body);
  if (!parsed.success) {
    const reasons = zodReasons(parsed.error).map((r) => (r.startsWith('statesServed') ? `${r} (no state served is given or can be derived)` : r));
    report.reject('organization', raw, reasons);
    return undefined;
  }
  return { provider: { hsdsId, id: idFor('prv', hsdsId, carriedId), body: parsed.data }, notes };
}

function readContacts(raw: Rec, warn: (message: string) => void): z.infer<typeof ContactSchema>[] {
  const contacts: z.infer<typeof ContactSchema>[] = [];
  for (const c of recs(raw.contacts)) {
    const name = str(c.name) ?? str(c.title) ?? str(c.department);
    if (!name) {
      warn('a contact without a name, title or department dropped');
      continue;
    }
    const contact: z.infer<typeof ContactSchema> = { name: name.slice(0, 120) };
    const title = str(c.title);
    if (title && title !== name) contact.role = title.slice(0, 120);
    const email = str(c.email);
    if (email && EMAIL.safeParse(email).success && email.length <= 200) contact.email = email;
    else if (email) warn(`email "${email}" of contact ${name} dropped: not an email address`);
    const phones = recs(c.phones).map((p) => str(p.number)).filter((n): n is string => n !== undefined);
    const phone = phones.find((n) => PHONE.safeParse(n).success);
    if (phone) contact.phone = phone;
    for (const n of phones) {
      if (n === phone) continue;
      const why = PHONE.safeParse(n).success ? 'Harbor keeps one number per contact' : 'not a phone number Harbor accepts (digits, spaces and + ( ) - . only)';
      warn(`phone "${n}" of contact ${name} dropped: ${why}`);
    }
    contacts.push(contact);
  }
  // Numbers and an email given for the organization itself become contacts of their own.
  for (const p of recs(raw.phones)) {
    const number = str(p.number);
    if (!number || contacts.some((c) => c.phone === number)) continue;
    if (!PHONE.safeParse(number).success) {
      warn(`phone "${number}" dropped: not a phone number Harbor accepts`);
      continue;
    }
    contacts.push({ name: (str(p.description) ?? 'Main line').slice(0, 120), phone: number });
  }
  const email = str(raw.email);
  if (email && !contacts.some((c) => c.email === email)) {
    if (EMAIL.safeParse(email).success) contacts.push({ name: 'General inquiries', email });
    else warn(`email "${email}" dropped: not an email address`);
  }
  if (contacts.length > 10) warn(`${contacts.length - 10} contact(s) dropped: Harbor keeps 10`);
  return contacts.slice(0, 10);
}

// ---------- services and placements ----------

function mapService(raw: Rec, report: Reporter, now: Date): MappedService | undefined {
  const reasons: string[] = [];
  const notes: string[] = [];
  const warn = (message: string) => notes.push(message);
  const hsdsId = str(raw.id);
  const name = str(raw.name);
  const orgHsdsId = str(raw.organization_id) ?? str(isRec(raw.organization) ? raw.organization.id : undefined);
  if (!hsdsId) reasons.push('id: missing');
  if (!name) reasons.push('name: missing');
  if (!orgHsdsId) reasons.push('organization_id: missing (Harbor needs the provider of every program)');

  const terms = new Terms(recs(raw.attributes));
  const types = terms.facet<PlacementType>('placement_type', PLACEMENT_TYPES);
  if (types.length > 1) reasons.push(`more than one Harbor placement type (${types.join(', ')})`);
  const kind = types.length > 0 ? 'placement' : 'service';

  const location = readLocation(raw, warn);
  if (typeof location === 'string') reasons.push(location);
  const languages = readLanguages(raw, warn);
  const active = readStatus(raw, warn);

  if (reasons.length > 0 || !hsdsId || !name || !orgHsdsId || typeof location === 'string') {
    report.reject('service', raw, reasons);
    return undefined;
  }
  const description = str(raw.description);
  const common = {
    name,
    ...(description ? { description: clip(description, 2000, 'description', warn) } : {}),
    location,
    languages,
    active,
  };
  const genders = terms.facet<Gender>('gender', GENDERS);
  const carriedId = terms.value('harbor_id');

  if (kind === 'placement') {
    if (terms.facet('service_category', SERVICE_CATEGORIES).length > 0) warn('service_category ignored: the record is a placement (it has a placement_type)');
    const minAge = num(raw.minimum_age);
    const maxAge = num(raw.maximum_age);
    if (minAge === undefined || maxAge === undefined) reasons.push('minimum_age and maximum_age: required for a placement');
    if (genders.length === 0) reasons.push('no gender identity accepted: a placement needs at least one gender term');
    const security = terms.facet<SecurityLevel>('security', SECURITY_LEVELS);
    if (security.length !== 1) reasons.push('security: a placement needs exactly one security term');
    const licenseNumber = terms.value('license_number');
    const licenseExpires = terms.value('license_expires');
    if (!licenseNumber || !licenseExpires) reasons.push('license_number and license_expires: required for a placement');
    if (reasons.length > 0) {
      report.reject('service', raw, reasons);
      return undefined;
    }
    const mentalHealth = terms.facet<MentalHealthLevel>('mental_health_level', MENTAL_HEALTH_LEVELS);
    const responseHours = num(terms.value('intake_response_hours'));
    const capacity = readBedCapacity(raw, warn, now);
    const body: Omit<PlacementBody, 'providerId'> = {
      ...common,
      type: types[0]!,
      population: {
        minAge: minAge!,
        maxAge: maxAge!,
        genders,
        acceptsPregnant: terms.has('population:pregnant'),
        acceptsParenting: terms.has('population:parenting'),
      },
      specializations: terms.facet<Specialization>('specialization', SPECIALIZATIONS),
      traumaModels: terms.facet<TraumaModel>('trauma_model', TRAUMA_MODELS),
      mentalHealthLevel: mentalHealth[0] ?? 'none',
      security: security[0]!,
      runPrevention: terms.has('feature:run_prevention'),
      exclusions: terms.facet<Exclusion>('exclusion', EXCLUSIONS),
      acceptsOutOfState: terms.has('feature:accepts_out_of_state'),
      license: { number: licenseNumber!, expires: licenseExpires! },
      intake: {
        twentyFourSeven: terms.has('intake:twenty_four_seven'),
        emergency: terms.has('intake:emergency'),
        ...(responseHours !== undefined ? { responseHours } : {}),
      },
      ...(capacity ? { capacity: capacity.report } : {}),
    };
    return {
      raw,
      hsdsId,
      name,
      orgHsdsId,
      kind,
      id: idFor('plc', hsdsId, carriedId),
      body,
      ...(capacity?.updated ? { capacityReportedAt: capacity.updated } : {}),
      states: [location.state],
      notes,
    };
  }

  // A service.
  const categories = terms.facet<ServiceCategory>('service_category', SERVICE_CATEGORIES);
  let category = categories[0];
  if (categories.length > 1) warn(`more than one service_category: kept ${category}, dropped ${categories.slice(1).join(', ')}`);
  if (!category) {
    const inferred = inferCategory([...terms.foreign, name]);
    if (inferred) {
      category = inferred.category;
      warn(`category ${inferred.category} inferred from "${inferred.from}" (no Harbor service_category term): check it`);
    }
  }
  if (!category) {
    report.reject('service', raw, [
      "no Harbor category: it has no placement_type or service_category term, and neither its name nor its taxonomy terms name one of Harbor's service categories",
    ]);
    return undefined;
  }
  if (capacitiesOf(raw).length > 0) warn('capacities dropped: only a placement (a record with a Harbor placement_type) has beds in Harbor');

  const ages = readServiceAges(raw, warn);
  if (typeof ages === 'string') {
    report.reject('service', raw, [ages]);
    return undefined;
  }
  const modalities = terms.facet<Modality>('modality', MODALITIES);
  let modality = modalities[0];
  if (!modality) {
    const virtual = [...terms.foreign, name].some((t) => /telehealth|telemedicine|virtual|online|by video|by phone/i.test(t));
    modality = virtual ? 'both' : 'in_person';
    warn(`modality not given: assumed ${modality}`);
  }
  const serviceArea = readServiceArea(raw, location, warn);
  const waitDays = num(terms.value('wait_days')) ?? readWaitTime(raw, warn);
  const openSlots = num(terms.value('open_slots'));
  const body: Omit<ServiceBody, 'providerId'> = {
    ...common,
    category,
    serviceArea,
    modality,
    population: { ...ages, genders: genders.length > 0 ? genders : [...GENDERS] },
    ...(waitDays !== undefined ? { waitDays } : {}),
    ...(openSlots !== undefined ? { openSlots } : {}),
  };
  if (genders.length === 0) warn('no gender terms: assumed open to youth of all genders');
  return {
    raw,
    hsdsId,
    name,
    orgHsdsId,
    kind,
    id: idFor('svc', hsdsId, carriedId),
    body,
    states: unique([location.state, ...serviceArea.states]),
    notes,
  };
}

function clip(text: string, max: number, field: string, warn: (message: string) => void): string {
  if (text.length <= max) return text;
  warn(`${field} cut to ${max} characters (was ${text.length})`);
  return `${text.slice(0, max - 1).trimEnd()}…`;
}

function unique<T>(xs: T[]): T[] {
  return [...new Set(xs)];
}

function readStatus(raw: Rec, warn: (message: string) => void): boolean {
  const status = str(raw.status);
  if (status === 'active') return true;
  if (status === 'inactive') return false;
  if (status === 'defunct' || status === 'temporarily closed') {
    warn(`status "${status}" imported as inactive`);
    return false;
  }
  warn(`status ${status ? `"${status}"` : 'missing'}: imported as inactive`);
  return false;
}

const SENTINEL_LINES = new Set([CONFIDENTIAL_ADDRESS_LINE.toLowerCase(), UNPUBLISHED_ADDRESS_LINE.toLowerCase()]);

/** The first physical US address (state and 5-digit ZIP) of the service's locations, or why there is none. */
function readLocation(raw: Rec, warn: (message: string) => void): LocationInput | string {
  const locations = recs(raw.service_at_locations)
    .map((sal) => sal.location)
    .filter(isRec);
  const problems: string[] = [];
  /** Per location, the addresses Harbor could hold (physical ones first). */
  const candidates: LocationInput[][] = locations.map((loc) => {
    const addresses = recs(loc.addresses).filter((a) => str(a.address_type) !== 'virtual');
    addresses.sort((a, b) => Number(str(b.address_type) === 'physical') - Number(str(a.address_type) === 'physical'));
    const confidentialSpot = new Terms(recs(loc.attributes)).has('location:confidential');
    return addresses.flatMap((a): LocationInput[] => {
      const country = str(a.country)?.toUpperCase();
      const state = stateCode(str(a.state_province));
      const zip = /^(\d{5})(-?\d{4})?$/.exec(str(a.postal_code) ?? '')?.[1];
      const city = str(a.city);
      if (country && !['US', 'USA', 'UNITED STATES'].includes(country)) {
        problems.push(`address in ${country} (Harbor is US-only)`);
        return [];
      }
      if (!state || !zip || !city) {
        problems.push(`address without ${[!city && 'a city', !state && 'a US state', !zip && 'a 5-digit ZIP'].filter(Boolean).join(', ')}`);
        return [];
      }
      const line1 = str(a.address_1);
      const confidential = confidentialSpot || /\bconfidential\b/i.test(line1 ?? '');
      const street = line1 && !confidential && !SENTINEL_LINES.has(line1.toLowerCase()) ? [line1, str(a.address_2)].filter(Boolean).join(', ') : undefined;
      const lat = num(loc.latitude);
      const lon = num(loc.longitude);
      const county = str(a.region);
      const located = lat !== undefined && lon !== undefined && Math.abs(lat) <= 90 && Math.abs(lon) <= 180;
      return [
        {
          ...(street ? { address: street.slice(0, 200) } : {}),
          city,
          ...(county ? { county } : {}),
          state,
          zip,
          ...(located ? { lat, lon } : {}),
          confidential,
        },
      ];
    });
  });
  let chosen: LocationInput | undefined;
  for (const candidate of candidates.flat()) {
    try {
      resolveLocation(candidate);
      chosen = candidate;
      break;
    } catch (error) {
      if (!(error instanceof HarborError)) throw error;
      problems.push(error.message);
    }
  }
  if (!chosen) {
    const why = locations.length === 0 ? 'no service_at_locations with a location' : problems.join('; ') || 'no address';
    return `no usable location: Harbor needs a physical US address with a city, state and 5-digit ZIP (${why})`;
  }
  const placed = candidates.filter((c) => c.length > 0).length;
  if (placed > 1) warn(`${placed} locations: only the first usable one is kept (Harbor holds one location per program)`);
  return chosen;
}

function readLanguages(raw: Rec, warn: (message: string) => void): Language[] {
  const out: Language[] = [];
  const given = recs(raw.languages);
  const fromLocations = recs(raw.service_at_locations).flatMap((sal) => (isRec(sal.location) ? recs(sal.location.languages) : []));
  for (const l of given.length > 0 ? given : fromLocations) {
    const code = languageCode(l);
    if (code) {
      if (!out.includes(code)) out.push(code);
    } else warn(`language "${str(l.name) ?? str(l.code) ?? '?'}" dropped: not one of Harbor's languages`);
  }
  if (out.length === 0) {
    warn('no language given: assumed English');
    out.push('en');
  }
  return out;
}

function readServiceAges(raw: Rec, warn: (message: string) => void): { minAge: number; maxAge: number } | string {
  let minAge = num(raw.minimum_age);
  let maxAge = num(raw.maximum_age);
  if (minAge !== undefined && minAge > 25) return `minimum_age ${minAge}: Harbor lists programs for youth up to 25`;
  if (minAge === undefined) {
    warn('minimum_age not given: assumed 0');
    minAge = 0;
  }
  if (maxAge === undefined) {
    warn('maximum_age not given: assumed 25');
    maxAge = 25;
  } else if (maxAge > 25) {
    warn(`maximum_age ${maxAge} read as 25 (Harbor lists youth up to 25)`);
    maxAge = 25;
  }
  return { minAge, maxAge };
}

function readWaitTime(raw: Rec, warn: (message: string) => void): number | undefined {
  const text = str(raw.wait_time);
  if (!text) return undefined;
  if (/^(none|no wait|immediate|same[- ]day)/i.test(text)) return 0;
  const m = /(\d+)\s*(day|week|month)/i.exec(text);
  if (!m) {
    warn(`wait_time "${text}" dropped: not a number of days, weeks or months`);
    return undefined;
  }
  const n = Number(m[1]);
  const unit = m[2]!.toLowerCase();
  return Math.min(365, unit === 'week' ? n * 7 : unit === 'month' ? n * 30 : n);
}

function readServiceArea(raw: Rec, location: LocationInput, warn: (message: string) => void): ServiceBody['serviceArea'] {
  const states: string[] = [];
  const counties: string[] = [];
  let radiusMiles: number | undefined;
  for (const area of recs(raw.service_areas)) {
    const terms = new Terms(recs(area.attributes));
    const st = terms.value('area_state');
    const county = terms.value('area_county');
    const radius = num(terms.value('area_radius_miles'));
    const name = str(area.name) ?? str(area.description) ?? '';
    if (st || county || radius !== undefined) {
      if (st) states.push(stateCode(st) ?? st);
      if (county) counties.push(county);
      if (radius !== undefined) radiusMiles = radius;
      continue;
    }
    const state = stateCode(name.replace(/^state of\s+/i, '').replace(/\s*\((statewide)\)\s*$/i, '').replace(/\s+statewide$/i, ''));
    const countyMatch = /^(.+?\b(?:county|parish|borough))(?:\s*,\s*([A-Za-z .]+))?$/i.exec(name);
    const radiusMatch = /within\s+(\d+(?:\.\d+)?)\s*(?:mi|miles?)\b/i.exec(name);
    if (state) states.push(state);
    else if (countyMatch) {
      const inState = countyMatch[2] ? stateCode(countyMatch[2]) : location.state;
      if (inState === location.state) counties.push(countyMatch[1]!.trim());
      else warn(`service area "${name}" dropped: Harbor's counties are those of the service's own state (${location.state})`);
    } else if (radiusMatch) radiusMiles = Number(radiusMatch[1]);
    else warn(`service area "${name || '(unnamed)'}" dropped: not a state, a county or a radius in miles`);
  }
  // Values from attributes are checked by CreateServiceBody (an unknown state code is a rejection).
  return { states: unique(states) as StateCode[], counties: unique(counties), ...(radiusMiles !== undefined ? { radiusMiles } : {}) };
}

function capacitiesOf(raw: Rec): Rec[] {
  return recs(raw.capacities);
}

function readBedCapacity(raw: Rec, warn: (message: string) => void, now: Date): { report: { total: number; occupied: number }; updated?: string } | undefined {
  const beds = capacitiesOf(raw).filter((c) => {
    const unit = isRec(c.unit) ? c.unit : {};
    return [str(unit.name), str(unit.identifier)].some((u) => u !== undefined && /^beds?$/i.test(u));
  });
  const others = capacitiesOf(raw).length - beds.length;
  if (others > 0) warn(`${others} capacity record(s) in other units than beds dropped`);
  if (beds.length === 0) return undefined;
  if (beds.length > 1) warn(`${beds.length} bed capacities: only the first is kept`);
  const c = beds[0]!;
  const available = num(c.available);
  const maximum = num(c.maximum);
  if (available === undefined || !Number.isInteger(available) || available < 0) {
    warn('bed capacity dropped: "available" is not a whole number of beds');
    return undefined;
  }
  let report: { total: number; occupied: number };
  if (maximum === undefined) {
    warn(`bed capacity has no maximum: read as ${available} beds, none occupied`);
    report = { total: available, occupied: 0 };
  } else if (!Number.isInteger(maximum) || maximum < available) {
    warn(`bed capacity dropped: maximum ${maximum} is not a whole number at least the ${available} available`);
    return undefined;
  } else {
    // Beds held for referrals elsewhere arrive as occupied: the count of free beds stays right.
    report = { total: maximum, occupied: maximum - available };
  }
  const updatedText = str(c.updated);
  const updatedMs = updatedText ? Date.parse(updatedText) : NaN;
  if (Number.isNaN(updatedMs)) {
    warn('bed capacity has no valid "updated" time: it counts as reported at the import');
    return { report };
  }
  if (updatedMs > now.getTime()) warn(`bed capacity "updated" ${updatedText} is in the future: read as now`);
  return { report, updated: new Date(Math.min(updatedMs, now.getTime())).toISOString() };
}

// ---------- category of a 211's service ----------

/** Harbor's categories as the words a 211 taxonomy or service name uses for them; first match wins. */
const CATEGORY_WORDS: [ServiceCategory, RegExp][] = [
  ['legal_advocacy', /\blegal\b|attorney|lawyer|immigration|vacatur|expunge|record sealing|victim rights|court advoca/i],
  ['survivor_mentoring', /\bmentor/i],
  ['csec_counseling', /trafficking|sexual exploitation|\bcsec\b/i],
  ['substance_use_treatment', /substance|addiction|alcohol|\bdrug\b|detox|recovery (program|services)/i],
  ['family_therapy', /family (therapy|counsel)/i],
  ['trauma_therapy', /trauma|ptsd|tf-?cbt|emdr/i],
  ['mental_health', /mental health|psychiatr|behavioral health|counsel|therap/i],
  ['medical', /medical|clinic\b|primary care|pediatric|reproductive|\bsti\b|\bstd\b|health care/i],
  ['education', /\bged\b|hiset|high school equivalen|tutoring|credit recovery|education/i],
  ['case_management', /case management|care coordination/i],
];

export function inferCategory(texts: string[]): { category: ServiceCategory; from: string } | undefined {
  for (const [category, words] of CATEGORY_WORDS) {
    const from = texts.find((t) => words.test(t));
    if (from) return { category, from };
  }
  return undefined;
}
