//! The service vocabulary, as data: for each kind of service its short word and
//! aliases, its SAM/CloudFormation and Terraform types, category, glyphs, cost
//! component and the connections that make sense from it. Adding a service is
//! adding one entry to [`ENTRIES`].

use std::fmt;

use serde::{Deserialize, Serialize};

/// What an arrow means; arrows point the way data or control flows.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ConnectionKind {
    /// An event source invokes a target (S3 to Lambda, SQS to Lambda).
    Trigger,
    Invoke,
    Read,
    Write,
    Publish,
    Subscribe,
    /// An API routes to its integration.
    Route,
    Auth,
    Log,
    /// A plain reference.
    Ref,
}

impl ConnectionKind {
    pub const ALL: [ConnectionKind; 10] = [
        ConnectionKind::Trigger,
        ConnectionKind::Invoke,
        ConnectionKind::Read,
        ConnectionKind::Write,
        ConnectionKind::Publish,
        ConnectionKind::Subscribe,
        ConnectionKind::Route,
        ConnectionKind::Auth,
        ConnectionKind::Log,
        ConnectionKind::Ref,
    ];
    pub fn word(self) -> &'static str {
        match self {
            ConnectionKind::Trigger => "trigger",
            ConnectionKind::Invoke => "invoke",
            ConnectionKind::Read => "read",
            ConnectionKind::Write => "write",
            ConnectionKind::Publish => "publish",
            ConnectionKind::Subscribe => "subscribe",
            ConnectionKind::Route => "route",
            ConnectionKind::Auth => "auth",
            ConnectionKind::Log => "log",
            ConnectionKind::Ref => "ref",
        }
    }
    pub fn parse(word: &str) -> Option<ConnectionKind> {
        let w = word.to_ascii_lowercase();
        Self::ALL.into_iter().find(|k| k.word() == w)
    }
}

impl fmt::Display for ConnectionKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.word())
    }
}

/// What a kind of service is for; used for colours, grouping and folding.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Category {
    Compute,
    Storage,
    Database,
    Messaging,
    Integration,
    Api,
    Security,
    Monitoring,
    Network,
    /// Resources that only wire other services together (roles, permissions,
    /// subscriptions, ...). At the service level they fold into the arrows
    /// they create.
    Glue,
    Other,
}

impl Category {
    pub fn word(self) -> &'static str {
        match self {
            Category::Compute => "compute",
            Category::Storage => "storage",
            Category::Database => "database",
            Category::Messaging => "messaging",
            Category::Integration => "integration",
            Category::Api => "api",
            Category::Security => "security",
            Category::Monitoring => "monitoring",
            Category::Network => "network",
            Category::Glue => "glue",
            Category::Other => "other",
        }
    }
}

/// One kind of service.
#[derive(Debug)]
pub struct Entry {
    /// The short word used by the command language and the JSON output.
    pub word: &'static str,
    pub aliases: &'static [&'static str],
    /// A human title for palettes and help.
    pub title: &'static str,
    pub category: Category,
    /// One terminal cell wide.
    pub glyph: &'static str,
    /// Plain ASCII stand-in for `glyph`.
    pub ascii_glyph: &'static str,
    /// SAM/CloudFormation resource types; the first is what new services export as.
    pub cfn_types: &'static [&'static str],
    /// Terraform resource types; the first is what new services export as.
    pub tf_types: &'static [&'static str],
    /// The price-table service this kind is billed under, if any.
    pub cost: Option<&'static str>,
    /// Connections that make sense from this kind: (target kind, connection kind).
    /// The first match for a target is the natural connection.
    pub connects_to: &'static [(Kind, ConnectionKind)],
    /// Shown on the owner's box when folded (`+3 IAM`).
    pub fold_label: &'static str,
}

use ConnectionKind::*;

const DATA_TARGETS: &[(Kind, ConnectionKind)] = &[
    (Kind::Table, Write),
    (Kind::Bucket, Write),
    (Kind::Queue, Write),
    (Kind::Topic, Publish),
    (Kind::Stream, Write),
    (Kind::Firehose, Write),
    (Kind::EventBus, Publish),
    (Kind::Function, Invoke),
    (Kind::StateMachine, Invoke),
    (Kind::Database, Write),
    (Kind::Secret, Read),
    (Kind::Parameter, Read),
    (Kind::LogGroup, Log),
    (Kind::Container, Invoke),
    (Kind::Etl, Invoke),
    (Kind::Crawler, Invoke),
    (Kind::Api, Invoke),
    (Kind::HttpApi, Invoke),
    // A GraphQL query or mutation sent to AppSync.
    (Kind::GraphQl, Invoke),
    (Kind::UserPool, Read),
    // Posting to the clients of a WebSocket API.
    (Kind::WebSocket, Write),
    // Code that writes parameters, rotates secrets.
    (Kind::Parameter, Write),
    (Kind::Secret, Write),
    // Lambda authorizers.
    (Kind::Api, Auth),
    (Kind::HttpApi, Auth),
    (Kind::WebSocket, Auth),
    (Kind::GraphQl, Auth),
    (Kind::Cache, Write),
    (Kind::Search, Write),
    (Kind::Search, Read),
    (Kind::Key, Read),
];

/// Whether a kind of service runs code its owner writes (so its permissions
/// say what it may do, not what it is configured to do).
pub fn runs_code(k: Kind) -> bool {
    matches!(
        k,
        Kind::Generic
            | Kind::Function
            | Kind::StateMachine
            | Kind::Container
            | Kind::Instance
            | Kind::Etl
            | Kind::Application
    )
}

/// Declares the kinds of service from one table: each row gives a variant of
/// [`Kind`] and its [`Entry`], so a kind is named in code as `Kind::Queue`
/// (a misspelt kind does not compile) and a `match` on kinds is checked for
/// exhaustiveness, while everything known about it stays in its row.
macro_rules! kinds {
    ($($variant:ident => $entry:expr,)*) => {
        /// A kind of service: always one of the catalog's entries.
        #[derive(Clone, Copy, PartialEq, Eq, Hash)]
        pub enum Kind {
            $($variant,)*
        }

        /// Every kind's entry, in the order of [`Kind`]'s variants.
        pub static ENTRIES: &[Entry] = &[$($entry,)*];

        impl Kind {
            /// Every kind, in the table's order.
            pub const ALL: &'static [Kind] = &[$(Kind::$variant,)*];
        }

        #[cfg(test)]
        const VARIANT_NAMES: &[&str] = &[$(stringify!($variant),)*];
    };
}

