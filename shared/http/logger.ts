import { Console } from 'node:console';

/**
 * Straight to stdout and stderr, not through the global console: Lambda's Node.js runtime prefixes
 * what the global console prints with a time, the request id and a level, and a line so prefixed
 * is not a JSON log event to CloudWatch (Contributor Insights rules and metric filters read JSON
 * events; infra/constructs/harbor-alarms.ts, addMatchVolume).
 */
const out = new Console({ stdout: process.stdout, stderr: process.stderr });

/** One JSON line per event, so CloudWatch Logs Insights can query fields. Never log youth details. */
export function log(level: 'info' | 'warn' | 'error', message: string, fields: Record<string, unknown> = {}): void {
  if (process.env.HARBOR_QUIET === '1' && level !== 'error') return;
  const line = JSON.stringify({ level, message, ...fields, at: new Date().toISOString() });
  if (level === 'error') out.error(line);
  else out.log(line);
}
