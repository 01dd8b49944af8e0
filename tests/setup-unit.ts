// Unit tests never reach DynamoDB: a fixed table name for code that builds requests, and quiet logs.
process.env.TABLE_NAME ??= 'harbor-unit';
process.env.AWS_REGION ??= 'us-east-1';
process.env.HARBOR_QUIET = '1';
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
