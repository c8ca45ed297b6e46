//! The words of the domain that every stage shares, from the config on: the kinds of
//! section a content repository may hold and the two directions of syndication. Section
//! folder names are written here and nowhere else; every other module compares kinds.

use serde::{Deserialize, Serialize};

/// What a top folder of a content repository is. Known folders have their own rules
/// (syndication, facets, 信息公开 metadata, listings); any other folder is a plain section
/// with a listing of its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum SectionKind {
    /// `news/`: 新闻动态, offered up to bureaus with `syndicate: up`.
    News,
    /// `notices/`: 通知公告, pushed down by bureaus with `syndicate: down`.
    Notices,
    /// `disclosure/`: 信息公开 items with their metadata table.
    Disclosure,
    /// `resources/`: 教学资源 with facets and attachments.
    Resources,
    /// `pages/`: plain pages (学校概况 …) rendered at `/<slug>/`, without a listing.
    Pages,
    /// Any other folder.
    Other,
}

/// The folder of a content repository that holds 专题 (`topics/<slug>.md`): not a section.
pub const TOPICS_FOLDER: &str = "topics";

/// The folder of a content repository that holds 三个课堂 lessons (`classes/<slug>.md`).
pub const CLASSES_FOLDER: &str = "classes";

/// What visitors call the 三个课堂 column: its title in menus, crumbs and search results.
pub const CLASSES_TITLE: &str = "三个课堂";

impl SectionKind {
    /// The known kinds, in default menu order.
    pub const KNOWN: [SectionKind; 5] = [
        SectionKind::News,
        SectionKind::Notices,
        SectionKind::Disclosure,
        SectionKind::Resources,
        SectionKind::Pages,
    ];

    /// The kind of a folder name.
    pub fn of(folder: &str) -> SectionKind {
        Self::KNOWN
            .into_iter()
            .find(|k| k.folder() == Some(folder))
            .unwrap_or(SectionKind::Other)
    }

    /// The folder name of a known kind.
    pub fn folder(self) -> Option<&'static str> {
        Some(match self {
            SectionKind::News => "news",
            SectionKind::Notices => "notices",
            SectionKind::Disclosure => "disclosure",
            SectionKind::Resources => "resources",
            SectionKind::Pages => "pages",
            SectionKind::Other => return None,
        })
    }

    /// The folder name of a known kind; for use where the kind is known not to be `Other`.
    pub fn name(self) -> &'static str {
        self.folder().unwrap_or("")
    }

    /// The built-in title (栏目名称) of a known kind.
    pub fn title(self) -> Option<&'static str> {
        Some(match self {
            SectionKind::News => "新闻动态",
            SectionKind::Notices => "通知公告",
            SectionKind::Disclosure => "信息公开",
            SectionKind::Resources => "教学资源",
            SectionKind::Pages => "页面",
            SectionKind::Other => return None,
        })
    }

    /// The column type (栏目类型) of the government website page metadata (`ColumnType`).
    pub fn column_type(self) -> &'static str {
        match self {
            SectionKind::News => "工作动态",
            SectionKind::Notices => "通知公告",
            SectionKind::Disclosure => "信息公开",
            SectionKind::Resources => "资源服务",
            SectionKind::Pages | SectionKind::Other => "综合信息",
        }
    }

    /// Order in generated menus (lower first) unless `_index.md` sets `weight`.
    pub fn default_weight(self) -> i64 {
        match self {
            SectionKind::News => 10,
            SectionKind::Notices => 20,
            SectionKind::Disclosure => 30,
            SectionKind::Resources => 40,
            SectionKind::Pages | SectionKind::Other => 100,
        }
    }

    /// True for sections whose pages go into the site's feeds: dated publications, not the
    /// plain pages nor the resources (which have `resources/index.json`).
    pub fn in_feeds(self) -> bool {
        !matches!(self, SectionKind::Pages | SectionKind::Resources)
    }
}

/// What a top folder of a content repository holds, as a writer starts it: a section of a
/// known kind (or a plain one), the 三个课堂 lessons or the 专题. The editor's list of
/// folders and its forms come from here, so a new kind needs no change there.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Folder {
    /// A section.
    Section(SectionKind),
    /// `classes/`: 三个课堂 lessons.
    Classes,
    /// `topics/`: a bureau's 专题.
    Topics,
}

impl Folder {
    /// Every kind of folder, in the order a site's folders are offered.
    pub const ALL: [Folder; 8] = [
        Folder::Section(SectionKind::News),
        Folder::Section(SectionKind::Notices),
        Folder::Section(SectionKind::Disclosure),
        Folder::Section(SectionKind::Resources),
        Folder::Section(SectionKind::Pages),
        Folder::Classes,
        Folder::Topics,
        Folder::Section(SectionKind::Other),
    ];

    /// The kind of folder `name` is.
    pub fn of(name: &str) -> Folder {
        match name {
            CLASSES_FOLDER => Folder::Classes,
            TOPICS_FOLDER => Folder::Topics,
            other => Folder::Section(SectionKind::of(other)),
        }
    }

    /// The folder's name; `None` for a plain section, which has any name.
    pub fn name(self) -> Option<&'static str> {
        match self {
            Folder::Section(kind) => kind.folder(),
            Folder::Classes => Some(CLASSES_FOLDER),
            Folder::Topics => Some(TOPICS_FOLDER),
        }
    }

    /// The name of the form its pages are written with (a plain section's pages are plain
    /// pages).
    pub fn form(self) -> &'static str {
        match self {
            Folder::Section(SectionKind::Other) => "pages",
            other => other.name().unwrap_or("pages"),
        }
    }

    /// Only a bureau has it (信息公开 and 专题).
    pub fn bureau_only(self) -> bool {
        matches!(
            self,
            Folder::Section(SectionKind::Disclosure) | Folder::Topics
        )
    }

    /// The folders a site of this kind may start (every named one it may have).
    pub fn standard(bureau: bool) -> impl Iterator<Item = Folder> {
        Folder::ALL
            .into_iter()
            .filter(move |f| f.name().is_some() && (bureau || !f.bureau_only()))
    }
}

/// Which way a page is syndicated (`syndicate:` in its front matter).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Syndicate {
    /// 报送: a school's news offered to the bureaus above it.
    Up,
    /// 下发: a bureau's notice pushed to every site below it.
    Down,
}

impl Syndicate {
    /// The value as written in front matter and manifests.
    pub fn as_str(self) -> &'static str {
        match self {
            Syndicate::Up => "up",
            Syndicate::Down => "down",
        }
    }

    /// Reads a written value.
    pub fn parse(value: &str) -> Option<Syndicate> {
        match value {
            "up" => Some(Syndicate::Up),
            "down" => Some(Syndicate::Down),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folders_and_kinds_round_trip() {
        for k in SectionKind::KNOWN {
            assert_eq!(SectionKind::of(k.name()), k);
            assert!(k.title().is_some());
        }
        assert_eq!(SectionKind::of("活动"), SectionKind::Other);
        assert_eq!(SectionKind::Other.folder(), None);
        assert_eq!(Syndicate::parse("up"), Some(Syndicate::Up));
        assert_eq!(Syndicate::parse("sideways"), None);
    }
}
