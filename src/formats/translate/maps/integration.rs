//! What moves events and work along: state machines, event buses, rules,
//! schedules and pipes, and SAM's schedule and rule events.

use serde_json::json;

use super::super::rules::{Custom, Cx, Rule, Rule::*};
use super::super::to_sam::ToSam;
use super::super::to_sam::terraform_chains;
use super::super::to_tf::ToTf;
use super::super::to_tf::substitute;
use super::super::{JSONENCODE, expr, operand, single_interpolation};
use crate::formats::names::snake_case;
use crate::model::{Map, Value};

const STATE_MACHINE_COMMON: &[Rule] = &[Custom(&DEFINITION), Custom(&SFN_ROLE), Custom(&LOGGING)];

/// SAM's state machine.
pub const SERVERLESS_STATE_MACHINE: &[&[Rule]] = &[
    &[
        Rename("Name", "name"),
        Rename("Type", "type"),
        Connection("Events"),
        Connection("Policies"),
    ],
    STATE_MACHINE_COMMON,
    &[
        Block(
            "Tracing",
            "tracing_configuration",
            &[Rename("Enabled", "enabled")],
        ),
        TagMap("Tags", "tags"),
        CfnOnly("PermissionsBoundary", "belongs on the role in Terraform"),
        CfnOnly("AutoPublishAlias", "has no direct Terraform argument"),
        CfnOnly("DeploymentPreference", "has no direct Terraform argument"),
        CfnOnly("RolePath", "belongs on the role in Terraform"),
        CfnOnly("PropagateTags", "is SAM's own"),
        CfnOnly("UseAliasAsEventTarget", "is SAM's own"),
    ],
];

/// CloudFormation's state machine.
pub const STATE_MACHINE: &[&[Rule]] = &[
    &[
        Rename("StateMachineName", "name"),
        Rename("StateMachineType", "type"),
    ],
    STATE_MACHINE_COMMON,
    &[
        Block(
            "TracingConfiguration",
            "tracing_configuration",
            &[Rename("Enabled", "enabled")],
        ),
        Tags("Tags", "tags"),
    ],
];

const SFN_ROLE: Custom = Custom {
    cfn: &["Role", "RoleArn"],
    tf: &["role_arn"],
    to_tf: |t, cx, p, m| {
        if let Some(r) = p.get("Role").or_else(|| p.get("RoleArn")) {
            let r = t.value(r);
            m.insert("role_arn".into(), r);
        } else if cx.cfn == "AWS::Serverless::StateMachine" {
            let role = t.serverless_role(cx.addr, cx.name, p, "states.amazonaws.com", false);
            m.insert("role_arn".into(), expr(&format!("{role}.arn")));
        }
    },
    // SAM makes the role again from the state machine's connections.
    to_cfn: |_, _, _, _| {},
};

const DEFINITION: Custom = Custom {
    cfn: &[
        "Definition",
        "DefinitionUri",
        "DefinitionString",
        "DefinitionSubstitutions",
        "DefinitionS3Location",
    ],
    tf: &["definition"],
    to_tf: definition_to_tf,
    to_cfn: definition_to_cfn,
};

fn definition_to_tf(t: &mut ToTf, cx: &Cx, p: &Map, m: &mut Map) {
    let subs = p
        .get("DefinitionSubstitutions")
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default();
    let mut sub_vals: Map = Map::new();
    for (k, v) in &subs {
        sub_vals.insert(k.clone(), t.value(v));
    }
    if let Some(d) = p.get("Definition") {
        let v = t.value(d);
        let v = substitute(v, &sub_vals);
        m.insert("definition".into(), json!({ JSONENCODE: v }));
    } else if let Some(Value::String(uri)) = p.get("DefinitionUri") {
        let vars = operand(&Value::Object(sub_vals));
        m.insert(
            "definition".into(),
            expr(&format!(
                "templatefile(\"${{path.module}}/{}\", {vars})",
                uri.trim_start_matches("./")
            )),
        );
    } else if let Some(ds) = p.get("DefinitionString") {
        let v = t.value(ds);
        let v = substitute(v, &sub_vals);
        m.insert("definition".into(), v);
    } else {
        t.note(
            "state machine definitions in S3 are not read; a placeholder is written for".into(),
            cx.s.id.clone(),
        );
    }
}

