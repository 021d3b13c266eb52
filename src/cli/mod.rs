//! The command line: thin glue over the other rooms. With no subcommand it
//! opens the whiteboard; subcommands export, edit, render and price sketches
//! without a terminal UI.

pub mod cost;
pub mod diff;
pub mod io;
pub mod render;

use crate::catalog::Kind;
use std::path::{Path, PathBuf};

use clap::{Args, Parser, Subcommand, ValueEnum};

use self::io::{Failure, Result};
use crate::command;
use crate::formats::{self, Format, Output};
use crate::model::{Dialect, Level, Sketch, Source, inert};

#[derive(Parser, Debug)]
#[command(
    name = "stacksketch",
    version,
    about = "Whiteboard cloud architectures in the terminal; turn sketches into AWS SAM or Terraform and back",
    long_about = "Whiteboard cloud and serverless architectures in the terminal.\n\n\
With no arguments, opens a built-in example. Give a SAM/CloudFormation template, \
a Terraform folder or a .sketch.yaml file to open it; opening never writes anything.",
    args_conflicts_with_subcommands = true
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
    /// A template, Terraform folder or .sketch.yaml file to open
    pub path: Option<PathBuf>,
    /// Colour theme: dark, light, high-contrast or monochrome
    #[arg(long)]
    pub theme: Option<String>,
    /// Draw with plain ASCII instead of Unicode box drawing
    #[arg(long)]
    pub ascii: bool,
    /// Step through the git history of PATH: each commit that touched it
    /// against the one before ([ older, ] newer, esc back to the sketch)
    #[arg(long, requires = "path")]
    pub history: bool,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Write a sketch as JSON, SAM, a sketch file, ...
    Export(ExportArgs),
    /// Edit a sketch with commands and write the result
    Apply(ApplyArgs),
    /// Estimate the monthly cost of a sketch, with usage flowing along its arrows
    Cost(cost::CostArgs),
    /// Draw a sketch as text: boxes and arrows
    Render(render::RenderArgs),
    /// List what looks wrong: loose services, loops, connections that make no sense
    Check(CheckArgs),
    /// What a change does: services, connections, properties, cost and checks, OLD against NEW (or a git revision)
    Diff(diff::DiffArgs),
    /// Start an empty sketch; `:w` creates PATH (.yaml SAM, .tf or a folder Terraform, .sketch.yaml)
    New(NewArgs),
}

