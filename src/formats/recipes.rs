//! One recipe per connection: how a function or state machine is allowed to
//! use a service, said once for SAM (a policy template), plain
//! CloudFormation (a statement on the role), and Terraform (a statement in an
//! `aws_iam_role_policy`), with the one environment variable that hands the
//! code the service's name in every language.
//!
//! Adding a connection is adding its actions to [`TARGETS`]: both exporters
//! and the skeleton writer read them from here, and the importers read the
//! statements they write back as the same arrow (see
//! `sam::policies::classify_actions`). Connections that are not a role's
//! permissions (triggers and subscriptions: events, mappings,
//! notifications) have their recipes in [`links`].

use serde_json::{Value, json};

pub mod links;

use crate::catalog::Kind;
use crate::formats::names::upper_snake;
use crate::model::ConnectionKind;

/// How CloudFormation names something about a resource `ID`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Cfn {
    /// `{"Ref": ID}`
    Ref,
    /// `{"Fn::GetAtt": [ID, ATTR]}`
    Attr(&'static str),
    /// `{"Fn::Sub": PATTERN}` with `@` standing for the id.
    Sub(&'static str),
}

impl Cfn {
    /// The value naming `id` this way.
    pub fn value(self, id: &str) -> Value {
        match self {
            Cfn::Ref => json!({ "Ref": id }),
            Cfn::Attr(a) => json!({ "Fn::GetAtt": [id, a] }),
            Cfn::Sub(p) => json!({ "Fn::Sub": p.replace('@', id) }),
        }
    }
    /// The same inside a `Fn::Sub` string, followed by `suffix`.
    fn sub(self, id: &str, suffix: &str) -> Value {
        let head = match self {
            Cfn::Ref => format!("${{{id}}}"),
            Cfn::Attr(a) => format!("${{{id}.{a}}}"),
            Cfn::Sub(p) => p.replace('@', id),
        };
        json!({ "Fn::Sub": format!("{head}{suffix}") })
    }
}

/// What one kind of connection grants: IAM actions, and the SAM policy
/// template that grants the same where one fits (template, its parameter,
/// how the parameter names the resource).
#[derive(Debug)]
pub struct Grant {
    pub actions: &'static [&'static str],
    pub template: Option<(&'static str, &'static str, Cfn)>,
}

/// The environment variable that tells a function which resource to use:
/// its suffix after the resource's name (`ORDERS` + `TABLE`), and how each
/// language names the value.
#[derive(Debug)]
pub struct Env {
    pub suffix: &'static str,
    pub cfn: Cfn,
    /// The Terraform attribute (`name`, `url`, ...).
    pub tf: &'static str,
}

/// Everything a function or state machine needs to use one kind of service.
#[derive(Debug)]
pub struct Target {
    /// The kind of service.
    pub kind: Kind,
    /// The ARN a statement grants on, in CloudFormation.
    pub cfn_arn: Cfn,
    /// The Terraform attribute holding that ARN.
    pub tf_arn: &'static str,
    /// What else the grant covers under the ARN (`/index/*`, `/*`), if anything.
    pub children: Option<&'static str>,
    /// What a `read` arrow grants.
    pub read: Option<Grant>,
    /// What a `write`, `publish` or `invoke` arrow grants.
    pub write: Option<Grant>,
    pub env: Option<Env>,
}

const fn grant(actions: &'static [&'static str]) -> Option<Grant> {
    Some(Grant {
        actions,
        template: None,
    })
}

const fn with_template(
    actions: &'static [&'static str],
    template: &'static str,
    param: &'static str,
    by: Cfn,
) -> Option<Grant> {
    Some(Grant {
        actions,
        template: Some((template, param, by)),
    })
}

const fn env(suffix: &'static str, cfn: Cfn, tf: &'static str) -> Option<Env> {
    Some(Env { suffix, cfn, tf })
}

