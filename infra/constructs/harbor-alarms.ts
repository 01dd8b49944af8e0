import { ArnFormat, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import type { IHttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { HarborFunction } from './harbor-function';

/** The one topic every Harbor alarm notifies (ALARM and back to OK). */
export const ALARM_TOPIC_NAME = 'harbor-alarms';

/** CloudWatch stores an alarm description of at most this many characters. */
export const MAX_ALARM_DESCRIPTION = 1024;

/**
 * An alarm whose math expression reads more than this many metrics cannot be created
 * (a hard CloudWatch limit), so table alarms name the operations they watch.
 */
export const MAX_METRICS_PER_ALARM = 10;

/** Thresholds in one place, so docs/infrastructure.md and the tests can name them. */
export const ALARM_THRESHOLDS = {
  /** Errors, Throttles, Duration and the API alarms look at 5-minute periods. */
  period: Duration.minutes(5),
  /** p99 duration alarm: this share of the function's timeout. */
  durationShareOfTimeout: 0.8,
  /** API 5xx rate alarm: percent of requests. */
  serverErrorRatePercent: 1,
  /** Below this many requests in a period, the rate and latency alarms stay quiet (cold starts, one-off errors). */
  minimumRequests: 20,
  /** API p95 latency alarm, milliseconds. */
  latencyP95Ms: 3000,
  /** A schedule must have run successfully at least once in max(this, 3 × its rate). */
  scheduleWindow: Duration.minutes(15),
  /**
   * One caseworker's matches above which someone should look (addMatchVolume). A caseworker
   * placing a youth runs a handful, re-running as the youth's needs or the distance change;
   * working out a safe house's position from distances or keep-away circles took a reviewer 84.
   */
  caseworkerMatchesPerHour: 30,
  caseworkerMatchesPerDay: 60,
} as const;

/**
 * The DynamoDB operations Harbor's data layer issues (shared/data: Get, BatchGet, Query,
 * TransactWrite) plus the other item operations, ten in all: an alarm may read at most ten metrics.
 */
export const WATCHED_TABLE_OPERATIONS: readonly dynamodb.Operation[] = [
  dynamodb.Operation.GET_ITEM,
  dynamodb.Operation.BATCH_GET_ITEM,
  dynamodb.Operation.QUERY,
  dynamodb.Operation.SCAN,
  dynamodb.Operation.PUT_ITEM,
  dynamodb.Operation.UPDATE_ITEM,
  dynamodb.Operation.DELETE_ITEM,
  dynamodb.Operation.BATCH_WRITE_ITEM,
  dynamodb.Operation.TRANSACT_WRITE_ITEMS,
  dynamodb.Operation.TRANSACT_GET_ITEMS,
];

export interface HarborAlarmTopicProps {
  /** Subscribes this address (context `harbor:alarmEmail`); the recipient must confirm the subscription. */
  readonly email?: string;
}

/**
 * The `harbor-alarms` SNS topic, encrypted with its own customer-managed key (rotated yearly).
 *
 * Why its own key: CloudWatch publishes to an encrypted topic only if the key policy lets the
 * CloudWatch service use the key. The logs key allows the CloudWatch Logs service only, for log
 * groups (encryption-context condition), and the data key protects youth records; neither should
 * gain a statement for another service. This key protects alarm notifications and nothing else.
 */
export class HarborAlarmTopic extends Construct {
  readonly key: kms.Key;
  readonly topic: sns.Topic;

  constructor(scope: Construct, id: string, props: HarborAlarmTopicProps = {}) {
    super(scope, id);
    const stack = Stack.of(this);

    this.key = new kms.Key(this, 'Key', {
      alias: 'alias/harbor/alarms',
      description: `Harbor: the ${ALARM_TOPIC_NAME} SNS topic (alarm notifications only)`,
      enableKeyRotation: true,
      pendingWindow: Duration.days(30),
      removalPolicy: RemovalPolicy.RETAIN,
    });
    // CloudWatch calls KMS itself when an alarm publishes to an encrypted topic; without this
    // statement every notification is dropped (visible only in the alarm's history). Limited to
    // CloudWatch acting for alarms of this account (confused-deputy guard).
    this.key.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'AllowCloudWatchAlarmsOfThisAccount',
        principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        resources: ['*'],
        conditions: { StringEquals: { 'aws:SourceAccount': stack.account } },
      }),
    );

    this.topic = new sns.Topic(this, 'Topic', {
      topicName: ALARM_TOPIC_NAME,
      displayName: 'Harbor alarms',
      masterKey: this.key,
      enforceSSL: true,
    });
    // The topic policy that enforceSSL creates replaces SNS's default policy, so the CloudWatch
    // service needs an explicit grant to publish, for alarms of this account and region only.
    this.topic.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'AllowCloudWatchAlarmsOfThisAccount',
        principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['sns:Publish'],
        resources: [this.topic.topicArn],
        conditions: {
          StringEquals: { 'aws:SourceAccount': stack.account },
          ArnLike: {
            'aws:SourceArn': stack.formatArn({ service: 'cloudwatch', resource: 'alarm', resourceName: '*', arnFormat: ArnFormat.COLON_RESOURCE_NAME }),
          },
        },
      }),
    );

    if (props.email) this.topic.addSubscription(new subscriptions.EmailSubscription(props.email));
  }
}

