//! Handler code held against its template: the SDK calls each fixture's
//! code makes, the arrows they add that the template does not declare, and
//! exactly what `check --code` reports (missing permissions, unused grants,
//! unknown targets, code not found or not read).

use std::path::Path;

use stacksketch::code::handlers::{Report, Status, Target};
use stacksketch::document::{self, code};

const FIXTURES: &str = "tests/fixtures/code";

fn read(name: &str) -> (document::Loaded, Report) {
    let path = Path::new(FIXTURES).join(name).join("template.yaml");
    let mut loaded = document::load(&path).expect("the fixture reads");
    let report = code::with_code(&mut loaded);
    (loaded, report)
}

fn findings(r: &Report) -> Vec<String> {
    r.findings.iter().map(|f| f.text()).collect()
}

fn inferred(r: &Report) -> Vec<(String, String, String, String)> {
    r.inferred
        .iter()
        .map(|i| {
            (
                i.from.clone(),
                i.to.clone(),
                i.kind.word().to_string(),
                i.evidence.clone(),
            )
        })
        .collect()
}

/// (action, target or why not, where) of every call.
fn calls(r: &Report) -> Vec<(String, String, String)> {
    r.functions
        .iter()
        .flat_map(|f| &f.calls)
        .map(|c| {
            let t = match &c.target {
                Target::Service(t) => t.clone(),
                Target::Default => "default".into(),
                Target::Unknown(why) => format!("? {why}"),
            };
            (c.action.clone(), t, c.at.clone())
        })
        .collect()
}

fn s(v: &[&str]) -> Vec<String> {
    v.iter().map(|x| x.to_string()).collect()
}

#[test]
fn boto3_clients_across_local_modules() {
    let (_, r) = read("boto3_client");
    assert_eq!(r.functions[0].status, Status::Read);
    assert_eq!(
        r.functions[0].files,
        s(&[
            "tests/fixtures/code/boto3_client/src/worker/app.py",
            "tests/fixtures/code/boto3_client/src/worker/store.py",
        ])
    );
    assert_eq!(
        calls(&r),
        vec![
            (
                "sqs:SendMessage".into(),
                "Jobs".into(),
                "tests/fixtures/code/boto3_client/src/worker/app.py:13".into()
            ),
            (
                "dynamodb:PutItem".into(),
                "Results".into(),
                "tests/fixtures/code/boto3_client/src/worker/store.py:9".into()
            ),
        ]
    );
    // The variable already draws Worker -> Results; the role does not allow it.
    assert!(inferred(&r).is_empty());
    assert_eq!(
        findings(&r),
        s(&[
            "tests/fixtures/code/boto3_client/src/worker/store.py:9: missing permission: Worker calls dynamodb:PutItem on Results, which its role does not grant (tests/fixtures/code/boto3_client/template.yaml:16)"
        ])
    );
}

#[test]
fn boto3_resource_tables_by_variable_and_by_name() {
    let (loaded, r) = read("boto3_table");
    assert_eq!(
        calls(&r),
        vec![
            (
                "dynamodb:GetItem".into(),
                "Orders".into(),
                "tests/fixtures/code/boto3_table/src/orders/app.py:12".into()
            ),
            (
                "dynamodb:PutItem".into(),
                "Orders".into(),
                "tests/fixtures/code/boto3_table/src/orders/app.py:13".into()
            ),
            (
                "dynamodb:PutItem".into(),
                "AuditLog".into(),
                "tests/fixtures/code/boto3_table/src/orders/app.py:14".into()
            ),
        ]
    );
    assert_eq!(
        inferred(&r),
        vec![(
            "OrdersFunction".into(),
            "AuditLog".into(),
            "write".into(),
            "tests/fixtures/code/boto3_table/src/orders/app.py:14".into()
        )]
    );
    let c = loaded
        .sketch
        .connection("OrdersFunction", "AuditLog", None)
        .expect("the inferred arrow is in the sketch");
    assert!(c.inferred);
    assert_eq!(
        findings(&r),
        s(&[
            "tests/fixtures/code/boto3_table/src/orders/app.py:14: missing permission: OrdersFunction calls dynamodb:PutItem on AuditLog, which its role does not grant (tests/fixtures/code/boto3_table/template.yaml:11)"
        ])
    );
}

#[test]
fn javascript_v3_commands_in_typescript() {
    let (_, r) = read("js_v3");
    assert_eq!(r.functions[0].status, Status::Read);
    assert_eq!(
        calls(&r),
        vec![
            (
                "dynamodb:PutItem".into(),
                "Items".into(),
                "tests/fixtures/code/js_v3/src/api/app.ts:10".into()
            ),
            (
                "sns:Publish".into(),
                "Alerts".into(),
                "tests/fixtures/code/js_v3/src/api/notify.ts:7".into()
            ),
        ]
    );
    assert_eq!(
        inferred(&r),
        vec![(
            "ApiFunction".into(),
            "Alerts".into(),
            "publish".into(),
            "tests/fixtures/code/js_v3/src/api/notify.ts:7".into()
        )]
    );
    assert_eq!(
        findings(&r),
        s(&[
            "tests/fixtures/code/js_v3/src/api/notify.ts:7: missing permission: ApiFunction calls sns:Publish on Alerts, which its role does not grant (tests/fixtures/code/js_v3/template.yaml:11)"
        ])
    );
}

