import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { App, Duration, Validations } from 'aws-cdk-lib';
import type { Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { build } from 'esbuild';
import type { CfnKey } from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import { AwsSolutionsChecks, HIPAASecurityChecks } from 'cdk-nag';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HarborApiStack, EXPIRE_REFERRALS_FN, handlerEntry, publishesReferralEvents } from '../../infra/api-stack';
import { alarmEmailFromContext, buildApp } from '../../infra/app';
import { ALARM_TOPIC_NAME, MAX_ALARM_DESCRIPTION, MAX_METRICS_PER_ALARM } from '../../infra/constructs/harbor-alarms';
import type { HarborApp } from '../../infra/app';
import { HarborDataStack } from '../../infra/stateful-stack';
import { ROLES } from '../../shared/auth/roles';
import { HarborTable, indexProjection } from '../../shared/data/table';
import { ROUTES } from '../../shared/routes';
import type { RouteDef } from '../../shared/routes';

// Intent, not snapshots: every assertion below names a property Harbor relies on (DESIGN §6).
// Bundling one function per route is the slow part, so each app is built and synthesized once.

type Resource = { Type: string; Properties?: Record<string, unknown>; DeletionPolicy?: string; UpdateReplacePolicy?: string };
type Statement = { Effect: string; Action: string | string[]; Resource: unknown };

/** Synth options for tests: findings go to the report file (asserted below) instead of throwing. */
const REPORT_INSTEAD_OF_THROW = { '@aws-cdk/core:failSynthOnValidationErrors': false };

const NAG_PACKS = ['AwsSolutions', 'HIPAA.Security'];

const DYNAMODB_WRITE_ACTIONS = [
  'dynamodb:PutItem',
  'dynamodb:UpdateItem',
  'dynamodb:DeleteItem',
  'dynamodb:BatchWriteItem',
  'dynamodb:PartiQLInsert',
  'dynamodb:PartiQLUpdate',
  'dynamodb:PartiQLDelete',
  'dynamodb:*',
];
// grantReadData includes ConditionCheckItem: it evaluates a condition inside a transaction and
// writes nothing. TransactWriteItems is not an IAM action (each item is authorized as Put/Update/...).
const DYNAMODB_READ_ACTIONS = [
  'dynamodb:GetItem',
  'dynamodb:BatchGetItem',
  'dynamodb:Query',
  'dynamodb:Scan',
  'dynamodb:ConditionCheckItem',
  'dynamodb:DescribeTable',
  'dynamodb:GetRecords',
  'dynamodb:GetShardIterator',
];

function asArray<T>(value: T | T[] | undefined): T[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}

function resourcesOfType(template: Template, type: string): [string, Resource][] {
  return Object.entries(template.findResources(type) as Record<string, Resource>);
}

function props(resource: Resource): Record<string, unknown> {
  return resource.Properties ?? {};
}

function logicalIdOf(stack: Stack, construct: { node: { defaultChild?: unknown } }): string {
  return stack.getLogicalId(construct.node.defaultChild as CfnKey);
}

/** The one function whose description is the route's `${method} ${path}`. */
function functionForRoute(template: Template, route: RouteDef): [string, Resource] {
  const matches = resourcesOfType(template, 'AWS::Lambda::Function').filter(
    ([, fn]) => props(fn).Description === `${route.method} ${route.path}`,
  );
  expect(matches, `functions described as "${route.method} ${route.path}"`).toHaveLength(1);
  return matches[0]!;
}

/** Every statement any policy attached to the function's role grants (managed or inline). */
function statementsOf(template: Template, fn: Resource): Statement[] {
  const roleId = (props(fn).Role as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
  const role = template.toJSON().Resources[roleId] as Resource;
  const statements: Statement[] = [];
  for (const inline of asArray(props(role).Policies as { PolicyDocument: { Statement: Statement[] } }[])) {
    statements.push(...inline.PolicyDocument.Statement);
  }
  for (const arn of asArray(props(role).ManagedPolicyArns as unknown[])) {
    const ref = (arn as { Ref?: string }).Ref;
    if (!ref) throw new Error(`Role ${roleId} uses a managed policy that is not Harbor's own: ${JSON.stringify(arn)}`);
    const policy = template.toJSON().Resources[ref] as Resource;
    statements.push(...(props(policy).PolicyDocument as { Statement: Statement[] }).Statement);
  }
  for (const [, policy] of resourcesOfType(template, 'AWS::IAM::Policy')) {
    if (asArray(props(policy).Roles as unknown[]).some((r) => (r as { Ref?: string }).Ref === roleId)) {
      statements.push(...(props(policy).PolicyDocument as { Statement: Statement[] }).Statement);
    }
  }
  return statements;
}

function actionsOf(statements: Statement[]): string[] {
  return statements.flatMap((s) => asArray(s.Action));
}

interface ReportedViolation {
  plugin: string;
  rule: string;
  severity: string;
  paths: string[];
}

/** Every violation in the cloud assembly's validation report (what `cdk synth` prints and fails on). */
function reportedViolations(assemblyDir: string): ReportedViolation[] {
  const report = JSON.parse(readFileSync(path.join(assemblyDir, 'validation-report.json'), 'utf8')) as {
    pluginReports: {
      pluginName: string;
      violations: { ruleName: string; severity: string; violatingConstructs?: { constructPath: string }[] }[];
    }[];
  };
  return report.pluginReports.flatMap((r) =>
    r.violations.map((v) => ({
      plugin: r.pluginName,
      rule: v.ruleName,
      severity: v.severity,
      paths: (v.violatingConstructs ?? []).map((c) => c.constructPath),
    })),
  );
}

const PUBLISHER_MODULE = 'shared/events/publisher.ts';

/** Whether the handler's own code (packages left out) imports the event publisher. */
async function importsEventPublisher(entry: string): Promise<boolean> {
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    write: false,
    metafile: true,
    platform: 'node',
    format: 'esm',
    packages: 'external',
    logLevel: 'silent',
    absWorkingDir: path.resolve(import.meta.dirname, '..', '..'),
  });
  return Object.keys(result.metafile.inputs).includes(PUBLISHER_MODULE);
}

