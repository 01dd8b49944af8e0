import { ArnFormat, Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import type { StackProps } from 'aws-cdk-lib';
import * as backup from 'aws-cdk-lib/aws-backup';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import type * as sns from 'aws-cdk-lib/aws-sns';
import type { Construct } from 'constructs';
import { HarborTable } from '../shared/data/table';
import { HarborAlarms, HarborAlarmTopic } from './constructs/harbor-alarms';

/** The EventBridge bus referral work publishes to (functions read its name from EVENT_BUS_NAME). */
export const REFERRAL_BUS_NAME = 'harbor-referrals';

export interface HarborDataStackProps extends StackProps {
  /** Subscribes this email address to the `harbor-alarms` topic (context `harbor:alarmEmail`). */
  readonly alarmEmail?: string;
}

/**
 * Everything that holds data and must outlive a redeploy of the API: the table, its keys, its
 * backups and the referral event bus. Nothing here is deleted with the stack (RETAIN everywhere),
 * and the table cannot be deleted at all until deletion protection is switched off by hand.
 * It also owns the `harbor-alarms` topic (both stacks' alarms notify it, and its confirmed email
 * subscriptions survive a redeployed API) and the table's alarms.
 */
export class HarborDataStack extends Stack {
  /** Encrypts the table, its backups and the referral bus. */
  readonly dataKey: kms.Key;
  /** Encrypts CloudWatch Logs (function logs and API access logs); only the logs service may use it. */
  readonly logsKey: kms.Key;
  readonly table: dynamodb.Table;
  readonly referralBus: events.EventBus;
  readonly backupPlan: backup.BackupPlan;
  /** The `harbor-alarms` topic and its key. */
  readonly alarmNotifications: HarborAlarmTopic;
  /** Every alarm of both stacks notifies this topic. */
  readonly alarmTopic: sns.ITopic;
  /** The table's alarms. */
  readonly alarms: HarborAlarms;

  constructor(scope: Construct, id: string, props: HarborDataStackProps = {}) {
    super(scope, id, { description: 'Harbor data: DynamoDB table, KMS keys, backups, referral event bus, alarm topic', ...props });

    this.dataKey = new kms.Key(this, 'DataKey', {
      alias: 'alias/harbor/data',
      description: 'Harbor: DynamoDB table, AWS Backup vault and referral event bus',
      enableKeyRotation: true,
      pendingWindow: Duration.days(30),
      removalPolicy: RemovalPolicy.RETAIN,
    });

    this.logsKey = new kms.Key(this, 'LogsKey', {
      alias: 'alias/harbor/logs',
      description: 'Harbor: CloudWatch Logs (function logs, API access logs)',
      enableKeyRotation: true,
      pendingWindow: Duration.days(30),
      removalPolicy: RemovalPolicy.RETAIN,
    });
    // CloudWatch Logs encrypts with the key on the log group's behalf; the condition limits that
    // to log groups of this account and region (the statement AWS documents for this purpose).
    this.logsKey.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'AllowCloudWatchLogsForThisAccountLogGroups',
        principals: [new iam.ServicePrincipal(`logs.${this.region}.amazonaws.com`)],
        actions: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'],
        resources: ['*'],
        conditions: {
          ArnLike: {
            'kms:EncryptionContext:aws:logs:arn': this.formatArn({ service: 'logs', resource: 'log-group', resourceName: '*', arnFormat: ArnFormat.COLON_RESOURCE_NAME }),
          },
        },
      }),
    );

    this.table = new dynamodb.Table(this, 'Table', {
      partitionKey: { name: HarborTable.partitionKey, type: dynamodb.AttributeType.STRING },
      sortKey: { name: HarborTable.sortKey, type: dynamodb.AttributeType.STRING },
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      encryption: dynamodb.TableEncryption.CUSTOMER_MANAGED,
      encryptionKey: this.dataKey,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true, recoveryPeriodInDays: 35 },
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
      timeToLiveAttribute: HarborTable.ttlAttribute,
    });
    for (const index of Object.values(HarborTable.indexes)) {
      this.table.addGlobalSecondaryIndex({
        indexName: index.name,
        partitionKey: { name: index.partitionKey, type: dynamodb.AttributeType.STRING },
        sortKey: { name: index.sortKey, type: dynamodb.AttributeType.STRING },
        ...('projectedAttributes' in index
          ? { projectionType: dynamodb.ProjectionType.INCLUDE, nonKeyAttributes: [...index.projectedAttributes] }
          : { projectionType: dynamodb.ProjectionType.ALL }),
      });
    }

    // PITR covers "undo the last 35 days"; AWS Backup adds copies that live in a separate,
    // KMS-encrypted vault and survive a deleted table (HIPAA.Security-DynamoDBInBackupPlan).
    const vault = new backup.BackupVault(this, 'BackupVault', {
      encryptionKey: this.dataKey,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.backupPlan = new backup.BackupPlan(this, 'BackupPlan', {
      backupPlanName: `${this.stackName}-table`,
      backupVault: vault,
      backupPlanRules: [
        new backup.BackupPlanRule({
          ruleName: 'Daily35Days',
          scheduleExpression: events.Schedule.cron({ hour: '5', minute: '0' }),
          deleteAfter: Duration.days(35),
        }),
        new backup.BackupPlanRule({
          ruleName: 'Monthly1Year',
          scheduleExpression: events.Schedule.cron({ day: '1', hour: '5', minute: '0' }),
          deleteAfter: Duration.days(365),
        }),
      ],
    });
    const tableSelection = this.backupPlan.addSelection('Table', {
      resources: [backup.BackupResource.fromDynamoDbTable(this.table)],
    });

    this.referralBus = new events.EventBus(this, 'ReferralBus', {
      eventBusName: REFERRAL_BUS_NAME,
      description: 'Harbor referral lifecycle events',
      kmsKey: this.dataKey,
    });

    this.alarmNotifications = new HarborAlarmTopic(this, 'AlarmTopic', { email: props.alarmEmail });
    this.alarmTopic = this.alarmNotifications.topic;
    this.alarms = new HarborAlarms(this, 'Alarms', { topic: this.alarmTopic });
    this.alarms.addTable(this.table);

    this.acknowledgeNagFindings(tableSelection);
  }

  /** Every cdk-nag acknowledgement of this stack, each with the reason a reviewer needs. */
  private acknowledgeNagFindings(tableSelection: backup.BackupSelection): void {
    const backupRole = tableSelection.node.findChild('Role');
    Validations.of(backupRole).acknowledge({
      id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForBackup]',
      reason:
        'The AWS Backup service role uses the AWS-maintained backup policy, which AWS updates as Backup gains ' +
        'features; the role can only be assumed by backup.amazonaws.com and only runs this plan on the Harbor table.',
    });
  }
}