/// The recipes, one per kind of service a function or state machine uses.
pub static TARGETS: &[Target] = &[
    Target {
        kind: Kind::Table,
        cfn_arn: Cfn::Attr("Arn"),
        tf_arn: "arn",
        children: Some("/index/*"),
        read: with_template(
            &[
                "dynamodb:GetItem",
                "dynamodb:BatchGetItem",
                "dynamodb:Query",
                "dynamodb:Scan",
                "dynamodb:DescribeTable",
            ],
            "DynamoDBReadPolicy",
            "TableName",
            Cfn::Ref,
        ),
        write: with_template(
            &[
                "dynamodb:PutItem",
                "dynamodb:UpdateItem",
                "dynamodb:BatchWriteItem",
            ],
            "DynamoDBWritePolicy",
            "TableName",
            Cfn::Ref,
        ),
        env: env("TABLE", Cfn::Ref, "name"),
    },
    Target {
        kind: Kind::Bucket,
        cfn_arn: Cfn::Attr("Arn"),
        tf_arn: "arn",
        children: Some("/*"),
        read: with_template(
            &["s3:GetObject", "s3:ListBucket"],
            "S3ReadPolicy",
            "BucketName",
            Cfn::Ref,
        ),
        write: with_template(
            &["s3:PutObject", "s3:PutObjectAcl"],
            "S3WritePolicy",
            "BucketName",
            Cfn::Ref,
        ),
        env: env("BUCKET", Cfn::Ref, "bucket"),
    },
    // Reading lists the queue's tags too, so it stays apart from the polling
    // a trigger needs (which the importers fold into the trigger).
    Target {
        kind: Kind::Queue,
        cfn_arn: Cfn::Attr("Arn"),
        tf_arn: "arn",
        children: None,
        read: with_template(
            &[
                "sqs:ReceiveMessage",
                "sqs:GetQueueAttributes",
                "sqs:ListQueueTags",
            ],
            "SQSPollerPolicy",
            "QueueName",
            Cfn::Attr("QueueName"),
        ),
        write: with_template(
            &["sqs:SendMessage"],
            "SQSSendMessagePolicy",
            "QueueName",
            Cfn::Attr("QueueName"),
        ),
        env: env("QUEUE_URL", Cfn::Ref, "url"),
    },
    Target {
        kind: Kind::Topic,
        cfn_arn: Cfn::Ref,
        tf_arn: "arn",
        children: None,
        read: None,
        write: with_template(
            &["sns:Publish"],
            "SNSPublishMessagePolicy",
            "TopicName",
            Cfn::Attr("TopicName"),
        ),
        env: env("TOPIC_ARN", Cfn::Ref, "arn"),
    },
    Target {
        kind: Kind::Stream,
        cfn_arn: Cfn::Attr("Arn"),
        tf_arn: "arn",
        children: None,
        read: with_template(
            &[
                "kinesis:GetRecords",
                "kinesis:GetShardIterator",
                "kinesis:DescribeStream",
                "kinesis:ListShards",
                "kinesis:ListTagsForStream",
            ],
            "KinesisStreamReadPolicy",
            "StreamName",
            Cfn::Ref,
        ),
        write: grant(&["kinesis:PutRecord", "kinesis:PutRecords"]),
        env: env("STREAM", Cfn::Ref, "name"),
    },
    Target {
        kind: Kind::Firehose,
        cfn_arn: Cfn::Attr("Arn"),
        tf_arn: "arn",
        children: None,
        read: None,
        write: with_template(
            &["firehose:PutRecord", "firehose:PutRecordBatch"],
            "FirehoseWritePolicy",
            "DeliveryStreamName",
            Cfn::Ref,
        ),
        env: env("DELIVERY_STREAM", Cfn::Ref, "name"),
    },
    Target {
        kind: Kind::Function,
        cfn_arn: Cfn::Attr("Arn"),
        tf_arn: "arn",
        children: None,
        read: None,
        write: with_template(
            &["lambda:InvokeFunction"],
            "LambdaInvokePolicy",
            "FunctionName",
            Cfn::Ref,
        ),
        env: env("FUNCTION", Cfn::Ref, "function_name"),
    },
    Target {
        kind: Kind::StateMachine,
        cfn_arn: Cfn::Ref,
        tf_arn: "arn",
        children: None,
        read: None,
        write: with_template(
            &["states:StartExecution"],
            "StepFunctionsExecutionPolicy",
            "StateMachineName",
            Cfn::Attr("Name"),
        ),
        env: env("STATE_MACHINE_ARN", Cfn::Ref, "arn"),
    },
    Target {
        kind: Kind::EventBus,
        cfn_arn: Cfn::Attr("Arn"),
        tf_arn: "arn",
        children: None,
        read: None,
        write: with_template(
            &["events:PutEvents"],
            "EventBridgePutEventsPolicy",
            "EventBusName",
            Cfn::Ref,
        ),
        env: env("EVENT_BUS", Cfn::Ref, "name"),
    },
    Target {
        kind: Kind::Secret,
        cfn_arn: Cfn::Ref,
        tf_arn: "arn",
        children: None,
        read: with_template(
            &["secretsmanager:GetSecretValue"],
            "AWSSecretsManagerGetSecretValuePolicy",
            "SecretArn",
            Cfn::Ref,
        ),
        // Storing a new value (a rotation function does).
        write: grant(&["secretsmanager:PutSecretValue"]),
        env: env("SECRET_ARN", Cfn::Ref, "arn"),
    },
    Target {
        kind: Kind::Parameter,
        cfn_arn: Cfn::Sub(
            "arn:${AWS::Partition}:ssm:${AWS::Region}:${AWS::AccountId}:parameter/${@}",
        ),
        tf_arn: "arn",
        children: None,
        read: with_template(
            &["ssm:GetParameter", "ssm:GetParameters"],
            "SSMParameterReadPolicy",
            "ParameterName",
            Cfn::Ref,
        ),
        write: grant(&["ssm:PutParameter"]),
        env: env("PARAMETER", Cfn::Ref, "name"),
    },
    Target {
        kind: Kind::Key,
        cfn_arn: Cfn::Attr("Arn"),
        tf_arn: "arn",
        children: None,
        read: with_template(&["kms:Decrypt"], "KMSDecryptPolicy", "KeyId", Cfn::Ref),
        write: None,
        env: env("KEY_ID", Cfn::Ref, "key_id"),
    },
    Target {
        kind: Kind::Database,
        cfn_arn: Cfn::Attr("DBClusterArn"),
        tf_arn: "arn",
        children: None,
        read: None,
        write: grant(&[
            "rds-data:ExecuteStatement",
            "rds-data:BatchExecuteStatement",
        ]),
        env: env("DATABASE_ARN", Cfn::Attr("DBClusterArn"), "arn"),
    },
    Target {
        kind: Kind::UserPool,
        cfn_arn: Cfn::Attr("Arn"),
        tf_arn: "arn",
        children: None,
        read: grant(&["cognito-idp:AdminGetUser", "cognito-idp:ListUsers"]),
        write: grant(&[
            "cognito-idp:AdminCreateUser",
            "cognito-idp:AdminUpdateUserAttributes",
        ]),
        env: env("USER_POOL_ID", Cfn::Ref, "id"),
    },
    Target {
        kind: Kind::Etl,
        cfn_arn: Cfn::Sub("arn:${AWS::Partition}:glue:${AWS::Region}:${AWS::AccountId}:job/${@}"),
        tf_arn: "arn",
        children: None,
        read: None,
        write: grant(&["glue:StartJobRun"]),
        env: env("JOB", Cfn::Ref, "name"),
    },
    Target {
        kind: Kind::Crawler,
        cfn_arn: Cfn::Sub(
            "arn:${AWS::Partition}:glue:${AWS::Region}:${AWS::AccountId}:crawler/${@}",
        ),
        tf_arn: "arn",
        children: None,
        read: None,
        write: grant(&["glue:StartCrawler"]),
        env: env("CRAWLER", Cfn::Ref, "name"),
    },
    Target {
        kind: Kind::Api,
        cfn_arn: Cfn::Sub(
            "arn:${AWS::Partition}:execute-api:${AWS::Region}:${AWS::AccountId}:${@}",
        ),
        tf_arn: "execution_arn",
        children: Some("/*"),
        read: None,
        write: grant(&["execute-api:Invoke"]),
        env: env("API_ID", Cfn::Ref, "id"),
    },
    // Queries and mutations sent to an AppSync API with IAM authorization.
    Target {
        kind: Kind::GraphQl,
        cfn_arn: Cfn::Attr("Arn"),
        tf_arn: "arn",
        children: Some("/types/*"),
        read: None,
        write: grant(&["appsync:GraphQL"]),
        env: env("API_ID", Cfn::Attr("ApiId"), "id"),
    },
    Target {
        kind: Kind::HttpApi,
        cfn_arn: Cfn::Sub(
            "arn:${AWS::Partition}:execute-api:${AWS::Region}:${AWS::AccountId}:${@}",
        ),
        tf_arn: "execution_arn",
        children: Some("/*"),
        read: None,
        write: grant(&["execute-api:Invoke"]),
        env: env("API_ID", Cfn::Ref, "id"),
    },
    // A WebSocket API's connections: a function posts to them through the
    // management API.
    Target {
        kind: Kind::WebSocket,
        cfn_arn: Cfn::Sub(
            "arn:${AWS::Partition}:execute-api:${AWS::Region}:${AWS::AccountId}:${@}",
        ),
        tf_arn: "execution_arn",
        children: Some("/*"),
        read: None,
        write: grant(&["execute-api:ManageConnections"]),
        env: env("API_ID", Cfn::Ref, "id"),
    },
    // An OpenSearch domain's data plane: indexing writes with signed HTTP
    // requests, searching reads with them.
    Target {
        kind: Kind::Search,
        cfn_arn: Cfn::Attr("Arn"),
        tf_arn: "arn",
        children: Some("/*"),
        read: grant(&["es:ESHttpGet", "es:ESHttpHead"]),
        write: with_template(
            &["es:ESHttpPost", "es:ESHttpPut"],
            "ElasticsearchHttpPostPolicy",
            "DomainName",
            Cfn::Ref,
        ),
        env: env("SEARCH_ENDPOINT", Cfn::Attr("DomainEndpoint"), "endpoint"),
    },
];

