//! Any bytes given as a template: the importer answers with a sketch or a
//! located error, never a panic; what it imports writes back unchanged.
#![no_main]

use libfuzzer_sys::fuzz_target;
use stacksketch::formats;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = formats::check_text("fuzz.yaml", data) else { return };
    for name in ["fuzz.yaml", "fuzz.json"] {
        if let Ok(sketch) = formats::read(name, text) {
            // A sketch file carries no template text of its own to give back.
            if sketch.source.as_ref().is_some_and(|s| s.files.values().any(|t| t == text)) {
                let out = formats::sam::export(&sketch);
                assert_eq!(out.text(), text, "an unedited import must write back as it was");
            }
        }
    }
});
