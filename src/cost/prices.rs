//! The price table: public on-demand prices as data, one price component a
//! row, with tiers (by the usage where each starts), free allowances, and the
//! source and date of every figure. The table ships embedded from
//! `data/prices-us-east-1.tsv`; a user file in the same format overrides it.

use std::collections::{BTreeMap, BTreeSet};

use crate::formats::FormatError;

/// The embedded table, as text.
pub const EMBEDDED: &str = include_str!("../../data/prices-us-east-1.tsv");
/// Where the embedded table lives in the project, for messages.
pub const EMBEDDED_NAME: &str = "data/prices-us-east-1.tsv";

/// Hours in the month every estimate prices (365 × 24 / 12), as AWS and Infracost use.
pub const HOURS_PER_MONTH: f64 = 730.0;

const COLUMNS: usize = 8;

/// What a row says about free usage.
#[derive(Clone, Debug, PartialEq)]
pub enum Free {
    None,
    /// An always-free monthly allowance, in the row's base unit (requests,
    /// GB-seconds, GB, ...; for per-hour rows, units held all month).
    Always(f64),
    /// Shares the always-free allowance of another component of the same
    /// service: the one it names (`shared with duration_x86`), else the first.
    Shared,
    /// An allowance that is not always free (first 12 months, say); shown, never applied.
    Limited(String),
}

#[derive(Clone, Debug, PartialEq)]
pub struct PriceRow {
    pub service: String,
    pub component: String,
    /// The unit a price is quoted in, such as `1M requests` or `GB-second`.
    pub unit: String,
    pub usd: f64,
    /// The usage, in the unit without its `1M`/`1k` prefix, where this tier starts.
    pub tier_start: f64,
    pub free: Free,
    /// The allowance as the table writes it.
    pub free_text: String,
    pub source: String,
    pub source_date: String,
    /// The file the row came from: the embedded table or an override.
    pub file: String,
}

/// All tiers of one component, cheapest-last order as usage grows.
#[derive(Clone, Debug, PartialEq)]
pub struct Price<'a> {
    pub tiers: Vec<&'a PriceRow>,
}

impl Price<'_> {
    pub fn unit(&self) -> &str {
        &self.tiers[0].unit
    }
    /// How many base units one priced unit holds (`1M requests` holds a million).
    pub fn divisor(&self) -> f64 {
        unit_divisor(self.unit())
    }
    /// The price of the first tier, per priced unit.
    pub fn first_usd(&self) -> f64 {
        self.tiers[0].usd
    }
    pub fn free(&self) -> &Free {
        &self.tiers[0].free
    }
    /// Splits usage `[from, to)` (base units) over the tiers: one
    /// `(tier index, base quantity)` for every tier the range touches. Usage
    /// below the first tier's start is free: AWS prices some components
    /// (SNS publishes, CloudFront invalidations) only above an allowance.
    pub fn split(&self, from: f64, to: f64) -> Vec<(usize, f64)> {
        let mut out = Vec::new();
        for (i, row) in self.tiers.iter().enumerate() {
            let start = row.tier_start.max(from);
            let end = self
                .tiers
                .get(i + 1)
                .map(|next| next.tier_start)
                .unwrap_or(f64::INFINITY)
                .min(to);
            if end > start {
                out.push((i, end - start));
            }
        }
        out
    }
}

/// How many base units a priced unit holds: `1M requests` (or plain `1M`)
/// is 1,000,000, `10k requests` 10,000, `GB-second` 1.
pub fn unit_divisor(unit: &str) -> f64 {
    let first = unit.split_whitespace().next().unwrap_or("");
    parse_amount(first).unwrap_or(1.0)
}

