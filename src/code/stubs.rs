//! Starter handlers. For each function the template gives a local code
//! folder, a handler in its runtime (Python or Node.js) that reads the
//! environment variables its connections hand it, shows the SDK call for each
//! outgoing arrow, and parses the event its trigger sends; and a sample event.
//! Nothing here touches the disk: the caller writes only what is missing.

use crate::catalog::Kind;
use std::collections::BTreeSet;
use std::fmt::Write as _;

use crate::model::{ConnectionKind, Service, Sketch, Value};

use super::events::{self, Trigger};

/// The languages a starter handler is written in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Runtime {
    Python,
    Node,
}

impl Runtime {
    /// `python`, `node` (or `nodejs`, `javascript`), or a Lambda runtime id
    /// such as `python3.12` or `nodejs22.x`.
    pub fn parse(word: &str) -> Option<Runtime> {
        let w = word.trim().to_ascii_lowercase();
        if w == "py" || w.starts_with("python") {
            Some(Runtime::Python)
        } else if w == "js" || w == "javascript" || w.starts_with("node") {
            Some(Runtime::Node)
        } else {
            None
        }
    }

    /// The Lambda runtime a new function of this language gets.
    pub fn lambda_id(self) -> &'static str {
        match self {
            Runtime::Python => "python3.13",
            Runtime::Node => "nodejs22.x",
        }
    }

    fn extension(self) -> &'static str {
        match self {
            Runtime::Python => "py",
            Runtime::Node => "mjs",
        }
    }
}

/// Where a function's code lives, as its template says.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CodeSite {
    /// The function's id in the sketch.
    pub function: String,
    /// The code folder, relative to the template's folder, `/`-separated;
    /// empty when the code sits beside the template.
    pub folder: String,
    /// The handler's module path inside the folder, without extension (`app`).
    pub module: String,
    /// The handler's function name (`handler`).
    pub entry: String,
    /// The language, when the template names one a starter can be written in.
    pub runtime: Option<Runtime>,
    /// The runtime the template names, if any.
    pub runtime_id: Option<String>,
}

/// A file a starter project needs. It is written only when none of `guards`
/// (folders or files, relative to the template's folder) exists yet, so a
/// user's code is never overwritten.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StarterFile {
    pub path: String,
    pub text: String,
    pub guards: Vec<String>,
}

/// The code site of every function whose code is a local folder.
pub fn code_sites(sketch: &Sketch) -> Vec<CodeSite> {
    sketch
        .services()
        .filter(|s| s.kind == Kind::Function && !s.implicit)
        .filter_map(|s| code_site(sketch, s))
        .collect()
}

/// Handler stubs and sample events for every function with a local code
/// folder; `default` is the language for functions whose template names none.
pub fn starter_files(sketch: &Sketch, default: Runtime) -> Vec<StarterFile> {
    let mut out = Vec::new();
    let mut events_written = BTreeSet::new();
    for site in code_sites(sketch) {
        let runtime = match (&site.runtime, &site.runtime_id) {
            (Some(r), _) => *r,
            (None, None) => default,
            // Java, Go, .NET, a container: not a language starters are written in.
            (None, Some(_)) => continue,
        };
        let Some(service) = sketch.service(&site.function) else {
            continue;
        };
        let plan = Plan::of(sketch, service);
        let text = match runtime {
            Runtime::Python => python(&plan, &site.entry),
            Runtime::Node => node(&plan, &site.entry),
        };
        let in_folder = |file: &str| {
            if site.folder.is_empty() {
                file.to_string()
            } else {
                format!("{}/{file}", site.folder)
            }
        };
        // Code beside the template: only the handler's own file (in any of
        // its language's extensions) says whether it is written already.
        let guards: Vec<String> = if site.folder.is_empty() {
            let exts: &[&str] = match runtime {
                Runtime::Python => &["py"],
                Runtime::Node => &["mjs", "js", "cjs", "ts"],
            };
            exts.iter()
                .map(|e| format!("{}.{e}", site.module))
                .collect()
        } else {
            vec![site.folder.clone()]
        };
        out.push(StarterFile {
            path: in_folder(&format!("{}.{}", site.module, runtime.extension())),
            text,
            guards: guards.clone(),
        });
        if !site.folder.is_empty() {
            // The AWS SDK is part of the Lambda runtime in both languages, so
            // the manifest lists no dependency; it is there for the builder.
            let (file, text) = match runtime {
                Runtime::Node => ("package.json", package_json(&plan, &site.module)),
                Runtime::Python => (
                    "requirements.txt",
                    "# Packages the handler needs beyond the Lambda runtime (boto3 is in it).\n"
                        .to_string(),
                ),
            };
            out.push(StarterFile {
                path: in_folder(file),
                text,
                guards,
            });
        }
        let name = file_stem(&site.folder, &site.function);
        if events_written.insert(name.clone()) {
            let path = format!("events/{name}.json");
            let mut text = serde_json::to_string_pretty(&events::sample(
                plan.trigger,
                plan.trigger_source.as_deref().unwrap_or(&plan.name),
            ))
            .unwrap_or_default();
            text.push('\n');
            out.push(StarterFile {
                guards: vec![path.clone()],
                path,
                text,
            });
        }
    }
    out
}

fn file_stem(folder: &str, function: &str) -> String {
    match folder.rsplit('/').find(|p| !p.is_empty()) {
        Some(last) => last.to_string(),
        None => crate::model::short_name(function)
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() {
                    c.to_ascii_lowercase()
                } else {
                    '_'
                }
            })
            .collect(),
    }
}

