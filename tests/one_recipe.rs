//! One recipe per connection: the command line and the whiteboard write the
//! same bytes, SAM and Terraform hand a function the same environment
//! variable and the same least-privilege actions, and a grant goes where the
//! function's permissions live or the command says why it cannot.

mod common;

use std::collections::BTreeSet;
use std::fs;

use stacksketch::command;
use stacksketch::formats::{self, sam, terraform};
use stacksketch::model::{ConnectionKind, Sketch, Source, Value};
use stacksketch::tui::doc::Document;

const TEMPLATE: &str = "\
AWSTemplateFormatVersion: '2010-09-09'
Transform: AWS::Serverless-2016-10-31
Resources:
  # Takes orders.
  Handler:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: src/
      Handler: app.handler
      Runtime: python3.13
  # Runs as its own role.
  Worker:
    Type: AWS::Lambda::Function
    Properties:
      Runtime: python3.13
      Handler: index.handler
      Code:
        ZipFile: 'def handler(e, c): pass'
      Role: !GetAtt WorkerRole.Arn
  WorkerRole:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Version: '2012-10-17'
        Statement:
          - Effect: Allow
            Principal:
              Service: lambda.amazonaws.com
            Action: sts:AssumeRole
";

const EDITS: &[&str] = &[
    "add table Orders",
    "add queue Jobs",
    "connect Handler Orders",
    "connect Worker Orders",
    "connect Worker Jobs",
];

#[test]
fn the_command_line_and_the_whiteboard_write_the_same_bytes() {
    let dir = common::scratch("one-recipe-same-bytes");
    let cli_file = dir.join("cli.yaml");
    let board_file = dir.join("board.yaml");
    fs::write(&cli_file, TEMPLATE).unwrap();
    fs::write(&board_file, TEMPLATE).unwrap();

    let mut cmd = common::bin();
    cmd.arg("apply").arg(&cli_file).arg("-o").arg(&cli_file);
    for e in EDITS {
        cmd.arg("-c").arg(e);
    }
    cmd.assert().success();

    let mut doc = Document::open(&board_file).unwrap();
    for e in EDITS {
        let plan = command::plan(&doc.sketch, e).unwrap().unwrap();
        doc.apply(plan.edit).unwrap();
    }
    doc.save(None, false).unwrap();

    let cli = fs::read_to_string(&cli_file).unwrap();
    let board = fs::read_to_string(&board_file).unwrap();
    assert_eq!(cli, board);
    // And what they wrote grants what was drawn.
    assert!(cli.contains("DynamoDBWritePolicy"), "{cli}");
    assert!(cli.contains("ORDERS_TABLE"), "{cli}");
    assert!(cli.contains("JOBS_QUEUE_URL"), "{cli}");
    let back = formats::read("cli.yaml", &cli).unwrap();
    assert!(back.is_connected("Worker", "Orders", None));
    assert!(back.is_connected("Worker", "Jobs", None));
}

fn run(s: &mut Sketch, script: &[&str]) {
    let lines: Vec<String> = script.iter().map(|l| l.to_string()).collect();
    command::run_script(s, &lines).unwrap();
}

/// A sketch drawn from nothing, in SAM's words or in Terraform's.
fn drawn(terraform_words: bool) -> Sketch {
    let mut s = Sketch::new();
    if terraform_words {
        s.source = Some(Source {
            dialect: stacksketch::model::Dialect::Terraform,
            files: Default::default(),
        });
    }
    let script = [
        "add function handler",
        "add table orders",
        "add queue jobs",
        "add bucket uploads",
        "connect handler orders write",
        "connect handler orders read",
        "connect handler jobs",
        "connect handler uploads read",
    ];
    run(&mut s, &script);
    s
}

fn sam_env(text: &str, f: &str) -> BTreeSet<String> {
    let s = formats::read("t.yaml", text).unwrap();
    s.service(f)
        .and_then(|x| x.properties.get("Environment"))
        .and_then(|e| e.get("Variables"))
        .and_then(Value::as_object)
        .map(|m| m.keys().cloned().collect())
        .unwrap_or_default()
}

fn tf_env(files: &std::collections::BTreeMap<String, String>) -> BTreeSet<String> {
    let s = terraform::import(files, "x").unwrap();
    let f = s
        .services()
        .find(|x| x.type_name == "aws_lambda_function")
        .expect("a function");
    let env = f.properties.get("environment").expect("an environment");
    let vars = env
        .get(0)
        .unwrap_or(env)
        .get("variables")
        .and_then(Value::as_object)
        .expect("variables");
    vars.keys().cloned().collect()
}

