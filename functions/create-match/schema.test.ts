import { describe, expect, it } from 'vitest';
import { MatchRequestBody } from './schema';

const youth = { age: 15, gender: 'female', location: { zip: '78701' } };

describe('POST /matches body', () => {
  it('defaults the options as API.md shows them', () => {
    expect(MatchRequestBody.parse({ youth }).options).toEqual({ limit: 20, includeFull: false, explainExcluded: true, excludedLimit: 50 });
    expect(MatchRequestBody.parse({ youth, options: { includeFull: true } }).options).toMatchObject({ includeFull: true, limit: 20 });
  });

  it('bounds the options and refuses unknown ones', () => {
    const paths = (body: unknown) => (MatchRequestBody.safeParse(body).error?.issues ?? []).map((i) => i.path.join('.'));
    expect(paths({ youth, options: { limit: 0 } })).toContain('options.limit');
    expect(paths({ youth, options: { limit: 101 } })).toContain('options.limit');
    expect(paths({ youth, options: { excludedLimit: 500 } })).toContain('options.excludedLimit');
    expect(MatchRequestBody.safeParse({ youth, options: { sortBy: 'name' } }).success).toBe(false);
    expect(MatchRequestBody.safeParse({ youth, extra: 1 }).success).toBe(false);
    expect(paths({})).toContain('youth');
  });
});
