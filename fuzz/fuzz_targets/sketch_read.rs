//! Any bytes given as a sketch file or a layout sidecar: no panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use stacksketch::formats;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = formats::check_text("fuzz.sketch.yaml", data) else { return };
    if let Ok(mut sketch) = formats::sketch::read("fuzz.sketch.yaml", text) {
        let again = formats::sketch::write(&sketch);
        let back = formats::sketch::read("again.sketch.yaml", &again).expect("what we write reads back");
        assert_eq!(formats::sketch::write(&back), again);
        let _ = formats::sketch::apply_sidecar(&mut sketch, "side.yaml", text);
    }
});
