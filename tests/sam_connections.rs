//! Where SAM/CloudFormation connections come from, one source at a time.

use std::collections::BTreeSet;

use stacksketch::formats;
use stacksketch::model::{Level, View};

fn edges(resources: &str) -> BTreeSet<(String, String, String)> {
    let text = format!(
        "AWSTemplateFormatVersion: '2010-09-09'\nTransform: AWS::Serverless-2016-10-31\nResources:\n{resources}"
    );
    let sketch = formats::read("t.yaml", &text).unwrap_or_else(|e| panic!("{e}\n{text}"));
    service_edges(&sketch)
}

/// A sketch's arrows at the service level.
fn service_edges(s: &stacksketch::model::Sketch) -> BTreeSet<(String, String, String)> {
    View::of(s, Level::Service)
        .edges
        .into_iter()
        .map(|e| (e.from, e.to, e.kind.word().to_string()))
        .collect()
}

fn has(set: &BTreeSet<(String, String, String)>, from: &str, to: &str, kind: &str) -> bool {
    set.contains(&(from.to_string(), to.to_string(), kind.to_string()))
}

const FN: &str = "  Fn:\n    Type: AWS::Serverless::Function\n    Properties:\n      Handler: a.b\n      Runtime: python3.13\n      CodeUri: .\n";

#[test]
fn sam_events_trigger_and_route() {
    let e = edges(&format!(
        "{FN}      Events:
        Q: {{Type: SQS, Properties: {{Queue: !GetAtt Queue.Arn}}}}
        S: {{Type: S3, Properties: {{Bucket: !Ref Bucket, Events: 's3:ObjectCreated:*'}}}}
        T: {{Type: SNS, Properties: {{Topic: !Ref Topic}}}}
        D: {{Type: DynamoDB, Properties: {{Stream: !GetAtt Table.StreamArn, StartingPosition: LATEST}}}}
        K: {{Type: Kinesis, Properties: {{Stream: !GetAtt Stream.Arn, StartingPosition: LATEST}}}}
        Get: {{Type: Api, Properties: {{Path: /, Method: get}}}}
        Http: {{Type: HttpApi}}
        Nightly: {{Type: Schedule, Properties: {{Schedule: rate(1 day)}}}}
        OnOrder: {{Type: EventBridgeRule, Properties: {{EventBusName: !Ref Bus, Pattern: {{source: [shop]}}}}}}
  Queue: {{Type: AWS::SQS::Queue}}
  Bucket: {{Type: AWS::S3::Bucket}}
  Topic: {{Type: AWS::SNS::Topic}}
  Table: {{Type: AWS::DynamoDB::Table}}
  Stream: {{Type: AWS::Kinesis::Stream}}
  Bus: {{Type: AWS::Events::EventBus, Properties: {{Name: shop}}}}
"
    ));
    for src in [
        "Queue", "Bucket", "Topic", "Table", "Stream", "Nightly", "OnOrder",
    ] {
        assert!(has(&e, src, "Fn", "trigger"), "{src}: {e:?}");
    }
    assert!(has(&e, "ServerlessRestApi", "Fn", "route"), "{e:?}");
    assert!(has(&e, "ServerlessHttpApi", "Fn", "route"), "{e:?}");
    assert!(has(&e, "Bus", "OnOrder", "route"), "{e:?}");
}

#[test]
fn policies_environment_and_connectors() {
    let e = edges(&format!(
        "{FN}      Policies:
        - S3ReadPolicy: {{BucketName: !Ref Bucket}}
        - SQSSendMessagePolicy: {{QueueName: !GetAtt Queue.QueueName}}
        - Statement:
            - Effect: Allow
              Action: [sns:Publish]
              Resource: !Ref Topic
      Environment:
        Variables:
          TABLE: !Ref Table
  Bucket: {{Type: AWS::S3::Bucket}}
  Queue: {{Type: AWS::SQS::Queue}}
  Topic: {{Type: AWS::SNS::Topic}}
  Table: {{Type: AWS::DynamoDB::Table}}
  Flow:
    Type: AWS::Serverless::StateMachine
    Properties:
      DefinitionSubstitutions:
        FnArn: !GetAtt Fn.Arn
      Definition: {{StartAt: A, States: {{A: {{Type: Task, Resource: '${{FnArn}}', End: true}}}}}}
  Link:
    Type: AWS::Serverless::Connector
    Properties:
      Source: {{Id: Fn}}
      Destination: {{Id: Other}}
      Permissions: [Read, Write]
  Other: {{Type: AWS::DynamoDB::Table}}
"
    ));
    assert!(has(&e, "Fn", "Bucket", "read"), "{e:?}");
    assert!(has(&e, "Fn", "Queue", "write"));
    assert!(has(&e, "Fn", "Topic", "publish"));
    assert!(
        has(&e, "Fn", "Table", "write"),
        "an environment variable gives the natural arrow: {e:?}"
    );
    assert!(has(&e, "Flow", "Fn", "invoke"));
    assert!(has(&e, "Fn", "Other", "write"));
    assert!(
        !e.iter().any(|(a, b, _)| a == "Link" || b == "Link"),
        "the connector folds: {e:?}"
    );
}

