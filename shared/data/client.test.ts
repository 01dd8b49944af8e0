import { describe, expect, it } from 'vitest';
import { createDocumentClient } from './client';

describe('the DynamoDB client', () => {
  it('gives the SDK a logger without info or error, so it does not copy every response to log it, and keeps debug for the credential providers', () => {
    const doc = createDocumentClient({ endpoint: 'http://127.0.0.1:1' });
    const logger = doc.config.logger as unknown as Record<string, unknown>;
    expect(logger.info).toBeUndefined();
    expect(logger.error).toBeUndefined();
    expect(typeof logger.debug).toBe('function');
    expect(typeof logger.warn).toBe('function');
    doc.destroy();
  });
});
