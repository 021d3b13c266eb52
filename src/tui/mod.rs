//! The terminal whiteboard: the only room that names ratatui or crossterm.
//! App state and input ([`app`]), keys as data ([`keymap`], [`action`]),
//! themes, the panes ([`ui`]) and the event loop, which is generic over the
//! ratatui backend so the whole app runs against `TestBackend` in tests.

pub mod action;
pub mod app;
pub mod derived;
pub mod doc;
pub mod fuzzy;
pub mod handler;
pub mod input;
pub mod keymap;
pub mod recovery;
pub mod sync;
pub mod theme;
pub mod timeline;
pub mod ui;

#[cfg(test)]
mod tests;

use std::io;
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use crossterm::event::{self, Event};
use ratatui::Terminal;
use ratatui::backend::Backend;

pub use app::{App, Options};
pub use doc::Document;

/// Where events come from: the terminal, or a script in tests.
pub trait Events {
    /// Waits for the next event; `None` when there will be no more.
    fn next(&mut self) -> io::Result<Option<Event>>;
    /// An event that is already waiting, without blocking.
    fn pending(&mut self) -> io::Result<Option<Event>>;
    /// Hands the terminal to `run` (an editor) and takes it back after;
    /// where there is no terminal, just runs it.
    fn suspend(&mut self, run: &mut dyn FnMut()) -> io::Result<()> {
        run();
        Ok(())
    }
}

/// The terminal's events, until a signal from outside (SIGHUP, SIGTERM,
/// SIGINT) ends them: `stop` holds the signal's number once one came.
pub struct TerminalEvents {
    pub stop: Arc<AtomicUsize>,
}

impl TerminalEvents {
    fn stopped(&self) -> bool {
        if self.stop.load(Ordering::Relaxed) != 0 {
            return true;
        }
        // A terminal that went away without a SIGHUP reaching us (its
        // window or multiplexer killed) leaves standard input at its end:
        // reading it would spin for ever, so it ends the app as a hang-up.
        if input_hung_up() {
            self.stop
                .store(signal_hook::consts::SIGHUP as usize, Ordering::Relaxed);
            return true;
        }
        false
    }
}

/// Watches for the terminal hanging up while the app waits for a key.
/// crossterm's reader retries a read that finds the end of its input for
/// ever, so a terminal closed under it (an SSH connection or a window gone)
/// would leave the app spinning instead of keeping the unsaved work: once
/// standard input has hung up, the watch marks it as SIGHUP and puts one
/// byte in its place for the reader to return with.
fn watch_for_hang_up(stop: Arc<AtomicUsize>) {
    std::thread::spawn(move || {
        loop {
            std::thread::sleep(Duration::from_millis(200));
            if input_hung_up() {
                let _ = stop.compare_exchange(
                    0,
                    signal_hook::consts::SIGHUP as usize,
                    Ordering::Relaxed,
                    Ordering::Relaxed,
                );
                wake_reader();
                return;
            }
        }
    });
}

/// Standard input becomes a pipe holding one byte.
fn wake_reader() {
    let mut fds = [0 as libc::c_int; 2];
    // SAFETY: plain descriptor calls on descriptors made here; standard
    // input is replaced only once the terminal behind it is gone.
    unsafe {
        if libc::pipe(fds.as_mut_ptr()) != 0 {
            return;
        }
        let _ = libc::write(fds[1], b"\r".as_ptr().cast(), 1);
        libc::dup2(fds[0], libc::STDIN_FILENO);
        libc::close(fds[0]);
        libc::close(fds[1]);
    }
}

/// Whether standard input (the terminal the events come from) has hung up.
fn input_hung_up() -> bool {
    let mut fd = libc::pollfd {
        fd: libc::STDIN_FILENO,
        events: libc::POLLIN,
        revents: 0,
    };
    // SAFETY: one valid pollfd, a zero timeout; nothing is read.
    let n = unsafe { libc::poll(&mut fd, 1, 0) };
    n > 0 && fd.revents & (libc::POLLHUP | libc::POLLERR | libc::POLLNVAL) != 0
}