/// What a function needs on its role to poll a queue or stream that
/// triggers it through an event source mapping.
pub fn poll_actions(source: Kind) -> Option<&'static [&'static str]> {
    Some(match source {
        Kind::Queue => &[
            "sqs:ReceiveMessage",
            "sqs:DeleteMessage",
            "sqs:GetQueueAttributes",
        ],
        Kind::Stream => &[
            "kinesis:GetRecords",
            "kinesis:GetShardIterator",
            "kinesis:DescribeStream",
            "kinesis:ListShards",
        ],
        Kind::Table => &[
            "dynamodb:GetRecords",
            "dynamodb:GetShardIterator",
            "dynamodb:DescribeStream",
            "dynamodb:ListStreams",
        ],
        _ => return None,
    })
}

/// An AWS SDK client as the code names it, and what it works on: the
/// name boto3 gives it (`client("dynamodb")`), the class names the
/// JavaScript SDKs give it (v2 `AWS.DynamoDB`, v3 `DynamoDBClient` from
/// `@aws-sdk/client-dynamodb`), its IAM prefix, the catalog word of what it
/// calls, and the call parameters that name that resource.
#[derive(Debug)]
pub struct SdkService {
    pub boto3: &'static str,
    pub js: &'static str,
    pub js_package: &'static str,
    pub iam: &'static str,
    pub kind: Kind,
    pub names: &'static [&'static str],
}

