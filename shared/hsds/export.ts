/**
 * Harbor → Open Referral HSDS 3.0. Pure: no I/O, no clock (the caller passes `now`).
 *
 * - Provider → `organization` (contacts, the Harbor id and the licence as
 *   `organization_identifiers`, states served / accreditations / licence expiry as attributes).
 * - Placement and Service → `service`, fully nested as HSDS's `/services/{id}` returns it: one
 *   `service_at_location` with its `location` and `address`, `phones` (the provider's contact
 *   numbers), `languages`, `service_areas` (services), and `attributes` linking Harbor's
 *   vocabularies (shared/hsds/taxonomy.ts). A placement also carries its beds as the HSDS 3.1
 *   draft's `capacities` (`service_capacity` with unit "bed").
 *
 * Confidentiality: a confidential location is exported at city / county / state / ZIP level only.
 * Its address line reads "Confidential location", it has no latitude or longitude, and its street
 * address and coordinates are also struck from the free text (names, descriptions) of the record
 * and of its provider. A location without a street address (a family home) is exported without
 * coordinates as well. See docs/hsds.md.
 */
import { capacityView, lastReportedAt } from '../domain/capacity';
import type { StoredLocation } from '../schemas/common';
import type { Placement, Provider, Service } from '../schemas/directory';
import type { Language, StateCode } from '../schemas/vocabulary';
import { hsdsId } from './ids';
import { LANGUAGE_NAMES, STATE_NAMES } from './names';
import type { TermCode } from './taxonomy';
import { FACETS, GENDER_LABELS, HARBOR_TAXONOMY, HARBOR_TERMS, harborAttribute } from './taxonomy';
import type {
  HsdsAddress,
  HsdsAttribute,
  HsdsContact,
  HsdsDocument,
  HsdsLanguage,
  HsdsLocation,
  HsdsOrganization,
  HsdsOrganizationIdentifier,
  HsdsPhone,
  HsdsService,
  HsdsServiceArea,
  HsdsServiceAtLocation,
  HsdsServiceCapacity,
  HsdsUnit,
} from './types';

export interface ExportOptions {
  /** The moment available beds are counted at (holds still in force then). */
  now: Date;
  /**
   * Export bed counts (`capacities`). Default true. Harbor shows live counts only to the people
   * who place youth and to the owning provider; turn this off for a listing anyone can read.
   */
  includeCapacity?: boolean;
}

export interface HarborDirectory {
  providers: Provider[];
  placements: Placement[];
  services: Service[];
}

/** The address line of a confidential location (the usual 211 wording for a safe house). */
export const CONFIDENTIAL_ADDRESS_LINE = 'Confidential location';
/** The address line of a location Harbor holds no street address for (a family foster home). */
export const UNPUBLISHED_ADDRESS_LINE = 'Street address not published';
const WITHHELD = '[address withheld]';

export const BED_UNIT: HsdsUnit = { id: hsdsId('unit', 'bed'), name: 'Bed', identifier: 'bed' };

/** Which Harbor kind an HSDS service came from; part of every derived id. */
type Kind = 'placement' | 'service';

export const organizationHsdsId = (providerId: string) => hsdsId('organization', providerId);
export const serviceHsdsId = (kind: Kind, harborId: string) => hsdsId('service', kind, harborId);

// ---------- confidentiality ----------

/**
 * The strings that would give a confidential location away: the street address (and its part
 * before the first comma) and the coordinates, in full and rounded to 3–5 decimals.
 */
export function confidentialNeedles(locations: StoredLocation[]): string[] {
  const needles = new Set<string>();
  for (const l of locations) {
    if (!l.confidential) continue;
    if (l.address) {
      needles.add(l.address.trim());
      const head = l.address.split(',')[0]!.trim();
      if (head.length >= 4) needles.add(head);
    }
    for (const c of [l.lat, l.lon]) {
      if (typeof c !== 'number' || !Number.isFinite(c)) continue;
      needles.add(String(c));
      for (const digits of [3, 4, 5]) needles.add(c.toFixed(digits));
    }
  }
  // Longest first, so an address is struck whole before its head is looked for.
  return [...needles].filter((n) => n.length >= 4).sort((a, b) => b.length - a.length);
}

function mergeNeedles(own: string[], more: string[] | undefined): string[] {
  if (!more || more.length === 0) return own;
  return [...new Set([...own, ...more])].sort((a, b) => b.length - a.length);
}

/** `text` with every needle struck out. */
export function redact(text: string, needles: string[]): string {
  let out = text;
  for (const needle of needles) if (out.includes(needle)) out = out.split(needle).join(WITHHELD);
  return out;
}

// ---------- organizations ----------

export const HARBOR_ID_TYPE = 'Harbor provider id';
export const LICENSE_ID_TYPE = 'State licence number';

