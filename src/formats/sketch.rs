//! The native sketch file (`NAME.sketch.yaml`): lossless, readable and
//! deterministic (the same sketch always gives the same bytes). It holds the
//! services, connections, positions, groups, notes and usage assumptions,
//! and the text of the template it came from, so writing back stays exact.
//!
//! Also the layout sidecar kept next to a template or Terraform folder:
//! positions, usage, notes and groups keyed by id, so the template itself
//! never carries layout.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::{FormatError, yaml};
use crate::catalog::Kind;
use crate::model::{
    Connection, ConnectionKind, Group, Map, Note, Origin, Position, Service, Sketch, Source, Value,
};

pub const VERSION: u32 = 1;

fn is_false(b: &bool) -> bool {
    !*b
}
fn is_one(f: &f64) -> bool {
    *f == 1.0
}
fn one() -> f64 {
    1.0
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    stacksketch: u32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    name: Option<String>,
    #[serde(default)]
    services: Vec<ServiceEntry>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    connections: Vec<ConnectionEntry>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    groups: Vec<Group>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    notes: Vec<Note>,
    #[serde(default, skip_serializing_if = "Map::is_empty")]
    sections: Map,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    source: Option<Source>,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct ServiceEntry {
    id: String,
    kind: Kind,
    #[serde(rename = "type")]
    type_name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    label: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    group: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    position: Option<Position>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    multiplicity: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    owner: Option<String>,
    #[serde(default, skip_serializing_if = "is_false")]
    implicit: bool,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    usage: BTreeMap<String, Value>,
    #[serde(default, skip_serializing_if = "Map::is_empty")]
    attributes: Map,
    #[serde(default, skip_serializing_if = "Map::is_empty")]
    properties: Map,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct ConnectionEntry {
    from: String,
    to: String,
    kind: ConnectionKind,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    label: Option<String>,
    #[serde(default = "one", skip_serializing_if = "is_one")]
    multiplier: f64,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    origins: Vec<Origin>,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    inferred: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    evidence: Option<String>,
}

/// Whether a YAML text is a sketch file rather than a template.
pub fn looks_like_sketch(text: &str) -> bool {
    text.lines()
        .map(str::trim_end)
        .find(|l| !l.is_empty() && !l.starts_with('#') && *l != "---")
        .is_some_and(|l| l.starts_with("stacksketch:"))
}

pub fn write(sketch: &Sketch) -> String {
    let file = File {
        stacksketch: VERSION,
        name: sketch.name.clone(),
        services: sketch
            .services()
            .map(|s| ServiceEntry {
                id: s.id.clone(),
                kind: s.kind,
                type_name: s.type_name.clone(),
                label: s.label.clone(),
                group: s.group.clone(),
                position: s.position,
                multiplicity: s.multiplicity.clone(),
                owner: s.owner.clone(),
                implicit: s.implicit,
                usage: s.usage.clone(),
                attributes: s.attributes.clone(),
                properties: s.properties.clone(),
            })
            .collect(),
        connections: sketch
            .connections()
            .map(|(a, b, c)| ConnectionEntry {
                from: a.to_string(),
                to: b.to_string(),
                kind: c.kind,
                label: c.label.clone(),
                multiplier: c.multiplier,
                origins: c.origins.clone(),
                inferred: c.inferred,
                evidence: c.evidence.clone(),
            })
            .collect(),
        groups: sketch.groups.values().cloned().collect(),
        notes: sketch.notes.clone(),
        sections: sketch.sections.clone(),
        source: sketch.source.clone(),
    };
    let mut out = String::from("# stacksketch sketch: services, connections and layout.\n");
    out.push_str(&yaml::serialize(&file).expect("a sketch serializes"));
    out
}

/// The line where `needle` first appears, for messages about a whole entry.
fn line_of(text: &str, needle: &str) -> usize {
    text.lines()
        .position(|l| l.contains(needle))
        .map(|i| i + 1)
        .unwrap_or(1)
}

pub fn read(name: &str, text: &str) -> Result<Sketch, FormatError> {
    let file: File = yaml::deserialize(text).map_err(|e| {
        FormatError::new(
            name,
            e.line,
            e.column,
            format!("not a valid sketch file: {}", e.message),
        )
        .hint("a sketch file starts with `stacksketch: 1` and lists `services:` and `connections:`")
    })?;
    if file.stacksketch > VERSION {
        return Err(FormatError::new(name, line_of(text, "stacksketch:"), 1, format!(
            "this sketch file has version {}, newer than this stacksketch understands ({VERSION})",
            file.stacksketch
        ))
        .hint("upgrade stacksketch"));
    }
    let mut sketch = Sketch::new();
    sketch.name = file.name;
    for s in file.services {
        let line = line_of(text, &format!("id: {}", s.id));
        let svc = Service {
            id: s.id,
            kind: s.kind,
            type_name: s.type_name,
            label: s.label,
            group: s.group,
            properties: s.properties,
            attributes: s.attributes,
            position: s.position,
            multiplicity: s.multiplicity,
            owner: s.owner,
            usage: s.usage,
            implicit: s.implicit,
        };
        sketch
            .add_service(svc)
            .map_err(|e| FormatError::new(name, line, 1, e.to_string()))?;
    }
    for c in file.connections {
        let line = line_of(text, &format!("from: {}", c.from));
        let conn = Connection {
            kind: c.kind,
            origins: c.origins,
            multiplier: c.multiplier,
            label: c.label,
            not_written: None,
            inferred: c.inferred,
            evidence: c.evidence,
        };
        sketch.connect(&c.from, &c.to, conn).map_err(|e| {
            FormatError::new(
                name,
                line,
                1,
                format!("connection {} -> {}: {e}", c.from, c.to),
            )
        })?;
    }
    for g in file.groups {
        sketch.groups.insert(g.id.clone(), g);
    }
    sketch.notes = file.notes;
    sketch.sections = file.sections;
    sketch.source = file.source;
    Ok(sketch)
}

// ---------------------------------------------------------------- sidecar

#[derive(Serialize, Deserialize, Default, PartialEq, Debug)]
#[serde(deny_unknown_fields)]
struct Sidecar {
    stacksketch_layout: u32,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    positions: BTreeMap<String, Position>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    usage: BTreeMap<String, BTreeMap<String, Value>>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    multipliers: Vec<Multiplier>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    members: BTreeMap<String, String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    groups: Vec<Group>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    notes: Vec<Note>,
}

#[derive(Serialize, Deserialize, PartialEq, Debug)]
#[serde(deny_unknown_fields)]
struct Multiplier {
    from: String,
    to: String,
    kind: ConnectionKind,
    multiplier: f64,
}

/// The layout and assumptions a template cannot carry, compared with what
/// the template itself gives (`base`: the sketch as freshly imported).
/// `None` when there is nothing to keep.
pub fn write_sidecar(sketch: &Sketch, base: &Sketch) -> Option<String> {
    let mut s = Sidecar {
        stacksketch_layout: VERSION,
        ..Default::default()
    };
    for svc in sketch.services() {
        if let Some(p) = svc.position {
            s.positions.insert(svc.id.clone(), p);
        }
        if !svc.usage.is_empty() {
            s.usage.insert(svc.id.clone(), svc.usage.clone());
        }
        let base_group = base.service(&svc.id).and_then(|b| b.group.clone());
        if let Some(g) = &svc.group {
            if base_group.as_ref() != Some(g) {
                s.members.insert(svc.id.clone(), g.clone());
            }
        }
    }
    for (a, b, c) in sketch.connections() {
        if c.multiplier != 1.0 {
            s.multipliers.push(Multiplier {
                from: a.into(),
                to: b.into(),
                kind: c.kind,
                multiplier: c.multiplier,
            });
        }
    }
    s.groups = sketch
        .groups
        .values()
        .filter(|g| base.groups.get(&g.id) != Some(g))
        .cloned()
        .collect();
    s.notes = sketch.notes.clone();
    if s == (Sidecar {
        stacksketch_layout: VERSION,
        ..Default::default()
    }) {
        return None;
    }
    let mut out =
        String::from("# stacksketch layout for the template next to this file; safe to delete.\n");
    out.push_str(&yaml::serialize(&s).expect("a sidecar serializes"));
    Some(out)
}

/// Applies a sidecar to a freshly read sketch. Entries for ids that no longer
/// exist are ignored: the template may have changed since.
pub fn apply_sidecar(sketch: &mut Sketch, name: &str, text: &str) -> Result<(), FormatError> {
    let s: Sidecar = yaml::deserialize(text).map_err(|e| {
        FormatError::new(
            name,
            e.line,
            e.column,
            format!("not a valid layout file: {}", e.message),
        )
        .hint("delete the file to start the layout afresh")
    })?;
    for g in s.groups {
        sketch.groups.insert(g.id.clone(), g);
    }
    for (id, p) in s.positions {
        if let Some(svc) = sketch.service_mut(&id) {
            svc.position = Some(p);
        }
    }
    for (id, u) in s.usage {
        if let Some(svc) = sketch.service_mut(&id) {
            svc.usage = u;
        }
    }
    for (id, g) in s.members {
        if let Some(svc) = sketch.service_mut(&id) {
            svc.group = Some(g);
        }
    }
    for m in s.multipliers {
        if let Some(mut c) = sketch.connection(&m.from, &m.to, Some(m.kind)).cloned() {
            c.multiplier = m.multiplier;
            let _ = sketch.disconnect(&m.from, &m.to, Some(m.kind));
            let _ = sketch.connect(&m.from, &m.to, c);
        }
    }
    sketch.notes = s.notes;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::ConnectionKind;

    fn sample() -> Sketch {
        let mut s = Sketch::new();
        s.name = Some("demo".into());
        let mut f = Service::new("Fn", Kind::Function, "AWS::Serverless::Function");
        f.properties
            .insert("Runtime".into(), Value::from("python3.13"));
        f.position = Some(Position { x: 4, y: 2 });
        f.usage.insert("monthly_requests".into(), Value::from(1000));
        s.add_service(f).unwrap();
        s.add_service(Service::new("Q", Kind::Queue, "AWS::SQS::Queue"))
            .unwrap();
        let mut c =
            Connection::new(ConnectionKind::Trigger).with_origin("Fn", "/Properties/Events/Q");
        c.multiplier = 0.5;
        s.connect("Q", "Fn", c).unwrap();
        s.notes.push(Note {
            text: "hello".into(),
            on: Some("Fn".into()),
            position: None,
        });
        s
    }

    #[test]
    fn round_trip_is_lossless_and_deterministic() {
        let s = sample();
        let text = write(&s);
        let back = read("x.sketch.yaml", &text).unwrap();
        assert_eq!(back, s);
        assert_eq!(write(&back), text);
        assert!(looks_like_sketch(&text));
    }

    #[test]
    fn bad_sketch_names_the_line() {
        let e = read(
            "x.sketch.yaml",
            "stacksketch: 1\nservices:\n  - id: A\n    kind: nonsense\n    type: X\n",
        )
        .unwrap_err();
        assert_eq!(e.line, 3, "{e}");
        assert!(e.message.contains("unknown kind"), "{e}");
    }

    #[test]
    fn sidecar_round_trip() {
        let s = sample();
        let mut base = s.clone();
        for id in ["Fn", "Q"] {
            let svc = base.service_mut(id).unwrap();
            svc.position = None;
            svc.usage.clear();
        }
        base.notes.clear();
        base.disconnect("Q", "Fn", None).unwrap();
        base.connect("Q", "Fn", Connection::new(ConnectionKind::Trigger))
            .unwrap();
        let text = write_sidecar(&s, &base).unwrap();
        let mut fresh = base.clone();
        apply_sidecar(&mut fresh, "side", &text).unwrap();
        assert_eq!(
            fresh.service("Fn").unwrap().position,
            Some(Position { x: 4, y: 2 })
        );
        assert_eq!(fresh.notes.len(), 1);
        assert_eq!(fresh.connection("Q", "Fn", None).unwrap().multiplier, 0.5);
        assert!(write_sidecar(&base, &base).is_none());
    }
}
