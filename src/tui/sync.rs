//! Applying edited code: the re-imported sketch becomes one undoable edit
//! of the current one, so undo takes a code edit back like any other.
//! What code cannot say (positions, usage, labels, groups kept in the
//! sidecar and whether they are collapsed, arrow multipliers) is carried
//! over from the current sketch.

use std::collections::{BTreeMap, HashSet};

use crate::model::{Connection, ConnectionKind, Edit, Service, Sketch};

type Key = (String, String, ConnectionKind);

fn connections(s: &Sketch) -> BTreeMap<Key, Connection> {
    s.connections()
        .map(|(a, b, c)| ((a.to_string(), b.to_string(), c.kind), c.clone()))
        .collect()
}

/// Whether a service changed in a way only removing and adding it again
/// can express.
fn replaced(old: &Service, new: &Service) -> bool {
    old.kind != new.kind
        || old.type_name != new.type_name
        || old.owner != new.owner
        || old.implicit != new.implicit
        || old.multiplicity != new.multiplicity
}

/// The edit that turns `old` into `new` (as read from code), or `None`
/// when they already agree.
pub fn reconcile(old: &Sketch, mut new: Sketch) -> Option<Edit> {
    // Carry over what the code does not hold.
    let ids: Vec<String> = new.ids().map(str::to_string).collect();
    for id in &ids {
        if let (Some(o), Some(n)) = (old.service(id), new.service_mut(id)) {
            n.position = o.position;
            n.usage = o.usage.clone();
            if n.label.is_none() {
                n.label = o.label.clone();
            }
            if n.group.is_none() {
                n.group = o.group.clone();
            }
        }
    }
    for (id, g) in new.groups.iter_mut() {
        if let Some(o) = old.groups.get(id) {
            g.collapsed = o.collapsed;
        }
    }
    let old_conns = connections(old);
    let mut new_conns = connections(&new);
    for (k, c) in new_conns.iter_mut() {
        if let Some(o) = old_conns.get(k) {
            if c.multiplier == 1.0 {
                c.multiplier = o.multiplier;
            }
        }
    }

    let gone: HashSet<&str> = old
        .ids()
        .filter(|id| match new.service(id) {
            None => true,
            Some(n) => replaced(old.service(id).expect("listed"), n),
        })
        .collect();

    let mut edits = Vec::new();
    // Arrows that change between services that stay.
    for (k, c) in &old_conns {
        if gone.contains(k.0.as_str()) || gone.contains(k.1.as_str()) {
            continue;
        }
        if new_conns.get(k) != Some(c) {
            edits.push(Edit::Disconnect {
                from: k.0.clone(),
                to: k.1.clone(),
                kind: Some(k.2),
            });
        }
    }
    for id in old.ids().filter(|id| gone.contains(id)) {
        edits.push(Edit::RemoveService { id: id.to_string() });
    }
    for (i, n) in new.services().enumerate() {
        match old.service(&n.id) {
            Some(_) if !gone.contains(n.id.as_str()) => {
                let o = old.service(&n.id).expect("checked");
                if o.properties != n.properties {
                    edits.push(Edit::ReplaceProperties {
                        id: n.id.clone(),
                        properties: n.properties.clone(),
                    });
                }
                if o.attributes != n.attributes {
                    edits.push(Edit::ReplaceAttributes {
                        id: n.id.clone(),
                        attributes: n.attributes.clone(),
                    });
                }
                if o.group != n.group {
                    edits.push(Edit::SetGroup {
                        id: n.id.clone(),
                        group: n.group.clone(),
                    });
                }
                if o.label != n.label {
                    edits.push(Edit::SetLabel {
                        id: n.id.clone(),
                        label: n.label.clone(),
                    });
                }
            }
            _ => edits.push(Edit::AddService {
                service: Box::new(n.clone()),
                at: Some(i),
            }),
        }
    }
    for (k, c) in &new_conns {
        let touches_gone = gone.contains(k.0.as_str()) || gone.contains(k.1.as_str());
        if touches_gone || old_conns.get(k) != Some(c) {
            edits.push(Edit::Connect {
                from: k.0.clone(),
                to: k.1.clone(),
                connection: c.clone(),
            });
        }
    }
    for (id, g) in &new.groups {
        if old.groups.get(id) != Some(g) {
            edits.push(Edit::DefineGroup {
                id: id.clone(),
                group: Some(g.clone()),
            });
        }
    }
    if new.sections != old.sections {
        edits.push(Edit::ReplaceSections {
            sections: std::mem::take(&mut new.sections),
        });
    }
    (!edits.is_empty()).then_some(Edit::Batch(edits))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document as io;
    use crate::formats::sam;
    use crate::model::Position;

    fn reimport(s: &Sketch, text: &str) -> Sketch {
        let _ = s;
        sam::import("template.yaml", text).unwrap()
    }

    #[test]
    fn unchanged_code_changes_nothing() {
        let s = io::example();
        let text = sam::export(&s).text().to_string();
        assert!(reconcile(&s, reimport(&s, &text)).is_none());
    }

    #[test]
    fn a_collapsed_group_stays_collapsed_when_code_is_applied() {
        let mut s = io::example();
        let group = crate::model::Group {
            id: "net".into(),
            kind: crate::model::GroupKind::Boundary,
            label: None,
            parent: None,
            collapsed: false,
        };
        let read = {
            let mut r = s.clone();
            r.groups.insert("net".into(), group.clone());
            r
        };
        s.groups.insert(
            "net".into(),
            crate::model::Group {
                collapsed: true,
                ..group
            },
        );
        assert!(reconcile(&s, read).is_none());
    }

    #[test]
    fn an_edit_in_code_becomes_one_undoable_edit() {
        let mut s = io::example();
        s.service_mut("Worker").unwrap().position = Some(Position { x: 3, y: 3 });
        let before = s.clone();
        let text = sam::export(&s)
            .text()
            .replace("BatchSize: 10", "BatchSize: 5")
            .replace(
                "  Alerts:\n    Type: AWS::SNS::Topic\n",
                "  Alerts:\n    Type: AWS::SNS::Topic\n  Extra:\n    Type: AWS::SQS::Queue\n",
            );
        let edit = reconcile(&s, reimport(&s, &text)).expect("a change");
        let undo = edit.apply(&mut s).unwrap();
        assert!(s.contains("Extra"));
        assert_eq!(
            s.service("Worker").unwrap().position,
            Some(Position { x: 3, y: 3 })
        );
        assert!(sam::export(&s).text().contains("BatchSize: 5"));
        undo.apply(&mut s).unwrap();
        assert_eq!(s, before);
    }

    #[test]
    fn removing_a_resource_in_code_removes_it_and_its_arrows() {
        let mut s = io::example();
        let text = sam::export(&s).text().to_string();
        let start = text.find("  Alerts:\n").unwrap();
        let end = text.find("  DeadLetterAlarm:").unwrap();
        let mut edited = text.clone();
        edited.replace_range(start..end, "");
        let edited = edited.replace("      AlarmActions:\n        - !Ref Alerts\n", "");
        let edit = reconcile(&s, reimport(&s, &edited)).expect("a change");
        edit.apply(&mut s).unwrap();
        assert!(!s.contains("Alerts"));
        assert!(
            s.connections()
                .all(|(a, b, _)| a != "Alerts" && b != "Alerts")
        );
    }
}
