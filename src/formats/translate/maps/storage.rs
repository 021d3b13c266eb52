//! Where data lives and moves: queues, topics, tables, buckets, streams and
//! delivery streams.

use serde_json::json;

use super::super::expr;
use super::super::rules::{Custom, Rule, Rule::*};
use crate::model::{Map, Value};

pub const QUEUE: &[&[Rule]] = &[&[
    Rename("QueueName", "name"),
    Rename("VisibilityTimeout", "visibility_timeout_seconds"),
    Rename("MessageRetentionPeriod", "message_retention_seconds"),
    Rename("DelaySeconds", "delay_seconds"),
    Rename("MaximumMessageSize", "max_message_size"),
    Rename("ReceiveMessageWaitTimeSeconds", "receive_wait_time_seconds"),
    Rename("FifoQueue", "fifo_queue"),
    Rename("ContentBasedDeduplication", "content_based_deduplication"),
    Rename("KmsMasterKeyId", "kms_master_key_id"),
    Rename(
        "KmsDataKeyReusePeriodSeconds",
        "kms_data_key_reuse_period_seconds",
    ),
    Rename("SqsManagedSseEnabled", "sqs_managed_sse_enabled"),
    Rename("DeduplicationScope", "deduplication_scope"),
    Rename("FifoThroughputLimit", "fifo_throughput_limit"),
    Json("RedrivePolicy", "redrive_policy"),
    Json("RedriveAllowPolicy", "redrive_allow_policy"),
    Tags("Tags", "tags"),
    TfOnly(
        "policy",
        "is an AWS::SQS::QueuePolicy of its own in CloudFormation",
    ),
]];

pub const TOPIC: &[&[Rule]] = &[&[
    Rename("TopicName", "name"),
    Rename("DisplayName", "display_name"),
    Rename("FifoTopic", "fifo_topic"),
    Rename("KmsMasterKeyId", "kms_master_key_id"),
    Rename("ContentBasedDeduplication", "content_based_deduplication"),
    Rename("SignatureVersion", "signature_version"),
    Rename("TracingConfig", "tracing_config"),
    Json("DeliveryPolicy", "delivery_policy"),
    Json("ArchivePolicy", "archive_policy"),
    Custom(&SUBSCRIPTIONS),
    Tags("Tags", "tags"),
    TfOnly(
        "policy",
        "is an AWS::SNS::TopicPolicy of its own in CloudFormation",
    ),
]];

/// A topic's subscriptions: resources of their own in Terraform, read back
/// as the topic's arrows.
const SUBSCRIPTIONS: Custom = Custom {
    cfn: &["Subscription"],
    tf: &[],
    to_tf: |t, cx, p, _| {
        let Some(Value::Array(subs)) = p.get("Subscription") else {
            return;
        };
        for sub in subs {
            let mut b = Map::new();
            b.insert("topic_arn".into(), expr(&format!("{}.arn", cx.addr)));
            if let Some(pr) = sub.get("Protocol") {
                b.insert("protocol".into(), t.value(pr));
            }
            if let Some(e) = sub.get("Endpoint") {
                b.insert("endpoint".into(), t.value(e));
            }
            t.add_resource(cx.addr, "aws_sns_topic_subscription", cx.name, b);
        }
    },
    to_cfn: |_, _, _, _| {},
};

const TABLE_SETTINGS: &[Rule] = &[
    Rename("BillingMode", "billing_mode"),
    Rename("TableClass", "table_class"),
    Rename("DeletionProtectionEnabled", "deletion_protection_enabled"),
    Custom(&KEYS),
    Custom(&THROUGHPUT),
    Custom(&KINESIS_DESTINATION),
    Custom(&STREAM),
    Block(
        "TimeToLiveSpecification",
        "ttl",
        &[
            Rename("AttributeName", "attribute_name"),
            Rename("Enabled", "enabled"),
        ],
    ),
    Block(
        "PointInTimeRecoverySpecification",
        "point_in_time_recovery",
        &[Rename("PointInTimeRecoveryEnabled", "enabled")],
    ),
    SSE,
    Custom(&INDEXES),
];

