// The pages the browser checks visit: home, listing, article, 信息公开, resources, search,
// 网站地图, stats and 三个课堂 of a city and a county (default theme) and a school (campus
// theme), plus a 专题, a yearly report and a lesson page.
export const SITES = {
  hanjiang: { theme: "default", bureau: true },
  jiangbei: { theme: "default", bureau: true },
  "jb-shiyan-primary": { theme: "campus", bureau: false },
};

/** Paths (below the server's root) of every page to check. */
export function pages(articleOf) {
  const out = [];
  for (const [id, { bureau }] of Object.entries(SITES)) {
    out.push(`${id}/`, `${id}/news/`, articleOf(id), `${id}/resources/`, `${id}/search/?q=教育`, `${id}/sitemap/`, `${id}/classes/`);
    if (bureau) out.push(`${id}/disclosure/`, `${id}/stats/`);
  }
  out.push("hanjiang/topics/", "hanjiang/topics/%E8%AF%BB%E4%B9%A6%E6%9C%88/", "hanjiang/stats/2026/report/");
  out.push("qs-chengguan-school/classes/%E4%B8%89%E5%B9%B4%E7%BA%A7%E8%8B%B1%E8%AF%AD%E5%8F%A3%E8%AF%AD/");
  return out;
}
