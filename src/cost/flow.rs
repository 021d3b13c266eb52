//! Usage that flows along the arrows. Every service that passes events on
//! has one usage key that counts them (an API's requests, a queue's
//! messages, a function's invocations); what leaves a service along an arrow,
//! times the arrow's multiplier, becomes usage of the service it points at.
//! Explicit usage wins over what flows in; services nothing flows into are
//! entry points and get stated defaults. Arrows that would close a loop are
//! left out and reported, since such a loop can run forever.

use std::collections::{BTreeMap, HashMap, HashSet};

use super::template::Shape;
use super::usage::{self, UsageFile, UsageMap};
use super::{UsageSource, UsageValue};
use crate::model::{ConnectionKind, Service, Sketch};

/// Requests, messages or events a month at an entry point when nothing says otherwise.
pub const ENTRY_EVENTS: f64 = 1_000_000.0;
/// Uploads a month into a bucket nothing writes to.
pub const ENTRY_UPLOADS: f64 = 100_000.0;
/// Executions a month of a workflow nothing starts.
pub const ENTRY_EXECUTIONS: f64 = 100_000.0;
/// A schedule whose expression cannot be read fires hourly.
pub const ENTRY_SCHEDULE: f64 = 730.0;
/// Kinesis records are taken to be 1 KB each.
pub const RECORD_KB: f64 = 1.0;
/// Standard workflows whose definition cannot be read take this many transitions per execution.
pub const STATES_PER_EXECUTION: f64 = 5.0;
/// The share of a queue's messages that end in its dead-letter queue.
pub const DEAD_LETTER_SHARE: f64 = 0.01;

const KB_PER_GB: f64 = 1024.0 * 1024.0;

/// The key that counts a shape's events, and how many of the key's units one event is.
pub fn primary(shape: &Shape) -> Option<(&'static str, f64)> {
    Some(match shape {
        Shape::Lambda { .. } | Shape::RestApi { .. } | Shape::HttpApi => ("monthly_requests", 1.0),
        Shape::WebSocket => ("monthly_messages", 1.0),
        Shape::Queue { .. } | Shape::Topic { .. } => ("monthly_requests", 1.0),
        Shape::Table { .. } => ("monthly_write_request_units", 1.0),
        Shape::Stream { shards: None } => ("monthly_on_demand_data_in_gb", RECORD_KB / KB_PER_GB),
        Shape::Stream { shards: Some(_) } => ("monthly_provisioned_put_units", 1.0),
        Shape::StateMachine { express: true, .. } => ("monthly_requests", 1.0),
        Shape::StateMachine {
            express: false,
            states,
        } => (
            "monthly_transitions",
            states.unwrap_or(STATES_PER_EXECUTION),
        ),
        Shape::Bucket => ("standard.monthly_tier_1_requests", 1.0),
        Shape::EventBus => ("monthly_custom_events", 1.0),
        Shape::PassThrough { .. } => ("monthly_events", 1.0),
        Shape::Schedule { .. } => ("monthly_invocations", 1.0),
        Shape::Cdn => ("monthly_https_requests.us", 1.0),
        Shape::LoadBalancer { .. } => ("monthly_requests", 1.0),
        Shape::UserPool { .. } => ("monthly_active_users", 1.0),
        _ => return None,
    })
}

/// The usage key a slider moves: the events key, or for services that pass
/// nothing on, what their bill grows with.
pub fn driver(shape: &Shape) -> Option<&'static str> {
    match shape {
        Shape::Table {
            provisioned: Some(_),
        } => Some("storage_gb"),
        Shape::Schedule { .. } => None,
        Shape::Logs => Some("monthly_data_ingested_gb"),
        Shape::Nat => Some("monthly_data_processed_gb"),
        Shape::Secret | Shape::Key => Some("monthly_requests"),
        Shape::Aurora { .. } => Some("capacity_units_per_hr"),
        s => primary(s).map(|(k, _)| k),
    }
}

/// Where events arriving along an arrow of kind `conn` land in a shape's usage.
fn inflow(shape: &Shape, conn: ConnectionKind) -> Option<(&'static str, f64)> {
    use ConnectionKind::*;
    if matches!(conn, Ref | Auth | Log) {
        return None;
    }
    match shape {
        Shape::Table { .. } if conn == Read => Some(("monthly_read_request_units", 1.0)),
        Shape::Bucket if matches!(conn, Read | Route) => {
            Some(("standard.monthly_tier_2_requests", 1.0))
        }
        Shape::Bucket if matches!(conn, Write | Trigger) => primary(shape),
        Shape::Bucket => None,
        _ if conn == Read => None,
        Shape::Schedule { .. } | Shape::Cdn | Shape::UserPool { .. } => None,
        s => primary(s),
    }
}

