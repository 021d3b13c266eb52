//! One sketch, both languages: SAM templates translated to Terraform keep
//! their service graph (kinds of boxes, kinds of arrows between them).

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use common::{Shape, corpus, files_under, shape, shape_diff, validate_tf, write_folder};
use stacksketch::formats::{sam, terraform};
use stacksketch::model::Sketch;

struct Outcome {
    total: usize,
    same: usize,
    kinds: BTreeMap<String, usize>,
    examples: BTreeMap<String, String>,
    folders: Vec<(PathBuf, BTreeMap<String, String>)>,
}

fn translate_all(paths: &[PathBuf]) -> Outcome {
    let mut o = Outcome {
        total: 0,
        same: 0,
        kinds: BTreeMap::new(),
        examples: BTreeMap::new(),
        folders: Vec::new(),
    };
    for p in paths {
        let Ok(text) = std::fs::read_to_string(p) else {
            continue;
        };
        let name = p.file_name().unwrap().to_string_lossy().to_string();
        let Ok(sketch) = sam::import(&name, &text) else {
            continue;
        };
        o.total += 1;
        let out = terraform::export(&sketch);
        let back = match terraform::import(&out.files, "translated") {
            Ok(b) => b,
            Err(e) => {
                *o.kinds.entry("does not re-import".into()).or_insert(0) += 1;
                o.examples
                    .entry("does not re-import".into())
                    .or_insert_with(|| format!("{}: {e}", p.display()));
                continue;
            }
        };
        let (want, got): (Shape, Shape) = (shape(&sketch), shape(&back));
        if want == got {
            o.same += 1;
        } else {
            let mut seen = Vec::new();
            if std::env::var_os("SHAPE_LIST").is_some() {
                println!("{}: {:?}", p.display(), shape_diff(&want, &got));
            }
            for d in shape_diff(&want, &got) {
                if !seen.contains(&d) {
                    *o.kinds.entry(d.clone()).or_insert(0) += 1;
                    o.examples
                        .entry(d.clone())
                        .or_insert_with(|| p.display().to_string());
                    seen.push(d);
                }
            }
        }
        o.folders.push((p.clone(), out.files));
    }
    o
}

fn report(label: &str, o: &Outcome) {
    println!(
        "{label}: {} SAM templates translated, {} keep their service graph ({:.1}%)",
        o.total,
        o.same,
        100.0 * o.same as f64 / o.total.max(1) as f64
    );
    let mut kinds: Vec<(&String, &usize)> = o.kinds.iter().collect();
    kinds.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
    for (k, n) in kinds.iter().take(40) {
        println!("  {n:4}  {k}   e.g. {}", o.examples[*k]);
    }
}

fn sam_templates() -> Option<Vec<PathBuf>> {
    let root = corpus()?;
    let mut v = Vec::new();
    files_under(&root, &[".yaml", ".yml", ".json", ".template"], &mut v);
    Some(v)
}

#[test]
fn examples_keep_their_shape() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples");
    let mut paths = Vec::new();
    files_under(&dir, &["template.yaml"], &mut paths);
    assert!(paths.len() >= 3);
    let o = translate_all(&paths);
    report("examples", &o);
    assert_eq!(o.same, o.total, "{:?}", o.kinds);
}

/// SAM's rule and schedule events: the resources a pattern names feed the
/// rule, the dead-letter queue is written on the target, and delivery
/// settings go with the target, not the rule.
#[test]
fn rule_and_schedule_events_keep_patterns_and_dead_letters() {
    let text = "AWSTemplateFormatVersion: '2010-09-09'
Transform: AWS::Serverless-2016-10-31
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Handler: a.b
      Runtime: python3.13
      CodeUri: .
      Events:
        Nightly:
          Type: Schedule
          Properties:
            Schedule: rate(1 day)
            Enabled: false
            DeadLetterConfig: {Arn: !GetAtt Dlq.Arn}
        Hourly:
          Type: ScheduleV2
          Properties:
            ScheduleExpression: rate(1 hour)
            DeadLetterConfig: {Arn: !GetAtt Dlq.Arn}
        Weekly:
          Type: Schedule
          Properties:
            Schedule: rate(7 days)
            Enabled: 'true'
        OnUpload:
          Type: EventBridgeRule
          Properties:
            Pattern:
              source: [aws.s3]
              detail: {bucket: {name: [!Ref Bucket]}}
            RetryPolicy: {MaximumRetryAttempts: 3}
            DeadLetterConfig: {Arn: !GetAtt Dlq.Arn}
  Dlq:
    Type: AWS::SQS::Queue
  Bucket:
    Type: AWS::S3::Bucket
";
    let sketch = sam::import("template.yaml", text).unwrap();
    let out = terraform::export(&sketch);
    assert!(out.unwritten.is_empty(), "{:?}", out.unwritten);
    let main = &out.files["main.tf"];
    // `key = value` in any alignment.
    let says = |key: &str, value: &str| {
        main.lines().any(|l| {
            l.split_once('=')
                .is_some_and(|(k, v)| k.trim() == key && v.trim() == value)
        })
    };
    for (key, value) in [
        ("schedule_expression", "\"rate(1 day)\""),
        ("state", "\"DISABLED\""),
        ("state", "\"ENABLED\""),
        ("maximum_retry_attempts", "3"),
    ] {
        assert!(says(key, value), "{key} = {value}:\n{main}");
    }
    assert!(!main.contains("pattern = {"), "{main}");
    let back = terraform::import(&out.files, "translated").unwrap();
    let (want, got) = (shape(&sketch), shape(&back));
    assert_eq!(want, got, "{:?}", shape_diff(&want, &got));
    for (from, to, kind) in [
        ("bucket", "rule", "trigger"),
        ("rule", "queue", "write"),
        ("schedule", "queue", "write"),
    ] {
        let e = (from.to_string(), to.to_string(), kind.to_string());
        assert!(got.edges.contains(&e), "{e:?}: {:?}", got.edges);
    }
}

