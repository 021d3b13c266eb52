//! The command line with Terraform: broken input, edits written back over a
//! folder, translation both ways, the layout sidecar.

mod common;

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use assert_cmd::Command;
use predicates::prelude::*;
use stacksketch::formats::{sam, terraform};
use stacksketch::model::ConnectionKind;

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/terraform")
        .join(name)
}

fn bin() -> Command {
    Command::cargo_bin("stacksketch").unwrap()
}

fn read_folder(dir: &Path) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    for e in fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.extension().is_some_and(|x| x == "tf") {
            out.insert(
                p.file_name().unwrap().to_string_lossy().to_string(),
                fs::read_to_string(&p).unwrap(),
            );
        }
    }
    out
}

/// The top-level blocks of a file, each with the comment lines above it.
fn blocks(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    for line in text.split_inclusive('\n') {
        cur.push_str(line);
        if line.starts_with('}') {
            out.push(
                std::mem::take(&mut cur)
                    .trim_start_matches('\n')
                    .to_string(),
            );
        }
    }
    out
}

#[test]
fn a_broken_file_exits_1_naming_file_and_line() {
    bin()
        .args([
            "export",
            fixture("broken").to_str().unwrap(),
            "--to",
            "json",
        ])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("main.tf:3:"));
    bin()
        .args([
            "export",
            fixture("broken").join("main.tf").to_str().unwrap(),
            "--to",
            "json",
        ])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("main.tf:3:"));
}

#[test]
fn a_heredoc_closed_with_trailing_spaces_reads_and_writes_back() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    bin()
        .args([
            "export",
            fixture("heredoc").to_str().unwrap(),
            "--to",
            "terraform",
            "-o",
            out.to_str().unwrap(),
        ])
        .assert()
        .success();
    assert_eq!(read_folder(&out), read_folder(&fixture("heredoc")));
}

#[test]
fn an_edit_with_apply_changes_only_what_it_touched() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    bin()
        .args([
            "apply",
            fixture("app").to_str().unwrap(),
            "-c",
            "add topic alerts",
            "-c",
            "connect worker alerts",
            "-o",
            out.to_str().unwrap(),
            "--to",
            "terraform",
        ])
        .assert()
        .success();
    let before = read_folder(&fixture("app"));
    let after = read_folder(&out);
    assert_eq!(
        before.keys().collect::<Vec<_>>(),
        after.keys().collect::<Vec<_>>()
    );
    assert_eq!(before["variables.tf"], after["variables.tf"]);
    assert_eq!(before["outputs.tf"], after["outputs.tf"]);
    // Every block but the function's is there byte for byte, comments included.
    let main = &after["main.tf"];
    for b in blocks(&before["main.tf"]) {
        if b.contains("resource \"aws_lambda_function\" \"worker\"") {
            assert!(
                main.contains(
                    "# The worker itself.\nresource \"aws_lambda_function\" \"worker\" {\n"
                )
            );
            continue;
        }
        assert!(
            main.contains(&b),
            "block changed or lost:\n{b}\n--- in ---\n{main}"
        );
    }
    // The new statement names the topic, and only its actions.
    let policy = blocks(main)
        .into_iter()
        .find(|b| b.contains("resource \"aws_iam_role_policy\" \"worker_access\""))
        .expect("an access policy for the worker");
    assert!(policy.contains("Action   = [\"sns:Publish\"]"), "{policy}");
    assert!(
        policy.contains("Resource = aws_sns_topic.alerts.arn"),
        "{policy}"
    );
    assert!(main.contains("resource \"aws_sns_topic\" \"alerts\" {"));
    // It reads back as drawn.
    let back = terraform::import(&after, "out").unwrap();
    assert!(back.is_connected(
        "aws_lambda_function.worker",
        "aws_sns_topic.alerts",
        Some(ConnectionKind::Publish)
    ));
    if let Some(r) = common::validate_tf(std::slice::from_ref(&out)) {
        r.unwrap();
    }
}

#[test]
fn sam_goes_to_terraform_and_back_keeping_its_graph() {
    let tmp = tempfile::tempdir().unwrap();
    let tf = tmp.path().join("tf");
    let template =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/queue-pipeline/template.yaml");
    bin()
        .args([
            "export",
            template.to_str().unwrap(),
            "--to",
            "terraform",
            "-o",
            tf.to_str().unwrap(),
        ])
        .assert()
        .success();
    for f in ["main.tf", "variables.tf"] {
        assert!(tf.join(f).is_file(), "{f}");
    }
    if let Some(r) = common::validate_tf(std::slice::from_ref(&tf)) {
        r.unwrap();
    }
    let back = tmp.path().join("back.yaml");
    bin()
        .args([
            "export",
            tf.to_str().unwrap(),
            "--to",
            "sam",
            "-o",
            back.to_str().unwrap(),
        ])
        .assert()
        .success();
    let original = sam::import("t.yaml", &fs::read_to_string(&template).unwrap()).unwrap();
    let translated = terraform::import(&read_folder(&tf), "tf").unwrap();
    let returned = sam::import("back.yaml", &fs::read_to_string(&back).unwrap()).unwrap();
    assert_eq!(common::shape(&original), common::shape(&translated));
    assert_eq!(
        common::shape(&original),
        common::shape(&returned),
        "{}",
        fs::read_to_string(&back).unwrap()
    );
    // Names follow each language's conventions.
    let ids: Vec<&str> = translated.ids().collect();
    assert!(
        ids.iter().all(|i| i.chars().all(|c| !c.is_uppercase())),
        "{ids:?}"
    );
    assert!(
        returned
            .ids()
            .all(|i| i.chars().all(|c| c.is_ascii_alphanumeric()))
    );
}

