//! Logs, alarms, secrets, parameters, keys, user pools, networks, layers
//! and nested applications.

use serde_json::json;

use super::super::rules::{Custom, Rule, Rule::*, is_intrinsic};
use crate::formats::names::{pascal_case, snake_case};
use crate::model::{Map, Value};

/// A log group's events sent on to a function, stream or delivery stream.
pub const SUBSCRIPTION_FILTER: &[&[Rule]] = &[&[
    Rename("LogGroupName", "log_group_name"),
    Rename("FilterPattern", "filter_pattern"),
    Rename("DestinationArn", "destination_arn"),
    Rename("RoleArn", "role_arn"),
    Rename("Distribution", "distribution"),
    Custom(&FILTER_NAME),
]];

/// Terraform needs the name CloudFormation makes up when none is given.
const FILTER_NAME: Custom = Custom {
    cfn: &["FilterName"],
    tf: &["name"],
    to_tf: |t, cx, p, m| {
        let name = p
            .get("FilterName")
            .map_or_else(|| json!(cx.name), |v| t.value(v));
        m.insert("name".into(), name);
    },
    to_cfn: |t, _, p, m| {
        if let Some(v) = p.get("name") {
            m.insert("FilterName".into(), t.value(v));
        }
    },
};

pub const LOG_GROUP: &[&[Rule]] = &[&[
    Rename("LogGroupName", "name"),
    Rename("RetentionInDays", "retention_in_days"),
    Rename("KmsKeyId", "kms_key_id"),
    Rename("LogGroupClass", "log_group_class"),
    Tags("Tags", "tags"),
    TfOnly("name_prefix", "is Terraform's own"),
    TfOnly(
        "skip_destroy",
        "is Terraform's own (DeletionPolicy: Retain says it in CloudFormation)",
    ),
]];

pub const ALARM: &[&[Rule]] = &[&[
    Rename("AlarmName", "alarm_name"),
    Rename("AlarmDescription", "alarm_description"),
    Rename("MetricName", "metric_name"),
    Rename("Namespace", "namespace"),
    Rename("Statistic", "statistic"),
    Rename("ExtendedStatistic", "extended_statistic"),
    Rename("Period", "period"),
    Rename("EvaluationPeriods", "evaluation_periods"),
    Rename("DatapointsToAlarm", "datapoints_to_alarm"),
    Rename("Threshold", "threshold"),
    Rename("ComparisonOperator", "comparison_operator"),
    Rename("AlarmActions", "alarm_actions"),
    Rename("OKActions", "ok_actions"),
    Rename("InsufficientDataActions", "insufficient_data_actions"),
    Rename("TreatMissingData", "treat_missing_data"),
    Rename("Unit", "unit"),
    Rename("ActionsEnabled", "actions_enabled"),
    Rename(
        "EvaluateLowSampleCountPercentile",
        "evaluate_low_sample_count_percentiles",
    ),
    Rename("ThresholdMetricId", "threshold_metric_id"),
    Blocks(
        "Metrics",
        "metric_query",
        &[
            Rename("Id", "id"),
            Rename("Expression", "expression"),
            Rename("Label", "label"),
            Rename("ReturnData", "return_data"),
            Rename("Period", "period"),
            Rename("AccountId", "account_id"),
            Block(
                "MetricStat",
                "metric",
                &[
                    Nested("Metric", "MetricName", "metric_name"),
                    Nested("Metric", "Namespace", "namespace"),
                    Rename("Period", "period"),
                    Rename("Stat", "stat"),
                    Rename("Unit", "unit"),
                ],
            ),
        ],
    ),
    Custom(&DIMENSIONS),
    Tags("Tags", "tags"),
]];

pub const COMPOSITE_ALARM: &[&[Rule]] = &[&[
    Rename("AlarmName", "alarm_name"),
    Rename("AlarmDescription", "alarm_description"),
    Rename("AlarmRule", "alarm_rule"),
    Rename("AlarmActions", "alarm_actions"),
    Rename("OKActions", "ok_actions"),
    Rename("InsufficientDataActions", "insufficient_data_actions"),
    Rename("ActionsEnabled", "actions_enabled"),
    Tags("Tags", "tags"),
]];

