import { z } from 'zod';
import { PageQuery } from '../../shared/schemas/common';

export const ListProvidersQuery = z.strictObject({ ...PageQuery });
