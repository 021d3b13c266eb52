//! JavaScript and TypeScript handlers: AWS SDK v3 commands
//! (`client.send(new PutItemCommand({...}))`, lib-dynamodb's `PutCommand`),
//! v3 and v2 clients called by method (`new AWS.DynamoDB.DocumentClient().put({...})`),
//! each with what names its resource.

use std::collections::HashMap;

use tree_sitter::{Language, Node, Parser};

use super::syntax::{FileCalls, MAX_DEPTH, NameRef, RawCall, nodes, pascal, string_value, text};
use crate::formats::recipes::{SdkService, sdk_by_boto3, sdk_by_js_class, sdk_by_js_module};

/// The dialects read here.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Dialect {
    JavaScript,
    TypeScript,
    Tsx,
}

impl Dialect {
    fn language(self) -> Language {
        match self {
            Dialect::JavaScript => tree_sitter_javascript::LANGUAGE.into(),
            Dialect::TypeScript => tree_sitter_typescript::LANGUAGE_TYPESCRIPT.into(),
            Dialect::Tsx => tree_sitter_typescript::LANGUAGE_TSX.into(),
        }
    }
}

struct Reader<'t> {
    src: &'t str,
    /// The last value assigned to each name (`client`, `this.table`).
    assigned: HashMap<&'t str, Node<'t>>,
    /// Names taken apart from `process.env` (`const { TABLE } = process.env`).
    env_names: HashMap<&'t str, String>,
    /// Imported names and the module each comes from.
    imported: HashMap<&'t str, String>,
}

/// The SDK calls in a JavaScript or TypeScript file.
pub fn read(src: &str, dialect: Dialect) -> FileCalls {
    let mut parser = Parser::new();
    let tree = match parser.set_language(&dialect.language()) {
        Ok(()) => parser.parse(src, None),
        Err(_) => None,
    };
    let Some(tree) = tree else {
        return FileCalls {
            errors: true,
            ..FileCalls::default()
        };
    };
    let all = nodes(tree.root_node());
    let mut r = Reader {
        src,
        assigned: HashMap::new(),
        env_names: HashMap::new(),
        imported: HashMap::new(),
    };
    let mut out = FileCalls {
        errors: tree.root_node().has_error(),
        ..FileCalls::default()
    };
    for n in &all {
        r.learn(*n, &mut out.imports);
    }
    for n in &all {
        let call = match n.kind() {
            "new_expression" => r.command(*n),
            "call_expression" => r.method_call(*n),
            _ => None,
        };
        out.calls.extend(call);
    }
    out
}

impl<'t> Reader<'t> {
    /// Assignments, imports and names taken from `process.env`.
    fn learn(&mut self, n: Node<'t>, local: &mut Vec<String>) {
        let src = self.src;
        match n.kind() {
            "variable_declarator" | "assignment_expression" => {
                let (l, r) = match n.kind() {
                    "variable_declarator" => ("name", "value"),
                    _ => ("left", "right"),
                };
                let (Some(l), Some(r)) = (n.child_by_field_name(l), n.child_by_field_name(r))
                else {
                    return;
                };
                let r = unwrap(r);
                if l.kind() == "object_pattern" {
                    self.pattern(l, r);
                } else {
                    self.assigned.insert(text(l, src), r);
                }
                if let Some(m) = required(r, src) {
                    if m.starts_with('.') {
                        local.push(m.clone());
                    }
                    self.import_names(l, &m);
                }
            }
            "import_statement" => {
                let Some(m) = n
                    .child_by_field_name("source")
                    .and_then(|s| string_value(s, src))
                else {
                    return;
                };
                if m.starts_with('.') {
                    local.push(m.clone());
                }
                for c in nodes(n) {
                    let name = match c.kind() {
                        "import_specifier" => c
                            .child_by_field_name("alias")
                            .or(c.child_by_field_name("name")),
                        "namespace_import" => c.named_child(0),
                        "import_clause" => c.named_child(0).filter(|x| x.kind() == "identifier"),
                        _ => None,
                    };
                    if let Some(name) = name {
                        self.imported.insert(text(name, src), m.clone());
                    }
                }
            }
            "call_expression" => {
                // `import("./x")` and a bare `require("./x")`.
                if let Some(m) = required(n, src).filter(|m| m.starts_with('.')) {
                    local.push(m);
                }
            }
            _ => {}
        }
    }

    /// `const { TABLE, QUEUE: q } = process.env`, and destructured requires.
    fn pattern(&mut self, pattern: Node<'t>, value: Node<'t>) {
        let src = self.src;
        let from_env = text(value, src) == "process.env";
        for c in nodes(pattern) {
            let (key, local) = match c.kind() {
                "shorthand_property_identifier_pattern" => (text(c, src), c),
                "pair_pattern" => {
                    match (c.child_by_field_name("key"), c.child_by_field_name("value")) {
                        (Some(k), Some(v)) if v.kind() == "identifier" => (text(k, src), v),
                        _ => continue,
                    }
                }
                _ => continue,
            };
            if from_env {
                self.env_names.insert(text(local, src), key.to_string());
            }
        }
    }