const SSE: Rule = Block(
    "SSESpecification",
    "server_side_encryption",
    &[
        Rename("SSEEnabled", "enabled"),
        Rename("KMSMasterKeyId", "kms_key_arn"),
    ],
);

pub const TABLE: &[&[Rule]] = &[
    &[Rename("TableName", "name")],
    TABLE_SETTINGS,
    &[Tags("Tags", "tags")],
];

/// SAM's simple table: a primary key and little else.
pub const SIMPLE_TABLE: &[&[Rule]] = &[&[
    Rename("TableName", "name"),
    Custom(&KEYS),
    Custom(&THROUGHPUT),
    SSE,
    TagMap("Tags", "tags"),
]];

fn key_schema(t: &mut super::super::to_tf::ToTf, ks: &[Value], b: &mut Map) {
    for k in ks {
        let n = k
            .get("AttributeName")
            .map(|x| t.value(x))
            .unwrap_or(Value::Null);
        match k.get("KeyType").and_then(Value::as_str) {
            Some("HASH") => {
                b.insert("hash_key".into(), n);
            }
            Some("RANGE") => {
                b.insert("range_key".into(), n);
            }
            _ => {}
        }
    }
}

fn cfn_key_schema(t: &mut super::super::to_sam::ToSam, b: &Map) -> Value {
    let mut keys = Vec::new();
    if let Some(h) = b.get("hash_key") {
        keys.push(json!({"AttributeName": t.value(h), "KeyType": "HASH"}));
    }
    if let Some(r) = b.get("range_key") {
        keys.push(json!({"AttributeName": t.value(r), "KeyType": "RANGE"}));
    }
    Value::Array(keys)
}

const KEYS: Custom = Custom {
    cfn: &["KeySchema", "AttributeDefinitions", "PrimaryKey"],
    tf: &["hash_key", "range_key", "attribute"],
    to_tf: |t, _, p, m| {
        if let Some(Value::Array(ks)) = p.get("KeySchema") {
            key_schema(t, ks, m);
        }
        if let Some(pk) = p.get("PrimaryKey") {
            let n = pk.get("Name").map(|x| t.value(x)).unwrap_or(json!("id"));
            let ty = match pk.get("Type").and_then(Value::as_str) {
                Some("Number") => "N",
                Some("Binary") => "B",
                _ => "S",
            };
            m.insert("hash_key".into(), n.clone());
            m.insert("attribute".into(), json!([{"name": n, "type": ty}]));
        }
        if let Some(Value::Array(ads)) = p.get("AttributeDefinitions") {
            let list: Vec<Value> = ads
                .iter()
                .map(|a| {
                    json!({
                        "name": a.get("AttributeName").map(|x| t.value(x)).unwrap_or(Value::Null),
                        "type": a.get("AttributeType").map(|x| t.value(x)).unwrap_or(json!("S")),
                    })
                })
                .collect();
            if !list.is_empty() {
                m.insert("attribute".into(), Value::Array(list));
            }
        }
    },
    to_cfn: |t, cx, p, m| {
        if cx.cfn == "AWS::Serverless::SimpleTable" {
            if let Some(h) = p.get("hash_key") {
                let name = t.value(h);
                let ty = match p
                    .get("attribute")
                    .and_then(Value::as_array)
                    .and_then(|a| a.iter().find(|x| x.get("name") == Some(h)))
                    .and_then(|x| x.get("type"))
                    .and_then(Value::as_str)
                {
                    Some("N") => "Number",
                    Some("B") => "Binary",
                    _ => "String",
                };
                m.insert("PrimaryKey".into(), json!({"Name": name, "Type": ty}));
            }
            return;
        }
        let keys = cfn_key_schema(t, p);
        m.insert("KeySchema".into(), keys);
        if let Some(Value::Array(attrs)) = p.get("attribute") {
            let list: Vec<Value> = attrs
                .iter()
                .map(|a| {
                    json!({
                        "AttributeName": a.get("name").map(|x| t.value(x)).unwrap_or(Value::Null),
                        "AttributeType": a.get("type").map(|x| t.value(x)).unwrap_or(json!("S")),
                    })
                })
                .collect();
            m.insert("AttributeDefinitions".into(), Value::Array(list));
        }
    },
};

