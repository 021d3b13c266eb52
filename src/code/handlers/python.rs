//! Python handlers: boto3 clients and resources (`boto3.client("sqs")`,
//! `boto3.resource("dynamodb").Table(name)`, `Queue(url)`, `Bucket(name)`)
//! and the calls made on them, each with what names its resource.

use std::collections::HashMap;

use tree_sitter::{Node, Parser};

use super::syntax::{FileCalls, MAX_DEPTH, NameRef, RawCall, nodes, pascal, string_value, text};
use crate::formats::recipes::{SdkService, sdk_by_boto3};

/// What an expression is, as far as the SDK goes.
#[derive(Clone)]
enum Binding<'t> {
    Client(&'static SdkService),
    Resource(&'static SdkService),
    /// A resource object: a `Table`, `Queue`, `Bucket` or `Object`, and the
    /// expression that names it.
    Bound(&'static SdkService, Node<'t>),
}

struct Reader<'t> {
    src: &'t str,
    /// The last value assigned to each name (`TABLE`, `self.table`).
    assigned: HashMap<&'t str, Node<'t>>,
}

/// The SDK calls in a Python file.
pub fn read(src: &str) -> FileCalls {
    let mut parser = Parser::new();
    if parser
        .set_language(&tree_sitter_python::LANGUAGE.into())
        .is_err()
    {
        return FileCalls {
            errors: true,
            ..FileCalls::default()
        };
    }
    let Some(tree) = parser.parse(src, None) else {
        return FileCalls {
            errors: true,
            ..FileCalls::default()
        };
    };
    let all = nodes(tree.root_node());
    let mut reader = Reader {
        src,
        assigned: HashMap::new(),
    };
    let mut out = FileCalls {
        errors: tree.root_node().has_error(),
        ..FileCalls::default()
    };
    for n in &all {
        match n.kind() {
            "assignment" => {
                if let (Some(l), Some(r)) = (
                    n.child_by_field_name("left"),
                    n.child_by_field_name("right"),
                ) {
                    reader.assigned.insert(text(l, src), r);
                }
            }
            "import_statement" | "import_from_statement" => out.imports.extend(imports(*n, src)),
            _ => {}
        }
    }
    for n in all.iter().filter(|n| n.kind() == "call") {
        if let Some(call) = reader.call(*n) {
            out.calls.push(call);
        }
    }
    out
}

/// The modules an import statement names (`a.b`, `.util`).
fn imports(n: Node<'_>, src: &str) -> Vec<String> {
    if n.kind() == "import_from_statement" {
        let module = n
            .child_by_field_name("module_name")
            .map(|m| text(m, src).to_string());
        let mut out: Vec<String> = module.clone().into_iter().collect();
        // `from . import util` and `from pkg import mod` name modules too.
        if let Some(m) = module {
            let mut cursor = n.walk();
            for name in n.children_by_field_name("name", &mut cursor) {
                let name = name.child_by_field_name("name").unwrap_or(name);
                let sep = if m.ends_with('.') { "" } else { "." };
                // `?`: a name that may be a module or just a name in one.
                out.push(format!("?{m}{sep}{}", text(name, src)));
            }
        }
        return out;
    }
    let mut cursor = n.walk();
    n.children_by_field_name("name", &mut cursor)
        .map(|name| {
            let name = name.child_by_field_name("name").unwrap_or(name);
            text(name, src).to_string()
        })
        .collect()
}

impl<'t> Reader<'t> {
    /// A call on an SDK client or resource object.
    fn call(&self, n: Node<'t>) -> Option<RawCall> {
        let func = n.child_by_field_name("function")?;
        if func.kind() != "attribute" {
            return None;
        }
        let object = func.child_by_field_name("object")?;
        let method = text(func.child_by_field_name("attribute")?, self.src);
        let args = n.child_by_field_name("arguments");
        let (service, name) = match self.binding(object, 0)? {
            Binding::Client(s) => (s, self.name_in(s, method, args)),
            Binding::Bound(s, named) => (s, self.value(named, 0)),
            Binding::Resource(_) => return None,
        };
        crate::formats::recipes::sdk_action(service, &pascal(method))?;
        Some(RawCall {
            service,
            operation: pascal(method),
            name,
            line: n.start_position().row + 1,
        })
    }