    /// Every name a destructured `require("m")` binds comes from `m`.
    fn import_names(&mut self, pattern: Node<'t>, module: &str) {
        for c in nodes(pattern) {
            let name = match c.kind() {
                "identifier" | "shorthand_property_identifier_pattern" => c,
                _ => continue,
            };
            self.imported
                .insert(text(name, self.src), module.to_string());
        }
    }

    /// `new PutItemCommand({...})`: the call a v3 client sends.
    fn command(&self, n: Node<'t>) -> Option<RawCall> {
        let ctor = n.child_by_field_name("constructor")?;
        let name = text(ctor, self.src);
        let name = name.rsplit('.').next().unwrap_or(name);
        let op = name.strip_suffix("Command")?;
        let service = self.service_of_name(text(ctor, self.src))?;
        let args = n
            .child_by_field_name("arguments")
            .and_then(|a| a.named_child(0));
        Some(self.raw(service, op.to_string(), args, n))
    }

    /// `client.putItem({...})`, `docClient.put({...}).promise()`.
    fn method_call(&self, n: Node<'t>) -> Option<RawCall> {
        let func = n.child_by_field_name("function")?;
        if func.kind() != "member_expression" {
            return None;
        }
        let object = func.child_by_field_name("object")?;
        let method = text(func.child_by_field_name("property")?, self.src);
        let service = self.client(object, 0)?;
        crate::formats::recipes::sdk_action(service, &pascal(method))?;
        let args = n
            .child_by_field_name("arguments")
            .and_then(|a| a.named_child(0));
        Some(self.raw(service, pascal(method), args, n))
    }

    fn raw(
        &self,
        service: &'static SdkService,
        operation: String,
        args: Option<Node<'t>>,
        at: Node<'t>,
    ) -> RawCall {
        let name = match args.and_then(|a| self.find_named(a, service.names, 0)) {
            Some(v) => self.value(v, 0),
            // An object written out that names nothing calls no one resource.
            None if args.is_none_or(|a| unwrap(a).kind() == "object" && !has_spread(a)) => {
                NameRef::Default
            }
            None => NameRef::Unknown(format!("no {} given", service.names.join(" or "))),
        };
        RawCall {
            service,
            operation,
            name,
            line: at.start_position().row + 1,
        }
    }

