//! Fast tests of the model's rules, in this process and in memory (no binary, no disk
//! output): section kinds, typed metadata, the facet table, syndication membership and the
//! sites an edit affects.

use zhanqun::content::{Facet, SectionKind, Syndicate};
use zhanqun::federation::resources::LibraryFacet;

use crate::helpers::Fixture;

#[test]
fn pages_carry_their_kind_and_typed_metadata() {
    let r = Fixture::new("library").render().expect("renders");
    let lib = r.library();
    let resource = lib
        .pages
        .iter()
        .find(|p| p.kind == SectionKind::Resources)
        .expect("a resource");
    let meta = resource.meta.resource().expect("resource metadata");
    for facet in Facet::ALL.into_iter().filter(|f| f.required()) {
        assert!(
            meta.get(facet).is_some(),
            "{facet:?} on {}",
            resource.rel_path
        );
    }
    assert!(resource.meta.disclosure().is_none());
    let disclosure = lib
        .pages
        .iter()
        .find(|p| p.kind == SectionKind::Disclosure)
        .expect("a disclosure item");
    assert!(disclosure.meta.disclosure().is_some() && disclosure.meta.resource().is_none());
    let news = lib
        .pages
        .iter()
        .find(|p| p.kind == SectionKind::News)
        .unwrap();
    assert!(news.meta.resource().is_none() && news.meta.disclosure().is_none());
}

#[test]
fn the_library_facets_are_the_resource_facets_and_the_site() {
    let keys: Vec<&str> = LibraryFacet::all().map(LibraryFacet::key).collect();
    assert_eq!(
        keys,
        ["stage", "subject", "resource_type", "edition", "site"]
    );
    let r = Fixture::new("library").render().expect("renders");
    let city_library = r.file("city/resources/index.html");
    for facet in LibraryFacet::all() {
        assert!(city_library.contains(facet.label()), "{}", facet.label());
    }
}

#[test]
fn syndication_lists_exactly_what_the_rules_say() {
    let r = Fixture::new("syndication").render().expect("renders");
    let (lib, fed) = (r.library(), r.federation());
    let titles = |site: &str, up: bool| -> Vec<String> {
        let s = &fed.sites[r.site(site)];
        let keys = if up { &s.received_up } else { &s.received_down };
        let mut t: Vec<String> = keys.iter().map(|&k| lib.pages[k].title.clone()).collect();
        t.sort();
        t
    };
    // 西区 accepts news one level down only: the studio below 西区二中 is not listed there.
    assert!(
        !titles("west", true).iter().any(|t| t.contains("工作室")),
        "{:?}",
        titles("west", true)
    );
    for up in titles("city", true) {
        let page = lib.pages.iter().find(|p| p.title == up).unwrap();
        assert_eq!(page.syndicate, Some(Syndicate::Up), "{up}");
        assert_eq!(page.kind, SectionKind::News);
    }
    // A county's notice reaches its own schools, never the other county's.
    assert!(titles("east-a", false).iter().any(|t| t.contains("东区")));
    assert!(!titles("west-a", false).iter().any(|t| t.contains("东区")));
}

#[test]
fn an_edit_affects_its_site_the_bureaus_above_and_the_sites_linking_to_it() {
    let f = Fixture::new("syndication");
    f.write(
        "content/west-a/news/2024-05-31-链接.md",
        "---\ntitle: 链接一小\n---\n[一小](@/east-a/news/2024-05-01-一小运动会.md)\n",
    );
    let r = f.render().expect("renders");
    let ids = |keys: Vec<zhanqun::config::SiteKey>| -> Vec<String> {
        keys.iter()
            .map(|&k| r.cluster().sites[k].id.clone())
            .collect()
    };
    let fed = r.federation();
    assert_eq!(
        ids(fed.affected(r.cluster(), &[r.site("east-a")])),
        ["city", "east", "east-a", "west-a"]
    );
    // A bureau's edit reaches every site below it (notices pushed down).
    assert_eq!(
        ids(fed.affected(r.cluster(), &[r.site("east")])),
        ["city", "east", "east-a", "east-b"]
    );
}

#[test]
fn content_errors_are_collected_in_memory() {
    let f = Fixture::new("basic");
    f.write(
        "content/city/news/bad.md",
        "---\ntitle: 坏\ndate: 2024-13-40\nsyndicate: sideways\n---\n",
    );
    let errors = f.render().err().expect("errors");
    assert_eq!(
        errors,
        [
            "content/city/news/bad.md:3:7: error: invalid `date` `2024-13-40`",
            "content/city/news/bad.md:4:12: error: invalid `syndicate` `sideways`",
        ]
    );
}

#[test]
fn a_build_written_in_groups_equals_one_written_at_once() {
    let f = Fixture::new("syndication");
    let build = |out: &str, pages_per_group: usize| {
        let opts = zhanqun::pipeline::BuildOptions {
            root: f.root.clone(),
            out: Some(f.root.join(out)),
            pages_per_group,
            ..Default::default()
        };
        zhanqun::pipeline::build(&opts, &zhanqun::render::NoProgress).expect("builds")
    };
    let whole = build("whole", 1_000_000);
    let grouped = build("grouped", 1);
    assert_eq!((whole.pages, whole.files), (grouped.pages, grouped.files));
    let published = |out: &str| {
        let mut files = crate::helpers::snapshot(&f.root.join(out));
        files.retain(|(p, _)| p != ".zhanqun");
        files
    };
    assert!(published("whole") == published("grouped"));
    assert_eq!(grouped.sites, 8);
}

#[test]
fn a_bureau_keeps_its_own_copy_of_the_search_rows_of_a_school_on_another_host() {
    let built = Fixture::new("basic").render().expect("renders");
    // `direct` has its own base_url: the city may not fetch from its host.
    let row = built.file("city/search/sites/direct/0.json");
    assert!(row.contains("https://www.yizhong.test.example/"), "{row}");
    let meta = built.file("city/search/meta.json");
    assert!(meta.contains("\"sites/direct/\""), "{meta}");
    assert!(
        meta.contains("/county/search/own/"),
        "same host: the school's own rows"
    );
    assert!(
        !built
            .0
            .outputs
            .files
            .contains_key("city/search/sites/county/0.json")
    );
}

#[test]
fn the_resource_library_combines_facets_through_the_search_page() {
    let built = Fixture::new("library").render().expect("renders");
    let page = built.file("city/resources/index.html");
    let form = &page[page.find("class=\"facet-combine\"").expect("the form")..];
    let form = &form[..form.find("</form>").unwrap()];
    assert!(
        form.contains("action=\"https://edu.lib.example/city/search/\""),
        "{form}"
    );
    assert!(form.contains("<input type=\"hidden\" name=\"section\" value=\"resources\">"));
    for name in ["stage", "subject", "resource_type", "edition"] {
        assert!(form.contains(&format!("name=\"{name}\"")), "{name}: {form}");
    }
    assert!(form.contains("<option value=\"初中\">初中</option>"));
    assert!(
        !form.contains("name=\"site\""),
        "sites are filtered on the facet pages"
    );
}
