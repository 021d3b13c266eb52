//! The command line as a user meets it: exit codes, messages that name the
//! file and line, `--help` everywhere, and files written only when asked.

mod common;

use predicates::prelude::*;
use predicates::str::contains;

const BAD_INPUTS: &[(&str, &[u8], &str)] = &[
    (
        "broken.yaml",
        b"Resources:\n  Fn:\n    Type: [unclosed\n  Other: 1\n",
        "invalid YAML",
    ),
    (
        "noise.yaml",
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\xff\xfe",
        "not UTF-8",
    ),
    ("empty.yaml", b"", "empty"),
    (
        "broken.json",
        b"{\n  \"Resources\": {\n    \"A\": {\"Type\": \"AWS::SQS::Queue\",}\n  }\n}\n",
        "invalid JSON",
    ),
    ("list.yaml", b"- just\n- a list\n", "mapping"),
];

#[test]
fn bad_input_exits_1_naming_file_and_line() {
    let dir = common::scratch("bad");
    for (name, bytes, what) in BAD_INPUTS {
        let path = dir.join(name);
        std::fs::write(&path, bytes).unwrap();
        let shown = path.display().to_string();
        common::bin()
            .args(["export", &shown, "--to", "json"])
            .assert()
            .code(1)
            .stderr(
                predicate::str::is_match(format!("^{}:\\d+:\\d+: ", regex_escape(&shown))).unwrap(),
            )
            .stderr(contains(*what))
            .stderr(contains("panicked").not());
    }
}

fn regex_escape(s: &str) -> String {
    s.chars()
        .map(|c| {
            if c.is_alphanumeric() || c == '/' || c == '_' || c == '-' {
                c.to_string()
            } else {
                format!("\\{c}")
            }
        })
        .collect()
}

#[test]
fn broken_yaml_points_at_its_line() {
    let dir = common::scratch("line");
    let path = dir.join("t.yaml");
    std::fs::write(
        &path,
        "Resources:\n  Q:\n    Type: AWS::SQS::Queue\n  B: : :\n",
    )
    .unwrap();
    common::bin()
        .args(["export", path.to_str().unwrap(), "--to", "json"])
        .assert()
        .code(1)
        .stderr(contains(":4:"));
}

#[test]
fn missing_file_and_bad_usage() {
    common::bin()
        .args(["export", "no/such/file.yaml", "--to", "json"])
        .assert()
        .code(1)
        .stderr(contains("no such file"));
    common::bin()
        .args(["export", "x.yaml", "--to", "nonsense"])
        .assert()
        .code(2);
    common::bin()
        .args([
            "export",
            "examples/api-table/template.yaml",
            "-o",
            "out.unknown",
        ])
        .assert()
        .code(2)
        .stderr(contains("--to"));
    common::bin()
        .args(["apply", "-o", "x.yaml"])
        .assert()
        .code(2);
}

#[test]
fn help_everywhere() {
    common::bin()
        .arg("--help")
        .assert()
        .success()
        .stdout(contains("export"))
        .stdout(contains("apply"));
    let out = common::bin().arg("--help").output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout).to_string();
    // Every subcommand listed in the top-level help answers --help.
    let subs: Vec<String> = text
        .lines()
        .skip_while(|l| !l.starts_with("Commands:"))
        .skip(1)
        .take_while(|l| l.starts_with("  "))
        .filter_map(|l| l.split_whitespace().next().map(str::to_string))
        .filter(|s| s != "help")
        .collect();
    assert!(subs.len() >= 2, "{text}");
    for s in subs {
        common::bin()
            .args([s.as_str(), "--help"])
            .assert()
            .success()
            .stdout(contains("Usage:"));
    }
}

#[test]
fn apply_writes_only_the_output_and_a_failing_command_writes_nothing() {
    let dir = common::scratch("apply");
    let input = dir.join("template.yaml");
    let original = include_str!("../examples/api-table/template.yaml");
    std::fs::write(&input, original).unwrap();
    let out = dir.join("out.yaml");
    common::bin()
        .args([
            "apply",
            input.to_str().unwrap(),
            "-c",
            "add queue Jobs",
            "-c",
            "connect Jobs ItemsFunction",
            "-o",
            out.to_str().unwrap(),
        ])
        .assert()
        .success();
    assert_eq!(
        std::fs::read_to_string(&input).unwrap(),
        original,
        "the input was changed"
    );
    let written = std::fs::read_to_string(&out).unwrap();
    assert!(written.contains("Type: SQS"), "{written}");
    // Nothing but the input, the output and the starter code of a new
    // project (the function's folder was missing) in the folder: no
    // temporary files left.
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    names.sort();
    assert_eq!(names, ["events", "out.yaml", "src", "template.yaml"]);

    let out2 = dir.join("out2.yaml");
    common::bin()
        .args([
            "apply",
            input.to_str().unwrap(),
            "-c",
            "add queue Jobs",
            "-c",
            "connect Jobs Nowhere",
            "-o",
            out2.to_str().unwrap(),
        ])
        .assert()
        .code(1)
        .stderr(contains("command 2"))
        .stderr(contains("Nowhere"));
    assert!(!out2.exists());
}