type AlarmProps = {
  AlarmName: string;
  AlarmDescription: string;
  ActionsEnabled?: boolean;
  AlarmActions?: unknown[];
  OKActions?: unknown[];
  MetricName?: string;
  Namespace?: string;
  Dimensions?: unknown[];
  Threshold: number;
  ComparisonOperator: string;
  TreatMissingData?: string;
  Metrics?: { Id: string; Expression?: string; Period?: number; ReturnData?: boolean; MetricStat?: { Metric: { MetricName: string; Namespace: string; Dimensions: unknown[] }; Period: number; Stat: string } }[];
};

/** Alarms of a template matching `properties` (a Match pattern), as [logical id, properties]. */
function alarmsLike(template: Template, properties: Record<string, unknown> = {}): [string, AlarmProps][] {
  const found = template.findResources('AWS::CloudWatch::Alarm', { Properties: Match.objectLike(properties) }) as Record<string, Resource>;
  return Object.entries(found).map(([id, alarm]) => [id, props(alarm) as AlarmProps]);
}

/** A math alarm reads a metric with this name (and optionally these dimensions). */
function readsMetric(metricName: string, dimensions?: unknown): Record<string, unknown> {
  const metric: Record<string, unknown> = { MetricName: metricName };
  if (dimensions) metric.Dimensions = dimensions;
  return { Metrics: Match.arrayWith([Match.objectLike({ MetricStat: Match.objectLike({ Metric: Match.objectLike(metric) }) })]) };
}

/** How the stack's alarms name the topic: a Ref in HarborData, the matching Fn::ImportValue in HarborApi. */
function alarmTopicReferences(): { inData: unknown; inApi: unknown } {
  const topicId = logicalIdOf(built.stateful, built.stateful.alarmNotifications.topic);
  const outputs = Object.values(data.toJSON().Outputs as Record<string, { Value: unknown; Export?: { Name: string } }>);
  const exported = outputs.find((o) => JSON.stringify(o.Value) === JSON.stringify({ Ref: topicId }));
  expect(exported?.Export?.Name, 'HarborData exports the alarm topic').toBeDefined();
  return { inData: { Ref: topicId }, inApi: { 'Fn::ImportValue': exported!.Export!.Name } };
}

function describeViolations(violations: ReportedViolation[]): string {
  return violations.map((v) => `${v.severity} ${v.rule} at ${v.paths.join(', ')}`).join('\n');
}

let outdir: string;
let built: HarborApp;
let assemblyDir: string;
let data: Template;
let api: Template;

beforeAll(() => {
  outdir = mkdtempSync(path.join(tmpdir(), 'harbor-infra-test-'));
  built = buildApp({ outdir, context: REPORT_INSTEAD_OF_THROW });
  assemblyDir = built.app.synth().directory;
  data = Template.fromStack(built.stateful);
  api = Template.fromStack(built.api);
});

afterAll(() => {
  if (outdir) rmSync(outdir, { recursive: true, force: true });
});