/// A function reading a stream through a dedicated (enhanced fan-out)
/// consumer gets its event source mapping from the consumer.
#[test]
fn a_stream_consumer_triggers_through_an_event_source_mapping() {
    let text = "AWSTemplateFormatVersion: '2010-09-09'
Transform: AWS::Serverless-2016-10-31
Resources:
  Stream:
    Type: AWS::Kinesis::Stream
    Properties: {ShardCount: 1}
  Consumer:
    Type: AWS::Kinesis::StreamConsumer
    Properties:
      StreamARN: !GetAtt Stream.Arn
      ConsumerName: app
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Handler: a.b
      Runtime: python3.13
      CodeUri: .
      Events:
        Read:
          Type: Kinesis
          Properties:
            Stream: !GetAtt Consumer.ConsumerARN
            StartingPosition: LATEST
";
    let sketch = sam::import("template.yaml", text).unwrap();
    let out = terraform::export(&sketch);
    assert!(out.unwritten.is_empty(), "{:?}", out.unwritten);
    assert!(
        out.files["main.tf"].lines().any(|l| {
            l.trim_start().starts_with("event_source_arn")
                && l.ends_with("= aws_kinesis_stream_consumer.consumer.arn")
        }),
        "{}",
        out.files["main.tf"]
    );
    let back = terraform::import(&out.files, "translated").unwrap();
    let (want, got) = (shape(&sketch), shape(&back));
    assert_eq!(want, got, "{:?}", shape_diff(&want, &got));
}

/// A fixed sample of the corpus (every 15th template), fast enough to run
/// every time.
#[test]
fn a_corpus_sample_keeps_its_shape() {
    let Some(all) = sam_templates() else { return };
    let sample: Vec<PathBuf> = all.into_iter().step_by(15).collect();
    let o = translate_all(&sample);
    report("corpus sample", &o);
    assert!(o.total > 10);
    assert!(o.same * 100 >= o.total * 85, "{:?}", o.kinds);
}

/// Every corpus template, translated and read back. Takes about a minute
/// in a debug build: run with
/// `cargo test --test terraform_translate -- --ignored --nocapture`.
#[test]
#[ignore]
fn every_corpus_template_keeps_its_shape() {
    let Some(all) = sam_templates() else { return };
    let o = translate_all(&all);
    report("corpus", &o);
    assert!(o.same * 100 >= o.total * 95);
}

/// Every translation passes `validate-tf`. Slow (the validator starts
/// Terraform and Python for each folder); run on demand like the above.
#[test]
#[ignore]
fn every_corpus_translation_passes_validate_tf() {
    let Some(all) = sam_templates() else { return };
    let o = translate_all(&all);
    let tmp = tempfile::tempdir().unwrap();
    let mut dirs = Vec::new();
    for (i, (_, files)) in o.folders.iter().enumerate() {
        let d = tmp.path().join(format!("t{i:04}"));
        write_folder(&d, files);
        dirs.push(d);
    }
    let mut invalid = Vec::new();
    for (chunk_i, chunk) in dirs.chunks(50).enumerate() {
        match validate_tf(chunk) {
            None => return,
            Some(Ok(())) => {}
            Some(Err(_)) => {
                for (j, d) in chunk.iter().enumerate() {
                    if let Some(Err(e)) = validate_tf(std::slice::from_ref(d)) {
                        let first = e
                            .lines()
                            .find(|l| !l.trim().is_empty())
                            .unwrap_or("")
                            .to_string();
                        invalid.push(format!(
                            "{}: {first}",
                            o.folders[chunk_i * 50 + j].0.display()
                        ));
                    }
                }
            }
        }
    }
    println!(
        "validate-tf: {} of {} translated folders pass",
        dirs.len() - invalid.len(),
        dirs.len()
    );
    for i in &invalid {
        println!("  invalid: {i}");
    }
    assert!(invalid.is_empty());
}

