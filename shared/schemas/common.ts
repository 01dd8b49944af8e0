import { z } from 'zod';
import { LANGUAGES, STATES } from './vocabulary';

/** Free text a person typed: bounded, trimmed, never empty. */
export const text = (max: number) => z.string().trim().min(1).max(max);

export const Id = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'must be an id (letters, digits, - and _)');
export const StateCode = z.enum(STATES);
export const Zip = z.string().regex(/^\d{5}$/, 'must be a 5-digit ZIP code');
export const Lat = z.number().min(-90).max(90);
export const Lon = z.number().min(-180).max(180);
export const LanguageCode = z.enum(LANGUAGES);
export const IsoDate = z.iso.date();
export const Age = z.number().int().min(0).max(25);

/** A list of distinct values, at most `max` long. */
export function setOf<T extends z.ZodType>(item: T, max: number) {
  return z
    .array(item)
    .max(max)
    .refine((xs) => new Set(xs as unknown[]).size === xs.length, 'must not repeat a value');
}

export const Location = z.strictObject({
  address: text(200).optional(),
  city: text(100),
  county: text(100).optional(),
  state: StateCode,
  zip: Zip,
  lat: Lat.optional(),
  lon: Lon.optional(),
  /** A safe house: street address and coordinates go only to admins, coordinators and the owner. */
  confidential: z.boolean().default(false),
});
export type LocationInput = z.infer<typeof Location>;

/** A location once stored: coordinates always present (resolved from the ZIP when not given). */
export interface StoredLocation {
  address?: string;
  city: string;
  county?: string;
  state: string;
  zip: string;
  lat: number;
  lon: number;
  confidential: boolean;
}

export const Contact = z.strictObject({
  name: text(120),
  role: text(120).optional(),
  phone: z.string().regex(/^[0-9+()\-. ]{7,25}$/, 'must be a phone number').optional(),
  email: z.email().max(200).optional(),
});

export const License = z.strictObject({
  number: text(60),
  expires: IsoDate,
});

/** `limit` (1..100, default 20) and an opaque `cursor`, as every list route takes them. */
export const PageQuery = {
  limit: z.coerce.number().int().min(1).max(100).default(20),
  cursor: z.string().min(1).max(2048).optional(),
};

/** API Gateway v2 joins a repeated query key with commas: `a=1&a=2` arrives as `"1,2"`. */
export function commaList<T extends z.ZodType>(item: T, max = 20) {
  return z.preprocess(
    (value) => (typeof value === 'string' ? value.split(',').map((v) => v.trim()).filter((v) => v.length > 0) : value),
    z.array(item).max(max),
  );
}

export const BooleanQuery = z.enum(['true', 'false']).transform((v) => v === 'true');

export { LANGUAGES };