export interface HarborAlarmsProps {
  /** Where every alarm sends its ALARM and OK notifications. */
  readonly topic: sns.ITopic;
}

/** What a scheduled function's failure means for the people relying on it (goes into alarm descriptions). */
export interface ScheduleAlarmOptions {
  readonly name: string;
  readonly rate: Duration;
  /** One sentence: what stops happening when the schedule fails. */
  readonly impact: string;
}

/**
 * Alarms for one stack, each with a description that says what it means and what to check first.
 * Add resources with the `add*` methods; every alarm notifies the topic on ALARM and on OK.
 * Used by HarborApi (functions, HTTP API, schedules) and HarborData (the table).
 */
export class HarborAlarms extends Construct {
  /** Every alarm made here, in creation order. */
  readonly alarms: cloudwatch.Alarm[] = [];
  private readonly action: SnsAction;

  constructor(scope: Construct, id: string, props: HarborAlarmsProps) {
    super(scope, id);
    this.action = new SnsAction(props.topic);
  }

  /** Errors, Throttles and p99 Duration near the timeout, for one Harbor function. */
  addFunction(fn: HarborFunction, options: { schedule?: ScheduleAlarmOptions } = {}): void {
    const lambdaFn = fn.function;
    const id = constructIdFor(fn.functionKey);
    const what = options.schedule
      ? `the scheduled function ${fn.functionKey} (every ${options.schedule.rate.toHumanString()})`
      : `the function behind ${fn.description} (${fn.functionKey})`;
    const period = ALARM_THRESHOLDS.period;

    const errorsMeaning = options.schedule
      ? `A run of ${what} threw: ${options.schedule.impact}`
      : `Invocations of ${what} failed outside Harbor's error handling: a timeout, running out of memory, a crash at ` +
        'start-up (INIT) or an exception that escaped the HTTP layer. (Errors the HTTP layer catches become 5xx ' +
        'responses and are watched by the API 5xx alarm, not here.)';
    this.add(`${id}Errors`, `${fn.functionKey}-errors`, {
      metric: lambdaFn.metricErrors({ period, statistic: cloudwatch.Stats.SUM }),
      threshold: 0,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 3,
      datapointsToAlarm: 2,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      description:
        `Lambda Errors > 0 in 2 of the last 3 five-minute periods. ${errorsMeaning} ` +
        `Check first: the function's log group (Logs Insights: filter @message like /"level":"error"|Task timed ` +
        'out|Runtime\\./) and whether a deploy went out just before the first error.',
    });

    this.add(`${id}Throttles`, `${fn.functionKey}-throttles`, {
      metric: lambdaFn.metricThrottles({ period, statistic: cloudwatch.Stats.SUM }),
      threshold: 0,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      description:
        `Lambda Throttles > 0 in five minutes for ${what}: Lambda refused invocations because no concurrency was ` +
        `left, so ${options.schedule ? 'a run did not start (EventBridge retries, then dead-letters it)' : 'callers got errors instead of answers'}. ` +
        'Check first: the account ConcurrentExecutions metric against the Lambda concurrency quota, the ' +
        'harbor:reservedConcurrency setting (it caps each function), and the API access logs for a retry storm.',
    });

    const timeout = lambdaFn.timeout ?? Duration.seconds(3);
    const limitMs = Math.round(timeout.toMilliseconds() * ALARM_THRESHOLDS.durationShareOfTimeout);
    this.add(`${id}Duration`, `${fn.functionKey}-duration-near-timeout`, {
      metric: lambdaFn.metricDuration({ period, statistic: cloudwatch.Stats.p(99) }),
      threshold: limitMs,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 3,
      datapointsToAlarm: 2,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      description:
        `p99 Duration of ${what} above ${limitMs} ms (${Math.round(ALARM_THRESHOLDS.durationShareOfTimeout * 100)}% of ` +
        `its ${timeout.toSeconds()} s timeout) in 2 of the last 3 five-minute periods: the slowest calls are close to ` +
        `being cut off, and those that reach the timeout fail${options.schedule ? ' (the run is retried and may be dead-lettered)' : ' with a 5xx'}. ` +
        'Check first: X-Ray traces of the slowest invocations (which DynamoDB call or cold start takes the time), ' +
        "then the table's SuccessfulRequestLatency.",
    });
  }