fn definition_to_cfn(t: &mut ToSam, cx: &Cx, p: &Map, m: &mut Map) {
    let Some(d) = p.get("definition") else { return };
    match d {
        Value::Object(o) if o.contains_key(JSONENCODE) => {
            let v = t.value(d);
            m.insert("Definition".into(), v);
        }
        // A definition read from a file is SAM's `DefinitionUri`.
        Value::String(s2)
            if single_interpolation(s2).is_some_and(|e| {
                e.starts_with("file(\"") && e.ends_with("\")") && e.matches('"').count() == 2
            }) =>
        {
            let e = single_interpolation(s2).unwrap_or("");
            let file = e
                .split('"')
                .nth(1)
                .unwrap_or_default()
                .replace("${path.module}/", "");
            m.insert("DefinitionUri".into(), json!(file));
        }
        Value::String(s2)
            if single_interpolation(s2).is_some_and(|e| e.starts_with("templatefile(")) =>
        {
            let e = single_interpolation(s2).unwrap_or("");
            let file = e
                .split('"')
                .nth(1)
                .unwrap_or("statemachine/definition.asl.json")
                .replace("${path.module}/", "");
            m.insert("DefinitionUri".into(), json!(file));
            let mut subs = Map::new();
            for c in terraform_chains(e) {
                if let (Some(l), Some(arn)) = (t.ids.get(&c).cloned(), t.reference(&c, "arn")) {
                    subs.insert(format!("{l}Arn"), arn);
                }
            }
            if !subs.is_empty() {
                m.insert("DefinitionSubstitutions".into(), Value::Object(subs));
            }
        }
        other => {
            let v = t.value(other);
            // A definition is an object in SAM; JSON text is read as one.
            let v = match v {
                Value::String(s) => serde_json::from_str::<Value>(&s)
                    .ok()
                    .filter(Value::is_object)
                    .map(|o| t.value(&o))
                    .unwrap_or(Value::String(s)),
                // JSON text naming resources: the names become the
                // definition's substitutions.
                Value::Object(o)
                    if o.len() == 1 && o.get("Fn::Sub").is_some_and(Value::is_string) =>
                {
                    let text = o["Fn::Sub"].as_str().unwrap_or_default();
                    match substituted(text) {
                        Some((d, subs)) => {
                            if !subs.is_empty() {
                                let into = m
                                    .entry("DefinitionSubstitutions")
                                    .or_insert_with(|| Value::Object(Map::new()));
                                if let Value::Object(into) = into {
                                    into.extend(subs);
                                }
                            }
                            d
                        }
                        None => Value::Object(o),
                    }
                }
                v => v,
            };
            if v.is_object() && !v.as_object().is_some_and(|o| o.contains_key("Fn::Sub")) {
                m.insert("Definition".into(), v);
            } else {
                t.left_out(cx, "definition");
            }
        }
    }
}

/// A `Fn::Sub` text of a JSON definition as the definition itself, each
/// `${Name}` or `${Name.Attr}` in it turned into a substitution
/// (`${NameAttr}` with `NameAttr: !GetAtt Name.Attr`); None when the text
/// is not a JSON object.
fn substituted(text: &str) -> Option<(Value, Map)> {
    let mut subs = Map::new();
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(i) = rest.find("${") {
        out.push_str(&rest[..i]);
        let after = &rest[i + 2..];
        let Some(j) = after.find('}') else {
            out.push_str(&rest[i..]);
            rest = "";
            break;
        };
        let name = &after[..j];
        if name.starts_with('!') {
            // `${!x}` is the text `${x}`.
            out.push_str(&rest[i..i + 3 + j]);
        } else {
            let key: String = name.chars().filter(char::is_ascii_alphanumeric).collect();
            let value = match name.split_once('.') {
                Some((id, attr)) => json!({ "Fn::GetAtt": [id, attr] }),
                None => json!({ "Ref": name }),
            };
            subs.insert(key.clone(), value);
            out.push_str(&format!("${{{key}}}"));
        }
        rest = &after[j + 1..];
    }
    out.push_str(rest);
    let d: Value = serde_json::from_str(&out).ok().filter(Value::is_object)?;
    Some((d, subs))
}

