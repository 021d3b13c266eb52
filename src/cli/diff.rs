//! `diff OLD NEW`: what a change does to a system, its bill and its
//! checks. OLD and NEW are anything stacksketch reads, or `REV:PATH` read
//! from git; `diff PATH` compares the working tree with `HEAD`.

use std::io::IsTerminal;
use std::path::PathBuf;

use clap::{Args, ValueEnum};

use super::LevelArg;
use super::io::{self, Failure, Result};
use crate::cost::{CostOptions, PriceTable, UsageFile, money};
use crate::diff::{self, Diff, text::TextOptions};
use crate::document::git::{self, Checkout, Spec};
use crate::model::Sketch;

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum DiffFormat {
    /// Summary, cost and the marked diagram, for a terminal
    Text,
    /// Tables, the diagram and a Mermaid graph, for a pull request comment
    Markdown,
    /// {"services","connections","cost","checks"}, for tools
    Json,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ColorArg {
    /// When standard output is a terminal and NO_COLOR is not set
    Auto,
    Always,
    Never,
}

#[derive(Args, Debug)]
#[command(after_help = "Examples:
  stacksketch diff template.yaml                  the working tree against HEAD
  stacksketch diff HEAD~1:template.yaml template.yaml
  stacksketch diff main:infra/ infra/ --format markdown
  stacksketch diff old.yaml new.yaml --fail-on-cost-increase 50

REV:PATH reads PATH (from the current folder) as it was at REV, with git;
the working tree and the index are left alone.
Exit status: 0 when the diff is computed, whatever it holds; 2 when an input
cannot be read as asked; 3 with --fail-on-cost-increase, 4 with --fail-on-check.")]
pub struct DiffArgs {
    /// The old version: a template, Terraform folder, folder of stacks,
    /// .sketch.yaml file, or REV:PATH. Alone, a PATH compared with HEAD:PATH
    pub old: String,
    /// The new version, in the same forms
    pub new: Option<String>,
    /// What to print
    #[arg(long, value_enum, default_value = "text")]
    pub format: DiffFormat,
    /// Level of detail
    #[arg(long, value_enum, default_value = "service")]
    pub level: LevelArg,
    /// Draw with plain ASCII instead of Unicode box drawing
    #[arg(long)]
    pub ascii: bool,
    /// Colour the marks in the diagram
    #[arg(long, value_enum, default_value = "auto")]
    pub color: ColorArg,
    /// Fold the diagram to this many columns (default: the terminal's, or 100)
    #[arg(long, value_name = "N")]
    pub width: Option<usize>,
    /// Usage assumptions (infracost-usage.yml), the same for both versions
    #[arg(long, value_name = "FILE")]
    pub usage: Option<PathBuf>,
    /// Apply AWS's always-free allowances on both sides
    #[arg(long)]
    pub free_tier: bool,
    /// Exit with status 3 when the monthly estimate rises by more than USD
    #[arg(long, value_name = "USD")]
    pub fail_on_cost_increase: Option<f64>,
    /// Exit with status 4 when check finds something new
    #[arg(long)]
    pub fail_on_check: bool,
}

/// One side read: the sketch, and the copy it was read from, if any.
struct Side {
    sketch: Sketch,
    _copy: Option<Checkout>,
}

pub fn run(a: DiffArgs) -> Result<()> {
    if let Some(usd) = a.fail_on_cost_increase
        && !(usd.is_finite() && usd >= 0.0)
    {
        return Err(Failure::Usage(format!(
            "--fail-on-cost-increase must be an amount of USD, zero or more, not {usd}"
        )));
    }
    let (old_spec, new_spec) = specs(&a)?;
    let costs = cost_options(&a)?;
    let old = read(&old_spec)?;
    let new = read(&new_spec)?;
    let d = diff::diff(&old.sketch, &new.sketch, a.level.into(), &costs);
    print(&d, &a)?;
    verdict(&d, &a)
}

/// OLD and NEW; a single PATH is `HEAD:PATH` against PATH.
fn specs(a: &DiffArgs) -> Result<(Spec, Spec)> {
    match &a.new {
        Some(n) => Ok((Spec::parse(&a.old), Spec::parse(n))),
        None => match Spec::parse(&a.old) {
            Spec::Path(p) => Ok((
                Spec::Git {
                    rev: "HEAD".into(),
                    path: p.clone(),
                },
                Spec::Path(p),
            )),
            Spec::Git { .. } => Err(Failure::Usage(format!(
                "`{}` names an old version; give the new one too (or a PATH alone to compare with HEAD)",
                a.old
            ))),
        },
    }
}

fn cost_options(a: &DiffArgs) -> Result<CostOptions> {
    let usage_file = match &a.usage {
        Some(p) => {
            let name = io::display(p);
            let bytes = std::fs::read(p).map_err(|e| {
                Failure::Input(format!("{name}: cannot read it: {}", io::io_reason(&e)))
            })?;
            let text = crate::formats::check_text(&name, &bytes)?;
            Some(UsageFile::parse(&name, text)?)
        }
        None => None,
    };
    Ok(CostOptions {
        free_tier: a.free_tier,
        budget_usd: None,
        usage_file,
        prices: PriceTable::embedded(),
    })
}

/// Reads one side; a path that is not there, or a revision or path git
/// does not know, is a usage error (exit 2) naming the input.
fn read(spec: &Spec) -> Result<Side> {
    match spec {
        Spec::Path(p) => {
            if !p.exists() {
                return Err(Failure::Exit(
                    2,
                    format!("error: {}: no such file or folder", io::display(p)),
                ));
            }
            Ok(Side {
                sketch: io::load(p)?.sketch,
                _copy: None,
            })
        }
        Spec::Git { rev, path } => {
            let copy =
                git::checkout(rev, path).map_err(|e| Failure::Exit(2, format!("error: {e}")))?;
            let sketch = match io::load(&copy.path) {
                Ok(l) => l.sketch,
                Err(e) => return Err(Failure::Input(renamed(&e.to_string(), &copy, rev))),
            };
            Ok(Side {
                sketch,
                _copy: Some(copy),
            })
        }
    }
}

/// A message about the temporary copy, told of `REV:PATH` instead.
fn renamed(message: &str, copy: &Checkout, rev: &str) -> String {
    let root = format!("{}/", io::display(&copy.root));
    message.replace(&root, &format!("{rev}:"))
}

fn print(d: &Diff, a: &DiffArgs) -> Result<()> {
    let width = a.width.unwrap_or_else(super::render::default_width);
    let text = match a.format {
        DiffFormat::Json => diff::json::write(d),
        DiffFormat::Markdown => diff::markdown::write(d, width),
        DiffFormat::Text => diff::text::write(
            d,
            &TextOptions {
                width,
                ascii: a.ascii,
                colour: colour(a.color),
            },
        ),
    };
    write_out(&text)
}

fn colour(c: ColorArg) -> bool {
    match c {
        ColorArg::Always => true,
        ColorArg::Never => false,
        ColorArg::Auto => {
            std::io::stdout().is_terminal()
                && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
        }
    }
}

/// Writes text already made inert by the writers; a reader that stops
/// early (`| head`) is fine.
fn write_out(text: &str) -> Result<()> {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(Failure::Input(format!(
            "cannot write to standard output: {e}"
        ))),
        _ => Ok(()),
    }
}

/// Exit 3 for a bill that rose too much, 4 for new findings, when asked.
fn verdict(d: &Diff, a: &DiffArgs) -> Result<()> {
    if let Some(limit) = a.fail_on_cost_increase
        && diff::cents(d.cost.delta()) > diff::cents(limit)
    {
        return Err(Failure::Exit(
            3,
            format!(
                "the monthly estimate rises by {}, more than {}",
                money(d.cost.delta()),
                money(limit)
            ),
        ));
    }
    if a.fail_on_check && !d.new_checks.is_empty() {
        return Err(Failure::Exit(
            4,
            format!("check finds {} new thing(s)", d.new_checks.len()),
        ));
    }
    Ok(())
}
