//! SAM policy templates, IAM actions and trust policies, as data: which
//! parameter names the resource a template grants access to, what kind of
//! connection it is, and which kinds of service may assume a role. Shared by
//! the SAM and Terraform importers, so both read IAM the same way.

use crate::catalog::Kind;
use crate::model::ConnectionKind::{self, *};
use crate::model::Value;

/// (template, parameter naming the resource, connection kind)
pub static POLICY_TEMPLATES: &[(&str, &str, ConnectionKind)] = &[
    ("S3ReadPolicy", "BucketName", Read),
    ("S3WritePolicy", "BucketName", Write),
    ("S3CrudPolicy", "BucketName", Write),
    ("S3FullAccessPolicy", "BucketName", Write),
    ("DynamoDBReadPolicy", "TableName", Read),
    ("DynamoDBWritePolicy", "TableName", Write),
    ("DynamoDBCrudPolicy", "TableName", Write),
    ("DynamoDBStreamReadPolicy", "TableName", Read),
    ("DynamoDBReconfigurePolicy", "TableName", Write),
    ("DynamoDBRestoreFromBackupPolicy", "TableName", Write),
    (
        "DynamoDBBackupFullAccessAndRestorePolicy",
        "TableName",
        Write,
    ),
    ("SQSSendMessagePolicy", "QueueName", Write),
    ("SQSPollerPolicy", "QueueName", Read),
    ("SNSPublishMessagePolicy", "TopicName", Publish),
    ("SNSCrudPolicy", "TopicName", Publish),
    ("KinesisCrudPolicy", "StreamName", Write),
    ("KinesisStreamReadPolicy", "StreamName", Read),
    ("FirehoseWritePolicy", "DeliveryStreamName", Write),
    ("FirehoseCrudPolicy", "DeliveryStreamName", Write),
    ("LambdaInvokePolicy", "FunctionName", Invoke),
    ("StepFunctionsExecutionPolicy", "StateMachineName", Invoke),
    ("StepFunctionsCallbackPolicy", "StateMachineName", Invoke),
    ("EventBridgePutEventsPolicy", "EventBusName", Publish),
    ("AWSSecretsManagerGetSecretValuePolicy", "SecretArn", Read),
    ("AWSSecretsManagerRotationPolicy", "FunctionName", Invoke),
    ("SSMParameterReadPolicy", "ParameterName", Read),
    (
        "SSMParameterWithSlashPrefixReadPolicy",
        "ParameterName",
        Read,
    ),
    ("KMSDecryptPolicy", "KeyId", Read),
    ("KMSEncryptPolicy", "KeyId", Read),
    ("ElasticsearchHttpPostPolicy", "DomainName", Write),
    ("AthenaQueryPolicy", "WorkGroupName", Read),
    ("SESCrudPolicy", "IdentityName", Write),
    ("SESSendBouncePolicy", "IdentityName", Write),
    ("SESBulkTemplatedCrudPolicy", "IdentityName", Write),
    ("SESEmailTemplateCrudPolicy", "IdentityName", Write),
    ("CloudWatchDashboardPolicy", "", Write),
    ("MobileAnalyticsWriteOnlyAccessPolicy", "", Write),
    ("EventBridgeSchedulerCreateSchedulePolicy", "", Write),
];

pub fn template(name: &str) -> Option<(&'static str, ConnectionKind)> {
    POLICY_TEMPLATES
        .iter()
        .find(|(n, _, _)| *n == name)
        .map(|(_, p, k)| (*p, *k))
}

/// What a list of IAM actions does to a resource.
pub fn classify_actions(actions: &[&str]) -> ConnectionKind {
    let mut kind = Read;
    for a in actions {
        let (service, verb) = a.split_once(':').unwrap_or(("*", a));
        let service = service.to_ascii_lowercase();
        let k = if verb == "*" || *a == "*" {
            Write
        } else if matches!(
            (service.as_str(), verb),
            ("lambda", v) if v.starts_with("Invoke")
        ) || matches!(
            (service.as_str(), verb),
            ("states", "StartExecution" | "StartSyncExecution")
        ) {
            Invoke
        } else if matches!(
            (service.as_str(), verb),
            ("sns", "Publish") | ("events", "PutEvents")
        ) {
            Publish
        } else if [
            "Get",
            "List",
            "Describe",
            "Query",
            "Scan",
            "BatchGet",
            "Receive",
            "Select",
            "Read",
            "Search",
            "Lookup",
            "Decrypt",
            "Subscribe",
            "Head",
            "ESHttpGet",
            "ESHttpHead",
            "AdminGet",
            "AdminList",
        ]
        .iter()
        .any(|p| verb.starts_with(p))
        {
            Read
        } else {
            Write
        };
        kind = strongest(kind, k);
    }
    kind
}

