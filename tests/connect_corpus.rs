//! `connect FUNCTION QUEUE` over every corpus template and Terraform folder
//! with a function: either the written files grant it where the function's
//! permissions live (and the arrow reads back), or the export says it could
//! not, naming the function and why. Never a silent arrow.

mod common;

use stacksketch::catalog::Kind;
use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use stacksketch::command;
use stacksketch::formats::{self, sam, terraform};
use stacksketch::model::{ConnectionKind, Sketch, Value};

const QUEUE: &str = "StacksketchQueue";

/// Where a SAM/CloudFormation function's permissions live, read from the
/// template independently of the exporter: `Ok(None)` for its own
/// `Policies`, `Ok(Some(role))` for a role in the template, `Err` otherwise.
fn permissions_home(sketch: &Sketch, f: &str) -> Result<Option<String>, ()> {
    let s = sketch.service(f).ok_or(())?;
    let role = s
        .properties
        .get("Role")
        .filter(|r| !r.is_null())
        .cloned()
        .or_else(|| {
            (s.type_name == "AWS::Serverless::Function")
                .then(|| {
                    sketch
                        .sections
                        .get("Globals")
                        .and_then(|g| g.get("Function"))
                        .and_then(|g| g.get("Role"))
                        .cloned()
                })
                .flatten()
        });
    let Some(role) = role else {
        return if s.type_name == "AWS::Serverless::Function" {
            Ok(None)
        } else {
            Err(())
        };
    };
    let id = match (role.get("Fn::GetAtt"), role.get("Ref")) {
        (Some(Value::Array(a)), _) if a.get(1).and_then(Value::as_str) == Some("Arn") => {
            a[0].as_str().map(str::to_string)
        }
        (Some(Value::String(s)), _) => s.strip_suffix(".Arn").map(str::to_string),
        (_, Some(Value::String(r))) => Some(r.clone()),
        _ => None,
    };
    match id {
        Some(r)
            if sketch
                .service(&r)
                .is_some_and(|x| x.type_name == "AWS::IAM::Role") =>
        {
            Ok(Some(r))
        }
        _ => Err(()),
    }
}

/// Whether some policy in `policies` names the queue.
fn names_queue(policies: Option<&Value>) -> bool {
    policies.is_some_and(|p| p.to_string().contains(QUEUE))
}

fn error_codes(out: &str) -> Vec<String> {
    let mut v: Vec<String> = out
        .lines()
        .filter_map(|l| l.split(':').find(|p| p.starts_with('E') && p.len() == 5))
        .map(str::to_string)
        .collect();
    v.sort();
    v
}

fn lint_codes(tool: &Path, file: &Path) -> Vec<String> {
    let out = Command::new(tool)
        .arg(file)
        .output()
        .expect("the linter runs");
    error_codes(&String::from_utf8_lossy(&out.stdout))
}

#[test]
fn sam_corpus_connect_grants_or_refuses() {
    let Some(dir) = common::corpus() else { return };
    let (mut tried, mut written, mut refused) = (0usize, 0usize, 0usize);
    let (mut at_home, mut at_home_written) = (0usize, 0usize);
    let mut failures = Vec::new();
    let mut samples: Vec<(PathBuf, String)> = Vec::new();
    for path in common::template_files(&dir) {
        let Ok(text) = fs::read_to_string(&path) else {
            continue;
        };
        let name = path.display().to_string();
        let Ok(mut sketch) = formats::read(&name, &text) else {
            continue;
        };
        if sketch.source.is_none() || sketch.contains(QUEUE) {
            continue;
        }
        let Some(f) = sketch
            .services()
            .find(|s| s.kind == Kind::Function && !s.implicit)
            .map(|s| s.id.clone())
        else {
            continue;
        };
        tried += 1;
        let home = permissions_home(&sketch, &f);
        at_home += usize::from(home.is_ok());
        let script = [format!("add queue {QUEUE}"), format!("connect {f} {QUEUE}")];
        command::run_script(&mut sketch, &script).unwrap_or_else(|e| panic!("{name}: {e}"));
        let out = sam::export(&sketch);
        if !out.unwritten.is_empty() {
            refused += 1;
            for u in &out.unwritten {
                assert!(
                    u.to_string().contains(&f) && u.reason.len() > f.len() + 10,
                    "{name}: the refusal does not say which function and why: {u}"
                );
            }
            if home.is_ok() {
                failures.push(format!("{name}: refused: {}", out.unwritten[0]));
            } else {
                println!("  refused as it should: {name}: {}", out.unwritten[0]);
            }
            continue;
        }
        let back = match formats::read(&name, out.text()) {
            Ok(b) => b,
            Err(e) => {
                failures.push(format!("{name}: does not read back: {e}"));
                continue;
            }
        };
        let arrow = back.is_connected(&f, QUEUE, Some(ConnectionKind::Write));
        let placed = match &home {
            Ok(None) => names_queue(back.service(&f).and_then(|s| s.properties.get("Policies"))),
            Ok(Some(role)) => {
                names_queue(
                    back.service(role)
                        .and_then(|s| s.properties.get("Policies")),
                ) && !names_queue(back.service(&f).and_then(|s| s.properties.get("Policies")))
            }
            Err(()) => false,
        };
        if arrow && placed {
            written += 1;
            at_home_written += usize::from(home.is_ok());
            if samples.len() < 12 && !text.trim_start().starts_with('{') {
                samples.push((path.clone(), out.text().to_string()));
            }
        } else {
            failures.push(format!(
                "{name}: exported without a refusal, but arrow read back: {arrow}, grant in the right place: {placed}"
            ));
        }
    }
    println!(
        "connect over the SAM corpus: {tried} templates with a function; {written} written, {refused} refused; \
         where the role is in the template: {at_home_written}/{at_home} written"
    );
    for f in &failures {
        println!("  {f}");
    }
    assert!(tried > 100, "the corpus looks too small: {tried}");
    // Never exported silently without the grant.
    assert_eq!(written + refused, tried, "{failures:#?}");
    assert!(
        at_home_written * 100 >= at_home * 98,
        "only {at_home_written} of {at_home} written: {failures:#?}"
    );

    // A sample of written templates has no cfn-lint error the original lacked.
    let Some(tool) = common::tool("validate-sam") else {
        return;
    };
    let scratch = common::scratch("connect-corpus-lint");
    for (i, (orig, text)) in samples.iter().enumerate() {
        let file = scratch.join(format!("t{i}.yaml"));
        fs::write(&file, text).unwrap();
        let before = lint_codes(&tool, orig);
        let mut after = lint_codes(&tool, &file);
        for c in &before {
            if let Some(j) = after.iter().position(|x| x == c) {
                after.remove(j);
            }
        }
        assert!(
            after.is_empty(),
            "{}: new cfn-lint errors {after:?}:\n{text}",
            orig.display()
        );
    }
}

