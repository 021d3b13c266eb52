//! Hostile inputs: files someone else wrote, run through every command.
//! Each test reproduces one way such a file could hurt (drive the terminal,
//! leave an invalid template, exhaust time or memory, slip a wrong shape
//! through); the fixtures it reads are in `tests/hostile/`.

mod common;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Output;

use assert_cmd::Command;
use proptest::prelude::*;

fn bin() -> Command {
    Command::cargo_bin("stacksketch").unwrap()
}

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/hostile")
        .join(name)
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

// ---------------------------------------------------------------- inert text

/// The characters that would act on a terminal or reorder what it shows,
/// written out here on their own (not with the crate's function) so the
/// test checks the crate rather than agreeing with it.
fn acts_on_terminal(c: char) -> bool {
    let n = c as u32;
    (n < 0x20 && c != '\n' && c != '\t')
        || (0x7f..=0x9f).contains(&n)
        || matches!(n, 0x061c | 0x200e | 0x200f | 0x202a..=0x202e | 0x2066..=0x2069)
}

fn first_unsafe(text: &str) -> Option<(usize, char)> {
    text.char_indices().find(|&(_, c)| acts_on_terminal(c))
}

fn assert_inert(what: &str, bytes: &[u8]) {
    let text = String::from_utf8_lossy(bytes);
    if let Some((at, c)) = first_unsafe(&text) {
        let from = text[..at].char_indices().rev().nth(30).map_or(0, |p| p.0);
        panic!(
            "{what}: U+{:04X} reaches the output raw, after {:?}",
            c as u32,
            &text[from..at]
        );
    }
}

