//! `stacksketch cost`: the monthly estimate of a sketch as a table like
//! Infracost's, or as JSON; a budget check for CI (exit 3 when over); and
//! `--prices`, which shows where the price table's figures come from.

use std::path::{Path, PathBuf};

use clap::Args;
use serde_json::{Value, json};

use super::io::{self, Failure, Result};
use crate::cost::{self, CostOptions, CostReport, PriceTable, UsageFile, UsageSource};
use crate::formats;
use crate::model::inert;

#[derive(Args, Debug)]
pub struct CostArgs {
    /// A template, Terraform folder or .sketch.yaml file (not needed with --prices)
    pub input: Option<PathBuf>,
    /// More templates or folders, read together with INPUT as one system
    #[arg(value_name = "MORE")]
    pub more: Vec<PathBuf>,
    /// Usage assumptions in Infracost's format (infracost-usage.yml, version 0.1)
    #[arg(long, value_name = "FILE")]
    pub usage: Option<PathBuf>,
    /// Exit with status 3 when the monthly total is over this many USD
    #[arg(long, value_name = "USD")]
    pub budget: Option<f64>,
    /// Apply AWS's always-free allowances (off by default, as in Infracost)
    #[arg(long)]
    pub free_tier: bool,
    /// Print the estimate (or, with --prices, the price table) as JSON
    #[arg(long)]
    pub json: bool,
    /// Print the price table with its date and sources
    #[arg(long)]
    pub prices: bool,
    /// A file of price rows (same columns as the built-in table) that override it
    #[arg(long, value_name = "FILE")]
    pub price_file: Option<PathBuf>,
}

fn read(path: &Path) -> Result<(String, String)> {
    let name = io::display(path);
    let bytes = std::fs::read(path)
        .map_err(|e| Failure::Input(format!("{name}: cannot read it: {}", io::io_reason(&e))))?;
    let text = formats::check_text(&name, &bytes)?.to_string();
    Ok((name, text))
}

pub fn run(a: CostArgs) -> Result<()> {
    let mut prices = PriceTable::embedded();
    if let Some(p) = &a.price_file {
        let (name, text) = read(p)?;
        prices.apply_overrides(&name, &text)?;
    }
    if a.prices {
        print!(
            "{}",
            if a.json {
                format!("{:#}\n", prices_json(&prices))
            } else {
                inert(&prices_text(&prices)).into_owned()
            }
        );
        return Ok(());
    }
    let Some(input) = &a.input else {
        return Err(Failure::Usage(
            "give a template, Terraform folder or sketch file to price (or --prices)".into(),
        ));
    };
    if let Some(b) = a.budget
        && !(b.is_finite() && b >= 0.0)
    {
        return Err(Failure::Usage(format!(
            "--budget must be an amount of USD, zero or more, not {b}"
        )));
    }
    let usage_file = match &a.usage {
        Some(p) => {
            let (name, text) = read(p)?;
            Some(UsageFile::parse(&name, &text)?)
        }
        None => None,
    };
    let sketch = io::load_inputs(input, &a.more)?.sketch;
    let options = CostOptions {
        free_tier: a.free_tier,
        budget_usd: a.budget,
        usage_file,
        prices,
    };
    let report = cost::estimate(&sketch, &options);
    if a.json {
        let mut j = report_json(&report);
        if !sketch.stacks.is_empty() {
            j["stacks"] = Value::Array(
                per_stack(&sketch, &report)
                    .into_iter()
                    .map(|(id, usd)| json!({"id": id, "monthly_usd": clean(usd)}))
                    .collect(),
            );
        }
        println!("{j:#}");
    } else {
        print!("{}", inert(&report_text(&report)));
        if !sketch.stacks.is_empty() {
            print!("{}", inert(&stacks_text(&sketch, &report)));
        }
    }
    match report.budget_usd {
        Some(b) if report.over_budget() => Err(Failure::Exit(
            3,
            format!(
                "over budget: {} a month is more than {}",
                money(report.total_monthly_usd),
                money(b)
            ),
        )),
        _ => Ok(()),
    }
}

/// Drops float noise (0.30000000000000004) without hiding small prices.
fn clean(x: f64) -> f64 {
    // Adding zero also turns the -0.0 of an empty sum into 0.
    (x * 1e10).round() / 1e10 + 0.0
}