#[derive(Args, Debug)]
pub struct NewArgs {
    /// The file or folder `:w` creates; it must not exist yet
    pub path: Option<PathBuf>,
    /// Colour theme: dark, light, high-contrast or monochrome
    #[arg(long)]
    pub theme: Option<String>,
    /// Draw with plain ASCII instead of Unicode box drawing
    #[arg(long)]
    pub ascii: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum OutFormat {
    /// The graph as JSON: {"nodes":[...],"edges":[...]}
    Json,
    /// An AWS SAM template (YAML, or JSON when writing over a JSON template)
    Sam,
    /// The native .sketch.yaml file
    Sketch,
    /// Box and arrow positions in cells: {"width","height","boxes":[...],"edges":[...]}
    LayoutJson,
    /// A Mermaid flowchart
    Mermaid,
    /// A Graphviz DOT digraph
    Dot,
    /// A Terraform folder (-o DIR), or one .tf file when it fits in one
    Terraform,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum LevelArg {
    System,
    Service,
    Resource,
}

impl From<LevelArg> for Level {
    fn from(l: LevelArg) -> Level {
        match l {
            LevelArg::System => Level::System,
            LevelArg::Service => Level::Service,
            LevelArg::Resource => Level::Resource,
        }
    }
}

#[derive(Args, Debug)]
pub struct ExportArgs {
    /// A template, Terraform folder, folder of stacks or .sketch.yaml file
    pub input: PathBuf,
    /// More templates or folders, read together with INPUT as one system
    #[arg(value_name = "MORE")]
    pub more: Vec<PathBuf>,
    /// What to write; by default what OUT's name says
    #[arg(long, value_enum)]
    pub to: Option<OutFormat>,
    /// Where to write (default: standard output)
    #[arg(short, long)]
    pub output: Option<PathBuf>,
    /// Replace an output file even when it is read-only
    #[arg(long)]
    pub force: bool,
    /// Level of detail for graph formats
    #[arg(long, value_enum, default_value = "service")]
    pub level: LevelArg,
    /// Language of new functions and of the starter handlers written for
    /// functions whose code folder does not exist yet: python or node
    #[arg(long, value_name = "LANG", value_parser = parse_runtime)]
    pub runtime: Option<crate::code::Runtime>,
    /// Read the functions' handler code and add the calls it makes that the
    /// template does not declare, as inferred edges (graph formats only)
    #[arg(long)]
    pub code: bool,
}

#[derive(Args, Debug)]
pub struct CheckArgs {
    /// A template, Terraform folder, folder of stacks or .sketch.yaml file
    pub input: PathBuf,
    /// More templates or folders, read together with INPUT as one system
    #[arg(value_name = "MORE")]
    pub more: Vec<PathBuf>,
    /// Level of detail to check
    #[arg(long, value_enum, default_value = "service")]
    pub level: LevelArg,
    /// Exit with status 4 when there is anything to report (for CI)
    #[arg(long)]
    pub strict: bool,
    /// Also read the functions' handler code: calls the role does not
    /// allow, grants the code never uses, calls whose resource is unknown
    #[arg(long)]
    pub code: bool,
}

#[derive(Args, Debug)]
pub struct ApplyArgs {
    /// The sketch to start from (default: an empty sketch)
    pub input: Option<PathBuf>,
    /// A command, such as "add queue Jobs" (repeatable; run in order)
    #[arg(short = 'c', long = "command", value_name = "CMD")]
    pub commands: Vec<String>,
    /// A file of commands, one per line (run after the -c commands)
    #[arg(long, value_name = "FILE")]
    pub script: Option<PathBuf>,
    /// Where to write; the format follows its name (.sketch.yaml, .yaml/.yml/.json, .tf or a folder)
    #[arg(short, long)]
    pub output: Option<PathBuf>,
    /// Replace an output file even when it is read-only
    #[arg(long)]
    pub force: bool,
    /// What to write, when OUT's name does not say
    #[arg(long, value_enum)]
    pub to: Option<OutFormat>,
    /// Level of detail for graph formats
    #[arg(long, value_enum, default_value = "service")]
    pub level: LevelArg,
    /// Language of new functions and of the starter handlers written for
    /// functions whose code folder does not exist yet: python or node
    #[arg(long, value_name = "LANG", value_parser = parse_runtime)]
    pub runtime: Option<crate::code::Runtime>,
}

fn parse_runtime(word: &str) -> std::result::Result<crate::code::Runtime, String> {
    crate::code::Runtime::parse(word).ok_or_else(|| {
        format!("`{word}` is not a language starters are written in: use python or node")
    })
}

/// Runs the command line; returns the process exit code.
pub fn main() -> i32 {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            return match e.kind() {
                clap::error::ErrorKind::DisplayHelp | clap::error::ErrorKind::DisplayVersion => {
                    let _ = e.print();
                    0
                }
                _ => {
                    // The message may quote an argument, which may be hostile.
                    eprint!("{}", inert(&e.render().to_string()));
                    2
                }
            };
        }
    };
    match run(cli) {
        Ok(()) => 0,
        Err(Failure::Input(m)) => {
            say(&inert(&m));
            1
        }
        Err(Failure::Usage(m)) => {
            say(&format!(
                "error: {}\n\nFor more information, try '--help'.",
                inert(&m)
            ));
            2
        }
        Err(Failure::Exit(code, m)) => {
            if !m.is_empty() {
                say(&inert(&m));
            }
            code
        }
    }
}

/// A line on standard error; one that cannot be written (the terminal is
/// gone) is dropped rather than ending in a panic.
fn say(text: &str) {
    use std::io::Write;
    let _ = writeln!(std::io::stderr(), "{text}");
}