impl Events for TerminalEvents {
    fn next(&mut self) -> io::Result<Option<Event>> {
        // Waits in short steps, so a signal is noticed while no key comes.
        loop {
            if self.stopped() {
                return Ok(None);
            }
            // Ready may mean hung up: asked again before and after reading.
            if event::poll(Duration::from_millis(200))? {
                if self.stopped() {
                    return Ok(None);
                }
                let ev = event::read()?;
                return Ok((!self.stopped()).then_some(ev));
            }
        }
    }
    fn pending(&mut self) -> io::Result<Option<Event>> {
        if !self.stopped() && event::poll(Duration::ZERO)? && !self.stopped() {
            event::read().map(Some)
        } else {
            Ok(None)
        }
    }

    /// Leaves the alternate screen, raw mode and mouse capture while `run`
    /// has the terminal, as lazygit does for an editor, and turns them on
    /// again after, also when `run` fails.
    fn suspend(&mut self, run: &mut dyn FnMut()) -> io::Result<()> {
        crossterm::execute!(
            io::stdout(),
            event::DisableMouseCapture,
            event::DisableBracketedPaste,
            crossterm::terminal::LeaveAlternateScreen
        )?;
        crossterm::terminal::disable_raw_mode()?;
        run();
        crossterm::terminal::enable_raw_mode()?;
        crossterm::execute!(
            io::stdout(),
            crossterm::terminal::EnterAlternateScreen,
            event::EnableMouseCapture,
            event::EnableBracketedPaste
        )
    }
}

/// A fixed list of events, for tests and benchmarks.
pub struct Script(pub std::collections::VecDeque<Event>);

impl Events for Script {
    fn next(&mut self) -> io::Result<Option<Event>> {
        Ok(self.0.pop_front())
    }
    fn pending(&mut self) -> io::Result<Option<Event>> {
        Ok(self.0.pop_front())
    }
}

fn backend_error(e: impl std::fmt::Display) -> io::Error {
    io::Error::other(e.to_string())
}

/// Brings the app up to date with the terminal's size and draws one frame.
pub fn frame<B: Backend>(terminal: &mut Terminal<B>, app: &mut App) -> io::Result<()> {
    let size = terminal.size().map_err(backend_error)?;
    app.size = (size.width, size.height);
    app.settle();
    terminal.draw(|f| ui::draw(f, app)).map_err(backend_error)?;
    Ok(())
}

/// Draws the canvas as soon as it is up to date, with the code and the cost
/// as they were: what an edit changes on the canvas shows first.
pub fn frame_first<B: Backend>(terminal: &mut Terminal<B>, app: &mut App) -> io::Result<()> {
    let size = terminal.size().map_err(backend_error)?;
    app.size = (size.width, size.height);
    app.settle_scene();
    terminal.draw(|f| ui::draw(f, app)).map_err(backend_error)?;
    Ok(())
}

/// The event loop: draw, wait for an event, take every event already
/// waiting (so a held key never lags behind), repeat until the app quits or
/// the events end.
pub fn run_app<B: Backend>(
    terminal: &mut Terminal<B>,
    app: &mut App,
    events: &mut impl Events,
) -> io::Result<()> {
    let mut waiting: Option<Event> = None;
    loop {
        // The canvas first; the code and the cost follow in a second frame
        // unless another key is already waiting, which comes first.
        frame_first(terminal, app)?;
        if app.behind() {
            waiting = events.pending()?;
            if waiting.is_none() {
                frame(terminal, app)?;
            }
        }
        if app.quit {
            return Ok(());
        }
        let ev = match waiting.take() {
            Some(ev) => ev,
            None => match events.next()? {
                Some(ev) => ev,
                None => return Ok(()),
            },
        };
        app.handle(&ev);
        while !app.quit {
            match events.pending()? {
                Some(ev) => app.handle(&ev),
                None => break,
            }
        }
        if app.pending_editor.is_some() {
            app.run_pending_editor(|run| events.suspend(run));
            // The screen the editor left is not ours: draw all of it again.
            terminal.clear().map_err(backend_error)?;
        }
    }
}

