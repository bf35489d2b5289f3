//! Small helpers for sentences shown to people.

/// `text` with its first letter upper-case ("no gateway answers" → "No gateway answers").
pub fn capitalize(text: &str) -> String {
    let mut chars = text.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    #[test]
    fn capitalizes_the_first_letter_only() {
        assert_eq!(super::capitalize("élan vital"), "Élan vital");
        assert_eq!(super::capitalize(""), "");
    }
}