fn str_at<'a>(v: &'a Value, path: &[&str]) -> Option<&'a str> {
    let mut cur = v;
    for key in path {
        cur = cur.get(*key)?;
    }
    cur.as_str()
}

fn code_site(sketch: &Sketch, s: &Service) -> Option<CodeSite> {
    let props = Value::Object(s.properties.clone());
    let globals = sketch
        .sections
        .get("Globals")
        .and_then(|g| g.get("Function"))
        .cloned()
        .unwrap_or(Value::Null);
    let (folder, handler, runtime) = if s.type_name == "AWS::Serverless::Function" {
        if props.get("ImageUri").is_some() || props.get("InlineCode").is_some() {
            return None;
        }
        let pick = |key: &str| {
            str_at(&props, &[key])
                .or_else(|| str_at(&globals, &[key]))
                .map(str::to_string)
        };
        (pick("CodeUri")?, pick("Handler")?, pick("Runtime"))
    } else if s.type_name == "aws_lambda_function" {
        let archive = str_at(&props, &["filename"])
            .and_then(|f| interpolated(f))
            .and_then(|expr| {
                let id = expr.strip_suffix(".output_path")?;
                sketch.service(id)
            })?;
        let aprops = Value::Object(archive.properties.clone());
        let dir = str_at(&aprops, &["source_dir"])?;
        let dir = dir.strip_prefix("${path.module}/").unwrap_or(dir);
        (
            dir.to_string(),
            str_at(&props, &["handler"])?.to_string(),
            str_at(&props, &["runtime"]).map(str::to_string),
        )
    } else {
        return None;
    };
    let folder = local_folder(&folder)?;
    let (module, entry) = handler.rsplit_once('.')?;
    let module = match Runtime::parse(runtime.as_deref().unwrap_or("python")) {
        Some(Runtime::Node) => module.to_string(),
        // Python names a module inside packages with dots.
        _ => module.replace('.', "/"),
    };
    if !safe_relative(&module) || !is_identifier(entry) {
        return None;
    }
    Some(CodeSite {
        function: s.id.clone(),
        folder,
        module,
        entry: entry.to_string(),
        runtime: runtime.as_deref().and_then(Runtime::parse),
        runtime_id: runtime,
    })
}

/// `${expr}` when the whole text is one interpolation.
fn interpolated(text: &str) -> Option<&str> {
    text.strip_prefix("${")?.strip_suffix('}')
}

/// A code folder under the template's folder: relative, with no `..`;
/// empty for the template's folder itself.
fn local_folder(path: &str) -> Option<String> {
    let trimmed = path.trim().trim_end_matches('/');
    let trimmed = trimmed.strip_prefix("./").unwrap_or(trimmed);
    if trimmed == "." || trimmed == "${path.module}" {
        return Some(String::new());
    }
    if trimmed.is_empty() || trimmed.contains("://") || !safe_relative(trimmed) {
        return None;
    }
    Some(trimmed.to_string())
}

fn safe_relative(path: &str) -> bool {
    !path.starts_with('/')
        && !path.contains('\\')
        && path.split('/').all(|part| {
            !part.is_empty()
                && part != ".."
                && part != "."
                && part
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'))
        })
}

fn is_identifier(name: &str) -> bool {
    name.chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// An SDK call an arrow stands for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Call {
    PutItem,
    GetItem,
    SendMessage,
    Publish,
    PutObject,
    GetObject,
    PutEvents,
    StartExecution,
    Invoke,
    PutRecord,
    PutFirehoseRecord,
    GetSecret,
    GetParameter,
}

impl Call {
    fn of(target_kind: Kind, conn: ConnectionKind) -> Option<Call> {
        use ConnectionKind as C;
        Some(match (target_kind, conn) {
            (Kind::Table, C::Write) => Call::PutItem,
            (Kind::Table, C::Read) => Call::GetItem,
            (Kind::Queue, C::Write | C::Publish) => Call::SendMessage,
            (Kind::Topic, C::Publish | C::Write) => Call::Publish,
            (Kind::Bucket, C::Write) => Call::PutObject,
            (Kind::Bucket, C::Read) => Call::GetObject,
            (Kind::EventBus, C::Publish | C::Write | C::Invoke) => Call::PutEvents,
            (Kind::StateMachine, C::Invoke | C::Write) => Call::StartExecution,
            (Kind::Function, C::Invoke) => Call::Invoke,
            (Kind::Stream, C::Write | C::Publish) => Call::PutRecord,
            (Kind::Firehose, C::Write) => Call::PutFirehoseRecord,
            (Kind::Secret, C::Read) => Call::GetSecret,
            (Kind::Parameter, C::Read) => Call::GetParameter,
            _ => return None,
        })
    }
}

/// One environment variable the function reads, and what it names.
struct Variable {
    name: String,
    target: Option<String>,
    calls: Vec<Call>,
}

/// What a function's starter says: its trigger, its variables and calls.
struct Plan {
    name: String,
    trigger: Trigger,
    trigger_source: Option<String>,
    partial_failures: bool,
    variables: Vec<Variable>,
    /// Outgoing arrows with a call but no variable naming their target.
    unnamed: Vec<(String, Call)>,
}