  /**
   * The scheduled function has not completed a run (invocations minus errors) in its window: the
   * work it does has stopped. Missing data is breaching: no data means it did not run at all.
   */
  addScheduleHeartbeat(fn: HarborFunction, schedule: ScheduleAlarmOptions): cloudwatch.Alarm {
    const id = constructIdFor(fn.functionKey);
    const windowMinutes = Math.max(ALARM_THRESHOLDS.scheduleWindow.toMinutes(), schedule.rate.toMinutes() * 3);
    const window = Duration.minutes(windowMinutes);
    const successfulRuns = new cloudwatch.MathExpression({
      expression: 'FILL(invocations, 0) - FILL(errors, 0)',
      usingMetrics: {
        invocations: fn.function.metricInvocations({ period: window, statistic: cloudwatch.Stats.SUM }),
        errors: fn.function.metricErrors({ period: window, statistic: cloudwatch.Stats.SUM }),
      },
      label: `${schedule.name} successful runs`,
      period: window,
    });
    return this.add(`${id}NotRunning`, `${fn.functionKey}-not-running`, {
      metric: successfulRuns,
      threshold: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: cloudwatch.TreatMissingData.BREACHING,
      description:
        `${schedule.name} (every ${schedule.rate.toHumanString()}) has not completed a single run in ${windowMinutes} minutes ` +
        `(invocations minus errors < 1; no data counts as not run): ${schedule.impact} ` +
        'Check first: that the EventBridge schedule rule is ENABLED and its FailedInvocations metric, then the ' +
        "function's Errors and log group. (It can fire once right after the first deploy, before the first run.)",
    });
  }

  /** Any message on a scheduled function's dead-letter queue is a run that failed for good. */
  addDeadLetterQueue(queue: IQueue, schedule: ScheduleAlarmOptions): cloudwatch.Alarm {
    const id = constructIdFor(schedule.name);
    return this.add(`${id}DeadLetters`, `${schedule.name}-dead-letters`, {
      metric: queue.metricApproximateNumberOfMessagesVisible({ period: ALARM_THRESHOLDS.period, statistic: cloudwatch.Stats.MAXIMUM }),
      threshold: 0,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      description:
        `A ${schedule.name} event is on its dead-letter queue: a run failed after Lambda's retries, or EventBridge ` +
        `could not invoke the function. Until a run succeeds: ${schedule.impact} ` +
        "Check first: the message's ErrorCode and ErrorMessage attributes and the function's log group at that time. " +
        'Once fixed, the next successful run picks up what is due; then purge the queue (it holds only the ' +
        'schedule event) so the alarm returns to OK.',
    });
  }

