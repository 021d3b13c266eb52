//! Everything a key can ask for, as data. The keymap maps keys to these, the
//! config file names them (`undo`, `move-left`, ...) and the help overlay
//! lists them with their descriptions, so the three never disagree.

use std::fmt;

macro_rules! actions {
    ($( $variant:ident = $name:literal, $section:ident, $help:literal; )*) => {
        /// One thing the user can do from the keyboard in the normal mode.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Action {
            $( $variant, )*
        }

        impl Action {
            /// Every action, in the order the help lists them.
            pub const ALL: &'static [Action] = &[ $( Action::$variant, )* ];

            /// The name the config file uses.
            pub fn name(self) -> &'static str {
                match self { $( Action::$variant => $name, )* }
            }

            /// One line for the help overlay.
            pub fn help(self) -> &'static str {
                match self { $( Action::$variant => $help, )* }
            }

            pub fn section(self) -> Section {
                match self { $( Action::$variant => Section::$section, )* }
            }
        }
    };
}

actions! {
    SelectLeft = "select-left", Navigate, "select the box to the left";
    SelectDown = "select-down", Navigate, "select the box below (next row in lists)";
    SelectUp = "select-up", Navigate, "select the box above (previous row in lists)";
    SelectRight = "select-right", Navigate, "select the box to the right";
    PanLeft = "pan-left", Navigate, "pan the canvas left";
    PanDown = "pan-down", Navigate, "pan the canvas down";
    PanUp = "pan-up", Navigate, "pan the canvas up";
    PanRight = "pan-right", Navigate, "pan the canvas right";
    PageUp = "page-up", Navigate, "scroll the pane up a page";
    PageDown = "page-down", Navigate, "scroll the pane down a page";
    NextPane = "next-pane", Navigate, "focus the next pane";
    PrevPane = "prev-pane", Navigate, "focus the previous pane";
    FocusCanvas = "focus-canvas", Navigate, "focus the canvas";
    FocusGraph = "focus-graph", Navigate, "focus the graph";
    FocusInspector = "focus-inspector", Navigate, "focus the inspector";
    FocusCode = "focus-code", Navigate, "focus the code";
    FocusCost = "focus-cost", Navigate, "focus the cost";
    Search = "search", Navigate, "search services by name";
    SearchNext = "search-next", Navigate, "next search match";
    SearchPrev = "search-prev", Navigate, "previous search match";
    CycleLevel = "cycle-level", Navigate, "cycle the level of detail: system, service, resource";
    UpLevel = "up-level", Navigate, "from a stack back up to the whole system (a folder of stacks)";
    Fit = "fit", Navigate, "fit the whole diagram in the canvas, or go back";
    Zoom = "zoom", Navigate, "zoom out a step: full boxes, compact boxes, overview";
    Collapse = "collapse", Navigate, "collapse the selection's group or frame into one box, or expand it";
    Add = "add", Edit, "add a service from the catalog";
    Connect = "connect", Edit, "connect the selection to a service picked by direction or name";
    Delete = "delete", Edit, "delete the selection (a property, in the inspector)";
    Rename = "rename", Edit, "rename the selected service";
    MoveLeft = "move-left", Edit, "move the selected box left";
    MoveDown = "move-down", Edit, "move the selected box down";
    MoveUp = "move-up", Edit, "move the selected box up";
    MoveRight = "move-right", Edit, "move the selected box right";
    Activate = "activate", Edit, "edit the property or code under the cursor; jump to a service";
    UsageUp = "usage-up", Edit, "double the selected service's usage (cost)";
    UsageDown = "usage-down", Edit, "halve the selected service's usage (cost)";
    Undo = "undo", Edit, "undo";
    Redo = "redo", Edit, "redo";
    SwitchLanguage = "switch-language", File, "show the code as SAM or Terraform";
    Handler = "handler", File, "the code pane: the selected function's handler, calls marked, or the template";
    EditHandler = "edit-handler", File, "open the selected function's handler in $VISUAL or $EDITOR";
    Save = "save", File, "save (as :w)";
    Command = "command", File, "open the command line";
    Help = "help", File, "show or hide this help";
    Messages = "messages", File, "show every message in full (as :messages)";
    History = "history", File, "step through the file's git history: [ older, ] newer, esc back";
    Cancel = "cancel", File, "close a prompt, the help or a message";
    Quit = "quit", File, "quit (refuses while there are unsaved changes)";
}

/// Where an action is listed in the help.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Section {
    Navigate,
    Edit,
    File,
}

impl Section {
    pub const ALL: [Section; 3] = [Section::Navigate, Section::Edit, Section::File];
    pub fn title(self) -> &'static str {
        match self {
            Section::Navigate => "Move around",
            Section::Edit => "Edit",
            Section::File => "Files and the app",
        }
    }
}

impl Action {
    pub fn parse(name: &str) -> Option<Action> {
        let n = name.trim().to_ascii_lowercase().replace('_', "-");
        Action::ALL.iter().copied().find(|a| a.name() == n)
    }
}

impl fmt::Display for Action {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn names_are_unique_and_parse_back() {
        let mut seen = HashSet::new();
        for a in Action::ALL {
            assert!(seen.insert(a.name()), "{a:?}");
            assert_eq!(Action::parse(a.name()), Some(*a));
        }
        assert_eq!(Action::parse("MOVE_LEFT"), Some(Action::MoveLeft));
        assert_eq!(Action::parse("fly"), None);
    }
}