/// Restores what `run` turned on, also when the app panics.
struct Restore;

impl Drop for Restore {
    fn drop(&mut self) {
        let _ = crossterm::execute!(
            io::stdout(),
            event::DisableMouseCapture,
            event::DisableBracketedPaste
        );
        // Quietly: on a terminal that is gone, there is nowhere to say it.
        let _ = ratatui::try_restore();
    }
}

/// Why the whiteboard ended other than by the user quitting.
fn ended_by(signal: usize) -> &'static str {
    match signal as i32 {
        signal_hook::consts::SIGHUP => "the terminal hung up",
        signal_hook::consts::SIGTERM => "it was asked to stop (SIGTERM)",
        signal_hook::consts::SIGINT => "it was interrupted (SIGINT)",
        _ => "a signal ended it",
    }
}

/// Keeps unsaved work in a recovery file; says where, or why it could not.
fn keep_unsaved(app: &App) -> String {
    if !app.is_dirty() {
        return "nothing was unsaved".to_string();
    }
    match recovery::write(app.recovery_key(), &app.doc.sketch) {
        Ok(file) => format!(
            "unsaved work is kept in {}; opening {} again offers it back",
            file.display(),
            app.recovery_key()
                .map(|p| p.display().to_string())
                .unwrap_or_else(|| "stacksketch".to_string())
        ),
        Err(e) => format!("unsaved work could not be kept: {e}"),
    }
}

/// Runs the whiteboard in the terminal until the user quits. A signal from
/// outside (SIGHUP when an SSH connection drops, SIGTERM, SIGINT) or a panic
/// gives the terminal back and keeps unsaved work in a recovery file.
pub fn run(doc: Document, options: Options) -> Result<(), crate::document::Failure> {
    use crate::document::Failure;
    let stop = Arc::new(AtomicUsize::new(0));
    for sig in [
        signal_hook::consts::SIGHUP,
        signal_hook::consts::SIGTERM,
        signal_hook::consts::SIGINT,
    ] {
        signal_hook::flag::register_usize(sig, Arc::clone(&stop), sig as usize)
            .map_err(|e| Failure::Input(format!("cannot watch for signals: {e}")))?;
    }
    // Mouse capture and bracketed paste are ours to undo on a panic;
    // ratatui's own hook (installed by `init`, so it runs first) restores
    // raw mode and the screen, then calls this one.
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let _ = crossterm::execute!(
            io::stdout(),
            event::DisableMouseCapture,
            event::DisableBracketedPaste
        );
        previous(info);
    }));
    let mut terminal = ratatui::init();
    let restore = Restore;
    let failed = |e: io::Error| Failure::Input(format!("the terminal failed: {e}"));
    crossterm::execute!(
        io::stdout(),
        event::EnableMouseCapture,
        event::EnableBracketedPaste
    )
    .map_err(failed)?;
    let mut app = App::new(doc, options);
    watch_for_hang_up(Arc::clone(&stop));
    let mut events = TerminalEvents {
        stop: Arc::clone(&stop),
    };
    let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        run_app(&mut terminal, &mut app, &mut events)
    }));
    let signal = stop.load(Ordering::Relaxed);
    // Unsaved work is kept before anything else is tried on a terminal that
    // may be gone.
    let kept = match &outcome {
        Ok(Ok(())) if signal == 0 => String::new(),
        _ => keep_unsaved(&app),
    };
    if input_hung_up() {
        // Its drop would try to show the cursor on a terminal that is gone.
        std::mem::forget(terminal);
    }
    drop(restore);
    match outcome {
        Ok(Ok(())) if signal == 0 => Ok(()),
        Ok(Ok(())) => Err(Failure::Exit(
            128 + signal as i32,
            format!("stacksketch ended: {}; {kept}", ended_by(signal)),
        )),
        Ok(Err(e)) => Err(Failure::Input(format!("the terminal failed: {e}; {kept}"))),
        Err(_) => Err(Failure::Exit(
            101,
            format!("stacksketch failed (a bug); {kept}"),
        )),
    }
}