impl Plan {
    fn of(sketch: &Sketch, f: &Service) -> Plan {
        let (trigger, trigger_source) = sketch
            .incoming(&f.id)
            .into_iter()
            .filter(|(_, c)| {
                matches!(
                    c.kind,
                    ConnectionKind::Trigger | ConnectionKind::Route | ConnectionKind::Subscribe
                )
            })
            .find_map(|(from, _)| {
                let s = sketch.service(from)?;
                Some((Trigger::from_kind(s.kind), Some(s.short_name().to_string())))
            })
            .unwrap_or((Trigger::Direct, None));
        let calls_to = |target: &str| -> Vec<Call> {
            let kind = sketch.service(target).map_or(Kind::Generic, |s| s.kind);
            let mut calls: Vec<Call> = sketch
                .outgoing(&f.id)
                .into_iter()
                .filter(|(to, _)| *to == target)
                .filter_map(|(_, c)| Call::of(kind, c.kind))
                .collect();
            calls.sort();
            calls.dedup();
            calls
        };
        let mut variables: Vec<Variable> = environment(sketch, f)
            .into_iter()
            .map(|(name, target)| {
                let calls = target.as_deref().map(calls_to).unwrap_or_default();
                Variable {
                    name,
                    target,
                    calls,
                }
            })
            .collect();
        variables.sort_by(|a, b| a.name.cmp(&b.name));
        let named: BTreeSet<&str> = variables
            .iter()
            .filter_map(|v| v.target.as_deref())
            .collect();
        let mut unnamed = Vec::new();
        for (to, c) in sketch.outgoing(&f.id) {
            if named.contains(to) {
                continue;
            }
            let kind = sketch.service(to).map_or(Kind::Generic, |s| s.kind);
            if let Some(call) = Call::of(kind, c.kind) {
                let short = crate::model::short_name(to).to_string();
                if !unnamed.contains(&(short.clone(), call)) {
                    unnamed.push((short, call));
                }
            }
        }
        let partial_failures = trigger.is_batch() && reports_batch_failures(sketch, f);
        Plan {
            name: f.short_name().to_string(),
            trigger,
            trigger_source,
            partial_failures,
            variables,
            unnamed,
        }
    }

    fn calls(&self) -> BTreeSet<Call> {
        self.variables
            .iter()
            .flat_map(|v| v.calls.iter().copied())
            .collect()
    }
}

/// Whether the function's event source reports failed records one by one.
fn reports_batch_failures(sketch: &Sketch, f: &Service) -> bool {
    let says = |s: &Service| {
        Value::Object(s.properties.clone())
            .to_string()
            .contains("ReportBatchItemFailures")
    };
    says(f)
        || sketch
            .services()
            .any(|s| s.owner.as_deref() == Some(f.id.as_str()) && says(s))
}

/// The function's environment variables and the service each names, from
/// SAM (`Environment.Variables`, with `Globals`) or Terraform
/// (`environment { variables = {...} }`).
fn environment(sketch: &Sketch, f: &Service) -> Vec<(String, Option<String>)> {
    let mut vars: Vec<(String, Option<String>)> = Vec::new();
    let mut add = |map: Option<&serde_json::Map<String, Value>>| {
        for (name, value) in map.into_iter().flatten() {
            if vars.iter().any(|(n, _)| n == name) || !is_identifier(name) {
                continue;
            }
            vars.push((name.clone(), named_service(sketch, value)));
        }
    };
    let props = &f.properties;
    add(props
        .get("Environment")
        .and_then(|e| e.get("Variables"))
        .and_then(Value::as_object));
    add(props
        .get("environment")
        .and_then(|e| match e {
            Value::Array(a) => a.first(),
            other => Some(other),
        })
        .and_then(|e| e.get("variables"))
        .and_then(Value::as_object));
    if f.type_name.starts_with("AWS::Serverless") {
        add(sketch
            .sections
            .get("Globals")
            .and_then(|g| g.get("Function"))
            .and_then(|g| g.get("Environment"))
            .and_then(|e| e.get("Variables"))
            .and_then(Value::as_object));
    }
    vars
}

/// The service a variable's value names: `!Ref X`, `!GetAtt X.Arn`, a `!Sub`
/// that names one, or a Terraform expression `${aws_x.y.attr}`.
fn named_service(sketch: &Sketch, value: &Value) -> Option<String> {
    match value {
        Value::Object(m) => {
            if let Some(Value::String(id)) = m.get("Ref") {
                return sketch.contains(id).then(|| id.clone());
            }
            if let Some(att) = m.get("Fn::GetAtt") {
                let id = match att {
                    Value::Array(a) => a.first().and_then(Value::as_str)?.to_string(),
                    Value::String(s) => s.split('.').next()?.to_string(),
                    _ => return None,
                };
                return sketch.contains(&id).then_some(id);
            }
            if let Some(sub) = m.get("Fn::Sub") {
                let text = match sub {
                    Value::Array(a) => a.first().and_then(Value::as_str)?,
                    Value::String(s) => s.as_str(),
                    _ => return None,
                };
                return placeholders(text).find_map(|p| {
                    let id = p.split('.').next()?;
                    sketch.contains(id).then(|| id.to_string())
                });
            }
            None
        }
        Value::String(text) => placeholders(text).find_map(|expr| {
            // The longest prefix of the expression that is a service's address.
            let parts: Vec<&str> = expr.split('.').collect();
            (1..=parts.len()).rev().find_map(|n| {
                let id = parts[..n].join(".");
                sketch.contains(&id).then_some(id)
            })
        }),
        _ => None,
    }
}

