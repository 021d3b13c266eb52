//! The canvas fits the screen: the real binary in tmux opens a template of
//! fifteen services at 120×40 and at 80×24, where the diagram is larger
//! than the canvas pane; after the fit key every service's name is on the
//! screen, and the key again goes back to panning full boxes.
//! Skipped (with a note) where tmux is not installed.

mod common;

use common::tmux::Tmux;

fn fifteen() -> (String, Vec<String>) {
    let mut t = String::from(
        "AWSTemplateFormatVersion: '2010-09-09'\nTransform: AWS::Serverless-2016-10-31\nResources:\n  Api:\n    Type: AWS::Serverless::Api\n    Properties:\n      StageName: prod\n  Uploads:\n    Type: AWS::S3::Bucket\n  Alerts:\n    Type: AWS::SNS::Topic\n",
    );
    let mut names = vec!["Api".to_string(), "Uploads".into(), "Alerts".into()];
    for i in 0..3 {
        let extra = match i {
            0 => {
                "        Upload:\n          Type: S3\n          Properties:\n            Bucket: !Ref Uploads\n            Events: s3:ObjectCreated:*\n"
            }
            1 => {
                "        Alert:\n          Type: SNS\n          Properties:\n            Topic: !Ref Alerts\n"
            }
            _ => "",
        };
        t.push_str(&format!(
            "  Front{i}:
    Type: AWS::Serverless::Function
    Properties:
      Handler: app.handler
      Runtime: python3.12
      CodeUri: src/
      Environment:
        Variables:
          QUEUE_URL: !Ref Jobs{i}
      Policies:
        - SQSSendMessagePolicy:
            QueueName: !GetAtt Jobs{i}.QueueName
      Events:
        Get:
          Type: Api
          Properties:
            RestApiId: !Ref Api
            Path: /p{i}
            Method: get
  Jobs{i}:
    Type: AWS::SQS::Queue
  Worker{i}:
    Type: AWS::Serverless::Function
    Properties:
      Handler: app.handler
      Runtime: python3.12
      CodeUri: src/
      Environment:
        Variables:
          TABLE: !Ref Items{i}
      Policies:
        - DynamoDBCrudPolicy:
            TableName: !Ref Items{i}
      Events:
        Jobs:
          Type: SQS
          Properties:
            Queue: !GetAtt Jobs{i}.Arn
{extra}  Items{i}:
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
        for n in ["Front", "Jobs", "Worker", "Items"] {
            names.push(format!("{n}{i}"));
        }
    }
    (t, names)
}

/// The canvas pane's part of the screen: the lines between its top border
/// (the one naming the level) and the status line.
fn missing(screen: &str, names: &[String]) -> Vec<String> {
    names
        .iter()
        .filter(|n| {
            !screen.lines().any(|l| {
                l.match_indices(n.as_str()).any(|(i, _)| {
                    !l[i + n.len()..]
                        .chars()
                        .next()
                        .is_some_and(|c| c.is_ascii_alphanumeric())
                })
            })
        })
        .cloned()
        .collect()
}

fn seen_whole_after_fit(w: u16, h: u16) {
    let Some(tmux) = Tmux::start(&format!("{w}x{h}")) else {
        return;
    };
    let dir = common::scratch(&format!("canvas-{w}x{h}"));
    let (text, names) = fifteen();
    assert_eq!(names.len(), 15);
    let file = dir.join("template.yaml");
    std::fs::write(&file, text).unwrap();
    tmux.open(&dir, &format!("'{}'", file.display()), w, h);
    let before = tmux.wait_for("service level");
    assert!(
        !missing(&before, &names).is_empty(),
        "the diagram already fits at {w}x{h}; the test proves nothing:\n{before}"
    );
    tmux.keys(&["f"]);
    let after = tmux.wait_for("the whole diagram");
    let gone = missing(&after, &names);
    assert!(
        gone.is_empty(),
        "{gone:?} not on screen at {w}x{h} after fit:\n{after}"
    );
    assert!(
        !after.contains("↔") && !after.contains("↕"),
        "still scrolls:\n{after}"
    );
    tmux.keys(&["f"]);
    tmux.wait_for("fit off");
    tmux.keys(&["q"]);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn fifteen_services_seen_whole_after_fit_at_120x40() {
    seen_whole_after_fit(120, 40);
}

#[test]
fn fifteen_services_seen_whole_after_fit_at_80x24() {
    seen_whole_after_fit(80, 24);
}
