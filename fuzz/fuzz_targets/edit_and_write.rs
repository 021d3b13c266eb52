//! A real-looking template plus fuzzed commands: every command either
//! applies or is refused, and what gets written reads back.
#![no_main]

use libfuzzer_sys::fuzz_target;
use stacksketch::{command, formats};

const TEMPLATE: &str = include_str!("../../examples/queue-pipeline/template.yaml");

fuzz_target!(|data: &[u8]| {
    let Ok(script) = std::str::from_utf8(data) else { return };
    let mut sketch = formats::read("template.yaml", TEMPLATE).expect("the example reads");
    for line in script.lines().take(16) {
        if let Ok(Some(plan)) = command::plan(&sketch, line) {
            let _ = plan.edit.apply(&mut sketch);
        }
    }
    let out = formats::sam::export(&sketch);
    formats::read("template.yaml", out.text()).expect("what we write reads back");
});
