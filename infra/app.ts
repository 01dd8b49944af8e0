import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { App, Tags, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks, HIPAASecurityChecks } from 'cdk-nag';
import { HarborApiStack } from './api-stack';
import { HarborDataStack } from './stateful-stack';

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** The context in cdk.json (feature flags). The CLI passes it too; tests get the same flags this way. */
function cdkJsonContext(): Record<string, unknown> {
  const cdkJson = JSON.parse(readFileSync(path.join(REPO_ROOT, 'cdk.json'), 'utf8')) as { context?: Record<string, unknown> };
  return cdkJson.context ?? {};
}

/** `-c harbor:reservedConcurrency=N` reserves (and caps) N concurrent executions per function. */
function reservedConcurrencyFromContext(app: App): number | undefined {
  const raw = app.node.tryGetContext('harbor:reservedConcurrency') as unknown;
  if (raw === undefined || raw === null || raw === '') return undefined;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1) {
    throw new Error(`harbor:reservedConcurrency must be a positive integer, got ${JSON.stringify(raw)}`);
  }
  return value;
}

/** `-c harbor:alarmEmail=oncall@agency.example` subscribes that address to the harbor-alarms topic. */
export function alarmEmailFromContext(app: App): string | undefined {
  const raw = app.node.tryGetContext('harbor:alarmEmail') as unknown;
  if (raw === undefined || raw === null || raw === '') return undefined;
  if (typeof raw !== 'string' || !/^[^\s@,;]+@[^\s@,;]+\.[^\s@,;]+$/.test(raw.trim())) {
    throw new Error(`harbor:alarmEmail must be one email address, got ${JSON.stringify(raw)}`);
  }
  return raw.trim();
}

export interface BuildAppOptions {
  /** Where to write the cloud assembly; the CLI sets it through CDK_OUTDIR. */
  readonly outdir?: string;
  /** Extra context on top of cdk.json's (tests use it to read findings instead of throwing). */
  readonly context?: Record<string, unknown>;
  /** Where the function handlers live (default: the repository's functions/). */
  readonly functionsDir?: string;
}

export interface HarborApp {
  readonly app: App;
  readonly stateful: HarborDataStack;
  readonly api: HarborApiStack;
}

/**
 * Builds the Harbor CDK app: the data stack, the API stack, and the cdk-nag AwsSolutions and
 * HIPAA Security packs as validation plugins (synthesis reports every unacknowledged finding).
 * Stacks are environment-agnostic: synthesis needs no AWS account or credentials.
 */
export function buildApp(options: BuildAppOptions = {}): HarborApp {
  const app = new App({
    outdir: options.outdir,
    context: { ...cdkJsonContext(), ...options.context },
  });

  const stateful = new HarborDataStack(app, 'HarborData', { alarmEmail: alarmEmailFromContext(app) });
  const reservedConcurrency = reservedConcurrencyFromContext(app);
  const api = new HarborApiStack(app, 'HarborApi', {
    table: stateful.table,
    referralBus: stateful.referralBus,
    logsKey: stateful.logsKey,
    alarmTopic: stateful.alarmTopic,
    reservedConcurrency,
    functionsDir: options.functionsDir,
  });

  Tags.of(app).add('project', 'harbor');

  Validations.of(app).addPlugins(new AwsSolutionsChecks(app), new HIPAASecurityChecks(app));

  return { app, stateful, api };
}

const invokedDirectly = process.argv[1] !== undefined && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href;
if (invokedDirectly) {
  buildApp().app.synth();
}
