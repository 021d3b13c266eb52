//! Where Terraform connections come from, one rule at a time: the same
//! situations give the same arrows as in SAM (see `sam_connections.rs`).

use std::collections::{BTreeMap, BTreeSet};

use stacksketch::formats::terraform;
use stacksketch::model::{Level, Sketch, View};

fn read(tf: &str) -> Sketch {
    let files: BTreeMap<String, String> = [("main.tf".to_string(), tf.to_string())].into();
    terraform::import(&files, "t").unwrap_or_else(|e| panic!("{e}\n{tf}"))
}

fn edges(s: &Sketch) -> BTreeSet<(String, String, String)> {
    View::of(s, Level::Service)
        .edges
        .into_iter()
        .map(|e| (e.from, e.to, e.kind.word().to_string()))
        .collect()
}

fn has(set: &BTreeSet<(String, String, String)>, from: &str, to: &str, kind: &str) -> bool {
    set.contains(&(from.to_string(), to.to_string(), kind.to_string()))
}

const QUEUE_AND_LOGS: &str = r#"
resource "aws_sqs_queue" "jobs" {}
resource "aws_cloudwatch_log_group" "access" {
  name = "api-access"
}
"#;

/// An API's role with nothing naming it (its OpenAPI body lives elsewhere):
/// the trust policy says who uses it.
const API_ROLE_STATEMENTS: &str = r#"
      Statement = [
        {
          Effect   = "Allow"
          Action   = ["sqs:SendMessage"]
          Resource = aws_sqs_queue.jobs.arn
        },
        {
          Effect   = "Allow"
          Action   = ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogGroups"]
          Resource = aws_cloudwatch_log_group.access.arn
        },
      ]
"#;

#[test]
fn a_role_nothing_names_belongs_to_the_one_service_its_trust_policy_admits() {
    let tf = format!(
        r#"{QUEUE_AND_LOGS}
resource "aws_apigatewayv2_api" "http" {{
  name          = "http"
  protocol_type = "HTTP"
}}
resource "aws_iam_role" "api" {{
  assume_role_policy = jsonencode({{
    Version = "2012-10-17"
    Statement = [{{
      Effect    = "Allow"
      Principal = {{ Service = "apigateway.amazonaws.com" }}
      Action    = "sts:AssumeRole"
    }}]
  }})
}}
resource "aws_iam_role_policy" "api" {{
  role = aws_iam_role.api.id
  policy = jsonencode({{
{API_ROLE_STATEMENTS}
  }})
}}
"#
    );
    let e = edges(&read(&tf));
    assert!(
        has(
            &e,
            "aws_apigatewayv2_api.http",
            "aws_sqs_queue.jobs",
            "route"
        ),
        "{e:?}"
    );
    assert!(
        has(
            &e,
            "aws_apigatewayv2_api.http",
            "aws_cloudwatch_log_group.access",
            "log"
        ),
        "{e:?}"
    );
}

#[test]
fn a_trust_policy_document_names_its_principals_too() {
    let tf = format!(
        r#"{QUEUE_AND_LOGS}
resource "aws_api_gateway_rest_api" "rest" {{
  name = "rest"
}}
data "aws_iam_policy_document" "trust" {{
  statement {{
    actions = ["sts:AssumeRole"]
    principals {{
      type        = "Service"
      identifiers = ["apigateway.amazonaws.com"]
    }}
  }}
}}
resource "aws_iam_role" "api" {{
  assume_role_policy = data.aws_iam_policy_document.trust.json
  inline_policy {{
    name = "send"
    policy = jsonencode({{
{API_ROLE_STATEMENTS}
    }})
  }}
}}
"#
    );
    let e = edges(&read(&tf));
    assert!(
        has(
            &e,
            "aws_api_gateway_rest_api.rest",
            "aws_sqs_queue.jobs",
            "route"
        ),
        "{e:?}"
    );
}

