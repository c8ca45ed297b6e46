//! `zhanqun new`: a new site (its site file and a content skeleton) and a new page with the
//! front matter its section needs. Nothing that exists is ever overwritten: every target is
//! checked before the first file is written.

use std::path::{Path, PathBuf};

use chrono::Utc;

use crate::config::{self, Cluster, LoadOptions, site::SiteKind};
use crate::diagnostics::did_you_mean;
use crate::domain::SectionKind;
use crate::t;

/// Why nothing was written; the message says what to do.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct Refused(pub crate::i18n::Message);

/// What `new site` writes.
pub struct NewSite<'a> {
    /// The site id (file name of `sites/<id>.yaml`).
    pub id: &'a str,
    /// city | county | school | studio.
    pub kind: SiteKind,
    /// The parent site's id.
    pub parent: &'a str,
    /// 网站名称.
    pub name: &'a str,
}

/// Writes `sites/<id>.yaml` and `content/<id>/` with a home intro, the about page and an
/// `_index.md` per section; returns the files written, relative to the root.
pub fn new_site(root: &Path, site: &NewSite) -> Result<Vec<PathBuf>, Refused> {
    let valid_id = !site.id.is_empty()
        && site
            .id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
    if !valid_id {
        return Err(Refused(t!("new-bad-id", id = site.id)));
    }
    check_text("--name", site.name)?;
    let cluster = load(root)?;
    if cluster.get(site.id).is_some() {
        return Err(Refused(t!("new-site-exists", id = site.id)));
    }
    let Some(parent) = cluster.get(site.parent) else {
        let hint = did_you_mean(site.parent, cluster.ids())
            .map(|b| t!("usage-site-hint", best = b.to_string()))
            .unwrap_or_default();
        return Err(Refused(t!(
            "new-no-parent",
            parent = site.parent,
            hint = hint
        )));
    };
    let parent_kind = cluster.sites[parent].kind;
    if parent_kind.rank() <= site.kind.rank() {
        let (kind, parent_kind) = (site.kind.as_str(), parent_kind.as_str());
        return Err(Refused(t!(
            "new-kind-order",
            kind = kind,
            parent_kind = parent_kind
        )));
    }
    let files = site_files(site);
    write_all(root, &files)
}

/// The files of a new site: its site file and content skeleton.
fn site_files(site: &NewSite) -> Vec<(PathBuf, String)> {
    let content = Path::new("content").join(site.id);
    let about = match site.kind {
        SiteKind::School => "学校概况",
        SiteKind::Studio => "工作室简介",
        SiteKind::City | SiteKind::County => "机构概况",
    };
    let mut files = vec![
        (
            Path::new("sites").join(format!("{}.yaml", site.id)),
            format!(
                "name: {name}\nkind: {kind}\nparent: {parent}\n{menu}footer:\n  sponsor: {name}\n",
                name = yaml_string(site.name),
                kind = site.kind.as_str(),
                parent = site.parent,
                menu = menu(site.kind, about),
            ),
        ),
        (
            content.join("_index.md"),
            format!(
                "---\ntitle: {}\n---\n欢迎访问{}。\n",
                yaml_string(site.name),
                site.name
            ),
        ),
        (
            content.join(SectionKind::Pages.name()).join("about.md"),
            format!(
                "---\ntitle: {about}\n---\n这里介绍{}的基本情况。\n",
                site.name
            ),
        ),
    ];
    let mut sections = vec![
        SectionKind::News,
        SectionKind::Notices,
        SectionKind::Resources,
    ];
    if site.kind.is_bureau() {
        sections.push(SectionKind::Disclosure);
    }
    for kind in sections {
        let title = kind.title().unwrap_or_default();
        let index = content.join(kind.name()).join("_index.md");
        files.push((index, format!("---\ntitle: {title}\n---\n")));
    }
    files
}

/// A school's or studio's own menu: a bureau's (信息公开, 应用数据) has entries it lacks. A
/// bureau inherits the menu of the bureau above.
fn menu(kind: SiteKind, about: &str) -> String {
    if kind.is_bureau() {
        return String::new();
    }
    let mut menu = String::from("menu:\n");
    for section in [
        SectionKind::News,
        SectionKind::Notices,
        SectionKind::Resources,
    ] {
        let title = section.title().unwrap_or_default();
        menu.push_str(&format!(
            "  - {{name: {title}, section: {}}}\n",
            section.name()
        ));
    }
    menu.push_str(&format!("  - {{name: {about}, url: /about/}}\n"));
    menu
}

/// Where a new page goes: its cluster, site and section.
pub struct Place {
    /// The cluster, loaded.
    pub cluster: Cluster,
    /// The site.
    pub site: crate::config::SiteKey,
    /// The section folder (`news`).
    pub section: String,
    /// What kind of section it is.
    pub kind: SectionKind,
    /// Now, in the cluster's timezone.
    pub now: chrono::DateTime<chrono::FixedOffset>,
}

