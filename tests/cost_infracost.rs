//! An Infracost usage file written for a Terraform folder, read against a
//! Terraform-style sketch (built by hand: resource addresses as ids, HCL
//! attribute names as properties), gives the ids and prices Infracost's
//! model gives. The Lambda figures are the ones Infracost's own golden test
//! (`lambda_function_test`) shows for the same usage.

use serde_json::{Value, json};
use stacksketch::catalog::Kind;
use stacksketch::cost::{self, CostOptions, UsageFile, UsageSource};
use stacksketch::model::{Connection, ConnectionKind, Service, Sketch};

fn resource(sketch: &mut Sketch, id: &str, ty: &str, props: Value) {
    let mut s = Service::new(id, Kind::from_tf_type(ty), ty);
    s.properties = props.as_object().cloned().unwrap_or_default();
    sketch.add_service(s).unwrap();
}

fn terraform_sketch() -> Sketch {
    let mut sk = Sketch::new();
    resource(
        &mut sk,
        "aws_api_gateway_rest_api.api",
        "aws_api_gateway_rest_api",
        json!({"name": "api"}),
    );
    resource(
        &mut sk,
        "module.api.aws_lambda_function.handler",
        "aws_lambda_function",
        json!({"memory_size": 512, "architectures": ["arm64"], "runtime": "nodejs20.x"}),
    );
    resource(
        &mut sk,
        "aws_lambda_function.lambda_withUsage",
        "aws_lambda_function",
        json!({"runtime": "nodejs20.x"}),
    );
    resource(&mut sk, "aws_sqs_queue.jobs[0]", "aws_sqs_queue", json!({}));
    resource(
        &mut sk,
        "aws_dynamodb_table.results",
        "aws_dynamodb_table",
        json!({"billing_mode": "PAY_PER_REQUEST", "hash_key": "id"}),
    );
    resource(
        &mut sk,
        "aws_kinesis_stream.events",
        "aws_kinesis_stream",
        json!({"shard_count": 2}),
    );
    resource(&mut sk, "aws_s3_bucket.uploads", "aws_s3_bucket", json!({}));
    resource(
        &mut sk,
        "aws_cloudwatch_log_group.app",
        "aws_cloudwatch_log_group",
        json!({"retention_in_days": 14}),
    );
    let link = |sk: &mut Sketch, a: &str, b: &str, k: ConnectionKind| {
        sk.connect(a, b, Connection::new(k)).unwrap()
    };
    link(
        &mut sk,
        "aws_api_gateway_rest_api.api",
        "module.api.aws_lambda_function.handler",
        ConnectionKind::Route,
    );
    link(
        &mut sk,
        "aws_sqs_queue.jobs[0]",
        "aws_lambda_function.lambda_withUsage",
        ConnectionKind::Trigger,
    );
    link(
        &mut sk,
        "aws_lambda_function.lambda_withUsage",
        "aws_dynamodb_table.results",
        ConnectionKind::Write,
    );
    link(
        &mut sk,
        "module.api.aws_lambda_function.handler",
        "aws_kinesis_stream.events",
        ConnectionKind::Write,
    );
    sk
}

fn close(actual: f64, expected: f64, what: &str) {
    assert!(
        (actual - expected).abs() < 1e-9,
        "{what}: expected {expected}, got {actual}"
    );
}

#[test]
fn an_infracost_usage_file_prices_like_infracost() {
    let text = std::fs::read_to_string("tests/fixtures/infracost-usage.yml").unwrap();
    let file = UsageFile::parse("infracost-usage.yml", &text).unwrap();
    let report = cost::estimate(
        &terraform_sketch(),
        &CostOptions {
            usage_file: Some(file),
            ..CostOptions::default()
        },
    );
    let expected = [
        // 100M requests × $3.50/1M.
        ("aws_api_gateway_rest_api.api", 350.00),
        // 512 MB arm64, 100,000 × 350 ms: 0.1 × $0.20 = $0.02 and
        // 100,000 × 0.5 GB × 0.35 s = 17,500 GB-s × $0.0000133334 = $0.2333345
        // (Infracost's golden lambda_withUsage512Mem_arm: $0.02 and $0.23).
        ("module.api.aws_lambda_function.handler", 0.02 + 0.2333345),
        // 128 MB by default: 100,000 × 0.125 GB × 0.35 s = 4,375 GB-s ×
        // $0.0000166667 = $0.0729168125 (golden lambda_withUsage: $0.02 and $0.07).
        ("aws_lambda_function.lambda_withUsage", 0.02 + 0.0729168125),
        // Matched by the `aws_sqs_queue.jobs[*]` wildcard: 128 KB is two 64 KB
        // chunks, 2M requests × $0.40/1M.
        ("aws_sqs_queue.jobs[0]", 0.80),
        // 3M WRU × $0.625 + 8M RRU × $0.125 + 230 GB × $0.25.
        ("aws_dynamodb_table.results", 1.875 + 1.00 + 57.50),
        // 2 shards × 730 h × $0.015 + 1M PUT units × $0.014/1M.
        ("aws_kinesis_stream.events", 21.90 + 0.014),
        // 50 GB × $0.023 + 20k × $0.005/1k + 500k × $0.0004/1k.
        ("aws_s3_bucket.uploads", 1.15 + 0.10 + 0.20),
        // From resource_type_default_usage: 10 GB × $0.50 + 50 GB × $0.03.
        ("aws_cloudwatch_log_group.app", 5.00 + 1.50),
    ];
    let ids: Vec<&str> = report.services.iter().map(|s| s.id.as_str()).collect();
    assert_eq!(ids, expected.iter().map(|(id, _)| *id).collect::<Vec<_>>());
    for (id, usd) in expected {
        close(report.service(id).unwrap().monthly_usd, usd, id);
    }
    close(
        report.total_monthly_usd,
        expected.iter().map(|(_, usd)| usd).sum(),
        "total",
    );
    // The file's numbers win over what flows along the arrows.
    let handler = report
        .service("module.api.aws_lambda_function.handler")
        .unwrap();
    let requests = handler
        .usage
        .iter()
        .find(|u| u.key == "monthly_requests")
        .unwrap();
    assert_eq!(requests.source, UsageSource::UsageFile);
    let logs = report.service("aws_cloudwatch_log_group.app").unwrap();
    assert_eq!(
        logs.usage[0].source,
        UsageSource::TypeDefault("aws_cloudwatch_log_group".into())
    );
    // An address that names nothing in the sketch is reported, not silently dropped.
    assert!(
        report
            .notes
            .iter()
            .any(|n| n.contains("aws_lambda_function.retired")),
        "{:?}",
        report.notes
    );
}