#[test]
fn script_errors_name_the_script_line() {
    let dir = common::scratch("script");
    let script = dir.join("build.txt");
    std::fs::write(
        &script,
        "# a pipeline\nadd queue Jobs\n\nadd nonsense Thing\n",
    )
    .unwrap();
    common::bin()
        .args([
            "apply",
            "--script",
            script.to_str().unwrap(),
            "--to",
            "json",
        ])
        .assert()
        .code(1)
        .stderr(contains(format!("{}:4:", script.display())));
}

#[test]
fn opening_writes_nothing() {
    let dir = common::scratch("open");
    let input = dir.join("template.yaml");
    std::fs::write(
        &input,
        include_str!("../examples/queue-pipeline/template.yaml"),
    )
    .unwrap();
    common::bin()
        .args(["export", input.to_str().unwrap(), "--to", "json"])
        .assert()
        .success();
    let names: Vec<_> = std::fs::read_dir(&dir).unwrap().collect();
    assert_eq!(names.len(), 1);
}

#[test]
fn sketch_files_round_trip_through_the_cli() {
    let dir = common::scratch("sketch");
    let sk = dir.join("pipeline.sketch.yaml");
    common::bin()
        .args([
            "export",
            "examples/queue-pipeline/template.yaml",
            "-o",
            sk.to_str().unwrap(),
        ])
        .assert()
        .success();
    let text = std::fs::read_to_string(&sk).unwrap();
    assert!(text.contains("stacksketch: 1"));
    // The sketch carries its template: exporting it to SAM gives the template back.
    common::bin()
        .args(["export", sk.to_str().unwrap(), "--to", "sam"])
        .assert()
        .success()
        .stdout(include_str!("../examples/queue-pipeline/template.yaml"));
    // And it is deterministic.
    let again = dir.join("again.sketch.yaml");
    common::bin()
        .args([
            "export",
            sk.to_str().unwrap(),
            "-o",
            again.to_str().unwrap(),
        ])
        .assert()
        .success();
    assert_eq!(std::fs::read_to_string(&again).unwrap(), text);
}

#[test]
fn exporting_over_an_existing_template_keeps_its_text() {
    let dir = common::scratch("over");
    let target = dir.join("template.yaml");
    let original = include_str!("../examples/api-table/template.yaml");
    std::fs::write(&target, original).unwrap();
    // A sketch made from the template, edited, then written over it.
    let sk = dir.join("items.sketch.yaml");
    common::bin()
        .args([
            "apply",
            target.to_str().unwrap(),
            "-c",
            "add topic Events",
            "-c",
            "connect ItemsFunction Events",
            "-o",
            sk.to_str().unwrap(),
        ])
        .assert()
        .success();
    common::bin()
        .args([
            "export",
            sk.to_str().unwrap(),
            "-o",
            target.to_str().unwrap(),
        ])
        .assert()
        .success();
    let written = std::fs::read_to_string(&target).unwrap();
    for line in original.lines() {
        assert!(written.lines().any(|l| l == line), "lost: {line}");
    }
    assert!(written.contains("SNSPublishMessagePolicy"));
}

#[test]
fn check_lists_what_looks_wrong() {
    let dir = common::scratch("check");
    let t = dir.join("t.yaml");
    std::fs::write(
        &t,
        "Resources:\n  Lonely:\n    Type: AWS::SQS::Queue\n  Fn:\n    Type: AWS::Serverless::Function\n    Properties: {Handler: a.b, Runtime: python3.13, CodeUri: .}\n",
    )
    .unwrap();
    common::bin()
        .args(["check", t.to_str().unwrap()])
        .assert()
        .success()
        .stdout(contains("Lonely is not connected"));
    common::bin()
        .args(["check", t.to_str().unwrap(), "--strict"])
        .assert()
        .code(4);
    common::bin()
        .args(["check", "examples/api-table/template.yaml", "--strict"])
        .assert()
        .success()
        .stdout(contains("nothing looks wrong"));
}

#[test]
fn a_mistyped_subcommand_is_suggested_not_opened() {
    common::bin()
        .arg("rendr")
        .assert()
        .code(2)
        .stderr(contains("did you mean `render`?"));
    common::bin()
        .args(["new", "x.yaml"])
        .assert()
        .code(2)
        .stderr(contains("needs a terminal"));
}