impl Place {
    /// The section's folder.
    pub fn folder(&self) -> PathBuf {
        self.cluster.sites[self.site]
            .content_dir
            .join(&self.section)
    }
}

/// Splits `<site>/<section>[/<slug>]`; `usage` is the catalogue id of the message when the
/// target is not of that form.
pub fn split_target<'t>(
    target: &'t str,
    usage: &'static str,
) -> Result<(&'t str, &'t str, Option<&'t str>), Refused> {
    let mut parts = target.trim_matches('/').splitn(3, '/');
    let (Some(id), Some(section)) = (parts.next(), parts.next()) else {
        return Err(usage_error(usage, target));
    };
    let slug = parts.next().map(|s| s.trim_end_matches(".md"));
    let bad = |s: &str| {
        s.is_empty()
            || s.starts_with('.')
            || s.contains(['/', '\\'])
            || s.chars().any(char::is_control)
    };
    if bad(id) || bad(section) || slug.is_some_and(bad) {
        return Err(usage_error(usage, target));
    }
    Ok((id, section, slug))
}

fn usage_error(usage: &'static str, target: &str) -> Refused {
    let args = vec![("target", crate::i18n::Arg::from(target))];
    Refused(crate::i18n::Message::new(usage, args))
}

/// The site `id` of the cluster at `root` and its `section`, ready for a new page: the
/// site must exist and be edited here (not fetched from git), the section must be known
/// or already exist.
pub fn place(root: &Path, id: &str, section: &str) -> Result<Place, Refused> {
    let cluster = load(root)?;
    let Some(key) = cluster.get(id) else {
        let hint = did_you_mean(id, cluster.ids())
            .map(|b| t!("usage-site-hint", best = b.to_string()))
            .unwrap_or_default();
        return Err(Refused(t!("usage-site-unknown", id = id, hint = hint)));
    };
    let site = &cluster.sites[key];
    if site.git.is_some() {
        return Err(Refused(t!("new-page-git", id = id)));
    }
    let kind = SectionKind::of(section);
    let special = [crate::domain::CLASSES_FOLDER, crate::domain::TOPICS_FOLDER].contains(&section);
    if kind == SectionKind::Other && !special && !site.content_dir.join(section).is_dir() {
        let known = SectionKind::KNOWN.iter().map(|k| k.name());
        let hint = did_you_mean(section, known)
            .map(|b| t!("usage-site-hint", best = b.to_string()))
            .unwrap_or_default();
        return Err(Refused(t!(
            "new-page-section",
            section = section,
            hint = hint
        )));
    }
    let now = Utc::now().with_timezone(&cluster.settings.timezone);
    Ok(Place {
        cluster,
        site: key,
        section: section.to_string(),
        kind,
        now,
    })
}

/// Writes a new page `<site>/<section>/<slug>` as a draft; returns its path.
pub fn new_page(root: &Path, target: &str, title: Option<&str>) -> Result<PathBuf, Refused> {
    let (id, section, slug) = split_target(target, "new-page-usage")?;
    let Some(slug) = slug else {
        return Err(Refused(t!("new-page-usage", target = target)));
    };
    if let Some(title) = title {
        check_text("--title", title)?;
    }
    let place = place(root, id, section)?;
    let now = place.now;
    if let Some(special) = special_page(section, title.unwrap_or(slug), &now) {
        let path = place.folder().join(format!("{slug}.md"));
        let rel = path.strip_prefix(root).unwrap_or(&path).to_path_buf();
        write_all(root, &[(rel.clone(), special)])?;
        return Ok(rel);
    }
    let file = match place.kind {
        SectionKind::Pages => format!("{slug}.md"),
        _ => format!("{}-{slug}.md", now.format("%Y-%m-%d")),
    };
    let path = place.folder().join(file);
    let date = now.format("%Y-%m-%d %H:%M").to_string();
    let text = front_matter(&place.cluster, place.kind, title.unwrap_or(slug), &date)
        + "\n正文写在这里。\n";
    let rel = path.strip_prefix(root).unwrap_or(&path).to_path_buf();
    write_all(root, &[(rel.clone(), text)])?;
    Ok(rel)
}

/// A name or title with a line break or another control character: refused, since it
/// would end the YAML line it is written on (and could set other keys).
fn check_text(option: &str, text: &str) -> Result<(), Refused> {
    if text.trim().is_empty() || text.chars().any(char::is_control) {
        return Err(Refused(t!("new-bad-text", option = option)));
    }
    Ok(())
}