/// A SAM template translated to Terraform and read back.
struct RoundTrip {
    sketch: stacksketch::model::Sketch,
    /// Every file written, one after another.
    tf: String,
    warnings: Vec<String>,
    back: stacksketch::model::Sketch,
}

/// Whether a line of Terraform text sets `arg` to a value holding `value`.
fn sets(tf: &str, arg: &str, value: &str) -> bool {
    tf.lines().any(|l| {
        l.trim_start()
            .strip_prefix(arg)
            .is_some_and(|rest| rest.trim_start().starts_with('=') && rest.contains(value))
    })
}

fn round_trip(text: &str) -> RoundTrip {
    let sketch = sam::import("template.yaml", text).unwrap();
    let out = terraform::export(&sketch);
    let tf: String = out.files.values().cloned().collect();
    let back = terraform::import(&out.files, "translated").unwrap_or_else(|e| panic!("{e}\n{tf}"));
    RoundTrip {
        sketch,
        tf,
        warnings: out.warnings,
        back,
    }
}

/// A GraphQL schema and a function version have no Terraform resource of
/// their own: they are arguments of the API and of the function, and the
/// picture stays the same.
#[test]
fn schemas_and_versions_are_arguments_of_what_they_belong_to() {
    let text = "\
AWSTemplateFormatVersion: '2010-09-09'
Transform: AWS::Serverless-2016-10-31
Resources:
  Api:
    Type: AWS::AppSync::GraphQLApi
    Properties:
      Name: Notes
      AuthenticationType: API_KEY
  Schema:
    Type: AWS::AppSync::GraphQLSchema
    Properties:
      ApiId: !GetAtt Api.ApiId
      Definition: |
        type Query { note(id: ID!): String }
  Fn:
    Type: AWS::Lambda::Function
    Properties:
      Runtime: python3.13
      Handler: app.handler
      Role: arn:aws:iam::123456789012:role/fn
      Code:
        ZipFile: \"def handler(e, c): return e\"
  Version:
    Type: AWS::Lambda::Version
    Properties:
      FunctionName: !Ref Fn
";
    let RoundTrip {
        sketch, tf, back, ..
    } = round_trip(text);
    assert!(!tf.contains("placeholder"), "{tf}");
    assert!(sets(&tf, "schema", "\"type Query"), "{tf}");
    assert!(sets(&tf, "publish", "true"), "{tf}");
    assert_eq!(shape(&sketch), shape(&back), "{tf}");
}

/// A load balancer that routes to a function through a target group and
/// signs users in with a user pool keeps both arrows in Terraform: the
/// targets are attachments of their own and the listener's actions blocks.
#[test]
fn a_load_balancer_keeps_its_targets_and_its_sign_in() {
    let text = "\
AWSTemplateFormatVersion: '2010-09-09'
Resources:
  Pool:
    Type: AWS::Cognito::UserPool
  Client:
    Type: AWS::Cognito::UserPoolClient
    Properties:
      UserPoolId: !Ref Pool
  Domain:
    Type: AWS::Cognito::UserPoolDomain
    Properties:
      UserPoolId: !Ref Pool
      Domain: sketch-sign-in
  Fn:
    Type: AWS::Lambda::Function
    Properties:
      Runtime: python3.13
      Handler: app.handler
      Role: arn:aws:iam::123456789012:role/fn
      Code:
        ZipFile: \"def handler(e, c): return e\"
  Balancer:
    Type: AWS::ElasticLoadBalancingV2::LoadBalancer
    Properties:
      Subnets: [subnet-1, subnet-2]
  Targets:
    Type: AWS::ElasticLoadBalancingV2::TargetGroup
    Properties:
      TargetType: lambda
      Targets:
        - Id: !GetAtt Fn.Arn
  Listener:
    Type: AWS::ElasticLoadBalancingV2::Listener
    Properties:
      LoadBalancerArn: !Ref Balancer
      Port: 443
      Protocol: HTTPS
      DefaultActions:
        - Type: authenticate-cognito
          Order: 1
          AuthenticateCognitoConfig:
            UserPoolArn: !GetAtt Pool.Arn
            UserPoolClientId: !Ref Client
            UserPoolDomain: !Ref Domain
        - Type: forward
          Order: 2
          TargetGroupArn: !Ref Targets
";
    let RoundTrip {
        sketch, tf, back, ..
    } = round_trip(text);
    assert!(
        tf.contains("resource \"aws_lb_target_group_attachment\""),
        "{tf}"
    );
    assert!(tf.contains("  default_action {"), "{tf}");
    assert!(tf.contains("    authenticate_cognito {"), "{tf}");
    assert_eq!(shape(&sketch), shape(&back), "{tf}");
    assert!(
        shape(&back)
            .edges
            .contains(&("loadbalancer".into(), "function".into(), "route".into())),
        "{tf}"
    );
}

