//! The monthly cost of a sketch: services and their usage assumptions to a
//! [`CostReport`], priced from an embedded table of public prices (with its
//! date and sources) that a user file can override. Usage comes from the
//! sketch, an Infracost usage file, what flows in along the arrows, and
//! stated defaults, in that order; sizes come from the template itself.
//!
//! [`estimate`] is all the cost pane needs; [`slide`] gives the edit that
//! halves or doubles a service's main usage driver.

mod flow;
pub mod prices;
mod services;
pub mod template;
pub mod usage;

use std::collections::BTreeMap;

use crate::catalog::Kind;
use crate::model::{Edit, Sketch, Value};

pub use flow::{
    DEAD_LETTER_SHARE, ENTRY_EVENTS, ENTRY_EXECUTIONS, ENTRY_SCHEDULE, ENTRY_UPLOADS, RECORD_KB,
    STATES_PER_EXECUTION,
};
pub use prices::{HOURS_PER_MONTH, PriceRow, PriceTable};
pub use template::Shape;
pub use usage::UsageFile;

/// The budget a sketch starts with, the goal the project set out from
/// ("Max cost/month: $5"); configuration may change it.
pub const DEFAULT_BUDGET_USD: f64 = 5.0;

/// What to price with.
#[derive(Clone, Debug, Default)]
pub struct CostOptions {
    /// Apply AWS's always-free allowances (off by default, as Infracost does).
    pub free_tier: bool,
    pub budget_usd: Option<f64>,
    pub usage_file: Option<UsageFile>,
    pub prices: PriceTable,
}

/// One line of a service's bill.
#[derive(Clone, Debug, PartialEq)]
pub struct Component {
    pub name: String,
    /// In `unit`s: 0.1 of `1M requests` is 100,000 requests.
    pub quantity: f64,
    pub unit: String,
    pub unit_price: f64,
    pub monthly_usd: f64,
    /// Paid whether or not anything happens: hours, months.
    pub fixed_floor: bool,
}