fn run(cli: Cli) -> Result<()> {
    match cli.command {
        Some(Command::Export(a)) => export(a),
        Some(Command::Apply(a)) => apply(a),
        Some(Command::Cost(a)) => cost::run(a),
        Some(Command::Render(a)) => render::run(a),
        Some(Command::Check(a)) => check(a),
        Some(Command::Diff(a)) => diff::run(a),
        Some(Command::New(a)) => new(a),
        None => open(
            cli.path.as_deref(),
            cli.theme.as_deref(),
            cli.ascii,
            cli.history,
        ),
    }
}

/// `new`: the whiteboard on an empty sketch.
fn new(a: NewArgs) -> Result<()> {
    use std::io::IsTerminal;
    if !(std::io::stdout().is_terminal() && std::io::stdin().is_terminal()) {
        return Err(Failure::Usage(
            "`new` starts the whiteboard, which needs a terminal".to_string(),
        ));
    }
    crate::tui::start(a.path.as_deref(), a.theme.as_deref(), a.ascii, true, false)
}

/// `PATH --history`: the whiteboard stepping through PATH's commits. What
/// would only show as an error inside the app is said before it starts.
fn open_history(path: Option<&Path>, theme: Option<&str>, ascii: bool) -> Result<()> {
    use std::io::IsTerminal;
    let Some(path) = path else {
        return Err(Failure::Usage("--history needs a PATH".into()));
    };
    if !path.exists() {
        return Err(Failure::Usage(format!(
            "{}: no such file or folder",
            io::display(path)
        )));
    }
    let commits = crate::document::git::log(path)
        .map_err(|e| Failure::Input(e.to_string()))?
        .commits;
    if commits.is_empty() {
        return Err(Failure::Input(format!(
            "{}: no commit touches it, so it has no history to step through",
            io::display(path)
        )));
    }
    if !(std::io::stdout().is_terminal() && std::io::stdin().is_terminal()) {
        return Err(Failure::Usage(format!(
            "--history is a view in the whiteboard, which needs a terminal; `stacksketch diff {}~1:{} {}:{}` compares two versions as text",
            commits[0].short,
            io::display(path),
            commits[0].short,
            io::display(path)
        )));
    }
    crate::tui::start(Some(path), theme, ascii, false, true)
}

/// Opening: the whiteboard in a terminal; piped, the diagram as text.
fn open(path: Option<&Path>, theme: Option<&str>, ascii: bool, history: bool) -> Result<()> {
    use std::io::IsTerminal;
    if history {
        return open_history(path, theme, ascii);
    }
    // A mistyped subcommand reads as a path; one that is not there and is
    // close to a subcommand's name is most likely the subcommand.
    if let Some(p) = path.filter(|p| !p.exists())
        && let Some(word) = p.to_str().filter(|w| !w.contains(['.', '/']))
    {
        use clap::CommandFactory;
        let cmd = Cli::command();
        let names: Vec<&str> = cmd.get_subcommands().map(|c| c.get_name()).collect();
        let hint = command::did_you_mean(word, names);
        if !hint.is_empty() {
            return Err(Failure::Usage(format!(
                "`{word}` is neither a subcommand nor a file{hint}"
            )));
        }
    }
    if std::io::stdout().is_terminal() && std::io::stdin().is_terminal() {
        return crate::tui::start(path, theme, ascii, false, false);
    }
    let sketch = match path {
        Some(p) => io::load(p)?.sketch,
        None => io::example(),
    };
    // A folder of stacks opens on the whole system, as in the whiteboard.
    let level = if sketch.stacks.is_empty() {
        Level::Service
    } else {
        Level::System
    };
    render::print_out(&render::diagram(
        &sketch,
        level,
        Default::default(),
        render::default_width(),
        ascii,
    ))?;
    Ok(())
}