#[test]
fn rules_targets_dead_letters_and_patterns() {
    let e = edges(
        "  Uploads: {Type: AWS::S3::Bucket}
  Rule:
    Type: AWS::Events::Rule
    Properties:
      EventPattern:
        source: [aws.s3]
        detail: {bucket: {name: [!Ref Uploads]}}
      Targets:
        - Id: t
          Arn: !GetAtt Work.Arn
          DeadLetterConfig: {Arn: !GetAtt Failed.Arn}
  Work: {Type: AWS::SQS::Queue}
  Failed: {Type: AWS::SQS::Queue}
",
    );
    assert!(has(&e, "Uploads", "Rule", "trigger"), "{e:?}");
    assert!(has(&e, "Rule", "Work", "trigger"), "{e:?}");
    assert!(has(&e, "Rule", "Failed", "write"), "{e:?}");
}

#[test]
fn hand_written_arns_name_resources_by_their_names() {
    let e = edges(
        "  Alerts: {Type: AWS::SNS::Topic, Properties: {TopicName: order-alerts}}
  Flow:
    Type: AWS::StepFunctions::StateMachine
    Properties:
      RoleArn: arn:aws:iam::123456789012:role/x
      Definition:
        StartAt: A
        States:
          A:
            Type: Task
            Resource: arn:aws:states:::sns:publish
            Parameters:
              TopicArn: !Sub arn:aws:sns:${AWS::Region}:${AWS::AccountId}:order-alerts
            End: true
",
    );
    assert!(
        e.iter().any(|(a, b, _)| a == "Flow" && b == "Alerts"),
        "{e:?}"
    );
}

#[test]
fn a_policy_parameter_that_names_a_resource_by_its_name() {
    // The talk's template: the policy names the bucket by its BucketName.
    let e = edges(&format!(
        "{FN}      Policies:
        - S3CrudPolicy: {{BucketName: !Sub '${{Prefix}}-files'}}
  Files: {{Type: AWS::S3::Bucket, Properties: {{BucketName: !Sub '${{Prefix}}-files'}}}}
"
    ));
    assert!(has(&e, "Fn", "Files", "write"), "{e:?}");
}

/// An environment variable or definition substitution says "uses" without
/// saying how: it joins what a role's statements drew, as it joins what
/// `Policies` drew, and it may name an implicit API made by any function.
#[test]
fn references_join_what_an_explicit_role_grants() {
    let e = edges(
        "  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Handler: a.b
      Runtime: python3.13
      CodeUri: .
      Role: !GetAtt FnRole.Arn
      Environment:
        Variables:
          TABLE: !Ref Table
  FnRole:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Statement: [{Effect: Allow, Principal: {Service: lambda.amazonaws.com}, Action: sts:AssumeRole}]
      Policies:
        - PolicyName: read
          PolicyDocument:
            Statement: [{Effect: Allow, Action: [dynamodb:GetItem], Resource: !GetAtt Table.Arn}]
  Table: {Type: AWS::DynamoDB::Table}
  Flow:
    Type: AWS::Serverless::StateMachine
    Properties:
      DefinitionUri: flow.asl.json
      DefinitionSubstitutions:
        Endpoint: !Sub '${ServerlessRestApi}.execute-api.${AWS::Region}.amazonaws.com'
  Api:
    Type: AWS::Serverless::Function
    Properties:
      Handler: a.b
      Runtime: python3.13
      CodeUri: .
      Events:
        Get: {Type: Api, Properties: {Path: /, Method: get}}
",
    );
    assert!(has(&e, "Fn", "Table", "read"), "{e:?}");
    assert!(!has(&e, "Fn", "Table", "write"), "{e:?}");
    assert!(has(&e, "Flow", "ServerlessRestApi", "invoke"), "{e:?}");
}

