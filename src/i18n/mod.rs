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

/// A message as data: a catalogue id with its arguments (or text from elsewhere, such as a
/// parser's or git's own words), made into text only when it is shown, in the language of
/// that output. Diagnostics carry these, so one build can be reported in Chinese to a
/// terminal and in English to a tool.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Message {
    /// A message of the catalogue.
    Catalogue {
        /// Its id in the `.ftl` files.
        id: &'static str,
        /// Its arguments, by name (a boxed slice: diagnostics travel in `Result`s).
        args: Box<[(&'static str, Arg)]>,
    },
    /// Text that is not ours to translate.
    Plain(String),
}

/// An argument of a [`Message`].
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Arg {
    /// Text shown as it is (a file name, a value a webmaster wrote).
    Text(String),
    /// A number (Fluent chooses plural forms by it).
    Number(i64),
    /// Another message, shown in the same language.
    Message(Box<Message>),
}

impl Message {
    /// A message of the catalogue.
    pub fn new(id: &'static str, args: Vec<(&'static str, Arg)>) -> Message {
        Message::Catalogue {
            id,
            args: args.into_boxed_slice(),
        }
    }

    /// The text in `lang`.
    pub fn render(&self, lang: Lang) -> String {
        match self {
            Message::Plain(text) => text.clone(),
            Message::Catalogue { id, args } => {
                let values: Vec<(&str, FluentValue)> = args
                    .iter()
                    .map(|(name, arg)| {
                        let value = match arg {
                            Arg::Text(t) => FluentValue::from(t.as_str()),
                            Arg::Number(n) => FluentValue::from(*n),
                            Arg::Message(m) => FluentValue::from(m.render(lang)),
                        };
                        (*name, value)
                    })
                    .collect();
                text_in(lang, id, &values)
            }
        }
    }

    /// The text in English: what tests and logs read.
    pub fn en(&self) -> String {
        self.render(Lang::En)
    }

    /// The catalogue id, for code that decides by the kind of message (never by its text).
    pub fn id(&self) -> Option<&'static str> {
        match self {
            Message::Catalogue { id, .. } => Some(id),
            Message::Plain(_) => None,
        }
    }

    /// The text argument `name`, for code that decides by what a message is about.
    pub fn arg(&self, name: &str) -> Option<&str> {
        let Message::Catalogue { args, .. } = self else {
            return None;
        };
        args.iter().find_map(|(n, a)| match a {
            Arg::Text(t) if *n == name => Some(t.as_str()),
            _ => None,
        })
    }

    /// The same message with `f` applied to every text it quotes (to hide a folder name).
    pub fn map_text(self, f: &dyn Fn(String) -> String) -> Message {
        match self {
            Message::Plain(t) => Message::Plain(f(t)),
            Message::Catalogue { id, args } => Message::Catalogue {
                id,
                args: args
                    .into_vec()
                    .into_iter()
                    .map(|(n, a)| {
                        let a = match a {
                            Arg::Text(t) => Arg::Text(f(t)),
                            Arg::Message(m) => Arg::Message(Box::new(m.map_text(f))),
                            number => number,
                        };
                        (n, a)
                    })
                    .collect(),
            },
        }
    }
}

impl Default for Message {
    fn default() -> Message {
        Message::Plain(String::new())
    }
}

/// Shown in the language chosen for the process's own output (the command line's).
impl std::fmt::Display for Message {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.render(lang()))
    }
}

impl From<String> for Message {
    fn from(text: String) -> Message {
        Message::Plain(text)
    }
}

impl From<&str> for Message {
    fn from(text: &str) -> Message {
        Message::Plain(text.to_string())
    }
}

impl From<String> for Arg {
    fn from(t: String) -> Arg {
        Arg::Text(t)
    }
}

impl From<&String> for Arg {
    fn from(t: &String) -> Arg {
        Arg::Text(t.clone())
    }
}

impl From<&str> for Arg {
    fn from(t: &str) -> Arg {
        Arg::Text(t.to_string())
    }
}

impl From<Message> for Arg {
    fn from(m: Message) -> Arg {
        Arg::Message(Box::new(m))
    }
}

macro_rules! number_args {
    ($($t:ty),*) => {$(
        impl From<$t> for Arg {
            fn from(n: $t) -> Arg {
                Arg::Number(i64::try_from(n).unwrap_or(i64::MAX))
            }
        }
    )*};
}
number_args!(usize, u64, u32, u16, i64, i32);

/// `t!("build-done", sites = n, out = path)`: a [`Message`] of the catalogue, made into text
/// when it is shown; arguments are strings, numbers or other messages.
#[macro_export]
macro_rules! t {
    ($id:literal) => {
        $crate::i18n::Message::new($id, Vec::new())
    };
    ($id:literal, $($name:ident = $value:expr),+ $(,)?) => {
        $crate::i18n::Message::new($id, vec![$((stringify!($name), $crate::i18n::Arg::from($value))),+])
    };
}

/// The ids of the messages starting with `prefix` (the editor sends its page's texts to the
/// browser this way).
pub fn ids_with_prefix(prefix: &str) -> Vec<&'static str> {
    ids(ZH_CN)
        .into_iter()
        .filter(|id| id.starts_with(prefix))
        .collect()
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