fn format_of(to: Option<OutFormat>, out: Option<&Path>) -> Result<OutFormat> {
    if let Some(t) = to {
        return Ok(t);
    }
    let name = out
        .and_then(|p| p.file_name())
        .and_then(|f| f.to_str())
        .unwrap_or("");
    // A folder (one that exists, or a name ending in a separator) can only
    // hold Terraform.
    let folder_named = out.is_some_and(|p| {
        let s = p.as_os_str().to_string_lossy();
        s.ends_with('/') || s.ends_with(std::path::MAIN_SEPARATOR)
    });
    if out.is_some_and(Path::is_dir) || folder_named {
        return Ok(OutFormat::Terraform);
    }
    match Format::from_path(name) {
        Some(Format::Sketch) => Ok(OutFormat::Sketch),
        Some(Format::Terraform) => Ok(OutFormat::Terraform),
        Some(Format::Sam) if name.ends_with(".json") && !name.contains("template") => {
            Ok(OutFormat::Json)
        }
        Some(Format::Sam) => Ok(OutFormat::Sam),
        _ => Err(Failure::Usage(match out {
            Some(o) => format!(
                "cannot tell what to write from the name `{}`; add --to json|sam|sketch|terraform",
                io::display(o)
            ),
            None => "say what to write with --to json|sam|sketch|terraform".to_string(),
        })),
    }
}

/// Renders a sketch in a format. When writing SAM over an existing template
/// that the sketch did not come from, that template is the baseline, so its
/// untouched text stays.
fn render_output(
    sketch: &Sketch,
    fmt: OutFormat,
    level: Level,
    out: Option<&Path>,
) -> Result<Output> {
    Ok(match fmt {
        OutFormat::Json => {
            Output::single("graph.json", formats::json::export(sketch, level), vec![])
        }
        OutFormat::Sketch => {
            Output::single("sketch.sketch.yaml", formats::sketch::write(sketch), vec![])
        }
        OutFormat::LayoutJson => Output::single(
            "layout.json",
            render::sketch_layout_json(sketch, level),
            vec![],
        ),
        OutFormat::Mermaid => Output::single(
            "diagram.mmd",
            formats::mermaid::export(sketch, level),
            vec![],
        ),
        OutFormat::Dot => {
            Output::single("diagram.dot", formats::dot::export(sketch, level), vec![])
        }
        OutFormat::Sam => sam_over(sketch, out)?,
        OutFormat::Terraform => terraform_over(sketch, out),
    })
}

/// A sketch written as SAM to `out`. An existing template there is the
/// baseline, so its untouched text stays. A sketch in Terraform's words is
/// translated first, and the translation as a fresh template writes it
/// (defaults, header, outputs for clients), read back as SAM, is what the
/// existing template is compared with; otherwise the baseline would be
/// matched against Terraform's names.
fn sam_over(sketch: &Sketch, out: Option<&Path>) -> Result<Output> {
    let mut warnings = Vec::new();
    let translated = formats::translate::needs_sam(sketch);
    let mut s = if translated {
        std::borrow::Cow::Owned(formats::translate::to_sam(sketch, &mut warnings))
    } else {
        // Copied only when an existing template becomes the baseline.
        std::borrow::Cow::Borrowed(sketch)
    };
    if let Some(existing) = out.filter(|p| p.is_file()) {
        let text = std::fs::read_to_string(existing).map_err(|e| {
            Failure::Input(format!(
                "{}: cannot read it: {}",
                io::display(existing),
                io::io_reason(&e)
            ))
        })?;
        let name = existing
            .file_name()
            .and_then(|f| f.to_str())
            .unwrap_or("template.yaml")
            .to_string();
        let base = formats::sam::parse_document(&name, &text).ok();
        if let (true, Some(serde_json::Value::Object(base))) = (translated, &base) {
            let fresh = formats::sam::export(&s);
            if let Some(mut back) = read_back(&s, &fresh, |f| formats::read(&name, f.text()).ok()) {
                // What the translation adds of its own (the description,
                // outputs) is the user's once written.
                for (k, v) in back.sections.iter_mut() {
                    if let (false, Some(b)) = (s.sections.contains_key(k), base.get(k)) {
                        *v = b.clone();
                    }
                }
                s = std::borrow::Cow::Owned(back);
            }
        }
        let same = s.source.as_ref().is_some_and(|src| {
            src.dialect == Dialect::Sam && src.files.values().any(|t| *t == text)
        });
        if !same && base.is_some() {
            s.to_mut().source = Some(Source {
                dialect: Dialect::Sam,
                files: [(name, text)].into(),
            });
        }
    }
    let mut out = formats::sam::export(&s);
    warnings.append(&mut out.warnings);
    out.warnings = warnings;
    Ok(out)
}