/// `1M` → 1e6, `2.5M` → 2.5e6, `100k` → 1e5, `6e9` → 6e9, `10TB` → 10240 (GB).
pub fn parse_amount(text: &str) -> Option<f64> {
    let t = text.trim();
    if t.is_empty() {
        return None;
    }
    if let Ok(v) = t.parse::<f64>() {
        return Some(v);
    }
    let (num, mult) = if let Some(n) = t.strip_suffix("TB") {
        (n, 1024.0)
    } else if let Some(n) = t.strip_suffix('k') {
        (n, 1e3)
    } else if let Some(n) = t.strip_suffix('M') {
        (n, 1e6)
    } else if let Some(n) = t.strip_suffix('B') {
        (n, 1e9)
    } else {
        return None;
    };
    num.trim().parse::<f64>().ok().map(|v| v * mult)
}

/// 333e6 → `333M`, 7.5e9 → `7.5B`, 10240 GB → `10TB`: how tiers are named.
pub fn short_amount(v: f64, gb: bool) -> String {
    let trim = |x: f64| {
        let s = format!("{:.2}", x);
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    };
    if gb && v >= 1024.0 {
        return format!("{}TB", trim(v / 1024.0));
    }
    for (div, suffix) in [(1e9, "B"), (1e6, "M"), (1e3, "K")] {
        if v >= div {
            return format!("{}{suffix}", trim(v / div));
        }
    }
    trim(v)
}

impl PriceRow {
    /// Where the tier starts, in words: `333M requests`, `10TB`.
    pub fn tier_start_text(&self) -> String {
        let mut words = self.unit.split_whitespace();
        let first = words.next().unwrap_or("");
        let rest: Vec<&str> = if parse_amount(first).is_some() {
            words.collect()
        } else {
            self.unit.split_whitespace().collect()
        };
        let gb = self.unit.starts_with("GB") && !self.unit.contains('-');
        let amount = short_amount(self.tier_start, gb);
        if gb || rest.is_empty() {
            amount
        } else {
            format!("{amount} {}", rest.join(" "))
        }
    }
}

fn parse_free(text: &str) -> Free {
    let t = text.trim();
    let lower = t.to_ascii_lowercase();
    if t.is_empty() || lower == "none" {
        return Free::None;
    }
    if lower.contains("shared") {
        return Free::Shared;
    }
    if !lower.contains("always") {
        return Free::Limited(t.to_string());
    }
    let mut words = t.split_whitespace();
    let amount = words.next().and_then(parse_amount);
    let scale = match words.next() {
        Some("TB") => 1024.0,
        _ => 1.0,
    };
    match amount {
        Some(a) => Free::Always(a * scale),
        None => Free::Limited(t.to_string()),
    }
}

/// The whole table, with what it says about itself.
#[derive(Clone, Debug, PartialEq)]
pub struct PriceTable {
    pub region: String,
    pub currency: String,
    rows: Vec<PriceRow>,
    /// Files that overrode the embedded table, in order.
    pub overrides: Vec<String>,
}

impl Default for PriceTable {
    fn default() -> Self {
        PriceTable::embedded()
    }
}

impl PriceTable {
    /// The table shipped with stacksketch.
    pub fn embedded() -> PriceTable {
        PriceTable::parse(EMBEDDED_NAME, EMBEDDED).expect("the embedded price table is valid")
    }

    /// Reads a table in the TSV format of the embedded one.
    pub fn parse(name: &str, text: &str) -> Result<PriceTable, FormatError> {
        let mut table = PriceTable {
            region: String::new(),
            currency: "USD".to_string(),
            rows: Vec::new(),
            overrides: Vec::new(),
        };
        for (i, line) in text.lines().enumerate() {
            let line_no = i + 1;
            if let Some(meta) = line.strip_prefix('#') {
                if let Some((k, v)) = meta.split_once(':') {
                    match k.trim() {
                        "region" => table.region = v.trim().to_string(),
                        "currency" => table.currency = v.trim().to_string(),
                        _ => {}
                    }
                }
                continue;
            }
            if line.trim().is_empty() {
                continue;
            }
            table.rows.push(parse_row(name, line_no, line)?);
        }
        Ok(table)
    }