const fn sdk(
    boto3: &'static str,
    js: &'static str,
    js_package: &'static str,
    iam: &'static str,
    kind: Kind,
    names: &'static [&'static str],
) -> SdkService {
    SdkService {
        boto3,
        js,
        js_package,
        iam,
        kind,
        names,
    }
}

/// The SDK clients whose calls become connections.
pub static SDK_SERVICES: &[SdkService] = &[
    sdk(
        "dynamodb",
        "DynamoDB",
        "dynamodb",
        "dynamodb",
        Kind::Table,
        &["TableName"],
    ),
    sdk("s3", "S3", "s3", "s3", Kind::Bucket, &["Bucket"]),
    sdk(
        "sqs",
        "SQS",
        "sqs",
        "sqs",
        Kind::Queue,
        &["QueueUrl", "QueueName"],
    ),
    sdk(
        "sns",
        "SNS",
        "sns",
        "sns",
        Kind::Topic,
        &["TopicArn", "TargetArn"],
    ),
    sdk(
        "events",
        "EventBridge",
        "eventbridge",
        "events",
        Kind::EventBus,
        &["EventBusName"],
    ),
    sdk(
        "stepfunctions",
        "SFN",
        "sfn",
        "states",
        Kind::StateMachine,
        &["stateMachineArn"],
    ),
    sdk(
        "lambda",
        "Lambda",
        "lambda",
        "lambda",
        Kind::Function,
        &["FunctionName"],
    ),
    sdk(
        "kinesis",
        "Kinesis",
        "kinesis",
        "kinesis",
        Kind::Stream,
        &["StreamName", "StreamARN"],
    ),
    sdk(
        "firehose",
        "Firehose",
        "firehose",
        "firehose",
        Kind::Firehose,
        &["DeliveryStreamName"],
    ),
    sdk(
        "secretsmanager",
        "SecretsManager",
        "secrets-manager",
        "secretsmanager",
        Kind::Secret,
        &["SecretId"],
    ),
    sdk(
        "ssm",
        "SSM",
        "ssm",
        "ssm",
        Kind::Parameter,
        &["Name", "Names", "Path"],
    ),
];

/// The v2 JavaScript class names that differ from v3's (`StepFunctions`).
const JS_V2_ALIASES: &[(&str, &str)] = &[("StepFunctions", "stepfunctions")];

/// SDK operations whose IAM action is not the operation's own name:
/// (client, operation as the SDK spells it in PascalCase, IAM action name).
/// The DocumentClient's and lib-dynamodb's short names are here too.
const OPERATION_ACTIONS: &[(&str, &str, &str)] = &[
    ("dynamodb", "Put", "PutItem"),
    ("dynamodb", "Get", "GetItem"),
    ("dynamodb", "Update", "UpdateItem"),
    ("dynamodb", "Delete", "DeleteItem"),
    ("dynamodb", "BatchWrite", "BatchWriteItem"),
    ("dynamodb", "BatchGet", "BatchGetItem"),
    ("dynamodb", "BatchWriter", "BatchWriteItem"),
    ("dynamodb", "TransactWrite", "PutItem"),
    ("dynamodb", "TransactWriteItems", "PutItem"),
    ("dynamodb", "TransactGet", "GetItem"),
    ("dynamodb", "TransactGetItems", "GetItem"),
    ("dynamodb", "ExecuteStatement", "PartiQLSelect"),
    ("s3", "Put", "PutObject"),
    ("s3", "Get", "GetObject"),
    ("s3", "Delete", "DeleteObject"),
    ("s3", "UploadFile", "PutObject"),
    ("s3", "UploadFileobj", "PutObject"),
    ("s3", "Upload", "PutObject"),
    ("s3", "DownloadFile", "GetObject"),
    ("s3", "DownloadFileobj", "GetObject"),
    ("s3", "HeadObject", "GetObject"),
    ("s3", "ListObjects", "ListBucket"),
    ("s3", "ListObjectsV2", "ListBucket"),
    ("s3", "CopyObject", "PutObject"),
    ("s3", "DeleteObjects", "DeleteObject"),
    ("s3", "SelectObjectContent", "GetObject"),
    ("sqs", "SendMessageBatch", "SendMessage"),
    ("sqs", "DeleteMessageBatch", "DeleteMessage"),
    (
        "sqs",
        "ChangeMessageVisibilityBatch",
        "ChangeMessageVisibility",
    ),
    ("sns", "PublishBatch", "Publish"),
    ("lambda", "Invoke", "InvokeFunction"),
    ("lambda", "InvokeAsync", "InvokeFunction"),
    ("lambda", "InvokeWithResponseStream", "InvokeFunction"),
    ("ssm", "GetParametersByPath", "GetParametersByPath"),
];

