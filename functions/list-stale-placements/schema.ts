import { z } from 'zod';
import { commaList, PageQuery, StateCode } from '../../shared/schemas/common';
import { STATES } from '../../shared/schemas/vocabulary';

/** GET /capacity/stale: `state` (repeatable; coordinators default to their jurisdiction), `freshness`. */
export const ListStaleCountsQuery = z.strictObject({
  state: commaList(StateCode, STATES.length).optional(),
  /** Which counts to list; default stale and never reported. */
  freshness: commaList(z.enum(['aging', 'stale', 'unknown']), 3).optional(),
  ...PageQuery,
});
