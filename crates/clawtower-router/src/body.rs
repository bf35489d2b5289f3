//! A request body as the router touches it: the top-level JSON object, each value kept as the
//! client wrote it. Only the model id (and, for OpenAI chat streams, `stream_options`) change;
//! everything else goes upstream byte for byte, in the client's order.

use std::fmt;

use serde::de::{Deserializer, MapAccess, Visitor};
use serde::Deserialize;
use serde_json::value::RawValue;

/// Why a body is not a JSON object.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("the request body is not a JSON object: {0}")]
pub struct BodyError(pub String);

/// The top-level members of a JSON object, in order, values untouched.
#[derive(Debug)]
pub struct JsonObject {
    members: Vec<(String, Box<RawValue>)>,
}

impl<'de> Deserialize<'de> for JsonObject {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Members;
        impl<'de> Visitor<'de> for Members {
            type Value = JsonObject;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a JSON object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<JsonObject, A::Error> {
                let mut members = Vec::with_capacity(map.size_hint().unwrap_or(8));
                while let Some(member) = map.next_entry::<String, Box<RawValue>>()? {
                    members.push(member);
                }
                Ok(JsonObject { members })
            }
        }
        deserializer.deserialize_map(Members)
    }
}

impl JsonObject {
    /// Parses a body (invalid UTF-8, JSON that is not an object, trailing bytes: refused).
    pub fn parse(bytes: &[u8]) -> Result<JsonObject, BodyError> {
        serde_json::from_slice(bytes).map_err(|e| BodyError(e.to_string()))
    }

    fn raw(&self, key: &str) -> Option<&RawValue> {
        // The last one wins, as in JSON.parse.
        self.members
            .iter()
            .rev()
            .find(|(k, _)| k == key)
            .map(|(_, v)| &**v)
    }

    /// A string member.
    pub fn str(&self, key: &str) -> Option<String> {
        self.raw(key)
            .and_then(|v| serde_json::from_str(v.get()).ok())
    }

    /// A boolean member (`false` when absent or not a boolean).
    pub fn flag(&self, key: &str) -> bool {
        self.raw(key).is_some_and(|v| v.get() == "true")
    }

    /// An integer member.
    pub fn number(&self, key: &str) -> Option<u64> {
        self.raw(key).and_then(|v| v.get().parse().ok())
    }

    /// Whether the member is present and not `null`, `[]` or `{}`.
    pub fn has(&self, key: &str) -> bool {
        self.raw(key)
            .is_some_and(|v| !matches!(v.get(), "null" | "[]" | "{}"))
    }

    /// Sets `key` to `value` (replacing every member of that name, in place of the first).
    pub fn set(&mut self, key: &str, value: Box<RawValue>) {
        match self.members.iter().position(|(k, _)| k == key) {
            Some(first) => {
                self.members[first].1 = value;
                let mut i = 0;
                self.members.retain(|(k, _)| {
                    i += 1;
                    i - 1 == first || k != key
                });
            }
            None => self.members.push((key.to_string(), value)),
        }
    }

    /// Sets a string member.
    pub fn set_str(&mut self, key: &str, value: &str) {
        let raw = serde_json::value::to_raw_value(value).expect("a string serializes");
        self.set(key, raw);
    }

    /// For an OpenAI chat stream: makes sure the last chunk carries the usage
    /// (`stream_options.include_usage`), keeping any other stream option the client set.
    pub fn include_stream_usage(&mut self) {
        let mut options = self
            .raw("stream_options")
            .and_then(|v| JsonObject::parse(v.get().as_bytes()).ok())
            .unwrap_or(JsonObject {
                members: Vec::new(),
            });
        if options.flag("include_usage") {
            return;
        }
        options.set(
            "include_usage",
            RawValue::from_string("true".into()).expect("valid"),
        );
        let raw = RawValue::from_string(String::from_utf8(options.to_vec()).expect("UTF-8"))
            .expect("an object is valid JSON");
        self.set("stream_options", raw);
    }

    /// The object as bytes.
    pub fn to_vec(&self) -> Vec<u8> {
        let size: usize = self
            .members
            .iter()
            .map(|(k, v)| k.len() + v.get().len() + 4)
            .sum();
        let mut out = Vec::with_capacity(size + 2);
        out.push(b'{');
        for (i, (key, value)) in self.members.iter().enumerate() {
            if i > 0 {
                out.push(b',');
            }
            serde_json::to_writer(&mut out, key).expect("a string serializes");
            out.push(b':');
            out.extend_from_slice(value.get().as_bytes());
        }
        out.push(b'}');
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_model_changes_and_the_rest_stays_as_written() {
        let body = br#"{"model":"stub/stub-model","messages":[{"role":"user","content":"hi  \u00e9"}],"x-unknown":{"a" : 1.50}}"#;
        let mut object = JsonObject::parse(body).unwrap();
        assert_eq!(object.str("model").as_deref(), Some("stub/stub-model"));
        object.set_str("model", "stub-model");
        assert_eq!(
            String::from_utf8(object.to_vec()).unwrap(),
            r#"{"model":"stub-model","messages":[{"role":"user","content":"hi  \u00e9"}],"x-unknown":{"a" : 1.50}}"#
        );
    }

    #[test]
    fn stream_usage_is_asked_for_once_keeping_other_options() {
        let mut object = JsonObject::parse(br#"{"stream":true,"stream_options":{"x":1}}"#).unwrap();
        assert!(object.flag("stream"));
        object.include_stream_usage();
        object.include_stream_usage();
        assert_eq!(
            String::from_utf8(object.to_vec()).unwrap(),
            r#"{"stream":true,"stream_options":{"x":1,"include_usage":true}}"#
        );
        let mut bare = JsonObject::parse(br#"{"stream":true}"#).unwrap();
        bare.include_stream_usage();
        assert_eq!(
            bare.to_vec(),
            br#"{"stream":true,"stream_options":{"include_usage":true}}"#
        );
    }

    #[test]
    fn duplicate_keys_resolve_like_json_parse_and_bad_bodies_are_refused() {
        let mut object = JsonObject::parse(br#"{"model":"a","model":"b"}"#).unwrap();
        assert_eq!(object.str("model").as_deref(), Some("b"));
        object.set_str("model", "c");
        assert_eq!(object.to_vec(), br#"{"model":"c"}"#);
        for bad in [&b"[1]"[..], b"{\"a\":1} x", b"{\"a\":\"\xff\"}", b"", b"{"] {
            assert!(JsonObject::parse(bad).is_err(), "{bad:?}");
        }
    }
}