const THROUGHPUT: Custom = Custom {
    cfn: &["ProvisionedThroughput"],
    tf: &["read_capacity", "write_capacity"],
    to_tf: |t, _, p, m| match p.get("ProvisionedThroughput") {
        Some(pt) => {
            if let Some(r) = pt.get("ReadCapacityUnits") {
                let r = t.value(r);
                m.insert("read_capacity".into(), r);
            }
            if let Some(w) = pt.get("WriteCapacityUnits") {
                let w = t.value(w);
                m.insert("write_capacity".into(), w);
            }
            if !m.contains_key("billing_mode") {
                m.insert("billing_mode".into(), json!("PROVISIONED"));
            }
        }
        None => {
            if !m.contains_key("billing_mode") {
                m.insert("billing_mode".into(), json!("PAY_PER_REQUEST"));
            }
        }
    },
    to_cfn: |t, _, p, m| {
        if p.get("billing_mode").and_then(Value::as_str) == Some("PAY_PER_REQUEST") {
            return;
        }
        if let (Some(r), Some(w)) = (p.get("read_capacity"), p.get("write_capacity")) {
            let (r, w) = (t.value(r), t.value(w));
            m.insert(
                "ProvisionedThroughput".into(),
                json!({"ReadCapacityUnits": r, "WriteCapacityUnits": w}),
            );
        }
    },
};

const STREAM: Custom = Custom {
    cfn: &["StreamSpecification"],
    tf: &["stream_enabled", "stream_view_type"],
    to_tf: |t, _, p, m| {
        if let Some(st) = p
            .get("StreamSpecification")
            .and_then(|x| x.get("StreamViewType"))
        {
            m.insert("stream_enabled".into(), json!(true));
            let r = t.value(st);
            m.insert("stream_view_type".into(), r);
        }
    },
    to_cfn: |t, _, p, m| {
        if p.get("stream_enabled") == Some(&json!(false)) {
            return;
        }
        if let Some(v) = p.get("stream_view_type") {
            let v = t.value(v);
            m.insert("StreamSpecification".into(), json!({"StreamViewType": v}));
        }
    },
};

const INDEXES: Custom = Custom {
    cfn: &["GlobalSecondaryIndexes", "LocalSecondaryIndexes"],
    tf: &["global_secondary_index", "local_secondary_index"],
    to_tf: |t, _, p, m| {
        for (key, block) in [
            ("GlobalSecondaryIndexes", "global_secondary_index"),
            ("LocalSecondaryIndexes", "local_secondary_index"),
        ] {
            let Some(Value::Array(ix)) = p.get(key) else {
                continue;
            };
            let mut list = Vec::new();
            for i in ix {
                let mut b = Map::new();
                if let Some(n) = i.get("IndexName") {
                    b.insert("name".into(), t.value(n));
                }
                if let Some(Value::Array(ks)) = i.get("KeySchema") {
                    key_schema(t, ks, &mut b);
                }
                if let Some(pt) = i.get("Projection").and_then(|x| x.get("ProjectionType")) {
                    b.insert("projection_type".into(), t.value(pt));
                }
                if let Some(nk) = i.get("Projection").and_then(|x| x.get("NonKeyAttributes")) {
                    b.insert("non_key_attributes".into(), t.value(nk));
                }
                list.push(Value::Object(b));
            }
            m.insert(block.into(), Value::Array(list));
        }
    },
    to_cfn: |t, _, p, m| {
        for (block, key) in [
            ("global_secondary_index", "GlobalSecondaryIndexes"),
            ("local_secondary_index", "LocalSecondaryIndexes"),
        ] {
            let Some(Value::Array(ix)) = p.get(block) else {
                continue;
            };
            let mut list = Vec::new();
            for i in ix.iter().filter_map(Value::as_object) {
                let mut o = Map::new();
                if let Some(n) = i.get("name") {
                    o.insert("IndexName".into(), t.value(n));
                }
                o.insert("KeySchema".into(), cfn_key_schema(t, i));
                let mut pr = Map::new();
                pr.insert(
                    "ProjectionType".into(),
                    i.get("projection_type")
                        .map(|x| t.value(x))
                        .unwrap_or(json!("ALL")),
                );
                if let Some(nk) = i.get("non_key_attributes") {
                    pr.insert("NonKeyAttributes".into(), t.value(nk));
                }
                o.insert("Projection".into(), Value::Object(pr));
                if let (Some(r), Some(w)) = (i.get("read_capacity"), i.get("write_capacity")) {
                    let (r, w) = (t.value(r), t.value(w));
                    o.insert(
                        "ProvisionedThroughput".into(),
                        json!({"ReadCapacityUnits": r, "WriteCapacityUnits": w}),
                    );
                }
                list.push(Value::Object(o));
            }
            m.insert(key.into(), Value::Array(list));
        }
    },
};