/// SDK methods that make no call to a resource (helpers, paginators,
/// waiters, presigning, the client's own housekeeping).
const NOT_CALLS: &[&str] = &[
    "GetPaginator",
    "GetWaiter",
    "CanPaginate",
    "GeneratePresignedUrl",
    "GeneratePresignedPost",
    "Close",
    "Destroy",
    "Meta",
    "Exceptions",
    "Promise",
    "Send",
    "Middlewarestack",
    "Config",
    "Load",
    "Reload",
    "Wait",
    "WaitUntil",
];

/// The SDK client boto3 calls `name` (`dynamodb`, `stepfunctions`).
pub fn sdk_by_boto3(name: &str) -> Option<&'static SdkService> {
    SDK_SERVICES.iter().find(|s| s.boto3 == name)
}

/// The SDK client a JavaScript class names: v2 `DynamoDB`, v3
/// `DynamoDBClient`, `SFNClient`.
pub fn sdk_by_js_class(name: &str) -> Option<&'static SdkService> {
    let name = name.strip_suffix("Client").unwrap_or(name);
    SDK_SERVICES.iter().find(|s| s.js == name).or_else(|| {
        JS_V2_ALIASES
            .iter()
            .find(|(js, _)| *js == name)
            .and_then(|(_, b)| sdk_by_boto3(b))
    })
}

/// The SDK client a JavaScript module is: `@aws-sdk/client-dynamodb`,
/// `@aws-sdk/lib-dynamodb`, `aws-sdk/clients/dynamodb`.
pub fn sdk_by_js_module(module: &str) -> Option<&'static SdkService> {
    let name = module
        .strip_prefix("@aws-sdk/client-")
        .or_else(|| module.strip_prefix("@aws-sdk/lib-"))
        .or_else(|| module.strip_prefix("aws-sdk/clients/"))?;
    SDK_SERVICES
        .iter()
        .find(|s| s.js_package == name || s.js.eq_ignore_ascii_case(name))
}

/// The IAM action an SDK call needs (`dynamodb:PutItem`), from the
/// operation in PascalCase (`PutItem`, the DocumentClient's `Put`); `None`
/// for a method that calls no resource.
pub fn sdk_action(service: &SdkService, operation: &str) -> Option<String> {
    if operation.is_empty() || NOT_CALLS.contains(&operation) {
        return None;
    }
    let action = OPERATION_ACTIONS
        .iter()
        .find(|(s, op, _)| *s == service.boto3 && *op == operation)
        .map_or(operation, |(_, _, a)| a);
    Some(format!("{}:{action}", service.iam))
}

/// The kind of arrow a call that needs `action` on a `kind` of service
/// draws: what the recipe's read grant covers reads, the rest is what IAM
/// says the action does (`classify_actions`).
pub fn call_kind(kind: Kind, action: &str) -> ConnectionKind {
    if let Some((_, g)) = access(kind, ConnectionKind::Read) {
        if g.actions.iter().any(|a| a.eq_ignore_ascii_case(action)) {
            return ConnectionKind::Read;
        }
    }
    crate::formats::sam::policies::classify_actions(&[action])
}

