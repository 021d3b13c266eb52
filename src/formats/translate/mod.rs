//! One sketch, two languages. A sketch read from SAM/CloudFormation is
//! rewritten in Terraform's words before Terraform export, and one read from
//! Terraform in CloudFormation's words before SAM export: ids follow each
//! language's conventions (`OrderQueue` ↔ `aws_sqs_queue.order_queue`),
//! resource types and properties are translated for the main kinds of
//! service, references become the other language's references, and the
//! connections that one language writes as glue are left for the exporter
//! to write idiomatically. What has no equivalent is reported and stays in
//! the sketch it came from.
//!
//! Types pair through the catalog; each kind's properties through one
//! property map (`maps`), whose rules (`rules`) run in both directions.

use std::collections::{BTreeMap, BTreeSet};

use crate::catalog::{self, Kind};
use crate::formats::names::snake_case;
use crate::formats::terraform::{self, JSONENCODE};
use crate::model::{Dialect, Sketch, Value};

mod maps;
pub(crate) use maps::is_terraform_block;
mod rules;
mod to_sam;
mod to_tf;

pub use to_sam::{sam_ids, to_sam};
pub use to_tf::{terraform_ids, to_terraform};

// ============================================================ shared helpers

pub(crate) fn expr(e: &str) -> Value {
    Value::String(format!("${{{e}}}"))
}

/// A literal string as a Terraform template.
pub(crate) fn literal(s: &str) -> String {
    if s.contains("${") || s.contains("%{") {
        s.replace("${", "$${").replace("%{", "%%{")
    } else {
        s.to_string()
    }
}

pub(crate) fn quote(s: &str) -> String {
    terraform::quote_template(s)
}

/// A neutral Terraform value as an operand inside an expression.
pub(crate) fn operand(v: &Value) -> String {
    match v {
        Value::Null => "null".into(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n.to_string(),
        Value::String(s) => match single_interpolation(s) {
            Some(e) => e.to_string(),
            None => quote(s),
        },
        Value::Array(a) => format!("[{}]", a.iter().map(operand).collect::<Vec<_>>().join(", ")),
        Value::Object(m) => {
            if let (1, Some(inner)) = (m.len(), m.get(JSONENCODE)) {
                return format!("jsonencode({})", operand(inner));
            }
            if m.is_empty() {
                return "{}".into();
            }
            let items: Vec<String> = m
                .iter()
                .map(|(k, x)| format!("{} = {}", quote(k), operand(x)))
                .collect();
            format!("{{ {} }}", items.join(", "))
        }
    }
}

pub(crate) fn single_interpolation(s: &str) -> Option<&str> {
    if !s.starts_with("${") || !s.ends_with('}') {
        return None;
    }
    // Balanced braces and no second interpolation at the top level.
    let b = s.as_bytes();
    let mut depth = 0i32;
    let mut in_str = false;
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        if in_str {
            if c == b'\\' {
                i += 2;
                continue;
            }
            if c == b'"' {
                in_str = false;
            }
        } else {
            match c {
                b'"' => in_str = true,
                b'{' => depth += 1,
                b'}' => {
                    depth -= 1;
                    if depth == 0 && i != b.len() - 1 {
                        return None;
                    }
                }
                _ => {}
            }
        }
        i += 1;
    }
    (depth == 0).then(|| s[2..s.len() - 1].trim())
}

/// Groups warnings of one kind: `what: a, b, c`.
#[derive(Default)]
pub(crate) struct Notes {
    lines: Vec<String>,
    grouped: BTreeMap<String, BTreeSet<String>>,
}

impl Notes {
    pub(crate) fn line(&mut self, s: String) {
        if !self.lines.contains(&s) {
            self.lines.push(s);
        }
    }
    pub(crate) fn group(&mut self, what: String, item: String) {
        self.grouped.entry(what).or_default().insert(item);
    }
    pub(crate) fn into_vec(self) -> Vec<String> {
        let mut v = self.lines;
        for (what, items) in self.grouped {
            let list: Vec<String> = items.into_iter().collect();
            let shown = if list.len() > 12 {
                format!("{} and {} more", list[..12].join(", "), list.len() - 12)
            } else {
                list.join(", ")
            };
            v.push(format!("{what}: {shown}"));
        }
        v
    }
}

/// Whether a sketch speaks CloudFormation and must be translated before
/// Terraform export.
pub fn needs_terraform(s: &Sketch) -> bool {
    s.dialect() == Some(Dialect::Sam)
}

/// Whether a sketch speaks Terraform and must be translated before SAM export.
pub fn needs_sam(s: &Sketch) -> bool {
    s.dialect() == Some(Dialect::Terraform)
}

/// The Terraform type a CloudFormation type is written as; `None` when it
/// is written some other way (a connector becomes statements of its source).
fn tf_type(cfn: &str, kind: Kind) -> Option<String> {
    if kind == Kind::Connector || folded_into_argument(cfn).is_some() {
        return None;
    }
    Some(match catalog::tf_type_for(cfn) {
        Some(t) => t.to_string(),
        None => awscc_type(cfn),
    })
}

/// CloudFormation resources that Terraform writes as an argument of the
/// resource they belong to: (type, the property naming that resource, the
/// property holding the value or None for `true`, Terraform's argument).
const FOLDED_INTO_ARGUMENT: &[(&str, &str, Option<&str>, &str)] = &[
    (
        "AWS::AppSync::GraphQLSchema",
        "ApiId",
        Some("Definition"),
        "schema",
    ),
    ("AWS::Lambda::Version", "FunctionName", None, "publish"),
];