describe('HarborData: the table and what protects it', () => {
  it('encrypts the table with the customer-managed data key, which rotates', () => {
    const keyId = logicalIdOf(built.stateful, built.stateful.dataKey);
    data.hasResourceProperties('AWS::DynamoDB::Table', {
      SSESpecification: { SSEEnabled: true, SSEType: 'KMS', KMSMasterKeyId: { 'Fn::GetAtt': [keyId, 'Arn'] } },
    });
    data.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
    for (const [, key] of resourcesOfType(data, 'AWS::KMS::Key')) expect(props(key).EnableKeyRotation).toBe(true);
  });

  it('has point-in-time recovery, deletion protection, RETAIN and on-demand billing', () => {
    data.hasResource('AWS::DynamoDB::Table', {
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
      Properties: Match.objectLike({
        PointInTimeRecoverySpecification: Match.objectLike({ PointInTimeRecoveryEnabled: true }),
        DeletionProtectionEnabled: true,
        BillingMode: 'PAY_PER_REQUEST',
      }),
    });
    for (const [, key] of resourcesOfType(data, 'AWS::KMS::Key')) expect(key.DeletionPolicy).toBe('Retain');
  });

  it('is built from HarborTable: keys, TTL attribute and every index with its projection', () => {
    const indexes = Object.values(HarborTable.indexes);
    data.resourceCountIs('AWS::DynamoDB::Table', 1);
    data.hasResourceProperties('AWS::DynamoDB::Table', {
      KeySchema: [
        { AttributeName: HarborTable.partitionKey, KeyType: 'HASH' },
        { AttributeName: HarborTable.sortKey, KeyType: 'RANGE' },
      ],
      TimeToLiveSpecification: { AttributeName: HarborTable.ttlAttribute, Enabled: true },
      GlobalSecondaryIndexes: indexes.map((index) => ({
        IndexName: index.name,
        KeySchema: [
          { AttributeName: index.partitionKey, KeyType: 'HASH' },
          { AttributeName: index.sortKey, KeyType: 'RANGE' },
        ],
        Projection: indexProjection(index),
      })),
    });
    // The matching index carries only the match card and the live capacity.
    expect(indexProjection(HarborTable.indexes.forMatching)).toStrictEqual({ ProjectionType: 'INCLUDE', NonKeyAttributes: ['matchCard', 'matchCount', 'matchConfirmedAt', 'holds'] });
  });

  it('backs the table up with AWS Backup into a vault encrypted with the data key', () => {
    const tableId = logicalIdOf(built.stateful, built.stateful.table);
    const keyId = logicalIdOf(built.stateful, built.stateful.dataKey);
    data.hasResourceProperties('AWS::Backup::BackupSelection', {
      BackupSelection: Match.objectLike({ Resources: [{ 'Fn::GetAtt': [tableId, 'Arn'] }] }),
    });
    data.hasResource('AWS::Backup::BackupVault', {
      DeletionPolicy: 'Retain',
      Properties: Match.objectLike({ EncryptionKeyArn: { 'Fn::GetAtt': [keyId, 'Arn'] } }),
    });
  });

  it('has the harbor-referrals event bus, encrypted with the data key', () => {
    const keyId = logicalIdOf(built.stateful, built.stateful.dataKey);
    data.hasResourceProperties('AWS::Events::EventBus', {
      Name: 'harbor-referrals',
      KmsKeyIdentifier: { 'Fn::GetAtt': [keyId, 'Arn'] },
    });
  });
});

