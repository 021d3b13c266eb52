//! Themes as terminal styles: one style per role, read from the neutral
//! theme data the config room loads. `NO_COLOR` keeps the modifiers and drops
//! the colours; a background colour becomes reversed video, so what was
//! highlighted stays highlighted.

use std::collections::BTreeMap;
use std::str::FromStr;

use ratatui::style::{Color, Modifier, Style};

use crate::catalog::Category;
use crate::config::{StyleSpec, ThemeSpec};

macro_rules! roles {
    ($( $role:ident ),* $(,)?) => {
        /// A style for every role something on screen can play.
        #[derive(Clone, Debug, PartialEq)]
        pub struct Theme {
            /// The theme's name.
            pub theme_name: String,
            $( pub $role: Style, )*
        }

        /// The role names a theme file may style.
        pub const ROLES: &[&str] = &[ $( stringify!($role), )* ];

        impl Theme {
            fn from_styles(theme_name: String, styles: &BTreeMap<String, Style>) -> Theme {
                Theme {
                    theme_name,
                    $( $role: styles.get(stringify!($role)).copied().unwrap_or_default(), )*
                }
            }

            fn map_styles(&mut self, f: impl Fn(Style) -> Style) {
                $( self.$role = f(self.$role); )*
            }

            /// Visits every role's style with its name.
            #[cfg(test)]
            fn map_styles_named(&self, mut f: impl FnMut(&'static str, Style)) {
                $( f(stringify!($role), self.$role); )*
            }
        }
    };
}

roles!(
    base,
    border,
    border_focus,
    title,
    title_focus,
    tab,
    tab_active,
    status,
    status_dirty,
    message,
    error,
    warning,
    hint,
    selection,
    found,
    ghost,
    compute,
    storage,
    database,
    messaging,
    integration,
    api,
    security,
    monitoring,
    network,
    glue,
    other,
    name,
    detail,
    edge,
    edge_label,
    frame,
    code_line_no,
    code_key,
    code_tag,
    code_string,
    code_number,
    code_comment,
    code_focus,
    code_error,
    cost,
    cost_total,
    cost_over,
    cost_bar,
    help_key,
    help_text,
    added,
    removed,
    changed,
);

fn color(role: &str, text: &str) -> Result<Color, String> {
    Color::from_str(text).map_err(|_| {
        format!("{role}: `{text}` is not a colour; use a name such as lightblue, or #rrggbb")
    })
}

fn style_of(role: &str, spec: &StyleSpec) -> Result<Style, String> {
    let mut s = Style::default();
    if let Some(fg) = &spec.fg {
        s = s.fg(color(role, fg)?);
    }
    if let Some(bg) = &spec.bg {
        s = s.bg(color(role, bg)?);
    }
    for (on, m) in [
        (spec.bold, Modifier::BOLD),
        (spec.dim, Modifier::DIM),
        (spec.italic, Modifier::ITALIC),
        (spec.underline, Modifier::UNDERLINED),
        (spec.reversed, Modifier::REVERSED),
    ] {
        if on {
            s = s.add_modifier(m);
        }
    }
    Ok(s)
}

impl Theme {
    /// Builds a theme; unknown roles and bad colours are errors so a typo in
    /// a theme file does not go unnoticed.
    pub fn from_spec(spec: &ThemeSpec) -> Result<Theme, String> {
        let mut styles = BTreeMap::new();
        for (role, s) in &spec.styles {
            if !ROLES.contains(&role.as_str()) {
                return Err(format!(
                    "theme {}: `{role}` is not a role; the roles are {}",
                    spec.name,
                    ROLES.join(", ")
                ));
            }
            styles.insert(role.clone(), style_of(role, s)?);
        }
        Ok(Theme::from_styles(spec.name.clone(), &styles))
    }

    /// A built-in or user theme by name.
    pub fn named(name: &str) -> Result<Theme, String> {
        Theme::from_spec(&crate::config::theme(name)?)
    }

    /// The same theme without colours, for `NO_COLOR`.
    pub fn without_colour(mut self) -> Theme {
        self.map_styles(|s| {
            let mut out = Style::default()
                .add_modifier(s.add_modifier)
                .remove_modifier(s.sub_modifier);
            if s.bg.is_some_and(|c| c != Color::Reset) {
                out = out.add_modifier(Modifier::REVERSED);
            }
            out
        });
        self
    }

    /// The style of a box or glyph by what the service is for.
    pub fn category(&self, c: Category) -> Style {
        match c {
            Category::Compute => self.compute,
            Category::Storage => self.storage,
            Category::Database => self.database,
            Category::Messaging => self.messaging,
            Category::Integration => self.integration,
            Category::Api => self.api,
            Category::Security => self.security,
            Category::Monitoring => self.monitoring,
            Category::Network => self.network,
            Category::Glue => self.glue,
            Category::Other => self.other,
        }
    }
}

impl Default for Theme {
    fn default() -> Theme {
        Theme::named("dark").expect("the dark theme is built in and valid")
    }
}

/// Whether the user asked for no colour (<https://no-color.org>).
pub fn no_color_requested() -> bool {
    std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::builtin_theme_names;

    #[test]
    fn builtin_themes_style_every_role_with_sixteen_colours() {
        for name in builtin_theme_names() {
            let spec = crate::config::theme(name).unwrap();
            let t = Theme::from_spec(&spec).unwrap();
            for role in ROLES {
                assert!(spec.styles.contains_key(*role), "{name} leaves out {role}");
            }
            // Only named colours, so 16-colour terminals show the same thing.
            for s in spec.styles.values() {
                for c in [&s.fg, &s.bg].into_iter().flatten() {
                    let parsed = Color::from_str(c).unwrap();
                    assert!(
                        !matches!(parsed, Color::Rgb(..) | Color::Indexed(_)),
                        "{name}: {c}"
                    );
                }
            }
            assert_ne!(t.selection, Style::default(), "{name}");
        }
    }

    /// The xterm default palette: what the 16 named colours look like in
    /// the most common terminal, to measure contrast against.
    fn rgb(c: Color) -> (u8, u8, u8) {
        match c {
            Color::Black => (0, 0, 0),
            Color::Red => (205, 0, 0),
            Color::Green => (0, 205, 0),
            Color::Yellow => (205, 205, 0),
            Color::Blue => (0, 0, 238),
            Color::Magenta => (205, 0, 205),
            Color::Cyan => (0, 205, 205),
            Color::Gray => (229, 229, 229),
            Color::DarkGray => (127, 127, 127),
            Color::LightRed => (255, 0, 0),
            Color::LightGreen => (0, 255, 0),
            Color::LightYellow => (255, 255, 0),
            Color::LightBlue => (92, 92, 255),
            Color::LightMagenta => (255, 0, 255),
            Color::LightCyan => (0, 255, 255),
            Color::White => (255, 255, 255),
            other => panic!("not one of the 16 colours: {other:?}"),
        }
    }

    /// WCAG 2 relative luminance.
    fn luminance(c: Color) -> f64 {
        let (r, g, b) = rgb(c);
        let lin = |v: u8| {
            let v = f64::from(v) / 255.0;
            if v <= 0.03928 {
                v / 12.92
            } else {
                ((v + 0.055) / 1.055).powf(2.4)
            }
        };
        0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b)
    }

    fn contrast(a: Color, b: Color) -> f64 {
        let (x, y) = (luminance(a), luminance(b));
        (x.max(y) + 0.05) / (x.min(y) + 0.05)
    }

    #[test]
    fn contrast_is_measured_as_wcag_does() {
        assert!((contrast(Color::White, Color::Black) - 21.0).abs() < 1e-9);
        assert!(contrast(Color::Blue, Color::Black) < 4.5);
    }

    /// Every role's text against its background (its own, the theme's
    /// base, or the terminal's: black, white for the light theme) is at
    /// least 4.5:1, WCAG's level AA for text. Lines that carry no text
    /// (borders, frames, arrows) are held to 3:1, the level for graphics.
    #[test]
    fn every_theme_text_meets_four_and_a_half_to_one() {
        let graphics = ["border", "frame", "edge", "glue"];
        let mut failures = Vec::new();
        for name in builtin_theme_names() {
            let spec = crate::config::theme(name).unwrap();
            let t = Theme::from_spec(&spec).unwrap();
            let terminal = if name == "light" {
                Color::White
            } else {
                Color::Black
            };
            let page = t.base.bg.filter(|c| *c != Color::Reset).unwrap_or(terminal);
            let mut styles = BTreeMap::new();
            t.clone().map_styles_named(|role, s| {
                styles.insert(role, s);
            });
            let base_fg = t.base.fg.unwrap_or(if name == "light" {
                Color::Black
            } else {
                Color::Gray
            });
            for (role, s) in styles {
                let (mut fg, mut bg) = (s.fg.unwrap_or(base_fg), s.bg.unwrap_or(page));
                if s.add_modifier.contains(Modifier::REVERSED) {
                    std::mem::swap(&mut fg, &mut bg);
                }
                let need = if graphics.contains(&role) { 3.0 } else { 4.5 };
                let c = contrast(fg, bg);
                if c < need {
                    failures.push(format!(
                        "{name}.{role}: {fg} on {bg} is {c:.2}:1, under {need}:1"
                    ));
                }
            }
        }
        assert!(failures.is_empty(), "{}", failures.join("\n"));
    }

    #[test]
    fn no_color_keeps_highlights_visible() {
        let t = Theme::default().without_colour();
        assert_eq!(t.selection.fg, None);
        assert_eq!(t.selection.bg, None);
        assert!(t.selection.add_modifier.contains(Modifier::REVERSED));
        assert!(t.compute.fg.is_none());
    }

    #[test]
    fn typos_in_themes_are_reported() {
        let spec = ThemeSpec {
            name: "t".into(),
            base: None,
            styles: [(
                "selecton".to_string(),
                StyleSpec {
                    fg: Some("red".into()),
                    ..Default::default()
                },
            )]
            .into(),
        };
        assert!(Theme::from_spec(&spec).unwrap_err().contains("selecton"));
        let spec = ThemeSpec {
            name: "t".into(),
            base: None,
            styles: [(
                "selection".to_string(),
                StyleSpec {
                    fg: Some("reddish".into()),
                    ..Default::default()
                },
            )]
            .into(),
        };
        assert!(Theme::from_spec(&spec).unwrap_err().contains("reddish"));
    }
}
