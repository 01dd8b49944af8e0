import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { CfnOutput, Duration, Stack, Validations } from 'aws-cdk-lib';
import type { Acknowledgment, StackProps } from 'aws-cdk-lib';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpUserPoolAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import type * as iam from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { flattenCfnReference } from 'cdk-nag/lib/utils/flatten-cfn-reference.js';
import type { Construct, IConstruct } from 'constructs';
import type { RouteDef } from '../shared/routes';
import { ROUTES } from '../shared/routes';
import type { ScheduleAlarmOptions } from './constructs/harbor-alarms';
import { HarborAlarms } from './constructs/harbor-alarms';
import { HarborAuth } from './constructs/harbor-auth';
import type { DataAccess } from './constructs/harbor-function';
import { createXRayWritePolicy, HarborFunction } from './constructs/harbor-function';
import { HarborHttpApi } from './constructs/harbor-http-api';

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** The repository's functions/ folder: one folder per Lambda, each with handler.ts. */
export const FUNCTIONS_DIR = path.join(REPO_ROOT, 'functions');

/** `<functionsDir>/<fn>/handler.ts`, absolute. */
export function handlerEntry(fn: string, functionsDir: string = FUNCTIONS_DIR): string {
  return path.join(functionsDir, fn, 'handler.ts');
}

/** The hold-expiry sweep (DESIGN §5); scheduled automatically once its handler exists. */
export const EXPIRE_REFERRALS_FN = 'expire-referrals';
export const EXPIRE_REFERRALS_RATE = Duration.minutes(5);
/** What stops when the sweep fails; it goes into the sweep's alarm descriptions. */
export const EXPIRE_REFERRALS_IMPACT =
  'bed holds past holdExpiresAt may not lapse (those beds stay blocked for other youth), unanswered referrals ' +
  'are not expired and slow providers are not escalated to the coordinator.';

/** Whether a route's function publishes referral events (and so gets events:PutEvents and EVENT_BUS_NAME). */
export function publishesReferralEvents(route: Pick<RouteDef, 'publishesEvents'>): boolean {
  return route.publishesEvents === true;
}

/** `create-provider` → `CreateProvider`: stable construct ids (and so logical ids) per function. */
function constructIdFor(fn: string): string {
  return fn
    .split(/[^a-zA-Z0-9]+/)
    .filter(Boolean)
    .map((part) => part[0]!.toUpperCase() + part.slice(1))
    .join('');
}

export interface HarborApiStackProps extends StackProps {
  readonly table: ITable;
  readonly referralBus: events.IEventBus;
  readonly logsKey: IKey;
  /** The `harbor-alarms` topic (HarborData): every alarm of this stack notifies it. */
  readonly alarmTopic: ITopic;
  /** Defaults to shared/routes.ts; tests pass a subset. */
  readonly routes?: readonly RouteDef[];
  /**
   * Reserved concurrency for every function. Unset by default: a new account's concurrency quota
   * can be as low as 10, and reserving any would fail the deploy; the stage throttle bounds load.
   */
  readonly reservedConcurrency?: number;
  /** Adds the expire-referrals schedule when its handler exists. Default true. */
  readonly autoSchedule?: boolean;
  /** Where the handlers live; only tests and local experiments change it. Default FUNCTIONS_DIR. */
  readonly functionsDir?: string;
}

export interface ScheduledFunctionOptions {
  readonly access?: DataAccess;
  readonly publishesEvents?: boolean;
  readonly description?: string;
  /** One sentence for the alarm descriptions: what stops happening when this schedule fails. */
  readonly failureImpact?: string;
}

/**
 * The stateless half: Cognito, the HTTP API, and one Lambda per route in shared/routes.ts (plus
 * scheduled functions). It can be destroyed and redeployed without touching any data.
 */
