/** One JSON line per event, so CloudWatch Logs Insights can query fields. Never log youth details. */
export function log(level: 'info' | 'warn' | 'error', message: string, fields: Record<string, unknown> = {}): void {
  if (process.env.HARBOR_QUIET === '1' && level !== 'error') return;
  const line = JSON.stringify({ level, message, ...fields, at: new Date().toISOString() });
  if (level === 'error') console.error(line);
  else console.log(line);
}