    /// Replaces components with those of an override file: every
    /// (service, component) the file names takes all its tiers from the file;
    /// components the table lacks are added. Returns how many components changed.
    pub fn apply_overrides(&mut self, name: &str, text: &str) -> Result<usize, FormatError> {
        let other = PriceTable::parse(name, text)?;
        let named: BTreeSet<(String, String)> = other
            .rows
            .iter()
            .map(|r| (r.service.clone(), r.component.clone()))
            .collect();
        self.rows
            .retain(|r| !named.contains(&(r.service.clone(), r.component.clone())));
        self.rows.extend(other.rows);
        self.overrides.push(name.to_string());
        Ok(named.len())
    }

    pub fn rows(&self) -> &[PriceRow] {
        &self.rows
    }

    /// Whether the table has any row for a price-table service.
    pub fn has_service(&self, service: &str) -> bool {
        self.rows.iter().any(|r| r.service == service)
    }

    /// The tiers of one component, or `None` when the table lacks it.
    pub fn price(&self, service: &str, component: &str) -> Option<Price<'_>> {
        let mut tiers: Vec<&PriceRow> = self
            .rows
            .iter()
            .filter(|r| r.service == service && r.component == component)
            .collect();
        if tiers.is_empty() {
            return None;
        }
        tiers.sort_by(|a, b| a.tier_start.total_cmp(&b.tier_start));
        Some(Price { tiers })
    }

    /// The oldest and newest dates its sources show.
    pub fn date_range(&self) -> Option<(String, String)> {
        let dates: BTreeSet<&str> = self
            .rows
            .iter()
            .map(|r| r.source_date.as_str())
            .filter(|d| !d.is_empty())
            .collect();
        Some((dates.first()?.to_string(), dates.last()?.to_string()))
    }

    /// Each distinct source with the price-table services it supplies.
    pub fn sources(&self) -> BTreeMap<String, BTreeSet<String>> {
        let mut out: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        for r in &self.rows {
            out.entry(r.source.clone())
                .or_default()
                .insert(r.service.clone());
        }
        out
    }

    /// The component whose always-free allowance a `Shared` row draws on.
    pub(super) fn pool_of<'a>(&'a self, row: &'a PriceRow) -> (&'a str, &'a str) {
        if row.free == Free::Shared {
            // "(shared with duration_x86)" names the component; a bare
            // "(shared 1M)" means the service's own always-free allowance.
            let named = row
                .free_text
                .split_once("with ")
                .map(|(_, c)| c.trim_end_matches(')').trim());
            if let Some(owner) = self.rows.iter().find(|r| {
                r.service == row.service
                    && matches!(r.free, Free::Always(_))
                    && named.is_none_or(|c| r.component == c)
            }) {
                return (&owner.service, &owner.component);
            }
        }
        (&row.service, &row.component)
    }
}