    /// The SDK client a class or command name belongs to, by the module it
    /// was imported from (`AWS.DynamoDB` names its own).
    fn service_of_name(&self, name: &str) -> Option<&'static SdkService> {
        let head = name.split('.').next().unwrap_or(name);
        let module = self.imported.get(head)?;
        if let Some(s) = sdk_by_js_module(module) {
            return Some(s);
        }
        if module == "aws-sdk" {
            let class = name.split('.').nth(1)?;
            return sdk_by_js_class(class);
        }
        None
    }

    /// The SDK client an expression is (`new DynamoDBClient({})`,
    /// `new AWS.SQS()`, `DynamoDBDocumentClient.from(c)`, a name assigned one).
    fn client(&self, n: Node<'t>, depth: usize) -> Option<&'static SdkService> {
        if depth > MAX_DEPTH {
            return None;
        }
        let n = unwrap(n);
        match n.kind() {
            "identifier" | "member_expression" => {
                let v = self.assigned.get(text(n, self.src))?;
                self.client(*v, depth + 1)
            }
            "new_expression" => {
                let ctor = text(n.child_by_field_name("constructor")?, self.src);
                if ctor.ends_with("Command") {
                    return None;
                }
                if ctor.ends_with(".DocumentClient") || ctor == "DocumentClient" {
                    return sdk_by_boto3("dynamodb");
                }
                let class = ctor.rsplit('.').next().unwrap_or(ctor);
                let head = ctor.split('.').next().unwrap_or(ctor);
                let from_sdk = self
                    .imported
                    .get(head)
                    .is_none_or(|m| m.starts_with("aws-sdk") || m.starts_with("@aws-sdk/"));
                from_sdk.then(|| sdk_by_js_class(class)).flatten()
            }
            "call_expression" => {
                let func = text(n.child_by_field_name("function")?, self.src);
                let owner = func.strip_suffix(".from")?;
                self.service_of_name(owner)
                    .or_else(|| sdk_by_js_class(owner))
            }
            _ => None,
        }
    }

    /// The value of a property named one of `names` in an object literal
    /// (nested ones too: the entries of `PutEvents`), or in an object it
    /// spreads or a name it is assigned to.
    fn find_named(&self, n: Node<'t>, names: &[&str], depth: usize) -> Option<Node<'t>> {
        if depth > MAX_DEPTH {
            return None;
        }
        let n = unwrap(n);
        if n.kind() == "identifier" {
            let v = self.assigned.get(text(n, self.src))?;
            return self.find_named(*v, names, depth + 1);
        }
        let is_name = |k: &str| names.iter().any(|x| x.eq_ignore_ascii_case(k));
        for c in nodes(n) {
            match c.kind() {
                "pair" => {
                    let Some(k) = c.child_by_field_name("key") else {
                        continue;
                    };
                    let key =
                        string_value(k, self.src).unwrap_or_else(|| text(k, self.src).to_string());
                    if is_name(&key) {
                        return c.child_by_field_name("value");
                    }
                }
                "shorthand_property_identifier" if is_name(text(c, self.src)) => return Some(c),
                "spread_element" => {
                    let inner = c.named_child(0)?;
                    if let Some(v) = self.find_named(inner, names, depth + 1) {
                        return Some(v);
                    }
                }
                _ => {}
            }
        }
        None
    }

    /// What an expression naming a resource is: a literal, an environment
    /// variable, or a name assigned from one of them.
    fn value(&self, n: Node<'t>, depth: usize) -> NameRef {
        let src = self.src;
        let n = unwrap(n);
        if depth > MAX_DEPTH {
            return NameRef::Unknown(text(n, src).to_string());
        }
        if let Some(s) = string_value(n, src) {
            return NameRef::Literal(s);
        }
        match n.kind() {
            "member_expression" | "subscript_expression" => {
                if let Some(var) = env_member(n, src) {
                    return NameRef::Env(var);
                }
                if let Some(v) = self.assigned.get(text(n, src)) {
                    return self.value(*v, depth + 1);
                }
            }
            "identifier" | "shorthand_property_identifier" => {
                let name = text(n, src);
                if let Some(var) = self.env_names.get(name) {
                    return NameRef::Env(var.clone());
                }
                if let Some(v) = self.assigned.get(name) {
                    return self.value(*v, depth + 1);
                }
            }
            "binary_expression" => {
                if let Some(left) = n.child_by_field_name("left") {
                    return self.value(left, depth + 1);
                }
            }
            _ => {}
        }
        NameRef::Unknown(text(n, src).to_string())
    }
}

/// Without `await`, parentheses, `as T` and `!`.
fn unwrap(mut n: Node<'_>) -> Node<'_> {
    while matches!(
        n.kind(),
        "await_expression"
            | "parenthesized_expression"
            | "as_expression"
            | "non_null_expression"
            | "satisfies_expression"
    ) {
        match n.named_child(0) {
            Some(c) => n = c,
            None => break,
        }
    }
    n
}

fn has_spread(n: Node<'_>) -> bool {
    nodes(n).iter().any(|c| c.kind() == "spread_element")
}

/// `process.env.X` or `process.env["X"]`: `X`.
fn env_member(n: Node<'_>, src: &str) -> Option<String> {
    let object = n.child_by_field_name("object")?;
    if text(object, src) != "process.env" {
        return None;
    }
    match n.kind() {
        "member_expression" => Some(text(n.child_by_field_name("property")?, src).to_string()),
        _ => string_value(n.child_by_field_name("index")?, src),
    }
}

/// The module of `require("m")` or `import("m")`.
fn required(n: Node<'_>, src: &str) -> Option<String> {
    if n.kind() != "call_expression" {
        return None;
    }
    let func = text(n.child_by_field_name("function")?, src);
    if func != "require" && func != "import" {
        return None;
    }
    let arg = n.child_by_field_name("arguments")?.named_child(0)?;
    string_value(arg, src)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn calls(src: &str, d: Dialect) -> Vec<(String, String, NameRef, usize)> {
        read(src, d)
            .calls
            .into_iter()
            .map(|c| (c.service.boto3.to_string(), c.operation, c.name, c.line))
            .collect()
    }

    #[test]
    fn v3_commands_and_v2_clients() {
        let src = r#"import { DynamoDBClient, PutItemCommand } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient, GetCommand } from "@aws-sdk/lib-dynamodb";
const AWS = require("aws-sdk");
const { QUEUE_URL } = process.env;
const TABLE = process.env.TABLE_NAME;
const client = new DynamoDBClient({});
const doc = DynamoDBDocumentClient.from(client);
const sqs = new AWS.SQS();
const v2doc = new AWS.DynamoDB.DocumentClient();
export const handler = async () => {
  await client.send(new PutItemCommand({ TableName: TABLE, Item: {} }));
  await doc.send(new GetCommand({ TableName: process.env["OTHER"], Key: {} }));
  await sqs.sendMessage({ QueueUrl: QUEUE_URL, MessageBody: "x" }).promise();
  await v2doc.put({ TableName: "literal-table", Item: {} }).promise();
};
"#;
        assert_eq!(
            calls(src, Dialect::JavaScript),
            vec![
                (
                    "dynamodb".into(),
                    "PutItem".into(),
                    NameRef::Env("TABLE_NAME".into()),
                    11
                ),
                (
                    "dynamodb".into(),
                    "Get".into(),
                    NameRef::Env("OTHER".into()),
                    12
                ),
                (
                    "sqs".into(),
                    "SendMessage".into(),
                    NameRef::Env("QUEUE_URL".into()),
                    13
                ),
                (
                    "dynamodb".into(),
                    "Put".into(),
                    NameRef::Literal("literal-table".into()),
                    14
                ),
            ]
        );
        assert_eq!(calls(src, Dialect::TypeScript).len(), 4);
    }
}
