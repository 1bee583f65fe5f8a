//! The languages a browser reports, made into tags `Intl` may take.
//!
//! Browsers pass on what the system says: WebKit under `LANG=C.UTF-8` reports `C`, and a
//! POSIX name such as `en_US.UTF-8` is no BCP 47 tag either. `Intl` throws a `RangeError`
//! on such a tag, so every tag is cleaned up here and then checked by the browser's own
//! `Intl.getCanonicalLocales` (`browser::intl`); what is left falls back to the browser's
//! default locale.

/// The tags worth asking `Intl` about, in the browser's order: POSIX names written as
/// BCP 47 (`en_US.UTF-8` → `en-US`), `C`, `POSIX` and empty ones left out, no tag twice.
pub fn candidates<'a>(reported: impl IntoIterator<Item = &'a str>) -> Vec<String> {
    let mut tags: Vec<String> = Vec::new();
    for raw in reported {
        // `en_US.UTF-8@euro`: the codeset and modifier are no part of a language tag.
        let bare = raw.split(['.', '@']).next().unwrap_or_default().trim();
        if bare.is_empty() || bare.eq_ignore_ascii_case("c") || bare.eq_ignore_ascii_case("posix") {
            continue;
        }
        let tag = bare.replace('_', "-");
        if !tags.contains(&tag) {
            tags.push(tag);
        }
    }
    tags
}

#[cfg(test)]
mod tests {
    use super::candidates;

    #[test]
    fn a_bcp47_tag_is_kept_as_it_is() {
        assert_eq!(candidates(["en-GB", "de"]), ["en-GB", "de"]);
    }

    #[test]
    fn posix_names_become_bcp47_tags() {
        assert_eq!(candidates(["en_US.UTF-8"]), ["en-US"]);
        assert_eq!(candidates(["de_DE@euro"]), ["de-DE"]);
        assert_eq!(candidates(["pt_BR"]), ["pt-BR"]);
    }

    #[test]
    fn the_posix_locale_and_empty_tags_leave_the_default() {
        assert!(candidates(["C", "C.UTF-8", "POSIX", "", "  ", ".UTF-8"]).is_empty());
    }

    #[test]
    fn no_tag_twice() {
        assert_eq!(candidates(["en_US", "en-US", "fr"]), ["en-US", "fr"]);
    }

    #[test]
    fn what_is_not_a_tag_is_left_for_intl_to_refuse() {
        // `Intl.getCanonicalLocales` in the browser refuses these; the component test
        // (tests/components.rs) sees the page go on with the default locale.
        assert_eq!(candidates(["x-", "en--US"]), ["x-", "en--US"]);
    }
}
