import { describe, expect, it } from 'vitest';
import { inactiveBecause, withProviderStatus } from './placement-status';

describe('inactiveBecause', () => {
  it('names the placement when its own flag is off, whatever the provider', () => {
    expect(inactiveBecause({ active: false }, { active: true })).toBe('placement');
    expect(inactiveBecause({ active: false }, { active: false })).toBe('placement');
  });

  it('names the provider when an active placement belongs to an inactive provider', () => {
    expect(inactiveBecause({ active: true }, { active: false })).toBe('provider');
  });

  it('is undefined when both are active, or the provider was not found', () => {
    expect(inactiveBecause({ active: true }, { active: true })).toBeUndefined();
    expect(inactiveBecause({ active: true }, undefined)).toBeUndefined();
  });
});

describe('withProviderStatus', () => {
  const inactive = new Set(['prv-closed']);

  it("turns off an active placement of an inactive provider and keeps the rest of it", () => {
    const placement = { id: 'plc-1', providerId: 'prv-closed', active: true };
    expect(withProviderStatus(placement, inactive)).toStrictEqual({ id: 'plc-1', providerId: 'prv-closed', active: false });
    expect(placement.active).toBe(true);
  });

  it('returns the same placement when its provider is active or it is already inactive', () => {
    const open = { providerId: 'prv-open', active: true };
    const paused = { providerId: 'prv-closed', active: false };
    expect(withProviderStatus(open, inactive)).toBe(open);
    expect(withProviderStatus(paused, inactive)).toBe(paused);
  });
});