#[test]
fn javascript_v2_document_client_and_an_unset_variable() {
    let (_, r) = read("js_v2");
    assert_eq!(
        calls(&r),
        vec![
            (
                "dynamodb:GetItem".into(),
                "Subscriptions".into(),
                "tests/fixtures/code/js_v2/src/notify/index.js:9".into()
            ),
            (
                "dynamodb:PutItem".into(),
                "Subscriptions".into(),
                "tests/fixtures/code/js_v2/src/notify/index.js:10".into()
            ),
            (
                "sqs:SendMessage".into(),
                "? OUTBOX_URL is not set by the template".into(),
                "tests/fixtures/code/js_v2/src/notify/index.js:11".into()
            ),
        ]
    );
    assert!(inferred(&r).is_empty());
    // The queue the role may send to is not reported unused: the call to
    // an unknown queue may be to it.
    assert_eq!(
        findings(&r),
        s(&[
            "tests/fixtures/code/js_v2/src/notify/index.js:11: unknown target: NotifyFunction calls sqs:SendMessage on a queue that cannot be told: OUTBOX_URL is not set by the template (tests/fixtures/code/js_v2/template.yaml:16)"
        ])
    );
}

#[test]
fn a_grant_the_code_never_uses() {
    let (_, r) = read("unused_grant");
    assert_eq!(
        findings(&r),
        s(&[
            "tests/fixtures/code/unused_grant/template.yaml:12: unused grant: ReaderFunction may s3:GetObject, s3:ListBucket, s3:GetBucketLocation, s3:GetObjectVersion, s3:GetLifecycleConfiguration on Archive, which its code never calls"
        ])
    );
}

#[test]
fn code_not_found_or_not_read_is_said() {
    let (_, r) = read("missing_code");
    let status: Vec<(String, Status)> = r
        .functions
        .iter()
        .map(|f| (f.function.clone(), f.status.clone()))
        .collect();
    assert_eq!(
        status,
        vec![
            ("Present".into(), Status::Read),
            (
                "Gone".into(),
                Status::NotFound("the code folder src/gone/ is not there".into())
            ),
            (
                "Outside".into(),
                Status::NotRead("../../../../ leaves the folder being read".into())
            ),
            (
                "JavaFunction".into(),
                Status::NotRead("runtime java21 is not read (Python and Node.js are)".into())
            ),
            ("Inline".into(), Status::Read),
        ]
    );
    // Inline code is read where the template holds it.
    assert_eq!(
        findings(&r),
        s(&[
            "tests/fixtures/code/missing_code/template.yaml:43: unknown target: Inline calls sns:Publish on a topic that cannot be told: `arn:aws:sns:us-east-1:123456789012:nowhere` names no topic here (tests/fixtures/code/missing_code/template.yaml:33)"
        ])
    );
    assert_eq!(
        code::coverage_lines(&r),
        s(&[
            "code of Gone not found: the code folder src/gone/ is not there",
            "code of Outside not read: ../../../../ leaves the folder being read",
            "code of JavaFunction not read: runtime java21 is not read (Python and Node.js are)",
        ])
    );
}

#[test]
fn terraform_archive_file_and_a_table_named_in_the_code() {
    let path = Path::new(FIXTURES).join("terraform");
    let mut loaded = document::load(&path).expect("the folder reads");
    let r = code::with_code(&mut loaded);
    assert_eq!(r.functions[0].status, Status::Read);
    assert_eq!(
        calls(&r),
        vec![
            (
                "sqs:SendMessage".into(),
                "aws_sqs_queue.jobs".into(),
                "tests/fixtures/code/terraform/src/handler/app.py:10".into()
            ),
            (
                "dynamodb:PutItem".into(),
                "aws_dynamodb_table.events".into(),
                "tests/fixtures/code/terraform/src/handler/app.py:11".into()
            ),
        ]
    );
    assert_eq!(
        inferred(&r),
        vec![(
            "aws_lambda_function.ingest".into(),
            "aws_dynamodb_table.events".into(),
            "write".into(),
            "tests/fixtures/code/terraform/src/handler/app.py:11".into()
        )]
    );
    assert_eq!(
        findings(&r),
        s(&[
            "tests/fixtures/code/terraform/src/handler/app.py:11: missing permission: aws_lambda_function.ingest calls dynamodb:PutItem on aws_dynamodb_table.events, which its role does not grant (tests/fixtures/code/terraform/main.tf:17)"
        ])
    );
}