#[test]
fn a_role_two_services_could_use_stays_unattached() {
    let tf = format!(
        r#"{QUEUE_AND_LOGS}
resource "aws_apigatewayv2_api" "one" {{
  name          = "one"
  protocol_type = "HTTP"
}}
resource "aws_apigatewayv2_api" "two" {{
  name          = "two"
  protocol_type = "HTTP"
}}
resource "aws_iam_role" "api" {{
  assume_role_policy = jsonencode({{
    Statement = [{{
      Effect    = "Allow"
      Principal = {{ Service = "apigateway.amazonaws.com" }}
      Action    = "sts:AssumeRole"
    }}]
  }})
  inline_policy {{
    name = "send"
    policy = jsonencode({{
{API_ROLE_STATEMENTS}
    }})
  }}
}}
"#
    );
    let e = edges(&read(&tf));
    assert!(
        !e.iter().any(|(_, to, _)| to == "aws_sqs_queue.jobs"),
        "{e:?}"
    );
}

const FUNCTION: &str = r#"
resource "aws_iam_role" "fn" {
  assume_role_policy = jsonencode({
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "lambda.amazonaws.com" }
      Action    = "sts:AssumeRole"
    }]
  })
}
resource "aws_lambda_function" "fn" {
  function_name = "worker"
  role          = aws_iam_role.fn.arn
  handler       = "index.handler"
  runtime       = "python3.13"
  filename      = "fn.zip"
}
data "aws_region" "current" {}
data "aws_caller_identity" "current" {}
"#;

#[test]
fn hand_written_arns_in_statements_name_resources_by_their_names() {
    let tf = format!(
        r#"{FUNCTION}
resource "aws_sns_topic" "alerts" {{
  name = "order-alerts"
}}
resource "aws_iam_role_policy" "fn" {{
  role = aws_iam_role.fn.id
  policy = jsonencode({{
    Statement = [{{
      Effect   = "Allow"
      Action   = "sns:Publish"
      Resource = "arn:aws:sns:${{data.aws_region.current.name}}:${{data.aws_caller_identity.current.account_id}}:order-alerts"
    }}]
  }})
}}
"#
    );
    let s = read(&tf);
    let e = edges(&s);
    assert!(
        has(
            &e,
            "aws_lambda_function.fn",
            "aws_sns_topic.alerts",
            "publish"
        ),
        "{e:?}"
    );
    // The statement grants on the topic alone: removing the arrow may
    // remove it.
    let c = s
        .connection("aws_lambda_function.fn", "aws_sns_topic.alerts", None)
        .expect("publish");
    assert!(c.origins.iter().all(|o| !o.fixed), "{:?}", c.origins);
}

#[test]
fn a_statement_granting_on_several_services_is_a_fixed_origin() {
    let tf = format!(
        r#"{FUNCTION}
resource "aws_sqs_queue" "a" {{}}
resource "aws_sqs_queue" "b" {{}}
resource "aws_iam_role_policy" "fn" {{
  role = aws_iam_role.fn.id
  policy = jsonencode({{
    Statement = [{{
      Effect   = "Allow"
      Action   = "sqs:SendMessage"
      Resource = [aws_sqs_queue.a.arn, aws_sqs_queue.b.arn]
    }}]
  }})
}}
"#
    );
    let s = read(&tf);
    for q in ["aws_sqs_queue.a", "aws_sqs_queue.b"] {
        let c = s
            .connection("aws_lambda_function.fn", q, None)
            .unwrap_or_else(|| panic!("fn -> {q}"));
        assert_eq!(c.kind.word(), "write");
        assert!(c.origins.iter().all(|o| o.fixed), "{:?}", c.origins);
    }
}

#[test]
fn a_schedule_targets_dead_letter_queue_is_a_write() {
    let tf = format!(
        r#"{FUNCTION}
resource "aws_sqs_queue" "dlq" {{}}
resource "aws_scheduler_schedule" "hourly" {{
  schedule_expression = "rate(1 hour)"
  flexible_time_window {{
    mode = "OFF"
  }}
  target {{
    arn      = aws_lambda_function.fn.arn
    role_arn = aws_iam_role.fn.arn
    dead_letter_config {{
      arn = aws_sqs_queue.dlq.arn
    }}
  }}
}}
"#
    );
    let e = edges(&read(&tf));
    assert!(
        has(
            &e,
            "aws_scheduler_schedule.hourly",
            "aws_lambda_function.fn",
            "trigger"
        ),
        "{e:?}"
    );
    assert!(
        has(
            &e,
            "aws_scheduler_schedule.hourly",
            "aws_sqs_queue.dlq",
            "write"
        ),
        "{e:?}"
    );
}