#[test]
fn sam_and_terraform_name_the_variables_alike() {
    let sam_text = sam::export(&drawn(false)).text().to_string();
    let tf = terraform::export(&drawn(true));
    let in_sam = sam_env(&sam_text, "handler");
    let in_tf = tf_env(&tf.files);
    let want: BTreeSet<String> = ["ORDERS_TABLE", "JOBS_QUEUE_URL", "UPLOADS_BUCKET"]
        .into_iter()
        .map(str::to_string)
        .collect();
    assert_eq!(in_sam, want, "{sam_text}");
    assert_eq!(in_tf, want, "{}", tf.listing());
}

/// The actions a text grants on a table, in order of appearance.
fn dynamodb_actions(text: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for part in
        text.split(|c: char| c == '"' || c.is_whitespace() || c == ',' || c == '[' || c == ']')
    {
        if part.starts_with("dynamodb:") {
            out.insert(part.to_string());
        }
    }
    out
}

#[test]
fn read_and_write_grant_least_privilege_in_both_languages() {
    // A function writing and reading a table, on its own role in SAM.
    let mut s = formats::read("t.yaml", TEMPLATE).unwrap();
    run(&mut s, &["add table Orders", "connect Worker Orders write"]);
    let write_only = sam::export(&s).text().to_string();
    let sam_write = dynamodb_actions(&write_only);
    assert!(sam_write.contains("dynamodb:PutItem"), "{write_only}");
    assert!(!sam_write.contains("dynamodb:Scan"), "{write_only}");
    assert!(!sam_write.contains("dynamodb:DeleteItem"), "{write_only}");
    run(&mut s, &["connect Worker Orders read"]);
    let both = dynamodb_actions(sam::export(&s).text());
    assert!(both.contains("dynamodb:Query") && both.contains("dynamodb:PutItem"));

    // The same actions in Terraform.
    let mut t = Sketch::new();
    t.source = Some(Source {
        dialect: stacksketch::model::Dialect::Terraform,
        files: Default::default(),
    });
    run(
        &mut t,
        &[
            "add function worker",
            "add table orders",
            "connect worker orders write",
        ],
    );
    let tf_write = dynamodb_actions(&terraform::export(&t).listing());
    assert_eq!(tf_write, sam_write);
    run(&mut t, &["connect worker orders read"]);
    assert_eq!(dynamodb_actions(&terraform::export(&t).listing()), both);
}

#[test]
fn a_role_outside_the_file_fails_the_command_and_writes_nothing() {
    let dir = common::scratch("one-recipe-refuse");
    let file = dir.join("template.yaml");
    let text = TEMPLATE.replace(
        "Role: !GetAtt WorkerRole.Arn",
        "Role: !ImportValue shared-worker-role",
    );
    fs::write(&file, &text).unwrap();
    let out = common::bin()
        .arg("apply")
        .arg(&file)
        .arg("-o")
        .arg(&file)
        .args(["-c", "add queue Jobs", "-c", "connect Worker Jobs"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("Worker") && err.contains("imported"), "{err}");
    assert_eq!(fs::read_to_string(&file).unwrap(), text);

    // The whiteboard keeps the arrow, marks it, and says so on :w.
    let mut doc = Document::open(&file).unwrap();
    for e in ["add queue Jobs", "connect Worker Jobs"] {
        let plan = command::plan(&doc.sketch, e).unwrap().unwrap();
        doc.apply(plan.edit).unwrap();
    }
    let msg = doc.save(None, false).unwrap();
    assert!(msg.contains("not in the code yet"), "{msg}");
    let c = doc.sketch.connection("Worker", "Jobs", None).unwrap();
    assert!(
        c.not_written
            .as_deref()
            .is_some_and(|w| w.contains("imported"))
    );
}

#[test]
fn a_plain_function_is_triggered_through_a_mapping_polled_on_its_role() {
    let mut s = formats::read("t.yaml", TEMPLATE).unwrap();
    run(
        &mut s,
        &[
            "add queue Jobs",
            "connect Jobs Worker",
            "add topic News",
            "connect News Worker",
        ],
    );
    let out = sam::export(&s);
    assert!(out.unwritten.is_empty(), "{:?}", out.unwritten);
    let back = formats::read("t.yaml", out.text()).unwrap();
    assert!(back.is_connected("Jobs", "Worker", Some(ConnectionKind::Trigger)));
    assert!(back.is_connected("News", "Worker", Some(ConnectionKind::Trigger)));
    let role = back.service("WorkerRole").unwrap();
    let policies = role.properties.get("Policies").unwrap().to_string();
    assert!(policies.contains("sqs:ReceiveMessage"), "{policies}");
}

const MODULE: &str = r#"resource "aws_iam_role" "fn" {
  name = "fn"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = { Service = "lambda.amazonaws.com" }, Action = "sts:AssumeRole" }]
  })
}

