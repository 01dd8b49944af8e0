import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Duration, RemovalPolicy, Tags } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import type { IEventBus } from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { LogLevel, NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/**
 * The one runtime every Harbor function uses, next to the esbuild target it must match.
 * Node.js 24 is also available on Lambda; moving to it is this line, `ESBUILD_TARGET` and the
 * AwsSolutions-L1 acknowledgement in api-stack.ts.
 */
export const HARBOR_RUNTIME = lambda.Runtime.NODEJS_22_X;
const ESBUILD_TARGET = 'node22';

/** Function logs are kept long enough to investigate an incident reported months later. */
export const FUNCTION_LOG_RETENTION = logs.RetentionDays.ONE_YEAR;

/**
 * esbuild emits ESM; a few CommonJS dependencies still call `require`, which ESM lacks, so the
 * bundle recreates it first.
 */
const ESM_REQUIRE_BANNER = "import { createRequire } from 'module'; const require = createRequire(import.meta.url);";

export type DataAccess = 'read' | 'write';

/**
 * A Lambda role with no inline policy: every statement CDK or a `grant*` call adds lands in one
 * customer-managed policy per function (HIPAA.Security-IAMNoInlinePolicy), and X-Ray's two actions,
 * which have no resource-level permissions, land in the one shared `xrayPolicy` so that the only
 * `Resource::*` in Harbor's IAM is on that policy and nowhere else.
 */
export class HarborFunctionRole extends iam.Role {
  /** The function's own permissions: its log group, the table, the bus if it publishes. */
  readonly permissions: iam.ManagedPolicy;
  private readonly xrayPolicy: iam.IManagedPolicy;

  constructor(scope: Construct, id: string, props: { xrayPolicy: iam.IManagedPolicy; description: string }) {
    super(scope, id, {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: props.description,
    });
    this.xrayPolicy = props.xrayPolicy;
    this.permissions = new iam.ManagedPolicy(this, 'Permissions', { description: props.description });
    this.addManagedPolicy(this.permissions);
  }

  override addToPrincipalPolicy(statement: iam.PolicyStatement): iam.AddToPrincipalPolicyResult {
    if (isXRayWriteStatement(statement)) {
      // Lambda adds this statement for active tracing; the shared policy already holds it.
      this.addManagedPolicy(this.xrayPolicy);
      return { statementAdded: true, policyDependable: this.xrayPolicy };
    }
    this.permissions.addStatements(statement);
    return { statementAdded: true, policyDependable: this.permissions };
  }
}

const XRAY_WRITE_ACTIONS = ['xray:PutTraceSegments', 'xray:PutTelemetryRecords'];

function isXRayWriteStatement(statement: iam.PolicyStatement): boolean {
  return (
    statement.effect === iam.Effect.ALLOW &&
    statement.actions.length > 0 &&
    statement.actions.every((a) => XRAY_WRITE_ACTIONS.includes(a)) &&
    statement.resources.length === 1 &&
    statement.resources[0] === '*'
  );
}

/** The X-Ray write policy all Harbor functions share (see HarborFunctionRole). */
export function createXRayWritePolicy(scope: Construct, id: string): iam.ManagedPolicy {
  return new iam.ManagedPolicy(scope, id, {
    description: 'Harbor functions: send X-Ray trace segments (X-Ray has no resource-level permissions).',
    statements: [new iam.PolicyStatement({ actions: XRAY_WRITE_ACTIONS, resources: ['*'] })],
  });
}

export interface HarborFunctionProps {
  /** Path of the TypeScript module exporting `handler`. */
  readonly entry: string;
  /** What it is in the domain; for a route, `${method} ${path}` (tests map routes to functions by it). */
  readonly description: string;
  /** The Harbor name of the function: its folder under functions/. Tagged as `harbor:function`. */
  readonly functionKey: string;
  readonly table: ITable;
  /** `read` gets the table's read actions only; `write` gets read and write. */
  readonly access: DataAccess;
  /** Encrypts the function's log group. */
  readonly logsKey: IKey;
  readonly xrayPolicy: iam.IManagedPolicy;
  /** Grants events:PutEvents on this bus and sets EVENT_BUS_NAME. Only referral work publishes. */
  readonly publishesEvents?: { readonly bus: IEventBus };
  /** Caps the function's concurrency; unset leaves the API stage throttle as the limit. */
  readonly reservedConcurrentExecutions?: number;
  readonly timeout?: Duration;
  readonly memorySize?: number;
  /** The folder esbuild runs in (holds package-lock.json and the entry). Default: the repository. */
  readonly projectRoot?: string;
  /** Async invocations only (schedules): where failed events go after Lambda's retries. */
  readonly deadLetterQueue?: IQueue;
}

/**
 * One Harbor Lambda: Node.js on arm64, bundled locally by esbuild (never Docker) with the AWS SDK
 * inside the bundle, active tracing, its own KMS-encrypted log group with a retention, and IAM
 * limited to what its `access` says.
 */
export class HarborFunction extends Construct {
  readonly function: NodejsFunction;
  readonly role: HarborFunctionRole;
  readonly logGroup: logs.LogGroup;
  readonly access: DataAccess;
  /** The Harbor name of the function (its folder under functions/). */
  readonly functionKey: string;
  /** What it is in the domain (for a route, `${method} ${path}`). */
  readonly description: string;

  constructor(scope: Construct, id: string, props: HarborFunctionProps) {
    super(scope, id);
    this.access = props.access;
    this.functionKey = props.functionKey;
    this.description = props.description;

    this.role = new HarborFunctionRole(this, 'Role', {
      xrayPolicy: props.xrayPolicy,
      description: `Harbor ${props.functionKey} (${props.access})`,
    });

    this.logGroup = new logs.LogGroup(this, 'Logs', {
      retention: FUNCTION_LOG_RETENTION,
      encryptionKey: props.logsKey,
      // Logs may be evidence in an incident review; they outlive a redeployed API stack.
      removalPolicy: RemovalPolicy.RETAIN,
    });

    const environment: Record<string, string> = {
      TABLE_NAME: props.table.tableName,
      NODE_OPTIONS: '--enable-source-maps',
    };
    if (props.publishesEvents) environment.EVENT_BUS_NAME = props.publishesEvents.bus.eventBusName;

    this.function = new NodejsFunction(this, 'Function', {
      entry: props.entry,
      handler: 'handler',
      projectRoot: props.projectRoot ?? REPO_ROOT,
      depsLockFilePath: path.join(props.projectRoot ?? REPO_ROOT, 'package-lock.json'),
      description: props.description,
      runtime: HARBOR_RUNTIME,
      architecture: lambda.Architecture.ARM_64,
      memorySize: props.memorySize ?? 512,
      timeout: props.timeout ?? Duration.seconds(10),
      tracing: lambda.Tracing.ACTIVE,
      role: this.role,
      logGroup: this.logGroup,
      environment,
      reservedConcurrentExecutions: props.reservedConcurrentExecutions,
      deadLetterQueue: props.deadLetterQueue,
      awsSdkConnectionReuse: false, // SDK v3 reuses connections by default; the variable is v2-only.
      bundling: {
        format: OutputFormat.ESM,
        banner: ESM_REQUIRE_BANNER,
        target: ESBUILD_TARGET,
        minify: true,
        sourceMap: true,
        // Maps without the original sources are a third of the size (less to load with
        // --enable-source-maps) and still turn stack traces into file:line of the TypeScript.
        sourcesContent: false,
        // ESM entry points first, so esbuild can drop unused SDK code.
        mainFields: ['module', 'main'],
        externalModules: [],
        bundleAwsSDK: true,
        forceDockerBundling: false,
        // Warnings and errors only: a size report per function drowns the synth and test output.
        logLevel: LogLevel.WARNING,
      },
    });

    // The role's policy (not a CDK default) writes logs: only to this function's own log group.
    this.logGroup.grantWrite(this.role);

    if (props.access === 'write') props.table.grantReadWriteData(this.role);
    else props.table.grantReadData(this.role);

    props.publishesEvents?.bus.grantPutEventsTo(this.role);

    Tags.of(this.function).add('harbor:function', props.functionKey);
    Tags.of(this.function).add('harbor:access', props.access);
  }
}