#[test]
fn a_state_machine_definition_names_services_by_hand_written_arns_as_fixed_origins() {
    let tf = r#"
resource "aws_sns_topic" "alerts" {
  name = "order-alerts"
}
resource "aws_sqs_queue" "jobs" {}
data "aws_region" "current" {}
data "aws_caller_identity" "current" {}
resource "aws_sfn_state_machine" "flow" {
  name     = "flow"
  role_arn = "arn:aws:iam::123456789012:role/flow"
  definition = jsonencode({
    StartAt = "Notify"
    States = {
      Notify = {
        Type     = "Task"
        Resource = "arn:aws:states:::sns:publish"
        Parameters = {
          TopicArn = "arn:aws:sns:${data.aws_region.current.name}:${data.aws_caller_identity.current.account_id}:order-alerts"
        }
        Next = "Enqueue"
      }
      Enqueue = {
        Type     = "Task"
        Resource = "arn:aws:states:::sqs:sendMessage"
        Parameters = {
          QueueUrl = aws_sqs_queue.jobs.url
        }
        End = true
      }
    }
  })
}
"#;
    let s = read(tf);
    let e = edges(&s);
    assert!(
        has(
            &e,
            "aws_sfn_state_machine.flow",
            "aws_sns_topic.alerts",
            "publish"
        ),
        "{e:?}"
    );
    for to in ["aws_sns_topic.alerts", "aws_sqs_queue.jobs"] {
        let c = s
            .connection("aws_sfn_state_machine.flow", to, None)
            .unwrap_or_else(|| panic!("flow -> {to}: {e:?}"));
        assert!(c.origins.iter().all(|o| o.fixed), "{to}: {:?}", c.origins);
    }
}

#[test]
fn asynchronous_call_destinations_are_reached_by_the_function() {
    let tf = format!(
        r#"{FUNCTION}
resource "aws_lambda_function" "done" {{
  function_name = "done"
  role          = aws_iam_role.fn.arn
  handler       = "index.handler"
  runtime       = "python3.13"
  filename      = "fn.zip"
}}
resource "aws_sqs_queue" "failed" {{}}
resource "aws_lambda_function_event_invoke_config" "fn" {{
  function_name          = aws_lambda_function.fn.function_name
  maximum_retry_attempts = 1
  destination_config {{
    on_success {{
      destination = aws_lambda_function.done.arn
    }}
    on_failure {{
      destination = aws_sqs_queue.failed.arn
    }}
  }}
}}
"#
    );
    let e = edges(&read(&tf));
    assert!(
        has(
            &e,
            "aws_lambda_function.fn",
            "aws_lambda_function.done",
            "invoke"
        ),
        "{e:?}"
    );
    assert!(
        has(
            &e,
            "aws_lambda_function.fn",
            "aws_sqs_queue.failed",
            "write"
        ),
        "{e:?}"
    );
}

#[test]
fn rule_targets_and_plain_references_read_as_in_sam() {
    let tf = r#"
data "aws_region" "current" {}
data "aws_caller_identity" "current" {}
resource "aws_s3_bucket" "uploads" {}
resource "aws_sns_topic" "alerts" {
  name = "upload-alerts"
}
resource "aws_cloudwatch_event_rule" "created" {
  description = "Objects created in s3://${aws_s3_bucket.uploads.id}"
  event_pattern = jsonencode({
    source = ["aws.s3"]
    detail = { bucket = { name = [aws_s3_bucket.uploads.bucket] } }
  })
}
resource "aws_cloudwatch_event_target" "created" {
  rule = aws_cloudwatch_event_rule.created.name
  arn  = "arn:aws:sns:${data.aws_region.current.name}:${data.aws_caller_identity.current.account_id}:upload-alerts"
}
"#;
    let s = read(tf);
    let e = edges(&s);
    let (rule, bucket) = ("aws_cloudwatch_event_rule.created", "aws_s3_bucket.uploads");
    // The target's hand-written ARN names the topic.
    assert!(has(&e, rule, "aws_sns_topic.alerts", "trigger"), "{e:?}");
    // The pattern feeds the rule; the description only mentions the bucket,
    // which connects nothing.
    assert!(has(&e, bucket, rule, "trigger"), "{e:?}");
    assert!(s.connection(rule, bucket, None).is_none(), "{e:?}");
}

