//! What each trigger hands a function, as a sample event (`events/NAME.json`,
//! for `sam local invoke -e` or a unit test), in the shape the service sends.

use crate::catalog::Kind;
use serde_json::{Value, json};

/// How a function is called, from the kind of service that calls it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Trigger {
    /// Called directly (the console, another function, a state machine).
    Direct,
    /// An HTTP API (API Gateway payload format 2.0).
    HttpApi,
    /// A REST API, a WebSocket API or a load balancer (proxy integration).
    RestApi,
    Sqs,
    S3,
    Sns,
    DynamoStream,
    Kinesis,
    EventBridge,
    Schedule,
}

impl Trigger {
    /// The trigger a service of this catalog kind is.
    pub fn from_kind(kind: Kind) -> Trigger {
        match kind {
            Kind::HttpApi => Trigger::HttpApi,
            Kind::Api | Kind::WebSocket | Kind::LoadBalancer => Trigger::RestApi,
            Kind::Queue => Trigger::Sqs,
            Kind::Bucket => Trigger::S3,
            Kind::Topic => Trigger::Sns,
            Kind::Table => Trigger::DynamoStream,
            Kind::Stream => Trigger::Kinesis,
            Kind::Rule | Kind::EventBus | Kind::Pipe => Trigger::EventBridge,
            Kind::Schedule => Trigger::Schedule,
            _ => Trigger::Direct,
        }
    }

    /// Whether the event is a batch whose failed records can be reported
    /// one by one (`ReportBatchItemFailures`).
    pub fn is_batch(self) -> bool {
        matches!(
            self,
            Trigger::Sqs | Trigger::DynamoStream | Trigger::Kinesis
        )
    }

    /// How the trigger is named in a handler's first line.
    pub fn describe(self) -> &'static str {
        match self {
            Trigger::Direct => "direct invocation",
            Trigger::HttpApi => "HTTP API",
            Trigger::RestApi => "API request",
            Trigger::Sqs => "SQS",
            Trigger::S3 => "S3",
            Trigger::Sns => "SNS",
            Trigger::DynamoStream => "DynamoDB stream",
            Trigger::Kinesis => "Kinesis",
            Trigger::EventBridge => "EventBridge",
            Trigger::Schedule => "schedule",
        }
    }
}

const REGION: &str = "us-east-1";
const ACCOUNT: &str = "123456789012";

fn arn(service: &str, resource: &str) -> String {
    format!("arn:aws:{service}:{REGION}:{ACCOUNT}:{resource}")
}

