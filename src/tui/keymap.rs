//! Keys to actions, as data: the default bindings live in [`DEFAULTS`] and
//! nowhere else; the config file replaces an action's keys by name. The
//! help overlay is generated from the same table.

use std::collections::BTreeMap;
use std::fmt;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::action::Action;
use crate::config::Keys;

/// A key with its modifiers, normalised so that `H` and `shift-h` are the
/// same chord whatever the terminal reports.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Chord {
    pub code: KeyCode,
    pub ctrl: bool,
    pub alt: bool,
    pub shift: bool,
}

impl Chord {
    pub fn new(code: KeyCode) -> Chord {
        Chord {
            code,
            ctrl: false,
            alt: false,
            shift: false,
        }
    }

    /// The chord a terminal key event stands for.
    pub fn from_event(key: &KeyEvent) -> Chord {
        let m = key.modifiers;
        let mut chord = Chord {
            code: key.code,
            ctrl: m.contains(KeyModifiers::CONTROL),
            alt: m.contains(KeyModifiers::ALT),
            shift: m.contains(KeyModifiers::SHIFT),
        };
        match chord.code {
            // The character already says whether shift was held; terminals
            // disagree on whether they also report the modifier.
            KeyCode::Char(c) => {
                chord.shift = false;
                if chord.ctrl || chord.alt {
                    chord.code = KeyCode::Char(c.to_ascii_lowercase());
                    chord.shift = c.is_ascii_uppercase();
                }
            }
            KeyCode::BackTab => chord.shift = false,
            _ => {}
        }
        chord
    }

    /// Parses `a`, `H`, `ctrl-r`, `shift-left`, `pgdn`, `f1`, `?`, `space`.
    pub fn parse(text: &str) -> Result<Chord, String> {
        let t = text.trim();
        if t.is_empty() {
            return Err("an empty key".to_string());
        }
        let mut chord = Chord::new(KeyCode::Null);
        let mut rest = t;
        // A single `-` is the minus key, not a separator.
        while rest.len() > 1 {
            let Some((m, r)) = rest.split_once(['-', '+']) else {
                break;
            };
            if r.is_empty() {
                break;
            }
            match m.to_ascii_lowercase().as_str() {
                "ctrl" | "control" | "c" => chord.ctrl = true,
                "alt" | "meta" | "m" | "a" => chord.alt = true,
                "shift" | "s" => chord.shift = true,
                _ => break,
            }
            rest = r;
        }
        let lower = rest.to_ascii_lowercase();
        chord.code = match lower.as_str() {
            "left" | "←" => KeyCode::Left,
            "right" | "→" => KeyCode::Right,
            "up" | "↑" => KeyCode::Up,
            "down" | "↓" => KeyCode::Down,
            "enter" | "return" | "ret" => KeyCode::Enter,
            "esc" | "escape" => KeyCode::Esc,
            "tab" => KeyCode::Tab,
            "backtab" => KeyCode::BackTab,
            "backspace" | "bs" => KeyCode::Backspace,
            "delete" | "del" => KeyCode::Delete,
            "insert" | "ins" => KeyCode::Insert,
            "home" => KeyCode::Home,
            "end" => KeyCode::End,
            "pageup" | "pgup" => KeyCode::PageUp,
            "pagedown" | "pgdn" => KeyCode::PageDown,
            "space" => KeyCode::Char(' '),
            "minus" => KeyCode::Char('-'),
            "plus" => KeyCode::Char('+'),
            f if f.len() > 1 && f.starts_with('f') && f[1..].parse::<u8>().is_ok() => {
                KeyCode::F(f[1..].parse().expect("checked"))
            }
            _ => {
                let mut chars = rest.chars();
                match (chars.next(), chars.next()) {
                    (Some(c), None) => KeyCode::Char(c),
                    _ => return Err(format!("`{text}` is not a key")),
                }
            }
        };
        if chord.code == KeyCode::Tab && chord.shift {
            chord = Chord::new(KeyCode::BackTab);
        }
        // `shift-h` is written `H`.
        if let KeyCode::Char(c) = chord.code {
            if chord.shift && !chord.ctrl && !chord.alt {
                chord.code = KeyCode::Char(c.to_ascii_uppercase());
                chord.shift = false;
            }
            if (chord.ctrl || chord.alt) && c.is_ascii_uppercase() {
                chord.code = KeyCode::Char(c.to_ascii_lowercase());
                chord.shift = true;
            }
        }
        Ok(chord)
    }
}

