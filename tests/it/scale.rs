//! Correctness at scale: a cluster from the benchmark generator, counted end to end.
//!
//! The expected figures come from the generator's rules, not from a previous build: every
//! school writes 50 news pages, every third one (17 of 50) is offered up, and an offered
//! item reaches the school's county and the city.

use std::path::Path;
use std::process::Command;

const PAGES: usize = 2000;
const PER_SCHOOL: usize = 50;
const COUNTIES: usize = 10;
const OFFERED_PER_SCHOOL: usize = PER_SCHOOL.div_ceil(3);

fn generate(dir: &Path) {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("benches/gen_cluster.py");
    let status = Command::new("python3")
        .arg(script)
        .arg(dir)
        .arg(PAGES.to_string())
        .status()
        .expect("python3 runs the generator");
    assert!(status.success());
}

fn build(root: &Path) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_zhanqun"))
        .arg("build")
        .current_dir(root)
        .env("CI", "true")
        .env("ZHANQUN_LANG", "en")
        .output()
        .expect("run zhanqun");
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        out.status.success(),
        "{text}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    text
}

/// Items listed on every page of a site's news listing.
fn listed_items(site: &Path) -> usize {
    let mut pages = vec![site.join("news/index.html")];
    if let Ok(dir) = std::fs::read_dir(site.join("news/page")) {
        pages.extend(dir.map(|e| e.unwrap().path().join("index.html")));
    }
    pages
        .iter()
        .map(|p| std::fs::read_to_string(p).unwrap())
        .map(|html| html.matches("class=\"item\"").count())
        .sum()
}

fn count_html(dir: &Path) -> usize {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.path().extension().is_some_and(|x| x == "html"))
        .count()
}

#[test]
fn generated_cluster_counts_hold_end_to_end() {
    let tmp = crate::helpers::tempdir();
    let root = tmp.path().join("cluster");
    generate(&root);
    let summary = build(&root);
    let schools = PAGES / PER_SCHOOL;
    let offered = schools * OFFERED_PER_SCHOOL;
    let sites = 1 + COUNTIES + schools;
    assert!(
        summary.contains(&format!("built {sites} site(s)")),
        "{summary}"
    );
    assert!(
        summary.contains(&format!("{} syndicated item(s)", offered * 2)),
        "{summary}"
    );
    let public = root.join("public");
    for school in [0, 17, schools - 1] {
        let dir = public.join(format!("school-{school}"));
        assert_eq!(listed_items(&dir), PER_SCHOOL, "school-{school}");
        assert_eq!(
            std::fs::read_dir(dir.join("news")).unwrap().count(),
            PER_SCHOOL + 2
        );
    }
    let county_schools = schools.div_ceil(COUNTIES);
    let county = public.join("county-0");
    assert_eq!(listed_items(&county), county_schools * OFFERED_PER_SCHOOL);
    assert_eq!(listed_items(&public.join("city")), offered);
    let articles = PAGES;
    assert!(
        count_html(&public) > articles + sites,
        "every article and home written"
    );
}

/// A city of another shape (benches/gen_city.py: notices pushed down to every school, a
/// library fed by every school): output grows with the pages, not pages × sites, so no
/// page carries the whole cluster. At this size the unpaginated facet pages of the city's
/// library were already over the bound.
#[test]
fn no_page_of_a_city_shaped_cluster_is_over_200_kb() {
    let tmp = crate::helpers::tempdir();
    let root = tmp.path().join("cluster");
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("benches/gen_city.py");
    let status = Command::new("python3")
        .arg(script)
        .arg(&root)
        .arg("12000")
        .status()
        .unwrap();
    assert!(status.success());
    build(&root);
    let big: Vec<String> = walkdir::WalkDir::new(root.join("public"))
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.path().extension().is_some_and(|x| x == "html"))
        .filter(|e| e.metadata().unwrap().len() > 200 * 1024)
        .map(|e| {
            format!(
                "{} ({} KB)",
                e.path().display(),
                e.metadata().unwrap().len() / 1024
            )
        })
        .collect();
    assert!(big.is_empty(), "pages over 200 KB:\n{}", big.join("\n"));
    // The city's 网站地图 lists its counties, each leading to its own, not 240 schools.
    let map = std::fs::read_to_string(root.join("public/city/sitemap/index.html")).unwrap();
    assert!(
        map.contains("下属单位较多") && map.contains("county-0/sitemap/\">网站地图</a>"),
        "{map}"
    );
    assert!(
        !map.contains("第5学校"),
        "schools are on their county's 网站地图"
    );
    let county = std::fs::read_to_string(root.join("public/county-0/sitemap/index.html")).unwrap();
    assert!(
        county.contains("第4学校") && !county.contains("下属单位较多"),
        "a county of 120 schools lists them"
    );
}
