//! What the Python and JavaScript readers share: the calls they report, how
//! a call names its resource, and walking a tree-sitter tree without
//! recursion (a hostile file may nest deeply).

use tree_sitter::Node;

use crate::formats::recipes::SdkService;

/// How a call names the resource it works on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum NameRef {
    /// An environment variable (`os.environ["TABLE_NAME"]`, `process.env.JOBS_URL`).
    Env(String),
    /// A name or ARN written in the code.
    Literal(String),
    /// No name at all: the SDK's default (the default event bus), or a
    /// call on no one resource (listing tables, account settings).
    Default,
    /// Something the reader cannot follow; the code's text of it.
    Unknown(String),
}

/// One SDK call found in a file.
#[derive(Clone, Debug)]
pub struct RawCall {
    pub service: &'static SdkService,
    /// The operation in PascalCase (`PutItem`, the DocumentClient's `Put`).
    pub operation: String,
    pub name: NameRef,
    /// 1-based.
    pub line: usize,
}

/// What reading one file gives.
#[derive(Debug, Default)]
pub struct FileCalls {
    pub calls: Vec<RawCall>,
    /// Local modules it imports, as written (`./db`, `lib.store`, `.util`);
    /// `?` before one that may not be a module (`from a import b`: `?a.b`).
    pub imports: Vec<String>,
    /// The parser met text it could not read.
    pub errors: bool,
}

/// Every node of a tree, in order, without recursion.
pub fn nodes(root: Node<'_>) -> Vec<Node<'_>> {
    let mut out = Vec::new();
    let mut cursor = root.walk();
    loop {
        out.push(cursor.node());
        if cursor.goto_first_child() {
            continue;
        }
        loop {
            if cursor.goto_next_sibling() {
                break;
            }
            if !cursor.goto_parent() {
                return out;
            }
        }
    }
}

/// A node's source text.
pub fn text<'a>(node: Node<'_>, src: &'a str) -> &'a str {
    node.utf8_text(src.as_bytes()).unwrap_or("")
}

/// The contents of a string literal without interpolation; `None` for
/// anything else.
pub fn string_value(node: Node<'_>, src: &str) -> Option<String> {
    match node.kind() {
        "string" | "template_string" => {
            let mut cursor = node.walk();
            let interpolated = node
                .named_children(&mut cursor)
                .any(|c| matches!(c.kind(), "interpolation" | "template_substitution"));
            if interpolated {
                return None;
            }
            let t = text(node, src);
            let t = t.trim_start_matches(|c: char| c.is_ascii_alphabetic());
            let quote = t.chars().next()?;
            let q = if t.starts_with("\"\"\"") || t.starts_with("'''") {
                3
            } else {
                1
            };
            let _ = quote;
            (t.len() >= 2 * q).then(|| t[q..t.len() - q].to_string())
        }
        _ => None,
    }
}

/// `put_item` or `putItem` as `PutItem`.
pub fn pascal(method: &str) -> String {
    let mut out = String::new();
    let mut up = true;
    for c in method.chars() {
        if c == '_' {
            up = true;
        } else if up {
            out.extend(c.to_uppercase());
            up = false;
        } else {
            out.push(c);
        }
    }
    out
}

/// Object and dictionary literals nest; names are looked for this deep.
pub const MAX_DEPTH: usize = 8;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_in_pascal_case() {
        assert_eq!(pascal("put_item"), "PutItem");
        assert_eq!(pascal("putItem"), "PutItem");
        assert_eq!(pascal("list_objects_v2"), "ListObjectsV2");
    }
}
