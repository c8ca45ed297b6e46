//! The message catalogue: everything the command line says to a webmaster, in Chinese
//! (`zh-CN`, the default) or English, from one Fluent catalogue per language
//! (`src/i18n/zh-CN.ftl`, `src/i18n/en.ftl`). Fluent (Mozilla's localization system,
//! crate `fluent-bundle`) was chosen over ad-hoc tables for its plural and argument
//! handling and because translators can read and edit `.ftl` files without Rust.
//!
//! The language is chosen once per process ([`set`]): `--lang`, else `ZHANQUN_LANG`, else
//! the cluster's `language`, else zh-CN. Diagnostic codes are the same in every language.

use std::sync::{LazyLock, OnceLock};

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};

/// A language of the command line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    /// 简体中文.
    ZhCn,
    /// English.
    En,
}

impl Lang {
    /// The language named by `--lang`, `ZHANQUN_LANG` or `language:` (`zh-CN`, `zh`, `en`, …).
    pub fn parse(name: &str) -> Option<Lang> {
        let lower = name.trim().to_ascii_lowercase();
        match lower.split(['-', '_']).next() {
            Some("zh") => Some(Lang::ZhCn),
            Some("en") => Some(Lang::En),
            _ => None,
        }
    }
}

static CHOSEN: OnceLock<Lang> = OnceLock::new();

/// Chooses the language for the rest of the process; the first choice stays.
pub fn set(lang: Lang) {
    let _ = CHOSEN.set(lang);
}

/// The language in use (zh-CN until one is chosen).
pub fn lang() -> Lang {
    CHOSEN.get().copied().unwrap_or(Lang::ZhCn)
}

const ZH_CN: &str = include_str!("zh-CN.ftl");
const EN: &str = include_str!("en.ftl");

fn bundle(lang: &str, source: &str) -> FluentBundle<FluentResource> {
    let id: unic_langid::LanguageIdentifier = lang.parse().expect("a valid language tag");
    let mut bundle = FluentBundle::new_concurrent(vec![id]);
    // Isolation marks would show up as odd characters in terminals and CI logs.
    bundle.set_use_isolating(false);
    let resource = FluentResource::try_new(source.to_string())
        .unwrap_or_else(|(_, errors)| panic!("the {lang} catalogue does not parse: {errors:?}"));
    bundle
        .add_resource(resource)
        .unwrap_or_else(|errors| panic!("the {lang} catalogue repeats a message: {errors:?}"));
    bundle
}

static BUNDLES: LazyLock<[FluentBundle<FluentResource>; 2]> =
    LazyLock::new(|| [bundle("zh-CN", ZH_CN), bundle("en", EN)]);

/// The message `id` in `lang`, with `args` filled in. A missing message (a bug the
/// catalogue test catches) shows its id rather than nothing.
pub fn text_in(lang: Lang, id: &str, args: &[(&str, FluentValue)]) -> String {
    let bundle = &BUNDLES[match lang {
        Lang::ZhCn => 0,
        Lang::En => 1,
    }];
    let Some(pattern) = bundle.get_message(id).and_then(|m| m.value()) else {
        return id.to_string();
    };
    let mut fluent_args = FluentArgs::new();
    for (name, value) in args {
        fluent_args.set(*name, value.clone());
    }
    let mut errors = Vec::new();
    bundle
        .format_pattern(pattern, Some(&fluent_args), &mut errors)
        .into_owned()
}

/// The message `id` in the language in use.
pub fn text(id: &str, args: &[(&str, FluentValue)]) -> String {
    text_in(lang(), id, args)
}

/// `t!("build-done", sites = n, out = path)`: a message of the catalogue in the language in
/// use; arguments are anything that converts into a Fluent value (strings, numbers).
#[macro_export]
macro_rules! t {
    ($id:literal) => {
        $crate::i18n::text($id, &[])
    };
    ($id:literal, $($name:ident = $value:expr),+ $(,)?) => {
        $crate::i18n::text($id, &[$((stringify!($name), ::fluent_bundle::FluentValue::from($value))),+])
    };
}

/// The ids of a catalogue's messages, for the test that both catalogues match.
pub fn ids(source: &str) -> Vec<&str> {
    source
        .lines()
        .filter(|l| !l.starts_with([' ', '#', '\t']) && l.contains(" ="))
        .filter_map(|l| l.split(" =").next())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_catalogues_have_the_same_messages() {
        let (mut zh, mut en) = (ids(ZH_CN), ids(EN));
        zh.sort_unstable();
        en.sort_unstable();
        assert_eq!(zh, en);
    }

    #[test]
    fn every_message_the_code_uses_is_in_the_catalogue() {
        let known = ids(EN);
        let src = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        for entry in walkdir::WalkDir::new(src)
            .into_iter()
            .filter_map(Result::ok)
        {
            let Ok(code) = std::fs::read_to_string(entry.path()) else {
                continue;
            };
            for (at, _) in code.match_indices("t!(\"") {
                // A `format!` call also ends in the macro's name: only the macro counts.
                if code[..at].ends_with(|c: char| c.is_alphanumeric() || c == '_') {
                    continue;
                }
                let rest = &code[at + 4..];
                let id = &rest[..rest.find('"').unwrap_or(0)];
                assert!(
                    known.contains(&id),
                    "{}: `{id}` is not in the catalogue",
                    entry.path().display()
                );
            }
        }
    }

    #[test]
    fn arguments_are_filled_in_without_isolation_marks() {
        let s = text_in(
            Lang::En,
            "summary-problems",
            &[("errors", 2.into()), ("warnings", 1.into())],
        );
        assert_eq!(s, "2 error(s), 1 warning(s)");
        let s = text_in(
            Lang::ZhCn,
            "summary-problems",
            &[("errors", 2.into()), ("warnings", 1.into())],
        );
        assert_eq!(s, "2 个错误，1 个警告");
    }

    #[test]
    fn braces_written_in_messages_come_out_as_braces() {
        let s = text_in(Lang::En, "inspect-no-icp-help", &[]);
        assert_eq!(
            s,
            "add `footer: {icp: 鄂ICP备XXXXXXXX号}` to this site or to its parent"
        );
    }

    #[test]
    fn language_names_are_read_loosely() {
        assert_eq!(Lang::parse("zh-CN"), Some(Lang::ZhCn));
        assert_eq!(Lang::parse("zh_cn"), Some(Lang::ZhCn));
        assert_eq!(Lang::parse("EN"), Some(Lang::En));
        assert_eq!(Lang::parse("fr"), None);
    }
}
