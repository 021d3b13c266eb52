//! What both importers do last: fold glue into its owner, add the
//! connections they found, and draw VPC boundaries. Subnets and security
//! groups name their VPC; whatever sits in a subnet or security group sits in
//! that VPC's frame.

use std::collections::HashMap;

use crate::model::{Connection, Group, GroupKind, Sketch};

/// `owners` are (glue, owner) pairs (the first owner found wins);
/// `placements` are (service, VPC or subnet or security group it sits in).
pub(crate) fn apply(
    sketch: &mut Sketch,
    owners: Vec<(String, String)>,
    conns: Vec<(String, String, Connection)>,
    placements: &[(String, String)],
) {
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
        |sketch: &Sketch, id: &str| sketch.service(id).is_some_and(|s| s.kind.word() == "vpc");
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