/// The `${...}` placeholders in a text.
fn placeholders(text: &str) -> impl Iterator<Item = &str> {
    text.split("${")
        .skip(1)
        .filter_map(|rest| rest.split_once('}').map(|(inside, _)| inside.trim()))
}

// ---------------------------------------------------------------- Python

struct PyClient {
    var: &'static str,
    setup: &'static str,
}

fn py_client(call: Call) -> PyClient {
    let (var, setup) = match call {
        Call::PutItem | Call::GetItem => ("dynamodb", "boto3.resource(\"dynamodb\")"),
        Call::SendMessage => ("sqs", "boto3.client(\"sqs\")"),
        Call::Publish => ("sns", "boto3.client(\"sns\")"),
        Call::PutObject | Call::GetObject => ("s3", "boto3.client(\"s3\")"),
        Call::PutEvents => ("events", "boto3.client(\"events\")"),
        Call::StartExecution => ("stepfunctions", "boto3.client(\"stepfunctions\")"),
        Call::Invoke => ("lambda_client", "boto3.client(\"lambda\")"),
        Call::PutRecord => ("kinesis", "boto3.client(\"kinesis\")"),
        Call::PutFirehoseRecord => ("firehose", "boto3.client(\"firehose\")"),
        Call::GetSecret => ("secrets", "boto3.client(\"secretsmanager\")"),
        Call::GetParameter => ("ssm", "boto3.client(\"ssm\")"),
    };
    PyClient { var, setup }
}

fn py_call(call: Call, var: &str, source: &str) -> String {
    match call {
        Call::PutItem => format!("dynamodb.Table({var}).put_item(Item=item)"),
        Call::GetItem => format!(
            "found = dynamodb.Table({var}).get_item(Key={{\"id\": item[\"id\"]}}).get(\"Item\")\n    print(dump({{\"found\": found}}))"
        ),
        Call::SendMessage => format!("sqs.send_message(QueueUrl={var}, MessageBody=dump(item))"),
        Call::Publish => format!("sns.publish(TopicArn={var}, Message=dump(item))"),
        Call::PutObject => format!(
            "s3.put_object(Bucket={var}, Key=f\"items/{{item['id']}}.json\", Body=dump(item).encode())"
        ),
        Call::GetObject => format!(
            "body = s3.get_object(Bucket={var}, Key=f\"items/{{item['id']}}.json\")[\"Body\"].read()\n    print(body.decode())"
        ),
        Call::PutEvents => format!(
            "events.put_events(Entries=[{{\"EventBusName\": {var}, \"Source\": \"{source}\", \"DetailType\": \"ItemProcessed\", \"Detail\": dump(item)}}])"
        ),
        Call::StartExecution => {
            format!("stepfunctions.start_execution(stateMachineArn={var}, input=dump(item))")
        }
        Call::Invoke => format!(
            "lambda_client.invoke(FunctionName={var}, InvocationType=\"Event\", Payload=dump(item).encode())"
        ),
        Call::PutRecord => format!(
            "kinesis.put_record(StreamName={var}, Data=dump(item).encode(), PartitionKey=str(item[\"id\"]))"
        ),
        Call::PutFirehoseRecord => format!(
            "firehose.put_record(DeliveryStreamName={var}, Record={{\"Data\": (dump(item) + \"\\n\").encode()}})"
        ),
        Call::GetSecret => format!(
            "secret = secrets.get_secret_value(SecretId={var})[\"SecretString\"]\n    print(dump({{\"secret_length\": len(secret)}}))"
        ),
        Call::GetParameter => format!(
            "value = ssm.get_parameter(Name={var})[\"Parameter\"][\"Value\"]\n    print(dump({{\"parameter\": value}}))"
        ),
    }
}

fn headline(plan: &Plan) -> String {
    let mut line = format!("{}: ", plan.name);
    match (&plan.trigger_source, plan.trigger) {
        (Some(src), t) => {
            let _ = write!(line, "called by {src} ({})", t.describe());
        }
        (None, _) => line.push_str("invoked directly"),
    }
    let targets: Vec<&str> = plan
        .variables
        .iter()
        .filter(|v| !v.calls.is_empty())
        .map(|v| v.name.as_str())
        .collect();
    if !targets.is_empty() {
        let _ = write!(line, "; uses {}", targets.join(", "));
    }
    line.push('.');
    line
}