/// Whether a statement's actions are only what a trigger needs: an event
/// source's role reaching its target (`forward`), or a function polling the
/// queue or stream that triggers it. Such a statement is part of that
/// trigger, not an arrow of its own.
pub fn serves_trigger(actions: &[&str], forward: bool) -> bool {
    const TO_TARGET: &[&str] = &[
        "lambda:invokefunction",
        "lambda:invokeasync",
        "sqs:sendmessage",
        "sns:publish",
        "states:startexecution",
        "states:startsyncexecution",
        "events:putevents",
        "kinesis:putrecord",
        "kinesis:putrecords",
        "firehose:putrecord",
        "firehose:putrecordbatch",
        "ecs:runtask",
        "iam:passrole",
        "logs:createlogstream",
        "logs:putlogevents",
    ];
    const POLL: &[&str] = &[
        "sqs:receivemessage",
        "sqs:deletemessage",
        "sqs:getqueueattributes",
        "sqs:changemessagevisibility",
        "kinesis:getrecords",
        "kinesis:getsharditerator",
        "kinesis:describestream",
        "kinesis:describestreamsummary",
        "kinesis:listshards",
        "kinesis:liststreams",
        "kinesis:subscribetoshard",
        "dynamodb:getrecords",
        "dynamodb:getsharditerator",
        "dynamodb:describestream",
        "dynamodb:liststreams",
    ];
    let set = if forward { TO_TARGET } else { POLL };
    !actions.is_empty()
        && actions
            .iter()
            .all(|a| set.contains(&a.to_ascii_lowercase().as_str()))
}

fn rank(k: ConnectionKind) -> u8 {
    match k {
        Read => 0,
        Write => 1,
        Publish => 2,
        Invoke => 3,
        _ => 0,
    }
}

fn strongest(a: ConnectionKind, b: ConnectionKind) -> ConnectionKind {
    if rank(b) > rank(a) { b } else { a }
}

/// The service principals a trust policy lets assume a role
/// (`apigateway.amazonaws.com`, ...).
pub fn trusted_services(doc: &Value) -> Vec<String> {
    let mut out = Vec::new();
    let statements: Vec<&Value> = match doc.get("Statement") {
        Some(Value::Array(a)) => a.iter().collect(),
        Some(other) => vec![other],
        None => vec![],
    };
    for st in statements {
        match st.get("Principal").and_then(|p| p.get("Service")) {
            Some(Value::String(s)) => out.push(s.clone()),
            Some(Value::Array(a)) => {
                out.extend(a.iter().filter_map(Value::as_str).map(str::to_string))
            }
            _ => {}
        }
    }
    out
}

/// The kinds of service that act through a role trusted by a principal.
pub fn kinds_assuming(principal: &str) -> &'static [Kind] {
    match principal.split('.').next().unwrap_or("") {
        "apigateway" => &[Kind::Api, Kind::HttpApi, Kind::WebSocket],
        "states" => &[Kind::StateMachine],
        "events" => &[Kind::Rule, Kind::EventBus],
        "scheduler" => &[Kind::Schedule],
        "pipes" => &[Kind::Pipe],
        "lambda" => &[Kind::Function],
        "firehose" => &[Kind::Firehose],
        "ecs-tasks" => &[Kind::Container],
        "appsync" => &[Kind::GraphQl],
        "glue" => &[Kind::Etl, Kind::Crawler],
        _ => &[],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn actions() {
        assert_eq!(
            classify_actions(&["dynamodb:GetItem", "dynamodb:Query"]),
            Read
        );
        assert_eq!(
            classify_actions(&["dynamodb:GetItem", "dynamodb:PutItem"]),
            Write
        );
        assert_eq!(classify_actions(&["sns:Publish"]), Publish);
        assert_eq!(classify_actions(&["lambda:InvokeFunction"]), Invoke);
        assert_eq!(classify_actions(&["s3:*"]), Write);
        assert_eq!(
            classify_actions(&["sqs:ReceiveMessage", "sqs:DeleteMessage"]),
            Write
        );
    }
}