/// A permission lets a source reach a function: an authorizer's is part of
/// the authorizer's arrow, not a route of its own.
#[test]
fn an_authorizers_permission_joins_its_arrow() {
    let e = edges(&format!(
        "{FN}  Api:
    Type: AWS::ApiGateway::RestApi
    Properties: {{Name: api}}
  Authorizer:
    Type: AWS::ApiGateway::Authorizer
    Properties:
      RestApiId: !Ref Api
      Type: TOKEN
      AuthorizerUri: !Sub 'arn:aws:apigateway:${{AWS::Region}}:lambda:path/2015-03-31/functions/${{Fn.Arn}}/invocations'
  AuthorizerPermission:
    Type: AWS::Lambda::Permission
    Properties:
      FunctionName: !Ref Fn
      Action: lambda:InvokeFunction
      Principal: apigateway.amazonaws.com
      SourceArn: !Sub 'arn:aws:execute-api:${{AWS::Region}}:${{AWS::AccountId}}:${{Api}}/authorizers/${{Authorizer}}'
"
    ));
    assert!(has(&e, "Fn", "Api", "auth"), "{e:?}");
    assert!(!has(&e, "Api", "Fn", "route"), "{e:?}");
}

/// A policy document written as JSON text (`!Sub '{...}'`) grants as one
/// written as a mapping; it cannot be cut statement by statement, so its
/// origins are fixed.
#[test]
fn a_policy_document_written_as_text_grants_too() {
    let text = "AWSTemplateFormatVersion: '2010-09-09'
Resources:
  Fn:
    Type: AWS::Lambda::Function
    Properties:
      Role: !GetAtt FnRole.Arn
  FnRole:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Statement: [{Effect: Allow, Principal: {Service: lambda.amazonaws.com}, Action: sts:AssumeRole}]
      Policies:
        - PolicyName: send
          PolicyDocument: !Sub '{
              \"Version\": \"2012-10-17\",
              \"Statement\": [{
                \"Effect\": \"Allow\",
                \"Action\": [\"sqs:SendMessage\"],
                \"Resource\": \"${Queue.Arn}\"
              }]
            }'
  Queue: {Type: AWS::SQS::Queue}
";
    let sketch = formats::read("t.yaml", text).unwrap();
    let c = sketch
        .connection("Fn", "Queue", None)
        .expect("the role's statement reaches the queue");
    assert_eq!(c.kind.word(), "write");
    assert!(
        c.origins.iter().any(|o| o.resource == "FnRole"
            && o.pointer == "/Properties/Policies/0/PolicyDocument"
            && o.fixed),
        "{:?}",
        c.origins
    );
}

#[test]
fn a_universal_target_triggers_what_its_input_names() {
    let e = edges(
        "  Box:
    Type: AWS::EC2::Instance
    Properties: {ImageId: ami-123, InstanceType: t3.micro}
  Stop:
    Type: AWS::Scheduler::Schedule
    Properties:
      ScheduleExpression: cron(0 20 * * ? *)
      FlexibleTimeWindow: {Mode: 'OFF'}
      Target:
        Arn: arn:aws:scheduler:::aws-sdk:ec2:stopInstances
        RoleArn: arn:aws:iam::123456789012:role/scheduler
        Input: !Sub '{\"InstanceIds\": [\"${Box}\"]}'
",
    );
    assert!(has(&e, "Stop", "Box", "trigger"), "{e:?}");
}

#[test]
fn a_policy_that_lets_a_role_in_does_not_run_as_it() {
    let e = edges(
        "  Role:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Statement: [{Effect: Allow, Principal: {Service: lambda.amazonaws.com}, Action: sts:AssumeRole}]
      Policies:
        - PolicyName: send
          PolicyDocument:
            Statement: [{Effect: Allow, Action: sqs:SendMessage, Resource: !GetAtt Queue.Arn}]
  Indexer:
    Type: AWS::Lambda::Function
    Properties:
      Handler: a.b
      Runtime: python3.13
      Role: !GetAtt Role.Arn
      Code: {ZipFile: 'def b(e, c): pass'}
  Access:
    Type: AWS::OpenSearchServerless::AccessPolicy
    Properties:
      Name: access
      Type: data
      Policy: !Sub '[{\"Rules\":[],\"Principal\":[\"${Role.Arn}\"]}]'
  Queue: {Type: AWS::SQS::Queue}
",
    );
    assert!(has(&e, "Indexer", "Queue", "write"), "{e:?}");
    assert!(
        !e.iter()
            .any(|(from, to, _)| from == "Access" && to == "Queue"),
        "{e:?}"
    );
}