const LOGGING: Custom = Custom {
    cfn: &["Logging", "LoggingConfiguration"],
    tf: &["logging_configuration"],
    to_tf: |t, _, p, m| {
        let Some(l) = p.get("Logging").or_else(|| p.get("LoggingConfiguration")) else {
            return;
        };
        let mut c = Map::new();
        if let Some(x) = l.get("Level") {
            c.insert("level".into(), t.value(x));
        }
        if let Some(x) = l.get("IncludeExecutionData") {
            c.insert("include_execution_data".into(), t.value(x));
        }
        if let Some(d) = l
            .get("Destinations")
            .and_then(|d| d.get(0))
            .and_then(|d| d.get("CloudWatchLogsLogGroup"))
            .and_then(|d| d.get("LogGroupArn"))
        {
            let a = t.value(d);
            let dest = match a.as_str().and_then(single_interpolation) {
                Some(e) => Value::String(format!("${{{e}}}:*")),
                None => a,
            };
            c.insert("log_destination".into(), dest);
        }
        m.insert("logging_configuration".into(), json!([c]));
    },
    to_cfn: |t, cx, p, m| {
        let Some(l) = p
            .get("logging_configuration")
            .and_then(|l| l.get(0).or(Some(l)))
            .and_then(Value::as_object)
        else {
            return;
        };
        let mut o = Map::new();
        if let Some(v) = l.get("level") {
            o.insert("Level".into(), t.value(v));
        }
        if let Some(v) = l.get("include_execution_data") {
            o.insert("IncludeExecutionData".into(), t.value(v));
        }
        if let Some(Value::String(d)) = l.get("log_destination") {
            let arn = t.value(&Value::String(d.trim_end_matches(":*").to_string()));
            o.insert(
                "Destinations".into(),
                json!([{"CloudWatchLogsLogGroup": {"LogGroupArn": arn}}]),
            );
        }
        let key = if cx.cfn == "AWS::Serverless::StateMachine" {
            "Logging"
        } else {
            "LoggingConfiguration"
        };
        m.insert(key.into(), Value::Object(o));
    },
};

pub const EVENT_BUS: &[&[Rule]] = &[&[
    Rename("Name", "name"),
    Rename("Description", "description"),
    Rename("KmsKeyIdentifier", "kms_key_identifier"),
    Rename("EventSourceName", "event_source_name"),
    Tags("Tags", "tags"),
]];

const RULE_COMMON: &[Rule] = &[
    Rename("Name", "name"),
    Rename("Description", "description"),
    Rename("EventBusName", "event_bus_name"),
    Rename("ScheduleExpression", "schedule_expression"),
    Rename("State", "state"),
    Rename("RoleArn", "role_arn"),
];

pub const RULE: &[&[Rule]] = &[
    RULE_COMMON,
    &[
        Json("EventPattern", "event_pattern"),
        Custom(&TARGETS),
        Tags("Tags", "tags"),
        TfOnly("name_prefix", "is Terraform's own"),
        Custom(&IS_ENABLED),
    ],
];

/// The old way Terraform said whether a rule is on.
const IS_ENABLED: Custom = Custom {
    cfn: &[],
    tf: &["is_enabled"],
    to_tf: |_, _, _, _| {},
    to_cfn: |t, _, p, m| {
        if let Some(v) = p.get("is_enabled") {
            if !m.contains_key("State") {
                let s = match v {
                    Value::Bool(false) => json!("DISABLED"),
                    Value::Bool(true) => json!("ENABLED"),
                    other => {
                        let c = t.value(other);
                        json!({"Fn::If": [c, "ENABLED", "DISABLED"]})
                    }
                };
                if s.is_string() {
                    m.insert("State".into(), s);
                }
            }
        }
    },
};

/// A rule's targets: resources of their own in Terraform, read back as the
/// rule's arrows.
const TARGETS: Custom = Custom {
    cfn: &["Targets"],
    tf: &[],
    to_tf: |t, cx, p, m| {
        let bus = m.get("event_bus_name").cloned();
        let Some(Value::Array(ts)) = p.get("Targets") else {
            return;
        };
        for tg in ts {
            let mut b = Map::new();
            b.insert("rule".into(), expr(&format!("{}.name", cx.addr)));
            if let Some(bus) = &bus {
                b.insert("event_bus_name".into(), bus.clone());
            }
            for (ck, tk) in [
                ("Id", "target_id"),
                ("Arn", "arn"),
                ("RoleArn", "role_arn"),
                ("Input", "input"),
                ("InputPath", "input_path"),
            ] {
                if let Some(x) = tg.get(ck) {
                    let x = t.value(x);
                    if !x.is_null() {
                        b.insert(tk.into(), x);
                    }
                }
            }
            for (ck, tk) in [
                ("DeadLetterConfig", "dead_letter_config"),
                ("RetryPolicy", "retry_policy"),
                ("HttpParameters", "http_target"),
                ("SqsParameters", "sqs_target"),
                ("KinesisParameters", "kinesis_target"),
                ("EcsParameters", "ecs_target"),
                ("BatchParameters", "batch_target"),
                ("InputTransformer", "input_transformer"),
            ] {
                if let Some(x) = tg.get(ck) {
                    let mut x = t.snake_value(x);
                    if let Some(o) = x.as_object_mut() {
                        if let Some(p) = o.shift_remove("input_paths_map") {
                            o.insert("input_paths".into(), p);
                        }
                    }
                    b.insert(tk.into(), json!([x]));
                }
            }
            let tn = tg
                .get("Id")
                .and_then(Value::as_str)
                .map(snake_case)
                .unwrap_or_else(|| "target".into());
            let name = format!("{}_{tn}", cx.name);
            t.add_resource(cx.addr, "aws_cloudwatch_event_target", &name, b);
        }
    },
    to_cfn: |_, _, _, _| {},
};

