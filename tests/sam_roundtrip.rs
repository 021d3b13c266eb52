//! For generated sketches, importing the exported SAM gives the same sketch:
//! the same services (ids and kinds) and the same connections.

use std::collections::BTreeSet;

use proptest::prelude::*;
use stacksketch::catalog::Kind;
use stacksketch::formats::{self, sam};
use stacksketch::model::{Connection, ConnectionKind, Level, Service, Sketch, View};

/// Kinds the generator draws from.
const KINDS: &[&str] = &[
    "function",
    "queue",
    "bucket",
    "table",
    "topic",
    "stream",
    "api",
    "httpapi",
    "schedule",
    "rule",
    "eventbus",
    "statemachine",
    "userpool",
    "alarm",
    "loggroup",
    "secret",
];

/// Connections SAM can say, by (from kind, to kind), with their natural kind.
fn expressible(a: &str, b: &str) -> Option<ConnectionKind> {
    use ConnectionKind::*;
    Some(match (a, b) {
        ("queue" | "bucket" | "topic" | "stream" | "table", "function") => Trigger,
        ("api", "function" | "statemachine") | ("httpapi", "function") => Route,
        ("schedule" | "rule", "function" | "statemachine" | "queue" | "topic") => Trigger,
        ("eventbus", "rule") => Route,
        ("function", "table" | "bucket" | "queue" | "stream") => Write,
        ("function", "topic" | "eventbus") => Publish,
        ("function", "secret") => Read,
        ("function" | "statemachine", "function" | "statemachine") => Invoke,
        ("statemachine", "table" | "bucket" | "queue" | "stream") => Write,
        ("statemachine", "topic" | "eventbus") => Publish,
        ("topic", "queue") => Subscribe,
        ("queue", "queue") => Write,
        ("alarm", "topic") => Publish,
        ("userpool", "api") => Auth,
        ("function", "loggroup") => Log,
        _ => return None,
    })
}

fn sketch_from(kinds: &[usize], pairs: &[(usize, usize)]) -> Sketch {
    let mut s = Sketch::new();
    let ids: Vec<String> = kinds
        .iter()
        .enumerate()
        .map(|(i, k)| {
            let word = KINDS[*k];
            let mut c = word.chars();
            let id = format!("{}{}{i}", c.next().unwrap().to_uppercase(), c.as_str());
            let kind = Kind::parse(word).unwrap();
            s.add_service(Service::new(id.clone(), kind, kind.entry().cfn_types[0]))
                .unwrap();
            id
        })
        .collect();
    let mut logs = BTreeSet::new();
    let mut dlq = BTreeSet::new();
    let mut buses = BTreeSet::new();
    for &(a, b) in pairs {
        let (a, b) = (a % ids.len(), b % ids.len());
        if a == b {
            continue;
        }
        let (ka, kb) = (KINDS[kinds[a]], KINDS[kinds[b]]);
        let Some(kind) = expressible(ka, kb) else {
            continue;
        };
        // A log group takes one function's logs; a queue has one dead-letter queue.
        if kind == ConnectionKind::Log && !logs.insert(b) {
            continue;
        }
        if (ka, kb) == ("queue", "queue") && !dlq.insert(a) {
            continue;
        }
        // A rule listens on one bus.
        if (ka, kb) == ("eventbus", "rule") && !buses.insert(b) {
            continue;
        }
        let _ = s.connect(&ids[a], &ids[b], Connection::new(kind));
    }
    s
}

type Shape = (
    BTreeSet<(String, String)>,
    BTreeSet<(String, String, ConnectionKind)>,
);

fn shape(s: &Sketch) -> Shape {
    let v = View::of(s, Level::Service);
    (
        v.nodes
            .iter()
            .map(|n| (n.id.clone(), n.kind.word().to_string()))
            .collect(),
        v.edges
            .iter()
            .map(|e| (e.from.clone(), e.to.clone(), e.kind))
            .collect(),
    )
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    #[test]
    fn export_then_import_keeps_the_sketch(
        kinds in prop::collection::vec(0..KINDS.len(), 1..12),
        pairs in prop::collection::vec((0usize..12, 0usize..12), 0..24),
    ) {
        let sketch = sketch_from(&kinds, &pairs);
        let out = sam::export(&sketch);
        prop_assert!(out.warnings.is_empty(), "warnings: {:?}", out.warnings);
        let back = formats::read("template.yaml", out.text())
            .map_err(|e| TestCaseError::fail(format!("{e}\n{}", out.text())))?;
        prop_assert_eq!(shape(&back), shape(&sketch), "\n{}", out.text());
    }
}

#[test]
fn a_known_pipeline_round_trips() {
    // bucket -> function -> queue -> worker -> table, worker publishes to a topic.
    let kinds = [2, 0, 1, 0, 3, 4];
    let pairs = [(0, 1), (1, 2), (2, 3), (3, 4), (3, 5)];
    let sketch = sketch_from(&kinds, &pairs);
    assert_eq!(sketch.connection_count(), 5);
    let out = sam::export(&sketch);
    let back = formats::read("template.yaml", out.text()).unwrap();
    assert_eq!(shape(&back), shape(&sketch), "\n{}", out.text());
}
