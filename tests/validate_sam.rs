//! Templates built with `apply`, from nothing and from an existing template,
//! pass cfn-lint, the AWS linter (`../shared/tools/validate-sam`).

mod common;

use std::path::{Path, PathBuf};

fn lint(files: &[PathBuf]) {
    if let Some(Err(e)) = common::validate_sam(files) {
        panic!("cfn-lint found errors:\n{e}");
    }
}

/// Every kind of service the catalog can write, connected the natural way.
const FROM_NOTHING: &[&str] = &[
    "add api Api",
    "add httpapi HttpApi",
    "add function Handler",
    "add function Worker",
    "add queue Jobs",
    "add queue DeadLetters",
    "add topic Alerts",
    "add table Orders",
    "add bucket Uploads",
    "add stream Clicks",
    "add statemachine Flow",
    "add eventbus Bus",
    "add rule OnOrder",
    "add schedule Nightly",
    "add schedule Hourly",
    "add userpool Users",
    "add loggroup AuditLogs",
    "add alarm Errors",
    "add secret ApiKey",
    "add cdn Site",
    "add websocket Live",
    "connect Api Handler",
    "connect HttpApi Worker",
    "connect Users Api",
    "connect Handler Orders",
    "connect Handler Jobs",
    "connect Jobs Worker",
    "connect Jobs DeadLetters",
    "connect Uploads Worker",
    "connect Worker Alerts",
    "connect Worker Clicks",
    "connect Orders Worker",
    "connect Clicks Worker",
    "connect Handler Flow",
    "connect Flow Worker",
    "connect Flow Orders",
    "connect Bus OnOrder",
    "connect OnOrder Flow",
    "connect Nightly Worker",
    "connect Hourly Jobs",
    "connect Hourly Alerts",
    "connect Errors Alerts",
    "connect Handler AuditLogs",
    "connect Handler ApiKey",
    "connect Alerts DeadLetters",
    "connect Site Uploads",
    "connect Handler Bus",
];

#[test]
fn apply_from_nothing_passes_cfn_lint() {
    let dir = common::scratch("lint-new");
    let out = dir.join("template.yaml");
    let mut cmd = common::bin();
    cmd.arg("apply");
    for c in FROM_NOTHING {
        cmd.args(["-c", c]);
    }
    cmd.args(["-o", out.to_str().unwrap()]).assert().success();
    lint(&[out]);
}

#[test]
fn apply_over_examples_and_corpus_passes_cfn_lint() {
    let dir = common::scratch("lint-edit");
    let mut written = Vec::new();
    let mut inputs: Vec<PathBuf> = ["s3-trigger", "api-table", "queue-pipeline"]
        .iter()
        .map(|e| {
            Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("examples")
                .join(e)
                .join("template.yaml")
        })
        .collect();
    if let Some(c) = common::corpus() {
        for p in [
            "serverless-patterns/sqs-lambda-nodejs-sam",
            "serverless-patterns/apigw-http-api-lambda",
            "serverless-patterns/s3-lambda-ses-sam",
        ] {
            let t = c.join(p).join("template.yaml");
            if t.is_file() {
                inputs.push(t);
            }
        }
    }
    for (i, input) in inputs.iter().enumerate() {
        let text = std::fs::read_to_string(input).unwrap();
        let sketch = stacksketch::formats::read("t.yaml", &text).unwrap();
        let f = sketch
            .services()
            .find(|s| s.type_name == "AWS::Serverless::Function")
            .map(|s| s.id.clone())
            .expect("a function to connect");
        let out = dir.join(format!("edited{i}.yaml"));
        common::bin()
            .args(["apply", input.to_str().unwrap()])
            .args(["-c", "add queue Probe", "-c", &format!("connect Probe {f}")])
            .args([
                "-c",
                "add topic Notices",
                "-c",
                &format!("connect {f} Notices"),
            ])
            .args([
                "-c",
                "add table Ledger",
                "-c",
                &format!("connect {f} Ledger"),
            ])
            .args(["-o", out.to_str().unwrap()])
            .assert()
            .success();
        written.push(out);
    }
    lint(&written);
}
