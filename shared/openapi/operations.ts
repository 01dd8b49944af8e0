import type { z } from 'zod';
import { CapacityHistoryQuery } from '../../functions/get-capacity-history/schema';
import { ListAuditQuery } from '../../functions/list-audit/schema';
import { ListProvidersQuery } from '../../functions/list-providers/schema';
import { SearchPlacementsQuery } from '../../functions/search-placements/schema';
import { SearchServicesQuery } from '../../functions/search-services/schema';
import {
  CapacityReport,
  CreatePlacementBody,
  CreateProviderBody,
  CreateServiceBody,
  UpdatePlacementBody,
  UpdateProviderBody,
  UpdateServiceBody,
} from '../schemas/directory';

/** What the OpenAPI document says of one route beyond the route table: a summary and its schemas. */
export interface OperationDoc {
  summary: string;
  body?: z.ZodType;
  query?: z.ZodType;
  /** Headers the route reads, e.g. If-Match or Idempotency-Key. */
  headers?: { name: string; required: boolean; description: string }[];
  /** Status codes beyond 200/400/401/403/500 that this route can answer. */
  statuses?: number[];
}

const ifMatch = (required: boolean) => ({
  name: 'If-Match',
  required,
  description: required ? 'The current capacity version (428 without it, 412 when stale).' : 'The current version; a stale one is a 412.',
});

/**
 * The directory's routes. With the matching and referral maps, one entry per route function: the
 * document refuses to build when a route has none, and a test checks the document names exactly
 * the routes of the route table.
 */
export const DIRECTORY_OPERATIONS: Record<string, OperationDoc> = {
  health: { summary: 'Liveness check; no token needed.' },
  'get-openapi': { summary: 'This OpenAPI document.' },
  'create-provider': { summary: 'Onboard a provider (admin).', body: CreateProviderBody, statuses: [201, 413] },
  'list-providers': { summary: 'List providers (provider staff: their own).', query: ListProvidersQuery },
  'get-provider': { summary: 'Read a provider.', statuses: [404] },
  'update-provider': { summary: 'Update a provider. active: false takes all its placements out of matches, open-bed search and referrals until it is reactivated.', body: UpdateProviderBody, headers: [ifMatch(false)], statuses: [404, 412, 413] },
  'create-placement': { summary: 'Create a placement; capacity starts as reported.', body: CreatePlacementBody, statuses: [201, 413, 422] },
  'search-placements': {
    summary:
      'Search beds near a ZIP or point, by state, provider and filters; ordered by distance with near. A placement whose provider is inactive is shown with active: false; openBeds=true leaves out inactive placements.',
    query: SearchPlacementsQuery,
  },
  'get-placement': { summary: 'Read a placement with its live capacity (addresses redacted as the caller requires).', statuses: [404] },
  'update-placement': { summary: 'Update a placement’s profile (never capacity or onHold).', body: UpdatePlacementBody, headers: [ifMatch(false)], statuses: [404, 412, 413] },
  'update-capacity': { summary: 'Report total and occupied beds.', body: CapacityReport, headers: [ifMatch(true)], statuses: [404, 412, 422, 428, 503] },
  'confirm-capacity': { summary: 'Confirm the count is still accurate: freshness restarts.', headers: [ifMatch(false)], statuses: [404, 412, 503] },
  'get-capacity-history': { summary: 'Who changed or confirmed the count, when, and the values before.', query: CapacityHistoryQuery, statuses: [404] },
  'create-service': { summary: 'Create a service.', body: CreateServiceBody, statuses: [201, 413] },
  'search-services': { summary: 'Search services near a ZIP or point, by category, age, language, telehealth.', query: SearchServicesQuery },
  'get-service': { summary: 'Read a service.', statuses: [404] },
  'update-service': { summary: 'Update a service.', body: UpdateServiceBody, headers: [ifMatch(false)], statuses: [404, 412, 413] },
  'list-audit': { summary: 'The audit trail, newest first (admin).', query: ListAuditQuery },
};
