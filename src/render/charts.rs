//! SVG bar charts of the statistics pages (应用数据), drawn at build time so they show
//! without JavaScript and print as they are seen.

use std::fmt::Write;

use crate::federation::stats::Counts;

/// The series of each chart with their colours (contrast 4.5:1 or more on white).
const SERIES: [(&str, &str); 3] = [
    ("新闻发布", "#0b4f9c"),
    ("报送", "#b3261e"),
    ("资源贡献", "#2e7d32"),
];

/// A grouped horizontal bar chart of `rows`, readable without JavaScript. `id` makes the
/// title id unique on the page.
pub fn bar_chart(id: &str, title: &str, rows: &[Counts]) -> String {
    let label_w = 220.0;
    let chart_w = 420.0;
    let bar_h = 9.0;
    let row_h = bar_h * 3.0 + 10.0;
    let top = 30.0;
    let height = top + row_h * rows.len() as f64 + 10.0;
    let max = rows
        .iter()
        .map(|r| r.news.max(r.syndicated).max(r.resources))
        .max()
        .unwrap_or(0)
        .max(1) as f64;
    let mut svg = String::new();
    let _ = write!(
        svg,
        r#"<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {w} {height}" width="{w}" height="{height}" role="img" aria-labelledby="{id}-title"><title id="{id}-title">{title}</title>"#,
        w = label_w + chart_w + 40.0,
        title = crate::markdown::sanitize::escape(title),
    );
    for (i, (name, color)) in SERIES.iter().enumerate() {
        let x = label_w + i as f64 * 110.0;
        let _ = write!(
            svg,
            r#"<rect x="{x}" y="6" width="12" height="12" fill="{color}"/><text x="{}" y="16" font-size="12">{name}</text>"#,
            x + 16.0
        );
    }
    for (r, row) in rows.iter().enumerate() {
        let y = top + r as f64 * row_h;
        let _ = write!(
            svg,
            r#"<text x="{}" y="{}" font-size="12" text-anchor="end">{}</text>"#,
            label_w - 8.0,
            y + bar_h * 2.0,
            crate::markdown::sanitize::escape(&row.label)
        );
        for (i, value) in [row.news, row.syndicated, row.resources]
            .into_iter()
            .enumerate()
        {
            let w = (value as f64 / max * chart_w).max(if value > 0 { 1.0 } else { 0.0 });
            let by = y + i as f64 * bar_h;
            let _ = write!(
                svg,
                r#"<rect x="{label_w}" y="{by}" width="{w:.1}" height="{}" fill="{}"/><text x="{:.1}" y="{:.1}" font-size="9">{value}</text>"#,
                bar_h - 1.0,
                SERIES[i].1,
                label_w + w + 3.0,
                by + bar_h - 2.0
            );
        }
    }
    svg.push_str("</svg>");
    svg
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn charts_have_a_bar_per_value_and_an_accessible_title() {
        let rows = vec![
            Counts {
                label: "一小".into(),
                news: 4,
                syndicated: 2,
                resources: 0,
            },
            Counts {
                label: "<二小>".into(),
                news: 1,
                syndicated: 0,
                resources: 3,
            },
        ];
        let svg = bar_chart("c", "各单位数据", &rows);
        assert!(svg.starts_with("<svg") && svg.ends_with("</svg>"));
        assert!(svg.contains("<title id=\"c-title\">各单位数据</title>"));
        assert_eq!(
            svg.matches("<rect").count(),
            3 + 6,
            "legend plus one bar per value"
        );
        assert!(svg.contains("&lt;二小&gt;"));
        assert!(
            svg.contains(r#"width="420.0""#),
            "the largest value spans the chart"
        );
    }
}
