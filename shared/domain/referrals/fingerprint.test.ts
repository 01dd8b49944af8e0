import { describe, expect, it } from 'vitest';
import { canonicalJson, requestFingerprint, youthKeyOf } from './fingerprint';

describe('request fingerprints', () => {
  it('ignores key order at every level', () => {
    expect(requestFingerprint({ a: 1, b: { c: [1, { d: 2, e: 3 }] } })).toBe(requestFingerprint({ b: { c: [1, { e: 3, d: 2 }] }, a: 1 }));
  });

  it('tells different bodies apart', () => {
    expect(requestFingerprint({ a: 1 })).not.toBe(requestFingerprint({ a: 2 }));
    expect(requestFingerprint({ a: [1, 2] })).not.toBe(requestFingerprint({ a: [2, 1] }));
  });

  it('drops undefined fields as JSON does', () => {
    expect(canonicalJson({ a: 1, b: undefined })).toBe('{"a":1}');
  });

  it('keys a youth by referrer scope and case reference', () => {
    expect(youthKeyOf('agency:a', 'C-1')).toBe(youthKeyOf('agency:a', 'C-1'));
    expect(youthKeyOf('agency:a', 'C-1')).not.toBe(youthKeyOf('agency:b', 'C-1'));
    expect(youthKeyOf('agency:a', 'C-1')).not.toContain('C-1');
  });
});
