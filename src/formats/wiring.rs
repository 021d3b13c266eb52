//! What both importers share: the connections and owners they find
//! ([`Found`]), and what they do last: fold glue into its owner, add the
//! connections, and draw VPC boundaries. Subnets and security groups name
//! their VPC; whatever sits in a subnet or security group sits in that VPC's
//! frame.

use crate::catalog::Kind;
use std::collections::HashMap;

use crate::model::{Connection, ConnectionKind, Group, GroupKind, Origin, Sketch};

/// Connections and owners found while reading a template, before they go
/// into the sketch.
#[derive(Default)]
pub(crate) struct Found {
    pub conns: Vec<(String, String, Connection)>,
    /// (glue, owner) pairs; the first owner found for a glue resource wins.
    pub owners: Vec<(String, String)>,
    /// Where each (from, to) pair first appears in `conns`.
    first: HashMap<(String, String), usize>,
}

impl Found {
    /// Records an arrow made by one place in the template.
    pub fn connect(
        &mut self,
        from: &str,
        to: &str,
        kind: ConnectionKind,
        origin: (&str, &str),
        fixed: bool,
        label: Option<String>,
    ) {
        if from == to {
            return;
        }
        let mut c = Connection::new(kind);
        c.origins.push(Origin {
            resource: origin.0.to_string(),
            pointer: origin.1.to_string(),
            fixed,
        });
        c.label = label;
        self.push(from, to, c);
    }

    /// Records an arrow as it is (several origins, say).
    pub fn push(&mut self, from: &str, to: &str, c: Connection) {
        if from == to {
            return;
        }
        self.first
            .entry((from.to_string(), to.to_string()))
            .or_insert(self.conns.len());
        self.conns.push((from.to_string(), to.to_string(), c));
    }

    /// Adds `origin` to the first arrow from `from` to `to` whose kind is one
    /// of `kinds` (any kind when empty); whether there was one.
    pub fn join(&mut self, from: &str, to: &str, kinds: &[ConnectionKind], origin: Origin) -> bool {
        let at = if kinds.is_empty() {
            self.first.get(&(from.to_string(), to.to_string())).copied()
        } else {
            self.conns
                .iter()
                .position(|(a, b, c)| a == from && b == to && kinds.contains(&c.kind))
        };
        match at {
            Some(i) => {
                let c = &mut self.conns[i].2;
                if !c.origins.contains(&origin) {
                    c.origins.push(origin);
                }
                true
            }
            None => false,
        }
    }

    /// A reference from a consumer to the queue or stream that triggers it
    /// (its handler told where its own messages come from) is part of that
    /// trigger, not a second arrow; whether it was.
    pub fn join_source(
        &mut self,
        consumer: &str,
        source: &str,
        source_kind: Option<Kind>,
        origin: Origin,
    ) -> bool {
        matches!(source_kind, Some(Kind::Queue | Kind::Stream))
            && self.join(source, consumer, &[ConnectionKind::Trigger], origin)
    }

    /// A function's dead-letter queue or on-failure destination, made by
    /// the place `origin`: joined to an arrow between the two already found
    /// (a grant to send there), else a new one of `kind`; labelled.
    pub fn on_failure(&mut self, from: &str, to: &str, kind: ConnectionKind, origin: Origin) {
        if !self.join(from, to, &[], origin.clone()) {
            let mut c = Connection::new(kind).labelled(crate::model::ON_FAILURE);
            c.origins.push(origin);
            self.push(from, to, c);
        }
        self.label(from, to, crate::model::ON_FAILURE);
    }

    /// Labels the first arrow from `from` to `to` that has no label yet.
    pub fn label(&mut self, from: &str, to: &str, label: &str) {
        if let Some((_, _, c)) = self
            .conns
            .iter_mut()
            .find(|(a, b, c)| a == from && b == to && c.label.is_none())
        {
            c.label = Some(label.to_string());
        }
    }

    pub fn own(&mut self, glue: &str, owner: &str) {
        if glue != owner {
            self.owners.push((glue.to_string(), owner.to_string()));
        }
    }
}

/// `owners` are (glue, owner) pairs (the first owner found wins);
/// `placements` are (service, VPC or subnet or security group it sits in).
pub(crate) fn apply(sketch: &mut Sketch, found: Found, placements: &[(String, String)]) {
    let Found { conns, owners, .. } = found;
    for (glue, owner) in owners {
        if let Some(s) = sketch.service_mut(&glue) {
            if s.owner.is_none() {
                s.owner = Some(owner);
            }
        }
    }
    for (a, b, c) in conns {
        let _ = sketch.connect(&a, &b, c);
    }
    let is_vpc =
        |sketch: &Sketch, id: &str| sketch.service(id).is_some_and(|s| s.kind == Kind::Vpc);
    let vpc_of: HashMap<&str, &str> = placements
        .iter()
        .filter(|(_, v)| is_vpc(sketch, v))
        .map(|(m, v)| (m.as_str(), v.as_str()))
        .collect();
    let mut members: Vec<(String, String)> = Vec::new();
    for (member, via) in placements {
        if let Some(vpc) = vpc_of.get(via.as_str()) {
            members.push((member.clone(), vpc.to_string()));
        } else if is_vpc(sketch, via) {
            members.push((member.clone(), via.clone()));
        }
    }
    for (member, vpc) in members {
        sketch.groups.entry(vpc.clone()).or_insert_with(|| Group {
            id: vpc.clone(),
            kind: GroupKind::Boundary,
            label: Some(format!("VPC {vpc}")),
            parent: None,
            collapsed: false,
        });
        for id in [&member, &vpc] {
            if let Some(s) = sketch.service_mut(id) {
                if s.group.is_none() {
                    s.group = Some(vpc.clone());
                }
            }
        }
    }
}
