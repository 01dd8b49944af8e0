/**
 * Prints each Lambda function's bundle size from a synthesized cloud assembly.
 *
 *   npm run synth && npx tsx scripts/bundle-sizes.ts [cdk.out] [--json]
 *
 * It reads the templates listed in the assembly's manifest, finds every AWS::Lambda::Function,
 * maps its code (S3Key `<hash>.zip`) to the staged asset folder `asset.<hash>`, and reports the
 * bytes of the handler bundle (index.mjs or index.js), its source map, and the gzip size of the
 * bundle (roughly what the deployment zip adds per function).
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { gzipSync } from 'node:zlib';

interface FunctionBundle {
  stack: string;
  logicalId: string;
  description: string;
  bundleFile: string;
  bundleBytes: number;
  gzipBytes: number;
  sourceMapBytes: number;
}

type Template = { Resources?: Record<string, { Type: string; Properties?: Record<string, unknown> }> };

function stackTemplates(assemblyDir: string): { stack: string; template: Template }[] {
  const manifest = JSON.parse(readFileSync(path.join(assemblyDir, 'manifest.json'), 'utf8')) as {
    artifacts?: Record<string, { type: string; properties?: { templateFile?: string } }>;
  };
  return Object.entries(manifest.artifacts ?? {})
    .filter(([, a]) => a.type === 'aws:cloudformation:stack' && a.properties?.templateFile)
    .map(([stack, a]) => ({
      stack,
      template: JSON.parse(readFileSync(path.join(assemblyDir, a.properties!.templateFile!), 'utf8')) as Template,
    }));
}

export function functionBundles(assemblyDir: string): FunctionBundle[] {
  const bundles: FunctionBundle[] = [];
  for (const { stack, template } of stackTemplates(assemblyDir)) {
    for (const [logicalId, resource] of Object.entries(template.Resources ?? {})) {
      if (resource.Type !== 'AWS::Lambda::Function') continue;
      const code = resource.Properties?.Code as { S3Key?: unknown } | undefined;
      if (typeof code?.S3Key !== 'string') continue; // inline or image code: no bundle to measure
      const assetDir = path.join(assemblyDir, `asset.${code.S3Key.replace(/\.zip$/, '')}`);
      const bundleFile = ['index.mjs', 'index.js'].map((f) => path.join(assetDir, f)).find((f) => existsSync(f));
      if (!bundleFile) throw new Error(`No index.mjs/index.js in ${assetDir} for ${stack}/${logicalId}`);
      const mapFile = `${bundleFile}.map`;
      bundles.push({
        stack,
        logicalId,
        description: String(resource.Properties?.Description ?? ''),
        bundleFile: path.relative(assemblyDir, bundleFile),
        bundleBytes: statSync(bundleFile).size,
        gzipBytes: gzipSync(readFileSync(bundleFile)).length,
        sourceMapBytes: existsSync(mapFile) ? statSync(mapFile).size : 0,
      });
    }
  }
  return bundles.sort((a, b) => b.bundleBytes - a.bundleBytes);
}

function kib(bytes: number): string {
  return `${(bytes / 1024).toFixed(1)} KiB`;
}

function main(): void {
  const args = process.argv.slice(2);
  const assemblyDir = path.resolve(args.find((a) => !a.startsWith('--')) ?? 'cdk.out');
  if (!existsSync(path.join(assemblyDir, 'manifest.json'))) {
    console.error(`No cloud assembly at ${assemblyDir}: run \`npm run synth\` first.`);
    process.exit(1);
  }
  const bundles = functionBundles(assemblyDir);
  if (args.includes('--json')) {
    console.log(JSON.stringify(bundles, null, 2));
    return;
  }
  const rows = bundles.map((b) => [b.description || b.logicalId, String(b.bundleBytes), kib(b.bundleBytes), kib(b.gzipBytes), kib(b.sourceMapBytes)]);
  const header = ['function', 'bytes', 'bundle', 'gzip', 'source map'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  console.log(line(header));
  for (const row of rows) console.log(line(row));
  const total = bundles.reduce((sum, b) => sum + b.bundleBytes, 0);
  console.log(`\n${bundles.length} functions, ${total} bytes of bundles in total (${kib(total)}); largest ${kib(bundles[0]?.bundleBytes ?? 0)}.`);
}

main();