/// A CloudFormation policy for several roles, or a queue policy for several
/// queues, is one Terraform resource per role or queue: none is left out.
#[test]
fn a_policy_for_several_roles_or_queues_reaches_every_one() {
    let role = |name: &str| {
        format!(
            "  {name}:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Statement:
          - Effect: Allow
            Principal: {{ Service: lambda.amazonaws.com }}
            Action: sts:AssumeRole
"
        )
    };
    let function = |name: &str, role: &str| {
        format!(
            "  {name}:
    Type: AWS::Lambda::Function
    Properties:
      Runtime: python3.13
      Handler: app.handler
      Role: !GetAtt {role}.Arn
      Code:
        ZipFile: \"def handler(e, c): return e\"
"
        )
    };
    let text = format!(
        "AWSTemplateFormatVersion: '2010-09-09'
Resources:
  Orders:
    Type: AWS::DynamoDB::Table
    Properties:
      BillingMode: PAY_PER_REQUEST
      AttributeDefinitions: [{{AttributeName: id, AttributeType: S}}]
      KeySchema: [{{AttributeName: id, KeyType: HASH}}]
  First:
    Type: AWS::SQS::Queue
  Second:
    Type: AWS::SQS::Queue
  Bus:
    Type: AWS::SNS::Topic
  Delivery:
    Type: AWS::SQS::QueuePolicy
    Properties:
      Queues: [!Ref First, !Ref Second]
      PolicyDocument:
        Statement:
          - Effect: Allow
            Principal: {{ Service: sns.amazonaws.com }}
            Action: sqs:SendMessage
            Resource: '*'
            Condition:
              ArnEquals:
                aws:SourceArn: !Ref Bus
{}{}{}{}  Read:
    Type: AWS::IAM::Policy
    Properties:
      PolicyName: read
      Roles: [!Ref ReaderRole, !Ref WriterRole]
      PolicyDocument:
        Statement:
          - Effect: Allow
            Action: [dynamodb:GetItem, dynamodb:Query]
            Resource: !GetAtt Orders.Arn
",
        role("ReaderRole"),
        role("WriterRole"),
        function("Reader", "ReaderRole"),
        function("Writer", "WriterRole"),
    );
    let RoundTrip {
        sketch, tf, back, ..
    } = round_trip(&text);
    assert_eq!(
        tf.matches("resource \"aws_iam_role_policy\"").count(),
        2,
        "{tf}"
    );
    assert_eq!(
        tf.matches("resource \"aws_sqs_queue_policy\"").count(),
        2,
        "{tf}"
    );
    assert_eq!(shape(&sketch), shape(&back), "{tf}");
    let reads = shape(&back)
        .edges
        .iter()
        .filter(|e| **e == ("function".into(), "table".into(), "read".into()))
        .count();
    assert_eq!(reads, 2, "{tf}");
}

/// A pipe keeps how it reads its source, what it hands its target and
/// where it logs: blocks of their own in Terraform.
#[test]
fn a_pipe_keeps_its_source_target_and_log_settings() {
    let text = "\
AWSTemplateFormatVersion: '2010-09-09'
Resources:
  Jobs:
    Type: AWS::SQS::Queue
  Bus:
    Type: AWS::Events::EventBus
    Properties:
      Name: jobs
  PipeLogs:
    Type: AWS::Logs::LogGroup
  PipeRole:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Statement:
          - Effect: Allow
            Principal: { Service: pipes.amazonaws.com }
            Action: sts:AssumeRole
  Pipe:
    Type: AWS::Pipes::Pipe
    Properties:
      RoleArn: !GetAtt PipeRole.Arn
      Source: !GetAtt Jobs.Arn
      Target: !GetAtt Bus.Arn
      SourceParameters:
        SqsQueueParameters:
          BatchSize: 5
        FilterCriteria:
          Filters:
            - Pattern: '{\"body\": {\"kind\": [\"order\"]}}'
      TargetParameters:
        EventBridgeEventBusParameters:
          DetailType: JobQueued
          Source: jobs
      LogConfiguration:
        Level: ERROR
        CloudwatchLogsLogDestination:
          LogGroupArn: !GetAtt PipeLogs.Arn
";
    let RoundTrip {
        sketch,
        tf,
        warnings,
        back,
    } = round_trip(text);
    let left_out: Vec<&String> = warnings.iter().filter(|w| w.contains("left out")).collect();
    assert!(left_out.is_empty(), "{left_out:?}");
    for block in [
        "source_parameters {",
        "sqs_queue_parameters {",
        "filter {",
        "eventbridge_event_bus_parameters {",
        "cloudwatch_logs_log_destination {",
    ] {
        assert!(tf.contains(block), "no {block}\n{tf}");
    }
    assert_eq!(shape(&sketch), shape(&back), "{tf}");
}