describe('HarborApi: routes, authorizer and functions', () => {
  it('puts the JWT authorizer on every route except the public GET /health', () => {
    const authorizers = resourcesOfType(api, 'AWS::ApiGatewayV2::Authorizer');
    expect(authorizers).toHaveLength(1);
    const [authorizerId, authorizer] = authorizers[0]!;
    expect(props(authorizer).AuthorizerType).toBe('JWT');

    const routes = resourcesOfType(api, 'AWS::ApiGatewayV2::Route');
    expect(routes).toHaveLength(ROUTES.length); // no catch-all or stray routes
    for (const route of ROUTES as readonly RouteDef[]) {
      const routeKey = `${route.method} ${route.path}`;
      const matches = routes.filter(([, r]) => props(r).RouteKey === routeKey);
      expect(matches, routeKey).toHaveLength(1);
      const routeProps = props(matches[0]![1]);
      if (route.roles === 'public') {
        expect(routeKey).toBe('GET /health');
        expect(routeProps.AuthorizationType, routeKey).toBe('NONE');
        expect(routeProps.AuthorizerId, routeKey).toBeUndefined();
      } else {
        expect(routeProps.AuthorizationType, routeKey).toBe('JWT');
        expect(routeProps.AuthorizerId, routeKey).toEqual({ Ref: authorizerId });
      }
    }
  });

  it('checks tokens against the Harbor user pool and the console client', () => {
    const poolId = logicalIdOf(built.api, built.api.auth.userPool);
    const clientId = logicalIdOf(built.api, built.api.auth.consoleClient);
    api.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', {
      IdentitySource: ['$request.header.Authorization'],
      JwtConfiguration: {
        Audience: [{ Ref: clientId }],
        Issuer: { 'Fn::Join': ['', Match.arrayWith([{ Ref: poolId }])] },
      },
    });
  });

  it('routes each entry of ROUTES to exactly one function, described and tagged as that route', () => {
    const integrations = Object.fromEntries(resourcesOfType(api, 'AWS::ApiGatewayV2::Integration'));
    const routes = resourcesOfType(api, 'AWS::ApiGatewayV2::Route');
    for (const route of ROUTES as readonly RouteDef[]) {
      const [fnId, fn] = functionForRoute(api, route);
      const tags = asArray(props(fn).Tags as { Key: string; Value: string }[]);
      expect(tags).toContainEqual({ Key: 'harbor:function', Value: route.fn });
      expect(tags).toContainEqual({ Key: 'harbor:access', Value: route.access });

      const [, apiRoute] = routes.find(([, r]) => props(r).RouteKey === `${route.method} ${route.path}`)!;
      const target = props(apiRoute).Target as { 'Fn::Join': [string, unknown[]] };
      const integrationRef = target['Fn::Join'][1].find((p) => typeof p === 'object') as { Ref: string };
      expect(props(integrations[integrationRef.Ref]!).IntegrationUri).toEqual({ 'Fn::GetAtt': [fnId, 'Arn'] });
    }
  });

  it('bundles every function as ESM for Node.js 22 on arm64 with tracing, source maps and the table name', () => {
    for (const route of ROUTES as readonly RouteDef[]) {
      const [, fn] = functionForRoute(api, route);
      expect(props(fn)).toMatchObject({
        Handler: 'index.handler',
        Runtime: 'nodejs22.x',
        Architectures: ['arm64'],
        MemorySize: 512,
        Timeout: 10,
        TracingConfig: { Mode: 'Active' },
      });
      const env = (props(fn).Environment as { Variables: Record<string, unknown> }).Variables;
      expect(env.NODE_OPTIONS).toBe('--enable-source-maps');
      expect(env.TABLE_NAME).toEqual({ 'Fn::ImportValue': expect.stringMatching(/^HarborData:ExportsOutputRefTable/) });
      expect(env.EVENT_BUS_NAME === undefined).toBe(!publishesReferralEvents(route));
    }
  });

  it('ships each handler as one ESM file with the AWS SDK inside and the require banner first', () => {
    for (const route of ROUTES as readonly RouteDef[]) {
      const [, fn] = functionForRoute(api, route);
      const s3Key = (props(fn).Code as { S3Key: string }).S3Key;
      const assetDir = path.join(assemblyDir, `asset.${s3Key.replace(/\.zip$/, '')}`);
      const bundle = readFileSync(path.join(assetDir, 'index.mjs'), 'utf8');
      expect(bundle.startsWith("import { createRequire } from 'module'; const require = createRequire(import.meta.url);")).toBe(true);
      expect(bundle, `${route.fn} must not load the SDK from the runtime`).not.toMatch(/from\s*["']@aws-sdk\//);
      expect(existsSync(path.join(assetDir, 'index.mjs.map'))).toBe(true);
    }
  });

  it('gives read routes read-only table access and write routes read and write, never a wildcard', () => {
    for (const route of ROUTES as readonly RouteDef[]) {
      const [, fn] = functionForRoute(api, route);
      const statements = statementsOf(api, fn);
      const actions = actionsOf(statements);
      const label = `${route.method} ${route.path} (${route.access})`;

      expect(actions, label).not.toContain('*');
      expect(actions.filter((a) => a.endsWith(':*')), label).toEqual([]);
      expect(actions, label).toEqual(expect.arrayContaining(['dynamodb:GetItem', 'dynamodb:Query', 'kms:Decrypt']));

      const dynamodbActions = actions.filter((a) => a.startsWith('dynamodb:'));
      const kmsActions = actions.filter((a) => a.startsWith('kms:'));
      if (route.access === 'read') {
        expect(dynamodbActions.filter((a) => DYNAMODB_WRITE_ACTIONS.includes(a)), label).toEqual([]);
        expect(dynamodbActions.every((a) => DYNAMODB_READ_ACTIONS.includes(a)), label).toBe(true);
        expect(kmsActions.sort(), label).toEqual(['kms:Decrypt', 'kms:DescribeKey']);
      } else {
        expect(dynamodbActions, label).toEqual(
          expect.arrayContaining(['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:BatchWriteItem']),
        );
      }
      expect(actions.includes('events:PutEvents'), label).toBe(publishesReferralEvents(route));

      // Logs: only the function's own log group.
      const logStatements = statements.filter((s) => asArray(s.Action).some((a) => a.startsWith('logs:')));
      expect(logStatements, label).toHaveLength(1);
      expect(asArray(logStatements[0]!.Resource), label).toEqual([{ 'Fn::GetAtt': [expect.stringMatching(/Logs/), 'Arn'] }]);
      expect(asArray(logStatements[0]!.Action).sort(), label).toEqual(['logs:CreateLogStream', 'logs:PutLogEvents']);
    }
  });

  it('gives the event bus to exactly the functions whose code can publish events', async () => {
    const mismatches: string[] = [];
    for (const route of ROUTES as readonly RouteDef[]) {
      const publishes = await importsEventPublisher(handlerEntry(route.fn));
      if (publishes !== publishesReferralEvents(route)) {
        mismatches.push(`${route.method} ${route.path}: imports publisher=${publishes}, gets the bus=${publishesReferralEvents(route)}`);
      }
    }
    expect(mismatches, 'update publishesReferralEvents() in infra/api-stack.ts (or RouteDef)').toEqual([]);
  });

  it('uses no inline IAM policies and no AWS-managed policies on function roles', () => {
    api.resourceCountIs('AWS::IAM::Policy', 0);
    for (const [roleId, role] of resourcesOfType(api, 'AWS::IAM::Role')) {
      expect(props(role).Policies, roleId).toBeUndefined();
      for (const arn of asArray(props(role).ManagedPolicyArns as unknown[])) expect(arn, roleId).toHaveProperty('Ref');
    }
  });

  it('logs API access to a KMS-encrypted log group with a retention, and throttles the stage', () => {
    const stages = resourcesOfType(api, 'AWS::ApiGatewayV2::Stage');
    expect(stages).toHaveLength(1);
    const stage = props(stages[0]![1]) as {
      AccessLogSettings: { DestinationArn: { 'Fn::GetAtt': [string, string] }; Format: string };
      DefaultRouteSettings: { ThrottlingRateLimit: number; ThrottlingBurstLimit: number };
    };
    const logGroup = props(api.toJSON().Resources[stage.AccessLogSettings.DestinationArn['Fn::GetAtt'][0]] as Resource);
    expect(logGroup.KmsKeyId).toBeDefined();
    expect(logGroup.RetentionInDays).toBeGreaterThanOrEqual(365);
    expect(JSON.parse(stage.AccessLogSettings.Format)).toHaveProperty('requestId');
    expect(stage.DefaultRouteSettings.ThrottlingRateLimit).toBeGreaterThan(0);
    for (const [id, group] of resourcesOfType(api, 'AWS::Logs::LogGroup')) {
      expect(props(group).KmsKeyId, id).toBeDefined();
      expect(props(group).RetentionInDays, id).toBeDefined();
    }
  });

  it('has a user pool with a group per role, required TOTP MFA, threat protection and admin-only sign-up', () => {
    api.hasResourceProperties('AWS::Cognito::UserPool', {
      MfaConfiguration: 'ON',
      EnabledMfas: ['SOFTWARE_TOKEN_MFA'],
      AdminCreateUserConfig: Match.objectLike({ AllowAdminCreateUserOnly: true }),
      UserPoolTier: 'PLUS',
      UserPoolAddOns: { AdvancedSecurityMode: 'ENFORCED' },
      Policies: {
        PasswordPolicy: Match.objectLike({ RequireUppercase: true, RequireLowercase: true, RequireNumbers: true, RequireSymbols: true }),
      },
      Schema: Match.arrayWith(
        ['providerId', 'agencyId', 'jurisdiction'].map((name) => Match.objectLike({ Name: name, Mutable: true, AttributeDataType: 'String' })),
      ),
    });
    const groups = resourcesOfType(api, 'AWS::Cognito::UserPoolGroup').map(([, g]) => props(g).GroupName);
    expect(groups.sort()).toEqual([...ROLES].sort());
  });

  it('has a console client without a secret, SRP only, that cannot write the scoping attributes', () => {
    const clients = resourcesOfType(api, 'AWS::Cognito::UserPoolClient');
    expect(clients).toHaveLength(1);
    const client = props(clients[0]![1]);
    expect(client.GenerateSecret).toBe(false);
    expect(client.ExplicitAuthFlows).toEqual(['ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH']);
    expect(client.WriteAttributes).toBeDefined();
    expect((client.WriteAttributes as string[]).filter((a) => a.startsWith('custom:'))).toEqual([]);
    expect(client.ReadAttributes).toEqual(expect.arrayContaining(['custom:providerId', 'custom:agencyId', 'custom:jurisdiction']));
  });

  it('outputs the API URL, the user pool id and the client id', () => {
    api.hasOutput('ApiUrl', {});
    api.hasOutput('UserPoolId', {});
    api.hasOutput('UserPoolClientId', {});
  });

  it('schedules expire-referrals every 5 minutes if and only if its handler exists', async () => {
    const exists = existsSync(handlerEntry(EXPIRE_REFERRALS_FN));
    api.resourceCountIs('AWS::Events::Rule', exists ? 1 : 0);
    expect(resourcesOfType(api, 'AWS::Lambda::Function')).toHaveLength(ROUTES.length + (exists ? 1 : 0));
    if (!exists) return;
    api.hasResourceProperties('AWS::Events::Rule', { ScheduleExpression: 'rate(5 minutes)' });
    const [, sweep] = resourcesOfType(api, 'AWS::Lambda::Function').find(([, f]) =>
      String(props(f).Description).startsWith(`schedule ${EXPIRE_REFERRALS_FN}`),
    )!;
    const actions = actionsOf(statementsOf(api, sweep));
    expect(actions).toEqual(expect.arrayContaining(['dynamodb:UpdateItem', 'events:PutEvents']));
    expect(await importsEventPublisher(handlerEntry(EXPIRE_REFERRALS_FN))).toBe(true);
  });
});