/// CloudFormation's list of `Name`/`Value` and Terraform's map.
const DIMENSIONS: Custom = Custom {
    cfn: &["Dimensions"],
    tf: &["dimensions"],
    to_tf: |t, _, p, m| {
        if let Some(Value::Array(ds)) = p.get("Dimensions") {
            let mut dm = Map::new();
            for d in ds {
                if let (Some(n), Some(v)) = (d.get("Name").and_then(Value::as_str), d.get("Value"))
                {
                    dm.insert(n.to_string(), t.value(v));
                }
            }
            m.insert("dimensions".into(), Value::Object(dm));
        }
    },
    to_cfn: |t, _, p, m| {
        if let Some(Value::Object(d)) = p.get("dimensions") {
            let list: Vec<Value> = d
                .iter()
                .map(|(k, v)| json!({"Name": k, "Value": t.value(v)}))
                .collect();
            m.insert("Dimensions".into(), Value::Array(list));
        }
    },
};

pub const SECRET: &[&[Rule]] = &[&[
    Rename("Name", "name"),
    Rename("Description", "description"),
    Rename("KmsKeyId", "kms_key_id"),
    Tags("Tags", "tags"),
    TfOnly("name_prefix", "is Terraform's own"),
    TfOnly("recovery_window_in_days", "has no CloudFormation property"),
    Custom(&SECRET_VALUE),
    CfnOnly(
        "GenerateSecretString",
        "is a random_password and a secret version in Terraform",
    ),
]];

/// The value is a secret version of its own in Terraform.
const SECRET_VALUE: Custom = Custom {
    cfn: &["SecretString"],
    tf: &[],
    to_tf: |t, cx, p, _| {
        if let Some(v) = p.get("SecretString") {
            let mut b = Map::new();
            b.insert(
                "secret_id".into(),
                super::super::expr(&format!("{}.id", cx.addr)),
            );
            let v = t.value(v);
            b.insert("secret_string".into(), v);
            t.add_resource(cx.addr, "aws_secretsmanager_secret_version", cx.name, b);
        }
    },
    to_cfn: |_, _, _, _| {},
};

pub const PARAMETER: &[&[Rule]] = &[&[
    Rename("Name", "name"),
    Rename("Type", "type"),
    Rename("Value", "value"),
    Rename("Description", "description"),
    Rename("Tier", "tier"),
    Rename("AllowedPattern", "allowed_pattern"),
    Rename("DataType", "data_type"),
    TagMap("Tags", "tags"),
    TfOnly("overwrite", "is Terraform's own"),
    TfOnly("insecure_value", "is Terraform's own"),
]];

pub const KEY: &[&[Rule]] = &[&[
    Rename("Description", "description"),
    Rename("EnableKeyRotation", "enable_key_rotation"),
    Rename("KeyUsage", "key_usage"),
    Rename("KeySpec", "customer_master_key_spec"),
    Rename("MultiRegion", "multi_region"),
    Rename("PendingWindowInDays", "deletion_window_in_days"),
    Rename("Enabled", "is_enabled"),
    Json("KeyPolicy", "policy"),
    Tags("Tags", "tags"),
]];

pub const USER_POOL: &[&[Rule]] = &[&[
    Rename("UserPoolName", "name"),
    Rename("MfaConfiguration", "mfa_configuration"),
    Rename("UsernameAttributes", "username_attributes"),
    Rename("AutoVerifiedAttributes", "auto_verified_attributes"),
    Rename("AliasAttributes", "alias_attributes"),
    Rename("DeletionProtection", "deletion_protection"),
    TagMap("UserPoolTags", "tags"),
]];

pub const VPC: &[&[Rule]] = &[&[
    Rename("CidrBlock", "cidr_block"),
    Rename("EnableDnsHostnames", "enable_dns_hostnames"),
    Rename("EnableDnsSupport", "enable_dns_support"),
    Rename("InstanceTenancy", "instance_tenancy"),
    Tags("Tags", "tags"),
]];

pub const SUBNET: &[&[Rule]] = &[&[
    Rename("VpcId", "vpc_id"),
    Rename("CidrBlock", "cidr_block"),
    Rename("AvailabilityZone", "availability_zone"),
    Rename("AvailabilityZoneId", "availability_zone_id"),
    Rename("MapPublicIpOnLaunch", "map_public_ip_on_launch"),
    Rename("Ipv6CidrBlock", "ipv6_cidr_block"),
    Tags("Tags", "tags"),
]];

