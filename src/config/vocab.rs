//! Vocabularies: the allowed values of the resource facets (学段, 学科, 资源类型, 教材版本),
//! with the built-in defaults of the specification; `cluster.yaml` may replace any list.

use serde::{Deserialize, Serialize};

const STAGES: &[&str] = &["学前", "小学", "初中", "高中", "中职"];
const RESOURCE_TYPES: &[&str] = &[
    "课件", "教案", "学案", "试题", "试卷", "微课", "素材", "案例", "文献", "课程",
];
const SUBJECTS: &[&str] = &[
    "语文",
    "数学",
    "英语",
    "物理",
    "化学",
    "生物",
    "历史",
    "地理",
    "道德与法治",
    "思想政治",
    "科学",
    "信息技术",
    "音乐",
    "美术",
    "体育与健康",
    "劳动",
    "综合实践活动",
    "心理健康",
    "书法",
];

/// The allowed values of each resource facet.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Vocabularies {
    /// 学段.
    pub stage: Vec<String>,
    /// 学科.
    pub subject: Vec<String>,
    /// 资源类型.
    pub resource_type: Vec<String>,
    /// 教材版本: free text unless the cluster lists the allowed editions.
    pub edition: Option<Vec<String>>,
}

impl Default for Vocabularies {
    fn default() -> Self {
        let owned = |xs: &[&str]| xs.iter().map(|s| s.to_string()).collect();
        Vocabularies {
            stage: owned(STAGES),
            subject: owned(SUBJECTS),
            resource_type: owned(RESOURCE_TYPES),
            edition: None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_given_list_replaces_only_its_default() {
        let v: Vocabularies = crate::yaml::parse("stage: [小学, 初中]").unwrap();
        assert_eq!(v.stage, ["小学", "初中"]);
        assert!(v.subject.iter().any(|s| s == "道德与法治"));
        assert_eq!(v.resource_type.len(), 10);
    }
}