pub const BUCKET: &[&[Rule]] = &[&[
    Rename("BucketName", "bucket"),
    Rename("ObjectLockEnabled", "object_lock_enabled"),
    Custom(&BUCKET_SETTINGS),
    CfnOnly("CorsConfiguration", "is a separate resource in Terraform"),
    CfnOnly(
        "WebsiteConfiguration",
        "is a separate resource in Terraform",
    ),
    CfnOnly(
        "LifecycleConfiguration",
        "is a separate resource in Terraform",
    ),
    CfnOnly("OwnershipControls", "is a separate resource in Terraform"),
    Tags("Tags", "tags"),
    TfOnly("bucket_prefix", "is Terraform's own"),
    TfOnly("force_destroy", "is Terraform's own"),
]];

/// Bucket settings that Terraform writes as resources of their own.
const BUCKET_SETTINGS: Custom = Custom {
    cfn: &[
        "VersioningConfiguration",
        "BucketEncryption",
        "PublicAccessBlockConfiguration",
        "NotificationConfiguration",
        "LoggingConfiguration",
    ],
    tf: &[],
    to_tf: |t, cx, p, _| {
        let bucket_ref = expr(&format!("{}.id", cx.addr));
        if let Some(st) = p
            .get("VersioningConfiguration")
            .and_then(|v| v.get("Status"))
        {
            let st = t.value(st);
            let mut b = Map::new();
            b.insert("bucket".into(), bucket_ref.clone());
            b.insert("versioning_configuration".into(), json!([{"status": st}]));
            t.add_resource(cx.addr, "aws_s3_bucket_versioning", cx.name, b);
        }
        if let Some(Value::Array(rules)) = p
            .get("BucketEncryption")
            .and_then(|e| e.get("ServerSideEncryptionConfiguration"))
        {
            let mut list = Vec::new();
            for r in rules {
                if let Some(d) = r.get("ServerSideEncryptionByDefault") {
                    let d = t.snake_value(d);
                    list.push(json!({"apply_server_side_encryption_by_default": [d]}));
                }
            }
            let mut b = Map::new();
            b.insert("bucket".into(), bucket_ref.clone());
            b.insert("rule".into(), Value::Array(list));
            t.add_resource(
                cx.addr,
                "aws_s3_bucket_server_side_encryption_configuration",
                cx.name,
                b,
            );
        }
        if let Some(v) = p.get("PublicAccessBlockConfiguration") {
            let mut b = Map::new();
            b.insert("bucket".into(), bucket_ref.clone());
            if let Value::Object(o) = t.snake_value(v) {
                for (k, x) in o {
                    b.insert(k, x);
                }
            }
            t.add_resource(cx.addr, "aws_s3_bucket_public_access_block", cx.name, b);
        }
        if let Some(l) = p.get("LoggingConfiguration") {
            let mut b = Map::new();
            b.insert("bucket".into(), bucket_ref.clone());
            // Without a destination, S3 logs into the bucket itself.
            let target = match l.get("DestinationBucketName") {
                Some(d) => t.value(d),
                None => bucket_ref.clone(),
            };
            b.insert("target_bucket".into(), target);
            let prefix = l.get("LogFilePrefix").map_or(json!(""), |x| t.value(x));
            b.insert("target_prefix".into(), prefix);
            t.add_resource(cx.addr, "aws_s3_bucket_logging", cx.name, b);
        }
        if let Some(n) = p.get("NotificationConfiguration") {
            let mut b = Map::new();
            b.insert("bucket".into(), bucket_ref.clone());
            for (list, key, tf_list, tf_key) in [
                (
                    "LambdaConfigurations",
                    "Function",
                    "lambda_function",
                    "lambda_function_arn",
                ),
                ("QueueConfigurations", "Queue", "queue", "queue_arn"),
                ("TopicConfigurations", "Topic", "topic", "topic_arn"),
            ] {
                if let Some(Value::Array(items)) = n.get(list) {
                    let mut out = Vec::new();
                    for it in items {
                        let mut c = Map::new();
                        if let Some(x) = it.get(key) {
                            c.insert(tf_key.into(), t.value(x));
                        }
                        if let Some(e) = it.get("Event") {
                            let e = t.value(e);
                            c.insert("events".into(), json!([e]));
                        }
                        out.push(Value::Object(c));
                    }
                    b.insert(tf_list.into(), Value::Array(out));
                }
            }
            if n.get("EventBridgeConfiguration").is_some() {
                b.insert("eventbridge".into(), json!(true));
            }
            t.add_resource(cx.addr, "aws_s3_bucket_notification", cx.name, b);
        }
    },
    to_cfn: |_, _, _, _| {},
};