pub const SECURITY_GROUP: &[&[Rule]] = &[&[
    Rename("GroupDescription", "description"),
    Rename("GroupName", "name"),
    Rename("VpcId", "vpc_id"),
    Custom(&SECURITY_GROUP_RULES),
    Tags("Tags", "tags"),
    TfOnly("name_prefix", "is Terraform's own"),
    TfOnly("revoke_rules_on_delete", "is Terraform's own"),
]];

const SECURITY_GROUP_RULES: Custom = Custom {
    cfn: &["SecurityGroupIngress", "SecurityGroupEgress"],
    tf: &["ingress", "egress"],
    to_tf: |t, _, p, m| {
        for (ck, tk) in [
            ("SecurityGroupIngress", "ingress"),
            ("SecurityGroupEgress", "egress"),
        ] {
            let Some(Value::Array(rules)) = p.get(ck) else {
                continue;
            };
            let list: Vec<Value> = rules
                .iter()
                .map(|r| {
                    let mut b = Map::new();
                    for (a, f) in [
                        ("FromPort", "from_port"),
                        ("ToPort", "to_port"),
                        ("IpProtocol", "protocol"),
                        ("Description", "description"),
                    ] {
                        if let Some(x) = r.get(a) {
                            b.insert(f.into(), t.value(x));
                        }
                    }
                    if let Some(x) = r.get("CidrIp") {
                        let x = t.value(x);
                        b.insert("cidr_blocks".into(), json!([x]));
                    }
                    if let Some(x) = r
                        .get("SourceSecurityGroupId")
                        .or_else(|| r.get("DestinationSecurityGroupId"))
                    {
                        let x = t.value(x);
                        b.insert("security_groups".into(), json!([x]));
                    }
                    Value::Object(b)
                })
                .collect();
            m.insert(tk.into(), Value::Array(list));
        }
    },
    to_cfn: |t, cx, p, m| {
        for (tk, ck, other) in [
            ("ingress", "SecurityGroupIngress", "SourceSecurityGroupId"),
            (
                "egress",
                "SecurityGroupEgress",
                "DestinationSecurityGroupId",
            ),
        ] {
            let Some(Value::Array(rules)) = p.get(tk) else {
                continue;
            };
            let mut list = Vec::new();
            for r in rules.iter().filter_map(Value::as_object) {
                let mut base = Map::new();
                for (f, a) in [
                    ("from_port", "FromPort"),
                    ("to_port", "ToPort"),
                    ("protocol", "IpProtocol"),
                    ("description", "Description"),
                ] {
                    if let Some(x) = r.get(f) {
                        base.insert(a.into(), t.value(x));
                    }
                }
                // One CloudFormation rule per source.
                let mut sources: Vec<(&str, Value)> = Vec::new();
                for (f, a) in [
                    ("cidr_blocks", "CidrIp"),
                    ("ipv6_cidr_blocks", "CidrIpv6"),
                    ("security_groups", other),
                ] {
                    match r.get(f).map(|x| t.value(x)) {
                        Some(Value::Array(items)) => {
                            sources.extend(items.into_iter().map(|x| (a, x)))
                        }
                        Some(x) if !x.is_null() => sources.push((a, x)),
                        _ => {}
                    }
                }
                // A rule naming the group itself cannot sit inside it in
                // CloudFormation (the group would depend on itself): it
                // is a resource of its own.
                if r.get("self") == Some(&json!(true)) {
                    if let Some(id) = t.ids.get(cx.addr).cloned() {
                        let (ty, side) = if tk == "ingress" {
                            ("AWS::EC2::SecurityGroupIngress", "Ingress")
                        } else {
                            ("AWS::EC2::SecurityGroupEgress", "Egress")
                        };
                        let mut rule = crate::model::Service::new(
                            format!("{id}Self{side}"),
                            crate::catalog::Kind::Generic,
                            ty,
                        );
                        let group = json!({ "Fn::GetAtt": [id, "GroupId"] });
                        rule.properties = base.clone();
                        rule.properties.insert("GroupId".into(), group.clone());
                        rule.properties.insert(other.into(), group);
                        t.add_extra(rule);
                    }
                }
                for (a, x) in sources {
                    let mut o = base.clone();
                    o.insert(a.into(), x);
                    list.push(Value::Object(o));
                }
            }
            if !list.is_empty() {
                m.insert(ck.into(), Value::Array(list));
            }
        }
    },
};