/// What entry points handle a month, in events.
fn entry_events(shape: &Shape) -> Option<(f64, &'static str)> {
    Some(match shape {
        Shape::Bucket => (ENTRY_UPLOADS, "uploads a month at an entry point"),
        Shape::StateMachine { .. } => (ENTRY_EXECUTIONS, "executions a month at an entry point"),
        Shape::Schedule {
            per_month: Some(n), ..
        } => (*n, "from the schedule expression"),
        Shape::Schedule {
            per_month: None, ..
        } => (ENTRY_SCHEDULE, "an unreadable schedule, taken as hourly"),
        Shape::Table { .. } => return None,
        Shape::UserPool { .. } => (1000.0, "assumed monthly active users"),
        s if primary(s).is_some() => (ENTRY_EVENTS, "events a month at an entry point"),
        _ => return None,
    })
}

/// Usage that is not a flow: assumed sizes and amounts.
fn assumed(shape: &Shape) -> Vec<(&'static str, f64, &'static str)> {
    match shape {
        Shape::Lambda { .. } => vec![("request_duration_ms", 100.0, "assumed duration")],
        Shape::Table { .. } => vec![("storage_gb", 1.0, "assumed storage")],
        Shape::Bucket => vec![("standard.storage_gb", 1.0, "assumed storage")],
        Shape::StateMachine { express: true, .. } => vec![
            ("workflow_duration_ms", 1000.0, "assumed duration"),
            ("memory_mb", 64.0, "assumed memory"),
        ],
        Shape::Aurora { .. } => vec![("storage_gb", 1.0, "assumed storage")],
        _ => Vec::new(),
    }
}

struct Edge<'a> {
    from: &'a str,
    to: &'a str,
    kind: ConnectionKind,
    /// Multiplier times any share the arrow carries by nature (dead letters).
    share: f64,
    key: &'static str,
    factor: f64,
    /// Whether the arrow feeds what the target passes on.
    driving: bool,
}

/// Whether a queue-to-queue arrow is a redrive to a dead-letter queue.
fn is_redrive(from: &Service, to: &str, origins: &[crate::model::Origin]) -> bool {
    if origins
        .iter()
        .any(|o| o.pointer.to_ascii_lowercase().contains("redrive"))
    {
        return true;
    }
    ["RedrivePolicy", "redrive_policy"].iter().any(|k| {
        from.properties
            .get(*k)
            .is_some_and(|v| super::template::mentions(v, to) || v.to_string().contains(to))
    })
}

/// Resolved usage of every service, with where each number came from.
pub struct Resolved {
    pub usage: HashMap<String, BTreeMap<String, UsageValue>>,
    pub notes: Vec<String>,
}