fn tf_files_in(dir: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = fs::read_dir(dir)
        .map(|rd| {
            rd.filter_map(Result::ok)
                .map(|e| e.path())
                .filter(|p| p.is_file() && p.extension().is_some_and(|e| e == "tf"))
                .collect()
        })
        .unwrap_or_default();
    v.sort();
    v
}

fn dirs_with_tf(root: &Path, out: &mut Vec<PathBuf>) {
    let Ok(rd) = fs::read_dir(root) else { return };
    let mut entries: Vec<PathBuf> = rd.filter_map(Result::ok).map(|e| e.path()).collect();
    entries.sort();
    if !tf_files_in(root).is_empty() {
        out.push(root.to_path_buf());
    }
    for e in entries {
        if e.is_dir() {
            dirs_with_tf(&e, out);
        }
    }
}

/// A folder's `.tf` files and those of the local modules it calls.
fn load(dir: &Path) -> BTreeMap<String, String> {
    let mut files = BTreeMap::new();
    let add = |rel: &str, files: &mut BTreeMap<String, String>| {
        let d = if rel.is_empty() {
            dir.to_path_buf()
        } else {
            dir.join(rel)
        };
        for f in tf_files_in(&d) {
            let name = f.file_name().unwrap().to_string_lossy().to_string();
            let key = if rel.is_empty() {
                name
            } else {
                format!("{rel}/{name}")
            };
            if let Ok(text) = fs::read_to_string(&f) {
                files.insert(key, text);
            }
        }
    };
    add("", &mut files);
    for _ in 0..8 {
        let before = files.len();
        for m in terraform::missing_module_dirs(&files) {
            if !m.starts_with("..") {
                add(&m, &mut files);
            }
        }
        if files.len() == before {
            break;
        }
    }
    files
}

/// The role a Terraform function runs as, when it is a role of the same module.
fn tf_role(sketch: &Sketch, f: &str) -> Option<String> {
    let s = sketch.service(f)?;
    let v = s.properties.get("role")?.as_str()?;
    let inner = v.strip_prefix("${")?.strip_suffix("}")?;
    let addr = inner.strip_suffix(".arn")?;
    let scope = &f[..f.len() - stacksketch::model::short_name(f).len()];
    let scope = scope.strip_suffix("aws_lambda_function.")?;
    let full = format!("{scope}{addr}");
    (addr.starts_with("aws_iam_role.") && sketch.contains(&full)).then_some(full)
}

