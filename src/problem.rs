//! What the person at the screen reads when something goes wrong.

/// A failure explained for a person: what happened, the evidence, and what to do next.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    /// One sentence: what went wrong.
    pub title: String,
    /// Supporting text, such as the backend's own message; shown as text, never as HTML.
    pub detail: Option<String>,
    /// The step that fixes it.
    pub next_step: String,
}

impl Problem {
    pub fn new(title: impl Into<String>, next_step: impl Into<String>) -> Self {
        Self {
            title: title.into(),
            detail: None,
            next_step: next_step.into(),
        }
    }

    pub fn with_detail(mut self, detail: impl Into<String>) -> Self {
        self.detail = Some(detail.into());
        self
    }
}

/// Cuts outside text to at most `max` characters so a huge answer cannot flood the page.
pub fn truncate(text: &str, max: usize) -> String {
    match text.char_indices().nth(max) {
        Some((cut, _)) => format!(
            "{}… ({} characters in all)",
            &text[..cut],
            text.chars().count()
        ),
        None => text.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_text_is_untouched() {
        assert_eq!(truncate("abc", 3), "abc");
    }

    #[test]
    fn long_text_is_cut_on_a_character_boundary() {
        assert_eq!(truncate("ééééé", 2), "éé… (5 characters in all)");
    }
}
