// aws-sdk-client-mock-vitest 6 augments vitest's `Assertion`, which vitest 4 no longer merges into
// `expect(...)`'s type; this adds its matchers (toReceiveCommandWith, …) to `Matchers` instead.
// The matchers themselves are registered for every unit test in tests/setup-unit.ts.
import type { CustomMatcher } from 'aws-sdk-client-mock-vitest';

declare module 'vitest' {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type, @typescript-eslint/no-explicit-any
  interface Matchers<T = any> extends CustomMatcher<T> {}
}