describe('Alarms: each one notifies the harbor-alarms topic and says what to check first', () => {
  it('has one harbor-alarms topic, encrypted with its own rotating key that CloudWatch may use, and TLS-only', () => {
    const topicKeyId = logicalIdOf(built.stateful, built.stateful.alarmNotifications.key);
    const topicId = logicalIdOf(built.stateful, built.stateful.alarmNotifications.topic);
    expect([logicalIdOf(built.stateful, built.stateful.dataKey), logicalIdOf(built.stateful, built.stateful.logsKey)]).not.toContain(topicKeyId);

    data.resourceCountIs('AWS::SNS::Topic', 1);
    api.resourceCountIs('AWS::SNS::Topic', 0);
    data.hasResourceProperties('AWS::SNS::Topic', {
      TopicName: ALARM_TOPIC_NAME,
      KmsMasterKeyId: { 'Fn::GetAtt': [topicKeyId, 'Arn'] },
    });

    // CloudWatch must be able to use the key, or every notification is dropped silently.
    const cloudWatchMayUseKey = data.findResources('AWS::KMS::Key', {
      Properties: Match.objectLike({
        EnableKeyRotation: true,
        KeyPolicy: Match.objectLike({
          Statement: Match.arrayWith([
            Match.objectLike({
              Effect: 'Allow',
              Principal: { Service: 'cloudwatch.amazonaws.com' },
              Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
              Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } },
            }),
          ]),
        }),
      }),
    });
    expect(Object.keys(cloudWatchMayUseKey)).toEqual([topicKeyId]);

    data.hasResourceProperties('AWS::SNS::TopicPolicy', {
      Topics: [{ Ref: topicId }],
      PolicyDocument: Match.objectLike({
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Action: 'sns:Publish', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          Match.objectLike({
            Effect: 'Allow',
            Action: 'sns:Publish',
            Principal: { Service: 'cloudwatch.amazonaws.com' },
            Condition: Match.objectLike({ StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } }),
          }),
        ]),
      }),
    });
    data.resourceCountIs('AWS::SNS::Subscription', 0); // no harbor:alarmEmail in cdk.json
  });

  it('gives every function an Errors, a Throttles and a p99 Duration alarm, each wired to the topic', () => {
    const { inApi: topic } = alarmTopicReferences();
    const functions = resourcesOfType(api, 'AWS::Lambda::Function');
    expect(functions.length).toBeGreaterThanOrEqual(ROUTES.length);
    for (const [fnId, fn] of functions) {
      const onThisFunction = { Namespace: 'AWS/Lambda', Dimensions: [{ Name: 'FunctionName', Value: { Ref: fnId } }], AlarmActions: [topic], OKActions: [topic] };
      const errors = alarmsLike(api, { ...onThisFunction, MetricName: 'Errors', ComparisonOperator: 'GreaterThanThreshold', Threshold: 0, Period: 300 });
      expect(errors, `${fnId}: Errors alarm`).toHaveLength(1);
      const throttles = alarmsLike(api, { ...onThisFunction, MetricName: 'Throttles', ComparisonOperator: 'GreaterThanThreshold', Threshold: 0 });
      expect(throttles, `${fnId}: Throttles alarm`).toHaveLength(1);
      const duration = alarmsLike(api, { ...onThisFunction, MetricName: 'Duration', ExtendedStatistic: 'p99', ComparisonOperator: 'GreaterThanThreshold' });
      expect(duration, `${fnId}: Duration alarm`).toHaveLength(1);
      const timeoutMs = (props(fn).Timeout as number) * 1000;
      expect(duration[0]![1].Threshold, `${fnId}: near, but below, the timeout`).toBeLessThan(timeoutMs);
      expect(duration[0]![1].Threshold).toBeGreaterThanOrEqual(timeoutMs / 2);
    }
  });

  it('alarms on the API 5xx rate (5xx / Count above 1%, only with enough requests) and on p95 latency', () => {
    const { inApi: topic } = alarmTopicReferences();
    const onThisApi = [{ Name: 'ApiId', Value: { Ref: logicalIdOf(built.api, built.api.api.httpApi) } }];
    const rate = alarmsLike(api, { ...readsMetric('5xx', onThisApi), AlarmActions: [topic] });
    expect(rate).toHaveLength(1);
    const [, alarm] = rate[0]!;
    expect(alarm).toMatchObject({ Threshold: 1, ComparisonOperator: 'GreaterThanThreshold', TreatMissingData: 'notBreaching' });
    const ids = Object.fromEntries(alarm.Metrics!.filter((m) => m.MetricStat).map((m) => [m.MetricStat!.Metric.MetricName, m.Id]));
    expect(Object.keys(ids).sort()).toEqual(['5xx', 'Count']);
    for (const m of alarm.Metrics!.filter((q) => q.MetricStat)) expect(m.MetricStat).toMatchObject({ Period: 300, Stat: 'Sum' });
    const expression = alarm.Metrics!.find((m) => m.ReturnData)!.Expression!;
    expect(expression).toContain(`${ids['5xx']}, 0) / ${ids.Count}`); // a percentage of requests…
    const minimum = new RegExp(`IF\\(${ids.Count} >= (\\d+),`).exec(expression);
    expect(minimum, `${expression} must ignore periods with few requests`).not.toBeNull();
    expect(Number(minimum![1])).toBeGreaterThanOrEqual(10); // …judged only with enough requests

    const latency = alarmsLike(api, { ...readsMetric('Latency', onThisApi), AlarmActions: [topic] });
    expect(latency).toHaveLength(1);
    expect(latency[0]![1].Metrics!.find((m) => m.MetricStat?.Metric.MetricName === 'Latency')!.MetricStat!.Stat).toBe('p95');
  });

  it('alarms when expire-referrals has not run successfully, treating missing data as breaching', () => {
    if (!existsSync(handlerEntry(EXPIRE_REFERRALS_FN))) return; // the small app below covers the wiring
    const { inApi: topic } = alarmTopicReferences();
    const sweep = built.api.scheduledFunctions.get(EXPIRE_REFERRALS_FN)!;
    const onSweep = [{ Name: 'FunctionName', Value: { Ref: logicalIdOf(built.api, sweep.function) } }];
    const notRunning = alarmsLike(api, { ...readsMetric('Invocations', onSweep), AlarmActions: [topic] });
    expect(notRunning).toHaveLength(1);
    const [, alarm] = notRunning[0]!;
    expect(alarm).toMatchObject({ TreatMissingData: 'breaching', ComparisonOperator: 'LessThanThreshold', Threshold: 1 });
    const invocations = alarm.Metrics!.find((m) => m.MetricStat?.Metric.MetricName === 'Invocations')!.MetricStat!;
    expect(invocations.Stat).toBe('Sum');
    expect(invocations.Period).toBeLessThanOrEqual(15 * 60);
    expect(alarm.AlarmDescription).toMatch(/holds/);
  });

  it("alarms on any message in the sweep's dead-letter queue, saying bed holds may not lapse", () => {
    if (!existsSync(handlerEntry(EXPIRE_REFERRALS_FN))) return;
    const { inApi: topic } = alarmTopicReferences();
    const queue = built.api.node.findChild('ExpireReferralsDeadLetters') as unknown as { node: { defaultChild?: unknown } };
    const dlq = alarmsLike(api, {
      Namespace: 'AWS/SQS',
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [logicalIdOf(built.api, queue), 'QueueName'] } }],
      ComparisonOperator: 'GreaterThanThreshold',
      Threshold: 0,
      AlarmActions: [topic],
    });
    expect(dlq).toHaveLength(1);
    expect(dlq[0]![1].AlarmDescription).toMatch(/bed holds .* may not lapse/);
  });

  it('alarms on table throttles and system errors, within the 10-metric limit of an alarm', () => {
    const { inData: topic } = alarmTopicReferences();
    const onTable = Match.arrayWith([{ Name: 'TableName', Value: { Ref: logicalIdOf(built.stateful, built.stateful.table) } }]);
    for (const metricName of ['ThrottledRequests', 'SystemErrors']) {
      const found = alarmsLike(data, { ...readsMetric(metricName, onTable), AlarmActions: [topic], ComparisonOperator: 'GreaterThanThreshold', Threshold: 0 });
      expect(found, metricName).toHaveLength(1);
      const operations = found[0]![1].Metrics!.filter((m) => m.MetricStat).map((m) => JSON.stringify(m.MetricStat!.Metric.Dimensions));
      expect(operations.some((d) => d.includes('TransactWriteItems')), `${metricName}: the write path (transactions)`).toBe(true);
    }
  });

  it("alarms when one caseworker's matches pass an hourly or a daily count (many matches can locate a safe house)", () => {
    const { inApi: topic } = alarmTopicReferences();
    const createMatch = built.api.routeFunctions.get('create-match')!;
    const rules = resourcesOfType(api, 'AWS::CloudWatch::InsightRule');
    expect(rules).toHaveLength(1);
    const [, rule] = rules[0]!;
    expect(props(rule).RuleState).toBe('ENABLED');
    // The body names the create-match log group by reference, so it is a token CloudFormation joins.
    const body = JSON.stringify(props(rule).RuleBody);
    expect(body).toContain(logicalIdOf(built.api, createMatch.logGroup));
    for (const part of ['CloudWatchLogRule', '$.sub', '$.message', 'match created', '$.role', 'caseworker', 'Count']) expect(body).toContain(part);
    const ruleName = props(rule).RuleName as string;

    const volume = alarmsLike(api, { AlarmActions: [topic], ComparisonOperator: 'GreaterThanThreshold' }).filter(([, a]) =>
      (a.Metrics ?? []).some((m) => m.Expression === `INSIGHT_RULE_METRIC('${ruleName}', 'MaxContributorValue')`),
    );
    const byPeriod: Record<string, AlarmProps> = Object.fromEntries(volume.map(([, a]) => [a.Metrics!.find((m) => m.ReturnData !== false)!.Period, a]));
    expect(Object.keys(byPeriod).sort()).toEqual(['3600', '86400']);
    expect(byPeriod['3600']).toMatchObject({ Threshold: 30, TreatMissingData: 'notBreaching', EvaluationPeriods: 1 });
    expect(byPeriod['86400']).toMatchObject({ Threshold: 60, TreatMissingData: 'notBreaching', EvaluationPeriods: 1 });
    for (const alarm of Object.values(byPeriod)) expect(alarm.AlarmDescription).toMatch(/safe house/);
  });

  it('every alarm in both stacks notifies the topic on ALARM and OK, is uniquely named and says what to check first', () => {
    const { inData, inApi } = alarmTopicReferences();
    const names: string[] = [];
    for (const [template, topic, stackName] of [[data, inData, 'HarborData'], [api, inApi, 'HarborApi']] as const) {
      const alarms = alarmsLike(template);
      expect(alarms.length, stackName).toBeGreaterThan(0);
      for (const [id, alarm] of alarms) {
        expect(alarm.ActionsEnabled, id).not.toBe(false);
        expect(alarm.AlarmActions, id).toEqual([topic]);
        expect(alarm.OKActions, id).toEqual([topic]);
        expect(alarm.AlarmName, id).toMatch(new RegExp(`^${stackName}-`));
        expect(alarm.AlarmDescription, id).toMatch(/Check first: /);
        expect(alarm.AlarmDescription.length, id).toBeLessThanOrEqual(MAX_ALARM_DESCRIPTION);
        expect((alarm.Metrics ?? []).filter((m) => m.MetricStat).length, `${id}: metrics an alarm may read`).toBeLessThanOrEqual(MAX_METRICS_PER_ALARM);
        names.push(alarm.AlarmName);
      }
    }
    expect(new Set(names).size).toBe(names.length);
  });

  it('subscribes the harbor:alarmEmail address, and refuses a malformed one', () => {
    const app = new App({ context: { 'harbor:alarmEmail': 'oncall@agency.example' } });
    const stack = new HarborDataStack(app, 'EmailProbe', { alarmEmail: alarmEmailFromContext(app) });
    Template.fromStack(stack).hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'email',
      Endpoint: 'oncall@agency.example',
      TopicArn: { Ref: logicalIdOf(stack, stack.alarmNotifications.topic) },
    });
    expect(alarmEmailFromContext(new App())).toBeUndefined();
    for (const bad of ['oncall', 'a@b.example,c@d.example', 42]) {
      expect(() => alarmEmailFromContext(new App({ context: { 'harbor:alarmEmail': bad } })), String(bad)).toThrow(/harbor:alarmEmail/);
    }
  });
});

