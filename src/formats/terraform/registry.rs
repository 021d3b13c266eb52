//! Well-known registry modules, as data: the service a module call creates
//! and which of its arguments connect it to others. A call of
//! `terraform-aws-modules/lambda/aws` is a function, priced and connected
//! as one; a module not listed here stays one box labelled with its source.
//! Adding a module is adding one entry to [`MODULES`].

use crate::catalog::Kind;
use crate::model::{ConnectionKind, Map, Value};

/// What an argument of a module call says about its connections.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Arg {
    /// A map of permissions or mappings whose items name sources that
    /// trigger the service (`allowed_triggers`, `event_source_mapping`).
    Sources(&'static str),
    /// IAM statements of the service's role, as a map of
    /// `{ effect, actions, resources }` (`policy_statements`).
    Statements(&'static str),
    /// Values the service uses (`environment_variables`): the natural
    /// arrow to what they name.
    Uses(&'static str),
    /// Items that name where the service sends its traffic or events, with
    /// the arrow it draws (`None`: the natural one).
    Targets(&'static str, Option<ConnectionKind>),
    /// The bucket a notification module configures (it folds into it).
    Bucket(&'static str),
}

use Arg::{Bucket, Sources, Statements, Targets, Uses};

/// One registry module.
#[derive(Debug)]
pub struct Module {
    /// The module's name in `terraform-aws-modules/NAME/aws`, with
    /// `//SUBMODULE` when it is one.
    pub name: &'static str,
    /// The catalog word of what it creates.
    pub kind: Kind,
    pub args: &'static [Arg],
    /// What the module calls the attributes of what it creates, as
    /// (resource attribute, module output): `arn` is `queue_arn`.
    pub outputs: &'static [(&'static str, &'static str)],
    /// Older names, for versions whose major is below the first number.
    pub old_outputs: (u32, &'static [(&'static str, &'static str)]),
}

const NONE: (u32, &[(&str, &str)]) = (0, &[]);

pub static MODULES: &[Module] = &[
    Module {
        name: "lambda",
        kind: Kind::Function,
        args: &[
            Sources("allowed_triggers"),
            Sources("event_source_mapping"),
            Statements("policy_statements"),
            Uses("environment_variables"),
            Uses("destination_on_failure"),
            Uses("destination_on_success"),
        ],
        outputs: &[
            ("arn", "lambda_function_arn"),
            ("function_name", "lambda_function_name"),
            ("invoke_arn", "lambda_function_invoke_arn"),
        ],
        old_outputs: NONE,
    },
    Module {
        name: "sqs",
        kind: Kind::Queue,
        args: &[],
        outputs: &[
            ("arn", "queue_arn"),
            ("url", "queue_url"),
            ("id", "queue_id"),
            ("name", "queue_name"),
        ],
        old_outputs: (
            4,
            &[
                ("arn", "sqs_queue_arn"),
                ("url", "sqs_queue_id"),
                ("id", "sqs_queue_id"),
                ("name", "sqs_queue_name"),
            ],
        ),
    },
    Module {
        name: "sns",
        kind: Kind::Topic,
        args: &[Targets("subscriptions", None)],
        outputs: &[("arn", "topic_arn"), ("name", "topic_name")],
        old_outputs: (5, &[("arn", "sns_topic_arn"), ("name", "sns_topic_name")]),
    },
    Module {
        name: "dynamodb-table",
        kind: Kind::Table,
        args: &[],
        outputs: &[
            ("arn", "dynamodb_table_arn"),
            ("name", "dynamodb_table_id"),
            ("id", "dynamodb_table_id"),
            ("stream_arn", "dynamodb_table_stream_arn"),
        ],
        old_outputs: NONE,
    },
    Module {
        name: "s3-bucket",
        kind: Kind::Bucket,
        args: &[],
        outputs: &[
            ("arn", "s3_bucket_arn"),
            ("bucket", "s3_bucket_id"),
            ("id", "s3_bucket_id"),
        ],
        old_outputs: NONE,
    },
    Module {
        name: "s3-bucket//modules/notification",
        kind: Kind::Notification,
        args: &[
            Bucket("bucket"),
            Targets("lambda_notifications", Some(ConnectionKind::Trigger)),
            Targets("sqs_notifications", Some(ConnectionKind::Trigger)),
            Targets("sns_notifications", Some(ConnectionKind::Trigger)),
        ],
        outputs: &[],
        old_outputs: NONE,
    },
    Module {
        name: "apigateway-v2",
        kind: Kind::HttpApi,
        args: &[
            Targets("integrations", Some(ConnectionKind::Route)),
            Targets("routes", Some(ConnectionKind::Route)),
            Sources("authorizers"),
        ],
        outputs: &[
            ("execution_arn", "api_execution_arn"),
            ("id", "api_id"),
            ("api_endpoint", "api_endpoint"),
        ],
        old_outputs: NONE,
    },
    Module {
        name: "step-functions",
        kind: Kind::StateMachine,
        args: &[
            Targets("service_integrations", Some(ConnectionKind::Invoke)),
            Uses("definition"),
        ],
        outputs: &[("arn", "state_machine_arn"), ("id", "state_machine_id")],
        old_outputs: NONE,
    },
    Module {
        name: "eventbridge",
        kind: Kind::EventBus,
        args: &[Targets("targets", Some(ConnectionKind::Trigger))],
        outputs: &[
            ("arn", "eventbridge_bus_arn"),
            ("name", "eventbridge_bus_name"),
        ],
        old_outputs: NONE,
    },
    Module {
        name: "alb",
        kind: Kind::LoadBalancer,
        args: &[
            Targets("target_groups", Some(ConnectionKind::Route)),
            Targets("targets", Some(ConnectionKind::Route)),
        ],
        outputs: &[("arn", "arn"), ("dns_name", "dns_name")],
        old_outputs: NONE,
    },
    Module {
        name: "cloudfront",
        kind: Kind::Cdn,
        args: &[Targets("origin", None)],
        outputs: &[
            ("arn", "cloudfront_distribution_arn"),
            ("domain_name", "cloudfront_distribution_domain_name"),
        ],
        old_outputs: NONE,
    },
];

/// The registry module a `source` names, if it is a well-known one:
/// `terraform-aws-modules/lambda/aws`, `terraform-aws-modules/s3-bucket/aws//modules/notification`
/// or `github.com/terraform-aws-modules/terraform-aws-lambda?ref=...`.
pub fn module(source: &str) -> Option<&'static Module> {
    let at = source.find("terraform-aws-modules/")? + "terraform-aws-modules/".len();
    let rest = source[at..].split('?').next().unwrap_or("");
    let (path, sub) = match rest.split_once("//") {
        Some((p, s)) => (p, Some(s.trim_end_matches('/'))),
        None => (rest, None),
    };
    let name = match path.strip_prefix("terraform-aws-") {
        Some(n) => n.trim_end_matches(".git").trim_end_matches('/'),
        None => path.strip_suffix("/aws").unwrap_or(path),
    };
    let full = match sub {
        Some(s) => format!("{name}//{s}"),
        None => name.to_string(),
    };
    MODULES.iter().find(|m| m.name == full)
}

/// The module output that holds a resource attribute (`arn` of a queue
/// module is `queue_arn`, or `sqs_queue_arn` before version 4), for the
/// version the call asks for (`~> 3.0`); the newest names when it asks for
/// none.
pub fn output(m: &Module, attr: &str, props: &Map) -> Option<&'static str> {
    let major = props.get("version").and_then(Value::as_str).and_then(|v| {
        let digits: String = v
            .chars()
            .skip_while(|c| !c.is_ascii_digit())
            .take_while(char::is_ascii_digit)
            .collect();
        digits.parse::<u32>().ok()
    });
    let (below, old) = m.old_outputs;
    let list = match major {
        Some(v) if v < below => old,
        _ => m.outputs,
    };
    list.iter().find(|(a, _)| *a == attr).map(|(_, o)| *o)
}

fn flag(props: &Map, key: &str) -> Option<bool> {
    match props.get(key)? {
        Value::Bool(b) => Some(*b),
        Value::String(s) if s == "true" => Some(true),
        Value::String(s) if s == "false" => Some(false),
        _ => None,
    }
}

/// Whether a call creates nothing (`create = false`).
pub fn creates_nothing(props: &Map) -> bool {
    flag(props, "create") == Some(false)
}

/// The kind of service a module call creates, told apart by its arguments
/// (a lambda module that only makes a layer, an event bus module that only
/// makes rules, a WebSocket API).
pub fn kind_of(m: &Module, props: &Map) -> Kind {
    match m.name {
        "lambda"
            if flag(props, "create_layer") == Some(true)
                && flag(props, "create_function") != Some(true) =>
        {
            Kind::Layer
        }
        "eventbridge" if flag(props, "create_bus") == Some(false) => Kind::Rule,
        "apigateway-v2"
            if props
                .get("protocol_type")
                .and_then(Value::as_str)
                .is_some_and(|p| p.eq_ignore_ascii_case("WEBSOCKET")) =>
        {
            Kind::WebSocket
        }
        _ => m.kind,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sources_name_modules() {
        let name = |s: &str| module(s).map(|m| m.name);
        assert_eq!(name("terraform-aws-modules/lambda/aws"), Some("lambda"));
        assert_eq!(
            name("registry.terraform.io/terraform-aws-modules/sqs/aws"),
            Some("sqs")
        );
        assert_eq!(
            name("github.com/terraform-aws-modules/terraform-aws-dynamodb-table?ref=03b38ee"),
            Some("dynamodb-table")
        );
        assert_eq!(
            name("terraform-aws-modules/s3-bucket/aws//modules/notification"),
            Some("s3-bucket//modules/notification")
        );
        assert_eq!(name("terraform-aws-modules/vpc/aws"), None);
        assert_eq!(name("./modules/lambda"), None);
    }

    #[test]
    fn arguments_tell_kinds_apart() {
        let lambda = module("terraform-aws-modules/lambda/aws").unwrap();
        let mut p = Map::new();
        assert_eq!(kind_of(lambda, &p).word(), "function");
        p.insert("create_layer".into(), Value::Bool(true));
        assert_eq!(kind_of(lambda, &p).word(), "layer");
        p.insert("create".into(), Value::Bool(false));
        assert!(creates_nothing(&p));
    }
}