/// A string as a YAML double-quoted scalar, every unusual character escaped.
fn yq(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if (c as u32) < 0x20 || (0x7f..=0xa0).contains(&(c as u32)) || c as u32 > 0x7e => {
                out.push_str(&format!("\\u{:04x}", c as u32))
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A string as an HCL quoted string.
fn hq(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '$' => out.push_str("$$"),
            '%' => out.push_str("%%"),
            c if (c as u32) < 0x20 || (0x7f..=0xa0).contains(&(c as u32)) || c as u32 > 0x7e => {
                out.push_str(&format!("\\u{:04x}", c as u32))
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A template whose type, event name and description carry `h`.
fn hostile_template(h: &str) -> String {
    format!(
        "AWSTemplateFormatVersion: '2010-09-09'\n\
         Transform: AWS::Serverless-2016-10-31\n\
         Description: {d}\n\
         Resources:\n\
         \x20 Odd:\n\
         \x20   Type: {t}\n\
         \x20 Jobs:\n\
         \x20   Type: AWS::SQS::Queue\n\
         \x20 Worker:\n\
         \x20   Type: AWS::Serverless::Function\n\
         \x20   Properties:\n\
         \x20     Runtime: python3.13\n\
         \x20     Handler: app.handler\n\
         \x20     CodeUri: {d}\n\
         \x20     Events:\n\
         \x20       {e}:\n\
         \x20         Type: SQS\n\
         \x20         Properties:\n\
         \x20           Queue: !GetAtt Jobs.Arn\n",
        d = yq(h),
        t = yq(&format!("AWS::Evil::{h}")),
        e = yq(&format!("E{h}")),
    )
}

/// A sketch file whose names, labels, types and groups carry `h`.
fn hostile_sketch(h: &str) -> String {
    let q = yq(h);
    format!(
        "stacksketch: 1\n\
         name: {q}\n\
         services:\n\
         - id: Jobs\n\
         \x20 kind: queue\n\
         \x20 type: AWS::SQS::Queue\n\
         \x20 label: {q}\n\
         \x20 group: G\n\
         \x20 multiplicity: {q}\n\
         - id: Worker\n\
         \x20 kind: function\n\
         \x20 type: {t}\n\
         \x20 label: {q}\n\
         connections:\n\
         - from: Jobs\n\
         \x20 to: Worker\n\
         \x20 kind: trigger\n\
         \x20 label: {q}\n\
         groups:\n\
         - id: G\n\
         \x20 kind: group\n\
         \x20 label: {q}\n\
         notes:\n\
         - text: {q}\n",
        t = yq(&format!("AWS::Evil::{h}")),
    )
}

/// A Terraform file whose names carry `h`; with `bad_type`, a resource
/// type too (which is refused, and the refusal quotes it).
fn hostile_terraform(h: &str, bad_type: bool) -> String {
    let mut text = format!(
        "resource \"aws_sqs_queue\" \"jobs\" {{\n  name = {n}\n  count = 2\n}}\n\n\
         resource \"aws_evil_thing\" \"odd\" {{\n  name = {n}\n}}\n",
        n = hq(h),
    );
    if bad_type {
        text.push_str(&format!(
            "\nresource {} \"bad\" {{\n}}\n",
            hq(&format!("aws_evil_{h}"))
        ));
    }
    text
}

/// Every command that prints, over one input.
fn every_output(input: &Path) -> Vec<(String, Output)> {
    let i = input.to_str().unwrap();
    let runs: &[&[&str]] = &[
        &["render", i],
        &["render", i, "--ascii", "--level", "resource"],
        &["check", i],
        &["cost", i],
        &["cost", i, "--budget", "0"],
        &["export", i, "--to", "mermaid"],
        &["export", i, "--to", "dot"],
        &["export", i, "--to", "json"],
        &["export", i, "--to", "layout-json"],
        &["apply", i, "-c", "add queue Extra", "--to", "mermaid"],
        &["apply", i, "-c", "connect Nowhere Jobs", "--to", "dot"],
    ];
    runs.iter()
        .map(|args| {
            let out = bin().args(*args).output().unwrap();
            (args.join(" "), out)
        })
        .collect()
}

fn check_all(dir: &Path, name: &str, text: &str) {
    let path = dir.join(name);
    if fs::write(&path, text).is_err() {
        // A name the file system refuses cannot reach the program either.
        return;
    }
    for (what, out) in every_output(&path) {
        assert_inert(&format!("{what} (stdout)"), &out.stdout);
        assert_inert(&format!("{what} (stderr)"), &out.stderr);
    }
    check_whiteboard(&path);
}

/// Every pane of the whiteboard, drawn with the input open.
fn check_whiteboard(path: &Path) {
    use ratatui::Terminal;
    use ratatui::backend::TestBackend;
    use stacksketch::tui::{self, App, Document, Options};
    let Ok(doc) = Document::open(path) else {
        return;
    };
    let mut app = App::new(doc, Options::default());
    for (w, h) in [(200, 60), (80, 24)] {
        let mut t = Terminal::new(TestBackend::new(w, h)).unwrap();
        tui::frame(&mut t, &mut app).unwrap();
        let buf = t.backend().buffer();
        let mut text = String::new();
        for c in &buf.content {
            text.push_str(c.symbol());
        }
        assert_inert(&format!("the whiteboard at {w}x{h}"), text.as_bytes());
    }
}

/// Text with terminal-driving characters among ordinary ones.
fn hostile_text() -> impl Strategy<Value = String> {
    let unsafe_chars = prop::sample::select(vec![
        '\u{1b}', '\u{7}', '\u{8}', '\r', '\u{0}', '\u{7f}', '\u{85}', '\u{9b}', '\u{9d}',
        '\u{202e}', '\u{202d}', '\u{2066}', '\u{2069}', '\u{200f}', '\u{61c}',
    ]);
    let plain = prop::sample::select(vec!['a', 'Z', '0', ']', ';', '[', '-', ' ', 'é']);
    prop::collection::vec(prop_oneof![2 => unsafe_chars, 3 => plain], 1..12)
        .prop_map(|v| v.into_iter().collect())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(12))]

    /// Finding 2: no byte below 0x20 other than newline and tab, no DEL,
    /// no C1 code and no bidirectional control from an input reaches any
    /// output: errors, warnings, render, check, cost, Mermaid, DOT, JSON
    /// and the whiteboard's panes.
    #[test]
    fn hostile_text_reaches_no_output_raw(h in hostile_text()) {
        let dir = tempfile::tempdir().unwrap();
        // In a file name, too (a file name holds anything but `/` and NUL).
        let file_part: String = h.chars().filter(|c| *c != '/' && *c != '\0').collect();
        check_all(dir.path(), &format!("t{file_part}.yaml"), &hostile_template(&h));
        check_all(dir.path(), "plain.yaml", &hostile_template(&h));
        check_all(dir.path(), &format!("s{file_part}.sketch.yaml"), &hostile_sketch(&h));
        // As an id, which is refused: the refusal quotes it.
        let bad_id = format!("Resources:\n  {}:\n    Type: AWS::SQS::Queue\n", yq(&format!("Q{h}")));
        check_all(dir.path(), "id.yaml", &bad_id);
        for bad_type in [false, true] {
            let tf = dir.path().join(format!("tf{bad_type}{file_part}"));
            if fs::create_dir(&tf).is_ok() {
                fs::write(tf.join("main.tf"), hostile_terraform(&h, bad_type)).unwrap();
                for (what, out) in every_output(&tf) {
                    assert_inert(&format!("{what} (stdout)"), &out.stdout);
                    assert_inert(&format!("{what} (stderr)"), &out.stderr);
                }
                check_whiteboard(&tf);
            }
        }
    }
}

/// The example of the issue: an OSC 52 sequence in an id would write the
/// clipboard, an OSC 0 sequence in a type would retitle the terminal.
#[test]
fn escape_sequences_are_shown_not_sent() {
    let out = bin()
        .args(["check", fixture("osc-id.yaml").to_str().unwrap()])
        .output()
        .unwrap();
    assert!(!out.status.success());
    let e = stderr(&out);
    assert!(e.contains("F\\e]52;c;aGk=\\u{7}"), "{e}");
    let out = bin()
        .args(["cost", fixture("osc-type.yaml").to_str().unwrap()])
        .output()
        .unwrap();
    let o = stdout(&out);
    assert!(o.contains("AWS::Evil\\e]0;pwned\\u{7}::X\\u{202e}"), "{o}");
    assert_inert("cost", &out.stdout);
}

/// The fixtures of the property test are read, not refused, so every output
/// (not only the error path) sees the hostile text.
#[test]
fn the_hostile_fixtures_are_read() {
    let h = "x\u{1b}]0;t\u{7}\u{202e}";
    let dir = tempfile::tempdir().unwrap();
    let t = dir.path().join("t.yaml");
    fs::write(&t, hostile_template(h)).unwrap();
    let s = dir.path().join("s.sketch.yaml");
    fs::write(&s, hostile_sketch(h)).unwrap();
    let tf = dir.path().join("tf");
    fs::create_dir(&tf).unwrap();
    fs::write(tf.join("main.tf"), hostile_terraform(h, false)).unwrap();
    for p in [&t, &s, &tf] {
        let out = bin()
            .args(["export", p.to_str().unwrap(), "--to", "json"])
            .output()
            .unwrap();
        assert!(out.status.success(), "{}: {}", p.display(), stderr(&out));
        // Terraform shows addresses, which cannot carry such text.
        if p != &tf {
            assert!(
                stdout(&out).contains("\\u001b]0;t\\u0007\\u202e"),
                "{}",
                stdout(&out)
            );
        }
    }
}

// ------------------------------------------------------------- depth, size

/// Finding 6: flow collections nested thousands deep are refused before the
/// parser's work (which grows with the square of the depth), at the place
/// where the nesting goes too deep.
#[test]
fn deep_flow_nesting_is_refused_where_it_goes_too_deep() {
    let n = 20_000;
    let text = format!(
        "Resources:\n  Q:\n    Type: AWS::SQS::Queue\n    Properties:\n      X: {}a{}\n",
        "{Fn::If: [c, ".repeat(n),
        "]}".repeat(n)
    );
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("deep.yaml");
    fs::write(&p, text).unwrap();
    let out = bin().args(["check", p.to_str().unwrap()]).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let e = stderr(&out);
    assert!(e.contains("deep.yaml:5:"), "{e}");
    assert!(e.contains("nested more than 128 deep"), "{e}");
}

// ------------------------------------------------------------ line endings

fn apply_to_copy(fixture_name: &str, commands: &[&str]) -> (String, String) {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join(fixture_name);
    let mut cmd = bin();
    cmd.arg("apply").arg(fixture(fixture_name));
    for c in commands {
        cmd.args(["-c", c]);
    }
    let run = cmd.arg("-o").arg(&out).output().unwrap();
    assert!(run.status.success(), "{}", stderr(&run));
    (fs::read_to_string(&out).unwrap(), stderr(&run))
}

/// Finding 4: an edit on a CRLF template writes its new and changed lines
/// with CRLF too, so the file does not end up with mixed line endings.
#[test]
fn a_crlf_template_keeps_crlf_on_edits() {
    let (text, _) = apply_to_copy(
        "crlf.yaml",
        &["add queue Extra", "set Jobs DelaySeconds 10"],
    );
    assert!(text.contains("DelaySeconds: 10\r\n"), "{text:?}");
    assert!(text.contains("Extra:\r\n"), "{text:?}");
    let bare = text.replace("\r\n", "").matches('\n').count();
    assert_eq!(bare, 0, "a line ends in a bare LF: {text:?}");
}

/// Finding 4: a UTF-8 byte order mark stays, and with it the header
/// comments (the edit used to rewrite the whole template).
#[test]
fn a_byte_order_mark_and_the_header_stay_on_edits() {
    let (text, warnings) = apply_to_copy("bom.yaml", &["add queue Extra"]);
    assert!(!warnings.contains("written anew"), "{warnings}");
    let original = fs::read_to_string(fixture("bom.yaml")).unwrap();
    assert!(text.starts_with(&original), "{text:?}");
    assert!(text.contains("  Extra:\n"), "{text:?}");
}

// ---------------------------------------------------------- emptied sections

/// Finding 5: deleting the only API drops the output that named it and the
/// `Outputs:` section it emptied, instead of leaving `Outputs:` with nothing.
#[test]
fn delete_leaves_no_emptied_section() {
    let (text, _) = apply_to_copy("only-api.yaml", &["delete Api"]);
    assert!(!text.contains("Outputs:"), "{text}");
    assert!(text.contains("  Table:\n"), "{text}");
    assert!(!text.contains("Api:"), "{text}");
}

// ------------------------------------------------------------- wrong shapes

fn refused_at(name: &str, at: &str, words: &str) {
    let out = bin().arg("render").arg(fixture(name)).output().unwrap();
    assert_eq!(out.status.code(), Some(1), "{name}: {}", stdout(&out));
    let e = stderr(&out);
    assert!(e.contains(&format!("{name}:{at}")), "{name}: {e}");
    assert!(e.contains(words), "{name}: {e}");
}

/// Finding 8: a logical id or a property given twice is an error at the
/// second one, in YAML and in JSON, not a silent "last wins" that turns
/// a topic into a queue.
#[test]
fn duplicate_ids_and_properties_are_refused_where_they_repeat() {
    refused_at("dup-id.yaml", "10:3:", "`Events` appears twice");
    refused_at("dup-id.json", "3:3:", "`Events` appears twice");
    refused_at("dup-prop.json", "9:11:", "`MemorySize` appears twice");
}

/// Finding 8: a resource that is not a mapping, or that has no `Type`, is
/// an error naming its line, not a box of type `Fn::ForEach` or nothing.
#[test]
fn resources_without_a_resource_shape_are_refused() {
    refused_at("not-mapping.yaml", "4:", "`Q` is not a mapping");
    refused_at("no-type.yaml", "4:", "`Queue` has no `Type`");
}

/// Finding 8: in HCL a key given twice in an object expression is valid
/// (Terraform keeps the last); it is read that way, and an edit elsewhere
/// leaves its text alone.
#[test]
fn a_repeated_hcl_object_key_keeps_the_last_value() {
    let src = fixture("dup-key-tf");
    let out = bin()
        .args(["export", "--to", "sam"])
        .arg(&src)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let sam = stdout(&out);
    assert!(sam.contains("Value: b"), "{sam}");
    assert!(sam.contains("Value: prod"), "{sam}");
    assert!(
        !sam.contains("Value: dev") && !sam.contains("Value: a\n"),
        "{sam}"
    );

    let dir = tempfile::tempdir().unwrap();
    let original = fs::read_to_string(src.join("main.tf")).unwrap();
    fs::write(dir.path().join("main.tf"), &original).unwrap();
    let run = bin()
        .arg("apply")
        .arg(dir.path())
        .args(["-c", "add queue extra", "--to", "terraform", "-o"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert!(run.status.success(), "{}", stderr(&run));
    let after = fs::read_to_string(dir.path().join("main.tf")).unwrap();
    assert!(after.starts_with(&original), "{after}");
    assert!(after.contains("\"extra\""), "{after}");
}

// ---------------------------------------------------------- values and places

/// Runs `apply` on a copy of a fixture; returns the run, the copy's text
/// before and after.
fn apply_in_place(fixture_name: &str, commands: &[&str]) -> (Output, String, String) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(fixture_name);
    let before = fs::read_to_string(fixture(fixture_name)).unwrap();
    fs::write(&path, &before).unwrap();
    let mut cmd = bin();
    cmd.arg("apply").arg(&path);
    for c in commands {
        cmd.args(["-c", c]);
    }
    let run = cmd.arg("-o").arg(&path).output().unwrap();
    let after = fs::read_to_string(&path).unwrap();
    (run, before, after)
}

/// Finding 9: a value that does not parse (an unclosed bracket or quote, a
/// tag with nothing after it) is refused with the reason, exit 1, and the
/// file is not written; values that parse still go through.
#[test]
fn set_refuses_values_that_do_not_parse() {
    for (value, reason) in [
        ("[unclosed", "is not a value"),
        ("!Ref", "`!Ref` needs an argument"),
        ("!GetAtt", "`!GetAtt` needs an argument"),
        ("\"open", "quote"),
    ] {
        let (run, before, after) = apply_in_place(
            "function.yaml",
            &[&format!("set Worker MemorySize {value}")],
        );
        assert_eq!(run.status.code(), Some(1), "{value}: {}", stderr(&run));
        assert!(stderr(&run).contains(reason), "{value}: {}", stderr(&run));
        assert!(stderr(&run).contains("function.yaml: "), "{}", stderr(&run));
        assert_eq!(before, after, "{value}: the file was written");
    }
    let (run, _, after) = apply_in_place(
        "function.yaml",
        &[
            "set Worker MemorySize 512",
            "set Worker Description !Ref Table",
        ],
    );
    assert!(run.status.success(), "{}", stderr(&run));
    assert!(after.contains("MemorySize: 512"), "{after}");
    assert!(after.contains("Description: !Ref Table"), "{after}");
}

/// Finding 10: a control character is reported at its line and column,
/// not at 1:1 with a byte offset.
#[test]
fn a_control_character_is_reported_where_it_is() {
    refused_at("control-char.yaml", "5:19:", "U+0001");
    let out = bin()
        .arg("render")
        .arg(fixture("control-char.yaml"))
        .output()
        .unwrap();
    assert!(!stderr(&out).contains("position"), "{}", stderr(&out));
}

/// Finding 10: an invalid logical id written with escapes is reported on
/// its own line.
#[test]
fn an_invalid_id_is_reported_on_its_line() {
    refused_at("escaped-id.yaml", "4:", "is not a valid id");
}

/// Finding 10: a command that cannot run says which file it was run on.
#[test]
fn a_failing_command_names_the_file() {
    let (run, before, after) = apply_in_place("function.yaml", &["add queue Table"]);
    assert_eq!(run.status.code(), Some(1), "{}", stderr(&run));
    assert!(
        stderr(&run).contains("function.yaml: command 1"),
        "{}",
        stderr(&run)
    );
    assert_eq!(before, after);
}

/// Finding 10: a huge `count` is shown once, as `×N`.
#[test]
fn a_huge_count_is_shown_once() {
    let out = bin()
        .arg("render")
        .arg(fixture("count-tf"))
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    assert_eq!(text.matches('×').count(), 1, "{text}");
    assert!(text.contains("×1000000000"), "{text}");
}

// ------------------------------------------------------------- fuzz findings

/// Found by fuzzing `sam_import`: an event name that is no valid name
/// (`M{Timer`) made an implicit rule id the sketch refused, and the import
/// panicked. The function is drawn, and the template writes back unchanged.
#[test]
fn an_event_name_that_is_no_valid_id_does_not_panic() {
    let out = bin()
        .arg("render")
        .arg(fixture("bad-event-name.yaml"))
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains("Worker"), "{}", stdout(&out));
    let back = bin()
        .args(["export", "--to", "sam"])
        .arg(fixture("bad-event-name.yaml"))
        .output()
        .unwrap();
    assert!(back.status.success(), "{}", stderr(&back));
    assert_eq!(
        stdout(&back),
        fs::read_to_string(fixture("bad-event-name.yaml")).unwrap()
    );
}

// ------------------------------------------------------ references to a delete

/// A delete removes the references it can cut out cleanly (the DependsOn
/// entry, the environment variable, the policy that served only the deleted
/// resource, the output naming it); one it cannot (inside a `!Sub` string)
/// is listed at its line, exit 1, and nothing is written.
#[test]
fn delete_refuses_to_leave_a_reference_it_cannot_remove() {
    let (run, before, after) = apply_in_place("delete-refs.yaml", &["delete Table"]);
    assert_eq!(run.status.code(), Some(1), "{}", stderr(&run));
    let e = stderr(&run);
    assert!(
        e.contains("delete-refs.yaml:23: `Worker` still refers to `Table`"),
        "{e}"
    );
    assert_eq!(before, after, "the file was written");

    let (run, _, after) = apply_in_place("delete-refs.yaml", &["delete Queue"]);
    assert!(run.status.success(), "{}", stderr(&run));
    assert!(
        !after.contains("Queue:") && !after.contains("Ref Queue"),
        "{after}"
    );
    assert!(after.contains("DependsOn: [Table]"), "{after}");
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("after.yaml");
    fs::write(&out, &after).unwrap();
    if let Some(r) = common::validate_sam(&[out]) {
        assert!(r.is_ok(), "{}", r.err().unwrap_or_default());
    }
}

/// A delete that would take out a property its holder needs (a stream
/// consumer's `StreamARN`) is refused, naming the property; deleting both
/// goes through.
#[test]
fn delete_refuses_to_strip_a_property_another_resource_needs() {
    let (run, before, after) = apply_in_place("delete-needed.yaml", &["delete Stream"]);
    assert_eq!(run.status.code(), Some(1), "{}", stderr(&run));
    let e = stderr(&run);
    assert!(
        e.contains("delete-needed.yaml:11: `Consumer` would lose `StreamARN`"),
        "{e}"
    );
    assert_eq!(before, after, "the file was written");
    let (run, _, after) =
        apply_in_place("delete-needed.yaml", &["delete Consumer", "delete Stream"]);
    assert!(run.status.success(), "{}", stderr(&run));
    assert!(
        !after.contains("Stream:") && !after.contains("Consumer:"),
        "{after}"
    );
}

/// A delete that would take a key out of an object a kept resource holds
/// (a destination's `RoleARN`) is refused at the key's line in the source;
/// `!Ref Fn.Alias` names `Fn`, so deleting `Fn` is refused while it is named.
#[test]
fn delete_refuses_to_strip_a_nested_key_or_leave_a_generated_name() {
    let (run, before, after) = apply_in_place("delete-nested.yaml", &["delete Role"]);
    assert_eq!(run.status.code(), Some(1), "{}", stderr(&run));
    let e = stderr(&run);
    assert!(
        e.contains(
            "delete-nested.yaml:22: `Delivery` would lose `ExtendedS3DestinationConfiguration.RoleARN`"
        ),
        "{e}"
    );
    assert_eq!(before, after, "the file was written");
    let (run, _, after) = apply_in_place("delete-nested.yaml", &["delete Fn"]);
    assert_eq!(run.status.code(), Some(1), "{}", stderr(&run));
    assert!(
        stderr(&run).contains("delete-nested.yaml:32: `AliasArn` still refers to `Fn`"),
        "{}",
        stderr(&run)
    );
    assert_eq!(before, after);
    let (run, _, after) = apply_in_place("delete-nested.yaml", &["delete Delivery"]);
    assert!(run.status.success(), "{}", stderr(&run));
    assert!(!after.contains("Delivery:"), "{after}");
}