#[test]
fn check_strict_exits_4_on_code_findings_and_code_is_read_only_when_asked() {
    let t = "tests/fixtures/code/unused_grant/template.yaml";
    assert_cmd::Command::cargo_bin("stacksketch")
        .unwrap()
        .args(["check", "--strict", t])
        .assert()
        .success();
    assert_cmd::Command::cargo_bin("stacksketch")
        .unwrap()
        .args(["check", "--strict", "--code", t])
        .assert()
        .code(4)
        .stdout(predicates::str::contains("unused grant: ReaderFunction"));
}

#[test]
fn inferred_edges_in_json_and_refused_in_templates() {
    let t = "tests/fixtures/code/js_v3/template.yaml";
    let out = assert_cmd::Command::cargo_bin("stacksketch")
        .unwrap()
        .args(["export", "--code", "--to", "json", t])
        .output()
        .unwrap();
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let edge = json["edges"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["to"] == "Alerts")
        .expect("the inferred edge is exported");
    assert_eq!(edge["inferred"], true);
    assert_eq!(
        edge["evidence"],
        "tests/fixtures/code/js_v3/src/api/notify.ts:7"
    );
    assert_cmd::Command::cargo_bin("stacksketch")
        .unwrap()
        .args(["export", "--code", "--to", "sam", t])
        .assert()
        .code(2);
}

/// A template written to a scratch folder with one Python handler.
fn scratch(template: &str, handler: &str) -> (tempfile::TempDir, Report) {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("src")).unwrap();
    std::fs::write(dir.path().join("template.yaml"), template).unwrap();
    std::fs::write(dir.path().join("src/app.py"), handler).unwrap();
    let mut loaded = document::load(&dir.path().join("template.yaml")).unwrap();
    let report = code::with_code(&mut loaded);
    (dir, report)
}

const PUTS: &str = "import os\nimport boto3\n\ndef handler(e, c):\n    boto3.client('dynamodb').put_item(TableName=os.environ['T'], Item={})\n";

fn with_policies(policies: &str) -> String {
    format!(
        "Transform: AWS::Serverless-2016-10-31\nResources:\n  Fn:\n    Type: AWS::Serverless::Function\n    Properties:\n      CodeUri: src/\n      Handler: app.handler\n      Runtime: python3.12\n      Policies:\n{policies}      Environment:\n        Variables:\n          T: !Ref Table\n  Table:\n    Type: AWS::DynamoDB::Table\n"
    )
}

#[test]
fn grants_on_every_resource_and_open_grants_say_nothing_is_missing() {
    // A statement on every table grants the call.
    let every = "        - Statement:\n            - Effect: Allow\n              Action: dynamodb:*\n              Resource: '*'\n";
    let (_d, r) = scratch(&with_policies(every), PUTS);
    assert!(findings(&r).is_empty(), "{:?}", findings(&r));
    // A managed policy this does not know may grant it: nothing is said.
    let managed = "        - SomeTeamPolicy\n";
    let (_d, r) = scratch(&with_policies(managed), PUTS);
    assert!(findings(&r).is_empty(), "{:?}", findings(&r));
    // A read grant does not cover a write.
    let read = "        - DynamoDBReadPolicy:\n            TableName: !Ref Table\n";
    let (_d, r) = scratch(&with_policies(read), PUTS);
    assert_eq!(findings(&r).len(), 1);
    assert!(findings(&r)[0].contains("missing permission: Fn calls dynamodb:PutItem on Table"));
}

#[test]
fn hostile_code_is_shown_inertly_and_big_files_are_not_parsed() {
    let evil =
        "import boto3\nboto3.client('sqs').send_message(QueueUrl='q\x1b[31mred', MessageBody='')\n";
    let t = "Transform: AWS::Serverless-2016-10-31\nResources:\n  Fn:\n    Type: AWS::Serverless::Function\n    Properties:\n      CodeUri: src/\n      Handler: app.handler\n      Runtime: python3.12\n";
    let (dir, _) = scratch(t, evil);
    let out = assert_cmd::Command::cargo_bin("stacksketch")
        .unwrap()
        .args(["check", "--code"])
        .arg(dir.path().join("template.yaml"))
        .output()
        .unwrap();
    assert!(
        !out.stdout.contains(&0x1b),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    let big = format!("{PUTS}# {}\n", "x".repeat(2 * 1024 * 1024));
    let (_d, r) = scratch(t, &big);
    assert!(
        matches!(&r.functions[0].status, Status::NotRead(why) if why.contains("bigger than 1024 KB")),
        "{:?}",
        r.functions[0].status
    );
    assert!(r.functions[0].calls.is_empty());
}
