//! The form of each kind of page, made from the typed domain: which front matter keys a
//! section's pages take, how each is entered (text, date, a choice among the cluster's
//! vocabularies, sites of the tree) and what to tell the writer about it. The browser draws
//! it; the labels and help lines come from the message catalogue.

use serde_json::{Value, json};

use crate::config::Cluster;
use crate::domain::{Folder, SectionKind};

/// One field: its front matter key, how it is entered, and its choices.
fn field(key: &str, input: &str) -> Value {
    let label = crate::i18n::text(&format!("edit-field-{}", key.replace(['.', '_'], "-")), &[]);
    json!({ "key": key, "input": input, "label": label })
}

fn with(mut f: Value, name: &str, value: Value) -> Value {
    f[name] = value;
    f
}

fn help(f: Value, id: &str) -> Value {
    with(f, "help", Value::String(crate::i18n::text(id, &[])))
}

fn choices(f: Value, values: &[String]) -> Value {
    with(f, "options", json!(values))
}

/// The fields every dated page has first.
fn head(dated: bool) -> Vec<Value> {
    let mut out = vec![with(field("title", "text"), "required", json!(true))];
    if dated {
        out.push(help(field("date", "datetime"), "edit-help-date"));
    }
    out
}

/// Who wrote it, where from, what it is about.
fn about() -> Vec<Value> {
    vec![
        help(field("summary", "textarea"), "edit-help-summary"),
        field("author", "text"),
        help(field("source", "text"), "edit-help-source"),
        help(field("tags", "tags"), "edit-help-tags"),
    ]
}

/// 置顶, the cover picture of a news item, and the attachments (附件) every page may list.
fn extras(cover: bool) -> Vec<Value> {
    let mut out = Vec::new();
    if cover {
        out.push(help(field("image", "picture"), "edit-help-image"));
        out.push(help(field("image_alt", "text"), "edit-help-image-alt"));
    }
    out.push(help(field("top", "top"), "edit-help-top"));
    out
}

/// The files listed under the page (`files:`).
fn attachments() -> Value {
    help(field("files", "files"), "edit-help-files")
}

/// 报送 / 下发 as a plain choice, each with one line saying what it does.
fn syndicate(down: bool) -> Value {
    let mut options =
        vec![json!({"value": "", "label": crate::i18n::text("edit-syndicate-none", &[])})];
    options.push(json!({"value": "up", "label": crate::i18n::text("edit-syndicate-up", &[]), "help": crate::i18n::text("edit-help-up", &[])}));
    if down {
        options.push(json!({"value": "down", "label": crate::i18n::text("edit-syndicate-down", &[]), "help": crate::i18n::text("edit-help-down", &[]), "bureau": true}));
    }
    with(
        field("syndicate", "choice"),
        "options",
        Value::Array(options),
    )
}

/// The form of each kind of page (`news`, `notices`, `resources`, `disclosure`, `pages`,
/// `classes`, `topics`), with the cluster's vocabularies as choices.
pub fn schema(cluster: &Cluster) -> Value {
    let v = &cluster.settings.vocabularies;
    let mut news = head(true);
    news.extend(about());
    news.push(syndicate(false));
    news.extend(extras(true));
    news.push(attachments());
    let mut notices = head(true);
    notices.extend(about());
    notices.push(syndicate(true));
    notices.extend(extras(false));
    notices.push(attachments());
    let mut resources = head(true);
    resources.push(choices(field("stage", "select"), &v.stage));
    resources.push(choices(field("subject", "select"), &v.subject));
    resources.push(choices(field("resource_type", "select"), &v.resource_type));
    let edition = field(
        "edition",
        if v.edition.is_some() {
            "select"
        } else {
            "text"
        },
    );
    resources.push(choices(edition, v.edition.as_deref().unwrap_or_default()));
    resources.push(field("grade", "text"));
    resources.extend(about());
    let mut disclosure = head(true);
    let categories: Vec<String> = crate::content::meta::DISCLOSURE_CATEGORIES
        .map(String::from)
        .to_vec();
    disclosure.push(with(
        choices(field("category", "text"), &categories),
        "suggest",
        json!(true),
    ));
    disclosure.push(help(field("doc_no", "text"), "edit-help-doc-no"));
    disclosure.push(help(field("index_no", "text"), "edit-help-index-no"));
    disclosure.push(field("publisher", "text"));
    disclosure.push(field("created", "date"));
    disclosure.push(choices(
        field("open_mode", "select"),
        &crate::content::meta::OPEN_MODES.map(String::from),
    ));
    disclosure.push(field("summary", "textarea"));
    disclosure.push(attachments());
    resources.push(attachments());
    let mut pages = head(false);
    pages.push(field("summary", "textarea"));
    pages.push(attachments());
    let mut forms = serde_json::Map::new();
    for folder in Folder::ALL {
        let fields = match folder {
            Folder::Section(SectionKind::News) => news.clone(),
            Folder::Section(SectionKind::Notices) => notices.clone(),
            Folder::Section(SectionKind::Resources) => resources.clone(),
            Folder::Section(SectionKind::Disclosure) => disclosure.clone(),
            Folder::Section(SectionKind::Pages | SectionKind::Other) => pages.clone(),
            Folder::Classes => lesson(),
            Folder::Topics => topic(),
        };
        forms.insert(folder.form().to_string(), Value::Array(fields));
    }
    Value::Object(forms)
}

/// A 三个课堂 lesson: its kind, class, teacher, time, receivers chosen from the site tree.
fn lesson() -> Vec<Value> {
    let kinds: Vec<String> = crate::content::lesson::ClassKind::ALL
        .iter()
        .map(|k| k.label().to_string())
        .collect();
    vec![
        with(field("title", "text"), "required", json!(true)),
        choices(field("kind", "select"), &kinds),
        field("subject", "text"),
        field("grade", "text"),
        field("teacher", "text"),
        help(field("starts", "datetime"), "edit-help-starts"),
        with(
            field("duration", "number"),
            "unit",
            Value::String(crate::i18n::text("edit-unit-minutes", &[])),
        ),
        help(
            field("repeat.weekly_until", "date"),
            "edit-help-weekly-until",
        ),
        help(field("receivers", "sites"), "edit-help-receivers"),
        field("live_url", "text"),
        field("replay_url", "text"),
    ]
}

/// A 专题: the tags it gathers and its time span.
fn topic() -> Vec<Value> {
    vec![
        with(field("title", "text"), "required", json!(true)),
        help(field("tags", "tags"), "edit-help-topic-tags"),
        field("from", "date"),
        field("to", "date"),
    ]
}