/// A translation as a fresh export wrote it, read back in the language it
/// is written in, with the sketch's name, notes and box positions; None
/// when the export could not write every connection (the export itself
/// then says why) or the text does not read.
fn read_back(
    sketch: &Sketch,
    fresh: &Output,
    read: impl FnOnce(&Output) -> Option<Sketch>,
) -> Option<Sketch> {
    if !fresh.unwritten.is_empty() {
        return None;
    }
    let mut back = read(fresh)?;
    for svc in sketch.services() {
        if let Some(b) = back.service_mut(&svc.id) {
            b.position = svc.position;
        }
    }
    back.notes = sketch.notes.clone();
    back.name = sketch.name.clone();
    Some(back)
}

/// A sketch written as Terraform into `out`. A SAM sketch written over a
/// folder of Terraform already there is translated first and read back as
/// Terraform, then written block by block over what is there, so a second
/// export changes nothing and the user's edits in the folder stay.
fn terraform_over(sketch: &Sketch, out: Option<&Path>) -> Output {
    let existing = out
        .filter(|p| p.is_dir() && formats::translate::needs_terraform(sketch))
        .and_then(|p| io::load(p).ok())
        .and_then(|l| l.sketch.source)
        .filter(|s| s.dialect == Dialect::Terraform && !s.files.is_empty());
    let Some(existing) = existing else {
        return formats::terraform::export(sketch);
    };
    let fresh = formats::terraform::export(sketch);
    let Some(mut back) = read_back(sketch, &fresh, |f| {
        formats::terraform::import(&f.files, "translated").ok()
    }) else {
        return fresh;
    };
    back.source = Some(existing);
    let mut written = formats::terraform::export(&back);
    let mut warnings = fresh.warnings;
    warnings.append(&mut written.warnings);
    warnings.dedup();
    written.warnings = warnings;
    written
}

/// Refuses a template that still names a deleted service where the delete
/// could not remove the reference, listing each at its line.
fn refuse_dangling(
    output: &Output,
    gone: &std::collections::HashSet<String>,
    before: Option<&str>,
    path: Option<&Path>,
    input: Option<&Path>,
) -> Result<()> {
    // Only a removed resource can be left named.
    if gone.is_empty() {
        return Ok(());
    }
    let mut lines = Vec::new();
    for (name, text) in &output.files {
        let mut file = path.map_or_else(|| name.clone(), io::display);
        let mut found = formats::dangling::dangling(text, gone);
        if let (Some(b), 1) = (before, output.files.len()) {
            found.extend(formats::dangling::stripped(b, text, gone));
            found.sort_by_key(|d| d.line);
            // Lines of the template the user has, which is where to fix them.
            if let Some(i) = input {
                found = formats::dangling::in_source(found, b, text);
                file = io::display(i);
            }
        }
        for d in found {
            lines.push(d.text(&file));
        }
    }
    if lines.is_empty() {
        return Ok(());
    }
    Err(Failure::Input(format!(
        "{}
  hint: remove these references (or delete what holds them) first; CloudFormation refuses a template that names a resource it does not have
nothing was written",
        lines.join("\n")
    )))
}

fn emit(
    output: &Output,
    fmt: OutFormat,
    out: Option<&Path>,
    sketch: &Sketch,
    runtime: Option<crate::code::Runtime>,
    force: bool,
) -> Result<()> {
    for w in &output.warnings {
        eprintln!("warning: {}", inert(w));
    }
    // Files that do not grant what the sketch draws would say less than
    // they seem to: nothing is written.
    if !output.unwritten.is_empty() {
        let lines: Vec<String> = output.unwritten.iter().map(|u| u.to_string()).collect();
        return Err(Failure::Input(format!(
            "{}\nnothing was written",
            lines.join("\n")
        )));
    }
    // Starter code goes with a project written to a new place only.
    let fresh = out.is_some_and(|p| match fmt {
        OutFormat::Terraform if p.is_dir() => !std::fs::read_dir(p).is_ok_and(|rd| {
            rd.flatten()
                .any(|e| e.path().extension().is_some_and(|x| x == "tf"))
        }),
        OutFormat::Sam | OutFormat::Terraform => !p.exists(),
        _ => false,
    });
    if fmt == OutFormat::Terraform {
        emit_folder(output, out, force)?;
        write_folder_layout(sketch, out)?;
    } else {
        match out {
            Some(p) => io::write_file(p, output.text(), force)?,
            None => print!("{}", output.text()),
        }
    }
    if let (true, Some(out)) = (fresh, out) {
        if let Some(written) = crate::document::starter::read_back(
            &output.files,
            if fmt == OutFormat::Terraform {
                Dialect::Terraform
            } else {
                Dialect::Sam
            },
        ) {
            let runtime = runtime.unwrap_or(crate::code::Runtime::Python);
            let root = crate::document::starter::project_root(out);
            for name in crate::document::starter::write(&written, root, runtime)? {
                eprintln!("wrote {}", io::display(&root.join(name)));
            }
        }
    }
    Ok(())
}