/// A log group's subscription filter is Terraform's own resource, named
/// even where CloudFormation names it itself.
#[test]
fn a_subscription_filter_is_terraforms_own_resource() {
    let text = "\
AWSTemplateFormatVersion: '2010-09-09'
Transform: AWS::Serverless-2016-10-31
Resources:
  Source:
    Type: AWS::Logs::LogGroup
  Reader:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.13
      Handler: app.handler
      InlineCode: \"def handler(e, c): return e\"
  Filter:
    Type: AWS::Logs::SubscriptionFilter
    Properties:
      LogGroupName: !Ref Source
      FilterPattern: ERROR
      DestinationArn: !GetAtt Reader.Arn
";
    let RoundTrip {
        sketch, tf, back, ..
    } = round_trip(text);
    assert!(
        tf.contains("resource \"aws_cloudwatch_log_subscription_filter\" \"filter\""),
        "{tf}"
    );
    assert!(!tf.contains("awscc_"), "{tf}");
    assert!(sets(&tf, "name", "\"filter\""), "{tf}");
    assert_eq!(shape(&sketch), shape(&back), "{tf}");
}

/// An IoT topic rule keeps its SQL and its actions both ways: blocks in
/// Terraform (a DynamoDB v2 action's `put_item` too), objects under
/// `TopicRulePayload` in CloudFormation.
#[test]
fn an_iot_rule_keeps_its_actions_both_ways() {
    let text = "\
AWSTemplateFormatVersion: '2010-09-09'
Resources:
  Readings:
    Type: AWS::DynamoDB::Table
    Properties:
      BillingMode: PAY_PER_REQUEST
      AttributeDefinitions: [{AttributeName: id, AttributeType: S}]
      KeySchema: [{AttributeName: id, KeyType: HASH}]
  RuleRole:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Statement:
          - Effect: Allow
            Principal: { Service: iot.amazonaws.com }
            Action: sts:AssumeRole
  Store:
    Type: AWS::IoT::TopicRule
    Properties:
      TopicRulePayload:
        Sql: SELECT * FROM 'sensors/+'
        AwsIotSqlVersion: '2016-03-23'
        RuleDisabled: false
        Actions:
          - DynamoDBv2:
              RoleArn: !GetAtt RuleRole.Arn
              PutItem:
                TableName: !Ref Readings
";
    let RoundTrip {
        sketch, tf, back, ..
    } = round_trip(text);
    for block in [
        "resource \"aws_iot_topic_rule\"",
        "  dynamodbv2 {",
        "    put_item {",
    ] {
        assert!(tf.contains(block), "no {block}\n{tf}");
    }
    assert_eq!(shape(&sketch), shape(&back), "{tf}");

    let out = sam::export(&back);
    let doc = sam::parse_document("template.yaml", out.text()).unwrap();
    let rule = doc["Resources"]
        .as_object()
        .unwrap()
        .values()
        .find(|r| r["Type"] == "AWS::IoT::TopicRule")
        .unwrap_or_else(|| panic!("{}", out.text()));
    let payload = &rule["Properties"]["TopicRulePayload"];
    assert_eq!(
        payload["Sql"],
        "SELECT * FROM 'sensors/+'",
        "{}",
        out.text()
    );
    assert!(
        payload["Actions"][0]["DynamoDBv2"]["PutItem"]["TableName"].is_object(),
        "{}",
        out.text()
    );
}

/// `AutoPublishAlias` is a published version and an alias on it in
/// Terraform, and `Fn.Alias` names that alias.
#[test]
fn an_auto_published_alias_is_an_alias_resource() {
    let text = "\
AWSTemplateFormatVersion: '2010-09-09'
Transform: AWS::Serverless-2016-10-31
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.13
      Handler: app.handler
      CodeUri: src/
      AutoPublishAlias: live
  Schedule:
    Type: AWS::Scheduler::Schedule
    Properties:
      ScheduleExpression: rate(1 hour)
      FlexibleTimeWindow:
        Mode: 'OFF'
      Target:
        Arn: !Ref Fn.Alias
        RoleArn: arn:aws:iam::123456789012:role/scheduler
";
    let RoundTrip { tf, warnings, .. } = round_trip(text);
    assert!(sets(&tf, "publish", "true"), "{tf}");
    assert!(tf.contains("resource \"aws_lambda_alias\" \"fn\""), "{tf}");
    assert!(
        sets(&tf, "function_version", "aws_lambda_function.fn.version"),
        "{tf}"
    );
    assert!(sets(&tf, "name", "\"live\""), "{tf}");
    assert!(sets(&tf, "arn", "aws_lambda_alias.fn.arn"), "{tf}");
    assert!(!tf.contains("var.fn_alias"), "{tf}");
    assert!(
        !warnings.iter().any(|w| w.contains("AutoPublishAlias")),
        "{warnings:?}"
    );
}