/// A bucket that notifies a queue is given a name its queue policy can
/// name before the bucket exists: lowercase and short enough for S3
/// whatever the stack is called (a stack name may have capitals).
#[test]
fn a_bucket_named_for_its_notifications_has_a_name_s3_takes() {
    let mut s = formats::sam::import(
        "t.yaml",
        "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  Jobs:\n    Type: AWS::SQS::Queue\n",
    )
    .unwrap();
    stacksketch::command::run_script(
        &mut s,
        &[
            "add bucket CustomerUploadsForTheNightlyImport".into(),
            "connect CustomerUploadsForTheNightlyImport Jobs".into(),
        ],
    )
    .unwrap();
    let out = formats::sam::export(&s);
    let doc = formats::sam::parse_document("t.yaml", out.text()).unwrap();
    let name = &doc["Resources"]["CustomerUploadsForTheNightlyImport"]["Properties"]["BucketName"]
        ["Fn::Sub"];
    let text = name[0].as_str().unwrap_or_else(|| panic!("{}", out.text()));
    assert!(!text.contains("AWS::StackName"), "{text}");
    let fixed = text.replace("${StackId}", "");
    assert!(
        fixed
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'),
        "{text}"
    );
    // The stack's id part is 36 characters.
    assert!(fixed.len() + 36 <= 63, "{text}");
    let back = formats::read("t.yaml", out.text()).unwrap();
    let e = service_edges(&back);
    assert!(
        has(&e, "CustomerUploadsForTheNightlyImport", "Jobs", "trigger"),
        "{e:?}"
    );
}

/// A rule in plain CloudFormation reaches a state machine, a stream, a
/// delivery stream or another bus only through a role EventBridge assumes;
/// a log group through its resource policy. Each is written, and the
/// template reads back as the same arrows with nothing else drawn.
#[test]
fn a_rules_targets_get_what_lets_eventbridge_reach_them() {
    let mut s = formats::sam::import(
        "t.yaml",
        "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  Changes:\n    Type: AWS::Events::Rule\n    Properties:\n      EventPattern:\n        source: [orders]\n",
    )
    .unwrap();
    stacksketch::command::run_script(
        &mut s,
        &[
            "add statemachine Flow".into(),
            "add stream Clicks".into(),
            "add eventbus Other".into(),
            "add loggroup Audit".into(),
            "connect Changes Flow".into(),
            "connect Changes Clicks".into(),
            "connect Changes Other".into(),
            "connect Changes Audit trigger".into(),
        ],
    )
    .unwrap();
    let out = formats::sam::export(&s);
    assert!(out.unwritten.is_empty(), "{:?}", out.unwritten);
    let doc = formats::sam::parse_document("t.yaml", out.text()).unwrap();
    let targets = doc["Resources"]["Changes"]["Properties"]["Targets"]
        .as_array()
        .unwrap_or_else(|| panic!("{}", out.text()));
    assert_eq!(targets.len(), 4, "{}", out.text());
    for t in targets {
        let with_role = t["Id"] != "Audit";
        assert_eq!(t.get("RoleArn").is_some(), with_role, "{t}");
    }
    let role = &doc["Resources"]["ChangesEventsRole"]["Properties"];
    assert!(
        role["AssumeRolePolicyDocument"]
            .to_string()
            .contains("events.amazonaws.com")
    );
    let granted = role["Policies"].to_string();
    for action in [
        "states:StartExecution",
        "kinesis:PutRecord",
        "events:PutEvents",
    ] {
        assert!(granted.contains(action), "{granted}");
    }
    assert_eq!(
        doc["Resources"]["AuditFromChangesPolicy"]["Type"],
        "AWS::Logs::ResourcePolicy",
        "{}",
        out.text()
    );
    let back = formats::read("t.yaml", out.text()).unwrap();
    let e = service_edges(&back);
    let want: BTreeSet<(String, String, String)> = ["Flow", "Clicks", "Other", "Audit"]
        .iter()
        .map(|t| ("Changes".to_string(), t.to_string(), "trigger".to_string()))
        .collect();
    assert_eq!(e, want, "{}", out.text());
}