/// A Terraform folder goes to `-o DIR`; one file fits `-o FILE.tf`; with
/// no `-o` the files are printed, each under a comment naming it.
fn emit_folder(output: &Output, out: Option<&Path>, force: bool) -> Result<()> {
    match out {
        Some(p) if p.extension().is_some_and(|e| e == "tf") => {
            if output.files.len() == 1 {
                Ok(io::write_file(p, output.text(), force)?)
            } else {
                Err(Failure::Usage(format!(
                    "this sketch writes {} Terraform files; give a folder with -o DIR instead of `{}`",
                    output.files.len(),
                    io::display(p)
                )))
            }
        }
        Some(dir) => Ok(io::write_folder_with(dir, &output.files, force)?),
        None => {
            print!("{}", output.listing());
            Ok(())
        }
    }
}

/// The layout of a Terraform sketch goes to the folder's sidecar, keyed by
/// address; the `.tf` files never carry it.
fn write_folder_layout(sketch: &Sketch, out: Option<&Path>) -> Result<()> {
    let Some(dir) = out.filter(|p| p.extension().is_none_or(|e| e != "tf")) else {
        return Ok(());
    };
    let Some(src) = sketch
        .source
        .as_ref()
        .filter(|s| s.dialect == Dialect::Terraform)
    else {
        return Ok(());
    };
    let base = if src.files.is_empty() {
        Sketch::new()
    } else {
        match formats::terraform::import(&src.files, "base") {
            Ok(b) => b,
            Err(_) => return Ok(()),
        }
    };
    let Some(text) = formats::sketch::write_sidecar(sketch, &base) else {
        return Ok(());
    };
    let Some(side) = io::sidecar_path(dir) else {
        return Ok(());
    };
    Ok(io::write_folder(
        side.parent().unwrap_or(dir),
        &[(
            side.file_name()
                .and_then(|f| f.to_str())
                .unwrap_or(".stacksketch.yaml")
                .to_string(),
            text,
        )]
        .into(),
    )?)
}

fn export(a: ExportArgs) -> Result<()> {
    let fmt = format_of(a.to, a.output.as_deref())?;
    let mut loaded = io::load_inputs(&a.input, &a.more)?;
    if let Some(repo) = &loaded.repo {
        refuse_one_file_of_many(repo, fmt, &a.input)?;
    }
    if a.code {
        // An inferred arrow is what the code does, not what the template
        // says: writing it as a template or sketch would grant it.
        if !matches!(
            fmt,
            OutFormat::Json | OutFormat::LayoutJson | OutFormat::Mermaid | OutFormat::Dot
        ) {
            return Err(Failure::Usage(
                "--code adds arrows read from handler code, which only graph formats show: use --to json, layout-json, mermaid or dot".to_string(),
            ));
        }
        report_code(&io::code::with_code(&mut loaded));
    }
    let mut sketch = loaded.sketch;
    if let Some(r) = a.runtime {
        set_new_functions_runtime(&mut sketch, r);
    }
    let output = render_output(&sketch, fmt, a.level.into(), a.output.as_deref())?;
    emit(
        &output,
        fmt,
        a.output.as_deref(),
        &sketch,
        a.runtime,
        a.force,
    )
}