fn parse_row(name: &str, line: usize, text: &str) -> Result<PriceRow, FormatError> {
    let cols: Vec<&str> = text.split('\t').collect();
    if cols.len() < 5 {
        return Err(FormatError::new(
            name,
            line,
            1,
            format!(
                "a price row needs at least 5 tab-separated columns, this one has {}",
                cols.len()
            ),
        )
        .hint("service, component, unit, usd, tier_start[, free_per_month, source, source_date]"));
    }
    let col = |i: usize| cols.get(i).map(|c| c.trim()).unwrap_or("");
    let column_of = |i: usize| cols[..i].iter().map(|c| c.len() + 1).sum::<usize>() + 1;
    let usd: f64 = col(3).parse().map_err(|_| {
        FormatError::new(
            name,
            line,
            column_of(3),
            format!("`{}` is not a price in USD", col(3)),
        )
    })?;
    let tier_start = parse_amount(col(4)).ok_or_else(|| {
        FormatError::new(
            name,
            line,
            column_of(4),
            format!(
                "`{}` is not a tier start (a number such as 0, 6e9 or 10TB)",
                col(4)
            ),
        )
    })?;
    if cols.len() > COLUMNS {
        return Err(FormatError::new(
            name,
            line,
            column_of(COLUMNS),
            format!("a price row has at most {COLUMNS} columns"),
        ));
    }
    Ok(PriceRow {
        service: col(0).to_string(),
        component: col(1).to_string(),
        unit: col(2).to_string(),
        usd,
        tier_start,
        free: parse_free(col(5)),
        free_text: col(5).to_string(),
        source: col(6).to_string(),
        source_date: col(7).to_string(),
        file: name.to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_table_reads_with_its_region_and_dates() {
        let t = PriceTable::embedded();
        assert_eq!(t.region, "us-east-1");
        assert_eq!(t.currency, "USD");
        let (oldest, newest) = t.date_range().unwrap();
        assert_eq!(oldest, "2024-07-01");
        assert!(newest >= oldest);
    }

    #[test]
    fn amounts_and_units() {
        assert_eq!(parse_amount("333e6"), Some(333e6));
        assert_eq!(parse_amount("7.5e9"), Some(7.5e9));
        assert_eq!(parse_amount("10TB"), Some(10240.0));
        assert_eq!(parse_amount("100k"), Some(1e5));
        assert_eq!(unit_divisor("1M requests"), 1e6);
        assert_eq!(unit_divisor("10k requests"), 1e4);
        assert_eq!(unit_divisor("100k"), 1e5);
        assert_eq!(unit_divisor("GB-second"), 1.0);
    }

    #[test]
    fn tier_starts_in_words() {
        let t = PriceTable::embedded();
        let p = t.price("apigw_rest", "requests").unwrap();
        assert_eq!(p.tiers[1].tier_start_text(), "333M requests");
        let p = t.price("cloudfront", "data_out_us_eu").unwrap();
        assert_eq!(p.tiers[1].tier_start_text(), "10TB");
        let p = t.price("lambda", "duration_arm64").unwrap();
        assert_eq!(p.tiers[2].tier_start_text(), "18.75B GB-second");
    }

    #[test]
    fn free_allowances() {
        assert_eq!(parse_free("400000 GB-s (always)"), Free::Always(400000.0));
        assert_eq!(parse_free("2.5M (always)"), Free::Always(2.5e6));
        assert_eq!(parse_free("1 TB (always)"), Free::Always(1024.0));
        assert_eq!(parse_free("(shared 1M)"), Free::Shared);
        assert!(matches!(
            parse_free("1M (12 months only)"),
            Free::Limited(_)
        ));
        assert_eq!(parse_free("none"), Free::None);
    }

    #[test]
    fn tiers_split_usage_at_their_edges() {
        let t = PriceTable::embedded();
        let p = t.price("apigw_rest", "requests").unwrap();
        // 400M requests: 333M in the first tier, 67M in the second.
        assert_eq!(p.split(0.0, 400e6), vec![(0, 333e6), (1, 67e6)]);
        // Exactly at the edge nothing spills into the next tier.
        assert_eq!(p.split(0.0, 333e6), vec![(0, 333e6)]);
    }

    #[test]
    fn overrides_replace_whole_components_and_add_new_ones() {
        let mut t = PriceTable::embedded();
        let n = t
            .apply_overrides(
                "mine.tsv",
                "sqs\tstandard_requests(64KB chunks)\t1M requests\t0.30\t0\n\
                 firehose\tdata_ingested\tGB\t0.029\t0\t\tmy quote\t2026-01-01\n",
            )
            .unwrap();
        assert_eq!(n, 2);
        let sqs = t.price("sqs", "standard_requests(64KB chunks)").unwrap();
        assert_eq!(sqs.tiers.len(), 1);
        assert_eq!(sqs.first_usd(), 0.30);
        assert!(t.has_service("firehose"));
        assert_eq!(t.overrides, vec!["mine.tsv".to_string()]);
    }

    #[test]
    fn bad_rows_say_where() {
        let e = PriceTable::parse("p.tsv", "# c\nsqs\trequests\t1M\tcheap\t0\n").unwrap_err();
        assert_eq!((e.line, e.column), (2, 17));
        assert!(e.message.contains("cheap"));
    }
}
