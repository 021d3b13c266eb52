//! Reading the handler code of a 100-function repository (half Python,
//! half Node.js, each function with its own folder, a table and a queue),
//! against reading the same files' bytes without parsing them.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use criterion::{Criterion, criterion_group, criterion_main};
use stacksketch::document::{self, code};

const FUNCTIONS: usize = 100;

const PYTHON: &str = r#"import json
import os

import boto3

TABLE = os.environ["TABLE_NAME"]
table = boto3.resource("dynamodb").Table(TABLE)
sqs = boto3.client("sqs")


def handler(event, context):
    for record in event.get("Records", []):
        body = json.loads(record["body"])
        table.put_item(Item={"id": body["id"], "state": "new"})
        found = table.get_item(Key={"id": body["id"]})
        sqs.send_message(QueueUrl=os.environ["JOBS_URL"], MessageBody=json.dumps(found))
    return {"ok": True}
"#;

const NODE: &str = r#"import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient, PutCommand, GetCommand } from "@aws-sdk/lib-dynamodb";
import { SQSClient, SendMessageCommand } from "@aws-sdk/client-sqs";

const doc = DynamoDBDocumentClient.from(new DynamoDBClient({}));
const sqs = new SQSClient({});
const { TABLE_NAME, JOBS_URL } = process.env;

export const handler = async (event) => {
  for (const record of event.Records ?? []) {
    const body = JSON.parse(record.body);
    await doc.send(new PutCommand({ TableName: TABLE_NAME, Item: { id: body.id } }));
    const found = await doc.send(new GetCommand({ TableName: TABLE_NAME, Key: { id: body.id } }));
    await sqs.send(new SendMessageCommand({ QueueUrl: JOBS_URL, MessageBody: JSON.stringify(found) }));
  }
  return { ok: true };
};
"#;

/// Writes the repository; returns the template and the handler files.
fn build(root: &Path) -> (PathBuf, Vec<PathBuf>) {
    let mut t = String::from(
        "AWSTemplateFormatVersion: '2010-09-09'\nTransform: AWS::Serverless-2016-10-31\nResources:\n",
    );
    let mut files = Vec::new();
    for i in 0..FUNCTIONS {
        let (runtime, file, text) = if i % 2 == 0 {
            ("python3.12", "app.py", PYTHON)
        } else {
            ("nodejs22.x", "app.mjs", NODE)
        };
        let dir = root.join(format!("src/fn{i:03}"));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join(file), text).unwrap();
        files.push(dir.join(file));
        let _ = write!(
            t,
            "  Fn{i:03}:\n    Type: AWS::Serverless::Function\n    Properties:\n      CodeUri: src/fn{i:03}/\n      Handler: app.handler\n      Runtime: {runtime}\n      Policies:\n        - DynamoDBCrudPolicy:\n            TableName: !Ref Table{i:03}\n        - SQSSendMessagePolicy:\n            QueueName: !GetAtt Jobs{i:03}.QueueName\n      Environment:\n        Variables:\n          TABLE_NAME: !Ref Table{i:03}\n          JOBS_URL: !Ref Jobs{i:03}\n  Table{i:03}:\n    Type: AWS::DynamoDB::Table\n  Jobs{i:03}:\n    Type: AWS::SQS::Queue\n"
        );
    }
    let template = root.join("template.yaml");
    std::fs::write(&template, t).unwrap();
    (template, files)
}

fn bench(c: &mut Criterion) {
    let tmp = tempfile::tempdir().unwrap();
    let (template, files) = build(tmp.path());
    let loaded = document::load(&template).expect("the template reads");
    let report = code::read_code(&loaded);
    eprintln!(
        "{} functions, {} read, {} calls, {} findings",
        report.functions.len(),
        report.read_count(),
        report
            .functions
            .iter()
            .map(|f| f.calls.len())
            .sum::<usize>(),
        report.findings.len()
    );
    assert_eq!(report.read_count(), FUNCTIONS);
    let mut g = c.benchmark_group("handlers");
    g.sample_size(20);
    g.bench_function("read the handler files' bytes (baseline)", |b| {
        b.iter(|| {
            files
                .iter()
                .map(|f| std::fs::read(f).unwrap().len())
                .sum::<usize>()
        })
    });
    g.bench_function("read the code of 100 functions", |b| {
        b.iter(|| code::read_code(&loaded).functions.len())
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