/// The file of a 三个课堂 lesson (`classes/`) or a 专题 (`topics/`), which have front
/// matter of their own; `None` for other sections.
pub fn special_page(
    section: &str,
    title: &str,
    now: &chrono::DateTime<chrono::FixedOffset>,
) -> Option<String> {
    let title = yaml_string(title);
    let draft = "draft: true  # 写好后删掉这一行，才会发布";
    if section == crate::domain::CLASSES_FOLDER {
        let day = now.format("%Y-%m-%d");
        return Some(format!(
            "---\ntitle: {title}\nkind: 专递课堂  # 可选：专递课堂、名师课堂、名校网络课堂\nsubject: 语文  # 学科\ngrade: 一年级\nteacher: 授课教师  # 改成老师的姓名\nstarts: {day} 14:30  # 第一次上课的日期和时间\nduration: 40  # 每节课的分钟数\n# repeat: {{weekly_until: {day}}}  # 每周重复时，写到哪一天为止\nreceivers: all  # 接收学校：all（本局下属的全部学校），或站点标识的列表，如 [qs-hexi-primary]\n{draft}\n---\n\n课程简介写在这里。\n"
        ));
    }
    if section == crate::domain::TOPICS_FOLDER {
        return Some(format!(
            "---\ntitle: {title}\ntags: [{title}]  # 新闻和资源的 tags 里有其中一个，就会列入这个专题\n# from: {}  # 只收这一天以后的（可选）\n{draft}\n---\n\n专题介绍写在这里。\n",
            now.format("%Y-%m-%d")
        ));
    }
    None
}

/// The front matter of a draft page of `kind` (`---` … `---` and a blank line): the title,
/// the date (not for plain pages) and the fields the section needs, with their choices.
pub fn front_matter(cluster: &Cluster, kind: SectionKind, title: &str, date: &str) -> String {
    let mut front = format!("title: {}\n", yaml_string(title));
    if kind != SectionKind::Pages {
        front.push_str(&format!("date: {date}\n"));
    }
    // No `source:`: the site's name is shown, and stays right when the site is renamed.
    if kind == SectionKind::Resources {
        let v = &cluster.settings.vocabularies;
        for (key, label, values) in [
            ("stage", "学段", &v.stage),
            ("subject", "学科", &v.subject),
            ("resource_type", "资源类型", &v.resource_type),
        ] {
            let first = values.first().map(String::as_str).unwrap_or_default();
            let choices = values.join("、");
            front.push_str(&format!("{key}: {first}  # {label}，可选：{choices}\n"));
        }
    }
    if kind == SectionKind::Disclosure {
        // Empty values read as absent: the metadata table shows what is filled in.
        front.push_str("category:  # 信息类别，如：政策文件、规划计划、财政资金、人事信息、招生考试、收费公示、学生资助\n");
        front.push_str("doc_no:  # 文号，如：江教发〔2026〕12号；没有文号就空着\n");
    }
    // A draft, as Hugo's `hugo new` makes: the page is built only once its writer says so.
    format!("---\n{front}draft: true  # 写好后删掉这一行，页面才会发布\n---\n")
}

/// A YAML scalar on one line that reads back as `s`: plain where YAML allows it, else a
/// double-quoted (JSON) string, which is valid YAML whatever `s` holds.
fn yaml_string(s: &str) -> String {
    let plain = crate::yaml::scalar(s);
    let plain = plain.trim_end();
    if plain.contains('\n') || plain.is_empty() {
        serde_json::to_string(s).unwrap_or_default()
    } else {
        plain.to_string()
    }
}

fn load(root: &Path) -> Result<Cluster, Refused> {
    config::load(root, &LoadOptions::default()).map_err(|d| {
        let first = d
            .into_sorted()
            .into_iter()
            .next()
            .map(|d| d.to_string())
            .unwrap_or_default();
        Refused(t!("new-cluster-broken", problem = first))
    })
}

/// Writes every file, or none when one of them (or its site folder) exists already.
pub fn write_all(root: &Path, files: &[(PathBuf, String)]) -> Result<Vec<PathBuf>, Refused> {
    if let Some((taken, _)) = files.iter().find(|(p, _)| root.join(p).exists()) {
        return Err(Refused(t!(
            "new-exists",
            path = taken.display().to_string()
        )));
    }
    for (path, text) in files {
        let full = root.join(path);
        let io = |e: std::io::Error| Refused(format!("{}: {e}", path.display()).into());
        if let Some(dir) = full.parent() {
            std::fs::create_dir_all(dir).map_err(io)?;
        }
        // `create_new`: a file that appeared meanwhile is still not overwritten.
        let mut file = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&full)
            .map_err(io)?;
        std::io::Write::write_all(&mut file, text.as_bytes()).map_err(io)?;
    }
    Ok(files.iter().map(|(p, _)| p.clone()).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles_are_quoted_when_yaml_needs_it() {
        assert_eq!(yaml_string("读书节"), "读书节");
        assert_eq!(yaml_string("关于: 放假"), "'关于: 放假'");
        assert_eq!(yaml_string("true"), "'true'");
        assert_eq!(yaml_string("x\nicp: 伪造"), "\"x\\nicp: 伪造\"");
    }
}