fn python(plan: &Plan, entry: &str) -> String {
    let calls = plan.calls();
    let mut imports = vec!["import json", "import os"];
    if matches!(
        plan.trigger,
        Trigger::HttpApi | Trigger::RestApi | Trigger::Kinesis
    ) {
        imports.insert(0, "import base64");
    }
    if plan.trigger == Trigger::S3 {
        imports.push("import urllib.parse");
    }
    imports.push("from decimal import Decimal");
    let mut t = String::new();
    let _ = writeln!(t, "\"\"\"{}", headline(plan));
    t.push_str("\nA starting point written from the sketch: change it freely.\n\"\"\"\n");
    for i in &imports {
        let _ = writeln!(t, "{i}");
    }
    if !calls.is_empty() {
        t.push_str("\nimport boto3\n");
    }
    t.push('\n');
    for v in &plan.variables {
        let _ = writeln!(t, "{0} = os.environ[\"{0}\"]", v.name);
    }
    let mut clients = BTreeSet::new();
    for c in &calls {
        let client = py_client(*c);
        if clients.insert(client.var) {
            if clients.len() == 1 {
                t.push('\n');
            }
            let _ = writeln!(t, "{} = {}", client.var, client.setup);
        }
    }
    t.push_str("\n\n");
    t.push_str(&py_handler(plan, entry));
    t.push_str("\n\ndef process(item):\n");
    t.push_str("    \"\"\"What the function does with one item.\"\"\"\n");
    let source = format!("app.{}", plan.name.to_ascii_lowercase());
    let mut body = Vec::new();
    for v in &plan.variables {
        for c in &v.calls {
            body.push(py_call(*c, &v.name, &source));
        }
    }
    for (target, call) in &plan.unnamed {
        body.push(format!(
            "# {target}: {call:?} (no environment variable names it yet)"
        ));
    }
    if body.iter().all(|l| l.starts_with('#')) {
        body.push("print(dump(item))".to_string());
    }
    for line in body {
        let _ = writeln!(t, "    {line}");
    }
    t.push_str(PY_HELPERS);
    t
}

const PY_HELPERS: &str = r#"

def load(text):
    """JSON from text, with numbers DynamoDB can store."""
    return json.loads(text, parse_float=Decimal)


def parse(text):
    """A message as JSON when it is JSON, else as text."""
    try:
        return load(text)
    except ValueError:
        return {"id": "message", "message": text}


def dump(item):
    return json.dumps(item, default=str)
"#;

fn py_batch(plan: &Plan, entry: &str, doc: &str, record_item: &str, id: &str) -> String {
    if plan.partial_failures {
        format!(
            r#"def {entry}(event, context):
    """{doc}; failed records are reported so that only they are retried."""
    failures = []
    for record in event["Records"]:
        try:
            process({record_item})
        except Exception as error:
            print(dump({{"message": "failed", "id": {id}, "error": str(error)}}))
            failures.append({{"itemIdentifier": {id}}})
    return {{"batchItemFailures": failures}}
"#
        )
    } else {
        format!(
            r#"def {entry}(event, context):
    """{doc}; an error fails the batch, which is retried whole."""
    for record in event["Records"]:
        process({record_item})
"#
        )
    }
}

fn py_handler(plan: &Plan, entry: &str) -> String {
    match plan.trigger {
        Trigger::Direct => format!(
            r#"def {entry}(event, context):
    """Invoked with the item itself."""
    process(event)
    return event
"#
        ),
        Trigger::HttpApi | Trigger::RestApi => format!(
            r#"def {entry}(event, context):
    """An API request with a JSON body (proxy integration)."""
    body = event.get("body") or "{{}}"
    if event.get("isBase64Encoded"):
        body = base64.b64decode(body).decode()
    try:
        item = load(body)
    except ValueError:
        return response(400, {{"message": "the body is not JSON"}})
    if not isinstance(item, dict) or "id" not in item:
        return response(400, {{"message": "the body needs an id"}})
    process(item)
    return response(200, item)


def response(status, body):
    return {{
        "statusCode": status,
        "headers": {{"content-type": "application/json"}},
        "body": dump(body),
    }}
"#
        ),
        Trigger::Sqs => py_batch(
            plan,
            entry,
            "A batch of SQS messages",
            "parse(record[\"body\"])",
            "record[\"messageId\"]",
        ),
        Trigger::DynamoStream => py_batch(
            plan,
            entry,
            "A batch of DynamoDB stream records",
            "{\"id\": record[\"eventID\"], \"event\": record[\"eventName\"], \"image\": record[\"dynamodb\"].get(\"NewImage\", {})}",
            "record[\"dynamodb\"][\"SequenceNumber\"]",
        ),
        Trigger::Kinesis => py_batch(
            plan,
            entry,
            "A batch of Kinesis records",
            "parse(base64.b64decode(record[\"kinesis\"][\"data\"]).decode())",
            "record[\"kinesis\"][\"sequenceNumber\"]",
        ),
        Trigger::S3 => format!(
            r#"def {entry}(event, context):
    """Objects created in a bucket, one record each."""
    for record in event["Records"]:
        bucket = record["s3"]["bucket"]["name"]
        key = urllib.parse.unquote_plus(record["s3"]["object"]["key"])
        process({{"id": key, "bucket": bucket, "key": key}})
"#
        ),
        Trigger::Sns => format!(
            r#"def {entry}(event, context):
    """SNS notifications, one record each."""
    for record in event["Records"]:
        process(parse(record["Sns"]["Message"]))
"#
        ),
        Trigger::EventBridge => format!(
            r#"def {entry}(event, context):
    """An EventBridge event; what matters is in its detail."""
    item = dict(event.get("detail") or {{}})
    item.setdefault("id", event["id"])
    process(item)
"#
        ),
        Trigger::Schedule => format!(
            r#"def {entry}(event, context):
    """A scheduled run."""
    process({{"id": event.get("id", "scheduled"), "time": event.get("time")}})
"#
        ),
    }
}

// ---------------------------------------------------------------- Node.js