/// Where a usage number came from.
#[derive(Clone, Debug, PartialEq)]
pub enum UsageSource {
    /// Set on the service in the sketch (or its sidecar).
    Sketch,
    /// `resource_usage` of the usage file.
    UsageFile,
    /// `resource_type_default_usage` of the usage file, for this type.
    TypeDefault(String),
    /// Flowed in along the arrows from these services.
    Flow(Vec<String>),
    /// stacksketch's own assumption, and what it is.
    Default(&'static str),
}

impl UsageSource {
    pub fn describe(&self) -> String {
        match self {
            UsageSource::Sketch => "set in the sketch".into(),
            UsageSource::UsageFile => "usage file".into(),
            UsageSource::TypeDefault(t) => format!("usage file default for {t}"),
            UsageSource::Flow(from) => format!(
                "flows from {}",
                from.iter()
                    .map(|f| format!("`{f}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            UsageSource::Default(why) => format!("default: {why}"),
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct UsageValue {
    pub key: String,
    pub value: f64,
    pub source: UsageSource,
}

/// The usage a slider moves.
#[derive(Clone, Debug, PartialEq)]
pub struct Driver {
    pub key: String,
    pub value: f64,
}

#[derive(Clone, Debug, PartialEq)]
pub struct ServiceCost {
    pub id: String,
    pub kind: Kind,
    pub monthly_usd: f64,
    pub components: Vec<Component>,
    /// The usage this bill was computed from.
    pub usage: Vec<UsageValue>,
    pub driver: Option<Driver>,
}

impl ServiceCost {
    /// What the service costs even when idle.
    pub fn fixed_floor_usd(&self) -> f64 {
        self.components
            .iter()
            .filter(|c| c.fixed_floor)
            .fold(0.0, |sum, c| sum + c.monthly_usd)
    }
    /// Whether this service alone costs more than the budget.
    pub fn breaks(&self, budget_usd: f64) -> bool {
        self.monthly_usd > budget_usd
    }
}

/// A service that costs money but is not priced, and why.
#[derive(Clone, Debug, PartialEq)]
pub struct Unpriced {
    pub id: String,
    pub kind: Kind,
    pub reason: String,
}

#[derive(Clone, Debug, PartialEq)]
pub struct CostReport {
    pub currency: String,
    pub total_monthly_usd: f64,
    /// Priced services in source order; free ones are left out.
    pub services: Vec<ServiceCost>,
    pub unpriced: Vec<Unpriced>,
    /// Loops in the flow, unused usage-file entries, prices that are missing.
    pub notes: Vec<String>,
    pub budget_usd: Option<f64>,
    pub free_tier: bool,
    /// Oldest and newest dates of the prices used.
    pub prices_dated: Option<(String, String)>,
}

impl CostReport {
    pub fn service(&self, id: &str) -> Option<&ServiceCost> {
        self.services.iter().find(|s| s.id == id)
    }
    pub fn over_budget(&self) -> bool {
        self.budget_usd.is_some_and(|b| self.total_monthly_usd > b)
    }
    /// What the design costs with no traffic at all.
    pub fn fixed_floor_usd(&self) -> f64 {
        self.services
            .iter()
            .fold(0.0, |sum, s| sum + s.fixed_floor_usd())
    }
}

struct Looked<'a>(Option<&'a BTreeMap<String, UsageValue>>);

impl services::Usage for Looked<'_> {
    fn q(&self, key: &str) -> f64 {
        self.0
            .and_then(|u| u.get(key))
            .map(|v| v.value)
            .unwrap_or(0.0)
    }
}

/// Prices a sketch.
pub fn estimate(sketch: &Sketch, options: &CostOptions) -> CostReport {
    let shapes: Vec<_> = sketch
        .services()
        .map(|s| (s, template::shape(sketch, s)))
        .collect();
    let resolved = flow::resolve(sketch, &shapes, options.usage_file.as_ref());
    let mut notes = resolved.notes.clone();
    let mut biller = services::Biller::new(&options.prices, options.free_tier);
    let mut out = Vec::new();
    let mut unpriced = Vec::new();
    for (svc, shape) in &shapes {
        let usage = resolved.usage.get(&svc.id);
        match services::price(shape, &Looked(usage), &mut biller, &mut notes, &svc.id) {
            Ok(components) if components.is_empty() => {}
            Ok(components) => {
                let driver = flow::driver(shape).map(|k| Driver {
                    key: k.to_string(),
                    value: Looked(usage).value(k),
                });
                out.push(ServiceCost {
                    id: svc.id.clone(),
                    kind: svc.kind,
                    monthly_usd: components.iter().fold(0.0, |sum, c| sum + c.monthly_usd),
                    components,
                    usage: usage
                        .map(|u| u.values().cloned().collect())
                        .unwrap_or_default(),
                    driver,
                });
                if let Some(m) = &svc.multiplicity {
                    notes.push(format!("`{}` is repeated ({m}); it is priced once", svc.id));
                }
            }
            Err(reason) => unpriced.push(Unpriced {
                id: svc.id.clone(),
                kind: svc.kind,
                reason,
            }),
        }
    }
    CostReport {
        currency: options.prices.currency.clone(),
        total_monthly_usd: out.iter().fold(0.0, |sum, s| sum + s.monthly_usd),
        services: out,
        unpriced,
        notes,
        budget_usd: options.budget_usd,
        free_tier: options.free_tier,
        prices_dated: options.prices.date_range(),
    }
}

impl Looked<'_> {
    fn value(&self, key: &str) -> f64 {
        services::Usage::q(self, key)
    }
}

/// Which way a slider moves.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Slide {
    Halve,
    Double,
}

/// The edit that halves or doubles a service's main usage driver, as usage
/// set on the service (so it wins over what flows in, and is undoable).
/// `None` when the service has nothing to slide.
pub fn slide(sketch: &Sketch, options: &CostOptions, id: &str, way: Slide) -> Option<Edit> {
    let report = estimate(sketch, options);
    let driver = report.service(id)?.driver.clone()?;
    let next = match (way, driver.value) {
        (Slide::Double, v) if v <= 0.0 => start_value(&driver.key),
        (Slide::Double, v) => v * 2.0,
        (Slide::Halve, v) => v / 2.0,
    };
    Some(Edit::SetUsage {
        id: id.to_string(),
        key: driver.key,
        value: Some(number_value(next)),
    })
}

/// Where doubling starts from nothing: a small but visible amount.
fn start_value(key: &str) -> f64 {
    if key.ends_with("_gb") || key.ends_with("_per_hr") {
        1.0
    } else {
        1000.0
    }
}

/// Whole numbers stay whole in the sketch file.
fn number_value(v: f64) -> Value {
    if v.fract() == 0.0 && v.abs() < 9e15 {
        Value::from(v as i64)
    } else {
        Value::from((v * 1e6).round() / 1e6)
    }
}

#[cfg(test)]
mod tests;

pub fn money(x: f64) -> String {
    let cents = (x * 100.0).round() as i64;
    format!("${}.{:02}", group(cents / 100), (cents % 100).abs())
}

fn group(n: i64) -> String {
    let s = n.abs().to_string();
    let mut out = String::new();
    for (i, ch) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(ch);
    }
    if n < 0 { format!("-{out}") } else { out }
}

/// 1234567 → `1,234,567`; 0.1 → `0.1`; 0.000953 → `0.000953`.
pub fn quantity(x: f64) -> String {
    if x == 0.0 {
        return "0".into();
    }
    if x.abs() >= 1000.0 || x.fract() == 0.0 {
        return group(x.round() as i64);
    }
    let digits = (3 - x.abs().log10().floor() as i32).clamp(1, 9) as usize;
    let s = format!("{x:.digits$}");
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}