const LAYER_COMMON: &[Rule] = &[
    Rename("LayerName", "layer_name"),
    Rename("Description", "description"),
    Rename("CompatibleRuntimes", "compatible_runtimes"),
    Rename("CompatibleArchitectures", "compatible_architectures"),
    Rename("LicenseInfo", "license_info"),
];

pub const SERVERLESS_LAYER: &[&[Rule]] = &[
    LAYER_COMMON,
    &[
        Custom(&LAYER_CONTENT),
        CfnOnly("RetentionPolicy", "is SAM's own"),
    ],
];

pub const LAYER: &[&[Rule]] = &[LAYER_COMMON, &[Custom(&LAYER_CONTENT)]];

/// A layer's content: a folder to zip or an S3 object.
const LAYER_CONTENT: Custom = Custom {
    cfn: &["ContentUri", "Content"],
    tf: &["filename", "source_code_hash", "s3_bucket", "s3_key"],
    to_tf: |t, cx, p, m| match p.get("ContentUri") {
        Some(Value::String(dir)) => {
            let dir = dir.trim_end_matches('/').trim_start_matches("./");
            t.archive(
                cx.addr,
                cx.name,
                json!({"source_dir": format!("${{path.module}}/{dir}")}),
                m,
            );
        }
        Some(Value::Object(o)) if o.contains_key("Bucket") => {
            let b = t.value(&o["Bucket"]);
            m.insert("s3_bucket".into(), b);
            if let Some(k) = o.get("Key") {
                let k = t.value(k);
                m.insert("s3_key".into(), k);
            }
        }
        _ => {
            if let Some(c) = p.get("Content") {
                for (ck, tk) in [("S3Bucket", "s3_bucket"), ("S3Key", "s3_key")] {
                    if let Some(v) = c.get(ck) {
                        let v = t.value(v);
                        m.insert(tk.into(), v);
                    }
                }
            }
        }
    },
    to_cfn: |t, cx, p, m| {
        let sam = cx.cfn.starts_with("AWS::Serverless::");
        if let Some(b) = p.get("s3_bucket") {
            let bucket = t.value(b);
            let key = p.get("s3_key").map(|k| t.value(k)).unwrap_or(json!(""));
            if sam {
                m.insert("ContentUri".into(), json!({"Bucket": bucket, "Key": key}));
            } else {
                m.insert("Content".into(), json!({"S3Bucket": bucket, "S3Key": key}));
            }
            return;
        }
        let dir = super::function::archive_dir(t, cx, p.get("filename"))
            .unwrap_or_else(|| format!("layers/{}/", cx.s.short_name()));
        if sam {
            m.insert("ContentUri".into(), json!(dir));
        } else {
            t.left_out(cx, "filename");
        }
    },
};

/// Nested applications and stacks are module calls in Terraform: the
/// template's parameters are the module's inputs.
pub const APPLICATION: &[&[Rule]] = &[&[Custom(&MODULE)]];