/// The package, client class, command and document-client flag of a call.
fn node_parts(call: Call) -> (&'static str, &'static str, &'static str, &'static str) {
    match call {
        Call::PutItem => ("@aws-sdk/lib-dynamodb", "dynamodb", "PutCommand", ""),
        Call::GetItem => ("@aws-sdk/lib-dynamodb", "dynamodb", "GetCommand", ""),
        Call::SendMessage => (
            "@aws-sdk/client-sqs",
            "sqs",
            "SendMessageCommand",
            "SQSClient",
        ),
        Call::Publish => ("@aws-sdk/client-sns", "sns", "PublishCommand", "SNSClient"),
        Call::PutObject => ("@aws-sdk/client-s3", "s3", "PutObjectCommand", "S3Client"),
        Call::GetObject => ("@aws-sdk/client-s3", "s3", "GetObjectCommand", "S3Client"),
        Call::PutEvents => (
            "@aws-sdk/client-eventbridge",
            "events",
            "PutEventsCommand",
            "EventBridgeClient",
        ),
        Call::StartExecution => (
            "@aws-sdk/client-sfn",
            "stepfunctions",
            "StartExecutionCommand",
            "SFNClient",
        ),
        Call::Invoke => (
            "@aws-sdk/client-lambda",
            "lambda",
            "InvokeCommand",
            "LambdaClient",
        ),
        Call::PutRecord => (
            "@aws-sdk/client-kinesis",
            "kinesis",
            "PutRecordCommand",
            "KinesisClient",
        ),
        Call::PutFirehoseRecord => (
            "@aws-sdk/client-firehose",
            "firehose",
            "PutRecordCommand",
            "FirehoseClient",
        ),
        Call::GetSecret => (
            "@aws-sdk/client-secrets-manager",
            "secrets",
            "GetSecretValueCommand",
            "SecretsManagerClient",
        ),
        Call::GetParameter => (
            "@aws-sdk/client-ssm",
            "ssm",
            "GetParameterCommand",
            "SSMClient",
        ),
    }
}

fn node_call(call: Call, var: &str, source: &str) -> String {
    let (_, client, command, _) = node_parts(call);
    let args = match call {
        Call::PutItem => format!("{{ TableName: {var}, Item: item }}"),
        Call::GetItem => format!("{{ TableName: {var}, Key: {{ id: item.id }} }}"),
        Call::SendMessage => format!("{{ QueueUrl: {var}, MessageBody: JSON.stringify(item) }}"),
        Call::Publish => format!("{{ TopicArn: {var}, Message: JSON.stringify(item) }}"),
        Call::PutObject => format!(
            "{{ Bucket: {var}, Key: `items/${{item.id}}.json`, Body: JSON.stringify(item) }}"
        ),
        Call::GetObject => format!("{{ Bucket: {var}, Key: `items/${{item.id}}.json` }}"),
        Call::PutEvents => format!(
            "{{ Entries: [{{ EventBusName: {var}, Source: \"{source}\", DetailType: \"ItemProcessed\", Detail: JSON.stringify(item) }}] }}"
        ),
        Call::StartExecution => {
            format!("{{ stateMachineArn: {var}, input: JSON.stringify(item) }}")
        }
        Call::Invoke => format!(
            "{{ FunctionName: {var}, InvocationType: \"Event\", Payload: JSON.stringify(item) }}"
        ),
        Call::PutRecord => format!(
            "{{ StreamName: {var}, Data: Buffer.from(JSON.stringify(item)), PartitionKey: String(item.id) }}"
        ),
        Call::PutFirehoseRecord => format!(
            "{{ DeliveryStreamName: {var}, Record: {{ Data: Buffer.from(JSON.stringify(item) + \"\\n\") }} }}"
        ),
        Call::GetSecret => format!("{{ SecretId: {var} }}"),
        Call::GetParameter => format!("{{ Name: {var} }}"),
    };
    let send = format!("{client}.send(new {command}({args}))");
    match call {
        Call::GetItem | Call::GetObject | Call::GetSecret | Call::GetParameter => format!(
            "const result = await {send};\n  console.log(JSON.stringify({{ fetched: Boolean(result) }}));"
        ),
        _ => format!("await {send};"),
    }
}

fn node(plan: &Plan, entry: &str) -> String {
    let calls = plan.calls();
    let mut t = String::new();
    let _ = writeln!(t, "// {}", headline(plan));
    t.push_str("// A starting point written from the sketch: change it freely.\n");
    // Imports, one line per package, names sorted.
    let mut packages: std::collections::BTreeMap<&str, BTreeSet<&str>> = Default::default();
    let mut clients: std::collections::BTreeMap<&str, &str> = Default::default();
    for c in &calls {
        let (package, client, command, class) = node_parts(*c);
        packages.entry(package).or_default().insert(command);
        if class.is_empty() {
            packages
                .entry("@aws-sdk/client-dynamodb")
                .or_default()
                .insert("DynamoDBClient");
            packages
                .entry("@aws-sdk/lib-dynamodb")
                .or_default()
                .insert("DynamoDBDocumentClient");
            clients.insert(
                client,
                "DynamoDBDocumentClient.from(new DynamoDBClient({}))",
            );
        } else {
            packages.entry(package).or_default().insert(class);
            clients.insert(client, class);
        }
    }
    if !packages.is_empty() {
        t.push('\n');
    }
    for (package, names) in &packages {
        let names: Vec<&str> = names.iter().copied().collect();
        let _ = writeln!(t, "import {{ {} }} from \"{package}\";", names.join(", "));
    }
    if !plan.variables.is_empty() {
        t.push('\n');
    }
    for v in &plan.variables {
        let _ = writeln!(t, "const {0} = process.env.{0};", v.name);
    }
    if !clients.is_empty() {
        t.push('\n');
    }
    for (client, class) in &clients {
        if class.contains('(') {
            let _ = writeln!(t, "const {client} = {class};");
        } else {
            let _ = writeln!(t, "const {client} = new {class}({{}});");
        }
    }
    t.push('\n');
    t.push_str(&node_handler(plan, entry));
    t.push_str("\nasync function processItem(item) {\n");
    let source = format!("app.{}", plan.name.to_ascii_lowercase());
    let mut body = Vec::new();
    for v in &plan.variables {
        for c in &v.calls {
            body.push(node_call(*c, &v.name, &source));
        }
    }
    for (target, call) in &plan.unnamed {
        body.push(format!(
            "// {target}: {call:?} (no environment variable names it yet)"
        ));
    }
    if body.iter().all(|l| l.starts_with("//")) {
        body.push("console.log(JSON.stringify(item));".to_string());
    }
    for line in body {
        let _ = writeln!(t, "  {line}");
    }
    t.push_str("}\n");
    t.push_str(NODE_HELPERS);
    t
}

