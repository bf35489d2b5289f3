//! Small helpers for sentences shown to people.

/// `text` with its first letter upper-case ("no gateway answers" → "No gateway answers").
pub fn capitalize(text: &str) -> String {
    let mut chars = text.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

/// `text` cut to at most `max` characters, ending in "…" when it was longer (what is kept of a
/// message that came from outside, such as a reason quoting a client's request).
pub fn at_most(text: &str, max: usize) -> String {
    match text.char_indices().nth(max) {
        None => text.to_string(),
        Some(_) => {
            let kept: String = text.chars().take(max.saturating_sub(1)).collect();
            format!("{kept}…")
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn cuts_long_text_on_a_character_boundary() {
        assert_eq!(super::at_most("short", 5), "short");
        assert_eq!(super::at_most("éééééé", 4), "ééé…");
        assert_eq!(super::at_most("", 0), "");
    }

    #[test]
    fn capitalizes_the_first_letter_only() {
        assert_eq!(super::capitalize("élan vital"), "Élan vital");
        assert_eq!(super::capitalize(""), "");
    }
}