export function organizationToHsds(p: Provider, options: { redact?: string[] } = {}): HsdsOrganization {
  const id = organizationHsdsId(p.id);
  const needles = options.redact ?? [];
  const attr = (code: TermCode, value?: string) => harborAttribute('organization', id, code, value);

  const identifiers: HsdsOrganizationIdentifier[] = [
    { id: hsdsId('organization_identifier', p.id, 'harbor'), organization_id: id, identifier_type: HARBOR_ID_TYPE, identifier: p.id },
  ];
  if (p.license) {
    identifiers.push({ id: hsdsId('organization_identifier', p.id, 'license'), organization_id: id, identifier_type: LICENSE_ID_TYPE, identifier: p.license.number });
  }
  const attributes: HsdsAttribute[] = [
    ...p.statesServed.map((s) => attr('state_served', s)),
    ...p.accreditations.map((a) => attr('accreditation', a)),
    ...(p.license ? [attr('license_expires', p.license.expires)] : []),
    ...(p.active ? [] : [attr('provider_status:inactive')]),
  ];
  const contacts: HsdsContact[] = p.contacts.map((c, i) => {
    const contactId = hsdsId('contact', 'provider', p.id, String(i));
    const contact: HsdsContact = { id: contactId, organization_id: id, name: c.name };
    if (c.role) contact.title = c.role;
    if (c.email) contact.email = c.email;
    if (c.phone) contact.phones = [{ id: hsdsId('phone', 'contact', p.id, String(i)), contact_id: contactId, number: c.phone, type: 'voice' }];
    return contact;
  });
  return {
    id,
    name: redact(p.name, needles),
    // Required by HSDS; Harbor's is optional.
    description: p.description ? redact(p.description, needles) : '',
    ...(p.website ? { website: p.website } : {}),
    contacts,
    organization_identifiers: identifiers,
    attributes,
  };
}

// ---------- shared parts of a service ----------

function locationToHsds(kind: Kind, harborId: string, name: string, l: StoredLocation): HsdsLocation {
  const locationId = hsdsId('location', kind, harborId);
  const address: HsdsAddress = {
    id: hsdsId('address', kind, harborId),
    location_id: locationId,
    address_1: l.confidential ? CONFIDENTIAL_ADDRESS_LINE : (l.address ?? UNPUBLISHED_ADDRESS_LINE),
    city: l.city,
    ...(l.county ? { region: l.county } : {}),
    state_province: l.state,
    postal_code: l.zip,
    country: 'US',
    address_type: 'physical',
  };
  const location: HsdsLocation = { id: locationId, location_type: 'physical', name, addresses: [address] };
  if (l.confidential) {
    location.description = `Confidential location in ${l.city}, ${l.state} ${l.zip}: the street address and coordinates are shared only with the coordinating team.`;
    location.attributes = [harborAttribute('location', locationId, 'location:confidential')];
  } else if (l.address) {
    location.latitude = l.lat;
    location.longitude = l.lon;
  }
  // No street address (a family foster or host home, whose street Harbor never holds): its
  // coordinates would point at the family's house, so they stay home too.
  return location;
}

function serviceAtLocation(kind: Kind, harborId: string, serviceId: string, location: HsdsLocation): HsdsServiceAtLocation {
  return { id: hsdsId('service_at_location', kind, harborId), service_id: serviceId, location_id: location.id, location };
}

/** The provider's contact numbers, as the numbers to call about the program. */
function phonesFor(kind: Kind, harborId: string, serviceId: string, provider: Provider | undefined): HsdsPhone[] {
  return (provider?.contacts ?? []).flatMap((c, i) =>
    c.phone
      ? [
          {
            id: hsdsId('phone', kind, harborId, String(i)),
            service_id: serviceId,
            number: c.phone,
            type: 'voice',
            description: c.role ? `${c.name} (${c.role})` : c.name,
          },
        ]
      : [],
  );
}

function languagesFor(kind: Kind, harborId: string, serviceId: string, languages: Language[]): HsdsLanguage[] {
  return languages.map((code) => ({ id: hsdsId('language', kind, harborId, code), service_id: serviceId, name: LANGUAGE_NAMES[code] ?? code, code }));
}