    /// What an expression is: a client, a resource, a resource object.
    fn binding(&self, n: Node<'t>, depth: usize) -> Option<Binding<'t>> {
        if depth > MAX_DEPTH {
            return None;
        }
        match n.kind() {
            "identifier" => {
                let value = self.assigned.get(text(n, self.src))?;
                self.binding(*value, depth + 1)
            }
            "attribute" => {
                if let Some(value) = self.assigned.get(text(n, self.src)) {
                    return self.binding(*value, depth + 1);
                }
                self.meta_client(n, depth)
            }
            "parenthesized_expression" => self.binding(n.named_child(0)?, depth + 1),
            "call" => self.made_by_call(n, depth),
            _ => None,
        }
    }

    /// `x.meta.client`: the client behind a resource.
    fn meta_client(&self, n: Node<'t>, depth: usize) -> Option<Binding<'t>> {
        let attr = text(n.child_by_field_name("attribute")?, self.src);
        let meta = n.child_by_field_name("object")?;
        if attr != "client" || meta.kind() != "attribute" {
            return None;
        }
        if text(meta.child_by_field_name("attribute")?, self.src) != "meta" {
            return None;
        }
        match self.binding(meta.child_by_field_name("object")?, depth + 1)? {
            Binding::Resource(s) => Some(Binding::Client(s)),
            _ => None,
        }
    }

    /// `boto3.client("s3")`, `session.resource("dynamodb")`, `res.Table(x)`.
    fn made_by_call(&self, n: Node<'t>, depth: usize) -> Option<Binding<'t>> {
        let func = n.child_by_field_name("function")?;
        let args = n.child_by_field_name("arguments")?;
        let method = match func.kind() {
            "attribute" => text(func.child_by_field_name("attribute")?, self.src),
            "identifier" => text(func, self.src),
            _ => return None,
        };
        match method {
            "client" | "resource" => {
                let first = args.named_child(0)?;
                let first = if first.kind() == "keyword_argument" {
                    first.child_by_field_name("value")?
                } else {
                    first
                };
                let s = sdk_by_boto3(&string_value(first, self.src)?)?;
                Some(if method == "client" {
                    Binding::Client(s)
                } else {
                    Binding::Resource(s)
                })
            }
            "Table" | "Queue" | "Bucket" | "Object" | "Topic" | "get_queue_by_name" => {
                let object = func.child_by_field_name("object")?;
                let Binding::Resource(s) = self.binding(object, depth + 1)? else {
                    return None;
                };
                let named = args.named_child(0)?;
                let named = if named.kind() == "keyword_argument" {
                    named.child_by_field_name("value")?
                } else {
                    named
                };
                Some(Binding::Bound(s, named))
            }
            _ => None,
        }
    }

    /// What names the resource in a client call's arguments.
    fn name_in(&self, s: &'static SdkService, method: &str, args: Option<Node<'t>>) -> NameRef {
        let Some(args) = args else {
            return NameRef::Unknown(String::new());
        };
        if let Some(v) = self.find_named(args, s.names, 0) {
            return self.value(v, 0);
        }
        // `upload_file(Filename, Bucket, Key)` names the bucket second.
        if s.boto3 == "s3" && (method.ends_with("_file") || method.ends_with("_fileobj")) {
            if let Some(v) = args
                .named_child(1)
                .filter(|v| v.kind() != "keyword_argument")
            {
                return self.value(v, 0);
            }
        }
        // Arguments spread from something not followed may name it.
        if nodes(args).iter().any(|n| n.kind() == "dictionary_splat") {
            return NameRef::Unknown(format!("no {} given", s.names.join(" or ")));
        }
        NameRef::Default
    }

    /// The value of a keyword argument or dictionary key named one of
    /// `names`, anywhere in `n` (entries of a list of events too) or in a
    /// dictionary it spreads (`**params`).
    fn find_named(&self, n: Node<'t>, names: &[&str], depth: usize) -> Option<Node<'t>> {
        if depth > MAX_DEPTH {
            return None;
        }
        for c in nodes(n) {
            let key = match c.kind() {
                "keyword_argument" => c
                    .child_by_field_name("name")
                    .map(|k| text(k, self.src).to_string()),
                "pair" => c
                    .child_by_field_name("key")
                    .and_then(|k| string_value(k, self.src)),
                "dictionary_splat" | "list_splat" => {
                    let inner = c.named_child(0)?;
                    if let Some(v) = self.assigned.get(text(inner, self.src)) {
                        if let Some(found) = self.find_named(*v, names, depth + 1) {
                            return Some(found);
                        }
                    }
                    None
                }
                _ => None,
            };
            if key.is_some_and(|k| names.iter().any(|n| n.eq_ignore_ascii_case(&k))) {
                return c.child_by_field_name("value");
            }
        }
        None
    }

    /// What an expression naming a resource is: a literal, an environment
    /// variable, or a name assigned from one of them.
    fn value(&self, n: Node<'t>, depth: usize) -> NameRef {
        let src = self.src;
        if depth > MAX_DEPTH {
            return NameRef::Unknown(text(n, src).to_string());
        }
        if let Some(s) = string_value(n, src) {
            return NameRef::Literal(s);
        }
        match n.kind() {
            "subscript" => {
                let of = n.child_by_field_name("value").map(|v| text(v, src));
                let key = n
                    .child_by_field_name("subscript")
                    .and_then(|k| string_value(k, src));
                if let (Some(of), Some(key)) = (of, key) {
                    if of == "environ" || of.ends_with(".environ") {
                        return NameRef::Env(key);
                    }
                }
            }
            "call" => {
                let func = n
                    .child_by_field_name("function")
                    .map(|f| text(f, src))
                    .unwrap_or("");
                let first = n
                    .child_by_field_name("arguments")
                    .and_then(|a| a.named_child(0))
                    .and_then(|a| string_value(a, src));
                let reads_env =
                    func == "getenv" || func.ends_with(".getenv") || func.ends_with("environ.get");
                if let (true, Some(var)) = (reads_env, first) {
                    return NameRef::Env(var);
                }
            }
            "identifier" | "attribute" => {
                if let Some(v) = self.assigned.get(text(n, src)) {
                    return self.value(*v, depth + 1);
                }
            }
            "parenthesized_expression" => {
                if let Some(inner) = n.named_child(0) {
                    return self.value(inner, depth + 1);
                }
            }
            "boolean_operator" => {
                if let Some(left) = n.child_by_field_name("left") {
                    return self.value(left, depth + 1);
                }
            }
            _ => {}
        }
        NameRef::Unknown(text(n, src).to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn calls(src: &str) -> Vec<(String, String, NameRef, usize)> {
        read(src)
            .calls
            .into_iter()
            .map(|c| (c.service.boto3.to_string(), c.operation, c.name, c.line))
            .collect()
    }

    #[test]
    fn clients_tables_and_environment_variables() {
        let src = r#"import os
import boto3

TABLE = os.environ["TABLE_NAME"]
sqs = boto3.client("sqs")
table = boto3.resource("dynamodb").Table(TABLE)

def handler(event, context):
    table.put_item(Item={"id": "1"})
    sqs.send_message(QueueUrl=os.getenv("JOBS_URL"), MessageBody="x")
    boto3.client("sns").publish(TopicArn=os.environ.get("TOPIC"), Message="m")
    boto3.client("s3").upload_file("/tmp/f", "my-bucket", "k")
"#;
        assert_eq!(
            calls(src),
            vec![
                (
                    "dynamodb".into(),
                    "PutItem".into(),
                    NameRef::Env("TABLE_NAME".into()),
                    9
                ),
                (
                    "sqs".into(),
                    "SendMessage".into(),
                    NameRef::Env("JOBS_URL".into()),
                    10
                ),
                (
                    "sns".into(),
                    "Publish".into(),
                    NameRef::Env("TOPIC".into()),
                    11
                ),
                (
                    "s3".into(),
                    "UploadFile".into(),
                    NameRef::Literal("my-bucket".into()),
                    12
                ),
            ]
        );
    }

    #[test]
    fn local_imports_are_listed() {
        let r = read("from .util import x\nimport lib.store\nfrom shared import db\n");
        assert_eq!(
            r.imports,
            vec![".util", "?.util.x", "lib.store", "shared", "?shared.db"]
        );
    }
}