/// The actions each SAM policy template grants, for comparing what a
/// template grants with what the code calls.
pub static TEMPLATE_ACTIONS: &[(&str, &[&str])] = &[
    (
        "DynamoDBReadPolicy",
        &[
            "dynamodb:GetItem",
            "dynamodb:Scan",
            "dynamodb:Query",
            "dynamodb:BatchGetItem",
            "dynamodb:DescribeTable",
            "dynamodb:PartiQLSelect",
        ],
    ),
    (
        "DynamoDBWritePolicy",
        &[
            "dynamodb:PutItem",
            "dynamodb:UpdateItem",
            "dynamodb:BatchWriteItem",
        ],
    ),
    (
        "DynamoDBCrudPolicy",
        &[
            "dynamodb:GetItem",
            "dynamodb:DeleteItem",
            "dynamodb:PutItem",
            "dynamodb:Scan",
            "dynamodb:Query",
            "dynamodb:UpdateItem",
            "dynamodb:BatchWriteItem",
            "dynamodb:BatchGetItem",
            "dynamodb:DescribeTable",
            "dynamodb:ConditionCheckItem",
            "dynamodb:PartiQLSelect",
            "dynamodb:PartiQLInsert",
            "dynamodb:PartiQLUpdate",
            "dynamodb:PartiQLDelete",
        ],
    ),
    (
        "DynamoDBStreamReadPolicy",
        &[
            "dynamodb:DescribeStream",
            "dynamodb:GetRecords",
            "dynamodb:GetShardIterator",
            "dynamodb:ListStreams",
        ],
    ),
    (
        "S3ReadPolicy",
        &[
            "s3:GetObject",
            "s3:ListBucket",
            "s3:GetBucketLocation",
            "s3:GetObjectVersion",
            "s3:GetLifecycleConfiguration",
        ],
    ),
    (
        "S3WritePolicy",
        &[
            "s3:PutObject",
            "s3:PutObjectAcl",
            "s3:PutLifecycleConfiguration",
        ],
    ),
    (
        "S3CrudPolicy",
        &[
            "s3:GetObject",
            "s3:ListBucket",
            "s3:GetBucketLocation",
            "s3:GetObjectVersion",
            "s3:PutObject",
            "s3:PutObjectAcl",
            "s3:GetLifecycleConfiguration",
            "s3:PutLifecycleConfiguration",
            "s3:DeleteObject",
        ],
    ),
    (
        "S3FullAccessPolicy",
        &[
            "s3:GetObject",
            "s3:GetObjectAcl",
            "s3:GetObjectVersion",
            "s3:PutObject",
            "s3:PutObjectAcl",
            "s3:DeleteObject",
            "s3:DeleteObjectTagging",
            "s3:DeleteObjectVersionTagging",
            "s3:GetObjectTagging",
            "s3:GetObjectVersionTagging",
            "s3:PutObjectTagging",
            "s3:ListBucket",
            "s3:GetBucketLocation",
            "s3:GetLifecycleConfiguration",
            "s3:PutLifecycleConfiguration",
        ],
    ),
    ("SQSSendMessagePolicy", &["sqs:SendMessage*"]),
    (
        "SQSPollerPolicy",
        &[
            "sqs:ChangeMessageVisibility",
            "sqs:ChangeMessageVisibilityBatch",
            "sqs:DeleteMessage",
            "sqs:DeleteMessageBatch",
            "sqs:GetQueueAttributes",
            "sqs:ReceiveMessage",
        ],
    ),
    ("SNSPublishMessagePolicy", &["sns:Publish"]),
    (
        "SNSCrudPolicy",
        &[
            "sns:ListSubscriptionsByTopic",
            "sns:CreateTopic",
            "sns:SetTopicAttributes",
            "sns:Subscribe",
            "sns:Publish",
        ],
    ),
    (
        "KinesisCrudPolicy",
        &[
            "kinesis:AddTagsToStream",
            "kinesis:CreateStream",
            "kinesis:DecreaseStreamRetentionPeriod",
            "kinesis:DeleteStream",
            "kinesis:DescribeStream",
            "kinesis:DescribeStreamSummary",
            "kinesis:GetShardIterator",
            "kinesis:IncreaseStreamRetentionPeriod",
            "kinesis:ListTagsForStream",
            "kinesis:MergeShards",
            "kinesis:PutRecord",
            "kinesis:PutRecords",
            "kinesis:SplitShard",
            "kinesis:RemoveTagsFromStream",
        ],
    ),
    (
        "KinesisStreamReadPolicy",
        &[
            "kinesis:ListStreams",
            "kinesis:DescribeStream",
            "kinesis:DescribeStreamSummary",
            "kinesis:GetRecords",
            "kinesis:GetShardIterator",
        ],
    ),
    (
        "FirehoseWritePolicy",
        &["firehose:PutRecord", "firehose:PutRecordBatch"],
    ),
    (
        "FirehoseCrudPolicy",
        &[
            "firehose:CreateDeliveryStream",
            "firehose:DescribeDeliveryStream",
            "firehose:ListDeliveryStreams",
            "firehose:PutRecord",
            "firehose:PutRecordBatch",
            "firehose:UpdateDestination",
        ],
    ),
    ("LambdaInvokePolicy", &["lambda:InvokeFunction"]),
    ("StepFunctionsExecutionPolicy", &["states:StartExecution"]),
    (
        "StepFunctionsCallbackPolicy",
        &["states:SendTaskSuccess", "states:SendTaskFailure"],
    ),
    ("EventBridgePutEventsPolicy", &["events:PutEvents"]),
    (
        "AWSSecretsManagerGetSecretValuePolicy",
        &["secretsmanager:GetSecretValue"],
    ),
    (
        "SSMParameterReadPolicy",
        &[
            "ssm:DescribeParameters",
            "ssm:GetParameters",
            "ssm:GetParameter",
            "ssm:GetParametersByPath",
        ],
    ),
    (
        "SSMParameterWithSlashPrefixReadPolicy",
        &[
            "ssm:DescribeParameters",
            "ssm:GetParameters",
            "ssm:GetParameter",
            "ssm:GetParametersByPath",
        ],
    ),
    ("KMSDecryptPolicy", &["kms:Decrypt"]),
    ("KMSEncryptPolicy", &["kms:Encrypt"]),
];

/// The actions a SAM policy template grants, when it is one compared here.
pub fn template_actions(name: &str) -> Option<&'static [&'static str]> {
    TEMPLATE_ACTIONS
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, a)| *a)
}

