import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import { Construct } from 'constructs';
import { ROLES } from '../../shared/auth/roles';

/** The custom claims shared/auth/actor.ts reads (`custom:<name>` in the ID token). */
export const CUSTOM_ATTRIBUTES = ['providerId', 'agencyId', 'jurisdiction'] as const;

/**
 * Harbor's identity: one Cognito user pool whose groups are the roles and whose custom attributes
 * scope a user to a provider, an agency or a jurisdiction. Only administrators create users; MFA
 * (authenticator app) is required for everyone.
 */
export class HarborAuth extends Construct {
  readonly userPool: cognito.UserPool;
  /** The console's client: SRP sign-in, no secret (it runs in a browser). */
  readonly consoleClient: cognito.UserPoolClient;

  constructor(scope: Construct, id: string) {
    super(scope, id);

    this.userPool = new cognito.UserPool(this, 'UserPool', {
      selfSignUpEnabled: false,
      signInAliases: { email: true },
      signInCaseSensitive: false,
      autoVerify: { email: true },
      keepOriginal: { email: true },
      standardAttributes: { email: { required: true, mutable: true } },
      customAttributes: {
        // Mutable so an administrator can move staff between providers or agencies; users cannot
        // change them, because the console client below may not write them.
        providerId: new cognito.StringAttribute({ mutable: true, minLen: 1, maxLen: 64 }),
        agencyId: new cognito.StringAttribute({ mutable: true, minLen: 1, maxLen: 64 }),
        jurisdiction: new cognito.StringAttribute({ mutable: true, minLen: 2, maxLen: 256 }),
      },
      mfa: cognito.Mfa.REQUIRED,
      mfaSecondFactor: { otp: true, sms: false },
      passwordPolicy: {
        minLength: 14,
        requireLowercase: true,
        requireUppercase: true,
        requireDigits: true,
        requireSymbols: true,
        tempPasswordValidity: Duration.days(3),
        passwordHistorySize: 5,
      },
      accountRecovery: cognito.AccountRecovery.EMAIL_ONLY,
      // Plus: threat protection (compromised credentials, adaptive authentication) enforced.
      featurePlan: cognito.FeaturePlan.PLUS,
      standardThreatProtectionMode: cognito.StandardThreatProtectionMode.FULL_FUNCTION,
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
      userInvitation: {
        emailSubject: 'Your Harbor account',
        emailBody:
          'An administrator created a Harbor account for you. Sign in with {username} and the temporary ' +
          'password {####}, then set a new password and an authenticator app.',
      },
    });

    for (const role of ROLES) {
      this.userPool.addGroup(`Group-${role}`, {
        groupName: role,
        description: `Harbor role: ${role}. A user belongs to exactly one Harbor group.`,
      });
    }

    const readable = new cognito.ClientAttributes()
      .withStandardAttributes({ email: true, emailVerified: true, locale: true, timezone: true })
      .withCustomAttributes(...CUSTOM_ATTRIBUTES);
    // Cognito lets a signed-in user update any attribute the client may write (UpdateUserAttributes
    // with their own access token). The scoping attributes must never be among them, or provider
    // staff could move themselves to another provider. Only presentation preferences are writable.
    const writable = new cognito.ClientAttributes().withStandardAttributes({ locale: true, timezone: true });

    this.consoleClient = this.userPool.addClient('ConsoleClient', {
      userPoolClientName: 'harbor-console',
      generateSecret: false,
      authFlows: { userSrp: true },
      disableOAuth: true,
      preventUserExistenceErrors: true,
      enableTokenRevocation: true,
      accessTokenValidity: Duration.minutes(60),
      idTokenValidity: Duration.minutes(60),
      refreshTokenValidity: Duration.hours(12),
      authSessionValidity: Duration.minutes(3),
      readAttributes: readable,
      writeAttributes: writable,
    });
  }
}