pub fn resolve(
    sketch: &Sketch,
    shapes: &[(&Service, Shape)],
    file: Option<&UsageFile>,
) -> Resolved {
    let shape_of: HashMap<&str, &Shape> =
        shapes.iter().map(|(s, sh)| (s.id.as_str(), sh)).collect();
    let mut notes = Vec::new();

    let mut edges: Vec<Edge> = Vec::new();
    for (from, to, conn) in sketch.connections() {
        let (Some(fs), Some(ts)) = (shape_of.get(from), shape_of.get(to)) else {
            continue;
        };
        // An alarm fires rarely: its target gets nothing rather than an entry
        // point's default. From other services whose events are not counted
        // (a container, an unknown resource) the target stays an entry point.
        if primary(fs).is_none() && !matches!(fs, Shape::Alarm { .. }) {
            continue;
        }
        let Some((key, factor)) = inflow(ts, conn.kind) else {
            continue;
        };
        let mut share = conn.multiplier;
        if matches!((fs, ts), (Shape::Queue { .. }, Shape::Queue { .. }))
            && let Some(src) = sketch.service(from)
            && is_redrive(src, to, &conn.origins)
        {
            share *= DEAD_LETTER_SHARE;
        }
        edges.push(Edge {
            from,
            to,
            kind: conn.kind,
            share,
            key,
            factor,
            driving: primary(ts).is_some_and(|(k, _)| k == key),
        });
    }

    // Each service's driving arrows out, and every arrow in, by index, so
    // the passes below touch each arrow once instead of once per service.
    let mut driving_out: HashMap<&str, Vec<usize>> = HashMap::new();
    let mut arrows_in: HashMap<&str, Vec<usize>> = HashMap::new();
    for (i, e) in edges.iter().enumerate() {
        if e.driving {
            driving_out.entry(e.from).or_default().push(i);
        }
        arrows_in.entry(e.to).or_default().push(i);
    }

    // Loops: depth-first from the likeliest entry points, dropping arrows back
    // into the current path.
    let order: Vec<&str> = shapes.iter().map(|(s, _)| s.id.as_str()).collect();
    let has_driving_in: HashSet<&str> = edges.iter().filter(|e| e.driving).map(|e| e.to).collect();
    let entry_kind = |id: &str| {
        matches!(
            shape_of.get(id),
            Some(
                Shape::RestApi { .. }
                    | Shape::HttpApi
                    | Shape::WebSocket
                    | Shape::Bucket
                    | Shape::Schedule { .. }
                    | Shape::EventBus
                    | Shape::Cdn
                    | Shape::Queue { .. }
                    | Shape::Topic { .. }
                    | Shape::Stream { .. }
                    | Shape::LoadBalancer { .. }
                    | Shape::UserPool { .. }
            )
        )
    };
    let mut starts: Vec<&str> = order
        .iter()
        .copied()
        .filter(|id| !has_driving_in.contains(id))
        .collect();
    starts.extend(
        order
            .iter()
            .copied()
            .filter(|id| has_driving_in.contains(id) && entry_kind(id)),
    );
    starts.extend(
        order
            .iter()
            .copied()
            .filter(|id| has_driving_in.contains(id) && !entry_kind(id)),
    );
    let mut dropped: HashSet<usize> = HashSet::new();
    let mut state: HashMap<&str, u8> = HashMap::new(); // 1 on the path, 2 done
    for start in starts {
        if state.contains_key(start) {
            continue;
        }
        let mut path: Vec<&str> = Vec::new();
        visit(
            start,
            &edges,
            &driving_out,
            &mut state,
            &mut path,
            &mut dropped,
            &mut notes,
        );
    }

    // Kahn's order over the driving arrows that remain, ties in source order.
    let live = |i: usize, e: &Edge| e.driving && !dropped.contains(&i);
    let mut indegree: HashMap<&str, usize> = order.iter().map(|id| (*id, 0)).collect();
    for (i, e) in edges.iter().enumerate() {
        if live(i, e) {
            *indegree.entry(e.to).or_default() += 1;
        }
    }
    let entries: HashSet<&str> = indegree
        .iter()
        .filter(|(_, n)| **n == 0)
        .map(|(id, _)| *id)
        .collect();
    let index: HashMap<&str, usize> = order.iter().enumerate().map(|(i, id)| (*id, i)).collect();
    let mut ready: std::collections::BTreeSet<usize> = order
        .iter()
        .enumerate()
        .filter(|(_, id)| indegree[*id] == 0)
        .map(|(i, _)| i)
        .collect();
    let mut topo: Vec<&str> = Vec::new();
    while let Some(i) = ready.pop_first() {
        let id = order[i];
        topo.push(id);
        for &j in driving_out.get(id).into_iter().flatten() {
            let e = &edges[j];
            if live(j, e) {
                let n = indegree.get_mut(e.to).expect("every target has a degree");
                *n -= 1;
                if *n == 0 {
                    ready.insert(index[e.to]);
                }
            }
        }
    }

    // Explicit and defaulted layers of every service.
    let mut layers: HashMap<&str, Layers> = HashMap::new();
    for (svc, shape) in shapes {
        let mut l = Layers::default();
        for (k, v, why) in assumed(shape) {
            l.assumed.insert(k.to_string(), (v, why));
        }
        if let Some((ty, u)) = file.and_then(|f| f.for_type(svc)) {
            l.type_default = u.clone();
            l.type_name = ty.to_string();
        }
        if let Some(u) = file.and_then(|f| f.for_id(&svc.id)) {
            l.file = u.clone();
        }
        l.sketch = usage::of_service(svc);
        layers.insert(svc.id.as_str(), l);
    }

    // Events each service passes on, in flow order.
    let mut out_events: HashMap<&str, f64> = HashMap::new();
    let mut flows: HashMap<&str, BTreeMap<&'static str, (f64, Vec<String>)>> = HashMap::new();
    for id in &topo {
        let shape = shape_of[id];
        let Some((key, factor)) = primary(shape) else {
            continue;
        };
        for &i in arrows_in.get(id).into_iter().flatten() {
            let e = &edges[i];
            if live(i, e) {
                let amount = out_events.get(e.from).copied().unwrap_or(0.0) * e.share * e.factor;
                let slot = flows.entry(id).or_default().entry(e.key).or_default();
                slot.0 += amount;
                slot.1.push(e.from.to_string());
            }
        }
        let l = &layers[id];
        let value = l
            .sketch
            .get(key)
            .or_else(|| l.file.get(key))
            .copied()
            .or_else(|| flows.get(id).and_then(|f| f.get(key)).map(|s| s.0))
            .or_else(|| l.type_default.get(key).copied())
            .or_else(|| {
                entries
                    .contains(id)
                    .then(|| entry_events(shape))
                    .flatten()
                    .map(|(n, _)| n * factor)
            })
            .unwrap_or(0.0);
        out_events.insert(id, value / factor);
    }
    // Arrows that feed only the target's own bill (reads), once all sources are known.
    for (i, e) in edges.iter().enumerate() {
        if e.driving || dropped.contains(&i) {
            continue;
        }
        let amount = out_events.get(e.from).copied().unwrap_or(0.0) * e.share * e.factor;
        let slot = flows.entry(e.to).or_default().entry(e.key).or_default();
        slot.0 += amount;
        slot.1.push(e.from.to_string());
    }

    let mut resolved: HashMap<String, BTreeMap<String, UsageValue>> = HashMap::new();
    for (svc, shape) in shapes {
        let id = svc.id.as_str();
        let l = &layers[id];
        let mut u: BTreeMap<String, UsageValue> = BTreeMap::new();
        let mut put = |k: &str, value: f64, source: UsageSource| {
            u.insert(
                k.to_string(),
                UsageValue {
                    key: k.to_string(),
                    value,
                    source,
                },
            );
        };
        for (k, (v, why)) in &l.assumed {
            put(k, *v, UsageSource::Default(why));
        }
        for (k, v) in &l.type_default {
            put(k, *v, UsageSource::TypeDefault(l.type_name.clone()));
        }
        if entries.contains(id)
            && let Some((key, factor)) = primary(shape)
            && !l.type_default.contains_key(key)
            && let Some((n, why)) = entry_events(shape)
        {
            put(key, n * factor, UsageSource::Default(why));
        }
        if let Some(f) = flows.get(id) {
            for (k, (v, from)) in f {
                let mut from = from.clone();
                from.dedup();
                put(k, *v, UsageSource::Flow(from));
            }
        }
        for (k, v) in &l.file {
            put(k, *v, UsageSource::UsageFile);
        }
        for (k, v) in &l.sketch {
            put(k, *v, UsageSource::Sketch);
        }
        if matches!(shape, Shape::Stream { shards: None })
            && !u.contains_key("monthly_on_demand_data_out_gb")
            && let Some(data_in) = u.get("monthly_on_demand_data_in_gb").map(|v| v.value)
        {
            u.insert(
                "monthly_on_demand_data_out_gb".into(),
                UsageValue {
                    key: "monthly_on_demand_data_out_gb".into(),
                    value: data_in,
                    source: UsageSource::Default("what is written, read once"),
                },
            );
        }
        resolved.insert(id.to_string(), u);
    }

    if let Some(f) = file {
        let ids: Vec<&str> = order.clone();
        for missing in f.unmatched(&ids) {
            notes.push(format!(
                "{}: `{missing}` names no service of this sketch; its usage is not used",
                f.name
            ));
        }
    }
    Resolved {
        usage: resolved,
        notes,
    }
}