#[test]
fn the_layout_of_a_folder_lives_in_its_sidecar() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    bin()
        .args([
            "apply",
            fixture("app").to_str().unwrap(),
            "-c",
            "move worker 12 4",
            "-o",
            out.to_str().unwrap(),
            "--to",
            "terraform",
        ])
        .assert()
        .success();
    assert_eq!(read_folder(&out), read_folder(&fixture("app")));
    let side = fs::read_to_string(out.join(".stacksketch.yaml")).unwrap();
    assert!(side.contains("aws_lambda_function.worker"), "{side}");
    bin()
        .args(["export", out.to_str().unwrap(), "--to", "sketch"])
        .assert()
        .success()
        .stdout(predicate::str::contains("x: 12"));
}

#[test]
fn a_folder_to_stdout_names_each_file() {
    bin()
        .args([
            "export",
            fixture("app").to_str().unwrap(),
            "--to",
            "terraform",
        ])
        .assert()
        .success()
        .stdout(
            predicate::str::contains("# ---- main.tf")
                .and(predicate::str::contains("# ---- outputs.tf")),
        );
}

#[test]
fn a_policy_the_user_wrote_without_statements_is_written_back_unchanged() {
    let src = fixture("policy-without-statement");
    let out = tempfile::tempdir().unwrap();
    bin()
        .args(["export"])
        .arg(&src)
        .args(["--to", "terraform", "-o"])
        .arg(out.path())
        .assert()
        .success()
        .stderr(predicate::str::contains("removed").not());
    assert_eq!(read_folder(out.path()), read_folder(&src));
}

#[test]
fn disconnect_takes_the_grant_with_the_arrow_and_an_emptied_policy_goes() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("app");
    bin()
        .args(["apply", "-c", "add function worker", "-c", "add queue out"])
        .args(["-c", "connect worker out", "--to", "terraform", "-o"])
        .arg(&out)
        .assert()
        .success();
    let before = read_folder(&out)["main.tf"].clone();
    assert!(before.contains("sqs:SendMessage"), "{before}");
    bin()
        .arg("apply")
        .arg(&out)
        .args(["-c", "disconnect worker out", "-o"])
        .arg(&out)
        .assert()
        .success()
        .stderr(predicate::str::contains("no statements and is removed"));
    let after = read_folder(&out)["main.tf"].clone();
    assert!(!after.contains("sqs:SendMessage"), "{after}");
    assert!(
        !after.contains("aws_iam_role_policy\" \"worker_access"),
        "{after}"
    );
    assert!(
        after.contains("resource \"aws_sqs_queue\" \"out\""),
        "{after}"
    );
    // Nothing else in the file changed but what served the arrow.
    let kept: Vec<String> = blocks(&before)
        .into_iter()
        .filter(|b| !b.contains("worker_access") && !b.contains("aws_lambda_function\" \"worker"))
        .collect();
    for b in kept {
        assert!(after.contains(&b), "lost:\n{b}");
    }
}

/// What CloudFormation says differently from Terraform is written its way:
/// a target's input as JSON text, a rule allowing a security group itself
/// as a resource of its own, a definition naming a function as an object
/// with substitutions, a set variable as a list parameter.
#[test]
fn terraform_translates_to_what_cloudformation_takes() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("template.yaml");
    bin()
        .arg("export")
        .arg(fixture("translate-shapes"))
        .args(["--to", "sam", "-o"])
        .arg(&out)
        .assert()
        .success();
    let text = fs::read_to_string(&out).unwrap();
    let doc = sam::parse_document("template.yaml", &text).unwrap();
    let res = &doc["Resources"];
    assert_eq!(doc["Parameters"]["Subnets"]["Type"], "CommaDelimitedList");

    let input = res["Metrics"]["Properties"]["Target"]["Input"]
        .as_str()
        .unwrap_or_else(|| panic!("the input is not text:\n{text}"));
    let input: serde_json::Value = serde_json::from_str(input).unwrap();
    assert_eq!(input["Namespace"], "Sketch");

    let sg = &res["Worker"]["Properties"];
    assert!(sg.get("SecurityGroupIngress").is_none(), "{text}");
    let own = res
        .as_object()
        .unwrap()
        .values()
        .find(|r| r["Type"] == "AWS::EC2::SecurityGroupIngress")
        .unwrap_or_else(|| panic!("no rule of its own:\n{text}"));
    let group = serde_json::json!({"Fn::GetAtt": ["Worker", "GroupId"]});
    assert_eq!(own["Properties"]["GroupId"], group);
    assert_eq!(own["Properties"]["SourceSecurityGroupId"], group);

    let flow = &res["Flow"]["Properties"];
    assert!(flow["Definition"].is_object(), "{text}");
    let task = &flow["Definition"]["States"]["Work"]["Parameters"]["FunctionName"];
    let key = task
        .as_str()
        .and_then(|s| s.strip_prefix("${"))
        .and_then(|s| s.strip_suffix('}'))
        .unwrap_or_else(|| panic!("{task}"));
    assert_eq!(
        flow["DefinitionSubstitutions"][key],
        serde_json::json!({"Fn::GetAtt": ["Worker2", "Arn"]})
    );
    if let Some(r) = common::validate_sam(&[out]) {
        r.unwrap();
    }
}