impl fmt::Display for Chord {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.ctrl {
            f.write_str("ctrl-")?;
        }
        if self.alt {
            f.write_str("alt-")?;
        }
        if self.shift {
            f.write_str("shift-")?;
        }
        match self.code {
            KeyCode::Left => f.write_str("left"),
            KeyCode::Right => f.write_str("right"),
            KeyCode::Up => f.write_str("up"),
            KeyCode::Down => f.write_str("down"),
            KeyCode::Enter => f.write_str("enter"),
            KeyCode::Esc => f.write_str("esc"),
            KeyCode::Tab => f.write_str("tab"),
            KeyCode::BackTab => f.write_str("shift-tab"),
            KeyCode::Backspace => f.write_str("backspace"),
            KeyCode::Delete => f.write_str("delete"),
            KeyCode::Insert => f.write_str("insert"),
            KeyCode::Home => f.write_str("home"),
            KeyCode::End => f.write_str("end"),
            KeyCode::PageUp => f.write_str("pgup"),
            KeyCode::PageDown => f.write_str("pgdn"),
            KeyCode::F(n) => write!(f, "f{n}"),
            KeyCode::Char(' ') => f.write_str("space"),
            KeyCode::Char(c) => write!(f, "{c}"),
            other => write!(f, "{other:?}"),
        }
    }
}

/// The default bindings: the one place they are written down.
pub const DEFAULTS: &[(Action, &[&str])] = &[
    (Action::SelectLeft, &["h", "left"]),
    (Action::SelectDown, &["j", "down"]),
    (Action::SelectUp, &["k", "up"]),
    (Action::SelectRight, &["l", "right"]),
    (Action::PanLeft, &["ctrl-left", "alt-h"]),
    (Action::PanDown, &["ctrl-down", "alt-j"]),
    (Action::PanUp, &["ctrl-up", "alt-k"]),
    (Action::PanRight, &["ctrl-right", "alt-l"]),
    (Action::PageUp, &["pgup"]),
    (Action::PageDown, &["pgdn"]),
    (Action::NextPane, &["tab"]),
    (Action::PrevPane, &["shift-tab"]),
    (Action::FocusCanvas, &["1"]),
    (Action::FocusGraph, &["2"]),
    (Action::FocusInspector, &["3"]),
    (Action::FocusCode, &["4"]),
    (Action::FocusCost, &["5"]),
    (Action::Search, &["/"]),
    (Action::SearchNext, &["n"]),
    (Action::SearchPrev, &["N"]),
    (Action::CycleLevel, &["z"]),
    (Action::UpLevel, &["backspace"]),
    (Action::Fit, &["f"]),
    (Action::Zoom, &["Z"]),
    (Action::Collapse, &["o"]),
    (Action::Add, &["a"]),
    (Action::Connect, &["c"]),
    (Action::Delete, &["d", "delete"]),
    (Action::Rename, &["r"]),
    (Action::MoveLeft, &["H", "shift-left"]),
    (Action::MoveDown, &["J", "shift-down"]),
    (Action::MoveUp, &["K", "shift-up"]),
    (Action::MoveRight, &["L", "shift-right"]),
    (Action::Activate, &["enter", "e"]),
    (Action::UsageUp, &["+", "="]),
    (Action::UsageDown, &["-"]),
    (Action::Undo, &["u"]),
    (Action::Redo, &["ctrl-r"]),
    (Action::SwitchLanguage, &["t"]),
    (Action::Handler, &["v"]),
    (Action::EditHandler, &["E"]),
    (Action::Save, &["ctrl-s"]),
    (Action::Command, &[":"]),
    (Action::Help, &["?", "f1"]),
    (Action::Messages, &["M"]),
    (Action::History, &["["]),
    (Action::Cancel, &["esc"]),
    (Action::Quit, &["q", "ctrl-c"]),
];

#[derive(Clone, Debug, PartialEq)]
pub struct Binding {
    pub chord: Chord,
    pub action: Action,
}

/// The bindings in force.
#[derive(Clone, Debug, PartialEq)]
pub struct Keymap {
    bindings: Vec<Binding>,
}

impl Default for Keymap {
    fn default() -> Keymap {
        Keymap::defaults()
    }
}

impl Keymap {
    pub fn defaults() -> Keymap {
        let bindings = DEFAULTS
            .iter()
            .flat_map(|(action, keys)| {
                keys.iter().map(move |k| Binding {
                    chord: Chord::parse(k).expect("default keys parse"),
                    action: *action,
                })
            })
            .collect();
        Keymap { bindings }
    }

    /// The defaults with the config's overrides: each named action gets
    /// exactly the keys given, and those keys leave whatever action had them.
    /// Mistakes are reported and skipped, never fatal.
    pub fn with_overrides(overrides: &BTreeMap<String, Keys>) -> (Keymap, Vec<String>) {
        let mut map = Keymap::defaults();
        let mut problems = Vec::new();
        for (name, keys) in overrides {
            let Some(action) = Action::parse(name) else {
                problems.push(format!("keys: `{name}` is not an action"));
                continue;
            };
            let mut chords = Vec::new();
            for k in keys.list() {
                match Chord::parse(k) {
                    Ok(c) => chords.push(c),
                    Err(e) => problems.push(format!("keys.{name}: {e}")),
                }
            }
            let first = map
                .bindings
                .iter()
                .position(|b| b.action == action)
                .unwrap_or(map.bindings.len());
            map.bindings
                .retain(|b| b.action != action && !chords.contains(&b.chord));
            let at = first.min(map.bindings.len());
            for (i, chord) in chords.into_iter().enumerate() {
                map.bindings.insert(at + i, Binding { chord, action });
            }
        }
        (map, problems)
    }