pub fn report_json(r: &CostReport) -> Value {
    json!({
        "currency": r.currency,
        "total_monthly_usd": clean(r.total_monthly_usd),
        "fixed_floor_usd": clean(r.fixed_floor_usd()),
        "budget_usd": r.budget_usd,
        "over_budget": r.over_budget(),
        "free_tier": r.free_tier,
        "prices_dated": r.prices_dated.as_ref().map(|(a, b)| json!({"oldest": a, "newest": b})),
        "services": r.services.iter().map(|s| json!({
            "id": s.id,
            "kind": s.kind.word(),
            "monthly_usd": clean(s.monthly_usd),
            "fixed_floor_usd": clean(s.fixed_floor_usd()),
            "components": s.components.iter().map(|c| json!({
                "name": c.name,
                "quantity": clean(c.quantity),
                "unit": c.unit,
                "unit_price": c.unit_price,
                "monthly_usd": clean(c.monthly_usd),
                "fixed_floor": c.fixed_floor,
            })).collect::<Vec<_>>(),
            "usage": s.usage.iter().map(|u| json!({
                "key": u.key,
                "value": clean(u.value),
                "source": u.source.describe(),
            })).collect::<Vec<_>>(),
        })).collect::<Vec<_>>(),
        "unpriced": r.unpriced.iter().map(|u| json!({
            "id": u.id,
            "kind": u.kind.word(),
            "reason": u.reason,
        })).collect::<Vec<_>>(),
        "notes": r.notes,
    })
}

pub use crate::cost::{money, quantity};

pub fn report_text(r: &CostReport) -> String {
    let mut rows: Vec<[String; 4]> = Vec::new();
    for s in &r.services {
        rows.push([
            format!("{} ({})", s.id, s.kind),
            String::new(),
            String::new(),
            String::new(),
        ]);
        for (i, c) in s.components.iter().enumerate() {
            let branch = if i + 1 == s.components.len() {
                "└─"
            } else {
                "├─"
            };
            rows.push([
                format!("{branch} {}", c.name),
                quantity(c.quantity),
                c.unit.clone(),
                format!(
                    "{}{}",
                    money(c.monthly_usd),
                    if c.fixed_floor { " *" } else { "  " }
                ),
            ]);
        }
    }
    let total = [
        "TOTAL".to_string(),
        String::new(),
        String::new(),
        format!("{}  ", money(r.total_monthly_usd)),
    ];
    let head = [
        "Service / component".to_string(),
        "Quantity".into(),
        "Unit".into(),
        "Monthly cost  ".into(),
    ];
    let width = |i: usize| {
        rows.iter()
            .chain([&head, &total])
            .map(|r| r[i].chars().count())
            .max()
            .unwrap_or(0)
    };
    let w = [width(0), width(1), width(2), width(3)];
    let line = |r: &[String; 4]| {
        format!(
            " {:<w0$}  {:>w1$}  {:<w2$}  {:>w3$}\n",
            r[0],
            r[1],
            r[2],
            r[3],
            w0 = w[0],
            w1 = w[1],
            w2 = w[2],
            w3 = w[3]
        )
    };
    let mut out = line(&head);
    for row in &rows {
        out.push_str(&line(row));
    }
    out.push('\n');
    out.push_str(&line(&total));
    out.push('\n');
    if r.services.iter().any(|s| s.fixed_floor_usd() > 0.0) {
        out.push_str(&format!(
            " * fixed monthly floor, paid with no traffic at all: {} in total\n",
            money(r.fixed_floor_usd())
        ));
    }
    if let Some(b) = r.budget_usd {
        if r.over_budget() {
            out.push_str(&format!(
                " Budget {}: over by {}\n",
                money(b),
                money(r.total_monthly_usd - b)
            ));
        } else {
            out.push_str(&format!(
                " Budget {}: within it, {} to spare\n",
                money(b),
                money(b - r.total_monthly_usd)
            ));
        }
        for s in r.services.iter().filter(|s| s.breaks(b)) {
            out.push_str(&format!(
                "   `{}` alone costs {}, more than the budget\n",
                s.id,
                money(s.monthly_usd)
            ));
        }
    }
    let assumed: Vec<String> = r
        .services
        .iter()
        .flat_map(|s| {
            s.usage.iter().filter_map(move |u| match u.source {
                UsageSource::Default(_) | UsageSource::Flow(_) | UsageSource::TypeDefault(_) => {
                    Some(format!(
                        "   {}: {} = {} ({})\n",
                        s.id,
                        u.key,
                        quantity(u.value),
                        u.source.describe()
                    ))
                }
                _ => None,
            })
        })
        .collect();
    if !assumed.is_empty() {
        out.push_str("\n Usage not set explicitly (set it in the sketch or with --usage):\n");
        out.extend(assumed);
    }
    if !r.unpriced.is_empty() {
        out.push_str("\n Not priced:\n");
        for u in &r.unpriced {
            out.push_str(&format!("   {} ({}): {}\n", u.id, u.kind, u.reason));
        }
    }
    if !r.notes.is_empty() {
        out.push_str("\n Notes:\n");
        for n in &r.notes {
            out.push_str(&format!("   {n}\n"));
        }
    }
    out.push_str(&format!(
        "\n Prices in {}{}; free tier {}. `stacksketch cost --prices` lists their sources.\n",
        r.currency,
        match &r.prices_dated {
            Some((a, b)) if a != b => format!(", dated {a} to {b}"),
            Some((a, _)) => format!(", dated {a}"),
            None => String::new(),
        },
        if r.free_tier {
            "applied (always-free allowances only)"
        } else {
            "not applied (--free-tier applies the always-free allowances)"
        }
    ));
    out
}