resource "aws_lambda_function" "worker" {
  function_name = "worker"
  role          = aws_iam_role.fn.arn
  handler       = "app.handler"
  runtime       = "python3.13"
  filename      = "worker.zip"
}
"#;

fn module_folder(calls: &[&str]) -> std::collections::BTreeMap<String, String> {
    let main: String = calls
        .iter()
        .map(|c| format!("module \"{c}\" {{\n  source = \"./modules/fn\"\n}}\n"))
        .collect::<Vec<_>>()
        .join("\n");
    [
        ("main.tf".to_string(), main),
        ("modules/fn/main.tf".to_string(), MODULE.to_string()),
    ]
    .into()
}

#[test]
fn a_module_called_once_is_edited_and_a_shared_one_refused() {
    let script = [
        "add queue jobs",
        "connect module.one.aws_lambda_function.worker jobs",
    ];
    let mut once = terraform::import(&module_folder(&["one"]), "x").unwrap();
    run(&mut once, &script);
    let out = terraform::export(&once);
    assert!(out.unwritten.is_empty(), "{:?}", out.unwritten);
    let module = &out.files["modules/fn/main.tf"];
    assert!(module.contains("var.jobs_arn"), "{module}");
    assert!(module.contains("JOBS_QUEUE_URL"), "{module}");
    let back = terraform::import(&out.files, "x").unwrap();
    assert!(back.is_connected(
        "module.one.aws_lambda_function.worker",
        "aws_sqs_queue.jobs",
        Some(ConnectionKind::Write)
    ));

    let mut shared = terraform::import(&module_folder(&["one", "two"]), "x").unwrap();
    run(&mut shared, &script);
    let out = terraform::export(&shared);
    let why = out.unwritten.first().expect("a refusal").to_string();
    assert!(
        why.contains("module.one.aws_lambda_function.worker") && why.contains("2 module calls"),
        "{why}"
    );
}

fn registry_folder() -> std::collections::BTreeMap<String, String> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/terraform/registry-lambda");
    [(
        "main.tf".to_string(),
        fs::read_to_string(dir.join("main.tf")).unwrap(),
    )]
    .into()
}

#[test]
fn a_registry_lambda_is_granted_through_its_policy_statements_and_takes_them_back() {
    let original = registry_folder();
    let mut s = terraform::import(&original, "x").unwrap();
    run(
        &mut s,
        &[
            "add table orders",
            "connect worker orders",
            "connect worker legacy write",
            "connect worker jobs write",
        ],
    );
    let out = terraform::export(&s);
    assert!(out.unwritten.is_empty(), "{:?}", out.unwritten);
    let main = &out.files["main.tf"];
    for want in [
        "attach_policy_statements = true",
        "write_orders = {",
        "resources = [aws_dynamodb_table.orders.arn, \"${aws_dynamodb_table.orders.arn}/index/*\"]",
        "ORDERS_TABLE",
        // The queue modules' outputs, by the version each call asks for.
        "resources = [module.legacy.sqs_queue_arn]",
        "= module.legacy.sqs_queue_id",
        "resources = [module.jobs.queue_arn]",
        "= module.jobs.queue_url",
    ] {
        assert!(main.contains(want), "missing `{want}`:\n{main}");
    }
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("main.tf"), main).unwrap();
    if let Some(Err(e)) = common::validate_tf(&[dir.path().to_path_buf()]) {
        panic!("{e}\n{main}");
    }
    // Read back, each grant is its arrow; taking the arrows away leaves
    // the calls as they were.
    let mut back = terraform::import(&out.files, "x").unwrap();
    for t in ["aws_dynamodb_table.orders", "module.legacy", "module.jobs"] {
        assert!(
            back.is_connected("module.worker", t, Some(ConnectionKind::Write)),
            "{t}"
        );
    }
    run(
        &mut back,
        &[
            "disconnect worker orders",
            "disconnect worker legacy write",
            "disconnect worker jobs write",
            "delete orders",
        ],
    );
    let again = terraform::export(&back);
    assert_eq!(again.files["main.tf"], original["main.tf"]);
}
