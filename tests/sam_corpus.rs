//! Real SAM and CloudFormation templates: every one imports or fails with a
//! located message, every import writes back byte for byte, and an edit
//! keeps every untouched line.

mod common;

use stacksketch::command;
use stacksketch::formats::{self, sam};
use stacksketch::model::{Level, View};

#[test]
fn corpus_imports_and_writes_back_byte_for_byte() {
    let Some(dir) = common::corpus() else { return };
    let (mut templates, mut imported, mut exact) = (0usize, 0usize, 0usize);
    let mut failures = Vec::new();
    let mut not_exact = Vec::new();
    let mut malformed = Vec::new();
    for path in common::template_files(&dir) {
        let Ok(bytes) = std::fs::read(&path) else {
            continue;
        };
        let name = path.display().to_string();
        let Ok(text) = formats::check_text(&name, &bytes) else {
            continue;
        };
        let is_template = common::is_template_text(text);
        templates += usize::from(is_template);
        match formats::read(&name, text) {
            Ok(sketch) => {
                imported += usize::from(is_template);
                let out = sam::export(&sketch);
                if out.text() == text {
                    exact += 1;
                } else {
                    not_exact.push(name);
                }
            }
            Err(e) => {
                // A refusal must say where and what.
                assert!(e.to_string().starts_with(&format!("{name}:")), "{e}");
                assert!(e.line >= 1 && e.column >= 1);
                // A key given twice is an error for CloudFormation too
                // (cfn-lint E0000): such a file is no template to import.
                if e.message.contains("appears twice") {
                    templates -= usize::from(is_template);
                    malformed.push(e.to_string());
                } else if is_template {
                    failures.push(e.to_string());
                }
            }
        }
    }
    let share = imported as f64 / templates.max(1) as f64;
    println!(
        "SAM/CloudFormation corpus: {imported}/{templates} templates import ({:.1}%), {exact} written back byte for byte",
        share * 100.0
    );
    for f in &failures {
        println!("  refused: {f}");
    }
    for f in &malformed {
        println!("  refused, as CloudFormation does: {f}");
    }
    assert!(templates > 100, "the corpus looks too small: {templates}");
    assert!(share >= 0.99, "only {:.1}% import", share * 100.0);
    assert!(not_exact.is_empty(), "not byte for byte: {not_exact:#?}");
}

/// Adding and connecting a service keeps every original line, in order, and
/// every original resource as it was.
#[test]
fn corpus_edits_touch_only_what_changed() {
    let Some(dir) = common::corpus() else { return };
    let mut checked = 0;
    for path in common::template_files(&dir) {
        let Ok(text) = std::fs::read_to_string(&path) else {
            continue;
        };
        let name = path.display().to_string();
        let Ok(mut sketch) = formats::read(&name, &text) else {
            continue;
        };
        if sketch.source.is_none() || sketch.is_empty() {
            continue;
        }
        let before = sketch.clone();
        let mut script = vec!["add queue StacksketchProbe".to_string()];
        if let Some(f) = sketch
            .services()
            .find(|s| s.type_name == "AWS::Serverless::Function")
        {
            script.push(format!("connect StacksketchProbe {}", f.id));
        }
        command::run_script(&mut sketch, &script).unwrap_or_else(|e| panic!("{name}: {e}"));
        let out = sam::export(&sketch);
        let written = out.text();
        // JSON templates gain commas on the line before an insertion.
        if !text.trim_start().starts_with('{') {
            let mut lines = written.lines();
            for (i, line) in text.lines().enumerate() {
                assert!(
                    lines.any(|l| l == line),
                    "{name}:{}: the line `{line}` was lost or moved:\n{written}",
                    i + 1
                );
            }
        }
        let back = formats::read(&name, written)
            .unwrap_or_else(|e| panic!("{name}: the written template does not read back: {e}"));
        for s in before.services().filter(|s| !s.implicit) {
            let b = back
                .service(&s.id)
                .unwrap_or_else(|| panic!("{name}: {} was lost", s.id));
            if !script.iter().any(|c| c.ends_with(&s.id)) {
                assert_eq!(b.properties, s.properties, "{name}: {} changed", s.id);
            }
        }
        assert!(
            back.contains("StacksketchProbe"),
            "{name}: the new queue is missing"
        );
        if script.len() > 1 {
            let f = script[1].split_whitespace().last().expect("a target");
            assert!(
                back.is_connected("StacksketchProbe", f, None),
                "{name}: the new connection did not survive:\n{written}"
            );
        }
        checked += 1;
    }
    println!("edited and re-read {checked} corpus templates");
    assert!(checked > 100);
}