/// Whether this terminal cannot draw box-drawing glyphs and symbols: the
/// Linux console and other plain terminals, or a locale that is not UTF-8.
fn terminal_needs_ascii() -> bool {
    let var = |n: &str| std::env::var(n).ok();
    needs_ascii(
        var("TERM").as_deref(),
        [var("LC_ALL"), var("LC_CTYPE"), var("LANG")]
            .into_iter()
            .flatten()
            .find(|v| !v.is_empty())
            .as_deref(),
    )
}

/// The rule behind [`terminal_needs_ascii`]: `TERM` names a terminal
/// without those glyphs, or the locale in force (the first of `LC_ALL`,
/// `LC_CTYPE`, `LANG` that is set) is not UTF-8. With no locale set at all
/// nothing is known, and glyphs stay.
pub fn needs_ascii(term: Option<&str>, locale: Option<&str>) -> bool {
    let plain_term = term.is_some_and(|t| {
        matches!(
            t,
            "linux" | "dumb" | "vt100" | "vt102" | "vt220" | "cons25" | "ansi"
        )
    });
    let plain_locale = locale.is_some_and(|l| {
        let l = l.to_ascii_lowercase();
        !(l.contains("utf-8") || l.contains("utf8"))
    });
    plain_term || plain_locale
}

/// Starts the whiteboard as the command line asks: a file to open (or the
/// built-in example), a theme and ASCII drawing. The config file fills in
/// what the flags leave out; its problems are shown in the app, not fatal.
pub fn start(
    path: Option<&Path>,
    theme: Option<&str>,
    ascii: bool,
    new: bool,
    history: bool,
) -> Result<(), crate::document::Failure> {
    use crate::document::Failure;
    let mut notes = Vec::new();
    let config = crate::config::Config::load().unwrap_or_else(|e| {
        notes.push(e);
        crate::config::Config::default()
    });
    let theme = match (theme, config.theme.as_deref()) {
        (Some(name), _) => theme::Theme::named(name).map_err(Failure::Usage)?,
        (None, Some(name)) => theme::Theme::named(name).unwrap_or_else(|e| {
            notes.push(format!("config: {e}"));
            theme::Theme::default()
        }),
        (None, None) => theme::Theme::default(),
    };
    let theme = if theme::no_color_requested() {
        theme.without_colour()
    } else {
        theme
    };
    let (keymap, problems) = keymap::Keymap::with_overrides(&config.keys);
    notes.extend(problems.into_iter().map(|p| format!("config: {p}")));
    // A path that does not exist yet (or `new`) starts an empty sketch
    // that `:w` creates, in the format the path's name says.
    let blank = new || path.is_some_and(|p| !p.exists());
    if new && let Some(p) = path.filter(|p| p.exists()) {
        return Err(Failure::Usage(format!(
            "{} exists; `stacksketch {}` opens it",
            p.display(),
            p.display()
        )));
    }
    let language = path
        .and_then(app::language_for)
        .unwrap_or_else(|| config.language());
    let doc = match path {
        _ if blank => Document::blank(language),
        Some(p) => Document::open(p).map_err(Failure::Input)?,
        None => Document::example(),
    };
    let language = if blank { language } else { config.language() };
    let options = Options {
        theme,
        keymap,
        ascii: ascii || config.ascii.unwrap_or(false) || terminal_needs_ascii(),
        language,
        budget_usd: config.budget_usd(),
        region: config.region.clone(),
        notes,
        new_path: if blank {
            path.map(Path::to_path_buf)
        } else {
            None
        },
        history,
        editor: None,
    };
    run(doc, options)
}
