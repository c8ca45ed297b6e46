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