const NODE_HELPERS: &str = r#"
// A message as JSON when it is JSON, else as text.
function parse(text) {
  try {
    return JSON.parse(text);
  } catch {
    return { id: "message", message: text };
  }
}
"#;

fn node_batch(plan: &Plan, entry: &str, doc: &str, record_item: &str, id: &str) -> String {
    if plan.partial_failures {
        format!(
            r#"// {doc}; failed records are reported so that only they are retried.
export const {entry} = async (event) => {{
  const batchItemFailures = [];
  for (const record of event.Records) {{
    try {{
      await processItem({record_item});
    }} catch (error) {{
      console.error(JSON.stringify({{ message: "failed", id: {id}, error: String(error) }}));
      batchItemFailures.push({{ itemIdentifier: {id} }});
    }}
  }}
  return {{ batchItemFailures }};
}};
"#
        )
    } else {
        format!(
            r#"// {doc}; an error fails the batch, which is retried whole.
export const {entry} = async (event) => {{
  for (const record of event.Records) {{
    await processItem({record_item});
  }}
}};
"#
        )
    }
}

fn node_handler(plan: &Plan, entry: &str) -> String {
    match plan.trigger {
        Trigger::Direct => format!(
            r#"// Invoked with the item itself.
export const {entry} = async (event) => {{
  await processItem(event);
  return event;
}};
"#
        ),
        Trigger::HttpApi | Trigger::RestApi => format!(
            r#"// An API request with a JSON body (proxy integration).
export const {entry} = async (event) => {{
  let body = event.body ?? "{{}}";
  if (event.isBase64Encoded) {{
    body = Buffer.from(body, "base64").toString();
  }}
  let item;
  try {{
    item = JSON.parse(body);
  }} catch {{
    return response(400, {{ message: "the body is not JSON" }});
  }}
  if (item === null || typeof item !== "object" || !("id" in item)) {{
    return response(400, {{ message: "the body needs an id" }});
  }}
  await processItem(item);
  return response(200, item);
}};

function response(statusCode, body) {{
  return {{
    statusCode,
    headers: {{ "content-type": "application/json" }},
    body: JSON.stringify(body),
  }};
}}
"#
        ),
        Trigger::Sqs => node_batch(
            plan,
            entry,
            "A batch of SQS messages",
            "parse(record.body)",
            "record.messageId",
        ),
        Trigger::DynamoStream => node_batch(
            plan,
            entry,
            "A batch of DynamoDB stream records",
            "{ id: record.eventID, event: record.eventName, image: record.dynamodb.NewImage ?? {} }",
            "record.dynamodb.SequenceNumber",
        ),
        Trigger::Kinesis => node_batch(
            plan,
            entry,
            "A batch of Kinesis records",
            "parse(Buffer.from(record.kinesis.data, \"base64\").toString())",
            "record.kinesis.sequenceNumber",
        ),
        Trigger::S3 => format!(
            r#"// Objects created in a bucket, one record each.
export const {entry} = async (event) => {{
  for (const record of event.Records) {{
    const bucket = record.s3.bucket.name;
    const key = decodeURIComponent(record.s3.object.key.replace(/\+/g, " "));
    await processItem({{ id: key, bucket, key }});
  }}
}};
"#
        ),
        Trigger::Sns => format!(
            r#"// SNS notifications, one record each.
export const {entry} = async (event) => {{
  for (const record of event.Records) {{
    await processItem(parse(record.Sns.Message));
  }}
}};
"#
        ),
        Trigger::EventBridge => format!(
            r#"// An EventBridge event; what matters is in its detail.
export const {entry} = async (event) => {{
  await processItem({{ id: event.id, ...(event.detail ?? {{}}) }});
}};
"#
        ),
        Trigger::Schedule => format!(
            r#"// A scheduled run.
export const {entry} = async (event) => {{
  await processItem({{ id: event.id ?? "scheduled", time: event.time }});
}};
"#
        ),
    }
}