/// SAM's custom domain on an API is Terraform's domain name, a mapping of
/// the stage, and the DNS alias; the domain and its record are the API's
/// at the service level, so the graph is the same.
#[test]
fn an_api_custom_domain_is_written_and_folds_into_the_api() {
    let text = "\
AWSTemplateFormatVersion: '2010-09-09'
Transform: AWS::Serverless-2016-10-31
Parameters:
  Zone:
    Type: String
Resources:
  Cert:
    Type: AWS::CertificateManager::Certificate
    Properties:
      DomainName: api.example.com
      ValidationMethod: DNS
  Api:
    Type: AWS::Serverless::Api
    Properties:
      StageName: prod
      Domain:
        DomainName: api.example.com
        CertificateArn: !Ref Cert
        EndpointConfiguration: REGIONAL
        BasePath: [/v1]
        Route53:
          HostedZoneId: !Ref Zone
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.13
      Handler: app.handler
      CodeUri: src/
      Events:
        Get:
          Type: Api
          Properties:
            RestApiId: !Ref Api
            Path: /
            Method: get
";
    let RoundTrip {
        sketch,
        tf,
        back,
        warnings,
    } = round_trip(text);
    assert!(
        tf.contains("resource \"aws_api_gateway_domain_name\" \"api\""),
        "{tf}"
    );
    assert!(
        sets(&tf, "regional_certificate_arn", "aws_acm_certificate.cert."),
        "{tf}"
    );
    assert!(
        sets(&tf, "stage_name", "aws_api_gateway_stage.api.stage_name"),
        "{tf}"
    );
    assert!(sets(&tf, "base_path", "\"v1\""), "{tf}");
    assert!(
        sets(
            &tf,
            "zone_id",
            "aws_api_gateway_domain_name.api.regional_zone_id"
        ),
        "{tf}"
    );
    assert!(
        !warnings.iter().any(|w| w.contains("Domain")),
        "{warnings:?}"
    );
    assert_eq!(shape(&sketch), shape(&back), "{tf}");
}

/// A private API keeps the VPC endpoints it is reached through.
#[test]
fn a_private_api_keeps_its_vpc_endpoints() {
    let text = "\
AWSTemplateFormatVersion: '2010-09-09'
Transform: AWS::Serverless-2016-10-31
Resources:
  Endpoint:
    Type: AWS::EC2::VPCEndpoint
    Properties:
      VpcId: vpc-1
      ServiceName: !Sub com.amazonaws.${AWS::Region}.execute-api
      VpcEndpointType: Interface
  Api:
    Type: AWS::Serverless::Api
    Properties:
      StageName: prod
      EndpointConfiguration:
        Type: PRIVATE
        VpcEndpointIds: [!Ref Endpoint]
";
    let RoundTrip {
        sketch, tf, back, ..
    } = round_trip(text);
    assert!(
        sets(&tf, "vpc_endpoint_ids", "aws_vpc_endpoint.endpoint.id"),
        "{tf}"
    );
    assert_eq!(shape(&sketch), shape(&back), "{tf}");
}

/// A route through a NAT instance goes through its network interface in
/// Terraform (the provider has no `instance_id` on a route any more), and
/// the route stays the instance's.
#[test]
fn a_route_through_an_instance_names_its_interface() {
    let text = "\
AWSTemplateFormatVersion: '2010-09-09'
Parameters:
  Table:
    Type: String
Resources:
  Nat:
    Type: AWS::EC2::Instance
    Properties:
      ImageId: ami-12345678
      InstanceType: t3.micro
  Route:
    Type: AWS::EC2::Route
    Properties:
      RouteTableId: !Ref Table
      DestinationCidrBlock: 0.0.0.0/0
      InstanceId: !Ref Nat
";
    let RoundTrip {
        sketch, tf, back, ..
    } = round_trip(text);
    assert!(
        sets(
            &tf,
            "network_interface_id",
            "aws_instance.nat.primary_network_interface_id"
        ),
        "{tf}"
    );
    assert_eq!(shape(&sketch), shape(&back), "{tf}");
}

/// A queue consumer told its own queue's URL (to change a message's
/// visibility, say) polls it: no write arrow in either language.
#[test]
fn a_consumer_naming_its_own_queue_does_not_write_to_it() {
    let text = "\
AWSTemplateFormatVersion: '2010-09-09'
Transform: AWS::Serverless-2016-10-31
Resources:
  Jobs:
    Type: AWS::SQS::Queue
  Worker:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.13
      Handler: app.handler
      CodeUri: src/
      Policies:
        - SQSPollerPolicy:
            QueueName: !GetAtt Jobs.QueueName
      Environment:
        Variables:
          QUEUE_URL: !Ref Jobs
      Events:
        Poll:
          Type: SQS
          Properties:
            Queue: !GetAtt Jobs.Arn
";
    let RoundTrip {
        sketch, tf, back, ..
    } = round_trip(text);
    let want: Shape = shape(&sketch);
    assert!(
        !want
            .edges
            .iter()
            .any(|(a, b, _)| a == "function" && b == "queue"),
        "{want:?}"
    );
    assert_eq!(want, shape(&back), "{tf}");
}

fn has_edge(s: &Shape, from: &str, to: &str, kind: &str) -> bool {
    s.edges
        .iter()
        .any(|(a, b, k)| a == from && b == to && k == kind)
}

