//! Stable diagnostic codes. Each is documented in `docs/diagnostics.md`; a code never changes
//! meaning, so CI scripts and editors can rely on it.

/// Invalid YAML: syntax, or a value of the wrong type.
pub const YAML: &str = "ZQ001";
/// A key that is not allowed in this file.
pub const UNKNOWN_KEY: &str = "ZQ002";
/// A required key is missing from a site file.
pub const MISSING_KEY: &str = "ZQ003";
/// A config value that is not valid (URL, timezone, menu item, 网站标识码).
pub const INVALID_VALUE: &str = "ZQ004";
/// A site file name that is not a valid site id, or not `.yaml`.
pub const SITE_ID: &str = "ZQ005";
/// `parent` names no site.
pub const UNKNOWN_PARENT: &str = "ZQ006";
/// Sites whose parents form a cycle.
pub const PARENT_CYCLE: &str = "ZQ007";
/// No root site, or more than one.
pub const ROOT: &str = "ZQ008";
/// A site under a site of the same or a lower kind.
pub const KIND_ORDER: &str = "ZQ009";
/// A site's content folder does not exist.
pub const NO_CONTENT: &str = "ZQ010";
/// A file or folder cannot be read.
pub const UNREADABLE: &str = "ZQ011";
/// The cluster has no sites.
pub const NO_SITES: &str = "ZQ012";
/// The output folder would overwrite the cluster's own files.
pub const OUTPUT: &str = "ZQ014";
/// A git content source that cannot be fetched, resolved or checked out.
pub const CONTENT_SOURCE: &str = "ZQ015";

/// A Markdown file without (closed) front matter.
pub const NO_FRONT_MATTER: &str = "ZQ101";
/// A page without `title`.
pub const NO_TITLE: &str = "ZQ102";
/// A page without `date`.
pub const NO_DATE: &str = "ZQ103";
/// A date that cannot be read.
pub const BAD_DATE: &str = "ZQ104";
/// `syndicate` with a value or in a place that does not work.
pub const SYNDICATE: &str = "ZQ105";
/// A `slug` that cannot be a URL segment.
pub const SLUG: &str = "ZQ106";
/// Two pages with the same URL.
pub const DUPLICATE_URL: &str = "ZQ107";
/// A file that is not UTF-8.
pub const NOT_UTF8: &str = "ZQ108";
/// A misplaced or invalid `_index.md`.
pub const SECTION_INDEX: &str = "ZQ109";
/// A symbolic link loop in a content repository.
pub const LINK_LOOP: &str = "ZQ111";
/// A resource page without a required facet.
pub const MISSING_FACET: &str = "ZQ112";
/// A facet value outside the vocabulary.
pub const VOCABULARY: &str = "ZQ113";
/// An attachment outside the content repository.
pub const ATTACHMENT_OUTSIDE: &str = "ZQ114";
/// An attachment that does not exist.
pub const ATTACHMENT_MISSING: &str = "ZQ115";
/// Two disclosure items with one 索引号.
pub const DUPLICATE_INDEX_NO: &str = "ZQ116";
/// Disclosure items to number without `org_code`.
pub const NO_ORG_CODE: &str = "ZQ117";
/// A symbolic link that leads outside the content repository.
pub const LINK_OUTSIDE: &str = "ZQ118";
/// A file name that cannot become part of a URL (not UTF-8, or containing `\`).
pub const FILE_NAME: &str = "ZQ119";
/// A title or summary longer than the limit.
pub const TOO_LONG: &str = "ZQ120";
/// An `adopted.yaml` entry that names no item offered to the site.
pub const ADOPTION: &str = "ZQ121";
/// A 专题 file (`topics/<slug>.md`) that cannot be read.
pub const TOPIC: &str = "ZQ122";
/// A 三个课堂 lesson (`classes/<slug>.md`) that cannot be read.
pub const LESSON: &str = "ZQ123";
/// A lesson's receiver that is not a site, or outside the teaching site's bureau.
pub const RECEIVER: &str = "ZQ124";
/// A page, static file or attachment at a path the build generates (`index.html`,
/// `rss.xml`, `search/`, …).
pub const GENERATED_PATH: &str = "ZQ125";
/// A page saved under another extension (`通知.md.txt`, `.markdown`, `.MD`): not read.
pub const MISNAMED_PAGE: &str = "ZQ126";
/// Two lessons at the same time for one receiving school.
pub const LESSON_OVERLAP: &str = "ZQ508";

/// A link to a site that does not exist.
pub const UNKNOWN_SITE_LINK: &str = "ZQ201";
/// A link to a page or file that does not exist.
pub const BROKEN_LINK: &str = "ZQ202";
/// A link whose target has a space in it: Markdown prints it as text.
pub const SPACED_LINK: &str = "ZQ205";
/// A link to the preview server's own address (`http://127.0.0.1:1313/…`).
pub const PREVIEW_LINK: &str = "ZQ206";
/// A link or picture whose address would run a script (`javascript:`, `vbscript:`,
/// `data:`) or open a local file (`file:`): written as `#`, never as given.
pub const SCRIPT_LINK: &str = "ZQ207";
/// A link in the rendered HTML to a page of the cluster that does not exist.
pub const BROKEN_HTML_LINK: &str = "ZQ203";
/// A link to an `#anchor` that the target page does not have.
pub const BROKEN_ANCHOR: &str = "ZQ204";