// Every kind of service the app knows. Order matters only for type lookups:
// the first entry that lists a type wins.
kinds! {
    Function => Entry {
        word: "function",
        aliases: &["lambda", "fn"],
        title: "Lambda function",
        category: Category::Compute,
        glyph: "λ",
        ascii_glyph: "L",
        cfn_types: &["AWS::Serverless::Function", "AWS::Lambda::Function"],
        tf_types: &["aws_lambda_function"],
        cost: Some("lambda"),
        connects_to: DATA_TARGETS,
        fold_label: "",
    },
    Bucket => Entry {
        word: "bucket",
        aliases: &["s3"],
        title: "S3 bucket",
        category: Category::Storage,
        glyph: "▤",
        ascii_glyph: "S",
        cfn_types: &["AWS::S3::Bucket"],
        tf_types: &["aws_s3_bucket"],
        cost: Some("s3_standard"),
        connects_to: &[
            (Kind::Function, Trigger),
            (Kind::Queue, Trigger),
            (Kind::Topic, Trigger),
            (Kind::EventBus, Trigger),
            (Kind::Bucket, Write),
            (Kind::Cdn, Read),
            // Its events, matched by an EventBridge rule.
            (Kind::Rule, Trigger),
        ],
        fold_label: "",
    },
    Table => Entry {
        word: "table",
        aliases: &["dynamodb", "ddb"],
        title: "DynamoDB table",
        category: Category::Database,
        glyph: "▦",
        ascii_glyph: "T",
        cfn_types: &[
            "AWS::DynamoDB::Table",
            "AWS::Serverless::SimpleTable",
            "AWS::DynamoDB::GlobalTable",
        ],
        tf_types: &["aws_dynamodb_table"],
        cost: Some("dynamodb"),
        connects_to: &[
            (Kind::Pipe, Trigger),
            (Kind::Function, Trigger),
            (Kind::Stream, Write),
            (Kind::StateMachine, Trigger),
            (Kind::EventBus, Trigger),
            (Kind::Queue, Trigger),
            (Kind::Topic, Trigger),
        ],
        fold_label: "",
    },
    Queue => Entry {
        word: "queue",
        aliases: &["sqs"],
        title: "SQS queue",
        category: Category::Messaging,
        glyph: "≡",
        ascii_glyph: "Q",
        cfn_types: &["AWS::SQS::Queue"],
        tf_types: &["aws_sqs_queue"],
        cost: Some("sqs"),
        connects_to: &[
            (Kind::Pipe, Trigger),
            (Kind::Function, Trigger),
            (Kind::Queue, Write),
            (Kind::StateMachine, Trigger),
            (Kind::EventBus, Trigger),
            (Kind::Container, Trigger),
            (Kind::Topic, Trigger),
            (Kind::Stream, Trigger),
        ],
        fold_label: "",
    },
    Topic => Entry {
        word: "topic",
        aliases: &["sns"],
        title: "SNS topic",
        category: Category::Messaging,
        glyph: "◉",
        ascii_glyph: "N",
        cfn_types: &["AWS::SNS::Topic"],
        tf_types: &["aws_sns_topic"],
        cost: Some("sns"),
        connects_to: &[
            (Kind::Function, Trigger),
            (Kind::Queue, Subscribe),
            (Kind::Firehose, Subscribe),
            (Kind::Api, Subscribe),
            (Kind::HttpApi, Subscribe),
        ],
        fold_label: "",
    },
    Stream => Entry {
        word: "stream",
        aliases: &["kinesis"],
        title: "Kinesis data stream",
        category: Category::Messaging,
        glyph: "≈",
        ascii_glyph: "K",
        cfn_types: &["AWS::Kinesis::Stream"],
        tf_types: &["aws_kinesis_stream"],
        cost: Some("kinesis_ondemand"),
        connects_to: &[
            (Kind::Pipe, Trigger),
            (Kind::Function, Trigger),
            (Kind::Firehose, Trigger),
            (Kind::Stream, Write),
            (Kind::StateMachine, Trigger),
            (Kind::EventBus, Trigger),
        ],
        fold_label: "",
    },
    Firehose => Entry {
        word: "firehose",
        aliases: &["deliverystream"],
        title: "Data Firehose delivery stream",
        category: Category::Messaging,
        glyph: "⇶",
        ascii_glyph: "F",
        cfn_types: &["AWS::KinesisFirehose::DeliveryStream"],
        tf_types: &["aws_kinesis_firehose_delivery_stream"],
        cost: Some("firehose"),
        connects_to: &[
            (Kind::Bucket, Write),
            (Kind::Search, Write),
            (Kind::Function, Invoke),
            // An HTTP endpoint destination.
            (Kind::HttpApi, Write),
            (Kind::Api, Write),
        ],
        fold_label: "",
    },
    StateMachine => Entry {
        word: "statemachine",
        aliases: &["sfn", "stepfunctions", "workflow"],
        title: "Step Functions state machine",
        category: Category::Integration,
        glyph: "◇",
        ascii_glyph: "W",
        cfn_types: &[
            "AWS::Serverless::StateMachine",
            "AWS::StepFunctions::StateMachine",
        ],
        tf_types: &["aws_sfn_state_machine"],
        cost: Some("sfn_standard"),
        connects_to: DATA_TARGETS,
        fold_label: "",
    },
    EventBus => Entry {
        word: "eventbus",
        aliases: &["bus", "eventbridge"],
        title: "EventBridge event bus",
        category: Category::Integration,
        glyph: "⊕",
        ascii_glyph: "B",
        cfn_types: &["AWS::Events::EventBus"],
        tf_types: &["aws_cloudwatch_event_bus"],
        cost: Some("eventbridge"),
        connects_to: &[
            (Kind::Rule, Route),
            (Kind::Function, Trigger),
            (Kind::Queue, Trigger),
            (Kind::Topic, Trigger),
            (Kind::StateMachine, Trigger),
            (Kind::EventBus, Publish),
            (Kind::LogGroup, Log),
            (Kind::Stream, Trigger),
            (Kind::Firehose, Trigger),
        ],
        fold_label: "",
    },
    Rule => Entry {
        word: "rule",
        aliases: &["eventrule"],
        title: "EventBridge rule",
        category: Category::Integration,
        glyph: "⚑",
        ascii_glyph: "R",
        cfn_types: &["AWS::Events::Rule"],
        tf_types: &["aws_cloudwatch_event_rule"],
        cost: None,
        connects_to: &[
            (Kind::Function, Trigger),
            (Kind::Queue, Trigger),
            (Kind::Topic, Trigger),
            (Kind::StateMachine, Trigger),
            (Kind::EventBus, Trigger),
            (Kind::LogGroup, Trigger),
            (Kind::Stream, Trigger),
            (Kind::Firehose, Trigger),
            (Kind::Container, Trigger),
            (Kind::Api, Trigger),
            (Kind::ApiDestination, Trigger),
            // Where undeliverable events go.
            (Kind::Queue, Write),
        ],
        fold_label: "",
    },
    Schedule => Entry {
        word: "schedule",
        aliases: &["cron", "scheduler"],
        title: "EventBridge Scheduler schedule",
        category: Category::Integration,
        glyph: "◷",
        ascii_glyph: "C",
        cfn_types: &["AWS::Scheduler::Schedule"],
        tf_types: &["aws_scheduler_schedule"],
        cost: Some("scheduler"),
        connects_to: &[
            (Kind::Function, Trigger),
            (Kind::Queue, Trigger),
            (Kind::Topic, Trigger),
            (Kind::StateMachine, Trigger),
            (Kind::EventBus, Trigger),
            (Kind::Container, Trigger),
            (Kind::Stream, Trigger),
            (Kind::Firehose, Trigger),
            // Where undeliverable events go.
            (Kind::Queue, Write),
        ],
        fold_label: "",
    },
    Pipe => Entry {
        word: "pipe",
        aliases: &["pipes"],
        title: "EventBridge pipe",
        category: Category::Integration,
        glyph: "⇢",
        ascii_glyph: "P",
        cfn_types: &["AWS::Pipes::Pipe"],
        tf_types: &["aws_pipes_pipe"],
        cost: Some("pipes"),
        connects_to: &[
            (Kind::Function, Trigger),
            (Kind::Queue, Trigger),
            (Kind::Topic, Trigger),
            (Kind::StateMachine, Trigger),
            (Kind::EventBus, Trigger),
            (Kind::Stream, Trigger),
            (Kind::ApiDestination, Trigger),
            (Kind::LogGroup, Log),
            (Kind::LogGroup, Trigger),
            // Enrichment.
            (Kind::Function, Invoke),
            (Kind::StateMachine, Invoke),
            (Kind::ApiDestination, Invoke),
        ],
        fold_label: "",
    },
    ApiDestination => Entry {
        word: "apidestination",
        aliases: &["webhook"],
        title: "EventBridge API destination",
        category: Category::Integration,
        glyph: "⇱",
        ascii_glyph: "D",
        cfn_types: &["AWS::Events::ApiDestination"],
        tf_types: &["aws_cloudwatch_event_api_destination"],
        cost: None,
        connects_to: &[],
        fold_label: "",
    },
    Api => Entry {
        word: "api",
        aliases: &["rest", "restapi", "apigateway"],
        title: "API Gateway REST API",
        category: Category::Api,
        glyph: "⇄",
        ascii_glyph: "A",
        cfn_types: &["AWS::Serverless::Api", "AWS::ApiGateway::RestApi"],
        tf_types: &["aws_api_gateway_rest_api"],
        cost: Some("apigw_rest"),
        connects_to: &[
            (Kind::Instance, Route),
            (Kind::Container, Route),
            (Kind::Function, Route),
            (Kind::StateMachine, Route),
            (Kind::Queue, Route),
            (Kind::Table, Route),
            (Kind::Bucket, Route),
            (Kind::Topic, Route),
            (Kind::Stream, Route),
            (Kind::EventBus, Route),
            (Kind::LoadBalancer, Route),
            (Kind::LogGroup, Log),
        ],
        fold_label: "",
    },
    HttpApi => Entry {
        word: "httpapi",
        aliases: &["http"],
        title: "API Gateway HTTP API",
        category: Category::Api,
        glyph: "⇆",
        ascii_glyph: "H",
        cfn_types: &["AWS::Serverless::HttpApi", "AWS::ApiGatewayV2::Api"],
        tf_types: &["aws_apigatewayv2_api"],
        cost: Some("apigw_http"),
        connects_to: &[
            (Kind::Instance, Route),
            (Kind::Container, Route),
            (Kind::Function, Route),
            (Kind::StateMachine, Route),
            (Kind::Queue, Route),
            (Kind::EventBus, Route),
            (Kind::Stream, Route),
            (Kind::LoadBalancer, Route),
            (Kind::LogGroup, Log),
        ],
        fold_label: "",
    },
    WebSocket => Entry {
        word: "websocket",
        aliases: &["ws", "websocketapi"],
        title: "API Gateway WebSocket API",
        category: Category::Api,
        glyph: "⇋",
        ascii_glyph: "X",
        // Shares its resource type with `httpapi`; importers tell them apart by
        // ProtocolType / protocol_type.
        cfn_types: &["AWS::ApiGatewayV2::Api"],
        tf_types: &["aws_apigatewayv2_api"],
        cost: Some("apigw_ws"),
        connects_to: &[
            (Kind::Function, Route),
            (Kind::Queue, Route),
            (Kind::Topic, Route),
            (Kind::StateMachine, Route),
            (Kind::Table, Route),
            (Kind::LogGroup, Log),
        ],
        fold_label: "",
    },
    GraphQl => Entry {
        word: "graphql",
        aliases: &["appsync"],
        title: "AppSync GraphQL API",
        category: Category::Api,
        glyph: "◈",
        ascii_glyph: "G",
        cfn_types: &["AWS::AppSync::GraphQLApi", "AWS::Serverless::GraphQLApi"],
        tf_types: &["aws_appsync_graphql_api"],
        cost: Some("appsync"),
        connects_to: &[
            (Kind::Function, Route),
            (Kind::Table, Route),
            (Kind::StateMachine, Route),
            (Kind::EventBus, Route),
            (Kind::HttpApi, Route),
            (Kind::Api, Route),
            (Kind::Search, Route),
        ],
        fold_label: "",
    },
    UserPool => Entry {
        word: "userpool",
        aliases: &["cognito"],
        title: "Cognito user pool",
        category: Category::Security,
        glyph: "☺",
        ascii_glyph: "U",
        cfn_types: &["AWS::Cognito::UserPool"],
        tf_types: &["aws_cognito_user_pool"],
        cost: Some("cognito"),
        connects_to: &[
            (Kind::Api, Auth),
            (Kind::HttpApi, Auth),
            (Kind::WebSocket, Auth),
            (Kind::GraphQl, Auth),
            (Kind::LoadBalancer, Auth),
            (Kind::Function, Trigger),
        ],
        fold_label: "",
    },
    Cdn => Entry {
        word: "cdn",
        aliases: &["cloudfront", "distribution"],
        title: "CloudFront distribution",
        category: Category::Network,
        glyph: "◎",
        ascii_glyph: "O",
        cfn_types: &["AWS::CloudFront::Distribution"],
        tf_types: &["aws_cloudfront_distribution"],
        cost: Some("cloudfront"),
        connects_to: &[
            (Kind::Bucket, Read),
            (Kind::Api, Route),
            (Kind::HttpApi, Route),
            (Kind::Function, Route),
            (Kind::LoadBalancer, Route),
            // Lambda@Edge and CloudFront functions run on its requests.
            (Kind::Function, Trigger),
        ],
        fold_label: "",
    },
    LoadBalancer => Entry {
        word: "loadbalancer",
        aliases: &["alb", "nlb", "elb"],
        title: "Elastic Load Balancer",
        category: Category::Network,
        glyph: "⋔",
        ascii_glyph: "Y",
        cfn_types: &[
            "AWS::ElasticLoadBalancingV2::LoadBalancer",
            "AWS::ElasticLoadBalancing::LoadBalancer",
        ],
        tf_types: &["aws_lb", "aws_alb", "aws_elb"],
        cost: Some("alb"),
        connects_to: &[
            (Kind::Function, Route),
            (Kind::Container, Route),
            (Kind::Instance, Route),
            // A private API behind its endpoint, a balancer behind another.
            (Kind::Api, Route),
            (Kind::LoadBalancer, Route),
        ],
        fold_label: "",
    },
    LogGroup => Entry {
        word: "loggroup",
        aliases: &["logs", "log"],
        title: "CloudWatch log group",
        category: Category::Monitoring,
        glyph: "≣",
        ascii_glyph: "g",
        cfn_types: &["AWS::Logs::LogGroup"],
        tf_types: &["aws_cloudwatch_log_group"],
        cost: Some("cloudwatch_logs"),
        connects_to: &[
            (Kind::Function, Trigger),
            (Kind::Firehose, Trigger),
            (Kind::Stream, Trigger),
        ],
        fold_label: "",
    },
    Alarm => Entry {
        word: "alarm",
        aliases: &["cloudwatchalarm"],
        title: "CloudWatch alarm",
        category: Category::Monitoring,
        glyph: "⚠",
        ascii_glyph: "!",
        cfn_types: &["AWS::CloudWatch::Alarm", "AWS::CloudWatch::CompositeAlarm"],
        tf_types: &[
            "aws_cloudwatch_metric_alarm",
            "aws_cloudwatch_composite_alarm",
        ],
        cost: Some("cloudwatch_alarm"),
        connects_to: &[(Kind::Topic, Publish), (Kind::Function, Trigger)],
        fold_label: "",
    },
    Database => Entry {
        word: "database",
        aliases: &["rds", "aurora", "db"],
        title: "RDS / Aurora database",
        category: Category::Database,
        glyph: "⊞",
        ascii_glyph: "d",
        cfn_types: &[
            "AWS::RDS::DBCluster",
            "AWS::RDS::DBInstance",
            "AWS::DocDB::DBCluster",
            "AWS::Neptune::DBCluster",
        ],
        tf_types: &[
            "aws_rds_cluster",
            "aws_db_instance",
            "aws_docdb_cluster",
            "aws_neptune_cluster",
        ],
        cost: Some("aurora_sv2"),
        connects_to: &[(Kind::Function, Trigger)],
        fold_label: "",
    },
    Cache => Entry {
        word: "cache",
        aliases: &["elasticache", "memorydb", "redis"],
        title: "ElastiCache / MemoryDB cache",
        category: Category::Database,
        glyph: "↯",
        ascii_glyph: "c",
        cfn_types: &[
            "AWS::ElastiCache::CacheCluster",
            "AWS::ElastiCache::ReplicationGroup",
            "AWS::ElastiCache::ServerlessCache",
            "AWS::MemoryDB::Cluster",
        ],
        tf_types: &[
            "aws_elasticache_cluster",
            "aws_elasticache_replication_group",
            "aws_elasticache_serverless_cache",
            "aws_memorydb_cluster",
        ],
        cost: None,
        connects_to: &[],
        fold_label: "",
    },
    Search => Entry {
        word: "search",
        aliases: &["opensearch", "elasticsearch"],
        title: "OpenSearch domain or collection",
        category: Category::Database,
        glyph: "⌕",
        ascii_glyph: "o",
        cfn_types: &[
            "AWS::OpenSearchService::Domain",
            "AWS::OpenSearchServerless::Collection",
            "AWS::Elasticsearch::Domain",
        ],
        tf_types: &[
            "aws_opensearch_domain",
            "aws_opensearchserverless_collection",
            "aws_elasticsearch_domain",
        ],
        cost: None,
        connects_to: &[],
        fold_label: "",
    },
    Container => Entry {
        word: "container",
        aliases: &["ecs", "fargate", "service"],
        title: "ECS / Fargate service",
        category: Category::Compute,
        glyph: "▣",
        ascii_glyph: "E",
        cfn_types: &["AWS::ECS::Service"],
        tf_types: &["aws_ecs_service"],
        cost: Some("fargate_linux_x86"),
        connects_to: DATA_TARGETS,
        fold_label: "",
    },
    Instance => Entry {
        word: "instance",
        aliases: &["ec2", "vm"],
        title: "EC2 instance",
        category: Category::Compute,
        glyph: "▢",
        ascii_glyph: "I",
        cfn_types: &["AWS::EC2::Instance", "AWS::AutoScaling::AutoScalingGroup"],
        tf_types: &["aws_instance", "aws_autoscaling_group"],
        cost: None,
        connects_to: DATA_TARGETS,
        fold_label: "",
    },
    Crawler => Entry {
        word: "crawler",
        aliases: &["gluecrawler"],
        title: "Glue crawler",
        category: Category::Integration,
        glyph: "⌘",
        ascii_glyph: "r",
        cfn_types: &["AWS::Glue::Crawler"],
        tf_types: &["aws_glue_crawler"],
        cost: None,
        connects_to: &[(Kind::Bucket, Read), (Kind::Table, Read), (Kind::Database, Read)],
        fold_label: "",
    },
    Etl => Entry {
        word: "etl",
        aliases: &["glue", "gluejob"],
        title: "Glue job",
        category: Category::Integration,
        glyph: "⚙",
        ascii_glyph: "J",
        cfn_types: &["AWS::Glue::Job", "AWS::Glue::Workflow"],
        tf_types: &["aws_glue_job", "aws_glue_workflow"],
        cost: None,
        connects_to: &[(Kind::Bucket, Write), (Kind::Table, Write), (Kind::Database, Write)],
        fold_label: "",
    },
    Application => Entry {
        word: "application",
        aliases: &["app", "stack", "nestedstack", "module"],
        title: "Nested application or stack",
        category: Category::Other,
        glyph: "⧉",
        ascii_glyph: "M",
        cfn_types: &["AWS::Serverless::Application", "AWS::CloudFormation::Stack"],
        tf_types: &[],
        cost: None,
        connects_to: &[],
        fold_label: "",
    },
    Secret => Entry {
        word: "secret",
        aliases: &["secretsmanager"],
        title: "Secrets Manager secret",
        category: Category::Security,
        glyph: "⚿",
        ascii_glyph: "$",
        cfn_types: &["AWS::SecretsManager::Secret"],
        tf_types: &["aws_secretsmanager_secret"],
        cost: Some("secretsmanager"),
        // Its rotation schedule calls the rotation function.
        connects_to: &[(Kind::Function, Trigger)],
        fold_label: "",
    },
    Parameter => Entry {
        word: "parameter",
        aliases: &["ssm", "ssmparameter"],
        title: "SSM parameter",
        category: Category::Security,
        glyph: "⚬",
        ascii_glyph: "p",
        cfn_types: &["AWS::SSM::Parameter"],
        tf_types: &["aws_ssm_parameter"],
        cost: None,
        connects_to: &[],
        fold_label: "",
    },
    Key => Entry {
        word: "key",
        aliases: &["kms"],
        title: "KMS key",
        category: Category::Security,
        glyph: "⚷",
        ascii_glyph: "k",
        cfn_types: &["AWS::KMS::Key"],
        tf_types: &["aws_kms_key"],
        cost: Some("kms"),
        connects_to: &[],
        fold_label: "",
    },
    Vpc => Entry {
        word: "vpc",
        aliases: &["network"],
        title: "VPC",
        category: Category::Network,
        glyph: "⬚",
        ascii_glyph: "V",
        cfn_types: &["AWS::EC2::VPC"],
        tf_types: &["aws_vpc"],
        cost: None,
        connects_to: &[],
        fold_label: "",
    },
    Subnet => Entry {
        word: "subnet",
        aliases: &[],
        title: "VPC subnet",
        category: Category::Network,
        glyph: "⬚",
        ascii_glyph: "s",
        cfn_types: &["AWS::EC2::Subnet"],
        tf_types: &["aws_subnet"],
        cost: None,
        connects_to: &[],
        fold_label: "",
    },
    SecurityGroup => Entry {
        word: "securitygroup",
        aliases: &["sg"],
        title: "Security group",
        category: Category::Network,
        glyph: "⛨",
        ascii_glyph: "#",
        cfn_types: &["AWS::EC2::SecurityGroup"],
        tf_types: &["aws_security_group"],
        cost: None,
        connects_to: &[],
        fold_label: "",
    },
    NatGateway => Entry {
        word: "natgateway",
        aliases: &["nat"],
        title: "NAT gateway",
        category: Category::Network,
        glyph: "⇅",
        ascii_glyph: "n",
        cfn_types: &["AWS::EC2::NatGateway"],
        tf_types: &["aws_nat_gateway"],
        cost: Some("nat_gateway"),
        connects_to: &[],
        fold_label: "",
    },
    Layer => Entry {
        word: "layer",
        aliases: &["lambdalayer"],
        title: "Lambda layer",
        category: Category::Compute,
        glyph: "⧈",
        ascii_glyph: "l",
        cfn_types: &["AWS::Serverless::LayerVersion", "AWS::Lambda::LayerVersion"],
        tf_types: &["aws_lambda_layer_version"],
        cost: None,
        connects_to: &[],
        fold_label: "layer",
    },
    // Glue: folded into the arrows they create at the service level.
    Role => glue(
        "role",
        &["iamrole"],
        "IAM role",
        &["AWS::IAM::Role"],
        &["aws_iam_role"],
        "IAM",
    ),
    Policy => glue(
        "policy",
        &["iampolicy"],
        "IAM policy",
        &[
            "AWS::IAM::Policy",
            "AWS::IAM::ManagedPolicy",
            "AWS::IAM::RolePolicy",
        ],
        &[
            "aws_iam_role_policy",
            "aws_iam_policy",
            "aws_iam_role_policy_attachment",
            "aws_iam_policy_attachment",
        ],
        "IAM",
    ),
    Permission => glue(
        "permission",
        &["lambdapermission"],
        "Lambda permission",
        &["AWS::Lambda::Permission"],
        &["aws_lambda_permission"],
        "perm",
    ),
    Mapping => glue(
        "mapping",
        &["eventsourcemapping", "esm"],
        "Lambda event source mapping",
        &["AWS::Lambda::EventSourceMapping"],
        &["aws_lambda_event_source_mapping"],
        "ESM",
    ),
    ResourcePolicy => glue(
        "resourcepolicy",
        &["bucketpolicy", "queuepolicy", "topicpolicy"],
        "Resource policy",
        &[
            "AWS::S3::BucketPolicy",
            "AWS::SQS::QueuePolicy",
            "AWS::SNS::TopicPolicy",
            "AWS::Events::EventBusPolicy",
            "AWS::Logs::ResourcePolicy",
        ],
        &[
            "aws_s3_bucket_policy",
            "aws_sqs_queue_policy",
            "aws_sns_topic_policy",
            "aws_cloudwatch_event_bus_policy",
            "aws_cloudwatch_log_resource_policy",
        ],
        "policy",
    ),
    Subscription => glue(
        "subscription",
        &["snssubscription"],
        "SNS subscription",
        &["AWS::SNS::Subscription"],
        &["aws_sns_topic_subscription"],
        "sub",
    ),
    Target => glue(
        "target",
        &["eventtarget"],
        "EventBridge rule target",
        &[],
        &["aws_cloudwatch_event_target"],
        "target",
    ),
    Notification => glue(
        "notification",
        &["bucketnotification"],
        "S3 bucket notification",
        &[],
        &["aws_s3_bucket_notification"],
        "notif",
    ),
    Connector => glue(
        "connector",
        &[],
        "SAM connector",
        &["AWS::Serverless::Connector"],
        &[],
        "conn",
    ),
    ApiRoute => glue(
        "apiroute",
        &["route", "integration"],
        "API route or integration",
        &[
            "AWS::ApiGatewayV2::Route",
            "AWS::ApiGatewayV2::Integration",
            "AWS::ApiGatewayV2::Authorizer",
            "AWS::ApiGatewayV2::Stage",
            "AWS::ApiGatewayV2::Deployment",
            "AWS::ApiGatewayV2::IntegrationResponse",
            "AWS::ApiGatewayV2::RouteResponse",
            "AWS::ApiGateway::Method",
            "AWS::ApiGateway::Resource",
            "AWS::ApiGateway::Deployment",
            "AWS::ApiGateway::Stage",
            "AWS::ApiGateway::Authorizer",
        ],
        &[
            "aws_apigatewayv2_route",
            "aws_apigatewayv2_integration",
            "aws_apigatewayv2_authorizer",
            "aws_apigatewayv2_stage",
            "aws_apigatewayv2_deployment",
            "aws_apigatewayv2_integration_response",
            "aws_apigatewayv2_route_response",
            "aws_api_gateway_method",
            "aws_api_gateway_resource",
            "aws_api_gateway_integration",
            "aws_api_gateway_deployment",
            "aws_api_gateway_stage",
            "aws_api_gateway_authorizer",
            "aws_api_gateway_method_response",
            "aws_api_gateway_integration_response",
        ],
        "API",
    ),
    Generic => Entry {
        word: "generic",
        aliases: &["other", "resource"],
        title: "Other resource",
        category: Category::Other,
        glyph: "□",
        ascii_glyph: "?",
        cfn_types: &[],
        tf_types: &[],
        cost: None,
        connects_to: &[],
        fold_label: "",
    },
}

