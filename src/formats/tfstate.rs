//! A Terraform state file (`terraform.tfstate`, format version 4) read as a
//! sketch of what is deployed: one service per resource address, its
//! attributes as properties, no connections (state does not say how data
//! flows). `diff` compares it with the code to report drift.

use serde_json::Value;

use super::FormatError;
use crate::catalog::Kind;
use crate::model::{Service, Sketch};

/// Where the state's own header is kept in the sketch's sections, which
/// also marks the sketch as read from a state file.
pub const HEADER: &str = "tfstate";

/// Whether a file is a state file: by its name, or a JSON object with the
/// keys only state has.
pub fn looks_like_state(name: &str, text: &str) -> bool {
    name.ends_with(".tfstate")
        || name.ends_with(".tfstate.backup")
        || (text.trim_start().starts_with('{')
            && text.contains("\"terraform_version\"")
            && text.contains("\"lineage\""))
}

/// Whether a sketch was read from a state file.
pub fn is_state(sketch: &Sketch) -> bool {
    sketch.sections.contains_key(HEADER)
}

pub fn read(name: &str, text: &str) -> Result<Sketch, FormatError> {
    let doc: Value = serde_json::from_str(text).map_err(|e| {
        FormatError::new(name, e.line(), e.column(), format!("not valid JSON: {e}"))
    })?;
    match doc.get("version").and_then(Value::as_u64) {
        Some(4) => {}
        Some(v) => {
            return Err(FormatError::new(
                name,
                1,
                1,
                format!("state format version {v} is not read"),
            )
            .hint("state files of Terraform 0.12 and later are version 4"));
        }
        None => {
            return Err(FormatError::new(
                name,
                1,
                1,
                "this is no Terraform state: it has no `version`",
            ));
        }
    }
    let Some(resources) = doc.get("resources").and_then(Value::as_array) else {
        return Err(FormatError::new(
            name,
            1,
            1,
            "the state has no `resources` list",
        ));
    };
    let mut sketch = Sketch::new();
    sketch.name = Some(name.rsplit('/').next().unwrap_or(name).to_string());
    let header: serde_json::Map<String, Value> =
        ["version", "terraform_version", "serial", "lineage"]
            .iter()
            .filter_map(|k| doc.get(*k).map(|v| (k.to_string(), v.clone())))
            .collect();
    sketch.sections.insert(HEADER.into(), Value::Object(header));
    for (i, r) in resources.iter().enumerate() {
        let service = resource(r).ok_or_else(|| {
            FormatError::new(
                name,
                1,
                1,
                format!("resource {} of the state has no type or name", i + 1),
            )
        })?;
        // Two entries for one address (a module called twice) keep the first.
        if !sketch.contains(&service.id) {
            sketch
                .add_service(service)
                .map_err(|e| FormatError::new(name, 1, 1, e.to_string()))?;
        }
    }
    Ok(sketch)
}

/// One resource entry: its address as the code names it (instances of
/// `count` and `for_each` are one service, as in the code), the first
/// instance's attributes.
fn resource(r: &Value) -> Option<Service> {
    let ty = r.get("type")?.as_str()?;
    let name = r.get("name")?.as_str()?;
    let data = r.get("mode").and_then(Value::as_str) == Some("data");
    let mut id = String::new();
    if let Some(m) = r.get("module").and_then(Value::as_str) {
        id.push_str(m);
        id.push('.');
    }
    if data {
        id.push_str("data.");
    }
    id.push_str(&format!("{ty}.{name}"));
    let mut s = Service::new(id, Kind::from_tf_type(ty), ty);
    let instances = r.get("instances").and_then(Value::as_array);
    if let Some(attrs) = instances
        .and_then(|i| i.first())
        .and_then(|i| i.get("attributes"))
        .and_then(Value::as_object)
    {
        s.properties = attrs.clone();
    }
    if let Some(n) = instances.map(Vec::len).filter(|&n| n > 1) {
        s.multiplicity = Some(n.to_string());
    }
    Some(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    const STATE: &str = r#"{
      "version": 4, "terraform_version": "1.9.0", "serial": 3, "lineage": "x",
      "resources": [
        {"mode": "managed", "type": "aws_sqs_queue", "name": "q",
         "instances": [{"index_key": 0, "attributes": {"name": "q-0"}},
                       {"index_key": 1, "attributes": {"name": "q-1"}}]},
        {"module": "module.app", "mode": "managed", "type": "aws_lambda_function", "name": "f",
         "instances": [{"attributes": {"memory_size": 512}}]},
        {"mode": "data", "type": "aws_region", "name": "here", "instances": []}
      ]
    }"#;

    #[test]
    fn resources_become_services_by_address() {
        assert!(looks_like_state("x.json", STATE));
        let s = read("terraform.tfstate", STATE).unwrap();
        assert!(is_state(&s));
        let ids: Vec<&str> = s.ids().collect();
        assert_eq!(
            ids,
            [
                "aws_sqs_queue.q",
                "module.app.aws_lambda_function.f",
                "data.aws_region.here"
            ]
        );
        let q = s.service("aws_sqs_queue.q").unwrap();
        assert_eq!(q.kind.word(), "queue");
        assert_eq!(q.multiplicity.as_deref(), Some("2"));
        assert_eq!(q.properties["name"], "q-0");
    }

    #[test]
    fn other_versions_and_broken_files_are_refused_with_a_place() {
        let e = read("t.tfstate", r#"{"version": 3, "resources": []}"#).unwrap_err();
        assert!(
            e.to_string()
                .starts_with("t.tfstate:1:1: state format version 3"),
            "{e}"
        );
        let e = read("t.tfstate", "{\n  \"version\": 4,\n  oops").unwrap_err();
        assert_eq!((e.line, e.file.as_str()), (3, "t.tfstate"));
    }
}