/// Whether a granted action (`dynamodb:*`, `s3:Get*`, `*`) covers `action`.
pub fn action_covers(granted: &str, action: &str) -> bool {
    let (g, a) = (granted.to_ascii_lowercase(), action.to_ascii_lowercase());
    match g.strip_suffix('*') {
        Some(prefix) => a.starts_with(prefix),
        None => g == a,
    }
}

/// The recipe for using a kind of service.
pub fn target(kind: Kind) -> Option<&'static Target> {
    TARGETS.iter().find(|t| t.kind == kind)
}

/// Whether an IAM action can apply to a service of this kind: IAM applies
/// an action only to resources of its own service, so `firehose:PutRecord`
/// granted on a Kinesis stream grants nothing there. A kind without a
/// recipe, and `*`, take any action.
pub fn acts_on(kind: Kind, action: &str) -> bool {
    let Some(t) = target(kind) else {
        return true;
    };
    let Some((prefix, _)) = action.split_once(':') else {
        return true;
    };
    let mut known = t
        .read
        .iter()
        .chain(t.write.iter())
        .flat_map(|g| g.actions.iter())
        .filter_map(|a| a.split_once(':').map(|(p, _)| p))
        .peekable();
    if known.peek().is_none() {
        return true;
    }
    // `rds` and `rds-db` are one service's.
    let family = |p: &str| p.split('-').next().unwrap_or(p).to_ascii_lowercase();
    known.any(|p| family(p) == family(prefix))
}

/// Whether `actions` include what a `conn` arrow to a `kind` of service
/// grants (one of its actions, or a wildcard that covers one).
pub fn grants(kind: Kind, conn: ConnectionKind, actions: &[&str]) -> bool {
    let Some((_, g)) = access(kind, conn) else {
        return false;
    };
    actions.iter().any(|a| {
        let a = a.to_ascii_lowercase();
        g.actions.iter().any(|want| {
            let want = want.to_ascii_lowercase();
            match a.strip_suffix('*') {
                Some(prefix) => want.starts_with(prefix),
                None => a == want,
            }
        })
    })
}

/// What a connection of `conn` to a `kind` of service grants, if that
/// connection is one a role can grant.
pub fn access(kind: Kind, conn: ConnectionKind) -> Option<(&'static Target, &'static Grant)> {
    use ConnectionKind::*;
    let t = target(kind)?;
    let g = match conn {
        Read => t.read.as_ref(),
        Write | Publish | Invoke => t.write.as_ref(),
        Trigger | Subscribe | Route | Auth | Log | Ref => None,
    }?;
    Some((t, g))
}

/// What the grant applies to, in CloudFormation.
pub fn cfn_resource(t: &Target, id: &str) -> Value {
    let arn = t.cfn_arn.value(id);
    match t.children {
        None => arn,
        Some(c) => json!([arn, t.cfn_arn.sub(id, c)]),
    }
}

/// What the grant applies to, in Terraform (`reference` is the resource's
/// address as the module refers to it).
pub fn tf_resource(t: &Target, reference: &str) -> Value {
    let arn = format!("${{{reference}.{}}}", t.tf_arn);
    match t.children {
        None => json!(arn),
        Some(c) => json!([arn.clone(), format!("{arn}{c}")]),
    }
}

/// One IAM statement granting `g` on `resource`.
pub fn statement(sid: &str, g: &Grant, resource: Value) -> Value {
    json!({
        "Sid": sid,
        "Effect": "Allow",
        "Action": g.actions,
        "Resource": resource,
    })
}

/// The statement id of a connection: `WriteOrders`.
pub fn sid(conn: ConnectionKind, target_name: &str) -> String {
    use crate::formats::names::pascal_case;
    format!("{}{}", pascal_case(conn.word()), pascal_case(target_name))
}

/// The JSON line an API writes to its access log for each request, the
/// same in SAM and Terraform (an HTTP API names the route, a REST API the
/// resource path).
pub fn access_log_format(http: bool) -> String {
    let path = if http {
        "\"routeKey\":\"$context.routeKey\""
    } else {
        "\"resourcePath\":\"$context.resourcePath\""
    };
    format!(
        "{{\"requestId\":\"$context.requestId\",\"ip\":\"$context.identity.sourceIp\",\"requestTime\":\"$context.requestTime\",\"httpMethod\":\"$context.httpMethod\",{path},\"status\":\"$context.status\",\"responseLength\":\"$context.responseLength\"}}"
    )
}

/// The environment variable that hands a function a resource's name, the
/// same in every language: `ORDERS_TABLE`, `JOBS_QUEUE_URL`, ... `name` is
/// the logical id (SAM) or the resource name (Terraform).
pub fn env_name(name: &str, kind: Kind) -> String {
    let base = upper_snake(name);
    let Some(suffix) = target(kind).and_then(|t| t.env.as_ref()).map(|e| e.suffix) else {
        return base;
    };
    let stem = suffix.split('_').next().unwrap_or(suffix);
    if base.ends_with(suffix) {
        base
    } else if base.ends_with(stem) {
        format!("{base}{}", &suffix[stem.len()..])
    } else {
        format!("{base}_{suffix}")
    }
}