describe('cdk-nag: AwsSolutions and HIPAA Security', () => {
  it('reports no finding of any severity in the synthesized assembly', () => {
    const violations = reportedViolations(assemblyDir);
    expect(violations, describeViolations(violations)).toEqual([]);
  });

  it('finds nothing unacknowledged when the packs are run directly on the app', () => {
    for (const pack of [new AwsSolutionsChecks(), new HIPAASecurityChecks()]) {
      const result = pack.validateScope(built.app);
      const found = result.violations.map((v) => `${v.ruleName} at ${v.violatingResources.map((r) => r.constructPath).join(', ')}`);
      expect(found, pack.name).toEqual([]);
      expect(result.success).toBe(true);
    }
  });

  it('would report a finding: the same wiring flags an unencrypted log group without retention', () => {
    const probeOut = mkdtempSync(path.join(tmpdir(), 'harbor-nag-probe-'));
    try {
      const app = new App({ outdir: probeOut, context: REPORT_INSTEAD_OF_THROW });
      const stack = new HarborDataStack(app, 'Probe');
      new logs.LogGroup(stack, 'Unprotected', { retention: logs.RetentionDays.INFINITE });
      Validations.of(app).addPlugins(new AwsSolutionsChecks(app), new HIPAASecurityChecks(app));
      const rules = reportedViolations(app.synth().directory).map((v) => v.rule);
      expect(rules).toEqual(expect.arrayContaining(['HIPAA.Security-CloudWatchLogGroupEncrypted']));
      expect(rules.every((r) => NAG_PACKS.some((p) => r.startsWith(`${p}-`)))).toBe(true);
    } finally {
      rmSync(probeOut, { recursive: true, force: true });
    }
  });
});