const MODULE: Custom = Custom {
    cfn: &[
        "Location",
        "TemplateURL",
        "Parameters",
        "Tags",
        "NotificationARNs",
        "TimeoutInMinutes",
    ],
    tf: &["*"],
    to_tf: |t, cx, p, m| {
        let source = match p.get("Location").or_else(|| p.get("TemplateURL")) {
            Some(Value::String(s)) => s.clone(),
            Some(Value::Object(o)) => o
                .get("ApplicationId")
                .and_then(Value::as_str)
                .unwrap_or("app")
                .to_string(),
            _ => "./modules/app".to_string(),
        };
        t.note(
            "nested applications and stacks become module calls; point their source at a Terraform module".into(),
            cx.s.id.clone(),
        );
        m.insert(
            "source".into(),
            json!(format!(
                "./modules/{}",
                snake_case(
                    source
                        .rsplit(['/', ':'])
                        .next()
                        .unwrap_or("app")
                        .trim_end_matches(".yaml")
                        .trim_end_matches(".yml")
                        .trim_end_matches(".json")
                )
            )),
        );
        if let Some(Value::Object(ps)) = p.get("Parameters") {
            for (k, v) in ps {
                let r = t.value(v);
                m.insert(snake_case(k), r);
            }
        }
    },
    to_cfn: |t, cx, p, m| {
        let source = p
            .get("source")
            .and_then(Value::as_str)
            .unwrap_or("./modules/app");
        t.note(
            "module calls become nested applications; point their Location at a SAM template"
                .into(),
            cx.s.id.clone(),
        );
        let name = source
            .trim_end_matches('/')
            .rsplit('/')
            .next()
            .unwrap_or("app")
            .to_string();
        m.insert("Location".into(), json!(format!("./{name}/template.yaml")));
        let mut params = Map::new();
        for (k, v) in p {
            if matches!(
                k.as_str(),
                "source" | "version" | "providers" | "depends_on" | "count" | "for_each"
            ) {
                continue;
            }
            // A nested stack's parameters are strings: a list of plain
            // strings joins with commas; a map or object has no form.
            let cv = match t.value(v) {
                Value::Array(items) if items.iter().all(Value::is_string) => json!(
                    items
                        .iter()
                        .filter_map(Value::as_str)
                        .collect::<Vec<_>>()
                        .join(",")
                ),
                Value::Array(items) => json!({"Fn::Join": [",", items]}),
                Value::Object(o)
                    if !(o.len() == 1 && o.keys().all(|k| k == "Ref" || k.starts_with("Fn::"))) =>
                {
                    t.left_out(cx, k);
                    continue;
                }
                other => other,
            };
            params.insert(pascal_case(k), cv);
        }
        if !params.is_empty() {
            m.insert("Parameters".into(), Value::Object(params));
        }
    },
};

/// An IoT rule SAM makes for a function's IoT event.
pub const IOT_RULE: &[&[Rule]] = &[&[
    Rename("Sql", "sql"),
    Rename("AwsIotSqlVersion", "sql_version"),
    Custom(&IOT_NAME),
]];

/// An IoT topic rule: its SQL and the actions it takes, each a block of
/// its own in Terraform.
pub const TOPIC_RULE: &[&[Rule]] = &[&[Custom(&TOPIC_RULE_NAME), Custom(&TOPIC_RULE_PAYLOAD)]];

const TOPIC_RULE_NAME: Custom = Custom {
    cfn: &["RuleName"],
    tf: &["name"],
    to_tf: |t, cx, p, m| {
        let name = p
            .get("RuleName")
            .map_or_else(|| json!(cx.name), |v| t.value(v));
        m.insert("name".into(), name);
    },
    to_cfn: |t, _, p, m| {
        if let Some(v) = p.get("name") {
            m.insert("RuleName".into(), t.value(v));
        }
    },
};

/// CloudFormation's action types and Terraform's blocks for them.
const IOT_ACTIONS: &[(&str, &str)] = &[
    ("CloudwatchAlarm", "cloudwatch_alarm"),
    ("CloudwatchLogs", "cloudwatch_logs"),
    ("CloudwatchMetric", "cloudwatch_metric"),
    ("DynamoDB", "dynamodb"),
    ("DynamoDBv2", "dynamodbv2"),
    ("Elasticsearch", "elasticsearch"),
    ("Firehose", "firehose"),
    ("Http", "http"),
    ("IotAnalytics", "iot_analytics"),
    ("IotEvents", "iot_events"),
    ("Kafka", "kafka"),
    ("Kinesis", "kinesis"),
    ("Lambda", "lambda"),
    ("Republish", "republish"),
    ("S3", "s3"),
    ("Sns", "sns"),
    ("Sqs", "sqs"),
    ("StepFunctions", "step_functions"),
    ("Timestream", "timestream"),
];

/// Whether a Terraform argument is an IoT rule's action block or one inside it.
pub fn is_iot_block(key: &str) -> bool {
    key == "error_action" || key == "put_item" || IOT_ACTIONS.iter().any(|(_, tf)| *tf == key)
}

