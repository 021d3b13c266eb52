//! The diff as text for a terminal: what was added, removed and changed,
//! the bill before and after, new findings, then the marked diagram.

use std::fmt::Write;

use super::{Diff, cents, picture};
use crate::cost::money;
use crate::model::{inert, inert_line};

/// How the text is drawn.
#[derive(Clone, Copy, Debug)]
pub struct TextOptions {
    pub width: usize,
    pub ascii: bool,
    pub colour: bool,
}

/// `+$1.20`, `-$0.40`, `$0.00`.
pub fn signed_money(usd: f64) -> String {
    match cents(usd) {
        0 => money(0.0),
        c if c > 0 => format!("+{}", money(usd)),
        _ => format!("-{}", money(-usd)),
    }
}

pub fn write(d: &Diff, opts: &TextOptions) -> String {
    let mut out = report(d, opts.ascii);
    out.push_str("\nDiagram of the new version (+ added, - removed, ~ changed):\n\n");
    out.push_str(&picture::draw(d, opts.width, opts.ascii, opts.colour));
    out
}

/// What changed, the bill and new findings, without the diagram; inert.
pub fn report(d: &Diff, ascii: bool) -> String {
    let arrow = if ascii { "->" } else { "→" };
    let mut out = if d.is_empty() {
        format!(
            "No change at the {} level: the same services, connections, cost and checks.\n\n",
            d.level.word()
        )
    } else {
        String::new()
    };
    if d.drift {
        out.push_str("Drift between a Terraform state and the code: resources on one side only, and values the code sets that the state holds otherwise (arrows and checks are not compared).\n\n");
    }
    out.push_str(&summary(d, arrow));
    out.push_str(&cost(d, arrow));
    if !d.new_checks.is_empty() {
        let _ = writeln!(out, "\nNew from check ({}):", d.new_checks.len());
        for c in &d.new_checks {
            let _ = writeln!(out, "  ! {}", inert_line(c));
        }
    }
    let mut out = inert(&out).into_owned();
    if ascii {
        out = out.replace('→', "->").replace('…', "...");
    }
    out
}

/// Services and connections, with the properties that changed.
fn summary(d: &Diff, arrow: &str) -> String {
    let mut out = format!(
        "Services at the {} level: {} added, {} removed, {} changed\n",
        d.level.word(),
        d.added.len(),
        d.removed.len(),
        d.changed.len()
    );
    for id in &d.added {
        let _ = writeln!(out, "  + {} ({})", inert_line(id), d.kind_of(id));
    }
    for id in &d.removed {
        let _ = writeln!(out, "  - {} ({})", inert_line(id), d.kind_of(id));
    }
    for c in &d.changed {
        let _ = writeln!(out, "  ~ {} ({})", inert_line(&c.id), d.kind_of(&c.id));
        for p in &c.properties {
            let _ = writeln!(out, "      {}", inert_line(p));
        }
    }
    let _ = writeln!(
        out,
        "\nConnections: {} added, {} removed",
        d.arrows_added.len(),
        d.arrows_removed.len()
    );
    for (sign, list) in [('+', &d.arrows_added), ('-', &d.arrows_removed)] {
        for a in list {
            let _ = writeln!(
                out,
                "  {sign} {} {arrow} {} ({})",
                a.from,
                a.to,
                a.kind.word()
            );
        }
    }
    out
}

/// The bill before and after, and each service whose cost moved.
fn cost(d: &Diff, arrow: &str) -> String {
    let c = &d.cost;
    let mut out = format!(
        "\nMonthly cost: {} {arrow} {} ({})\n",
        money(c.before),
        money(c.after),
        signed_money(c.delta())
    );
    let moved: Vec<_> = c
        .services
        .iter()
        .filter(|s| cents(s.delta()) != 0)
        .collect();
    let w = moved
        .iter()
        .map(|s| s.id.chars().count())
        .max()
        .unwrap_or(0);
    for s in &moved {
        let _ = writeln!(
            out,
            "  {:<w$}  {:>10} {arrow} {:>10}  {:>10}",
            inert_line(&s.id),
            money(s.before),
            money(s.after),
            signed_money(s.delta())
        );
    }
    if moved.len() < c.services.len() {
        let _ = writeln!(
            out,
            "  ({} priced service(s) cost the same)",
            c.services.len() - moved.len()
        );
    }
    out
}
