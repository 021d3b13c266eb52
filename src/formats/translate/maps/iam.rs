//! Glue that grants and wires: IAM roles and policies, resource policies,
//! Lambda permissions, event source mappings and topic subscriptions. Read
//! from Terraform, these fold into arrows that the SAM exporter writes its
//! own way; the maps serve CloudFormation written as Terraform.

use serde_json::json;

use super::super::expr;
use super::super::rules::{Custom, Rule, Rule::*};
use crate::model::{Map, Value};

pub const ROLE: &[&[Rule]] = &[&[
    Rename("RoleName", "name"),
    Rename("Path", "path"),
    Rename("Description", "description"),
    Rename("MaxSessionDuration", "max_session_duration"),
    Rename("PermissionsBoundary", "permissions_boundary"),
    Json("AssumeRolePolicyDocument", "assume_role_policy"),
    Blocks(
        "Policies",
        "inline_policy",
        &[
            Rename("PolicyName", "name"),
            Json("PolicyDocument", "policy"),
        ],
    ),
    Rename("ManagedPolicyArns", "managed_policy_arns"),
    Tags("Tags", "tags"),
]];

/// `AWS::IAM::Policy` and `AWS::IAM::RolePolicy`: a role policy in
/// Terraform; `AWS::IAM::ManagedPolicy`: a policy attached to each role.
pub const POLICY: &[&[Rule]] = &[&[
    Rename("PolicyName", "name"),
    Json("PolicyDocument", "policy"),
    Custom(&ROLES),
]];

pub const MANAGED_POLICY: &[&[Rule]] = &[&[
    Rename("ManagedPolicyName", "name"),
    Rename("Description", "description"),
    Rename("Path", "path"),
    Json("PolicyDocument", "policy"),
    Custom(&ROLES),
]];

const ROLES: Custom = Custom {
    cfn: &["Roles", "RoleName", "Users", "Groups"],
    tf: &["role"],
    to_tf: |t, cx, p, m| {
        let roles: Vec<Value> = match p.get("Roles").or_else(|| p.get("RoleName")) {
            Some(Value::Array(a)) => a.iter().map(|x| t.value(x)).collect(),
            Some(v) => vec![t.value(v)],
            None => vec![],
        };
        if cx.tf == "aws_iam_role_policy" {
            // A role policy belongs to one role: each further role gets
            // the same policy of its own.
            for (i, r) in roles.iter().enumerate().skip(1) {
                let mut b = m.clone();
                b.insert("role".into(), r.clone());
                let name = format!("{}_{}", cx.name, i + 1);
                t.add_resource(cx.addr, "aws_iam_role_policy", &name, b);
            }
            if let Some(r) = roles.first() {
                m.insert("role".into(), r.clone());
            }
        } else {
            for (i, r) in roles.iter().enumerate() {
                let mut b = Map::new();
                b.insert("role".into(), r.clone());
                b.insert("policy_arn".into(), expr(&format!("{}.arn", cx.addr)));
                let name = format!("{}_{i}", cx.name);
                t.add_resource(cx.addr, "aws_iam_role_policy_attachment", &name, b);
            }
        }
    },
    to_cfn: |_, _, _, _| {},
};

/// Queue, topic and bucket policies.
pub const RESOURCE_POLICY: &[&[Rule]] =
    &[&[Json("PolicyDocument", "policy"), Custom(&POLICY_TARGET)]];

const POLICY_TARGET: Custom = Custom {
    cfn: &["Queues", "Topics", "Bucket"],
    tf: &["queue_url", "arn", "bucket"],
    to_tf: |t, cx, p, m| {
        let (key, list) = match cx.cfn {
            "AWS::SQS::QueuePolicy" => ("queue_url", p.get("Queues")),
            "AWS::SNS::TopicPolicy" => ("arn", p.get("Topics")),
            _ => ("bucket", p.get("Bucket")),
        };
        let targets: Vec<Value> = match list {
            Some(Value::Array(a)) => a.iter().map(|x| t.value(x)).collect(),
            Some(v) => vec![t.value(v)],
            None => vec![],
        };
        // A Terraform resource policy is for one queue or topic: each
        // further one gets the same policy of its own.
        for (i, x) in targets.iter().enumerate().skip(1) {
            let mut b = m.clone();
            b.insert(key.into(), x.clone());
            let name = format!("{}_{}", cx.name, i + 1);
            t.add_resource(cx.addr, cx.tf, &name, b);
        }
        if let Some(f) = targets.into_iter().next() {
            m.insert(key.into(), f);
        }
    },
    to_cfn: |_, _, _, _| {},
};