const TOPIC_RULE_PAYLOAD: Custom = Custom {
    cfn: &["TopicRulePayload"],
    tf: &[
        "sql",
        "sql_version",
        "enabled",
        "description",
        "error_action",
        "cloudwatch_alarm",
        "cloudwatch_logs",
        "cloudwatch_metric",
        "dynamodb",
        "dynamodbv2",
        "elasticsearch",
        "firehose",
        "http",
        "iot_analytics",
        "iot_events",
        "kafka",
        "kinesis",
        "lambda",
        "republish",
        "s3",
        "sns",
        "sqs",
        "step_functions",
        "timestream",
    ],
    to_tf: |t, cx, p, m| {
        let Some(payload) = p.get("TopicRulePayload").and_then(Value::as_object) else {
            return;
        };
        for (c, tf) in [
            ("Sql", "sql"),
            ("AwsIotSqlVersion", "sql_version"),
            ("Description", "description"),
        ] {
            if let Some(v) = payload.get(c) {
                m.insert(tf.into(), t.value(v));
            }
        }
        let enabled = match payload.get("RuleDisabled") {
            Some(Value::Bool(b)) => json!(!b),
            _ => json!(true),
        };
        m.insert("enabled".into(), enabled);
        // One action as Terraform's block: its fields in snake case, the
        // objects inside it (DynamoDBv2's PutItem) blocks too.
        fn block(t: &mut crate::formats::translate::to_tf::ToTf, v: &Value) -> Value {
            match t.snake_value(v) {
                Value::Object(o) => Value::Object(
                    o.into_iter()
                        .map(|(k, x)| match x {
                            Value::Object(_) if !is_intrinsic(&x) => (k, json!([x])),
                            other => (k, other),
                        })
                        .collect(),
                ),
                other => other,
            }
        }
        let mut unknown = Vec::new();
        if let Some(Value::Array(actions)) = payload.get("Actions") {
            for a in actions.iter().filter_map(Value::as_object) {
                for (ty, cfg) in a {
                    match IOT_ACTIONS.iter().find(|(c, _)| c == ty) {
                        Some((_, tf)) => {
                            let b = block(t, cfg);
                            if let Value::Array(list) =
                                m.entry(tf.to_string()).or_insert_with(|| json!([]))
                            {
                                list.push(b);
                            }
                        }
                        None => unknown.push(ty.clone()),
                    }
                }
            }
        }
        if let Some(err) = payload.get("ErrorAction").and_then(Value::as_object) {
            let mut e = Map::new();
            for (ty, cfg) in err {
                match IOT_ACTIONS.iter().find(|(c, _)| c == ty) {
                    Some((_, tf)) => {
                        e.insert(tf.to_string(), json!([block(t, cfg)]));
                    }
                    None => unknown.push(ty.clone()),
                }
            }
            if !e.is_empty() {
                m.insert("error_action".into(), json!([e]));
            }
        }
        for ty in unknown {
            t.note(
                format!("IoT rule action {ty} has no Terraform block here; left out of"),
                cx.s.id.clone(),
            );
        }
    },
    to_cfn: |t, _, p, m| {
        let mut payload = Map::new();
        for (c, tf) in [
            ("Sql", "sql"),
            ("AwsIotSqlVersion", "sql_version"),
            ("Description", "description"),
        ] {
            if let Some(v) = p.get(tf) {
                payload.insert(c.into(), t.value(v));
            }
        }
        if let Some(Value::Bool(b)) = p.get("enabled") {
            payload.insert("RuleDisabled".into(), json!(!b));
        }
        // A Terraform block as CloudFormation's object: keys in Pascal
        // case, blocks of one as objects.
        fn object(t: &mut crate::formats::translate::to_sam::ToSam, v: &Value) -> Value {
            let v = match v {
                Value::Array(a) if a.len() == 1 && a[0].is_object() => &a[0],
                other => other,
            };
            match v {
                Value::Object(o)
                    if !is_intrinsic(v)
                        && !o.contains_key(crate::formats::terraform::JSONENCODE) =>
                {
                    Value::Object(
                        o.iter()
                            .map(|(k, x)| (pascal_case(k), object(t, x)))
                            .collect(),
                    )
                }
                other => t.value(other),
            }
        }
        let mut actions = Vec::new();
        for (c, tf) in IOT_ACTIONS {
            let items = match p.get(*tf) {
                Some(Value::Array(a)) => a.clone(),
                Some(v) => vec![v.clone()],
                None => continue,
            };
            for it in items {
                actions.push(json!({ *c: object(t, &it) }));
            }
        }
        payload.insert("Actions".into(), Value::Array(actions));
        if let Some(e) = p.get("error_action") {
            let e = match e {
                Value::Array(a) if a.len() == 1 => &a[0],
                other => other,
            };
            if let Some(eo) = e.as_object() {
                let mut out = Map::new();
                for (c, tf) in IOT_ACTIONS {
                    if let Some(x) = eo.get(*tf) {
                        out.insert((*c).to_string(), object(t, x));
                    }
                }
                payload.insert("ErrorAction".into(), Value::Object(out));
            }
        }
        m.insert("TopicRulePayload".into(), Value::Object(payload));
    },
};

