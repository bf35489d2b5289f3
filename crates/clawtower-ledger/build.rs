//! Reduces the bundled LiteLLM price map (`data/litellm-prices.json`, 3 MB) to the entries and
//! fields the ledger reads (`src/pricing/litellm_fields.rs`), each value kept as written: the
//! binary carries about 0.5 MB of it, and every Clawtower process (the app, `serve`, the router,
//! the CLI) reads six times less at start and keeps less of it in memory.

use std::collections::BTreeMap;
use std::path::Path;

use serde_json::value::RawValue;

include!("src/pricing/litellm_fields.rs");

fn main() {
    let source = Path::new("data/litellm-prices.json");
    println!("cargo:rerun-if-changed={}", source.display());
    println!("cargo:rerun-if-changed=src/pricing/litellm_fields.rs");
    let text = std::fs::read_to_string(source).expect("the bundled price map is readable");
    let map: BTreeMap<String, &RawValue> =
        serde_json::from_str(&text).expect("the bundled price map is a JSON object");
    let mut out = String::from("{");
    for (model, entry) in map {
        // Only objects are entries (the runtime skips anything else the same way).
        let Ok(fields) = serde_json::from_str::<BTreeMap<String, &RawValue>>(entry.get()) else {
            continue;
        };
        if out.len() > 1 {
            out.push(',');
        }
        out.push_str(&serde_json::to_string(&model).expect("a string serializes"));
        out.push_str(":{");
        let kept = fields
            .iter()
            .filter(|(name, _)| READ_FIELDS.contains(&name.as_str()))
            .map(|(name, value)| {
                format!("{}:{}", serde_json::to_string(name).unwrap(), value.get())
            });
        out.push_str(&kept.collect::<Vec<_>>().join(","));
        out.push('}');
    }
    out.push('}');
    let target = Path::new(&std::env::var("OUT_DIR").expect("cargo sets OUT_DIR"))
        .join("litellm-prices.json");
    std::fs::write(target, out).expect("OUT_DIR is writable");
}