fn prices_text(t: &PriceTable) -> String {
    let mut out = format!(
        "Price table: {} on-demand prices in {}",
        t.region, t.currency
    );
    if let Some((a, b)) = t.date_range() {
        out.push_str(&format!(", dated {a} to {b}"));
    }
    out.push_str(&format!(
        ".\nBuilt in from {}{}.\n\n",
        cost::prices::EMBEDDED_NAME,
        if t.overrides.is_empty() {
            String::new()
        } else {
            format!(", overridden by {}", t.overrides.join(", "))
        }
    ));
    let mut rows: Vec<[String; 6]> = vec![[
        "service".into(),
        "component".into(),
        "price".into(),
        "tier".into(),
        "free a month".into(),
        "source, date".into(),
    ]];
    for r in t.rows() {
        let mut usd = r.usd.to_string();
        match usd.split_once('.') {
            None => usd.push_str(".00"),
            Some((_, d)) if d.len() < 2 => usd.push('0'),
            _ => {}
        }
        rows.push([
            r.service.clone(),
            r.component.clone(),
            format!("${usd} / {}", r.unit),
            if r.tier_start > 0.0 {
                format!("over {}", r.tier_start_text())
            } else {
                String::new()
            },
            r.free_text.clone(),
            if r.source_date.is_empty() {
                r.source.clone()
            } else {
                format!("{}, {}", r.source, r.source_date)
            },
        ]);
    }
    let w: Vec<usize> = (0..6)
        .map(|i| rows.iter().map(|r| r[i].chars().count()).max().unwrap_or(0))
        .collect();
    for r in &rows {
        let mut line = String::new();
        for (i, cell) in r.iter().enumerate() {
            if i == 5 {
                line.push_str(cell);
            } else {
                line.push_str(&format!("{cell:<width$}  ", width = w[i]));
            }
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out.push_str("\nSources:\n");
    for (source, services) in t.sources() {
        out.push_str(&format!(
            "  {}: {}\n",
            if source.is_empty() {
                "(none given)"
            } else {
                &source
            },
            services.into_iter().collect::<Vec<_>>().join(", ")
        ));
    }
    out.push_str("\nOverride prices with --price-file FILE: rows in the same tab-separated columns replace\nthe components they name (all tiers) and add new ones.\n");
    out
}

fn prices_json(t: &PriceTable) -> Value {
    json!({
        "region": t.region,
        "currency": t.currency,
        "dated": t.date_range().map(|(a, b)| json!({"oldest": a, "newest": b})),
        "overrides": t.overrides,
        "rows": t.rows().iter().map(|r| json!({
            "service": r.service,
            "component": r.component,
            "unit": r.unit,
            "usd": r.usd,
            "tier_start": r.tier_start,
            "free_per_month": r.free_text,
            "source": r.source,
            "source_date": r.source_date,
        })).collect::<Vec<_>>(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn money_and_quantities_read_like_a_bill() {
        assert_eq!(money(1234.5), "$1,234.50");
        assert_eq!(money(0.004), "$0.00");
        assert_eq!(quantity(1_000_000.0), "1,000,000");
        assert_eq!(quantity(0.1), "0.1");
        assert_eq!(quantity(0.00095367), "0.0009537");
        assert_eq!(quantity(25000.0), "25,000");
    }
}

/// Each stack's share of a repository's bill, in the stacks' order.
fn per_stack(sketch: &crate::model::Sketch, r: &CostReport) -> Vec<(String, f64)> {
    sketch
        .stacks
        .iter()
        .map(|st| {
            let usd = r
                .services
                .iter()
                .filter(|s| crate::model::stack_of(&s.id) == Some(st.id.as_str()))
                .map(|s| s.monthly_usd)
                .sum();
            (st.id.clone(), usd)
        })
        .collect()
}

/// The bill of a repository by stack, and in total.
fn stacks_text(sketch: &crate::model::Sketch, r: &CostReport) -> String {
    let rows = per_stack(sketch, r);
    let w = rows
        .iter()
        .map(|(id, _)| id.chars().count())
        .max()
        .unwrap_or(5)
        .max(5);
    let mut out = String::from("\nBy stack\n");
    for (id, usd) in &rows {
        out.push_str(&format!("  {id:<w$}  {:>12}\n", money(*usd)));
    }
    out.push_str(&format!(
        "  {:<w$}  {:>12}\n",
        "Total",
        money(r.total_monthly_usd)
    ));
    out
}