#[test]
fn statements_in_json_text_share_their_policy_so_their_origins_are_fixed() {
    let tf = format!(
        r#"{FUNCTION}
resource "aws_sqs_queue" "jobs" {{}}
resource "aws_iam_role_policy" "fn" {{
  role   = aws_iam_role.fn.id
  policy = <<EOF
{{
  "Statement": [
    {{"Effect": "Allow", "Action": "sqs:SendMessage", "Resource": "${{aws_sqs_queue.jobs.arn}}"}},
    {{"Effect": "Allow", "Action": "logs:CreateLogGroup", "Resource": "*"}}
  ]
}}
EOF
}}
"#
    );
    let s = read(&tf);
    let c = s
        .connection("aws_lambda_function.fn", "aws_sqs_queue.jobs", None)
        .expect("fn -> jobs");
    assert_eq!(c.kind.word(), "write");
    assert!(c.origins.iter().all(|o| o.fixed), "{:?}", c.origins);
}

/// A table whose changes are copied to a Kinesis stream writes to it, as
/// CloudFormation's `KinesisStreamSpecification` reads; the destination
/// resource itself is part of the table.
#[test]
fn a_kinesis_streaming_destination_is_the_table_writing_to_the_stream() {
    let s = read(
        r#"
resource "aws_dynamodb_table" "orders" {
  name         = "orders"
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = "id"
  attribute {
    name = "id"
    type = "S"
  }
}
resource "aws_kinesis_stream" "changes" {
  name        = "changes"
  shard_count = 1
}
resource "aws_dynamodb_kinesis_streaming_destination" "orders" {
  table_name = aws_dynamodb_table.orders.name
  stream_arn = aws_kinesis_stream.changes.arn
}
"#,
    );
    let e = edges(&s);
    assert!(
        has(
            &e,
            "aws_dynamodb_table.orders",
            "aws_kinesis_stream.changes",
            "write"
        ),
        "{e:?}"
    );
    let v = View::of(&s, Level::Service);
    assert_eq!(
        v.nodes.len(),
        2,
        "{:?}",
        v.nodes.iter().map(|n| &n.id).collect::<Vec<_>>()
    );
}

/// A bucket's access logs go to another bucket: it writes there, as
/// CloudFormation's `LoggingConfiguration` reads.
#[test]
fn a_bucket_logging_to_another_writes_to_it() {
    let s = read(
        r#"
resource "aws_s3_bucket" "site" {}
resource "aws_s3_bucket" "logs" {}
resource "aws_s3_bucket_logging" "site" {
  bucket        = aws_s3_bucket.site.id
  target_bucket = aws_s3_bucket.logs.id
  target_prefix = "site/"
}
"#,
    );
    let e = edges(&s);
    assert!(
        has(&e, "aws_s3_bucket.site", "aws_s3_bucket.logs", "write"),
        "{e:?}"
    );
    assert_eq!(View::of(&s, Level::Service).nodes.len(), 2);
}

