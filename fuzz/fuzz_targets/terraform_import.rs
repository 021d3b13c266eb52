//! Any bytes given as a Terraform folder of one or two files (the second a
//! local module the first may call): the importer answers with a sketch or
//! a located error, never a panic; what it imports writes back unchanged.
#![no_main]

use std::collections::BTreeMap;

use libfuzzer_sys::fuzz_target;
use stacksketch::formats;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    // A byte 0x1e splits the input into the root file and a module's file.
    let mut files = BTreeMap::new();
    match text.split_once('\u{1e}') {
        Some((root, module)) => {
            files.insert("main.tf".to_string(), root.to_string());
            files.insert("modules/m/main.tf".to_string(), module.to_string());
        }
        None => {
            files.insert("main.tf".to_string(), text.to_string());
        }
    }
    if let Ok(sketch) = formats::terraform::import(&files, "fuzz") {
        let out = formats::terraform::export(&sketch);
        for (name, original) in &files {
            if let Some(written) = out.files.get(name) {
                assert_eq!(written, original, "an unedited import must write back as it was");
            }
        }
    }
});
