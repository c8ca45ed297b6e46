// The pages the browser checks visit: home, listing, article, 信息公开, resources, search,
// 网站地图 and stats of a city and a county (default theme) and a school (campus theme).
export const SITES = {
  hanjiang: { theme: "default", bureau: true },
  jiangbei: { theme: "default", bureau: true },
  "jb-shiyan-primary": { theme: "campus", bureau: false },
};

/** Paths (below the server's root) of every page to check. */
export function pages(articleOf) {
  const out = [];
  for (const [id, { bureau }] of Object.entries(SITES)) {
    out.push(`${id}/`, `${id}/news/`, articleOf(id), `${id}/resources/`, `${id}/search/?q=教育`, `${id}/sitemap/`);
    if (bureau) out.push(`${id}/disclosure/`, `${id}/stats/`);
  }
  return out;
}