/// A function handed a resource of no known kind (an IoT thing) whose role
/// may publish on IoT publishes to it, as the SAM reader draws it; without
/// the grant it only refers to it.
#[test]
fn what_a_role_grants_on_an_unknown_service_names_the_arrow() {
    let tf = |actions: &str| {
        format!(
            r#"
resource "aws_iot_thing" "sensor" {{
  name = "sensor"
}}
resource "aws_iam_role" "worker" {{
  assume_role_policy = jsonencode({{
    Statement = [{{ Effect = "Allow", Action = "sts:AssumeRole", Principal = {{ Service = "lambda.amazonaws.com" }} }}]
  }})
}}
resource "aws_iam_role_policy" "worker" {{
  role = aws_iam_role.worker.id
  policy = jsonencode({{
    Statement = [{{ Effect = "Allow", Action = [{actions}], Resource = "*" }}]
  }})
}}
resource "aws_lambda_function" "worker" {{
  function_name = "worker"
  role          = aws_iam_role.worker.arn
  handler       = "app.handler"
  runtime       = "python3.13"
  filename      = "worker.zip"
  environment {{
    variables = {{
      THING = aws_iot_thing.sensor.name
    }}
  }}
}}
"#
        )
    };
    let e = edges(&read(&tf(r#""iot:Connect", "iot:Publish""#)));
    assert!(
        has(
            &e,
            "aws_lambda_function.worker",
            "aws_iot_thing.sensor",
            "publish"
        ),
        "{e:?}"
    );
    let e = edges(&read(&tf(r#""logs:PutLogEvents""#)));
    assert!(
        has(
            &e,
            "aws_lambda_function.worker",
            "aws_iot_thing.sensor",
            "ref"
        ),
        "{e:?}"
    );
}

/// A rule writing to a log group: CloudWatch Logs takes no role, so the
/// writer adds the resource policy that lets EventBridge in, and it reads
/// back as part of the log group, not a box of its own.
#[test]
fn a_rule_logging_to_a_group_gets_the_groups_resource_policy() {
    let mut s = stacksketch::model::Sketch::default();
    stacksketch::command::run_script(
        &mut s,
        &[
            "add rule Changes".into(),
            "add loggroup Audit".into(),
            "connect Changes Audit trigger".into(),
        ],
    )
    .unwrap();
    let out = terraform::export(&s);
    assert!(out.unwritten.is_empty(), "{:?}", out.unwritten);
    let tf: String = out.files.values().cloned().collect();
    assert!(
        tf.contains("resource \"aws_cloudwatch_log_resource_policy\""),
        "{tf}"
    );
    assert!(tf.contains("events.amazonaws.com"), "{tf}");
    let back = terraform::import(&out.files, "t").unwrap();
    let e = edges(&back);
    assert_eq!(e.len(), 1, "{e:?}\n{tf}");
    assert!(
        has(
            &e,
            "aws_cloudwatch_event_rule.changes",
            "aws_cloudwatch_log_group.audit",
            "trigger"
        ),
        "{e:?}"
    );
    assert_eq!(View::of(&back, Level::Service).nodes.len(), 2, "{tf}");
}

/// An API's access logs go on its one stage, whether the stage is written
/// before the connection (an HTTP API's, with its first route) or after,
/// and read back as the API logging to the group.
#[test]
fn an_apis_access_logs_go_on_its_stage() {
    for api in ["api", "httpapi"] {
        for order in [
            ["connect Api Fn", "connect Api Access log"],
            ["connect Api Access log", "connect Api Fn"],
        ] {
            let mut s = stacksketch::model::Sketch::default();
            let mut script: Vec<String> = vec![
                format!("add {api} Api"),
                "add function Fn".into(),
                "add loggroup Access".into(),
            ];
            script.extend(order.iter().map(|c| c.to_string()));
            stacksketch::command::run_script(&mut s, &script).unwrap();
            let out = terraform::export(&s);
            assert!(
                out.unwritten.is_empty(),
                "{api} {order:?}: {:?}",
                out.unwritten
            );
            let tf: String = out.files.values().cloned().collect();
            assert_eq!(
                tf.matches("access_log_settings {").count(),
                1,
                "{api} {order:?}\n{tf}"
            );
            let stages = tf.matches("resource \"aws_apigatewayv2_stage\"").count()
                + tf.matches("resource \"aws_api_gateway_stage\"").count();
            assert_eq!(stages, 1, "{tf}");
            let back = terraform::import(&out.files, "t").unwrap();
            let e = edges(&back);
            assert!(
                e.iter().any(|(a, b, k)| a.ends_with(".api")
                    && b == "aws_cloudwatch_log_group.access"
                    && k == "log"),
                "{api} {order:?}: {e:?}"
            );
        }
    }
}
