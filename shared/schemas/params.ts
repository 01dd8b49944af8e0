import { z } from 'zod';
import { Id } from './common';

/** `{id}` in a route path. */
export const IdParams = z.strictObject({ id: Id });