/// A SAM template or a Terraform folder is one stack: a repository of
/// several is not written as one (each stack's file is where its edits go).
fn refuse_one_file_of_many(repo: &crate::scan::Repo, fmt: OutFormat, input: &Path) -> Result<()> {
    if repo.stacks.len() < 2 || !matches!(fmt, OutFormat::Sam | OutFormat::Terraform) {
        return Ok(());
    }
    let one = &repo.stacks[0];
    let example = if input == Path::new(".") {
        Path::new(&one.file).to_path_buf()
    } else {
        input.join(&one.file)
    };
    Err(Failure::Usage(format!(
        "{} holds {} stacks, and a {} is one stack; export one of them (`stacksketch export {} --to {}`), or the whole system with --to mermaid, dot, json or sketch",
        io::display(input),
        repo.stacks.len(),
        if fmt == OutFormat::Sam {
            "SAM template"
        } else {
            "Terraform folder"
        },
        io::display(&example),
        if fmt == OutFormat::Sam {
            "sam"
        } else {
            "terraform"
        },
    )))
}

fn apply(a: ApplyArgs) -> Result<()> {
    let fmt = format_of(a.to, a.output.as_deref())?;
    if a.commands.is_empty() && a.script.is_none() {
        return Err(Failure::Usage(
            "give at least one -c CMD or --script FILE".into(),
        ));
    }
    let (mut sketch, repo) = match &a.input {
        Some(p) => {
            let l = io::load(p)?;
            (l.sketch, l.repo)
        }
        None => (Sketch::new(), None),
    };
    // A folder of stacks written back over itself: each edit goes to the
    // file of the stack it touches.
    let in_place = match (&a.input, &a.output) {
        (Some(i), Some(o)) => same_place(i, o),
        _ => false,
    };
    if let (Some(r), Some(input)) = (&repo, &a.input) {
        if !in_place {
            refuse_one_file_of_many(r, fmt, input)?;
        }
    }
    if a.input.is_none() && fmt == OutFormat::Terraform {
        // Commands then name things the Terraform way (`add queue jobs`).
        sketch.source = Some(Source {
            dialect: Dialect::Terraform,
            files: Default::default(),
        });
    }
    let before: std::collections::HashSet<String> = sketch
        .services()
        .filter(|s| !s.implicit)
        .map(|s| s.id.clone())
        .collect();
    let before_text: Option<String> = sketch
        .source
        .as_ref()
        .filter(|s| s.dialect == Dialect::Sam && s.files.len() == 1)
        .and_then(|s| s.files.values().next().cloned());
    if let Err(e) = command::run_script(&mut sketch, &a.commands) {
        // The message names the file the commands were run on.
        return Err(Failure::Input(match &a.input {
            Some(p) => format!("{}: {e}", io::display(p)),
            None => e.to_string(),
        }));
    }
    if let Some(script) = &a.script {
        let name = io::display(script);
        let bytes = std::fs::read(script).map_err(|e| {
            Failure::Input(format!("{name}: cannot read it: {}", io::io_reason(&e)))
        })?;
        let text = formats::check_text(&name, &bytes)?;
        for (i, line) in text.lines().enumerate() {
            match command::plan(&sketch, line) {
                Ok(Some(p)) => {
                    p.edit
                        .apply(&mut sketch)
                        .map_err(|e| Failure::Input(format!("{name}:{}:1: {e}", i + 1)))?;
                }
                Ok(None) => {}
                Err(e) => return Err(Failure::Input(format!("{name}:{}:1: {e}", i + 1))),
            }
        }
    }
    if sketch.name.is_none() {
        sketch.name = a
            .output
            .as_deref()
            .and_then(|p| p.file_name())
            .and_then(|f| f.to_str())
            .map(|f| f.split('.').next().unwrap_or(f).to_string());
    }
    if let Some(r) = a.runtime {
        set_new_functions_runtime(&mut sketch, r);
    }
    if let (Some(r), true) = (&repo, in_place) {
        return write_back_repository(r, &sketch);
    }
    let output = render_output(&sketch, fmt, a.level.into(), a.output.as_deref())?;
    if fmt == OutFormat::Sam {
        let gone: std::collections::HashSet<String> = before
            .into_iter()
            .filter(|id| sketch.service(id).is_none())
            .collect();
        refuse_dangling(
            &output,
            &gone,
            before_text.as_deref(),
            a.output.as_deref().or(a.input.as_deref()),
            a.input.as_deref(),
        )?;
    }
    emit(
        &output,
        fmt,
        a.output.as_deref(),
        &sketch,
        a.runtime,
        a.force,
    )
}