export class HarborApiStack extends Stack {
  readonly auth: HarborAuth;
  readonly api: HarborHttpApi;
  /** One per route, keyed by the route's `fn`. */
  readonly routeFunctions = new Map<string, HarborFunction>();
  /** Scheduled functions, keyed by name. */
  readonly scheduledFunctions = new Map<string, HarborFunction>();
  /** Every function's, schedule's and the HTTP API's alarms (constructs/harbor-alarms.ts). */
  readonly alarms: HarborAlarms;
  private readonly props: HarborApiStackProps;
  private readonly xrayPolicy: iam.ManagedPolicy;
  private readonly routeResources = new Map<string, apigwv2.HttpRoute>();

  constructor(scope: Construct, id: string, props: HarborApiStackProps) {
    super(scope, id, { description: 'Harbor API: Cognito, HTTP API, Lambda functions, schedules', ...props });
    this.props = props;

    this.auth = new HarborAuth(this, 'Auth');
    this.api = new HarborHttpApi(this, 'Http', { logsKey: props.logsKey });
    this.xrayPolicy = createXRayWritePolicy(this, 'XRayWritePolicy');
    this.alarms = new HarborAlarms(this, 'Alarms', { topic: props.alarmTopic });
    this.alarms.addHttpApi(this.api.httpApi);

    const authorizer = new HttpUserPoolAuthorizer('CognitoAuthorizer', this.auth.userPool, {
      userPoolClients: [this.auth.consoleClient],
      identitySource: ['$request.header.Authorization'],
    });

    for (const route of props.routes ?? ROUTES) this.addRoute(route, authorizer);
    const createMatch = this.routeFunctions.get('create-match');
    if (createMatch) this.alarms.addMatchVolume(createMatch);

    const expireEntry = handlerEntry(EXPIRE_REFERRALS_FN, props.functionsDir);
    if ((props.autoSchedule ?? true) && existsSync(expireEntry)) {
      this.addScheduledFunction(EXPIRE_REFERRALS_FN, expireEntry, EXPIRE_REFERRALS_RATE, {
        access: 'write',
        publishesEvents: true,
        description: 'Expire referrals whose answer window or bed hold has lapsed',
        failureImpact: EXPIRE_REFERRALS_IMPACT,
      });
    }

    new CfnOutput(this, 'ApiUrl', { value: this.api.url, description: 'Harbor HTTP API base URL' });
    new CfnOutput(this, 'UserPoolId', { value: this.auth.userPool.userPoolId, description: 'Cognito user pool id' });
    new CfnOutput(this, 'UserPoolClientId', {
      value: this.auth.consoleClient.userPoolClientId,
      description: 'Cognito app client id for the console (SRP, no secret)',
    });

    this.acknowledgeStackNagFindings();
  }

  private addRoute(route: RouteDef, authorizer: apigwv2.IHttpRouteAuthorizer): void {
    const entry = handlerEntry(route.fn, this.props.functionsDir);
    if (!existsSync(entry)) {
      throw new Error(`Route ${route.method} ${route.path} has no handler: expected ${entry}`);
    }
    const id = constructIdFor(route.fn);
    const fn = this.createFunction(id, {
      functionKey: route.fn,
      entry,
      description: `${route.method} ${route.path}`,
      access: route.access,
      publishesEvents: publishesReferralEvents(route),
    });
    this.routeFunctions.set(route.fn, fn);
    this.alarms.addFunction(fn);

    const [httpRoute] = this.api.httpApi.addRoutes({
      path: route.path,
      methods: [apigwv2.HttpMethod[route.method]],
      integration: new HttpLambdaIntegration(`${id}Integration`, fn.function),
      authorizer: route.roles === 'public' ? new apigwv2.HttpNoneAuthorizer() : authorizer,
    });
    if (!httpRoute) throw new Error(`No route created for ${route.method} ${route.path}`);
    this.routeResources.set(route.fn, httpRoute);

    this.acknowledgeFunctionNagFindings(fn, { asynchronous: false });
    if (route.roles === 'public') {
      Validations.of(httpRoute).acknowledge({
        id: 'AwsSolutions-APIG4',
        reason:
          `${route.method} ${route.path} is the only public route (roles: 'public' in shared/routes.ts): a liveness ` +
          'probe that reads no data and returns a constant body, so uptime checks can call it without a token.',
      });
    }
  }