/// A log group named `/aws/lambda/` and the function's name, both made
/// from the same parameter, is where the function logs, in both readers.
#[test]
fn a_log_group_named_from_the_same_parameter_is_the_functions() {
    let text = "\
AWSTemplateFormatVersion: '2010-09-09'
Transform: AWS::Serverless-2016-10-31
Parameters:
  Env:
    Type: String
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      FunctionName: !Sub '${Env}-agent'
      Runtime: python3.13
      Handler: app.handler
      CodeUri: src/
  Logs:
    Type: AWS::Logs::LogGroup
    Properties:
      LogGroupName: !Sub '/aws/lambda/${Env}-agent'
      RetentionInDays: 14
";
    let RoundTrip {
        sketch, tf, back, ..
    } = round_trip(text);
    let want = shape(&sketch);
    assert!(has_edge(&want, "function", "loggroup", "log"), "{want:?}");
    assert_eq!(want, shape(&back), "{tf}");
}

/// A role a function may pass to a task it starts (`iam:PassRole`) is not
/// the role the function runs as: what that role grants is the task's.
#[test]
fn a_role_passed_on_is_not_the_functions_own() {
    let text = "\
AWSTemplateFormatVersion: '2010-09-09'
Transform: AWS::Serverless-2016-10-31
Resources:
  Logs:
    Type: AWS::Logs::LogGroup
  TaskRole:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Statement:
          - Effect: Allow
            Principal: { Service: ecs-tasks.amazonaws.com }
            Action: sts:AssumeRole
      Policies:
        - PolicyName: logs
          PolicyDocument:
            Statement:
              - Effect: Allow
                Action: [logs:CreateLogStream, logs:PutLogEvents]
                Resource: !GetAtt Logs.Arn
  Task:
    Type: AWS::ECS::TaskDefinition
    Properties:
      ExecutionRoleArn: !GetAtt TaskRole.Arn
      ContainerDefinitions:
        - Name: worker
          Image: public.ecr.aws/docker/library/python:3.12-alpine
          LogConfiguration:
            LogDriver: awslogs
            Options:
              awslogs-group: !Ref Logs
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.13
      Handler: app.handler
      CodeUri: src/
      Environment:
        Variables:
          TASK: !Ref Task
      Policies:
        - Statement:
            - Effect: Allow
              Action: iam:PassRole
              Resource: !GetAtt TaskRole.Arn
";
    let RoundTrip {
        sketch, tf, back, ..
    } = round_trip(text);
    let want = shape(&sketch);
    assert!(!has_edge(&want, "function", "loggroup", "log"), "{want:?}");
    assert_eq!(want, shape(&back), "{tf}");
}

/// A role named as a principal in an OpenSearch Serverless access policy
/// is let in there; the policy does not run as it, in either reader.
#[test]
fn a_principal_in_an_access_policy_is_not_its_identity() {
    let text = "\
AWSTemplateFormatVersion: '2010-09-09'
Transform: AWS::Serverless-2016-10-31
Resources:
  Bucket:
    Type: AWS::S3::Bucket
  Role:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Statement:
          - Effect: Allow
            Principal: { Service: lambda.amazonaws.com }
            Action: sts:AssumeRole
      Policies:
        - PolicyName: read
          PolicyDocument:
            Statement:
              - Effect: Allow
                Action: [s3:GetObject]
                Resource: !Sub '${Bucket.Arn}/*'
  Fn:
    Type: AWS::Lambda::Function
    Properties:
      Runtime: python3.13
      Handler: app.handler
      Role: !GetAtt Role.Arn
      Code:
        ZipFile: \"def handler(e, c): return e\"
  Access:
    Type: AWS::OpenSearchServerless::AccessPolicy
    Properties:
      Name: access
      Type: data
      Policy: !Sub '[{\"Rules\":[],\"Principal\":[\"${Role.Arn}\"]}]'
";
    let RoundTrip {
        sketch, tf, back, ..
    } = round_trip(text);
    let want = shape(&sketch);
    assert!(has_edge(&want, "function", "bucket", "read"), "{want:?}");
    assert!(!has_edge(&want, "generic", "bucket", "read"), "{want:?}");
    assert_eq!(want, shape(&back), "{tf}");
}

fn tf_to_sam(tf: &str) -> (Sketch, stacksketch::formats::Output, Sketch) {
    let files: BTreeMap<String, String> = [("main.tf".to_string(), tf.to_string())].into();
    let sketch = terraform::import(&files, "t").unwrap_or_else(|e| panic!("{e}\n{tf}"));
    let out = sam::export(&sketch);
    let back =
        sam::import("template.yaml", out.text()).unwrap_or_else(|e| panic!("{e}\n{}", out.text()));
    (sketch, out, back)
}