/// SAM's rule events, made rules of their own: what picks the events goes
/// on them, how they are delivered on the target the exporter writes.
pub const SAM_RULE_EVENT: &[&[Rule]] = &[RULE_COMMON, &[Custom(&EVENT), Tags("Tags", "tags")]];

/// SAM's schedule events made schedules of their own.
pub const SAM_SCHEDULE_EVENT: &[&[Rule]] = &[
    SCHEDULE_RENAMES,
    &[
        Custom(&EVENT),
        Custom(&FLEXIBLE_TIME_WINDOW),
        Custom(&EVENT_SCHEDULE_TARGET),
    ],
];

/// The exporter writes the target of a schedule event; what the event
/// says of it goes there.
const EVENT_SCHEDULE_TARGET: Custom = Custom {
    cfn: &["Target"],
    tf: &[],
    to_tf: |t, _, p, m| {
        if let Some(tg) = p.get("Target") {
            let mut b = Map::new();
            for (ck, tk) in [("Arn", "arn"), ("RoleArn", "role_arn"), ("Input", "input")] {
                if let Some(x) = tg.get(ck) {
                    let x = t.value(x);
                    b.insert(tk.into(), x);
                }
            }
            m.insert("target".into(), json!([b]));
        }
    },
    to_cfn: |_, _, _, _| {},
};

const EVENT: Custom = Custom {
    cfn: &[
        "Pattern",
        "Schedule",
        "RuleName",
        "Enabled",
        "DeadLetterConfig",
        "Target",
        "Input",
        "InputPath",
        "RoleArn",
        "RetryPolicy",
        "InputTransformer",
        "OmitName",
        "PermissionsBoundary",
    ],
    tf: &[],
    to_tf: |t, cx, p, m| t.event_properties(cx.s, p, m),
    to_cfn: |_, _, _, _| {},
};

const SCHEDULE_RENAMES: &[Rule] = &[
    Rename("Name", "name"),
    Rename("Description", "description"),
    Rename("ScheduleExpression", "schedule_expression"),
    Rename("ScheduleExpressionTimezone", "schedule_expression_timezone"),
    Rename("State", "state"),
    Rename("GroupName", "group_name"),
];

pub const SCHEDULE: &[&[Rule]] = &[
    SCHEDULE_RENAMES,
    &[
        Rename("StartDate", "start_date"),
        Rename("EndDate", "end_date"),
        Rename("KmsKeyArn", "kms_key_arn"),
        Custom(&FLEXIBLE_TIME_WINDOW),
        Block(
            "Target",
            "target",
            &[
                Rename("Arn", "arn"),
                Rename("RoleArn", "role_arn"),
                JsonText("Input", "input"),
                Block(
                    "RetryPolicy",
                    "retry_policy",
                    &[
                        Rename("MaximumEventAgeInSeconds", "maximum_event_age_in_seconds"),
                        Rename("MaximumRetryAttempts", "maximum_retry_attempts"),
                    ],
                ),
                Block(
                    "DeadLetterConfig",
                    "dead_letter_config",
                    &[Rename("Arn", "arn")],
                ),
            ],
        ),
    ],
];