/// A template that does not parse or render.
pub const TEMPLATE: &str = "ZQ301";
/// A theme that does not exist, or themes extending each other in a loop.
pub const THEME: &str = "ZQ302";

/// A manifest that is missing or cannot be read in a `--site` build.
pub const MANIFEST: &str = "ZQ401";

/// Inspection: a news section not updated for 14 days.
pub const STALE_NEWS: &str = "ZQ501";
/// Inspection: a notice or disclosure section not updated for 180 days.
pub const STALE_NOTICES: &str = "ZQ502";
/// Inspection: a section without pages.
pub const EMPTY_SECTION: &str = "ZQ503";
/// Inspection: a page without a date.
pub const UNDATED_PAGE: &str = "ZQ504";
/// Inspection: an image without alt text.
pub const IMAGE_ALT: &str = "ZQ505";
/// Inspection: a footer without its ICP number.
pub const NO_ICP: &str = "ZQ506";
/// An item offered (报送) to a reviewing bureau that it has not adopted yet.
pub const PENDING_OFFER: &str = "ZQ507";

/// A page that other sites adopted or link to was removed, renamed or hidden (draft, or a
/// date in the future).
pub const PAGE_STILL_USED: &str = "ZQ509";

/// A wrong form of a fixed expression (错别字) or a word of the cluster's `words.yaml`.
pub const WRONG_WORD: &str = "ZQ510";

/// Links that lead nowhere (or never should be followed): an error of the page that holds
/// them in `check` — the author's CI fails where the author can fix it — and a warning in
/// `build`, which renders the page and publishes it (SPEC §2, §6).
pub const LINK_PROBLEMS: &[&str] = &[
    UNKNOWN_SITE_LINK,
    BROKEN_LINK,
    BROKEN_HTML_LINK,
    BROKEN_ANCHOR,
    SPACED_LINK,
    PREVIEW_LINK,
    SCRIPT_LINK,
];

/// Every code with its constant name, for the documentation test.
pub const ALL: &[&str] = &[
    YAML,
    UNKNOWN_KEY,
    MISSING_KEY,
    INVALID_VALUE,
    SITE_ID,
    UNKNOWN_PARENT,
    PARENT_CYCLE,
    ROOT,
    KIND_ORDER,
    NO_CONTENT,
    UNREADABLE,
    NO_SITES,
    OUTPUT,
    CONTENT_SOURCE,
    NO_FRONT_MATTER,
    NO_TITLE,
    NO_DATE,
    BAD_DATE,
    SYNDICATE,
    SLUG,
    DUPLICATE_URL,
    NOT_UTF8,
    SECTION_INDEX,
    LINK_LOOP,
    MISSING_FACET,
    VOCABULARY,
    ATTACHMENT_OUTSIDE,
    ATTACHMENT_MISSING,
    DUPLICATE_INDEX_NO,
    ADOPTION,
    TOPIC,
    LESSON,
    RECEIVER,
    GENERATED_PATH,
    MISNAMED_PAGE,
    NO_ORG_CODE,
    LINK_OUTSIDE,
    FILE_NAME,
    TOO_LONG,
    UNKNOWN_SITE_LINK,
    BROKEN_LINK,
    BROKEN_HTML_LINK,
    BROKEN_ANCHOR,
    SPACED_LINK,
    PREVIEW_LINK,
    SCRIPT_LINK,
    TEMPLATE,
    THEME,
    MANIFEST,
    STALE_NEWS,
    STALE_NOTICES,
    EMPTY_SECTION,
    UNDATED_PAGE,
    IMAGE_ALT,
    NO_ICP,
    PENDING_OFFER,
    LESSON_OVERLAP,
    PAGE_STILL_USED,
    WRONG_WORD,
];

#[cfg(test)]
mod tests {
    #[test]
    fn codes_are_unique() {
        let mut seen = std::collections::HashSet::new();
        for code in super::ALL {
            assert!(seen.insert(code), "{code} is used twice");
        }
    }

    /// `ALL` is kept by hand; this reads the constants from this file so none escapes it.
    #[test]
    fn every_declared_code_is_in_all() {
        let source = include_str!("codes.rs");
        let declared: Vec<&str> = source
            .lines()
            .filter(|l| l.starts_with("pub const ") && l.contains(": &str = \"ZQ"))
            .filter_map(|l| l.split('"').nth(1))
            .collect();
        assert!(declared.len() > 40);
        for code in &declared {
            assert!(super::ALL.contains(code), "{code} is missing from ALL");
        }
        assert_eq!(declared.len(), super::ALL.len(), "ALL has a code twice");
    }
}