/// Translating a Terraform folder again over the template it wrote leaves
/// the template as it was, and keeps what the user changed in it.
#[test]
fn terraform_exported_again_over_its_own_template_keeps_it() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("template.yaml");
    let export = || {
        bin()
            .arg("export")
            .arg(fixture("translate-shapes"))
            .args(["--to", "sam", "-o"])
            .arg(&out)
            .assert()
            .success();
        fs::read_to_string(&out).unwrap()
    };
    let first = export();
    assert_eq!(export(), first);

    let edited = first
        .replace(
            "Description: translate-shapes (sketched with stacksketch)",
            "Description: Metrics and workers",
        )
        .replace("  Flow:\n", "  # The flow runs the worker.\n  Flow:\n");
    assert_ne!(edited, first);
    fs::write(&out, &edited).unwrap();
    let again = export();
    assert_eq!(again, edited);
    let doc = sam::parse_document("template.yaml", &again).unwrap();
    for id in doc["Resources"].as_object().unwrap().keys() {
        assert!(
            !id.contains('.'),
            "a Terraform address as a logical id: {id}"
        );
    }
}

/// A role whose own inline policy names what its function uses is
/// translated with that policy: the command does not refuse the
/// connection as if Terraform had to write it anew.
#[test]
fn a_role_with_its_own_policy_translates_to_terraform() {
    let tmp = tempfile::tempdir().unwrap();
    let template = tmp.path().join("template.yaml");
    fs::write(
        &template,
        "\
AWSTemplateFormatVersion: '2010-09-09'
Resources:
  Jobs:
    Type: AWS::SQS::Queue
  WorkerRole:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Version: '2012-10-17'
        Statement:
          - Effect: Allow
            Principal: { Service: lambda.amazonaws.com }
            Action: sts:AssumeRole
      Policies:
        - PolicyName: send
          PolicyDocument:
            Version: '2012-10-17'
            Statement:
              - Effect: Allow
                Action: sqs:SendMessage
                Resource: !GetAtt Jobs.Arn
  Worker:
    Type: AWS::Lambda::Function
    Properties:
      Runtime: python3.13
      Handler: app.handler
      Role: !GetAtt WorkerRole.Arn
      Code:
        ZipFile: \"def handler(e, c): return e\"
",
    )
    .unwrap();
    let out = tmp.path().join("infra");
    bin()
        .arg("export")
        .arg(&template)
        .args(["--to", "terraform", "-o"])
        .arg(&out)
        .assert()
        .success();
    let files = read_folder(&out);
    let tf: String = files.values().cloned().collect();
    assert!(tf.contains("sqs:SendMessage"), "{tf}");
    let back = terraform::import(&files, "infra").unwrap();
    let sends = back.connections().any(|(a, b, c)| {
        a.starts_with("aws_lambda_function.")
            && b.starts_with("aws_sqs_queue.")
            && c.kind == ConnectionKind::Write
    });
    assert!(sends, "{tf}");
}

/// A SAM template exported again over the Terraform folder it was
/// translated into keeps what the user changed in the folder.
#[test]
fn sam_exported_again_over_its_terraform_folder_keeps_it() {
    let tmp = tempfile::tempdir().unwrap();
    let template = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/api-table/template.yaml");
    let out = tmp.path().join("infra");
    let export = || {
        bin()
            .arg("export")
            .arg(&template)
            .args(["--to", "terraform", "-o"])
            .arg(&out)
            .assert()
            .success();
        read_folder(&out)
    };
    let first = export();
    assert_eq!(export(), first);
    let main = out.join("main.tf");
    let edited = format!("# Reviewed by the platform team.\n{}", first["main.tf"]);
    fs::write(&main, &edited).unwrap();
    let again = export();
    assert_eq!(again["main.tf"], edited);
    for (name, text) in &first {
        if name != "main.tf" {
            assert_eq!(&again[name], text, "{name}");
        }
    }
}
