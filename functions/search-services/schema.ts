import { z } from 'zod';
import { Age, BooleanQuery, commaList, Id, LanguageCode, PageQuery, StateCode } from '../../shared/schemas/common';
import { SERVICE_CATEGORIES } from '../../shared/schemas/vocabulary';

export const SearchServicesQuery = z.strictObject({
  near: z.string().min(1).max(40).optional(),
  radiusMiles: z.coerce.number().min(1).max(500).optional(),
  state: StateCode.optional(),
  providerId: Id.optional(),
  category: commaList(z.enum(SERVICE_CATEGORIES), SERVICE_CATEGORIES.length).optional(),
  age: z.coerce.number().pipe(Age).optional(),
  language: commaList(LanguageCode, 13).optional(),
  telehealth: BooleanQuery.optional(),
  ...PageQuery,
});
