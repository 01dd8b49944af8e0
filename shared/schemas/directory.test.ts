import { describe, expect, it } from 'vitest';
import { fieldProblems } from '../http/validation';
import { CapacityReport, CreatePlacementBody, CreateServiceBody, UpdatePlacementBody } from './directory';

export const validPlacement = {
  providerId: 'prv-1',
  name: 'Casa Esperanza',
  type: 'group_home',
  location: { city: 'Austin', county: 'Travis', state: 'TX', zip: '78701' },
  population: { minAge: 12, maxAge: 17, genders: ['female'] },
  security: 'staff_secure',
  languages: ['en', 'es'],
  license: { number: 'TX-1', expires: '2027-06-30' },
  capacity: { total: 5, occupied: 2 },
};

const problems = (schema: { safeParse: (v: unknown) => { success: boolean; error?: unknown } }, value: unknown) => {
  const r = schema.safeParse(value);
  return r.success ? [] : fieldProblems(r.error as never).map((p) => p.path);
};

describe('strict directory schemas', () => {
  it('accepts a minimal valid placement and fills defaults', () => {
    const parsed = CreatePlacementBody.parse(validPlacement);
    expect(parsed.location.confidential).toBe(false);
    expect(parsed.population.acceptsPregnant).toBe(false);
    expect(parsed.active).toBe(true);
  });

  it('names every unknown field, at any depth', () => {
    expect(problems(CreatePlacementBody, { ...validPlacement, colour: 'blue' })).toEqual(['colour']);
    expect(problems(CreatePlacementBody, { ...validPlacement, location: { ...validPlacement.location, gps: 1 } })).toEqual(['location.gps']);
  });

  it('onHold is never writable: it is an unknown field in a capacity report and in a placement', () => {
    expect(problems(CapacityReport, { total: 5, occupied: 1, onHold: 0 })).toEqual(['onHold']);
    expect(problems(CreatePlacementBody, { ...validPlacement, capacity: { total: 5, occupied: 1, onHold: 2 } })).toEqual(['capacity.onHold']);
    expect(problems(UpdatePlacementBody, { capacity: { total: 1, occupied: 0 } })).toContain('capacity');
  });

  it('names wrong types and out-of-range numbers', () => {
    expect(problems(CapacityReport, { total: '5', occupied: 1 })).toEqual(['total']);
    expect(problems(CapacityReport, { total: 5, occupied: 1.5 })).toEqual(['occupied']);
    expect(problems(CapacityReport, { total: 5000, occupied: 1 })).toEqual(['total']);
    expect(problems(CreatePlacementBody, { ...validPlacement, population: { minAge: 17, maxAge: 12, genders: ['female'] } })).toEqual(['population.maxAge']);
    expect(problems(CreatePlacementBody, { ...validPlacement, type: 'hotel' })).toEqual(['type']);
    expect(problems(CreatePlacementBody, { ...validPlacement, languages: ['en', 'en'] })).toEqual(['languages']);
    expect(problems(CreatePlacementBody, { ...validPlacement, location: { ...validPlacement.location, zip: '787' } })).toEqual(['location.zip']);
  });

  it('an empty PATCH is refused rather than silently bumping the version', () => {
    expect(UpdatePlacementBody.safeParse({}).success).toBe(false);
  });

  it('services are as strict', () => {
    const service = {
      providerId: 'prv-1',
      name: 'Survivor mentoring',
      category: 'survivor_mentoring',
      location: { city: 'Austin', state: 'TX', zip: '78701' },
      modality: 'both',
      population: { minAge: 12, maxAge: 21, genders: ['female', 'nonbinary'] },
      languages: ['en'],
    };
    expect(CreateServiceBody.safeParse(service).success).toBe(true);
    expect(problems(CreateServiceBody, { ...service, category: 'yoga' })).toEqual(['category']);
    expect(problems(CreateServiceBody, { ...service, openSlots: -1 })).toEqual(['openSlots']);
  });
});