pub const STREAM_KINESIS: &[&[Rule]] = &[&[
    Rename("Name", "name"),
    Rename("ShardCount", "shard_count"),
    Rename("RetentionPeriodHours", "retention_period"),
    Block(
        "StreamModeDetails",
        "stream_mode_details",
        &[Rename("StreamMode", "stream_mode")],
    ),
    Nested("StreamEncryption", "EncryptionType", "encryption_type"),
    Nested("StreamEncryption", "KeyId", "kms_key_id"),
    Tags("Tags", "tags"),
]];

pub const FIREHOSE: &[&[Rule]] = &[&[
    Rename("DeliveryStreamName", "name"),
    Custom(&DESTINATION),
    Block(
        "AmazonOpenSearchServerlessDestinationConfiguration",
        "opensearchserverless_configuration",
        &[
            Rename("CollectionEndpoint", "collection_endpoint"),
            Rename("IndexName", "index_name"),
            Rename("RoleARN", "role_arn"),
            Rename("S3BackupMode", "s3_backup_mode"),
            Nested("BufferingHints", "IntervalInSeconds", "buffering_interval"),
            Nested("BufferingHints", "SizeInMBs", "buffering_size"),
            Block("S3Configuration", "s3_configuration", S3_CONFIGURATION),
        ],
    ),
    Block(
        "HttpEndpointDestinationConfiguration",
        "http_endpoint_configuration",
        &[
            Nested("EndpointConfiguration", "Url", "url"),
            Nested("EndpointConfiguration", "Name", "name"),
            Nested("EndpointConfiguration", "AccessKey", "access_key"),
            Rename("RoleARN", "role_arn"),
            Rename("S3BackupMode", "s3_backup_mode"),
            Nested("BufferingHints", "IntervalInSeconds", "buffering_interval"),
            Nested("BufferingHints", "SizeInMBs", "buffering_size"),
            Block("S3Configuration", "s3_configuration", S3_CONFIGURATION),
        ],
    ),
    Block(
        "ExtendedS3DestinationConfiguration",
        "extended_s3_configuration",
        &[
            Rename("BucketARN", "bucket_arn"),
            Rename("RoleARN", "role_arn"),
            Rename("Prefix", "prefix"),
            Rename("ErrorOutputPrefix", "error_output_prefix"),
            Rename("CompressionFormat", "compression_format"),
            Nested("BufferingHints", "IntervalInSeconds", "buffering_interval"),
            Nested("BufferingHints", "SizeInMBs", "buffering_size"),
            Block(
                "CloudWatchLoggingOptions",
                "cloudwatch_logging_options",
                &[
                    Rename("Enabled", "enabled"),
                    Rename("LogGroupName", "log_group_name"),
                    Rename("LogStreamName", "log_stream_name"),
                ],
            ),
            Block(
                "ProcessingConfiguration",
                "processing_configuration",
                &[
                    Rename("Enabled", "enabled"),
                    Blocks(
                        "Processors",
                        "processors",
                        &[
                            Rename("Type", "type"),
                            Blocks(
                                "Parameters",
                                "parameters",
                                &[
                                    Rename("ParameterName", "parameter_name"),
                                    Rename("ParameterValue", "parameter_value"),
                                ],
                            ),
                        ],
                    ),
                ],
            ),
        ],
    ),
    Block(
        "KinesisStreamSourceConfiguration",
        "kinesis_source_configuration",
        &[
            Rename("KinesisStreamARN", "kinesis_stream_arn"),
            Rename("RoleARN", "role_arn"),
        ],
    ),
    Tags("Tags", "tags"),
]];

