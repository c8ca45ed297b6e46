//! The shipped `default` theme, compiled into the binary so that a cluster without its own
//! `themes/default` folder still builds. A cluster's `themes/default` replaces it.

macro_rules! template {
    ($name:literal) => {
        (
            $name,
            include_str!(concat!("../../themes/default/templates/", $name)),
        )
    };
}

/// Templates of the built-in theme, by name.
pub const TEMPLATES: &[(&str, &str)] = &[
    template!("404.html"),
    template!("alias.html"),
    template!("base.html"),
    template!("classes.html"),
    template!("disclosure.html"),
    template!("home.html"),
    template!("lesson.html"),
    template!("page.html"),
    template!("partials/breadcrumbs.html"),
    template!("partials/columns.html"),
    template!("partials/footer.html"),
    template!("partials/header.html"),
    template!("partials/item.html"),
    template!("partials/photo_news.html"),
    template!("partials/week.html"),
    template!("report.html"),
    template!("resources.html"),
    template!("search.html"),
    template!("section.html"),
    template!("sitemap.html"),
    template!("stats.html"),
    template!("topic.html"),
    template!("topics.html"),
];

/// Static files of the built-in theme, by path.
pub const STATIC: &[(&str, &[u8])] = &[
    (
        "css/style.css",
        include_bytes!("../../themes/default/static/css/style.css"),
    ),
    (
        "css/theme.css",
        include_bytes!("../../themes/default/static/css/theme.css"),
    ),
    (
        "favicon.svg",
        include_bytes!("../../themes/default/static/favicon.svg"),
    ),
    (
        "js/modes.js",
        include_bytes!("../../themes/default/static/js/modes.js"),
    ),
    (
        "js/search.js",
        include_bytes!("../../themes/default/static/js/search.js"),
    ),
];

/// Name shown in error messages for built-in templates.
pub const LABEL: &str = "<built-in default theme>";

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::templates::files_under;
    use std::path::Path;

    fn names_on_disk(sub: &str) -> Vec<String> {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("themes/default")
            .join(sub);
        files_under(&dir).into_iter().map(|(n, _)| n).collect()
    }

    #[test]
    fn every_file_of_the_default_theme_is_built_in() {
        let templates: Vec<String> = TEMPLATES.iter().map(|(n, _)| n.to_string()).collect();
        assert_eq!(
            templates,
            names_on_disk("templates"),
            "list every template of themes/default in builtin.rs"
        );
        let statics: Vec<String> = STATIC.iter().map(|(n, _)| n.to_string()).collect();
        assert_eq!(
            statics,
            names_on_disk("static"),
            "list every static file of themes/default in builtin.rs"
        );
    }
}