const fn glue(
    word: &'static str,
    aliases: &'static [&'static str],
    title: &'static str,
    cfn_types: &'static [&'static str],
    tf_types: &'static [&'static str],
    fold_label: &'static str,
) -> Entry {
    Entry {
        word,
        aliases,
        title,
        category: Category::Glue,
        glyph: "·",
        ascii_glyph: ".",
        cfn_types,
        tf_types,
        cost: None,
        connects_to: &[],
        fold_label,
    }
}

/// Resource types that are tools of the template rather than services
/// (random names, archives, local files, waits, template metadata): at the
/// service level they are counted on the box that uses them.
pub fn is_helper(type_name: &str) -> bool {
    type_name.starts_with("random_")
        || type_name.starts_with("time_")
        || matches!(
            type_name,
            "null_resource"
                | "terraform_data"
                | "local_file"
                | "local_sensitive_file"
                | "archive_file"
                | "tls_private_key"
                | "AWS::CloudFormation::WaitConditionHandle"
                | "AWS::CloudFormation::WaitCondition"
                | "AWS::CDK::Metadata"
                // The same written for Terraform's Cloud Control provider.
                | "awscc_cloudformation_wait_condition_handle"
                | "awscc_cloudformation_wait_condition"
                | "awscc_cdk_metadata"
        )
}