#[cfg(test)]
mod tests {

    #[test]
    fn an_action_applies_only_to_its_own_services_resources() {
        assert!(acts_on(Kind::Stream, "kinesis:GetRecords"));
        assert!(!acts_on(Kind::Stream, "firehose:PutRecord"));
        assert!(acts_on(Kind::Database, "rds:CreateDBSnapshot"));
        assert!(acts_on(Kind::Table, "*"));
        assert!(acts_on(Kind::Table, "DynamoDB:PutItem"));
        // A kind without a recipe takes anything.
        assert!(acts_on(Kind::Vpc, "ec2:CreateTags"));
    }

    use super::*;
    use crate::catalog::{ENTRIES, Kind};
    use crate::formats::sam::policies::{classify_actions, template};

    /// Every connection the catalog says a function or state machine makes
    /// with a service, by IAM, has a recipe; and what the recipe grants reads
    /// back as the same kind of arrow.
    #[test]
    fn every_catalog_grant_has_a_recipe() {
        // Connections made by other means than a role's permissions.
        let not_iam = [Kind::LogGroup, Kind::Cache, Kind::Container];
        let mut checked = 0;
        for e in ENTRIES
            .iter()
            .filter(|e| matches!(e.word, "function" | "statemachine"))
        {
            for (to, conn) in e.connects_to {
                if !matches!(
                    conn,
                    ConnectionKind::Read
                        | ConnectionKind::Write
                        | ConnectionKind::Publish
                        | ConnectionKind::Invoke
                ) || not_iam.contains(to)
                {
                    continue;
                }
                let (_, g) = access(*to, *conn)
                    .unwrap_or_else(|| panic!("{} -> {to} ({conn}) has no recipe", e.word));
                let back = classify_actions(g.actions);
                assert_eq!(
                    back == ConnectionKind::Read,
                    *conn == ConnectionKind::Read,
                    "{} -> {to} ({conn}) reads back as {back}",
                    e.word
                );
                if let Some((name, param, _)) = g.template {
                    let (p, k) = template(name)
                        .unwrap_or_else(|| panic!("{name} is not a known policy template"));
                    assert_eq!(p, param, "{name}");
                    assert_eq!(
                        k == ConnectionKind::Read,
                        *conn == ConnectionKind::Read,
                        "{name}"
                    );
                }
                checked += 1;
            }
        }
        assert!(checked > 20, "only {checked} connections checked");
    }

    #[test]
    fn one_recipe_per_kind_and_each_grants_something() {
        for (i, t) in TARGETS.iter().enumerate() {
            assert!(
                !TARGETS[..i].iter().any(|u| u.kind == t.kind),
                "{} has two recipes",
                t.kind.word()
            );
            assert!(t.read.is_some() || t.write.is_some(), "{}", t.kind.word());
        }
    }

    #[test]
    fn least_privilege() {
        let (_, w) = access(Kind::Table, ConnectionKind::Write).unwrap();
        assert_eq!(w.template.map(|t| t.0), Some("DynamoDBWritePolicy"));
        assert!(
            !w.actions
                .iter()
                .any(|a| a.contains("Scan") || a.contains("Delete"))
        );
        let (_, r) = access(Kind::Table, ConnectionKind::Read).unwrap();
        assert!(r.actions.iter().all(|a| !a.contains("Put")));
    }

    #[test]
    fn one_env_name() {
        assert_eq!(env_name("Orders", Kind::Table), "ORDERS_TABLE");
        assert_eq!(env_name("orders", Kind::Table), "ORDERS_TABLE");
        assert_eq!(env_name("OrdersTable", Kind::Table), "ORDERS_TABLE");
        assert_eq!(env_name("jobs_queue", Kind::Queue), "JOBS_QUEUE_URL");
        assert_eq!(env_name("Thing", Kind::Vpc), "THING");
    }

    #[test]
    fn resources_in_both_languages() {
        let (t, _) = access(Kind::Table, ConnectionKind::Read).unwrap();
        assert_eq!(
            cfn_resource(t, "Orders"),
            json!([{"Fn::GetAtt": ["Orders", "Arn"]}, {"Fn::Sub": "${Orders.Arn}/index/*"}])
        );
        assert_eq!(
            tf_resource(t, "aws_dynamodb_table.orders"),
            json!([
                "${aws_dynamodb_table.orders.arn}",
                "${aws_dynamodb_table.orders.arn}/index/*"
            ])
        );
        let (p, _) = access(Kind::Parameter, ConnectionKind::Read).unwrap();
        assert_eq!(
            cfn_resource(p, "Flag"),
            json!({"Fn::Sub": "arn:${AWS::Partition}:ssm:${AWS::Region}:${AWS::AccountId}:parameter/${Flag}"})
        );
    }
}