function listText(items: string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

const later = (a: string, b: string | null) => (b && b > a ? b : a);

// ---------- placements ----------

/** `options.redact`: more strings to strike from the free text (the provider's other confidential locations). */
export function placementToHsds(p: Placement, provider: Provider | undefined, options: ExportOptions & { redact?: string[] }): HsdsService {
  const id = serviceHsdsId('placement', p.id);
  const needles = mergeNeedles(confidentialNeedles([p.location]), options.redact);
  const attr = (code: TermCode, value?: string) => harborAttribute('service', id, code, value);
  const attributes: HsdsAttribute[] = [
    attr('harbor_id', p.id),
    attr(`placement_type:${p.type}`),
    ...p.specializations.map((s) => attr(`specialization:${s}`)),
    ...p.traumaModels.map((m) => attr(`trauma_model:${m}`)),
    attr(`security:${p.security}`),
    attr(`mental_health_level:${p.mentalHealthLevel}`),
    ...p.population.genders.map((g) => attr(`gender:${g}`)),
    ...(p.population.acceptsPregnant ? [attr('population:pregnant')] : []),
    ...(p.population.acceptsParenting ? [attr('population:parenting')] : []),
    ...p.exclusions.map((e) => attr(`exclusion:${e}`)),
    ...(p.runPrevention ? [attr('feature:run_prevention')] : []),
    ...(p.acceptsOutOfState ? [attr('feature:accepts_out_of_state')] : []),
    ...(p.intake.twentyFourSeven ? [attr('intake:twenty_four_seven')] : []),
    ...(p.intake.emergency ? [attr('intake:emergency')] : []),
    ...(p.intake.responseHours !== undefined ? [attr('intake_response_hours', String(p.intake.responseHours))] : []),
    attr('license_number', p.license.number),
    attr('license_expires', p.license.expires),
  ];
  const name = redact(p.name, needles);
  const service: HsdsService = {
    id,
    organization_id: organizationHsdsId(p.providerId),
    name,
    ...(p.description ? { description: redact(p.description, needles) } : {}),
    status: p.active ? 'active' : 'inactive',
    application_process: placementIntakeText(p),
    eligibility_description: placementEligibilityText(p),
    minimum_age: p.population.minAge,
    maximum_age: p.population.maxAge,
    last_modified: later(p.updatedAt, p.capacity.updatedAt),
    phones: phonesFor('placement', p.id, id, provider),
    service_at_locations: [serviceAtLocation('placement', p.id, id, locationToHsds('placement', p.id, name, p.location))],
    languages: languagesFor('placement', p.id, id, p.languages),
    attributes,
  };
  if (options.includeCapacity !== false) {
    const capacity = bedCapacity(p, id, options.now);
    if (capacity) service.capacities = [capacity];
  }
  return service;
}

/**
 * Beds in the HSDS 3.1 draft's `service_capacity`: `maximum` is the reported total, `available`
 * the beds free at `now` (total − occupied − held for accepted referrals), `updated` the last
 * time the provider reported or confirmed the count (so a reader can judge its freshness). A
 * placement that never reported a count has no capacity object.
 */
export function bedCapacity(p: Placement, serviceId: string, now: Date): HsdsServiceCapacity | undefined {
  const reported = lastReportedAt(p.capacity);
  if (!reported) return undefined;
  const view = capacityView(p.capacity, now);
  return {
    id: hsdsId('service_capacity', 'placement', p.id, 'bed'),
    service_id: serviceId,
    unit: BED_UNIT,
    unit_id: BED_UNIT.id,
    available: view.available,
    maximum: view.total,
    description: 'Beds available now (total, less beds occupied and beds held for accepted referrals), as last reported or confirmed by the provider.',
    updated: reported,
  };
}

function gendersText(genders: readonly (keyof typeof GENDER_LABELS)[]): string {
  if (genders.length === Object.keys(GENDER_LABELS).length) return 'Youth of all genders';
  return listText(genders.map((g) => GENDER_LABELS[g]));
}

function placementEligibilityText(p: Placement): string {
  const parts = [`Ages ${p.population.minAge}–${p.population.maxAge}.`, `${gendersText(p.population.genders)}.`];
  if (p.population.acceptsPregnant) parts.push('Accepts pregnant youth.');
  if (p.population.acceptsParenting) parts.push('Accepts parenting youth with their children.');
  if (p.exclusions.length > 0) parts.push(`Cannot accept: ${listText(p.exclusions.map((e) => FACETS.exclusion.values[e].toLowerCase()))}.`);
  parts.push(p.acceptsOutOfState ? 'Accepts youth from other states (ICPC).' : `Youth from ${p.location.state} only.`);
  return parts.join(' ');
}

function placementIntakeText(p: Placement): string {
  const parts = ['Referrals by a caseworker or placement coordinator through Harbor.'];
  if (p.intake.twentyFourSeven) parts.push('Admissions 24/7.');
  if (p.intake.emergency) parts.push('Same-day emergency admissions.');
  if (p.intake.responseHours !== undefined) parts.push(`Usually answers a referral within ${p.intake.responseHours} hours.`);
  return parts.join(' ');
}

// ---------- services ----------

function countyLabel(county: string, state: string): string {
  if (/\b(county|parish|borough|municipality|census area)$/i.test(county)) return `${county}, ${state}`;
  return `${county} ${state === 'LA' ? 'Parish' : state === 'AK' ? 'Borough' : 'County'}, ${state}`;
}

function serviceAreas(s: Service, serviceId: string): HsdsServiceArea[] {
  const area = (key: string[], name: string, code: TermCode, value: string): HsdsServiceArea => {
    const areaId = hsdsId('service_area', 'service', s.id, ...key);
    return { id: areaId, service_id: serviceId, name, attributes: [harborAttribute('service_area', areaId, code, value)] };
  };
  const l = s.location;
  return [
    ...s.serviceArea.states.map((st) => area(['state', st], `${STATE_NAMES[st as StateCode] ?? st} (statewide)`, 'area_state', st)),
    ...s.serviceArea.counties.map((c) => area(['county', c], countyLabel(c, l.state), 'area_county', c)),
    ...(s.serviceArea.radiusMiles !== undefined
      ? [area(['radius'], `Within ${s.serviceArea.radiusMiles} miles of ${l.city}, ${l.state} ${l.zip}`, 'area_radius_miles', String(s.serviceArea.radiusMiles))]
      : []),
  ];
}

export function serviceToHsds(s: Service, provider: Provider | undefined, options: { redact?: string[] } = {}): HsdsService {
  const id = serviceHsdsId('service', s.id);
  const needles = mergeNeedles(confidentialNeedles([s.location]), options.redact);
  const attr = (code: TermCode, value?: string) => harborAttribute('service', id, code, value);
  const attributes: HsdsAttribute[] = [
    attr('harbor_id', s.id),
    attr(`service_category:${s.category}`),
    attr(`modality:${s.modality}`),
    ...s.population.genders.map((g) => attr(`gender:${g}`)),
    ...(s.waitDays !== undefined ? [attr('wait_days', String(s.waitDays))] : []),
    ...(s.openSlots !== undefined ? [attr('open_slots', String(s.openSlots))] : []),
  ];
  const name = redact(s.name, needles);
  const areas = serviceAreas(s, id);
  return {
    id,
    organization_id: organizationHsdsId(s.providerId),
    name,
    ...(s.description ? { description: redact(s.description, needles) } : {}),
    status: s.active ? 'active' : 'inactive',
    eligibility_description: `Ages ${s.population.minAge}–${s.population.maxAge}. ${gendersText(s.population.genders)}.`,
    ...(s.waitDays !== undefined ? { wait_time: s.waitDays === 1 ? '1 day' : `${s.waitDays} days` } : {}),
    minimum_age: s.population.minAge,
    maximum_age: s.population.maxAge,
    last_modified: s.updatedAt,
    phones: phonesFor('service', s.id, id, provider),
    ...(areas.length > 0 ? { service_areas: areas } : {}),
    service_at_locations: [serviceAtLocation('service', s.id, id, locationToHsds('service', s.id, name, s.location))],
    languages: languagesFor('service', s.id, id, s.languages),
    attributes,
  };
}

// ---------- the whole directory ----------

const byId = <T extends { id: string }>(a: T, b: T) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/** One HSDS document of the directory (see `HsdsDocument`), in id order whatever the input order. */
export function exportDirectory(dir: HarborDirectory, options: ExportOptions & { generatedAt?: Date }): HsdsDocument {
  const providers = new Map(dir.providers.map((p) => [p.id, p]));
  // A provider's own text may name its safe house's street: strike it there too.
  const locationsOf = new Map<string, StoredLocation[]>();
  for (const x of [...dir.placements, ...dir.services]) {
    if (!x.location.confidential) continue;
    locationsOf.set(x.providerId, [...(locationsOf.get(x.providerId) ?? []), x.location]);
  }
  const needlesOf = (providerId: string) => confidentialNeedles(locationsOf.get(providerId) ?? []);
  const organizations = [...dir.providers].sort(byId).map((p) => organizationToHsds(p, { redact: needlesOf(p.id) }));
  const services = [
    ...[...dir.placements].sort(byId).map((p) => placementToHsds(p, providers.get(p.providerId), { ...options, redact: needlesOf(p.providerId) })),
    ...[...dir.services].sort(byId).map((s) => serviceToHsds(s, providers.get(s.providerId), { redact: needlesOf(s.providerId) })),
  ];
  return {
    version: '3.0',
    generated_at: (options.generatedAt ?? options.now).toISOString(),
    publisher: 'Harbor',
    extensions: options.includeCapacity === false ? [] : ['service.capacities: HSDS 3.1 draft service_capacity with unit "bed" (placements)'],
    taxonomies: [HARBOR_TAXONOMY],
    taxonomy_terms: [...HARBOR_TERMS],
    organizations,
    services,
  };
}