impl Kind {
    pub fn entry(self) -> &'static Entry {
        &ENTRIES[self as usize]
    }
    pub fn word(self) -> &'static str {
        self.entry().word
    }
    pub fn category(self) -> Category {
        self.entry().category
    }
    pub fn is_glue(self) -> bool {
        self.category() == Category::Glue
    }
    pub fn is_generic(self) -> bool {
        self == Kind::Generic
    }
    /// The kind named by a word or alias (case-insensitive).
    pub fn parse(word: &str) -> Option<Kind> {
        let w = word.to_ascii_lowercase();
        Kind::all().find(|k| {
            let e = k.entry();
            e.word == w || e.aliases.contains(&w.as_str())
        })
    }
    /// The kind of a SAM/CloudFormation resource type; unknown types are generic.
    pub fn from_cfn_type(ty: &str) -> Kind {
        Kind::all()
            .find(|k| k.entry().cfn_types.contains(&ty))
            .unwrap_or(Kind::Generic)
    }
    /// The kind of a Terraform resource type; unknown types are generic.
    pub fn from_tf_type(ty: &str) -> Kind {
        Kind::all()
            .find(|k| k.entry().tf_types.contains(&ty))
            .unwrap_or(Kind::Generic)
    }
    /// The connection that makes sense from this kind to `to`, if any.
    pub fn natural_connection(self, to: Kind) -> Option<ConnectionKind> {
        self.entry()
            .connects_to
            .iter()
            .find(|(k, _)| *k == to)
            .map(|(_, c)| *c)
    }
    /// Whether `kind` is a connection that makes sense from this kind to `to`.
    pub fn allows(self, to: Kind, kind: ConnectionKind) -> bool {
        // A nested stack is a box of anything; any service may log; a rule
        // or schedule may call any API (a universal target) on anything.
        let opaque = |k: Kind| matches!(k, Kind::Generic | Kind::Application);
        let universal =
            matches!(self, Kind::Rule | Kind::Schedule) && kind == ConnectionKind::Trigger;
        if kind == ConnectionKind::Ref
            || opaque(self)
            || opaque(to)
            || universal
            || (kind == ConnectionKind::Log && to == Kind::LogGroup)
        {
            return true;
        }
        self.entry()
            .connects_to
            .iter()
            .any(|(k, c)| *k == to && *c == kind)
    }
    pub fn all() -> impl Iterator<Item = Kind> {
        Kind::ALL.iter().copied()
    }
}

