import { z } from 'zod';
import { Age, BooleanQuery, commaList, PageQuery, StateCode, Id, text } from '../../shared/schemas/common';
import { GENDERS, PLACEMENT_TYPES, SPECIALIZATIONS } from '../../shared/schemas/vocabulary';

/** GET /placements query. Repeated keys arrive comma-joined (API Gateway v2), hence commaList. */
export const SearchPlacementsQuery = z.strictObject({
  near: z.string().min(1).max(40).optional(),
  radiusMiles: z.coerce.number().min(1).max(500).optional(),
  state: StateCode.optional(),
  county: text(100).optional(),
  providerId: Id.optional(),
  age: z.coerce.number().pipe(Age).optional(),
  gender: z.enum(GENDERS).optional(),
  type: commaList(z.enum(PLACEMENT_TYPES), PLACEMENT_TYPES.length).optional(),
  specialization: commaList(z.enum(SPECIALIZATIONS), SPECIALIZATIONS.length).optional(),
  openBeds: BooleanQuery.optional(),
  ...PageQuery,
});
