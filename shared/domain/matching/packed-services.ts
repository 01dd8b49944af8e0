import type { Service } from '../../schemas/directory';
import { SERVICE_CATEGORIES } from '../../schemas/vocabulary';

/**
 * The services a match read, with what indexing them reads of every one (category, whether it
 * offers telehealth, coordinates) copied into flat columns once, when they have been read
 * (`servicesForMatch`): the wraparound search (`ServiceFinder`) then builds its grids and
 * telehealth lists from the columns and reads a service's object only when a placement is near
 * it. At 100k placements a match may read 70k services, and reading each one's object and
 * location to index it was most of the ranking's service work (scratch: 10 of 19 ms).
 *
 * A category outside the vocabulary gets `OTHER_CATEGORY`, which no search asks for (the
 * categories searched are those of NEED_SERVICE_CATEGORIES), as no search would match its word.
 */
export const OTHER_CATEGORY = 255;

const CATEGORY_CODES: ReadonlyMap<unknown, number> = new Map(SERVICE_CATEGORIES.map((category, i) => [category, i]));

/** The number `PackedServices.category` holds for `category`. */
export function serviceCategoryCode(category: unknown): number {
  return CATEGORY_CODES.get(category) ?? OTHER_CATEGORY;
}

export class PackedServices {
  readonly size: number;
  /** `serviceCategoryCode` of each service's category. */
  readonly category: Uint8Array;
  /** 1 when the service offers telehealth (`modality` other than `in_person`). */
  readonly telehealth: Uint8Array;
  readonly lat: Float64Array;
  readonly lon: Float64Array;

  private constructor(readonly services: readonly Service[]) {
    const n = services.length;
    this.size = n;
    this.category = new Uint8Array(n);
    this.telehealth = new Uint8Array(n);
    this.lat = new Float64Array(n);
    this.lon = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const s = services[i]!;
      this.category[i] = serviceCategoryCode(s.category);
      this.telehealth[i] = s.modality === 'in_person' ? 0 : 1;
      const at = s.location;
      this.lat[i] = at.lat;
      this.lon[i] = at.lon;
    }
  }

  static of(services: readonly Service[]): PackedServices {
    return new PackedServices(services);
  }
}