// Kinds sort by their words, so lists and maps keyed by kind read alphabetically.
impl PartialOrd for Kind {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Kind {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.word().cmp(other.word())
    }
}

impl fmt::Debug for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Kind({})", self.word())
    }
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.word())
    }
}

impl serde::Serialize for Kind {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.word())
    }
}

impl<'de> serde::Deserialize<'de> for Kind {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Kind::parse(&s).ok_or_else(|| serde::de::Error::custom(format!("unknown kind `{s}`")))
    }
}

/// CloudFormation and Terraform resource types that are the same resource,
/// for translating between the two languages: the kinds' types whose pair
/// their position in the entry does not give, and the resources no kind of
/// service stands for. Other types of a kind pair by position.
static TYPE_PAIRS: &[(&str, &str)] = &[
    ("AWS::Serverless::Function", "aws_lambda_function"),
    ("AWS::Lambda::Function", "aws_lambda_function"),
    ("AWS::Serverless::StateMachine", "aws_sfn_state_machine"),
    ("AWS::StepFunctions::StateMachine", "aws_sfn_state_machine"),
    ("AWS::Serverless::Api", "aws_api_gateway_rest_api"),
    ("AWS::ApiGateway::RestApi", "aws_api_gateway_rest_api"),
    ("AWS::Serverless::HttpApi", "aws_apigatewayv2_api"),
    ("AWS::ApiGatewayV2::Api", "aws_apigatewayv2_api"),
    ("AWS::Serverless::SimpleTable", "aws_dynamodb_table"),
    ("AWS::DynamoDB::Table", "aws_dynamodb_table"),
    ("AWS::Serverless::LayerVersion", "aws_lambda_layer_version"),
    ("AWS::Lambda::LayerVersion", "aws_lambda_layer_version"),
    ("AWS::Serverless::Application", "module"),
    ("AWS::CloudFormation::Stack", "module"),
    ("AWS::Serverless::GraphQLApi", "aws_appsync_graphql_api"),
    ("AWS::AppSync::GraphQLApi", "aws_appsync_graphql_api"),
    ("AWS::IAM::Role", "aws_iam_role"),
    ("AWS::IAM::Policy", "aws_iam_role_policy"),
    ("AWS::IAM::RolePolicy", "aws_iam_role_policy"),
    ("AWS::IAM::ManagedPolicy", "aws_iam_policy"),
    ("AWS::IAM::InstanceProfile", "aws_iam_instance_profile"),
    ("AWS::Lambda::Permission", "aws_lambda_permission"),
    (
        "AWS::Lambda::EventSourceMapping",
        "aws_lambda_event_source_mapping",
    ),
    ("AWS::Lambda::Alias", "aws_lambda_alias"),
    ("AWS::ApiGateway::DomainName", "aws_api_gateway_domain_name"),
    (
        "AWS::ApiGatewayV2::DomainName",
        "aws_apigatewayv2_domain_name",
    ),
    (
        "AWS::ApiGateway::BasePathMapping",
        "aws_api_gateway_base_path_mapping",
    ),
    (
        "AWS::ApiGatewayV2::ApiMapping",
        "aws_apigatewayv2_api_mapping",
    ),
    ("AWS::SNS::Subscription", "aws_sns_topic_subscription"),
    ("AWS::SQS::QueuePolicy", "aws_sqs_queue_policy"),
    ("AWS::SNS::TopicPolicy", "aws_sns_topic_policy"),
    ("AWS::S3::BucketPolicy", "aws_s3_bucket_policy"),
    (
        "AWS::Events::EventBusPolicy",
        "aws_cloudwatch_event_bus_policy",
    ),
    ("AWS::Events::Rule", "aws_cloudwatch_event_rule"),
    ("AWS::Events::Connection", "aws_cloudwatch_event_connection"),
    ("AWS::Scheduler::Schedule", "aws_scheduler_schedule"),
    (
        "AWS::Scheduler::ScheduleGroup",
        "aws_scheduler_schedule_group",
    ),
    ("AWS::ApiGateway::Method", "aws_api_gateway_method"),
    ("AWS::ApiGateway::Resource", "aws_api_gateway_resource"),
    ("AWS::ApiGateway::Deployment", "aws_api_gateway_deployment"),
    ("AWS::ApiGateway::Stage", "aws_api_gateway_stage"),
    ("AWS::ApiGateway::Authorizer", "aws_api_gateway_authorizer"),
    ("AWS::ApiGatewayV2::Route", "aws_apigatewayv2_route"),
    (
        "AWS::ApiGatewayV2::Integration",
        "aws_apigatewayv2_integration",
    ),
    (
        "AWS::ApiGatewayV2::Authorizer",
        "aws_apigatewayv2_authorizer",
    ),
    ("AWS::ApiGatewayV2::Stage", "aws_apigatewayv2_stage"),
    (
        "AWS::ApiGatewayV2::Deployment",
        "aws_apigatewayv2_deployment",
    ),
    (
        "AWS::ApiGatewayV2::IntegrationResponse",
        "aws_apigatewayv2_integration_response",
    ),
    (
        "AWS::ApiGatewayV2::RouteResponse",
        "aws_apigatewayv2_route_response",
    ),
    ("AWS::RDS::DBInstance", "aws_db_instance"),
    ("AWS::RDS::DBCluster", "aws_rds_cluster"),
    (
        "AWS::Cognito::UserPoolClient",
        "aws_cognito_user_pool_client",
    ),
    (
        "AWS::Cognito::UserPoolDomain",
        "aws_cognito_user_pool_domain",
    ),
    (
        "AWS::CloudWatch::CompositeAlarm",
        "aws_cloudwatch_composite_alarm",
    ),
    ("AWS::EC2::RouteTable", "aws_route_table"),
    ("AWS::EC2::Route", "aws_route"),
    (
        "AWS::EC2::SubnetRouteTableAssociation",
        "aws_route_table_association",
    ),
    ("AWS::EC2::InternetGateway", "aws_internet_gateway"),
    (
        "AWS::EC2::VPCGatewayAttachment",
        "aws_internet_gateway_attachment",
    ),
    ("AWS::EC2::EIP", "aws_eip"),
    ("AWS::EC2::VPCEndpoint", "aws_vpc_endpoint"),
    (
        "AWS::EC2::SecurityGroupIngress",
        "aws_vpc_security_group_ingress_rule",
    ),
    (
        "AWS::EC2::SecurityGroupEgress",
        "aws_vpc_security_group_egress_rule",
    ),
    (
        "AWS::Logs::MetricFilter",
        "aws_cloudwatch_log_metric_filter",
    ),
    (
        "AWS::Logs::SubscriptionFilter",
        "aws_cloudwatch_log_subscription_filter",
    ),
    ("AWS::IoT::TopicRule", "aws_iot_topic_rule"),
    ("AWS::KMS::Alias", "aws_kms_alias"),
    (
        "AWS::SecretsManager::RotationSchedule",
        "aws_secretsmanager_secret_rotation",
    ),
    ("AWS::ECS::Cluster", "aws_ecs_cluster"),
    ("AWS::ECS::TaskDefinition", "aws_ecs_task_definition"),
    ("AWS::ECR::Repository", "aws_ecr_repository"),
    ("AWS::ElasticLoadBalancing::LoadBalancer", "aws_elb"),
    (
        "AWS::ElasticLoadBalancingV2::TargetGroup",
        "aws_lb_target_group",
    ),
    ("AWS::ElasticLoadBalancingV2::Listener", "aws_lb_listener"),
    (
        "AWS::ElasticLoadBalancingV2::ListenerRule",
        "aws_lb_listener_rule",
    ),
    ("AWS::Route53::RecordSet", "aws_route53_record"),
    ("AWS::Route53::HostedZone", "aws_route53_zone"),
    (
        "AWS::CertificateManager::Certificate",
        "aws_acm_certificate",
    ),
    (
        "AWS::CloudFront::OriginAccessControl",
        "aws_cloudfront_origin_access_control",
    ),
    (
        "AWS::CloudFront::CloudFrontOriginAccessIdentity",
        "aws_cloudfront_origin_access_identity",
    ),
    ("AWS::WAFv2::WebACL", "aws_wafv2_web_acl"),
    ("AWS::SES::ConfigurationSet", "aws_ses_configuration_set"),
    ("AWS::SES::EmailIdentity", "aws_sesv2_email_identity"),
    (
        "AWS::Kinesis::StreamConsumer",
        "aws_kinesis_stream_consumer",
    ),
    ("AWS::Events::Archive", "aws_cloudwatch_event_archive"),
    (
        "AWS::Events::ApiDestination",
        "aws_cloudwatch_event_api_destination",
    ),
    ("AWS::Glue::Database", "aws_glue_catalog_database"),
    ("AWS::Glue::Table", "aws_glue_catalog_table"),
    ("AWS::Athena::WorkGroup", "aws_athena_workgroup"),
    ("AWS::CodeDeploy::Application", "aws_codedeploy_app"),
    ("AWS::AppSync::DataSource", "aws_appsync_datasource"),
    ("AWS::AppSync::Resolver", "aws_appsync_resolver"),
];