const S3_CONFIGURATION: &[Rule] = &[
    Rename("BucketARN", "bucket_arn"),
    Rename("RoleARN", "role_arn"),
    Rename("Prefix", "prefix"),
    Rename("ErrorOutputPrefix", "error_output_prefix"),
    Rename("CompressionFormat", "compression_format"),
    Nested("BufferingHints", "IntervalInSeconds", "buffering_interval"),
    Nested("BufferingHints", "SizeInMBs", "buffering_size"),
];

/// Terraform names the destination; CloudFormation says it by which
/// destination configuration is set (only those this map translates).
const DESTINATION: Custom = Custom {
    cfn: &[],
    tf: &["destination"],
    to_tf: |_, _, p, m| {
        let which = [
            ("ExtendedS3DestinationConfiguration", "extended_s3"),
            (
                "AmazonOpenSearchServerlessDestinationConfiguration",
                "opensearchserverless",
            ),
            ("HttpEndpointDestinationConfiguration", "http_endpoint"),
        ];
        if let Some((_, d)) = which.iter().find(|(c, _)| p.contains_key(*c)) {
            m.insert("destination".into(), json!(d));
        }
    },
    to_cfn: |_, _, _, _| {},
};

pub const STREAM_CONSUMER: &[&[Rule]] = &[&[
    Rename("StreamARN", "stream_arn"),
    Rename("ConsumerName", "name"),
    Tags("Tags", "tags"),
]];

/// A table's Kinesis stream is a streaming destination of its own in
/// Terraform.
const KINESIS_DESTINATION: Custom = Custom {
    cfn: &["KinesisStreamSpecification"],
    tf: &[],
    to_tf: |t, cx, p, _| {
        let Some(arn) = p
            .get("KinesisStreamSpecification")
            .and_then(|k| k.get("StreamArn"))
        else {
            return;
        };
        let mut b = Map::new();
        let arn = t.value(arn);
        b.insert("stream_arn".into(), arn);
        b.insert("table_name".into(), expr(&format!("{}.name", cx.addr)));
        t.add_resource(
            cx.addr,
            "aws_dynamodb_kinesis_streaming_destination",
            cx.name,
            b,
        );
    },
    to_cfn: |_, _, _, _| {},
};
