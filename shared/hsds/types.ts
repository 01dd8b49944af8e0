/**
 * The part of Open Referral HSDS 3.0 that Harbor writes and reads, as TypeScript types. Field
 * names are HSDS's own (snake_case). The authoritative definitions are the JSON schemas in
 * tests/fixtures/hsds-3.0/schema/ (validated against in shared/hsds/export.test.ts);
 * `HsdsServiceCapacity` and `HsdsUnit` follow the HSDS 3.1 draft (tests/fixtures/hsds-3.0/capacity-3.1/).
 */

export interface HsdsTaxonomy {
  id: string;
  name: string;
  description: string;
  uri?: string;
  version?: string;
}

export interface HsdsTaxonomyTerm {
  id: string;
  code?: string;
  name: string;
  description: string;
  parent_id?: string;
  taxonomy?: string;
  taxonomy_detail?: HsdsTaxonomy;
  language?: string;
  taxonomy_id?: string;
  term_uri?: string;
}

export interface HsdsAttribute {
  id: string;
  link_id?: string;
  taxonomy_term_id?: string;
  link_type?: string;
  link_entity?: string;
  value?: string;
  taxonomy_term?: HsdsTaxonomyTerm;
}

export interface HsdsLanguage {
  id: string;
  service_id?: string;
  location_id?: string;
  phone_id?: string;
  name?: string;
  code?: string;
  note?: string;
}

export interface HsdsPhone {
  id: string;
  location_id?: string;
  service_id?: string;
  organization_id?: string;
  contact_id?: string;
  service_at_location_id?: string;
  number: string;
  extension?: number;
  type?: string;
  description?: string;
  languages?: HsdsLanguage[];
}

export interface HsdsContact {
  id: string;
  organization_id?: string;
  service_id?: string;
  service_at_location_id?: string;
  location_id?: string;
  name?: string;
  title?: string;
  department?: string;
  email?: string;
  phones?: HsdsPhone[];
}

export type HsdsLocationType = 'physical' | 'postal' | 'virtual';

export interface HsdsAddress {
  id: string;
  location_id?: string;
  attention?: string;
  address_1: string;
  address_2?: string;
  city: string;
  region?: string;
  state_province: string;
  postal_code: string;
  country: string;
  address_type: HsdsLocationType;
}

export interface HsdsLocation {
  id: string;
  location_type: HsdsLocationType;
  url?: string;
  organization_id?: string;
  name?: string;
  alternate_name?: string;
  description?: string;
  transportation?: string;
  latitude?: number;
  longitude?: number;
  external_identifier?: string;
  external_identifier_type?: string;
  languages?: HsdsLanguage[];
  addresses?: HsdsAddress[];
  contacts?: HsdsContact[];
  phones?: HsdsPhone[];
  attributes?: HsdsAttribute[];
}

export interface HsdsServiceAtLocation {
  id: string;
  service_id?: string;
  location_id?: string;
  description?: string;
  contacts?: HsdsContact[];
  phones?: HsdsPhone[];
  location?: HsdsLocation;
  attributes?: HsdsAttribute[];
}

export interface HsdsServiceArea {
  id: string;
  service_id?: string;
  name?: string;
  description?: string;
  extent?: string;
  extent_type?: string;
  uri?: string;
  attributes?: HsdsAttribute[];
}

/** HSDS 3.1 draft: what a capacity is counted in ("Bed"). */
export interface HsdsUnit {
  id: string;
  name: string;
  scheme?: string;
  identifier?: string;
  uri?: string;
}

/** HSDS 3.1 draft: a service's capacity in some unit; Harbor exports a placement's beds with it. */
export interface HsdsServiceCapacity {
  id: string;
  service_id?: string;
  unit: HsdsUnit;
  unit_id?: string;
  available: number;
  maximum?: number;
  description?: string;
  updated: string;
}

export interface HsdsOrganizationIdentifier {
  id: string;
  organization_id?: string;
  identifier_scheme?: string;
  identifier_type: string;
  identifier: string;
}

export interface HsdsOrganization {
  id: string;
  name: string;
  alternate_name?: string;
  description: string;
  email?: string;
  website?: string;
  contacts?: HsdsContact[];
  phones?: HsdsPhone[];
  locations?: HsdsLocation[];
  organization_identifiers?: HsdsOrganizationIdentifier[];
  attributes?: HsdsAttribute[];
}

export type HsdsServiceStatus = 'active' | 'inactive' | 'defunct' | 'temporarily closed';

export interface HsdsService {
  id: string;
  organization_id?: string;
  name: string;
  alternate_name?: string;
  description?: string;
  url?: string;
  email?: string;
  status: HsdsServiceStatus;
  interpretation_services?: string;
  application_process?: string;
  fees_description?: string;
  /** Deprecated in 3.0 but still the only wait field: Harbor writes "N days" here too. */
  wait_time?: string;
  accreditations?: string;
  eligibility_description?: string;
  minimum_age?: number;
  maximum_age?: number;
  last_modified?: string;
  phones?: HsdsPhone[];
  service_areas?: HsdsServiceArea[];
  service_at_locations?: HsdsServiceAtLocation[];
  languages?: HsdsLanguage[];
  organization?: HsdsOrganization;
  contacts?: HsdsContact[];
  attributes?: HsdsAttribute[];
  /** HSDS 3.1 draft (`service_capacity`): not in the 3.0 schema, which allows extra properties. */
  capacities?: HsdsServiceCapacity[];
}

/**
 * What `scripts/hsds-export.ts` writes: one JSON object with every organization and every fully
 * nested service (the shapes of HSDS's `/organizations/{id}` and `/services/{id}` responses),
 * plus the Harbor taxonomy the attributes use. See docs/hsds.md.
 */
export interface HsdsDocument {
  /** The HSDS version the objects follow. */
  version: '3.0';
  generated_at: string;
  publisher: string;
  /** Parts that go beyond HSDS 3.0 (the 3.1 draft's `capacities`). */
  extensions: string[];
  taxonomies: HsdsTaxonomy[];
  taxonomy_terms: HsdsTaxonomyTerm[];
  organizations: HsdsOrganization[];
  services: HsdsService[];
}