const FLEXIBLE_TIME_WINDOW: Custom = Custom {
    cfn: &["FlexibleTimeWindow"],
    tf: &["flexible_time_window"],
    to_tf: |t, _, p, m| {
        let ftw = p
            .get("FlexibleTimeWindow")
            .map(|v| t.snake_value(v))
            .unwrap_or(json!({"mode": "OFF"}));
        m.insert("flexible_time_window".into(), json!([ftw]));
    },
    to_cfn: |t, _, p, m| {
        let ftw = p
            .get("flexible_time_window")
            .and_then(|f| f.get(0).or(Some(f)))
            .and_then(Value::as_object)
            .cloned()
            .unwrap_or_default();
        let mut o = Map::new();
        o.insert(
            "Mode".into(),
            ftw.get("mode").map(|v| t.value(v)).unwrap_or(json!("OFF")),
        );
        if let Some(v) = ftw.get("maximum_window_in_minutes") {
            o.insert("MaximumWindowInMinutes".into(), t.value(v));
        }
        m.insert("FlexibleTimeWindow".into(), Value::Object(o));
    },
};

pub const PIPE: &[&[Rule]] = &[&[
    Rename("Name", "name"),
    Rename("RoleArn", "role_arn"),
    Rename("Source", "source"),
    Rename("Target", "target"),
    Rename("Enrichment", "enrichment"),
    Rename("Description", "description"),
    Rename("DesiredState", "desired_state"),
    Block("SourceParameters", "source_parameters", PIPE_SOURCE),
    Block("TargetParameters", "target_parameters", PIPE_TARGET),
    Block(
        "EnrichmentParameters",
        "enrichment_parameters",
        &[
            Rename("InputTemplate", "input_template"),
            Block("HttpParameters", "http_parameters", PIPE_HTTP),
        ],
    ),
    Block(
        "LogConfiguration",
        "log_configuration",
        &[
            Rename("Level", "level"),
            Rename("IncludeExecutionData", "include_execution_data"),
            Block(
                "CloudwatchLogsLogDestination",
                "cloudwatch_logs_log_destination",
                &[Rename("LogGroupArn", "log_group_arn")],
            ),
            Block(
                "FirehoseLogDestination",
                "firehose_log_destination",
                &[Rename("DeliveryStreamArn", "delivery_stream_arn")],
            ),
            Block(
                "S3LogDestination",
                "s3_log_destination",
                &[
                    Rename("BucketName", "bucket_name"),
                    Rename("BucketOwner", "bucket_owner"),
                    Rename("OutputFormat", "output_format"),
                    Rename("Prefix", "prefix"),
                ],
            ),
        ],
    ),
    TagMap("Tags", "tags"),
]];

/// How a pipe reads a stream: the settings DynamoDB and Kinesis sources share.
const PIPE_STREAM: &[Rule] = &[
    Rename("StartingPosition", "starting_position"),
    Rename("StartingPositionTimestamp", "starting_position_timestamp"),
    Rename("BatchSize", "batch_size"),
    Rename(
        "MaximumBatchingWindowInSeconds",
        "maximum_batching_window_in_seconds",
    ),
    Rename("MaximumRecordAgeInSeconds", "maximum_record_age_in_seconds"),
    Rename("MaximumRetryAttempts", "maximum_retry_attempts"),
    Rename("OnPartialBatchItemFailure", "on_partial_batch_item_failure"),
    Rename("ParallelizationFactor", "parallelization_factor"),
    Block(
        "DeadLetterConfig",
        "dead_letter_config",
        &[Rename("Arn", "arn")],
    ),
];

const PIPE_SOURCE: &[Rule] = &[
    Block(
        "FilterCriteria",
        "filter_criteria",
        &[Blocks(
            "Filters",
            "filter",
            &[JsonText("Pattern", "pattern")],
        )],
    ),
    Block(
        "SqsQueueParameters",
        "sqs_queue_parameters",
        &[
            Rename("BatchSize", "batch_size"),
            Rename(
                "MaximumBatchingWindowInSeconds",
                "maximum_batching_window_in_seconds",
            ),
        ],
    ),
    Block(
        "DynamoDBStreamParameters",
        "dynamodb_stream_parameters",
        PIPE_STREAM,
    ),
    Block(
        "KinesisStreamParameters",
        "kinesis_stream_parameters",
        PIPE_STREAM,
    ),
];

const PIPE_HTTP: &[Rule] = &[
    Rename("HeaderParameters", "header_parameters"),
    Rename("PathParameterValues", "path_parameter_values"),
    Rename("QueryStringParameters", "query_string_parameters"),
];