  /** 5xx rate and p95 latency of the whole HTTP API, when there is enough traffic to judge. */
  addHttpApi(api: IHttpApi): void {
    const period = ALARM_THRESHOLDS.period;
    const min = ALARM_THRESHOLDS.minimumRequests;
    const requests = api.metricCount({ period, statistic: cloudwatch.Stats.SUM });

    this.add('Api5xxRate', 'api-5xx-rate', {
      metric: new cloudwatch.MathExpression({
        expression: `IF(requests >= ${min}, 100 * FILL(errors, 0) / requests, 0)`,
        usingMetrics: { requests, errors: api.metricServerError({ period, statistic: cloudwatch.Stats.SUM }) },
        label: '5xx responses, % of requests',
        period,
      }),
      threshold: ALARM_THRESHOLDS.serverErrorRatePercent,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      description:
        `More than ${ALARM_THRESHOLDS.serverErrorRatePercent}% of Harbor API requests returned 5xx in five minutes ` +
        `(judged only when there were at least ${min} requests): caseworkers, providers or coordinators are ` +
        'getting "something went wrong" instead of referrals, beds and matches. Check first: Logs Insights on the ' +
        'API access log group: filter status like /^5/ | stats count(*) by routeKey, integrationError; then the ' +
        'log group of that route\'s function (its "level":"error" lines carry the requestId).',
    });

    this.add('ApiLatencyP95', 'api-latency-p95', {
      metric: new cloudwatch.MathExpression({
        expression: `IF(requests >= ${min}, latency, 0)`,
        usingMetrics: { requests, latency: api.metricLatency({ period, statistic: cloudwatch.Stats.p(95) }) },
        label: 'p95 latency (ms)',
        period,
      }),
      threshold: ALARM_THRESHOLDS.latencyP95Ms,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 3,
      datapointsToAlarm: 3,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      description:
        `Harbor API p95 latency above ${ALARM_THRESHOLDS.latencyP95Ms} ms for 15 minutes (periods with fewer than ` +
        `${min} requests ignored): the console is slow for everyone. Check first: the API access log group ` +
        '(Logs Insights, responseLatency and integrationLatency by routeKey) to find the slow route, then that ' +
        "function's Duration and X-Ray traces.",
    });
  }

  /**
   * Matches per caseworker, counted by a Contributor Insights rule over the `match created` lines
   * create-match logs (caller's sub and role, nothing of the youth), alarmed over an hour and over
   * a day. Keep-away areas are absolute and distances are part of the answer, so a caseworker can
   * work out a confidential placement's position from many matches; nothing refuses a match (a
   * youth may need a bed at 2 a.m.), but a volume no placement needs is seen the same day.
   * Coordinators and admins are not counted: they may read a safe house's address.
   */
  addMatchVolume(createMatch: HarborFunction): void {
    const ruleName = `${Stack.of(this).stackName}-caseworker-matches`;
    const rule = new cloudwatch.CfnInsightRule(this, 'CaseworkerMatchesRule', {
      ruleName,
      ruleState: 'ENABLED',
      ruleBody: Stack.of(this).toJsonString({
        Schema: { Name: 'CloudWatchLogRule', Version: 1 },
        LogGroupNames: [createMatch.logGroup.logGroupName],
        LogFormat: 'JSON',
        Contribution: {
          Keys: ['$.sub'],
          Filters: [
            { Match: '$.message', In: ['match created'] },
            { Match: '$.role', In: ['caseworker'] },
          ],
        },
        AggregateOn: 'Count',
      }),
    });
    const windows = [
      // Fixed windows (CloudWatch periods), not rolling ones: up to twice a threshold astride a boundary goes unflagged.
      { id: 'Hour', period: Duration.hours(1), threshold: ALARM_THRESHOLDS.caseworkerMatchesPerHour, span: 'a clock hour' },
      { id: 'Day', period: Duration.days(1), threshold: ALARM_THRESHOLDS.caseworkerMatchesPerDay, span: 'a UTC day' },
    ];
    for (const window of windows) {
      const alarm = this.add(`CaseworkerMatchesPer${window.id}`, `caseworker-matches-per-${window.id.toLowerCase()}`, {
        metric: new cloudwatch.MathExpression({
          expression: `INSIGHT_RULE_METRIC('${ruleName}', 'MaxContributorValue')`,
          usingMetrics: {},
          label: `most matches by one caseworker in ${window.span}`,
          period: window.period,
        }),
        threshold: window.threshold,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: 1,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
        description:
          `One caseworker ran more than ${window.threshold} matches in ${window.span}. Placing a youth takes a handful; ` +
          'many matches from chosen locations or keep-away circles can work out where a safe house is. Check first: ' +
          `the ${ruleName} Contributor Insights rule for the caseworker (sub); then GET /audit?actor=<sub> for their ` +
          'match.create records, each naming its match, whose stored inputs (youth location, keep-away areas) stay in ' +
          'the table until the retention period ends; then ask their agency.',
      });
      alarm.node.addDependency(rule);
    }
  }

