import { z } from 'zod';
import { commaList, StateCode } from '../../shared/schemas/common';
import { STATES } from '../../shared/schemas/vocabulary';

const Month = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'must be a month, YYYY-MM');

/** GET /reports/unmet-demand: `from`, `to` (months, inclusive; default the last 12), `state` (repeatable). */
export const UnmetDemandQuery = z.strictObject({
  from: Month.optional(),
  to: Month.optional(),
  state: commaList(StateCode, STATES.length).optional(),
});