describe('addScheduledFunction and reserved concurrency (a small second app)', () => {
  const healthRoute = ROUTES.find((r) => r.fn === 'health')! as RouteDef;
  let scheduled: Template;
  let scheduledAssembly: string;
  let scheduledOut: string;

  beforeAll(() => {
    scheduledOut = mkdtempSync(path.join(tmpdir(), 'harbor-schedule-test-'));
    const app = new App({ outdir: scheduledOut, context: { ...built.app.node.getAllContext(), ...REPORT_INSTEAD_OF_THROW } });
    const stateful = new HarborDataStack(app, 'HarborData');
    const stack = new HarborApiStack(app, 'HarborApi', {
      table: stateful.table,
      referralBus: stateful.referralBus,
      logsKey: stateful.logsKey,
      alarmTopic: stateful.alarmTopic,
      routes: [healthRoute],
      autoSchedule: false,
      reservedConcurrency: 2, // the harbor:reservedConcurrency context value
    });
    // The health handler stands in for a sweep: what is under test is the wiring around it.
    stack.addScheduledFunction('sweep-probe', handlerEntry('health'), Duration.minutes(5), { access: 'write', publishesEvents: true });
    Validations.of(app).addPlugins(new AwsSolutionsChecks(app), new HIPAASecurityChecks(app));
    scheduledAssembly = app.synth().directory;
    scheduled = Template.fromStack(stack);
  });

  afterAll(() => {
    if (scheduledOut) rmSync(scheduledOut, { recursive: true, force: true });
  });

  it('runs the function every 5 minutes, with a dead-letter queue for failed invocations', () => {
    scheduled.hasResourceProperties('AWS::Events::Rule', {
      ScheduleExpression: 'rate(5 minutes)',
      Targets: [Match.objectLike({ DeadLetterConfig: Match.anyValue(), RetryPolicy: Match.anyValue() })],
    });
    const [, fn] = resourcesOfType(scheduled, 'AWS::Lambda::Function').find(([, f]) =>
      String(props(f).Description).startsWith('schedule sweep-probe'),
    )!;
    expect(props(fn).DeadLetterConfig).toBeDefined();
    expect((props(fn).Environment as { Variables: Record<string, unknown> }).Variables.EVENT_BUS_NAME).toBeDefined();
    const actions = actionsOf(statementsOf(scheduled, fn));
    expect(actions).toEqual(expect.arrayContaining(['events:PutEvents', 'dynamodb:PutItem', 'sqs:SendMessage']));
  });

  it('alarms when the sweep has not completed a run, missing data breaching, and on its dead letters', () => {
    const [fnId] = resourcesOfType(scheduled, 'AWS::Lambda::Function').find(([, f]) => String(props(f).Description).startsWith('schedule sweep-probe'))!;
    const onSweep = [{ Name: 'FunctionName', Value: { Ref: fnId } }];
    const notRunning = alarmsLike(scheduled, readsMetric('Invocations', onSweep));
    expect(notRunning).toHaveLength(1);
    expect(notRunning[0]![1]).toMatchObject({ TreatMissingData: 'breaching', ComparisonOperator: 'LessThanThreshold', Threshold: 1 });
    const errors = notRunning[0]![1].Metrics!.find((m) => m.MetricStat?.Metric.MetricName === 'Errors');
    expect(errors, 'successful runs = invocations − errors').toBeDefined();

    const [queueId] = resourcesOfType(scheduled, 'AWS::SQS::Queue')[0]!;
    expect(alarmsLike(scheduled, { MetricName: 'ApproximateNumberOfMessagesVisible', Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [queueId, 'QueueName'] } }] })).toHaveLength(1);
  });

  it('reserves concurrency on every function when harbor:reservedConcurrency is set', () => {
    const functions = resourcesOfType(scheduled, 'AWS::Lambda::Function');
    expect(functions).toHaveLength(2);
    for (const [id, fn] of functions) expect(props(fn).ReservedConcurrentExecutions, id).toBe(2);
  });

  it('is clean under both cdk-nag packs (with no LambdaConcurrency acknowledgement needed)', () => {
    const violations = reportedViolations(scheduledAssembly);
    expect(violations, describeViolations(violations)).toEqual([]);
  });
});
