//! `stacksketch cost` end to end: the table, the JSON shape, budgets and
//! their exit codes, the free tier, usage from files and sidecars, and
//! `--prices`.

use assert_cmd::Command;
use predicates::prelude::*;
use serde_json::Value;

fn cmd() -> Command {
    Command::cargo_bin("stacksketch").unwrap()
}

const API_TABLE: &str = "examples/api-table/template.yaml";

// examples/api-table with its default assumptions: the API is an entry point
// with 1M requests ($3.50); they reach the arm64 256 MB function ($0.20 for
// requests; 1M × 0.25 GB × 0.1 s = 25,000 GB-s × $0.0000133334 = $0.333335),
// whose writes reach the on-demand table (1M WRU × $0.625) holding 1 GB ($0.25).
const API_TABLE_TOTAL: f64 = 3.50 + 0.20 + 0.333335 + 0.625 + 0.25;

fn json_of(args: &[&str]) -> Value {
    let out = cmd().arg("cost").args(args).arg("--json").output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn json_has_the_documented_shape_and_adds_up() {
    let v = json_of(&[API_TABLE]);
    assert_eq!(v["currency"], "USD");
    let total = v["total_monthly_usd"].as_f64().unwrap();
    assert!((total - API_TABLE_TOTAL).abs() < 1e-9, "{total}");
    let services = v["services"].as_array().unwrap();
    let ids: Vec<&str> = services.iter().map(|s| s["id"].as_str().unwrap()).collect();
    assert_eq!(ids, ["ItemsApi", "ItemsFunction", "ItemsTable"]);
    let kinds: Vec<&str> = services
        .iter()
        .map(|s| s["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, ["api", "function", "table"]);
    let mut sum = 0.0;
    for s in services {
        let parts: f64 = s["components"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| {
                for key in [
                    "name",
                    "quantity",
                    "unit",
                    "unit_price",
                    "monthly_usd",
                    "fixed_floor",
                ] {
                    assert!(c.get(key).is_some(), "component without {key}: {c}");
                }
                c["monthly_usd"].as_f64().unwrap()
            })
            .sum();
        assert!((parts - s["monthly_usd"].as_f64().unwrap()).abs() < 1e-9);
        sum += parts;
    }
    assert!((sum - total).abs() < 1e-9);
}

#[test]
fn over_budget_exits_3_and_within_budget_exits_0() {
    cmd()
        .args(["cost", API_TABLE, "--budget", "4"])
        .assert()
        .code(3)
        .stdout(predicate::str::contains("Budget $4.00: over by $0.91"))
        .stderr(predicate::str::contains(
            "over budget: $4.91 a month is more than $4.00",
        ));
    cmd()
        .args(["cost", API_TABLE, "--budget", "5"])
        .assert()
        .code(0)
        .stdout(predicate::str::contains("within it, $0.09 to spare"));
    cmd()
        .args(["cost", API_TABLE, "--budget", "-1"])
        .assert()
        .code(2);
}

#[test]
fn the_free_tier_is_off_unless_asked_for() {
    // With it: the function's 1M requests and 25,000 GB-s and the table's
    // 1 GB fall within always-free allowances; the API's allowance lasts only
    // 12 months and the table's request units have none: $3.50 + $0.625.
    let v = json_of(&[API_TABLE, "--free-tier"]);
    assert!((v["total_monthly_usd"].as_f64().unwrap() - 4.125).abs() < 1e-9);
    assert_eq!(v["free_tier"], true);
    assert_eq!(json_of(&[API_TABLE])["free_tier"], false);
}

#[test]
fn the_table_reads_like_infracosts() {
    cmd()
        .args(["cost", API_TABLE])
        .assert()
        .success()
        .stdout(predicate::str::contains("ItemsApi (api)"))
        .stdout(predicate::str::contains("└─ Requests (first 333M)"))
        .stdout(predicate::str::contains("GB-second"))
        .stdout(predicate::str::contains("TOTAL"))
        .stdout(predicate::str::contains("$4.91"))
        .stdout(predicate::str::contains(
            "ItemsFunction: monthly_requests = 1,000,000 (flows from `ItemsApi`)",
        ));
}

#[test]
fn usage_comes_from_a_usage_file_and_from_the_sidecar() {
    let dir = tempfile::tempdir().unwrap();
    let template = dir.path().join("template.yaml");
    std::fs::copy(API_TABLE, &template).unwrap();
    let usage = dir.path().join("usage.yml");
    std::fs::write(
        &usage,
        "version: 0.1\nresource_usage:\n  ItemsApi:\n    monthly_requests: 2000000\n",
    )
    .unwrap();
    let v = json_of(&[
        template.to_str().unwrap(),
        "--usage",
        usage.to_str().unwrap(),
    ]);
    // 2M requests × $3.50/1M.
    assert!((v["services"][0]["monthly_usd"].as_f64().unwrap() - 7.00).abs() < 1e-9);

    std::fs::write(
        dir.path().join(".template.yaml.stacksketch.yaml"),
        "stacksketch_layout: 1\nusage:\n  ItemsApi:\n    monthly_requests: 4000000\n",
    )
    .unwrap();
    let v = json_of(&[template.to_str().unwrap()]);
    // The sidecar's 4M requests × $3.50/1M.
    assert!((v["services"][0]["monthly_usd"].as_f64().unwrap() - 14.00).abs() < 1e-9);
}

#[test]
fn bad_inputs_fail_with_their_name() {
    cmd()
        .args(["cost", API_TABLE, "--usage", "no-such-usage.yml"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "no-such-usage.yml: cannot read it",
        ));
    let dir = tempfile::tempdir().unwrap();
    let usage = dir.path().join("u.yml");
    std::fs::write(&usage, "version: 9\n").unwrap();
    cmd()
        .args(["cost", API_TABLE, "--usage", usage.to_str().unwrap()])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("version 9"));
    cmd().arg("cost").assert().code(2);
}

#[test]
fn prices_shows_dates_and_sources_without_an_input() {
    cmd()
        .args(["cost", "--prices"])
        .assert()
        .success()
        .stdout(predicate::str::contains("us-east-1"))
        .stdout(predicate::str::contains("dated 2024-07-01 to"))
        .stdout(predicate::str::contains("infracost golden"))
        .stdout(predicate::str::contains("aws.amazon.com/dynamodb/pricing"));
}

#[test]
fn a_price_file_overrides_the_table() {
    let dir = tempfile::tempdir().unwrap();
    let prices = dir.path().join("prices.tsv");
    std::fs::write(
        &prices,
        "apigw_rest\trequests\t1M requests\t1.00\t0\t\tmy negotiated rate\t2026-01-01\n",
    )
    .unwrap();
    let v = json_of(&[API_TABLE, "--price-file", prices.to_str().unwrap()]);
    // The API's 1M requests now at $1.00 instead of $3.50.
    assert!((v["total_monthly_usd"].as_f64().unwrap() - (API_TABLE_TOTAL - 2.50)).abs() < 1e-9);
    cmd()
        .args(["cost", "--prices", "--price-file", prices.to_str().unwrap()])
        .assert()
        .success()
        .stdout(predicate::str::contains("my negotiated rate"))
        .stdout(predicate::str::contains("overridden by"));
}