/// Removing connections leaves templates that read back, with every other
/// resource as it was.
#[test]
fn corpus_disconnects_leave_valid_templates() {
    let Some(dir) = common::corpus() else { return };
    let mut checked = 0;
    for path in common::template_files(&dir) {
        let Ok(text) = std::fs::read_to_string(&path) else {
            continue;
        };
        let name = path.display().to_string();
        let Ok(mut sketch) = formats::read(&name, &text) else {
            continue;
        };
        let pairs: Vec<(String, String)> = View::of(&sketch, Level::Service)
            .edges
            .iter()
            .take(3)
            .map(|e| (e.from.clone(), e.to.clone()))
            .collect();
        if pairs.is_empty() {
            continue;
        }
        let before = sketch.clone();
        let mut touched: Vec<String> = Vec::new();
        for (a, b) in &pairs {
            if !sketch.is_connected(a, b, None) {
                continue;
            }
            let plan = command::plan(&sketch, &format!("disconnect {a} {b}"))
                .unwrap_or_else(|e| panic!("{name}: {e}"))
                .expect("a plan");
            touched.extend(plan.edit.touched().into_iter().map(str::to_string));
            plan.edit
                .apply(&mut sketch)
                .unwrap_or_else(|e| panic!("{name}: {e}"));
            // What made the arrow went with it, or is named as kept.
            touched.push(a.clone());
            touched.push(b.clone());
        }
        let out = sam::export(&sketch);
        let back = formats::read(&name, out.text())
            .unwrap_or_else(|e| panic!("{name}: no longer reads: {e}\n{}", out.text()));
        for s in before
            .services()
            .filter(|s| !s.implicit && !touched.contains(&s.id))
        {
            let b = back
                .service(&s.id)
                .unwrap_or_else(|| panic!("{name}: {} was lost", s.id));
            assert_eq!(b.properties, s.properties, "{name}: {} changed", s.id);
        }
        checked += 1;
    }
    println!("disconnected arrows in {checked} corpus templates");
    assert!(checked > 100);
}

#[test]
fn the_talk_example_shows_its_trigger() {
    let text = include_str!("../examples/s3-trigger/template.yaml");
    let sketch = formats::read("template.yaml", text).unwrap();
    let json: serde_json::Value =
        serde_json::from_str(&formats::json::export(&sketch, Level::Service)).unwrap();
    let edges = json["edges"].as_array().unwrap();
    assert!(
        edges
            .iter()
            .any(|e| e["from"] == "Bucket1" && e["to"] == "s3getobject" && e["kind"] == "trigger"),
        "{json}"
    );
    // The policy's bucket name matches Bucket1's own name: a write arrow.
    assert!(
        edges
            .iter()
            .any(|e| e["from"] == "s3getobject" && e["to"] == "Bucket1" && e["kind"] == "write")
    );
}

#[test]
fn glue_folds_at_service_level_and_shows_at_resource_level() {
    let text = "\
AWSTemplateFormatVersion: '2010-09-09'
Resources:
  Fn:
    Type: AWS::Lambda::Function
    Properties:
      Role: !GetAtt FnRole.Arn
      Handler: index.handler
      Runtime: python3.13
      Code: {ZipFile: 'def handler(e, c): pass'}
  FnRole:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument: {}
      Policies:
        - PolicyName: data
          PolicyDocument:
            Statement:
              - Effect: Allow
                Action: [dynamodb:GetItem, dynamodb:Query]
                Resource: !GetAtt Table.Arn
  Table:
    Type: AWS::DynamoDB::Table
  Uploads:
    Type: AWS::S3::Bucket
    Properties:
      NotificationConfiguration:
        LambdaConfigurations:
          - Event: s3:ObjectCreated:*
            Function: !GetAtt Fn.Arn
  Perm:
    Type: AWS::Lambda::Permission
    Properties:
      FunctionName: !Ref Fn
      Action: lambda:InvokeFunction
      Principal: s3.amazonaws.com
      SourceArn: !GetAtt Uploads.Arn
  Topic:
    Type: AWS::SNS::Topic
  Sub:
    Type: AWS::SNS::Subscription
    Properties:
      TopicArn: !Ref Topic
      Protocol: lambda
      Endpoint: !GetAtt Fn.Arn
";
    let sketch = formats::read("t.yaml", text).unwrap();
    let v = View::of(&sketch, Level::Service);
    let ids: Vec<&str> = v.nodes.iter().map(|n| n.id.as_str()).collect();
    assert_eq!(ids, ["Fn", "Table", "Uploads", "Topic"]);
    assert_eq!(v.node("Fn").unwrap().hidden_text(), "+1 IAM +1 perm");
    let has = |a: &str, b: &str, k: &str| {
        v.edges
            .iter()
            .any(|e| e.from == a && e.to == b && e.kind.word() == k)
    };
    assert!(has("Fn", "Table", "read"), "{:?}", v.edges);
    assert!(has("Uploads", "Fn", "trigger"));
    assert!(has("Topic", "Fn", "trigger"));
    let r = View::of(&sketch, Level::Resource);
    assert_eq!(r.nodes.len(), 7);
}
