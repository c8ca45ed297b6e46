//! The editor's page and its two files (script and styles, built into the binary: nothing
//! is loaded from another host). The page's texts come from the message catalogue: the
//! HTML is written here in the run's language, and the script's texts travel in a JSON
//! block of the page.

use crate::serve::http::{Body, Reply};

const SCRIPT: &str = include_str!("assets/editor.js");
const SCRIPT_FILES: &str = include_str!("assets/editor-files.js");
const STYLES: &str = include_str!("assets/editor.css");
const PAGE: &str = include_str!("assets/editor.html");

/// The editor page, carrying the run's token; its preview may show pictures and styles of
/// `content` (the sites' origin).
pub fn page(token: &str, content: &str) -> Reply {
    let strings: serde_json::Map<String, serde_json::Value> =
        crate::i18n::ids_with_prefix("edit-ui-")
            .into_iter()
            .map(|id| {
                (
                    id.trim_start_matches("edit-ui-").to_string(),
                    crate::i18n::text(id, &[]).into(),
                )
            })
            .collect();
    // `</` cannot end the JSON block early once written as `<\/`.
    let json = serde_json::to_string(&strings)
        .unwrap_or_default()
        .replace("</", "<\\/");
    let mut html = PAGE
        .replace("{{token}}", token)
        .replace("{{strings}}", &json);
    html = html.replace(
        "{{lang}}",
        match crate::i18n::lang() {
            crate::i18n::Lang::ZhCn => "zh-CN",
            crate::i18n::Lang::En => "en",
        },
    );
    for id in crate::i18n::ids_with_prefix("edit-ui-") {
        html = html.replace(
            &format!("{{{{{}}}}}", id.trim_start_matches("edit-ui-")),
            &escape(&crate::i18n::text(id, &[])),
        );
    }
    let mut headers = isolated("text/html; charset=utf-8");
    // Scripts only from this origin; the preview frame (no scripts of its own) may show the
    // pictures and styles of the sites' origin. No other page may frame the editor.
    headers.push((
        "Content-Security-Policy",
        format!(
            "default-src 'self'; img-src 'self' data: blob: {content}; style-src 'self' {content}; font-src {content}; frame-src 'self'; script-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
        ),
    ));
    headers.push(("X-Frame-Options", "DENY".to_string()));
    Reply {
        status: 200,
        headers,
        body: Body::Bytes(html.into_bytes()),
    }
}

/// The headers of everything the editor's origin answers: never cached, never embedded by
/// another origin's page, never sharing a window with one, never sniffed as another type.
pub fn isolated(content_type: &str) -> Vec<(&'static str, String)> {
    vec![
        ("Content-Type", content_type.to_string()),
        ("Cache-Control", "no-store".to_string()),
        ("Cross-Origin-Resource-Policy", "same-origin".to_string()),
        ("Cross-Origin-Opener-Policy", "same-origin".to_string()),
        ("X-Content-Type-Options", "nosniff".to_string()),
        ("Referrer-Policy", "no-referrer".to_string()),
    ]
}

/// The editor's script or styles.
pub fn asset(name: &str) -> Reply {
    let (kind, text) = match name {
        "editor.js" => ("text/javascript; charset=utf-8", SCRIPT),
        "editor-files.js" => ("text/javascript; charset=utf-8", SCRIPT_FILES),
        _ => ("text/css; charset=utf-8", STYLES),
    };
    Reply {
        status: 200,
        headers: isolated(kind),
        body: Body::Bytes(text.as_bytes().to_vec()),
    }
}

fn escape(text: &str) -> String {
    crate::markdown::sanitize::escape(text)
}

/// The size of the editor's own script and styles, in bytes.
#[cfg(test)]
fn own_size() -> usize {
    SCRIPT.len() + SCRIPT_FILES.len() + STYLES.len() + PAGE.len()
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_editors_own_files_stay_small() {
        assert!(
            super::own_size() < 300 * 1024,
            "{} bytes",
            super::own_size()
        );
    }

    #[test]
    fn the_page_carries_the_token_and_every_text() {
        let reply = super::page("abc123", "http://127.0.0.1:1314");
        let html = String::from_utf8(reply.body.bytes().to_vec()).unwrap();
        assert!(html.contains("<meta name=\"zhanqun-token\" content=\"abc123\">"));
        assert!(!html.contains("{{"), "every placeholder is filled");
    }
}
