//! Every trigger, route and subscription the catalog allows, written in SAM,
//! in plain CloudFormation and in Terraform: a connection with a recipe in
//! `formats::recipes::links` is written where the recipe says it can be,
//! and one written where it has no recipe is listed as written by hand; what
//! is written reads back as the same arrow.

use std::collections::{BTreeMap, BTreeSet};

use stacksketch::catalog::{ENTRIES, Kind};
use stacksketch::command;
use stacksketch::formats::recipes::links;
use stacksketch::formats::{self, sam, terraform};
use stacksketch::model::{ConnectionKind, Dialect, Level, Sketch, Source, View};

/// Connections a writer still writes by hand, with no recipe in its
/// language: API routes and integrations, a bus's triggers (through a rule
/// made on the bus), and CloudFormation's rule and schedule targets. Each
/// one moved into the table leaves this list.
const BY_HAND: &[(&str, &str, &str, &str)] = &[
    ("Plain", "eventbus", "function", "trigger"),
    ("Sam", "api", "function", "route"),
    ("Sam", "api", "statemachine", "route"),
    ("Sam", "eventbus", "firehose", "trigger"),
    ("Sam", "eventbus", "function", "trigger"),
    ("Sam", "eventbus", "rule", "route"),
    ("Sam", "eventbus", "queue", "trigger"),
    ("Sam", "eventbus", "statemachine", "trigger"),
    ("Sam", "eventbus", "stream", "trigger"),
    ("Sam", "eventbus", "topic", "trigger"),
    ("Sam", "httpapi", "function", "route"),
    ("Sam", "rule", "function", "trigger"),
    ("Sam", "schedule", "function", "trigger"),
    ("Terraform", "api", "function", "route"),
    ("Terraform", "eventbus", "firehose", "trigger"),
    ("Terraform", "eventbus", "function", "trigger"),
    ("Terraform", "eventbus", "queue", "trigger"),
    ("Terraform", "eventbus", "rule", "route"),
    ("Terraform", "eventbus", "statemachine", "trigger"),
    ("Terraform", "eventbus", "stream", "trigger"),
    ("Terraform", "eventbus", "topic", "trigger"),
    ("Terraform", "httpapi", "function", "route"),
    ("Terraform", "websocket", "function", "route"),
];

const PLAIN: &str = "\
AWSTemplateFormatVersion: '2010-09-09'
Resources:
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

/// Every (source, target, kind) the catalog allows for triggers, routes
/// and subscriptions.
fn pairs() -> Vec<(&'static str, &'static str, ConnectionKind)> {
    let mut out = Vec::new();
    for e in ENTRIES {
        for (to, kind) in e.connects_to {
            if matches!(
                kind,
                ConnectionKind::Trigger | ConnectionKind::Route | ConnectionKind::Subscribe
            ) {
                let a = Kind::parse(e.word).unwrap();
                assert!(a.allows(*to, *kind), "{} -> {to} ({kind})", e.word);
                out.push((e.word, to.word(), *kind));
            }
        }
    }
    out
}

fn run(s: &mut Sketch, script: &[String]) {
    command::run_script(s, script).unwrap();
}

