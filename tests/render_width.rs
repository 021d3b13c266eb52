//! `render --width N` keeps every line within N columns for any size of
//! diagram: folded when that is enough, in parts when it is not. Checked on
//! a large template built here (so it always runs) and on `gen-stress`
//! output at 1,000 and 5,000 resources (skipped, with a note, when the
//! generator or python3 is missing).

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command as Std;

use assert_cmd::Command;

fn render(path: &Path, width: usize, extra: &[&str]) -> String {
    let out = Command::cargo_bin("stacksketch")
        .unwrap()
        .arg("render")
        .arg(path)
        .args(["--width", &width.to_string()])
        .args(extra)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

fn widest(text: &str) -> usize {
    text.lines().map(|l| l.chars().count()).max().unwrap_or(0)
}

/// A SAM template of `units` pipelines (API route -> function -> queue ->
/// worker -> table), all behind one shared API, each worker also writing
/// to the next unit's table: too wide and too tangled to fold into 120
/// columns.
fn big_template(units: usize) -> String {
    let mut t = String::from(
        "AWSTemplateFormatVersion: '2010-09-09'\nTransform: AWS::Serverless-2016-10-31\nResources:\n  SharedApi:\n    Type: AWS::Serverless::Api\n    Properties:\n      StageName: prod\n",
    );
    for i in 0..units {
        let next = (i + 1) % units;
        t.push_str(&format!(
            "  Front{i:03}:
    Type: AWS::Serverless::Function
    Properties:
      Handler: app.handler
      Runtime: python3.12
      CodeUri: src/
      Environment:
        Variables:
          QUEUE_URL: !Ref Jobs{i:03}
      Policies:
        - SQSSendMessagePolicy:
            QueueName: !GetAtt Jobs{i:03}.QueueName
      Events:
        Get:
          Type: Api
          Properties:
            RestApiId: !Ref SharedApi
            Path: /u{i}
            Method: get
  Jobs{i:03}:
    Type: AWS::SQS::Queue
  Worker{i:03}:
    Type: AWS::Serverless::Function
    Properties:
      Handler: app.handler
      Runtime: python3.12
      CodeUri: src/
      Environment:
        Variables:
          TABLE: !Ref Items{i:03}
          NEXT_TABLE: !Ref Items{next:03}
      Policies:
        - DynamoDBCrudPolicy:
            TableName: !Ref Items{i:03}
        - DynamoDBCrudPolicy:
            TableName: !Ref Items{next:03}
      Events:
        Jobs:
          Type: SQS
          Properties:
            Queue: !GetAtt Jobs{i:03}.Arn
  Items{i:03}:
    Type: AWS::DynamoDB::Table
    Properties:
      BillingMode: PAY_PER_REQUEST
      AttributeDefinitions:
        - AttributeName: id
          AttributeType: S
      KeySchema:
        - AttributeName: id
          KeyType: HASH
"
        ));
    }
    t
}

/// Names of the boxes in a rendered diagram: every `Front`, `Jobs`,
/// `Worker` and `Items` name that is not a stand-in for another part.
fn real_names(text: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for line in text.lines() {
        let chars: Vec<char> = line.chars().collect();
        let mut i = 0;
        while i < chars.len() {
            if !chars[i].is_ascii_alphanumeric() {
                i += 1;
                continue;
            }
            let start = i;
            while i < chars.len() && chars[i].is_ascii_alphanumeric() {
                i += 1;
            }
            let word: String = chars[start..i].iter().collect();
            let rest: String = chars[i..].iter().collect();
            let named = ["Front", "Jobs", "Worker", "Items"]
                .iter()
                .any(|p| word.strip_prefix(p).is_some_and(|d| d.len() == 3));
            if named && !rest.starts_with(" (part") {
                out.insert(word);
            }
        }
    }
    out
}

#[test]
fn a_large_built_template_fits_in_120_and_80_columns() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("template.yaml");
    std::fs::write(&path, big_template(60)).unwrap();
    // Unfolded it is far wider than the screens below.
    let wide = render(&path, 100_000, &[]);
    assert!(widest(&wide) > 160, "{} columns unfolded", widest(&wide));
    for width in [120, 80] {
        for extra in [&[][..], &["--ascii"], &["--direction", "td"]] {
            let text = render(&path, width, extra);
            assert!(
                widest(&text) <= width,
                "{} columns at --width {width} {extra:?}",
                widest(&text)
            );
        }
        // Every service is drawn as itself somewhere.
        let text = render(&path, width, &[]);
        let names = real_names(&text);
        assert_eq!(names.len(), 4 * 60, "{names:?}");
        assert!(text.contains("part 2 of"), "not cut into parts");
    }
}

#[test]
fn a_small_diagram_is_not_cut_into_parts() {
    let text = render(Path::new("examples/queue-pipeline/template.yaml"), 100, &[]);
    assert!(!text.contains("part 1 of"), "{text}");
    assert!(widest(&text) <= 100);
}

/// `gen-stress sam --resources N` in `dir`, or None (with a note) when the
/// generator or python3 is missing.
fn stress(dir: &Path, resources: usize) -> Option<PathBuf> {
    let tool = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/tools/gen-stress");
    if !tool.is_file() {
        eprintln!(
            "note: {} is absent; the stress check is skipped",
            tool.display()
        );
        return None;
    }
    let out = dir.join(format!("stress{resources}.yaml"));
    match Std::new("python3")
        .arg(&tool)
        .args(["sam", "--resources", &resources.to_string(), "--out"])
        .arg(&out)
        .output()
    {
        Ok(o) if o.status.success() => Some(out),
        _ => {
            eprintln!("note: python3 could not run gen-stress; the stress check is skipped");
            None
        }
    }
}

#[test]
fn gen_stress_1000_and_5000_fit_in_120_columns() {
    let dir = tempfile::tempdir().unwrap();
    for n in [1000, 5000] {
        let Some(path) = stress(dir.path(), n) else {
            return;
        };
        let text = render(&path, 120, &[]);
        assert!(
            widest(&text) <= 120,
            "gen-stress {n}: {} columns",
            widest(&text)
        );
        assert!(text.contains("Svc0000Table"), "gen-stress {n} drew nothing");
    }
}
