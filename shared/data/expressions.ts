/**
 * Builds `SET #f0 = :v0, …` for the given top-level attributes, with placeholder names so any
 * attribute name is safe. Nested maps are replaced whole (PATCH semantics: a field given
 * replaces that field).
 */
export function setExpression(values: Record<string, unknown>, prefix = 'f') {
  const names: Record<string, string> = {};
  const vals: Record<string, unknown> = {};
  const parts: string[] = [];
  Object.entries(values).forEach(([key, value], i) => {
    if (value === undefined) return;
    names[`#${prefix}${i}`] = key;
    vals[`:${prefix}${i}`] = value;
    parts.push(`#${prefix}${i} = :${prefix}${i}`);
  });
  return { expression: `SET ${parts.join(', ')}`, names, values: vals };
}

/** Runs `task` over `inputs` with at most `limit` in flight, keeping input order in the result. */
export async function mapLimited<I, O>(inputs: readonly I[], limit: number, task: (input: I) => Promise<O>): Promise<O[]> {
  const results = new Array<O>(inputs.length);
  let next = 0;
  const workers = Array.from({ length: Math.min(limit, inputs.length) }, async () => {
    while (next < inputs.length) {
      const i = next++;
      results[i] = await task(inputs[i]!);
    }
  });
  await Promise.all(workers);
  return results;
}