pub const PERMISSION: &[&[Rule]] = &[&[
    Rename("Action", "action"),
    Rename("FunctionName", "function_name"),
    Rename("Principal", "principal"),
    Rename("SourceArn", "source_arn"),
    Rename("SourceAccount", "source_account"),
    Rename("EventSourceToken", "event_source_token"),
    Rename("FunctionUrlAuthType", "function_url_auth_type"),
    Rename("PrincipalOrgID", "principal_org_id"),
]];

pub const EVENT_SOURCE_MAPPING: &[&[Rule]] = &[&[
    Rename("EventSourceArn", "event_source_arn"),
    Rename("FunctionName", "function_name"),
    Rename("BatchSize", "batch_size"),
    Rename("StartingPosition", "starting_position"),
    Rename("Enabled", "enabled"),
    Rename(
        "MaximumBatchingWindowInSeconds",
        "maximum_batching_window_in_seconds",
    ),
    Rename("FunctionResponseTypes", "function_response_types"),
    Rename("MaximumRetryAttempts", "maximum_retry_attempts"),
    Rename("ParallelizationFactor", "parallelization_factor"),
    Rename(
        "BisectBatchOnFunctionError",
        "bisect_batch_on_function_error",
    ),
    Rename("MaximumRecordAgeInSeconds", "maximum_record_age_in_seconds"),
    Rename("StartingPositionTimestamp", "starting_position_timestamp"),
    Custom(&FILTERS),
    Block(
        "ScalingConfig",
        "scaling_config",
        &[Rename("MaximumConcurrency", "maximum_concurrency")],
    ),
]];

const FILTERS: Custom = Custom {
    cfn: &["FilterCriteria"],
    tf: &["filter_criteria"],
    to_tf: |t, _, p, m| {
        if let Some(Value::Array(fs)) = p.get("FilterCriteria").and_then(|f| f.get("Filters")) {
            let list: Vec<Value> = fs
                .iter()
                .map(|f| {
                    let pat = f
                        .get("Pattern")
                        .map(|x| t.json_doc(x))
                        .unwrap_or(Value::Null);
                    json!({"pattern": pat})
                })
                .collect();
            m.insert("filter_criteria".into(), json!([{"filter": list}]));
        }
    },
    to_cfn: |t, _, p, m| {
        let Some(fs) = p
            .get("filter_criteria")
            .and_then(|f| f.get(0).or(Some(f)))
            .and_then(|f| f.get("filter"))
            .and_then(Value::as_array)
        else {
            return;
        };
        let list: Vec<Value> = fs
            .iter()
            .filter_map(|f| f.get("pattern"))
            .map(|x| match t.value(x) {
                Value::Object(o) => {
                    json!({"Pattern": serde_json::to_string(&o).unwrap_or_default()})
                }
                other => json!({"Pattern": other}),
            })
            .collect();
        m.insert("FilterCriteria".into(), json!({"Filters": list}));
    },
};

pub const SUBSCRIPTION: &[&[Rule]] = &[&[
    Rename("TopicArn", "topic_arn"),
    Rename("Protocol", "protocol"),
    Rename("Endpoint", "endpoint"),
    Rename("RawMessageDelivery", "raw_message_delivery"),
    Rename("Region", "region"),
    Rename("FilterPolicyScope", "filter_policy_scope"),
    Json("FilterPolicy", "filter_policy"),
    Json("RedrivePolicy", "redrive_policy"),
    Json("DeliveryPolicy", "delivery_policy"),
    Rename("SubscriptionRoleArn", "subscription_role_arn"),
]];