fn package_json(plan: &Plan, module: &str) -> String {
    let name: String = plan
        .name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect();
    let name = if name.is_empty() {
        "function".to_string()
    } else {
        name
    };
    // The AWS SDK v3 is part of the Lambda Node.js runtime: no dependencies.
    format!(
        "{{\n  \"name\": \"{name}\",\n  \"version\": \"1.0.0\",\n  \"private\": true,\n  \"type\": \"module\",\n  \"main\": \"{module}.mjs\"\n}}\n"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sketch(yaml: &str) -> Sketch {
        crate::formats::read("template.yaml", yaml).expect("the test template reads")
    }

    const PIPELINE: &str = r#"
Transform: AWS::Serverless-2016-10-31
Resources:
  Jobs:
    Type: AWS::SQS::Queue
  Results:
    Type: AWS::Serverless::SimpleTable
  Alerts:
    Type: AWS::SNS::Topic
  Worker:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: src/worker/
      Handler: main.run
      Runtime: python3.12
      Policies:
        - DynamoDBWritePolicy:
            TableName: !Ref Results
        - SNSPublishMessagePolicy:
            TopicName: !GetAtt Alerts.TopicName
      Environment:
        Variables:
          RESULTS_TABLE: !Ref Results
          ALERTS_TOPIC_ARN: !Ref Alerts
      Events:
        Batch:
          Type: SQS
          Properties:
            Queue: !GetAtt Jobs.Arn
            FunctionResponseTypes: [ReportBatchItemFailures]
  Escape:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: ../../outside/
      Handler: app.handler
      Runtime: python3.12
  Jvm:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: src/jvm/
      Handler: example.Handler::handleRequest
      Runtime: java21
"#;

    #[test]
    fn a_queue_worker_reports_failed_messages_and_makes_its_calls() {
        let files = starter_files(&sketch(PIPELINE), Runtime::Node);
        let paths: Vec<&str> = files.iter().map(|f| f.path.as_str()).collect();
        // Escape names a folder outside the project and Jvm a language
        // starters are not written in: neither gets one.
        assert_eq!(
            paths,
            [
                "src/worker/main.py",
                "src/worker/requirements.txt",
                "events/worker.json"
            ]
        );
        let py = &files[0].text;
        assert!(py.contains("def run(event, context):"), "{py}");
        assert!(py.contains("RESULTS_TABLE = os.environ[\"RESULTS_TABLE\"]"));
        assert!(py.contains("dynamodb.Table(RESULTS_TABLE).put_item(Item=item)"));
        assert!(py.contains("sns.publish(TopicArn=ALERTS_TOPIC_ARN"));
        assert!(py.contains("batchItemFailures"));
        assert_eq!(files[0].guards, ["src/worker"]);
        let event: Value = serde_json::from_str(&files[2].text).unwrap();
        assert_eq!(event["Records"][0]["eventSource"], "aws:sqs");
    }

    #[test]
    fn without_partial_batch_responses_an_error_fails_the_batch() {
        let text = PIPELINE.replace(
            "            FunctionResponseTypes: [ReportBatchItemFailures]\n",
            "",
        );
        let files = starter_files(&sketch(&text), Runtime::Python);
        assert!(!files[0].text.contains("batchItemFailures"));
        assert!(files[0].text.contains("retried whole"));
    }

    #[test]
    fn each_trigger_parses_its_own_event() {
        let cases = [
            (
                "Api",
                "AWS::Serverless::HttpApi",
                "Type: HttpApi\n          Properties: {ApiId: !Ref Api}",
                "statusCode",
                "2.0",
            ),
            (
                "Box",
                "AWS::S3::Bucket",
                "Type: S3\n          Properties: {Bucket: !Ref Box, Events: s3:ObjectCreated:*}",
                "unquote_plus",
                "aws:s3",
            ),
            (
                "Feed",
                "AWS::SNS::Topic",
                "Type: SNS\n          Properties: {Topic: !Ref Feed}",
                "[\"Sns\"][\"Message\"]",
                "aws:sns",
            ),
            (
                "Tick",
                "",
                "Type: Schedule\n          Properties: {Schedule: rate(1 hour)}",
                "\"time\"",
                "Scheduled Event",
            ),
        ];
        for (source, ty, event, marker, sample) in cases {
            let resource = if ty.is_empty() {
                String::new()
            } else {
                format!("  {source}:\n    Type: {ty}\n")
            };
            let yaml = format!(
                "Transform: AWS::Serverless-2016-10-31\nResources:\n{resource}  Fn:\n    Type: AWS::Serverless::Function\n    Properties:\n      CodeUri: src/fn/\n      Handler: app.handler\n      Runtime: python3.12\n      Events:\n        E:\n          {event}\n"
            );
            let files = starter_files(&sketch(&yaml), Runtime::Python);
            assert!(
                files[0].text.contains(marker),
                "{source}: {}",
                files[0].text
            );
            assert!(
                files[2].text.contains(sample),
                "{source}: {}",
                files[2].text
            );
        }
    }

    #[test]
    fn runtimes_are_read_from_words_and_lambda_ids() {
        assert_eq!(Runtime::parse("python3.13"), Some(Runtime::Python));
        assert_eq!(Runtime::parse("Node"), Some(Runtime::Node));
        assert_eq!(Runtime::parse("nodejs22.x"), Some(Runtime::Node));
        assert_eq!(Runtime::parse("java21"), None);
    }

    #[test]
    fn folders_outside_the_project_are_refused() {
        for bad in ["../x", "/etc", "a/../../b", "s3://bucket/key", "", "a\\b"] {
            assert_eq!(local_folder(bad), None, "{bad}");
        }
        assert_eq!(local_folder("./src/a/").as_deref(), Some("src/a"));
        assert_eq!(local_folder(".").as_deref(), Some(""));
    }
}