const PIPE_TARGET: &[Rule] = &[
    Rename("InputTemplate", "input_template"),
    Block(
        "EventBridgeEventBusParameters",
        "eventbridge_event_bus_parameters",
        &[
            Rename("DetailType", "detail_type"),
            Rename("EndpointId", "endpoint_id"),
            Rename("Resources", "resources"),
            Rename("Source", "source"),
            Rename("Time", "time"),
        ],
    ),
    Block(
        "LambdaFunctionParameters",
        "lambda_function_parameters",
        &[Rename("InvocationType", "invocation_type")],
    ),
    Block(
        "StepFunctionStateMachineParameters",
        "step_function_state_machine_parameters",
        &[Rename("InvocationType", "invocation_type")],
    ),
    Block(
        "SqsQueueParameters",
        "sqs_queue_parameters",
        &[
            Rename("MessageDeduplicationId", "message_deduplication_id"),
            Rename("MessageGroupId", "message_group_id"),
        ],
    ),
    Block(
        "KinesisStreamParameters",
        "kinesis_stream_parameters",
        &[Rename("PartitionKey", "partition_key")],
    ),
    Block(
        "CloudWatchLogsParameters",
        "cloudwatch_logs_parameters",
        &[
            Rename("LogStreamName", "log_stream_name"),
            Rename("Timestamp", "timestamp"),
        ],
    ),
    Block("HttpParameters", "http_parameters", PIPE_HTTP),
];

pub const APPSYNC_API: &[&[Rule]] = &[&[
    Rename("Name", "name"),
    Rename("AuthenticationType", "authentication_type"),
    Rename("XrayEnabled", "xray_enabled"),
    Rename("Visibility", "visibility"),
    Block(
        "LogConfig",
        "log_config",
        &[
            Rename("CloudWatchLogsRoleArn", "cloudwatch_logs_role_arn"),
            Rename("FieldLogLevel", "field_log_level"),
            Rename("ExcludeVerboseContent", "exclude_verbose_content"),
        ],
    ),
    Block(
        "UserPoolConfig",
        "user_pool_config",
        &[
            Rename("UserPoolId", "user_pool_id"),
            Rename("AwsRegion", "aws_region"),
            Rename("DefaultAction", "default_action"),
            Rename("AppIdClientRegex", "app_id_client_regex"),
        ],
    ),
    Tags("Tags", "tags"),
]];

pub const APPSYNC_DATA_SOURCE: &[&[Rule]] = &[&[
    Rename("ApiId", "api_id"),
    Rename("Name", "name"),
    Rename("Type", "type"),
    Rename("Description", "description"),
    Rename("ServiceRoleArn", "service_role_arn"),
    Block(
        "DynamoDBConfig",
        "dynamodb_config",
        &[
            Rename("TableName", "table_name"),
            Rename("AwsRegion", "region"),
            Rename("UseCallerCredentials", "use_caller_credentials"),
        ],
    ),
    Block(
        "LambdaConfig",
        "lambda_config",
        &[Rename("LambdaFunctionArn", "function_arn")],
    ),
    Block(
        "HttpConfig",
        "http_config",
        &[Rename("Endpoint", "endpoint")],
    ),
    Block(
        "EventBridgeConfig",
        "event_bridge_config",
        &[Rename("EventBusArn", "event_bus_arn")],
    ),
    Block(
        "OpenSearchServiceConfig",
        "opensearchservice_config",
        &[
            Rename("Endpoint", "endpoint"),
            Rename("AwsRegion", "region"),
        ],
    ),
]];

pub const APPSYNC_RESOLVER: &[&[Rule]] = &[&[
    Rename("ApiId", "api_id"),
    Rename("TypeName", "type"),
    Rename("FieldName", "field"),
    Rename("DataSourceName", "data_source"),
    Rename("Kind", "kind"),
    Rename("Code", "code"),
    Rename("RequestMappingTemplate", "request_template"),
    Rename("ResponseMappingTemplate", "response_template"),
    Rename("MaxBatchSize", "max_batch_size"),
    Block(
        "Runtime",
        "runtime",
        &[
            Rename("Name", "name"),
            Rename("RuntimeVersion", "runtime_version"),
        ],
    ),
    Block(
        "PipelineConfig",
        "pipeline_config",
        &[Rename("Functions", "functions")],
    ),
    CfnOnly(
        "RequestMappingTemplateS3Location",
        "is read from S3 by CloudFormation; Terraform takes the template text",
    ),
    CfnOnly(
        "ResponseMappingTemplateS3Location",
        "is read from S3 by CloudFormation; Terraform takes the template text",
    ),
    CfnOnly(
        "CodeS3Location",
        "is read from S3 by CloudFormation; Terraform takes the code text",
    ),
]];
