//! One recipe per connection that is not a permission: how an event source
//! reaches what it triggers or what subscribes to it. Each [`Link`] says, for
//! one (source kind, target kind, connection kind), the event a SAM function
//! takes, the glue plain CloudFormation and Terraform write instead (an event
//! source mapping, a notification, a subscription), and what lets the source
//! reach the target (a function's invoke permission, a queue's or topic's
//! policy, polling granted on the function's role).
//!
//! The SAM writer and the Terraform skeleton writer interpret these entries;
//! the importers read the same names back (SAM event types and bucket
//! notification lists). Adding a connection of one of these shapes is adding
//! an entry to [`LINKS`].

use crate::catalog::Kind;
use crate::model::ConnectionKind::{self, Subscribe, Trigger};

use super::Cfn;

/// An event on a SAM function: its `Type`, the property naming the source
/// and how it names it, then fixed properties (a JSON object, in order).
#[derive(Debug)]
pub struct Event {
    pub ty: &'static str,
    pub prop: &'static str,
    pub by: Cfn,
    pub props: &'static str,
}

/// The resources plain CloudFormation or Terraform write for a link.
#[derive(Debug)]
pub enum Glue {
    /// An event source mapping: the function polls the source, with these
    /// fixed properties after the source and the function (a JSON object, in
    /// order), and its role is granted the polling ([`super::poll_actions`]).
    Mapping { props: &'static str },
    /// An entry in a list of the source's notifications (a bucket's) naming
    /// the target under `key`.
    Notification {
        list: &'static str,
        key: &'static str,
    },
    /// A subscription of the target to the source (a topic's), by protocol.
    Subscription { protocol: &'static str },
    /// A subscription filter on the source (a log group's) sending what it
    /// logs to the target.
    LogFilter,
    /// A hook in the source's configuration (a user pool's Lambda
    /// triggers) naming the target under `key`.
    Hook { key: &'static str },
    /// A target of a rule or schedule. EventBridge reaches it by the link's
    /// [`Reach`], or where that is nothing, through a role for the service
    /// that holds these actions on the target; EventBridge Scheduler always
    /// reaches it through such a role.
    Target { role: &'static [&'static str] },
}

/// What lets the source's service reach the target.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reach {
    /// Nothing more (the mapping's polling is on the function's role).
    Nothing,
    /// A permission on the function for this service principal.
    Permission(&'static str),
    /// A statement in the target queue's or topic's resource policy letting
    /// this service principal send to it.
    Policy(&'static str),
}

/// How one connection is written in each language; `None` where a language
/// has no way to write it (the writer refuses and says so).
#[derive(Debug)]
pub struct Link {
    pub from: Kind,
    pub to: Kind,
    pub kind: ConnectionKind,
    /// The source is a table's stream (turned on when written), not the
    /// table itself.
    pub stream: bool,
    /// The event on a SAM function.
    pub sam: Option<Event>,
    /// Plain CloudFormation: for a plain function, or for a target SAM
    /// writes no event on.
    pub cfn: Option<Glue>,
    pub tf: Option<Glue>,
    pub reach: Reach,
}

const fn event(
    ty: &'static str,
    prop: &'static str,
    by: Cfn,
    props: &'static str,
) -> Option<Event> {
    Some(Event {
        ty,
        prop,
        by,
        props,
    })
}

const fn mapping(props: &'static str) -> Option<Glue> {
    Some(Glue::Mapping { props })
}

const fn notification(list: &'static str, key: &'static str) -> Option<Glue> {
    Some(Glue::Notification { list, key })
}

const fn subscription(protocol: &'static str) -> Option<Glue> {
    Some(Glue::Subscription { protocol })
}

const fn target(from: Kind, to: Kind, role: &'static [&'static str], reach: Reach) -> Link {
    Link {
        from,
        to,
        kind: Trigger,
        stream: false,
        sam: None,
        cfn: Some(Glue::Target { role }),
        tf: Some(Glue::Target { role }),
        reach,
    }
}

const EVENTS: &str = "events.amazonaws.com";

/// The links, one per connection.
pub static LINKS: &[Link] = &[
    // Failed messages are reported one by one, so a batch is not retried
    // whole for one bad message.
    Link {
        from: Kind::Queue,
        to: Kind::Function,
        kind: Trigger,
        stream: false,
        sam: event(
            "SQS",
            "Queue",
            Cfn::Attr("Arn"),
            r#"{"BatchSize": 10, "FunctionResponseTypes": ["ReportBatchItemFailures"]}"#,
        ),
        cfn: mapping(r#"{"BatchSize": 10}"#),
        tf: mapping(
            r#"{"batch_size": 10, "function_response_types": ["ReportBatchItemFailures"]}"#,
        ),
        reach: Reach::Nothing,
    },
    Link {
        from: Kind::Stream,
        to: Kind::Function,
        kind: Trigger,
        stream: false,
        sam: event(
            "Kinesis",
            "Stream",
            Cfn::Attr("Arn"),
            r#"{"StartingPosition": "LATEST"}"#,
        ),
        cfn: mapping(r#"{"StartingPosition": "LATEST"}"#),
        tf: mapping(r#"{"starting_position": "LATEST"}"#),
        reach: Reach::Nothing,
    },
    Link {
        from: Kind::Table,
        to: Kind::Function,
        kind: Trigger,
        stream: true,
        sam: event(
            "DynamoDB",
            "Stream",
            Cfn::Attr("StreamArn"),
            r#"{"StartingPosition": "LATEST"}"#,
        ),
        cfn: mapping(r#"{"StartingPosition": "LATEST"}"#),
        tf: mapping(r#"{"starting_position": "LATEST"}"#),
        reach: Reach::Nothing,
    },
    Link {
        from: Kind::Bucket,
        to: Kind::Function,
        kind: Trigger,
        stream: false,
        sam: event(
            "S3",
            "Bucket",
            Cfn::Ref,
            r#"{"Events": "s3:ObjectCreated:*"}"#,
        ),
        cfn: notification("LambdaConfigurations", "Function"),
        tf: notification("lambda_function", "lambda_function_arn"),
        reach: Reach::Permission("s3.amazonaws.com"),
    },
    Link {
        from: Kind::Bucket,
        to: Kind::Queue,
        kind: Trigger,
        stream: false,
        sam: None,
        cfn: notification("QueueConfigurations", "Queue"),
        tf: notification("queue", "queue_arn"),
        reach: Reach::Policy("s3.amazonaws.com"),
    },
    Link {
        from: Kind::Bucket,
        to: Kind::Topic,
        kind: Trigger,
        stream: false,
        sam: None,
        cfn: notification("TopicConfigurations", "Topic"),
        tf: notification("topic", "topic_arn"),
        reach: Reach::Policy("s3.amazonaws.com"),
    },
    Link {
        from: Kind::Topic,
        to: Kind::Function,
        kind: Trigger,
        stream: false,
        sam: event("SNS", "Topic", Cfn::Ref, "{}"),
        cfn: subscription("lambda"),
        tf: subscription("lambda"),
        reach: Reach::Permission("sns.amazonaws.com"),
    },
    Link {
        from: Kind::Topic,
        to: Kind::Queue,
        kind: Subscribe,
        stream: false,
        sam: None,
        cfn: subscription("sqs"),
        tf: subscription("sqs"),
        reach: Reach::Policy("sns.amazonaws.com"),
    },
    Link {
        from: Kind::LogGroup,
        to: Kind::Function,
        kind: Trigger,
        stream: false,
        sam: event(
            "CloudWatchLogs",
            "LogGroupName",
            Cfn::Ref,
            r#"{"FilterPattern": ""}"#,
        ),
        cfn: None,
        tf: Some(Glue::LogFilter),
        reach: Reach::Permission("logs.amazonaws.com"),
    },
    // Before sign-up, the one hook every user pool can take.
    Link {
        from: Kind::UserPool,
        to: Kind::Function,
        kind: Trigger,
        stream: false,
        sam: event(
            "Cognito",
            "UserPool",
            Cfn::Ref,
            r#"{"Trigger": "PreSignUp"}"#,
        ),
        cfn: None,
        tf: Some(Glue::Hook { key: "pre_sign_up" }),
        reach: Reach::Permission("cognito-idp.amazonaws.com"),
    },
    // What rules and schedules trigger: a target on the rule (SAM writes a
    // rule that only triggers its function or state machine as an event on
    // it instead).
    target(
        Kind::Rule,
        Kind::Function,
        &["lambda:InvokeFunction"],
        Reach::Permission(EVENTS),
    ),
    target(
        Kind::Rule,
        Kind::Queue,
        &["sqs:SendMessage"],
        Reach::Policy(EVENTS),
    ),
    target(
        Kind::Rule,
        Kind::Topic,
        &["sns:Publish"],
        Reach::Policy(EVENTS),
    ),
    target(
        Kind::Rule,
        Kind::StateMachine,
        &["states:StartExecution"],
        Reach::Nothing,
    ),
    target(
        Kind::Rule,
        Kind::EventBus,
        &["events:PutEvents"],
        Reach::Nothing,
    ),
    // Logs lets EventBridge write by its own resource policy.
    target(Kind::Rule, Kind::LogGroup, &[], Reach::Nothing),
    target(
        Kind::Rule,
        Kind::Stream,
        &["kinesis:PutRecord"],
        Reach::Nothing,
    ),
    target(
        Kind::Rule,
        Kind::Firehose,
        &["firehose:PutRecord"],
        Reach::Nothing,
    ),
    target(
        Kind::Rule,
        Kind::Container,
        &["ecs:RunTask"],
        Reach::Nothing,
    ),
    target(
        Kind::Schedule,
        Kind::Function,
        &["lambda:InvokeFunction"],
        Reach::Permission(EVENTS),
    ),
    target(
        Kind::Schedule,
        Kind::Queue,
        &["sqs:SendMessage"],
        Reach::Policy(EVENTS),
    ),
    target(
        Kind::Schedule,
        Kind::Topic,
        &["sns:Publish"],
        Reach::Policy(EVENTS),
    ),
    target(
        Kind::Schedule,
        Kind::StateMachine,
        &["states:StartExecution"],
        Reach::Nothing,
    ),
    target(
        Kind::Schedule,
        Kind::EventBus,
        &["events:PutEvents"],
        Reach::Nothing,
    ),
    target(
        Kind::Schedule,
        Kind::Stream,
        &["kinesis:PutRecord"],
        Reach::Nothing,
    ),
    target(
        Kind::Schedule,
        Kind::Firehose,
        &["firehose:PutRecord"],
        Reach::Nothing,
    ),
    target(
        Kind::Schedule,
        Kind::Container,
        &["ecs:RunTask"],
        Reach::Nothing,
    ),
];

/// The recipe for a connection, if it is one of these.
pub fn link(from: Kind, to: Kind, kind: ConnectionKind) -> Option<&'static Link> {
    LINKS
        .iter()
        .find(|l| l.from == from && l.to == to && l.kind == kind)
}

/// The links whose SAM event has this `Type`.
pub fn by_event(ty: &str) -> Option<&'static Link> {
    LINKS
        .iter()
        .find(|l| l.sam.as_ref().is_some_and(|e| e.ty == ty))
}

/// The (list, key) pairs of the notifications CloudFormation or Terraform
/// write on a source, once each, for the importers.
pub fn notifications(tf: bool) -> Vec<(&'static str, &'static str)> {
    let mut out = Vec::new();
    for l in LINKS {
        let g = if tf { &l.tf } else { &l.cfn };
        if let Some(Glue::Notification { list, key }) = g
            && !out.contains(&(*list, *key))
        {
            out.push((*list, *key));
        }
    }
    out
}

/// A link's fixed properties, in order.
pub fn fixed(json: &str) -> serde_json::Map<String, serde_json::Value> {
    match serde_json::from_str(json) {
        Ok(serde_json::Value::Object(m)) => m,
        _ => serde_json::Map::new(),
    }
}