/// The Terraform type a CloudFormation type is written as, when one is known
/// (`module` for nested applications and stacks).
pub fn tf_type_for(cfn: &str) -> Option<&'static str> {
    if let Some((_, t)) = TYPE_PAIRS.iter().find(|(c, _)| *c == cfn) {
        return Some(t);
    }
    let k = Kind::from_cfn_type(cfn);
    if k.is_generic() {
        return None;
    }
    let e = k.entry();
    let i = e.cfn_types.iter().position(|c| *c == cfn).unwrap_or(0);
    e.tf_types.get(i).or(e.tf_types.first()).copied()
}

/// The CloudFormation type a Terraform type of no kind of service is
/// written as, when one is known (SAM's own types are left to the kinds).
pub fn cfn_type_for(tf: &str) -> Option<&'static str> {
    TYPE_PAIRS
        .iter()
        .find(|(c, t)| *t == tf && !c.starts_with("AWS::Serverless::"))
        .map(|(c, _)| *c)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn words_and_aliases_are_unique() {
        let mut seen = HashSet::new();
        for e in ENTRIES {
            assert!(seen.insert(e.word), "duplicate word {}", e.word);
            for a in e.aliases {
                assert!(seen.insert(a), "duplicate alias {a}");
            }
        }
    }

    #[test]
    fn glyphs_are_one_cell() {
        use unicode_width::UnicodeWidthStr;
        for e in ENTRIES {
            assert_eq!(e.glyph.chars().count(), 1, "{}", e.word);
            // Emoji-wide symbols (such as a high-voltage sign) take two cells.
            assert_eq!(
                e.glyph.width(),
                1,
                "{} is drawn {} cells wide",
                e.word,
                e.glyph.width()
            );
            assert!(
                e.ascii_glyph.is_ascii() && e.ascii_glyph.len() == 1,
                "{}",
                e.word
            );
        }
    }

    #[test]
    fn each_variant_is_named_after_its_word() {
        assert_eq!(VARIANT_NAMES.len(), ENTRIES.len());
        for (k, name) in Kind::all().zip(VARIANT_NAMES) {
            assert_eq!(name.to_ascii_lowercase(), k.word());
            assert_eq!(Kind::parse(k.word()), Some(k));
        }
    }

    #[test]
    fn lookups() {
        assert_eq!(Kind::parse("lambda").unwrap().word(), "function");
        assert_eq!(Kind::parse("SQS").unwrap().word(), "queue");
        assert_eq!(
            Kind::from_cfn_type("AWS::Serverless::SimpleTable").word(),
            "table"
        );
        assert_eq!(Kind::from_tf_type("aws_lambda_function").word(), "function");
        assert!(Kind::from_cfn_type("AWS::Foo::Bar").is_generic());
        let q = Kind::Queue;
        let f = Kind::Function;
        assert_eq!(q.natural_connection(f), Some(ConnectionKind::Trigger));
        assert_eq!(f.natural_connection(q), Some(ConnectionKind::Write));
    }
}
