//! A one-line text input for prompts and the command line: readline's
//! common keys, a cursor counted in characters.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LineInput {
    text: String,
    /// In characters, 0..=len.
    cursor: usize,
    /// The text is a suggestion: typing replaces it, any other key keeps it.
    suggested: bool,
}

/// What a key did to the input.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    Submit,
    Cancel,
    /// The text changed.
    Edited,
    /// Only the cursor moved.
    Moved,
    /// Not a key for the input.
    Ignored,
}

impl LineInput {
    pub fn new(text: &str) -> LineInput {
        LineInput {
            text: text.to_string(),
            cursor: text.chars().count(),
            suggested: false,
        }
    }
    /// Text offered as a default that the first typed character replaces.
    pub fn suggestion(text: &str) -> LineInput {
        LineInput {
            suggested: true,
            ..LineInput::new(text)
        }
    }
    pub fn text(&self) -> &str {
        &self.text
    }
    pub fn cursor(&self) -> usize {
        self.cursor
    }
    pub fn set(&mut self, text: &str) {
        *self = LineInput::new(text);
    }
    fn byte(&self, char_index: usize) -> usize {
        self.text
            .char_indices()
            .nth(char_index)
            .map(|(b, _)| b)
            .unwrap_or(self.text.len())
    }
    fn len(&self) -> usize {
        self.text.chars().count()
    }
    pub fn insert(&mut self, s: &str) {
        let s: String = s.chars().filter(|c| !c.is_control()).collect();
        let at = self.byte(self.cursor);
        self.text.insert_str(at, &s);
        self.cursor += s.chars().count();
    }
    fn delete_range(&mut self, from: usize, to: usize) {
        let (a, b) = (self.byte(from), self.byte(to));
        self.text.replace_range(a..b, "");
        self.cursor = from;
    }
    fn word_start_before(&self) -> usize {
        let chars: Vec<char> = self.text.chars().collect();
        let mut i = self.cursor;
        while i > 0 && chars[i - 1].is_whitespace() {
            i -= 1;
        }
        while i > 0 && !chars[i - 1].is_whitespace() {
            i -= 1;
        }
        i
    }

    pub fn handle(&mut self, key: &KeyEvent) -> Outcome {
        let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
        if std::mem::take(&mut self.suggested)
            && matches!(key.code, KeyCode::Char(_))
            && !ctrl
            && !key.modifiers.contains(KeyModifiers::ALT)
        {
            self.text.clear();
            self.cursor = 0;
        }
        match key.code {
            KeyCode::Enter => Outcome::Submit,
            KeyCode::Esc => Outcome::Cancel,
            KeyCode::Char('c') if ctrl => Outcome::Cancel,
            KeyCode::Char('a') if ctrl => {
                self.cursor = 0;
                Outcome::Moved
            }
            KeyCode::Char('e') if ctrl => {
                self.cursor = self.len();
                Outcome::Moved
            }
            KeyCode::Char('u') if ctrl => {
                self.delete_range(0, self.cursor);
                Outcome::Edited
            }
            KeyCode::Char('k') if ctrl => {
                self.delete_range(self.cursor, self.len());
                Outcome::Edited
            }
            KeyCode::Char('w') if ctrl => {
                let from = self.word_start_before();
                self.delete_range(from, self.cursor);
                Outcome::Edited
            }
            KeyCode::Char(c) if !ctrl => {
                let mut buf = [0u8; 4];
                self.insert(c.encode_utf8(&mut buf));
                Outcome::Edited
            }
            KeyCode::Backspace if self.cursor > 0 => {
                self.delete_range(self.cursor - 1, self.cursor);
                Outcome::Edited
            }
            KeyCode::Backspace => Outcome::Moved,
            KeyCode::Delete if self.cursor < self.len() => {
                let c = self.cursor;
                self.delete_range(c, c + 1);
                Outcome::Edited
            }
            KeyCode::Left => {
                self.cursor = self.cursor.saturating_sub(1);
                Outcome::Moved
            }
            KeyCode::Right => {
                self.cursor = (self.cursor + 1).min(self.len());
                Outcome::Moved
            }
            KeyCode::Home => {
                self.cursor = 0;
                Outcome::Moved
            }
            KeyCode::End => {
                self.cursor = self.len();
                Outcome::Moved
            }
            _ => Outcome::Ignored,
        }
    }
}

#[cfg(test)]
mod tests {

    #[test]
    fn typing_replaces_a_suggestion_and_other_keys_keep_it() {
        use crossterm::event::{KeyEvent, KeyModifiers};
        let key = |c| KeyEvent::new(c, KeyModifiers::NONE);
        let mut i = LineInput::suggestion("Queue");
        i.handle(&key(KeyCode::Char('J')));
        assert_eq!(i.text(), "J");
        let mut i = LineInput::suggestion("Queue");
        i.handle(&key(KeyCode::Char('2')));
        i.handle(&key(KeyCode::Char('x')));
        assert_eq!(i.text(), "2x");
        let mut i = LineInput::suggestion("Queue");
        i.handle(&key(KeyCode::End));
        i.handle(&key(KeyCode::Char('2')));
        assert_eq!(i.text(), "Queue2");
    }
    use super::*;

    fn k(code: KeyCode) -> KeyEvent {
        KeyEvent::new(code, KeyModifiers::NONE)
    }
    fn ctrl(c: char) -> KeyEvent {
        KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL)
    }

    #[test]
    fn editing_keys() {
        let mut i = LineInput::new("add queue");
        assert_eq!(i.handle(&k(KeyCode::Char(' '))), Outcome::Edited);
        for c in "Jöbs".chars() {
            i.handle(&k(KeyCode::Char(c)));
        }
        assert_eq!(i.text(), "add queue Jöbs");
        i.handle(&k(KeyCode::Left));
        i.handle(&k(KeyCode::Backspace));
        assert_eq!(i.text(), "add queue Jös");
        i.handle(&ctrl('w'));
        assert_eq!(i.text(), "add queue s");
        i.handle(&ctrl('a'));
        i.handle(&k(KeyCode::Delete));
        assert_eq!(i.text(), "dd queue s");
        i.handle(&ctrl('k'));
        assert_eq!(i.text(), "");
        assert_eq!(i.handle(&k(KeyCode::Enter)), Outcome::Submit);
        assert_eq!(i.handle(&k(KeyCode::Esc)), Outcome::Cancel);
    }
}
