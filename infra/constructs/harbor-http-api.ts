import { RemovalPolicy } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';

/** Access logs are the record of who called what; kept for a year. */
export const ACCESS_LOG_RETENTION = logs.RetentionDays.ONE_YEAR;

/**
 * One JSON line per request. The caller is logged by Cognito `sub` only (no names, no emails); the
 * path is the route template, so no ids from the URL reach the log.
 */
const ACCESS_LOG_FIELDS = {
  requestId: '$context.requestId',
  // The Lambda invocation's request id: function log lines carry requestId (above) but not Lambda's prefix.
  integrationRequestId: '$context.integration.requestId',
  requestTime: '$context.requestTime',
  routeKey: '$context.routeKey',
  status: '$context.status',
  protocol: '$context.protocol',
  responseLength: '$context.responseLength',
  responseLatency: '$context.responseLatency',
  integrationLatency: '$context.integrationLatency',
  integrationError: '$context.integrationErrorMessage',
  authorizerError: '$context.authorizer.error',
  sub: '$context.authorizer.claims.sub',
  sourceIp: '$context.identity.sourceIp',
  userAgent: '$context.identity.userAgent',
};

export interface HarborHttpApiProps {
  readonly logsKey: IKey;
  /** Steady-state requests per second across the API (API Gateway throttling). */
  readonly rateLimit?: number;
  readonly burstLimit?: number;
}

/**
 * The HTTP API and its one `$default` stage. The stage is declared here rather than by HttpApi so
 * that it has access logging to a KMS-encrypted log group and an explicit throttle.
 */
export class HarborHttpApi extends Construct {
  readonly httpApi: apigwv2.HttpApi;
  readonly stage: apigwv2.HttpStage;
  readonly accessLogs: logs.LogGroup;

  constructor(scope: Construct, id: string, props: HarborHttpApiProps) {
    super(scope, id);

    this.httpApi = new apigwv2.HttpApi(this, 'Api', {
      apiName: 'harbor',
      description: 'Harbor placement-matching directory API',
      createDefaultStage: false,
    });

    this.accessLogs = new logs.LogGroup(this, 'AccessLogs', {
      retention: ACCESS_LOG_RETENTION,
      encryptionKey: props.logsKey,
      removalPolicy: RemovalPolicy.RETAIN,
    });

    this.stage = new apigwv2.HttpStage(this, 'DefaultStage', {
      httpApi: this.httpApi,
      stageName: '$default',
      autoDeploy: true,
      detailedMetricsEnabled: true,
      throttle: { rateLimit: props.rateLimit ?? 50, burstLimit: props.burstLimit ?? 100 },
      accessLogSettings: {
        destination: new apigwv2.LogGroupLogDestination(this.accessLogs),
        format: AccessLogFormat.custom(JSON.stringify(ACCESS_LOG_FIELDS)),
      },
    });
  }

  /** The invoke URL of the `$default` stage (ends with `/`). */
  get url(): string {
    return this.stage.url;
  }
}