/// An EventBridge Scheduler schedule has one target, reached through a
/// role for the scheduler; a second target is refused, not dropped.
#[test]
fn a_scheduler_schedule_gets_its_one_target_and_a_role() {
    let mut s = formats::sam::import(
        "t.yaml",
        "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  Tick:\n    Type: AWS::Scheduler::Schedule\n    Properties:\n      ScheduleExpression: rate(5 minutes)\n      FlexibleTimeWindow:\n        Mode: 'OFF'\n  Jobs:\n    Type: AWS::SQS::Queue\n  Alerts:\n    Type: AWS::SNS::Topic\n",
    )
    .unwrap();
    stacksketch::command::run_script(&mut s, &["connect Tick Jobs".into()]).unwrap();
    let out = formats::sam::export(&s);
    assert!(out.unwritten.is_empty(), "{:?}", out.unwritten);
    let doc = formats::sam::parse_document("t.yaml", out.text()).unwrap();
    let target = &doc["Resources"]["Tick"]["Properties"]["Target"];
    assert_eq!(target["Arn"]["Fn::GetAtt"][0], "Jobs", "{}", out.text());
    assert_eq!(
        target["RoleArn"]["Fn::GetAtt"][0],
        "TickSchedulerRole",
        "{}",
        out.text()
    );
    let role = doc["Resources"]["TickSchedulerRole"]["Properties"].to_string();
    assert!(
        role.contains("scheduler.amazonaws.com") && role.contains("sqs:SendMessage"),
        "{role}"
    );
    let back = formats::read("t.yaml", out.text()).unwrap();
    let e = service_edges(&back);
    assert!(has(&e, "Tick", "Jobs", "trigger"), "{e:?}");
    assert_eq!(e.len(), 1, "{e:?}");

    let mut s = back;
    stacksketch::command::run_script(&mut s, &["connect Tick Alerts".into()]).unwrap();
    let out = formats::sam::export(&s);
    assert_eq!(out.unwritten.len(), 1, "{}", out.text());
    assert!(
        out.unwritten[0].reason.contains("one"),
        "{:?}",
        out.unwritten
    );
}

/// What a bus triggers other than a SAM function or state machine, it
/// triggers through a rule on it (as Terraform writes it), with what lets
/// EventBridge reach the target; it reads back as that rule.
#[test]
fn a_bus_reaches_a_queue_through_a_rule_on_it() {
    let mut s = formats::sam::import(
        "t.yaml",
        "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  Bus:\n    Type: AWS::Events::EventBus\n    Properties:\n      Name: orders\n  Jobs:\n    Type: AWS::SQS::Queue\n",
    )
    .unwrap();
    stacksketch::command::run_script(&mut s, &["connect Bus Jobs".into()]).unwrap();
    let out = formats::sam::export(&s);
    assert!(out.unwritten.is_empty(), "{:?}", out.unwritten);
    let doc = formats::sam::parse_document("t.yaml", out.text()).unwrap();
    let rule = &doc["Resources"]["BusToJobsRule"]["Properties"];
    assert_eq!(rule["EventBusName"]["Ref"], "Bus", "{}", out.text());
    assert_eq!(
        rule["Targets"][0]["Arn"]["Fn::GetAtt"][0],
        "Jobs",
        "{}",
        out.text()
    );
    assert!(
        out.text().contains("AWS::SQS::QueuePolicy"),
        "{}",
        out.text()
    );
    let e = service_edges(&formats::read("t.yaml", out.text()).unwrap());
    assert!(has(&e, "Bus", "BusToJobsRule", "route"), "{e:?}");
    assert!(has(&e, "BusToJobsRule", "Jobs", "trigger"), "{e:?}");
}

/// A SAM API's access logs are its `AccessLogSetting` (REST) or
/// `AccessLogSettings` (HTTP), and read back as the API logging there.
#[test]
fn a_sam_apis_access_logs_are_its_access_log_setting() {
    for (ty, key) in [
        ("AWS::Serverless::Api", "AccessLogSetting"),
        ("AWS::Serverless::HttpApi", "AccessLogSettings"),
    ] {
        let text = format!(
            "AWSTemplateFormatVersion: '2010-09-09'\nTransform: AWS::Serverless-2016-10-31\nResources:\n  Api:\n    Type: {ty}\n    Properties:\n      StageName: prod\n  Access:\n    Type: AWS::Logs::LogGroup\n"
        );
        let mut s = formats::sam::import("t.yaml", &text).unwrap();
        stacksketch::command::run_script(&mut s, &["connect Api Access log".into()]).unwrap();
        let out = formats::sam::export(&s);
        assert!(out.unwritten.is_empty(), "{:?}", out.unwritten);
        let doc = formats::sam::parse_document("t.yaml", out.text()).unwrap();
        let logs = &doc["Resources"]["Api"]["Properties"][key];
        assert_eq!(
            logs["DestinationArn"]["Fn::GetAtt"][0],
            "Access",
            "{}",
            out.text()
        );
        assert!(
            logs["Format"]
                .as_str()
                .is_some_and(|f| f.contains("$context.requestId"))
        );
        let e = service_edges(&formats::read("t.yaml", out.text()).unwrap());
        assert!(has(&e, "Api", "Access", "log"), "{e:?}");
    }
}