/// The arrows of a sketch by the kinds of the services they join.
fn arrows(s: &Sketch) -> BTreeSet<(String, String, ConnectionKind)> {
    let kind = |id: &str| {
        s.service(id)
            .map(|x| x.kind.word().to_string())
            .unwrap_or_default()
    };
    View::of(s, Level::Service)
        .edges
        .into_iter()
        .map(|e| (kind(&e.from), kind(&e.to), e.kind))
        .collect()
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Lang {
    Sam,
    Plain,
    Terraform,
}

/// A sketch holding one connection, drawn in a language's sketch: the
/// target is the plain function of [`PLAIN`] in plain CloudFormation. Gives
/// the target's id too.
fn drawn(lang: Lang, (a, b, kind): (&str, &str, ConnectionKind)) -> (Sketch, &'static str) {
    let mut s = match lang {
        Lang::Plain => formats::read("t.yaml", PLAIN).unwrap(),
        _ => Sketch::new(),
    };
    if lang == Lang::Terraform {
        s.source = Some(Source {
            dialect: Dialect::Terraform,
            files: Default::default(),
        });
    }
    let target = if lang == Lang::Plain {
        "Worker"
    } else {
        "Target"
    };
    let mut script = vec![format!("add {a} Source")];
    if lang != Lang::Plain {
        script.push(format!("add {b} Target"));
    }
    script.push(format!("connect Source {target} {}", kind.word()));
    run(&mut s, &script);
    (s, target)
}

/// Writes one connection in one language: `None` when the writer refuses
/// it, else the arrows the written file reads back as.
fn write(
    lang: Lang,
    (a, b, kind): (&str, &str, ConnectionKind),
) -> Option<BTreeSet<(String, String, ConnectionKind)>> {
    let (s, _) = drawn(lang, (a, b, kind));
    match lang {
        Lang::Terraform => {
            let out = terraform::export(&s);
            if !out.unwritten.is_empty() {
                return None;
            }
            let files: BTreeMap<String, String> = out
                .files
                .into_iter()
                .filter(|(n, _)| n.ends_with(".tf"))
                .collect();
            Some(arrows(&terraform::import(&files, "t").unwrap()))
        }
        _ => {
            let out = sam::export(&s);
            if !out.unwritten.is_empty() {
                return None;
            }
            Some(arrows(&formats::read("t.yaml", out.text()).unwrap()))
        }
    }
}

/// Whether the recipe table says a language writes this connection.
fn in_table(lang: Lang, l: &links::Link) -> bool {
    match lang {
        // A SAM function takes an event; glue that needs a plain function
        // (a mapping polled on its role, an invoke permission) is not
        // written for one.
        Lang::Sam => {
            l.sam.is_some()
                || l.cfn.as_ref().is_some_and(|g| {
                    !matches!(g, links::Glue::Mapping { .. })
                        && !matches!(l.reach, links::Reach::Permission(_))
                })
        }
        Lang::Plain => l.cfn.is_some(),
        Lang::Terraform => l.tf.is_some(),
    }
}

#[test]
fn every_trigger_route_and_subscription_is_written_by_its_recipe_or_refused() {
    let mut by_hand = BTreeSet::new();
    let mut wrong = Vec::new();
    let mut checked = 0;
    for (a, b, kind) in pairs() {
        let recipe = links::link(Kind::parse(a).unwrap(), Kind::parse(b).unwrap(), kind);
        for lang in [Lang::Sam, Lang::Plain, Lang::Terraform] {
            if lang == Lang::Plain && b != "function" {
                continue;
            }
            let written = write(lang, (a, b, kind));
            let want = (a.to_string(), b.to_string(), kind);
            let name = format!("{lang:?}: {a} -> {b} ({kind})");
            match (recipe.map(|l| in_table(lang, l)), &written) {
                (Some(true), None) => wrong.push(format!("{name} has a recipe but is refused")),
                (Some(false) | None, Some(_)) => {
                    by_hand.insert(format!("{lang:?} {a} {b} {kind}"));
                }
                _ => {}
            }
            if let Some(back) = &written {
                checked += 1;
                // A bus triggers through a rule on it.
                let through_a_rule = a == "eventbus"
                    && back.contains(&(a.into(), "rule".into(), ConnectionKind::Route))
                    && back.contains(&("rule".into(), b.into(), kind));
                if !back.contains(&want) && !through_a_rule {
                    wrong.push(format!("{name} reads back as {back:?}"));
                }
            }
        }
    }
    let listed: BTreeSet<String> = BY_HAND
        .iter()
        .map(|(l, a, b, k)| format!("{l} {a} {b} {k}"))
        .collect();
    for h in by_hand.difference(&listed) {
        wrong.push(format!("{h} is written with no recipe"));
    }
    for h in listed.difference(&by_hand) {
        wrong.push(format!("{h} is listed as written by hand but is not"));
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    assert!(checked > 50, "only {checked} connections written");
}

/// Exports a connection and gives the file's text and what it reads back as.
fn round_trip(lang: Lang, (a, b, kind): (&str, &str, ConnectionKind)) -> (String, bool) {
    let (s, target) = drawn(lang, (a, b, kind));
    if lang == Lang::Terraform {
        let out = terraform::export(&s);
        assert!(out.unwritten.is_empty(), "{:?}", out.unwritten);
        let files: BTreeMap<String, String> = out
            .files
            .into_iter()
            .filter(|(n, _)| n.ends_with(".tf"))
            .collect();
        let back = terraform::import(&files, "t").unwrap();
        let text = files.values().cloned().collect::<Vec<_>>().join("\n");
        let found = back.connections().any(|(x, y, c)| {
            c.kind == kind
                && back.service(x).is_some_and(|s| s.kind.word() == a)
                && back.service(y).is_some_and(|s| s.kind.word() == b)
        });
        (text, found)
    } else {
        let out = sam::export(&s);
        assert!(out.unwritten.is_empty(), "{:?}", out.unwritten);
        let back = formats::read("t.yaml", out.text()).unwrap();
        let found = back.is_connected("Source", target, Some(kind));
        (out.text().to_string(), found)
    }
}

/// Added as one entry in the recipe table: a bucket notifies a topic, in
/// CloudFormation as in Terraform, with the topic's policy letting S3
/// publish.
#[test]
fn a_bucket_notifies_a_topic_in_both_languages() {
    let conn = ("bucket", "topic", ConnectionKind::Trigger);
    let (sam_text, found) = round_trip(Lang::Sam, conn);
    assert!(found, "{sam_text}");
    for want in [
        "TopicConfigurations",
        "AWS::SNS::TopicPolicy",
        "s3.amazonaws.com",
    ] {
        assert!(sam_text.contains(want), "{want}\n{sam_text}");
    }
    let (tf_text, found) = round_trip(Lang::Terraform, conn);
    assert!(found, "{tf_text}");
    for want in ["topic_arn", "aws_sns_topic_policy", "s3.amazonaws.com"] {
        assert!(tf_text.contains(want), "{want}\n{tf_text}");
    }
}

/// Added as one entry in the recipe table: a bucket triggers a plain
/// CloudFormation function (not only a SAM one) through a notification and
/// an invoke permission the bucket waits for, as it does in Terraform.
#[test]
fn a_bucket_triggers_a_plain_function_in_both_languages() {
    let conn = ("bucket", "function", ConnectionKind::Trigger);
    let (cfn_text, found) = round_trip(Lang::Plain, conn);
    assert!(found, "{cfn_text}");
    for want in [
        "LambdaConfigurations",
        "AWS::Lambda::Permission",
        "DependsOn: [WorkerSourcePermission]",
    ] {
        assert!(cfn_text.contains(want), "{want}\n{cfn_text}");
    }
    let (tf_text, found) = round_trip(Lang::Terraform, conn);
    assert!(found, "{tf_text}");
    for want in ["lambda_function_arn", "aws_lambda_permission"] {
        assert!(tf_text.contains(want), "{want}\n{tf_text}");
    }
}

/// A bucket that has a name keeps it, and what lets it reach the target
/// names the bucket by it.
#[test]
fn a_named_bucket_is_reached_by_its_own_name() {
    let template = format!(
        "{PLAIN}  Uploads:\n    Type: AWS::S3::Bucket\n    Properties:\n      BucketName: !Ref UploadsName\n"
    )
    .replace(
        "Resources:\n",
        "Parameters:\n  UploadsName:\n    Type: String\nResources:\n",
    );
    let mut s = formats::read("t.yaml", &template).unwrap();
    run(&mut s, &["connect Uploads Worker trigger".to_string()]);
    let out = sam::export(&s);
    assert!(out.unwritten.is_empty(), "{:?}", out.unwritten);
    let text = out.text();
    assert!(
        text.contains("SourceArn: !Sub arn:${AWS::Partition}:s3:::${UploadsName}"),
        "{text}"
    );
    assert!(text.contains("BucketName: !Ref UploadsName"), "{text}");
    let back = formats::read("t.yaml", text).unwrap();
    assert!(back.is_connected("Uploads", "Worker", Some(ConnectionKind::Trigger)));
}
