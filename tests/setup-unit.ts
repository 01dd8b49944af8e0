// aws-sdk-client-mock's matchers (toReceiveCommandWith, …) for every unit test that mocks the SDK;
// their types are in tests/aws-sdk-mock-matchers.d.ts.
import 'aws-sdk-client-mock-vitest/extend';

// Unit tests never reach DynamoDB: a fixed table name for code that builds requests, and quiet logs.
process.env.TABLE_NAME ??= 'harbor-unit';
process.env.AWS_REGION ??= 'us-east-1';
process.env.HARBOR_QUIET = '1';
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
