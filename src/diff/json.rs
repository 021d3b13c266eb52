//! The diff as JSON, for tools: `{"services":{...},"connections":{...},
//! "cost":{...},"checks":{"new":[...]}}`. Text from the inputs is escaped
//! where it would act on a terminal.

use serde_json::{Value, json};

use super::{Arrow, Diff};

/// Drops float noise (0.30000000000000004) without hiding small prices.
fn clean(x: f64) -> f64 {
    (x * 1e10).round() / 1e10 + 0.0
}

fn arrows(list: &[Arrow]) -> Value {
    list.iter()
        .map(|a| json!({"from": a.from, "to": a.to, "kind": a.kind.word()}))
        .collect()
}

pub fn write(d: &Diff) -> String {
    let doc = json!({
        "services": {
            "added": d.added,
            "removed": d.removed,
            "changed": d.changed.iter().map(|c| json!({
                "id": c.id,
                "properties": c.properties,
            })).collect::<Vec<_>>(),
        },
        "connections": {
            "added": arrows(&d.arrows_added),
            "removed": arrows(&d.arrows_removed),
        },
        "cost": {
            "before": clean(d.cost.before),
            "after": clean(d.cost.after),
            "delta": clean(d.cost.delta()),
            "services": d.cost.services.iter().map(|s| json!({
                "id": s.id,
                "before": clean(s.before),
                "after": clean(s.after),
                "delta": clean(s.delta()),
            })).collect::<Vec<_>>(),
        },
        "checks": {"new": d.new_checks},
    });
    let mut s = serde_json::to_string_pretty(&doc).expect("the diff serializes");
    s.push('\n');
    crate::formats::json::inert_json(s)
}