  /**
   * Adds a function invoked by an EventBridge schedule (asynchronous, so it gets a dead-letter queue
   * for events that fail after Lambda's retries). Used for expire-referrals; call it for any new sweep.
   */
  addScheduledFunction(name: string, entry: string, rate: Duration, options: ScheduledFunctionOptions = {}): HarborFunction {
    const id = constructIdFor(name);
    const deadLetters = new sqs.Queue(this, `${id}DeadLetters`, {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    const fn = this.createFunction(id, {
      functionKey: name,
      entry,
      description: `schedule ${name} every ${rate.toHumanString()}`,
      access: options.access ?? 'write',
      publishesEvents: options.publishesEvents ?? false,
      timeout: Duration.seconds(60),
      deadLetterQueue: deadLetters,
    });
    new events.Rule(this, `${id}Schedule`, {
      description: `${options.description ?? `Runs ${name}`} (every ${rate.toHumanString()})`,
      schedule: events.Schedule.rate(rate),
      targets: [new targets.LambdaFunction(fn.function, { retryAttempts: 2, deadLetterQueue: deadLetters })],
    });
    this.scheduledFunctions.set(name, fn);

    const schedule: ScheduleAlarmOptions = {
      name,
      rate,
      impact: options.failureImpact ?? `the work ${name} does every ${rate.toHumanString()} is not done.`,
    };
    this.alarms.addFunction(fn, { schedule });
    this.alarms.addDeadLetterQueue(deadLetters, schedule);
    this.alarms.addScheduleHeartbeat(fn, schedule);

    this.acknowledgeFunctionNagFindings(fn, { asynchronous: true });
    Validations.of(deadLetters).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason: `This queue is itself the dead-letter queue of ${name} and its schedule; a DLQ of a DLQ adds nothing.`,
    });
    return fn;
  }

  private createFunction(
    id: string,
    options: {
      functionKey: string;
      entry: string;
      description: string;
      access: DataAccess;
      publishesEvents: boolean;
      timeout?: Duration;
      deadLetterQueue?: sqs.IQueue;
    },
  ): HarborFunction {
    return new HarborFunction(this, id, {
      functionKey: options.functionKey,
      entry: options.entry,
      description: options.description,
      access: options.access,
      table: this.props.table,
      logsKey: this.props.logsKey,
      xrayPolicy: this.xrayPolicy,
      publishesEvents: options.publishesEvents ? { bus: this.props.referralBus } : undefined,
      reservedConcurrentExecutions: this.props.reservedConcurrency,
      projectRoot: this.props.functionsDir === undefined ? undefined : path.dirname(this.props.functionsDir),
      timeout: options.timeout,
      deadLetterQueue: options.deadLetterQueue,
    });
  }

  /** The HTTP route of a route's function (for tests and later wiring). */
  routeFor(fn: string): apigwv2.HttpRoute | undefined {
    return this.routeResources.get(fn);
  }

  // ---------------------------------------------------------------------------------------------
  // cdk-nag acknowledgements. Every one is here (plus the public-route and DLQ ones above, which
  // are made where the resource is created); each is scoped to one construct and, for IAM, to the
  // exact finding (action or resource) it accepts. docs/infrastructure.md lists them all.
  // ---------------------------------------------------------------------------------------------

