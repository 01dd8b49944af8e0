import { createHash } from 'node:crypto';

/**
 * HSDS requires every object id to be a UUID. Harbor's ids are not (`plc-00012`, `prv-…`), so each
 * HSDS id is derived, name-based, as an RFC 4122 version-5 UUID: SHA-1 of Harbor's namespace UUID
 * followed by the object's name (its HSDS kind and the Harbor id it comes from, e.g.
 * `service/placement/plc-00012`). The same Harbor object therefore keeps the same HSDS id on
 * every export, and a 211 that stored it can update the record instead of duplicating it.
 *
 * Changing this namespace changes every exported id: never change it.
 */
export const HARBOR_HSDS_NAMESPACE = 'ccd47c81-e168-45d3-8cf8-93d48da4de22';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A version-5 UUID of `name` in `namespace` (RFC 4122 §4.3). */
export function uuidV5(name: string, namespace: string = HARBOR_HSDS_NAMESPACE): string {
  if (!UUID.test(namespace)) throw new TypeError(`namespace must be a UUID, not "${namespace}"`);
  const bytes = createHash('sha1')
    .update(Buffer.from(namespace.replace(/-/g, ''), 'hex'))
    .update(name, 'utf8')
    .digest()
    .subarray(0, 16);
  bytes[6] = (bytes[6]! & 0x0f) | 0x50; // version 5
  bytes[8] = (bytes[8]! & 0x3f) | 0x80; // RFC 4122 variant
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** The HSDS id of one exported object: `hsdsId('service', 'placement', 'plc-00012')`. */
export function hsdsId(kind: string, ...parts: string[]): string {
  return uuidV5([kind, ...parts].join('/'));
}

export function isUuid(value: unknown): value is string {
  return typeof value === 'string' && UUID.test(value);
}