    pub fn action_for(&self, key: &KeyEvent) -> Option<Action> {
        let chord = Chord::from_event(key);
        self.bindings
            .iter()
            .find(|b| b.chord == chord)
            .map(|b| b.action)
    }

    pub fn bindings(&self) -> &[Binding] {
        &self.bindings
    }

    /// The keys of an action, as shown to the user.
    pub fn keys_of(&self, action: Action) -> Vec<String> {
        self.bindings
            .iter()
            .filter(|b| b.action == action)
            .map(|b| b.chord.to_string())
            .collect()
    }

    /// The first key of an action, for hints (`? help`).
    pub fn key_of(&self, action: Action) -> Option<String> {
        self.keys_of(action).into_iter().next()
    }

    /// One row per bound action, in help order: (keys, description).
    pub fn help_rows(&self, section: super::action::Section) -> Vec<(String, &'static str)> {
        Action::ALL
            .iter()
            .filter(|a| a.section() == section)
            .filter_map(|a| {
                let keys = self.keys_of(*a);
                (!keys.is_empty()).then(|| (keys.join(" "), a.help()))
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(code: KeyCode, m: KeyModifiers) -> KeyEvent {
        KeyEvent::new(code, m)
    }

    #[test]
    fn chords_parse_and_print_back() {
        for text in [
            "a",
            "H",
            "ctrl-r",
            "shift-left",
            "pgdn",
            "f1",
            "?",
            "-",
            "+",
            "space",
            "shift-tab",
            "alt-h",
            ":",
        ] {
            let c = Chord::parse(text).unwrap();
            assert_eq!(c.to_string(), text, "{text}");
            assert_eq!(Chord::parse(&c.to_string()).unwrap(), c);
        }
        assert_eq!(Chord::parse("shift-h").unwrap(), Chord::parse("H").unwrap());
        assert_eq!(
            Chord::parse("C-r").unwrap(),
            Chord::parse("ctrl-r").unwrap()
        );
        assert!(Chord::parse("hyper-x").is_err());
        assert!(Chord::parse("").is_err());
    }

    #[test]
    fn events_find_their_actions() {
        let m = Keymap::defaults();
        let none = KeyModifiers::NONE;
        assert_eq!(
            m.action_for(&key(KeyCode::Char('h'), none)),
            Some(Action::SelectLeft)
        );
        // Terminals may or may not report shift with an upper-case letter.
        assert_eq!(
            m.action_for(&key(KeyCode::Char('H'), none)),
            Some(Action::MoveLeft)
        );
        assert_eq!(
            m.action_for(&key(KeyCode::Char('H'), KeyModifiers::SHIFT)),
            Some(Action::MoveLeft)
        );
        assert_eq!(
            m.action_for(&key(KeyCode::Left, KeyModifiers::SHIFT)),
            Some(Action::MoveLeft)
        );
        assert_eq!(
            m.action_for(&key(KeyCode::Char('r'), KeyModifiers::CONTROL)),
            Some(Action::Redo)
        );
        assert_eq!(
            m.action_for(&key(KeyCode::BackTab, KeyModifiers::SHIFT)),
            Some(Action::PrevPane)
        );
        assert_eq!(m.action_for(&key(KeyCode::Char('Y'), none)), None);
    }

    #[test]
    fn no_key_is_bound_twice_by_default() {
        let m = Keymap::defaults();
        let mut seen = std::collections::HashMap::new();
        for b in m.bindings() {
            if let Some(prev) = seen.insert(b.chord, b.action) {
                panic!("{} is bound to {prev} and {}", b.chord, b.action);
            }
        }
    }

    #[test]
    fn every_action_has_a_default_key() {
        let m = Keymap::defaults();
        for a in Action::ALL {
            assert!(!m.keys_of(*a).is_empty(), "{a} has no key");
        }
    }

    #[test]
    fn overrides_replace_keys_and_take_them_from_others() {
        let mut o = BTreeMap::new();
        o.insert("undo".to_string(), Keys::One("U".into()));
        o.insert(
            "quit".to_string(),
            Keys::Many(vec!["ctrl-q".into(), "u".into()]),
        );
        o.insert("fly".to_string(), Keys::One("f".into()));
        o.insert("save".to_string(), Keys::One("hyper-s".into()));
        let (m, problems) = Keymap::with_overrides(&o);
        assert_eq!(m.keys_of(Action::Undo), ["U"]);
        assert_eq!(m.keys_of(Action::Quit), ["ctrl-q", "u"]);
        assert_eq!(
            m.action_for(&key(KeyCode::Char('u'), KeyModifiers::NONE)),
            Some(Action::Quit)
        );
        assert_eq!(problems.len(), 2, "{problems:?}");
        assert!(m.keys_of(Action::Save).is_empty());
        // Unbinding with an empty list.
        let mut o = BTreeMap::new();
        o.insert("delete".to_string(), Keys::Many(vec![]));
        let (m, problems) = Keymap::with_overrides(&o);
        assert!(problems.is_empty());
        assert_eq!(
            m.action_for(&key(KeyCode::Char('d'), KeyModifiers::NONE)),
            None
        );
    }
}