  /** ThrottledRequests and SystemErrors on the table, summed over the operations Harbor uses. */
  addTable(table: dynamodb.ITable): void {
    const options = { period: ALARM_THRESHOLDS.period, operations: [...WATCHED_TABLE_OPERATIONS] };

    this.add('TableThrottles', 'table-throttled-requests', {
      metric: table.metricThrottledRequestsForOperations(options),
      threshold: 0,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 3,
      datapointsToAlarm: 2,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      description:
        'DynamoDB throttled requests to the Harbor table in 2 of the last 3 five-minute periods. The SDK retries ' +
        'throttled calls, so this means retries are running out: reads, referral accepts and capacity updates ' +
        'may fail or slow down. On-demand tables throttle on a hot partition or on traffic above twice the ' +
        'previous peak. Check first: ThrottledRequests by Operation for the table, then the API access logs ' +
        '(requests by routeKey) and the functions\' logs for ThrottlingException to find the load.',
    });

    this.add('TableSystemErrors', 'table-system-errors', {
      metric: table.metricSystemErrorsForOperations(options),
      threshold: 0,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 3,
      datapointsToAlarm: 2,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      description:
        'DynamoDB returned internal server errors (SystemErrors) for the Harbor table in 2 of the last 3 five-minute ' +
        'periods: the problem is on the AWS side, and writes such as referral accepts can fail. Check first: the ' +
        'AWS Health Dashboard for DynamoDB in this region, then the API 5xx alarm to see whether users are affected.',
    });
  }

  private add(
    id: string,
    nameSuffix: string,
    props: Omit<cloudwatch.AlarmProps, 'alarmName' | 'alarmDescription' | 'actionsEnabled'> & { description: string },
  ): cloudwatch.Alarm {
    const { description, ...alarmProps } = props;
    if (description.length > MAX_ALARM_DESCRIPTION) {
      throw new Error(`Alarm ${id}: description has ${description.length} characters, CloudWatch keeps ${MAX_ALARM_DESCRIPTION}`);
    }
    const alarm = new cloudwatch.Alarm(this, id, {
      ...alarmProps,
      alarmName: `${Stack.of(this).stackName}-${nameSuffix}`,
      alarmDescription: description,
      actionsEnabled: true,
    });
    alarm.addAlarmAction(this.action);
    alarm.addOkAction(this.action);
    this.alarms.push(alarm);
    return alarm;
  }
}

/** `expire-referrals` → `ExpireReferrals`. */
function constructIdFor(name: string): string {
  return name
    .split(/[^a-zA-Z0-9]+/)
    .filter(Boolean)
    .map((part) => part[0]!.toUpperCase() + part.slice(1))
    .join('');
}