  private acknowledgeStackNagFindings(): void {
    Validations.of(this.xrayPolicy).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'xray:PutTraceSegments and xray:PutTelemetryRecords do not support resource-level permissions, so "*" is ' +
        'the only possible resource. This shared policy holds only those two actions.',
    });
  }

  private acknowledgeFunctionNagFindings(fn: HarborFunction, { asynchronous }: { asynchronous: boolean }): void {
    const lambdaFn = fn.function;
    Validations.of(lambdaFn).acknowledge(
      {
        id: 'AwsSolutions-L1',
        reason:
          'Runtime deliberately pinned to Node.js 22 (HARBOR_RUNTIME, supported by Lambda until 2027) and the ' +
          'esbuild target node22; the move to Node.js 24 is a one-line change made with its own test run.',
      },
      {
        id: 'HIPAA.Security-LambdaInsideVPC',
        reason:
          'The function reaches only AWS regional APIs (DynamoDB, EventBridge, CloudWatch Logs, X-Ray) over TLS with ' +
          'IAM-signed requests; Harbor has no VPC resources. A VPC would add NAT or interface endpoints (cost, ' +
          'cold-start latency) without narrowing who can reach the data, which IAM and the KMS key already do.',
      },
    );
    if (!asynchronous) {
      Validations.of(lambdaFn).acknowledge({
        id: 'HIPAA.Security-LambdaDLQ',
        reason:
          'Invoked synchronously by API Gateway only: a failure is returned to the caller as an HTTP error, and ' +
          'Lambda never queues these events, so a dead-letter queue would never receive anything.',
      });
    }
    if (this.props.reservedConcurrency === undefined) {
      Validations.of(lambdaFn).acknowledge({
        id: 'HIPAA.Security-LambdaConcurrency',
        reason:
          'Concurrency is bounded by the API stage throttle (rate 50/s, burst 100) rather than per-function ' +
          'reservations, which fail to deploy in accounts with a low concurrency quota. Set the context value ' +
          'harbor:reservedConcurrency to reserve (and cap) concurrency per function.',
      });
    }

    // The table's grant methods cover its indexes as `<table ARN>/index/*` and, for write access,
    // the KMS actions DynamoDB needs to encrypt new items with the customer-managed key.
    Validations.of(fn.role.permissions).acknowledge(...tableGrantWildcardFindings(this, this.props.table, fn.access));
  }
}

/**
 * The AwsSolutions-IAM5 findings that `grantReadData` / `grantReadWriteData` on the Harbor table
 * produce, spelled exactly as cdk-nag reports them (it flattens the policy's CloudFormation
 * reference). Computed, not copied, so a renamed table construct cannot leave a stale entry.
 */
function tableGrantWildcardFindings(consumer: Stack, table: ITable, access: DataAccess): Acknowledgment[] {
  const findings: Acknowledgment[] = [
    {
      id: `AwsSolutions-IAM5[Resource::${nagResourceName(consumer, table, table.tableArn)}/index/*]`,
      reason:
        "Queries use the table's GSIs (gsi1-gsi5, shared/data/table.ts); the grant covers the index ARNs " +
        'of this one table only, so adding an index needs no IAM change.',
    },
  ];
  if (access === 'write') {
    for (const action of ['kms:ReEncrypt*', 'kms:GenerateDataKey*']) {
      findings.push({
        id: `AwsSolutions-IAM5[Action::${action}]`,
        reason:
          'Writing items to a table encrypted with a customer-managed key needs the KMS data-key actions ' +
          '(as granted by grantReadWriteData); the statement is limited to the one Harbor data key ARN.',
      });
    }
  }
  return findings;
}

/**
 * How cdk-nag names `value` (an attribute of `owner`) in a finding when `consumer` uses it. A value
 * from another stack reaches
 * the policy as `Fn::ImportValue` of the export CDK generates; `exportValue` returns that same
 * import (it creates, or finds, the very export the automatic reference would use).
 */
function nagResourceName(consumer: Stack, owner: IConstruct, value: string): string {
  const producer = Stack.of(owner);
  const reference = producer === consumer ? value : producer.exportValue(value);
  return flattenCfnReference(consumer.resolve(reference));
}
