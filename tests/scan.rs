//! A folder of stacks read as one system: the stacks found, the joins
//! between them at the system and service levels, `check` and `cost` over
//! a repository, and the shopping-cart example from the corpus.

mod common;

use common::copy_dir;
use stacksketch::catalog::Kind;

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use serde_json::Value;

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/scan")
        .join(name)
}

fn run(args: &[&str]) -> String {
    let out = Command::cargo_bin("stacksketch")
        .unwrap()
        .args(args)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

fn graph(dir: &Path, level: &str) -> Value {
    let text = run(&[
        "export",
        dir.to_str().unwrap(),
        "--to",
        "json",
        "--level",
        level,
    ]);
    serde_json::from_str(&text).unwrap()
}

fn ids(g: &Value) -> Vec<String> {
    g["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["id"].as_str().unwrap().to_string())
        .collect()
}

/// Edges as (from, to, kind, join, via).
fn edges(g: &Value) -> Vec<(String, String, String, String, String)> {
    g["edges"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e.get("join").is_some())
        .map(|e| {
            let s = |k: &str| e[k].as_str().unwrap_or("").to_string();
            (s("from"), s("to"), s("kind"), s("join"), s("via"))
        })
        .collect()
}

fn has(
    es: &[(String, String, String, String, String)],
    from: &str,
    to: &str,
    kind: &str,
    join: &str,
    via: &str,
) -> bool {
    es.iter()
        .any(|e| e.0 == from && e.1 == to && e.2 == kind && e.3 == join && e.4 == via)
}

#[test]
fn exports_join_stacks_and_services() {
    let d = fixture("exports");
    let sys = graph(&d, "system");
    assert_eq!(ids(&sys), ["app", "network"]);
    assert!(
        sys["nodes"]
            .as_array()
            .unwrap()
            .iter()
            .all(|n| n["kind"] == "stack")
    );
    let es = edges(&sys);
    assert!(
        has(
            &es,
            "network",
            "app",
            "write",
            "export",
            "network-orders-queue-url"
        ),
        "{es:?}"
    );
    let svc = edges(&graph(&d, "service"));
    assert!(
        has(
            &svc,
            "app:Enqueue",
            "network:OrdersQueue",
            "write",
            "export",
            "network-orders-queue-url"
        ),
        "{svc:?}"
    );
}

#[test]
fn ssm_parameters_join_sam_writers_to_terraform_readers() {
    let d = fixture("ssm");
    let es = edges(&graph(&d, "system"));
    assert!(
        has(
            &es,
            "producer",
            "consumer-tf",
            "write",
            "ssm",
            "/shop/prod/uploads/bucket"
        ),
        "{es:?}"
    );
    assert!(
        has(
            &es,
            "producer",
            "consumer-tf",
            "publish",
            "ssm",
            "/shop/events/topic-arn"
        ),
        "{es:?}"
    );
    let svc = edges(&graph(&d, "service"));
    assert!(
        has(
            &svc,
            "consumer-tf:aws_lambda_function.reader",
            "producer:Uploads",
            "write",
            "ssm",
            "/shop/prod/uploads/bucket"
        ),
        "{svc:?}"
    );
    assert!(
        has(
            &svc,
            "consumer-tf:aws_lambda_function.reader",
            "producer:Events",
            "publish",
            "ssm",
            "/shop/events/topic-arn"
        ),
        "{svc:?}"
    );
}

#[test]
fn a_shared_bus_joins_publishers_and_rules() {
    let d = fixture("bus");
    let es = edges(&graph(&d, "system"));
    assert!(
        has(&es, "billing", "core", "publish", "bus", "shop-events"),
        "{es:?}"
    );
    assert!(
        has(&es, "core", "shipping", "trigger", "bus", "shop-events"),
        "{es:?}"
    );
    let svc = edges(&graph(&d, "service"));
    assert!(
        has(
            &svc,
            "billing:Charge",
            "core:ShopBus",
            "publish",
            "bus",
            "shop-events"
        ),
        "{svc:?}"
    );
    assert!(
        has(
            &svc,
            "core:ShopBus",
            "shipping:Ship",
            "trigger",
            "bus",
            "shop-events"
        ),
        "{svc:?}"
    );
}

#[test]
fn nested_stacks_are_children() {
    let d = fixture("nested");
    let sys = graph(&d, "system");
    assert_eq!(ids(&sys), [".", "apps/orders"]);
    assert!(has(
        &edges(&sys),
        ".",
        "apps/orders",
        "ref",
        "nested",
        "Orders"
    ));
    let svc = graph(&d, "service");
    let place = svc["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|n| n["id"] == "apps/orders:Place")
        .unwrap();
    assert_eq!(place["group"], "apps/orders");
    // The child's frame sits inside its parent's.
    let mermaid = run(&["export", d.to_str().unwrap(), "--to", "mermaid"]);
    assert!(mermaid.contains("apps/orders"), "{mermaid}");
}

#[test]
fn remote_state_outputs_join_terraform_roots() {
    let d = fixture("remote");
    let sys = graph(&d, "system");
    // The local module is part of the root that calls it, not a stack.
    assert_eq!(ids(&sys), ["app", "network"]);
    let es = edges(&sys);
    assert!(
        has(
            &es,
            "network",
            "app",
            "trigger",
            "remote-state",
            "network.outputs.jobs_queue_arn"
        ),
        "{es:?}"
    );
    let svc = edges(&graph(&d, "service"));
    assert!(
        has(
            &svc,
            "network:aws_sqs_queue.jobs",
            "app:aws_lambda_function.worker",
            "trigger",
            "remote-state",
            "network.outputs.jobs_queue_arn"
        ),
        "{svc:?}"
    );
}

#[test]
fn a_parameter_with_no_name_is_matched_by_its_words_and_marked() {
    let d = fixture("inferred");
    let sys = graph(&d, "system");
    let e = sys["edges"].as_array().unwrap()[0].clone();
    assert_eq!(
        (e["from"].as_str(), e["to"].as_str()),
        (Some("payments"), Some("checkout"))
    );
    assert_eq!(e["inferred"], true);
    let svc = graph(&d, "service");
    let e = svc["edges"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["from"] == "checkout:Pay")
        .unwrap();
    assert_eq!(
        (e["to"].as_str(), e["kind"].as_str()),
        (Some("payments:PaymentApi"), Some("invoke"))
    );
    assert_eq!(e["inferred"], true);
    let drawn = run(&[
        "render",
        d.to_str().unwrap(),
        "--level",
        "system",
        "--width",
        "120",
    ]);
    assert!(drawn.contains("ssm?"), "{drawn}");
    // The deploy configuration names it: no guess.
    let sure = graph(&fixture("inferred-config"), "system");
    let e = &sure["edges"].as_array().unwrap()[0];
    assert_eq!(e["via"], "/shop/prod/payment/api/url");
    assert!(e.get("inferred").is_none());
}

#[test]
fn what_no_stack_provides_is_external_and_checked() {
    let d = fixture("unresolved");
    let sys = graph(&d, "system");
    assert!(ids(&sys).contains(&"external:/elsewhere/table-name".to_string()));
    let svc = edges(&graph(&d, "service"));
    assert!(has(
        &svc,
        "external:shared-queue-url",
        ".:Reader",
        "ref",
        "export",
        "shared-queue-url"
    ));
    let out = Command::cargo_bin("stacksketch")
        .unwrap()
        .args(["check", d.to_str().unwrap(), "--strict"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(4));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("template.yaml:17: stack `.` imports `shared-queue-url`"),
        "{text}"
    );
    assert!(
        text.contains("template.yaml:4: stack `.` reads the SSM parameter `/elsewhere/table-name`"),
        "{text}"
    );
}

#[test]
fn ignored_and_build_folders_are_not_scanned() {
    let tmp = tempfile::tempdir().unwrap();
    let t = "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  Q:\n    Type: AWS::SQS::Queue\n";
    for dir in ["svc", ".aws-sam/build", "node_modules/x", "generated"] {
        std::fs::create_dir_all(tmp.path().join(dir)).unwrap();
        std::fs::write(tmp.path().join(dir).join("template.yaml"), t).unwrap();
    }
    std::fs::write(tmp.path().join("svc/other.yaml"), t).unwrap();
    std::fs::write(
        tmp.path().join("svc/config.yaml"),
        "name: x\nitems: [1, 2]\n",
    )
    .unwrap();
    std::fs::write(tmp.path().join(".gitignore"), "generated/\n").unwrap();
    let g = graph(tmp.path(), "system");
    assert_eq!(ids(&g), ["svc", "svc/other"]);
}

#[test]
fn a_folder_with_nothing_to_read_says_so() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(tmp.path().join("notes.md"), "# hi\n").unwrap();
    let out = Command::cargo_bin("stacksketch")
        .unwrap()
        .args(["render", tmp.path().to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no SAM/CloudFormation template"));
}

#[test]
fn cost_of_a_repository_is_by_stack_and_in_total() {
    let d = fixture("bus");
    let text = run(&["cost", d.to_str().unwrap()]);
    assert!(text.contains("By stack"), "{text}");
    for s in ["billing", "core", "shipping", "Total"] {
        assert!(
            text.lines().any(|l| l.trim_start().starts_with(s)),
            "{text}"
        );
    }
    let j: Value = serde_json::from_str(&run(&["cost", d.to_str().unwrap(), "--json"])).unwrap();
    assert_eq!(j["stacks"].as_array().unwrap().len(), 3);
}

fn shopping_cart() -> Option<PathBuf> {
    let p = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/corpus/repos/aws-serverless-shopping-cart");
    if p.is_dir() {
        Some(p)
    } else {
        eprintln!("skipped: the corpus is not here");
        None
    }
}

#[test]
fn the_shopping_cart_is_three_stacks_joined_by_ssm() {
    let Some(d) = shopping_cart() else { return };
    let sys = graph(&d, "system");
    assert_eq!(
        ids(&sys),
        [
            "backend/auth",
            "backend/product-mock",
            "backend/shoppingcart-service"
        ]
    );
    let es = edges(&sys);
    let cart = "backend/shoppingcart-service";
    assert!(
        es.iter().any(|e| e.0 == "backend/auth"
            && e.1 == cart
            && e.3 == "ssm"
            && e.4 == "/serverless-shopping-cart-demo/auth/user-pool-arn"),
        "{es:?}"
    );
    assert!(
        es.iter().any(|e| e.0 == "backend/product-mock"
            && e.1 == cart
            && e.3 == "ssm"
            && e.4 == "/serverless-shopping-cart-demo/products/products-api-url"),
        "{es:?}"
    );
    assert!(es.iter().all(|e| e.1 == cart), "{es:?}");
    let svc = edges(&graph(&d, "service"));
    assert!(
        has(
            &svc,
            "backend/auth:CognitoUserPool",
            "backend/shoppingcart-service:CartApi",
            "auth",
            "ssm",
            "/serverless-shopping-cart-demo/auth/user-pool-arn"
        ),
        "{svc:?}"
    );
    for f in [
        "AddToCartFunction",
        "UpdateCartFunction",
        "CheckoutCartFunction",
        "MigrateCartFunction",
    ] {
        assert!(
            has(
                &svc,
                &format!("{cart}:{f}"),
                "backend/product-mock:ServerlessRestApi",
                "invoke",
                "ssm",
                "/serverless-shopping-cart-demo/products/products-api-url"
            ),
            "{f}: {svc:?}"
        );
    }
}

#[test]
fn the_shopping_cart_system_fits_the_width() {
    let Some(d) = shopping_cart() else { return };
    for width in [60, 80, 100, 140] {
        let text = run(&[
            "render",
            d.to_str().unwrap(),
            "--level",
            "system",
            "--width",
            &width.to_string(),
        ]);
        let widest = text.lines().map(|l| l.chars().count()).max().unwrap_or(0);
        assert!(widest <= width, "{widest} > {width}:\n{text}");
        for s in ["backend/auth", "backend/product-mock"] {
            assert!(text.contains(s), "{width}: {s}\n{text}");
        }
        if width >= 80 {
            assert!(text.contains("ssm …/user-pool-arn +1"), "{width}:\n{text}");
            assert!(text.contains("ssm …/products-api-url"), "{width}:\n{text}");
        }
    }
}

#[test]
fn edits_go_back_to_the_file_that_owns_the_service() {
    let tmp = tempfile::tempdir().unwrap();
    for name in ["ssm", "remote"] {
        copy_dir(&fixture(name), &tmp.path().join(name));
    }
    let repo = stacksketch::scan::scan(tmp.path()).unwrap();
    let mut sketch = repo.sketch();
    // Nothing edited: nothing to write.
    assert!(
        stacksketch::scan::changed_files(&repo, &sketch)
            .unwrap()
            .files
            .is_empty()
    );
    for line in [
        "add queue Retries in ssm/producer",
        "add queue retries in remote/app",
    ] {
        let plan = stacksketch::command::plan(&sketch, line).unwrap().unwrap();
        plan.edit.apply(&mut sketch).unwrap();
    }
    assert!(sketch.contains("ssm/producer:Retries"));
    assert!(sketch.contains("remote/app:aws_sqs_queue.retries"));
    let files = stacksketch::scan::changed_files(&repo, &sketch)
        .unwrap()
        .files;
    let names: Vec<String> = files
        .iter()
        .map(|(p, _)| p.strip_prefix(tmp.path()).unwrap().display().to_string())
        .collect();
    assert_eq!(names.len(), 2, "{names:?}");
    assert!(
        names.contains(&"ssm/producer/template.yaml".to_string()),
        "{names:?}"
    );
    assert!(
        names.iter().any(|n| n.starts_with("remote/app/")),
        "{names:?}"
    );
    let sam = &files
        .iter()
        .find(|(p, _)| p.ends_with("template.yaml"))
        .unwrap()
        .1;
    assert!(
        sam.contains("Retries:") && sam.contains("AWS::SQS::Queue"),
        "{sam}"
    );
    // The rest of the template is as it was.
    let before = std::fs::read_to_string(tmp.path().join("ssm/producer/template.yaml")).unwrap();
    assert!(sam.starts_with(before.trim_end()), "{sam}");
    // A stack that is not there is refused, by name.
    let e = stacksketch::command::plan(&sketch, "add queue X in nowhere").unwrap_err();
    assert!(e.to_string().contains("no stack `nowhere`"), "{e}");
}

#[test]
fn the_shopping_cart_writes_nothing_unedited() {
    let Some(d) = shopping_cart() else { return };
    let repo = stacksketch::scan::scan(&d).unwrap();
    let sketch = repo.sketch();
    assert!(
        stacksketch::scan::changed_files(&repo, &sketch)
            .unwrap()
            .files
            .is_empty()
    );
}

#[test]
fn arns_and_urls_given_as_parameters_join_the_stack_that_names_the_resource() {
    let d = fixture("params");
    let es = edges(&graph(&d, "system"));
    assert!(
        has(
            &es,
            "queues",
            "worker",
            "trigger",
            "parameter",
            "orders-jobs"
        ),
        "{es:?}"
    );
    assert!(
        has(&es, "queues", "infra", "write", "parameter", "orders-jobs"),
        "{es:?}"
    );
    // A key ARN that names nothing in the repository draws nothing.
    assert_eq!(es.len(), 2, "{es:?}");
    let svc = edges(&graph(&d, "service"));
    assert!(
        has(
            &svc,
            "queues:Jobs",
            "worker:Work",
            "trigger",
            "parameter",
            "orders-jobs"
        ),
        "{svc:?}"
    );
    assert!(
        has(
            &svc,
            "infra:aws_lambda_function.feeder",
            "queues:Jobs",
            "write",
            "parameter",
            "orders-jobs"
        ),
        "{svc:?}"
    );
}

#[test]
fn public_aws_parameters_and_bare_placeholders_are_not_joins() {
    let tmp = tempfile::tempdir().unwrap();
    for (dir, body) in [
        (
            "a",
            "Parameters:\n  Ami:\n    Type: AWS::SSM::Parameter::Value<AWS::EC2::Image::Id>\n    Default: /aws/service/ami-amazon-linux-latest/al2023-ami-kernel-6.1-x86_64\n  Bus:\n    Type: String\nResources:\n  Rule:\n    Type: AWS::Events::Rule\n    Properties:\n      EventBusName: !Ref Bus\n      EventPattern: {source: [x]}\n",
        ),
        ("b", "Resources:\n  Q:\n    Type: AWS::SQS::Queue\n"),
    ] {
        std::fs::create_dir_all(tmp.path().join(dir)).unwrap();
        std::fs::write(
            tmp.path().join(dir).join("template.yaml"),
            format!("AWSTemplateFormatVersion: '2010-09-09'\n{body}"),
        )
        .unwrap();
    }
    let g = graph(tmp.path(), "system");
    assert_eq!(ids(&g), ["a", "b"]);
    assert!(g["edges"].as_array().unwrap().is_empty(), "{g}");
}

#[test]
fn several_templates_on_one_command_line_read_as_one_system() {
    let d = fixture("exports");
    let app = d.join("app/template.yaml");
    let net = d.join("network/template.yaml");
    let g = graph_of(&[app.to_str().unwrap(), net.to_str().unwrap()]);
    assert_eq!(ids(&g), ["app", "network"]);
    assert!(has(
        &edges(&g),
        "network",
        "app",
        "write",
        "export",
        "network-orders-queue-url"
    ));
    // One alone reads as it always did: its import is external.
    let one = graph_of(&[app.to_str().unwrap()]);
    assert_eq!(one["nodes"].as_array().unwrap().len(), 1, "{one}");
}

fn graph_of(paths: &[&str]) -> Value {
    let mut args = vec!["export"];
    args.extend_from_slice(paths);
    args.extend_from_slice(&["--to", "json", "--level", "system"]);
    serde_json::from_str(&run(&args)).unwrap()
}

#[test]
fn parameters_that_join_stacks_are_not_loose() {
    let Some(d) = shopping_cart() else { return };
    let text = run(&["check", d.to_str().unwrap()]);
    assert!(!text.contains("UserPoolARNSSM"), "{text}");
    assert!(!text.contains("GetProductApiUrl"), "{text}");
    // Written for a reader outside the repository: still said.
    assert!(
        text.contains("backend/shoppingcart-service:CartApiUrl is not connected"),
        "{text}"
    );
}

#[test]
fn mermaid_and_dot_name_the_joins_between_stacks() {
    let d = fixture("bus");
    for to in ["mermaid", "dot"] {
        let text = run(&[
            "export",
            d.to_str().unwrap(),
            "--to",
            to,
            "--level",
            "system",
        ]);
        assert!(text.contains("bus shop-events"), "{to}:\n{text}");
    }
    let layout: Value = serde_json::from_str(&run(&[
        "export",
        d.to_str().unwrap(),
        "--to",
        "layout-json",
        "--level",
        "system",
    ]))
    .unwrap();
    assert_eq!(layout["boxes"].as_array().unwrap().len(), 3);
    assert_eq!(layout["edges"].as_array().unwrap().len(), 2);
}

#[test]
fn check_notes_guessed_and_wildcard_joins_without_failing() {
    for (name, says) in [
        ("inferred", "by a guess from its parameter's name"),
        ("exports", "placeholders taken as wildcards"),
    ] {
        let d = fixture(name);
        let out = Command::cargo_bin("stacksketch")
            .unwrap()
            .args(["check", d.to_str().unwrap(), "--strict"])
            .output()
            .unwrap();
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(out.status.success(), "{name}: {text}");
        assert!(
            text.contains("note: ") && text.contains(says),
            "{name}: {text}"
        );
        assert!(text.contains("template.yaml:"), "{name}: {text}");
    }
}

fn stacksketch() -> Command {
    Command::cargo_bin("stacksketch").unwrap()
}

fn tree(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap().flatten() {
        let p = e.path();
        if p.is_dir() {
            out.extend(tree(&p));
        } else {
            out.push((p.clone(), std::fs::read(&p).unwrap()));
        }
    }
    out.sort();
    out
}

#[test]
fn a_repository_is_not_written_as_one_template_or_folder() {
    let tmp = tempfile::tempdir().unwrap();
    copy_dir(&fixture("ssm"), &tmp.path().join("ssm"));
    let before = tree(tmp.path());
    for (to, out) in [("sam", "all.yaml"), ("terraform", "all-tf/")] {
        let o = tmp.path().join(out);
        let r = stacksketch()
            .arg("export")
            .arg(tmp.path().join("ssm"))
            .args(["--to", to, "-o"])
            .arg(&o)
            .output()
            .unwrap();
        assert_eq!(r.status.code(), Some(2), "{to}");
        let e = String::from_utf8_lossy(&r.stderr);
        assert!(
            e.contains("stacks") && e.contains("export one of them"),
            "{e}"
        );
        assert!(!o.exists(), "{to}: something was written");
        // The same from apply, to anywhere but the folder itself.
        let r = stacksketch()
            .arg("apply")
            .arg(tmp.path().join("ssm"))
            .args(["-c", "add queue X in producer", "--to", to, "-o"])
            .arg(&o)
            .output()
            .unwrap();
        assert_eq!(r.status.code(), Some(2), "apply {to}");
    }
    // The whole system in a format that describes it is fine.
    let m = run(&[
        "export",
        tmp.path().join("ssm").to_str().unwrap(),
        "--to",
        "mermaid",
    ]);
    assert!(m.contains("flowchart"), "{m}");
    assert_eq!(tree(tmp.path()), before);
}

#[test]
fn apply_over_a_repository_edits_the_owning_file_and_refuses_a_connection_between_stacks() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("ssm");
    copy_dir(&fixture("ssm"), &root);
    let before = tree(&root);
    let producer = root.join("producer/template.yaml");
    let r = stacksketch()
        .arg("apply")
        .arg(&root)
        .args(["-c", "add queue Retries in producer", "-o"])
        .arg(&root)
        .output()
        .unwrap();
    assert!(r.status.success(), "{}", String::from_utf8_lossy(&r.stderr));
    let after = tree(&root);
    let changed: Vec<&PathBuf> = after
        .iter()
        .zip(&before)
        .filter(|(a, b)| a != b)
        .map(|(a, _)| &a.0)
        .collect();
    assert_eq!(changed, vec![&producer], "only the owning file changes");
    let text = std::fs::read_to_string(&producer).unwrap();
    assert!(text.contains("Retries:"), "{text}");
    // An arrow drawn from one stack into another has no file to go in.
    let repo = stacksketch::scan::scan(&root).unwrap();
    let sketch = repo.sketch();
    let other = sketch
        .services()
        .find(|s| !s.id.starts_with("producer:") && s.kind == Kind::Function)
        .map(|s| s.id.clone())
        .expect("a function in another stack");
    let r = stacksketch()
        .arg("apply")
        .arg(&root)
        .args(["-c", &format!("connect {other} producer:Retries"), "-o"])
        .arg(&root)
        .output()
        .unwrap();
    assert_eq!(r.status.code(), Some(1));
    let e = String::from_utf8_lossy(&r.stderr);
    assert!(
        e.contains("different stacks") && e.contains("nothing was written"),
        "{e}"
    );
    assert_eq!(tree(&root), after);
}

#[test]
fn a_stack_box_says_stack_and_its_language() {
    let out = run(&[
        "render",
        fixture("ssm").to_str().unwrap(),
        "--level",
        "system",
    ]);
    assert!(out.contains("⧉ stack"), "{out}");
    assert!(out.contains("⧉ terraform"), "{out}");
    assert!(!out.contains("application"), "{out}");
}

#[test]
fn a_parameter_that_carries_a_join_is_not_called_unconnected_inside_its_stack() {
    use stacksketch::analysis::{self, Warning};
    use stacksketch::model::{Level, View};
    let repo = stacksketch::scan::scan(&fixture("ssm")).unwrap();
    let sketch = repo.sketch();
    let carried = |w: &Warning| match w {
        Warning::Orphan { id } => sketch
            .joins
            .iter()
            .any(|j| j.through.iter().any(|t| t == id)),
        _ => false,
    };
    let view = View::of(&sketch, Level::Service).within_stack(&sketch, "producer");
    let mut warnings = analysis::check(&view);
    assert!(
        warnings.iter().any(carried),
        "the drilled view alone sees the parameter as loose: {warnings:?}"
    );
    analysis::drop_joined(&sketch, &mut warnings);
    assert!(!warnings.iter().any(carried), "{warnings:?}");
}