/// A sample event for a trigger; `source` names the service that sends it.
pub fn sample(trigger: Trigger, source: &str) -> Value {
    let item = json!({"id": "1", "name": "example"});
    let text = item.to_string();
    let name = source.to_ascii_lowercase();
    match trigger {
        Trigger::Direct => item,
        Trigger::HttpApi => json!({
            "version": "2.0",
            "routeKey": "POST /items",
            "rawPath": "/items",
            "rawQueryString": "",
            "headers": {"content-type": "application/json"},
            "requestContext": {
                "http": {"method": "POST", "path": "/items", "protocol": "HTTP/1.1", "sourceIp": "192.0.2.1", "userAgent": "curl/8.0"},
                "requestId": "c6af9ac6-7b61-11e6-9a41-93e8deadbeef",
                "routeKey": "POST /items",
                "stage": "$default"
            },
            "body": text,
            "isBase64Encoded": false
        }),
        Trigger::RestApi => json!({
            "resource": "/items",
            "path": "/items",
            "httpMethod": "POST",
            "headers": {"Content-Type": "application/json"},
            "queryStringParameters": null,
            "pathParameters": null,
            "requestContext": {"resourcePath": "/items", "httpMethod": "POST", "stage": "Prod", "requestId": "c6af9ac6-7b61-11e6-9a41-93e8deadbeef"},
            "body": text,
            "isBase64Encoded": false
        }),
        Trigger::Sqs => json!({"Records": [{
            "messageId": "059f36b4-87a3-44ab-83d2-661975830a7d",
            "receiptHandle": "AQEBwJnKyrHigUMZj6rYigCgxlaS3SLy0a",
            "body": text,
            "attributes": {"ApproximateReceiveCount": "1", "SentTimestamp": "1700000000000"},
            "messageAttributes": {},
            "eventSource": "aws:sqs",
            "eventSourceARN": arn("sqs", &name),
            "awsRegion": REGION
        }]}),
        Trigger::S3 => json!({"Records": [{
            "eventVersion": "2.1",
            "eventSource": "aws:s3",
            "awsRegion": REGION,
            "eventName": "ObjectCreated:Put",
            "s3": {
                "bucket": {"name": name, "arn": format!("arn:aws:s3:::{name}")},
                "object": {"key": "uploads/example.json", "size": 1024, "eTag": "d41d8cd98f00b204e9800998ecf8427e"}
            }
        }]}),
        Trigger::Sns => json!({"Records": [{
            "EventSource": "aws:sns",
            "EventVersion": "1.0",
            "Sns": {
                "Type": "Notification",
                "MessageId": "95df01b4-ee98-5cb9-9903-4c221d41eb5e",
                "TopicArn": arn("sns", &name),
                "Subject": null,
                "Message": text,
                "Timestamp": "2024-01-01T00:00:00.000Z",
                "MessageAttributes": {}
            }
        }]}),
        Trigger::DynamoStream => json!({"Records": [{
            "eventID": "1",
            "eventName": "INSERT",
            "eventSource": "aws:dynamodb",
            "awsRegion": REGION,
            "dynamodb": {
                "Keys": {"id": {"S": "1"}},
                "NewImage": {"id": {"S": "1"}, "name": {"S": "example"}},
                "SequenceNumber": "111",
                "StreamViewType": "NEW_AND_OLD_IMAGES"
            },
            "eventSourceARN": arn("dynamodb", &format!("table/{name}/stream/2024-01-01T00:00:00.000"))
        }]}),
        Trigger::Kinesis => json!({"Records": [{
            "kinesis": {
                "partitionKey": "1",
                "sequenceNumber": "49590338271490256608559692538361571095921575989136588898",
                "data": base64(&text),
                "approximateArrivalTimestamp": 1700000000.0
            },
            "eventSource": "aws:kinesis",
            "eventID": "shardId-000000000006:49590338271490256608559692538361571095921575989136588898",
            "awsRegion": REGION,
            "eventSourceARN": arn("kinesis", &format!("stream/{name}"))
        }]}),
        Trigger::EventBridge => json!({
            "version": "0",
            "id": "6a7e8feb-b491-4cf7-a9f1-bf3703467718",
            "detail-type": "ItemCreated",
            "source": "app.items",
            "account": ACCOUNT,
            "time": "2024-01-01T00:00:00Z",
            "region": REGION,
            "resources": [],
            "detail": item
        }),
        Trigger::Schedule => json!({
            "version": "0",
            "id": "53dc4d37-cffa-4f76-80c9-8b7d4a4d2eaa",
            "detail-type": "Scheduled Event",
            "source": "aws.events",
            "account": ACCOUNT,
            "time": "2024-01-01T00:00:00Z",
            "region": REGION,
            "resources": [arn("events", &format!("rule/{name}"))],
            "detail": {}
        }),
    }
}

/// Standard base64 with padding, for the one sample that carries bytes.
fn base64(text: &str) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let bytes = text.as_bytes();
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(ALPHABET[((n >> (18 - 6 * i)) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_matches_the_standard() {
        assert_eq!(base64(""), "");
        assert_eq!(base64("f"), "Zg==");
        assert_eq!(base64("fo"), "Zm8=");
        assert_eq!(base64("foo"), "Zm9v");
        assert_eq!(base64("foobar"), "Zm9vYmFy");
    }

    #[test]
    fn batches_are_the_three_pollers() {
        let batches: Vec<_> = [
            Trigger::Direct,
            Trigger::HttpApi,
            Trigger::RestApi,
            Trigger::Sqs,
            Trigger::S3,
            Trigger::Sns,
            Trigger::DynamoStream,
            Trigger::Kinesis,
            Trigger::EventBridge,
            Trigger::Schedule,
        ]
        .into_iter()
        .filter(|t| t.is_batch())
        .collect();
        assert_eq!(
            batches,
            [Trigger::Sqs, Trigger::DynamoStream, Trigger::Kinesis]
        );
    }
}