#[test]
fn terraform_corpus_connect_grants_or_refuses() {
    let Some(root) = common::corpus() else { return };
    let mut dirs = Vec::new();
    dirs_with_tf(&root, &mut dirs);
    let (mut tried, mut written, mut refused) = (0usize, 0usize, 0usize);
    let (mut at_home, mut at_home_written) = (0usize, 0usize);
    let mut failures = Vec::new();
    let queue = "aws_sqs_queue.stacksketch_queue";
    for d in dirs {
        let files = load(&d);
        let Ok(mut sketch) = terraform::import(&files, "x") else {
            continue;
        };
        let Some(f) = sketch
            .services()
            .find(|s| s.type_name == "aws_lambda_function")
            .map(|s| s.id.clone())
        else {
            continue;
        };
        tried += 1;
        let home = tf_role(&sketch, &f);
        at_home += usize::from(home.is_some());
        let script = [
            "add queue stacksketch_queue".to_string(),
            format!("connect {f} stacksketch_queue"),
        ];
        if let Err(e) = command::run_script(&mut sketch, &script) {
            failures.push(format!("{}: {e}", d.display()));
            continue;
        }
        let out = terraform::export(&sketch);
        if !out.unwritten.is_empty() {
            refused += 1;
            for u in &out.unwritten {
                assert!(
                    u.to_string().contains(&f) && u.reason.len() > f.len() + 10,
                    "{}: the refusal does not say which function and why: {u}",
                    d.display()
                );
            }
            if home.is_some() {
                failures.push(format!("{}: refused: {}", d.display(), out.unwritten[0]));
            } else {
                println!(
                    "  refused as it should: {}: {}",
                    d.display(),
                    out.unwritten[0]
                );
            }
            continue;
        }
        let back = match terraform::import(&out.files, "x") {
            Ok(b) => b,
            Err(e) => {
                failures.push(format!("{}: does not read back: {e}", d.display()));
                continue;
            }
        };
        let arrow = back.is_connected(&f, queue, Some(ConnectionKind::Write));
        let placed = home.as_ref().is_some_and(|role| {
            back.services().any(|s| {
                s.type_name == "aws_iam_role_policy"
                    && s.properties.get("role").is_some_and(|r| {
                        r.as_str()
                            .is_some_and(|r| r.contains(&format!("{}.", short(role))))
                    })
                    && Value::Object(s.properties.clone())
                        .to_string()
                        .contains("stacksketch_queue")
            })
        });
        if arrow && placed {
            written += 1;
            at_home_written += usize::from(home.is_some());
        } else {
            failures.push(format!(
                "{}: exported without a refusal, but arrow read back: {arrow}, grant on the role: {placed}",
                d.display()
            ));
        }
    }
    println!(
        "connect over the Terraform corpus: {tried} folders with a function; {written} written, {refused} refused; \
         where the role is in the folder: {at_home_written}/{at_home} written"
    );
    for f in &failures {
        println!("  {f}");
    }
    assert!(tried > 10, "the corpus looks too small: {tried}");
    assert_eq!(written + refused, tried, "{failures:#?}");
    assert!(
        at_home_written * 100 >= at_home * 98,
        "only {at_home_written} of {at_home} written: {failures:#?}"
    );
}

/// `aws_iam_role.x` of `module.m.aws_iam_role.x`.
fn short(role: &str) -> String {
    let name = stacksketch::model::short_name(role);
    format!("aws_iam_role.{name}")
}

#[test]
fn terraform_corpus_connect_grants_registry_lambda_modules() {
    let Some(root) = common::corpus() else { return };
    let mut dirs = Vec::new();
    dirs_with_tf(&root, &mut dirs);
    let (mut tried, mut written) = (0usize, 0usize);
    let mut failures = Vec::new();
    let queue = "aws_sqs_queue.stacksketch_queue";
    for d in dirs {
        let files = load(&d);
        let Ok(mut sketch) = terraform::import(&files, "x") else {
            continue;
        };
        // A function made by a terraform-aws-modules/lambda call.
        let Some(f) = sketch
            .services()
            .find(|s| {
                s.id.starts_with("module.")
                    && !s.id.contains("aws_")
                    && s.kind == Kind::Function
                    && s.properties
                        .get("source")
                        .and_then(Value::as_str)
                        .is_some_and(|src| src.contains("terraform-aws-modules/lambda"))
            })
            .map(|s| s.id.clone())
        else {
            continue;
        };
        tried += 1;
        let script = [
            "add queue stacksketch_queue".to_string(),
            format!("connect {f} stacksketch_queue"),
        ];
        if let Err(e) = command::run_script(&mut sketch, &script) {
            failures.push(format!("{}: {e}", d.display()));
            continue;
        }
        let out = terraform::export(&sketch);
        if !out.unwritten.is_empty() {
            failures.push(format!("{}: refused: {}", d.display(), out.unwritten[0]));
            continue;
        }
        let Ok(back) = terraform::import(&out.files, "x") else {
            failures.push(format!("{}: does not read back", d.display()));
            continue;
        };
        let granted = back.service(&f).is_some_and(|s| {
            s.properties
                .get("policy_statements")
                .is_some_and(|p| p.to_string().contains("stacksketch_queue.arn"))
        });
        if back.is_connected(&f, queue, Some(ConnectionKind::Write)) && granted {
            written += 1;
        } else {
            failures.push(format!(
                "{}: written without its grant or arrow",
                d.display()
            ));
        }
    }
    println!(
        "connect over the Terraform corpus's lambda module calls: {written} of {tried} written"
    );
    for f in &failures {
        println!("  {f}");
    }
    assert!(tried > 3, "the corpus looks too small: {tried}");
    assert_eq!(written, tried, "{failures:#?}");
}