#[derive(Default)]
struct Layers {
    assumed: BTreeMap<String, (f64, &'static str)>,
    type_name: String,
    type_default: UsageMap,
    file: UsageMap,
    sketch: UsageMap,
}

fn visit<'a>(
    id: &'a str,
    edges: &[Edge<'a>],
    driving_out: &HashMap<&'a str, Vec<usize>>,
    state: &mut HashMap<&'a str, u8>,
    path: &mut Vec<&'a str>,
    dropped: &mut HashSet<usize>,
    notes: &mut Vec<String>,
) {
    state.insert(id, 1);
    path.push(id);
    for &i in driving_out.get(id).into_iter().flatten() {
        let e = &edges[i];
        match state.get(e.to) {
            Some(1) => {
                dropped.insert(i);
                let at = path.iter().position(|p| *p == e.to).unwrap_or(0);
                let mut cycle: Vec<&str> = path[at..].to_vec();
                cycle.push(e.to);
                notes.push(format!(
                    "the {} arrow from `{}` to `{}` closes a loop ({}): nothing flows along it here, but in AWS a loop like this can run forever",
                    e.kind,
                    e.from,
                    e.to,
                    cycle.join(" → ")
                ));
            }
            Some(_) => {}
            None => visit(e.to, edges, driving_out, state, path, dropped, notes),
        }
    }
    path.pop();
    state.insert(id, 2);
}