const IOT_NAME: Custom = Custom {
    cfn: &[],
    tf: &["name"],
    to_tf: |_, cx, _, m| {
        m.insert("name".into(), json!(cx.name));
    },
    to_cfn: |_, _, _, _| {},
};

pub const METRIC_FILTER: &[&[Rule]] = &[&[
    Rename("FilterName", "name"),
    Rename("LogGroupName", "log_group_name"),
    Rename("FilterPattern", "pattern"),
    Blocks(
        "MetricTransformations",
        "metric_transformation",
        &[
            Rename("MetricName", "name"),
            Rename("MetricNamespace", "namespace"),
            Rename("MetricValue", "value"),
            Rename("DefaultValue", "default_value"),
            Rename("Unit", "unit"),
        ],
    ),
]];

pub const GLUE_DATABASE: &[&[Rule]] = &[&[
    Rename("CatalogId", "catalog_id"),
    Nested("DatabaseInput", "Name", "name"),
    Nested("DatabaseInput", "Description", "description"),
    Nested("DatabaseInput", "LocationUri", "location_uri"),
    Nested("DatabaseInput", "Parameters", "parameters"),
]];

const COLUMN: &[Rule] = &[
    Rename("Name", "name"),
    Rename("Type", "type"),
    Rename("Comment", "comment"),
];

/// The fields of CloudFormation's `TableInput`, which Terraform has at the
/// top of the resource.
const TABLE_INPUT: &[Rule] = &[
    Rename("Name", "name"),
    Rename("Description", "description"),
    Rename("TableType", "table_type"),
    Rename("Owner", "owner"),
    Rename("Parameters", "parameters"),
    Blocks("PartitionKeys", "partition_keys", COLUMN),
    Block(
        "StorageDescriptor",
        "storage_descriptor",
        &[
            Rename("Location", "location"),
            Rename("InputFormat", "input_format"),
            Rename("OutputFormat", "output_format"),
            Rename("Compressed", "compressed"),
            Rename("NumberOfBuckets", "number_of_buckets"),
            Rename("BucketColumns", "bucket_columns"),
            Rename("Parameters", "parameters"),
            Rename("StoredAsSubDirectories", "stored_as_sub_directories"),
            Blocks("Columns", "columns", COLUMN),
            Block(
                "SerdeInfo",
                "ser_de_info",
                &[
                    Rename("Name", "name"),
                    Rename("SerializationLibrary", "serialization_library"),
                    Rename("Parameters", "parameters"),
                ],
            ),
        ],
    ),
];

pub const GLUE_TABLE: &[&[Rule]] = &[&[
    Rename("CatalogId", "catalog_id"),
    Rename("DatabaseName", "database_name"),
    Custom(&TABLE_FIELDS),
]];

const TABLE_FIELDS: Custom = Custom {
    cfn: &["TableInput"],
    tf: &[
        "name",
        "description",
        "table_type",
        "owner",
        "parameters",
        "partition_keys",
        "storage_descriptor",
    ],
    to_tf: |t, cx, p, m| {
        let Some(o) = p.get("TableInput").and_then(Value::as_object) else {
            return;
        };
        for k in super::super::rules::to_tf(t, cx, &[TABLE_INPUT], o, m) {
            t.note(
                format!("TableInput.{k} has no Terraform counterpart; left out of"),
                cx.s.id.clone(),
            );
        }
    },
    to_cfn: |t, cx, p, m| {
        let own: Map = p
            .iter()
            .filter(|(k, _)| TABLE_FIELDS.tf.contains(&k.as_str()))
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        let mut c = Map::new();
        for k in super::super::rules::to_cfn(t, cx, &[TABLE_INPUT], &own, &mut c) {
            t.left_out(cx, &k);
        }
        if !c.is_empty() {
            m.insert("TableInput".into(), Value::Object(c));
        }
    },
};
