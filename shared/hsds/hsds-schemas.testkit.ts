/**
 * Test-only: validators for the HSDS schemas in tests/fixtures/hsds-3.0/ (copied unchanged from
 * Open Referral, CC BY-SA 4.0; see LICENSE and SOURCE there). Never imported by product code: it
 * uses ajv, a devDependency.
 *
 * The schemas declare no `$schema`; they are written as draft 2020-12-compatible JSON Schema
 * with non-standard keywords (`constraints`, `datapackage_metadata`, `tabular_required`, …), so
 * ajv runs with `strict: false` and ajv-formats checks `uuid`, `uri`, `email` and `date-time`.
 * The compiled schemas are 2–3.5 MB each and take a few seconds to compile: build them once.
 */
import type { ValidateFunction } from 'ajv';
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const HSDS_FIXTURES = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'tests', 'fixtures', 'hsds-3.0');

const readJson = (...path: string[]) => JSON.parse(readFileSync(join(HSDS_FIXTURES, ...path), 'utf8')) as Record<string, unknown>;

function newAjv(): Ajv2020 {
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats(ajv);
  return ajv;
}

export type CompiledSchemaName = 'service' | 'organization' | 'service_at_location';

/** A validator for one of the compiled (self-contained) HSDS 3.0 schemas. */
export function compiledValidator(name: CompiledSchemaName): ValidateFunction {
  return newAjv().compile(readJson('schema', 'compiled', `${name}.json`));
}

/**
 * A validator for the HSDS 3.1 draft's `service_capacity` (capacity-3.1/). Its `$ref`s to
 * `unit.json` (3.1 draft) and to `attribute.json` / `metadata.json` are resolved against the
 * copies in the fixtures (the latter two, and what they reference, from HSDS 3.0).
 */
export function serviceCapacityValidator(): ValidateFunction {
  const ajv = newAjv();
  for (const name of ['attribute', 'metadata', 'taxonomy_term', 'taxonomy']) ajv.addSchema(readJson('schema', `${name}.json`), `${name}.json`);
  ajv.addSchema(readJson('capacity-3.1', 'unit.json'), 'unit.json');
  ajv.addSchema(readJson('capacity-3.1', 'service_capacity.json'), 'service_capacity.json');
  return ajv.getSchema('service_capacity.json')!;
}

/** A validator for HSDS 3.0's `taxonomy_term` (and, through it, `taxonomy`). */
export function taxonomyTermValidator(): ValidateFunction {
  const ajv = newAjv();
  for (const name of ['metadata', 'taxonomy']) ajv.addSchema(readJson('schema', `${name}.json`), `${name}.json`);
  ajv.addSchema(readJson('schema', 'taxonomy_term.json'), 'taxonomy_term.json');
  return ajv.getSchema('taxonomy_term.json')!;
}

/**
 * Whether `value` is valid, as a plain boolean: ajv's validators are type guards, and a guard
 * inside `filter((x) => !validate(x))` would narrow the failures to `never`.
 */
export function isValid(validate: ValidateFunction, value: unknown): boolean {
  return validate(value) === true;
}

/** `label: errors` for each item that fails, read right after validating it (ajv keeps only the last errors). */
export function failuresOf<T>(validate: ValidateFunction, items: readonly T[], label: (item: T) => string): string[] {
  return items.flatMap((item) => (isValid(validate, item) ? [] : [`${label(item)}: ${describeErrors(validate)}`]));
}

/** ajv's errors as short lines, for a failing expectation's message. */
export function describeErrors(validate: ValidateFunction): string {
  return (validate.errors ?? [])
    .slice(0, 10)
    .map((e) => `${e.instancePath || '(root)'} ${e.message ?? ''}`)
    .join('; ');
}
