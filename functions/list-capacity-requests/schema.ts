import { z } from 'zod';
import { Id, PageQuery } from '../../shared/schemas/common';

/** GET /capacity-requests: provider staff list their own; an admin names `providerId`. */
export const ListCapacityRequestsQuery = z.strictObject({ providerId: Id.optional(), ...PageQuery });