/// A pipe says its source and target in its own arguments; the role it
/// reads and writes with is glue SAM does not write, so the arrows go over
/// with the pipe (its role a parameter, said so) instead of refusing the
/// folder. A filter pattern is JSON text in CloudFormation.
#[test]
fn a_pipe_translates_with_its_arrows_and_says_its_role_is_a_parameter() {
    let tf = r#"
resource "aws_sqs_queue" "source" {
  name = "source"
}
resource "aws_cloudwatch_event_bus" "target" {
  name = "target"
}
resource "aws_iam_role" "pipe" {
  name = "pipe"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Principal = { Service = "pipes.amazonaws.com" } }]
  })
}
resource "aws_iam_role_policy" "pipe" {
  role = aws_iam_role.pipe.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      { Effect = "Allow", Action = ["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes"], Resource = aws_sqs_queue.source.arn },
      { Effect = "Allow", Action = ["events:PutEvents"], Resource = aws_cloudwatch_event_bus.target.arn },
    ]
  })
}
resource "aws_pipes_pipe" "pipe" {
  name     = "pipe"
  role_arn = aws_iam_role.pipe.arn
  source   = aws_sqs_queue.source.arn
  target   = aws_cloudwatch_event_bus.target.arn
  source_parameters {
    filter_criteria {
      filter {
        pattern = jsonencode({ body = { type = ["NEW"] } })
      }
    }
  }
}
"#;
    let (sketch, out, back) = tf_to_sam(tf);
    assert!(out.unwritten.is_empty(), "{:?}", out.unwritten);
    assert!(
        out.warnings
            .iter()
            .any(|w| w.contains("role") && w.contains("parameter")),
        "{:?}",
        out.warnings
    );
    let text = out.text();
    let doc = sam::parse_document("template.yaml", text).unwrap();
    let pattern = &doc["Resources"]["Pipe"]["Properties"]["SourceParameters"]["FilterCriteria"]["Filters"]
        [0]["Pattern"];
    assert!(pattern.is_string(), "{text}");
    assert_eq!(shape(&sketch), shape(&back), "{text}");
}

/// A state machine whose definition is read from a file is SAM's
/// `DefinitionUri`, with no placeholder definition beside it.
#[test]
fn a_definition_from_a_file_is_a_definition_uri() {
    let tf = r#"
resource "aws_iam_role" "flow" {
  name = "flow"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Principal = { Service = "states.amazonaws.com" } }]
  })
}
resource "aws_sfn_state_machine" "flow" {
  name       = "flow"
  role_arn   = aws_iam_role.flow.arn
  definition = file("workflow/flow.asl.json")
}
output "flow_name" {
  value = aws_sfn_state_machine.flow.name
}
"#;
    let (_, out, _) = tf_to_sam(tf);
    let doc = sam::parse_document("template.yaml", out.text()).unwrap();
    let p = &doc["Resources"]["Flow"]["Properties"];
    assert_eq!(
        p["DefinitionUri"],
        "workflow/flow.asl.json",
        "{}",
        out.text()
    );
    assert!(p.get("Definition").is_none(), "{}", out.text());
}

/// An attribute that is what `Ref` gives (a schedule's name) is written as
/// `Ref`, not as an attribute the type does not have.
#[test]
fn a_schedules_name_is_its_ref() {
    let tf = r#"
resource "aws_scheduler_schedule_group" "jobs" {
  name = "jobs"
}
output "group" {
  value = aws_scheduler_schedule_group.jobs.name
}
"#;
    let (_, out, _) = tf_to_sam(tf);
    let doc = sam::parse_document("template.yaml", out.text()).unwrap();
    assert_eq!(
        doc["Outputs"]["Group"]["Value"]["Ref"],
        "Jobs",
        "{}",
        out.text()
    );
}

/// A Terraform stage's access logs go on the SAM API with their own line
/// format, as JSON text.
#[test]
fn a_stages_access_logs_keep_their_format_in_sam() {
    let tf = r#"
resource "aws_apigatewayv2_api" "api" {
  name          = "api"
  protocol_type = "HTTP"
}
resource "aws_cloudwatch_log_group" "access" {
  name = "/aws/api/access"
}
resource "aws_apigatewayv2_stage" "default" {
  api_id      = aws_apigatewayv2_api.api.id
  name        = "$default"
  auto_deploy = true
  access_log_settings {
    destination_arn = aws_cloudwatch_log_group.access.arn
    format          = jsonencode({ requestId = "$context.requestId", route = "$context.routeKey" })
  }
}
"#;
    let (sketch, out, back) = tf_to_sam(tf);
    assert!(out.unwritten.is_empty(), "{:?}", out.unwritten);
    let doc = sam::parse_document("template.yaml", out.text()).unwrap();
    let logs = &doc["Resources"]["Api"]["Properties"]["AccessLogSettings"];
    let format = logs["Format"]
        .as_str()
        .unwrap_or_else(|| panic!("{}", out.text()));
    let line: serde_json::Value = serde_json::from_str(format).unwrap();
    assert_eq!(line["route"], "$context.routeKey", "{format}");
    assert_eq!(shape(&sketch), shape(&back), "{}", out.text());
}
