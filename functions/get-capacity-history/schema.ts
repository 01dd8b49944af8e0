import { z } from 'zod';
import { PageQuery } from '../../shared/schemas/common';

export const CapacityHistoryQuery = z.strictObject({ ...PageQuery });