/// How a CloudFormation type is written into the resource it belongs to,
/// when Terraform has no resource of its own for it.
fn folded_into_argument(cfn: &str) -> Option<(&'static str, Option<&'static str>, &'static str)> {
    FOLDED_INTO_ARGUMENT
        .iter()
        .find(|(c, ..)| *c == cfn)
        .map(|&(_, owner, value, arg)| (owner, value, arg))
}

/// The CloudFormation type a Terraform type of no kind of service came from.
fn cfn_for_tf(tf: &str) -> Option<&'static str> {
    catalog::cfn_type_for(tf)
}

/// The Cloud Control provider's name for a CloudFormation type.
fn awscc_type(cfn: &str) -> String {
    let parts: Vec<&str> = cfn.split("::").collect();
    let svc = parts.get(1).copied().unwrap_or("custom");
    let res = parts.get(2).copied().unwrap_or("resource");
    format!(
        "awscc_{}_{}",
        snake_case(svc).replace('_', ""),
        snake_case(res)
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn types_and_names() {
        assert_eq!(
            tf_type("AWS::SQS::Queue", Kind::from_cfn_type("AWS::SQS::Queue")).as_deref(),
            Some("aws_sqs_queue")
        );
        assert_eq!(
            tf_type(
                "AWS::RDS::DBInstance",
                Kind::from_cfn_type("AWS::RDS::DBInstance")
            )
            .as_deref(),
            Some("aws_db_instance")
        );
        assert_eq!(
            awscc_type("AWS::EC2::SubnetRouteTableAssociation"),
            "awscc_ec2_subnet_route_table_association"
        );
        assert_eq!(single_interpolation("${a.b}"), Some("a.b"));
        assert_eq!(single_interpolation("${a}${b}"), None);
    }

    #[test]
    fn intrinsics_become_expressions() {
        let src = crate::formats::sam::import(
            "t.yaml",
            "Parameters:\n  Stage:\n    Type: String\nResources:\n  OrderQueue:\n    Type: AWS::SQS::Queue\n    Properties:\n      QueueName: !Sub '${AWS::StackName}-${Stage}-orders'\n  Worker:\n    Type: AWS::Serverless::Function\n    Properties:\n      Handler: app.handler\n      Runtime: python3.13\n      CodeUri: src/worker/\n      Environment:\n        Variables:\n          QUEUE: !Ref OrderQueue\n          ARN: !GetAtt OrderQueue.Arn\n",
        )
        .unwrap();
        let mut w = Vec::new();
        let tf = to_terraform(&src, &mut w);
        let q = tf.service("aws_sqs_queue.order_queue").unwrap();
        assert_eq!(
            q.properties["name"],
            json!("${var.stack_name}-${var.stage}-orders")
        );
        let f = tf.service("aws_lambda_function.worker").unwrap();
        assert_eq!(
            f.properties["environment"][0]["variables"],
            json!({"QUEUE": "${aws_sqs_queue.order_queue.url}", "ARN": "${aws_sqs_queue.order_queue.arn}"})
        );
        assert!(tf.sections.contains_key("variable.stage"));
        assert!(tf.contains("data.archive_file.worker"));
    }

    /// An argument no rule names is reported with its resource and is not
    /// written under a CloudFormation-looking name.
    #[test]
    fn an_argument_with_no_counterpart_is_reported_and_left_out() {
        let files = BTreeMap::from([(
            "main.tf".to_string(),
            "resource \"aws_sqs_queue\" \"jobs\" {\n  name = \"jobs\"\n  region = \"eu-west-1\"\n  visibility_timeout_seconds = 60\n}\n\nresource \"aws_lb\" \"front\" {\n  internal = true\n  load_balancer_type = \"application\"\n}\n"
                .to_string(),
        )]);
        let src = crate::formats::terraform::import(&files, "t").unwrap();
        let mut w = Vec::new();
        let sam = to_sam(&src, &mut w);
        let q = sam.service("Jobs").unwrap();
        assert_eq!(q.properties["QueueName"], json!("jobs"));
        assert_eq!(q.properties["VisibilityTimeout"], json!(60));
        assert!(!q.properties.contains_key("Region"), "{:?}", q.properties);
        assert_eq!(q.properties.len(), 2, "{:?}", q.properties);
        assert!(
            w.iter()
                .any(|l| l.starts_with("aws_sqs_queue.jobs:") && l.ends_with(": region")),
            "{w:?}"
        );
        // A hand-written rule, both ways: `internal` is `Scheme`.
        let lb = sam.service("Front").unwrap();
        assert_eq!(lb.type_name, "AWS::ElasticLoadBalancingV2::LoadBalancer");
        assert_eq!(lb.properties["Scheme"], json!("internal"));
        assert_eq!(lb.properties["Type"], json!("application"));
        let tf = to_terraform(&sam, &mut Vec::new());
        let back = tf.service("aws_lb.front").unwrap();
        assert_eq!(back.properties["internal"], json!(true));
        assert_eq!(back.properties["load_balancer_type"], json!("application"));
    }

    #[test]
    fn the_id_maps_name_what_the_translations_hold() {
        let src = crate::formats::read(
            "example.yaml",
            include_str!("../../../examples/queue-pipeline/template.yaml"),
        )
        .unwrap();
        let ids = terraform_ids(&src);
        let tf = to_terraform(&src, &mut Vec::new());
        assert_eq!(ids["JobQueue"], "aws_sqs_queue.job_queue");
        for (own, addr) in &ids {
            assert!(tf.contains(addr), "{own} -> {addr}");
        }
        let back = sam_ids(&tf);
        let sam = to_sam(&tf, &mut Vec::new());
        assert_eq!(back["aws_sqs_queue.job_queue"], "JobQueue");
        for (own, id) in &back {
            assert!(sam.contains(id), "{own} -> {id}");
        }
    }
}