/// Whether two paths name the same place (the output is the input).
fn same_place(a: &Path, b: &Path) -> bool {
    match (a.canonicalize(), b.canonicalize()) {
        (Ok(x), Ok(y)) => x == y,
        _ => a == b,
    }
}

/// Writes an edited repository back: only the files of the stacks it
/// changed, each atomically; nothing at all when a drawn connection cannot
/// be written.
fn write_back_repository(repo: &crate::scan::Repo, sketch: &Sketch) -> Result<()> {
    let out = crate::scan::changed_files(repo, sketch).map_err(Failure::Input)?;
    for w in &out.warnings {
        eprintln!("warning: {}", inert(w));
    }
    if !out.unwritten.is_empty() {
        let lines: Vec<String> = out.unwritten.iter().map(|u| u.to_string()).collect();
        return Err(Failure::Input(format!(
            "{}\nnothing was written",
            lines.join("\n")
        )));
    }
    if out.files.is_empty() {
        eprintln!("no file changed");
    }
    for (path, text) in &out.files {
        io::write_atomic(path, text)?;
        eprintln!("wrote {}", io::display(path));
    }
    Ok(())
}

/// Functions the sketch adds, which name no runtime or handler yet, get the
/// language asked for; functions that came from a file keep theirs.
fn set_new_functions_runtime(sketch: &mut Sketch, runtime: crate::code::Runtime) {
    let ids: Vec<String> = sketch
        .services()
        .filter(|s| s.kind == Kind::Function && !s.implicit)
        .filter(|s| {
            [
                "Runtime",
                "runtime",
                "Handler",
                "handler",
                "ImageUri",
                "image_uri",
            ]
            .iter()
            .all(|k| !s.properties.contains_key(*k))
        })
        .map(|s| s.id.clone())
        .collect();
    for id in ids {
        if let Some(s) = sketch.service_mut(&id) {
            let key = if s.type_name.contains("::") {
                "Runtime"
            } else {
                "runtime"
            };
            s.properties.insert(key.into(), runtime.lambda_id().into());
        }
    }
}

/// Says on standard error which functions' code was not found, not read,
/// or read in part.
fn report_code(report: &crate::code::handlers::Report) {
    for line in io::code::coverage_lines(report) {
        eprintln!("{}", inert(&line));
    }
}

/// Prints one warning a line; with `--strict`, any warning fails the run.
fn check(a: CheckArgs) -> Result<()> {
    let mut loaded = io::load_inputs(&a.input, &a.more)?;
    let code = a.code.then(|| io::code::with_code(&mut loaded));
    if let Some(report) = &code {
        report_code(report);
    }
    let view = crate::model::View::of(&loaded.sketch, a.level.into());
    let mut warnings = crate::analysis::check(&view);
    crate::analysis::drop_joined(&loaded.sketch, &mut warnings);
    for w in &warnings {
        println!("{}", inert(&w.text("->")));
    }
    let unresolved = crate::analysis::unresolved_joins(&loaded.sketch);
    for u in &unresolved {
        println!("{}", inert(u));
    }
    let notes = crate::analysis::join_notes(&loaded.sketch);
    for n in &notes {
        println!("{}", inert(n));
    }
    let found: Vec<String> = code
        .iter()
        .flat_map(|r| r.findings.iter().map(|f| f.text()))
        .collect();
    for f in &found {
        println!("{}", inert(f));
    }
    let warnings: Vec<String> = warnings
        .iter()
        .map(|w| w.text("->"))
        .chain(unresolved)
        .chain(found)
        .collect();
    if warnings.is_empty() && notes.is_empty() {
        println!("{}: nothing looks wrong", inert(&io::display(&a.input)));
    } else if a.strict && !warnings.is_empty() {
        return Err(Failure::Exit(4, format!("{} warning(s)", warnings.len())));
    }
    Ok(())
}
