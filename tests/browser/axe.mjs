// axe-core on the example cluster in Debian's chromium: every page of pages.mjs, both themes,
// must have zero WCAG 2.1 A/AA violations. Usage: node axe.mjs BASE_URL (a running
// `zhanqun serve`). NODE_PATH points at the installed packages.
import { createRequire } from "node:module";
import { pages } from "./pages.mjs";

const require = createRequire(process.env.NODE_PATH + "/");
const { chromium } = require("playwright-core");
const axePath = require.resolve("axe-core/axe.min.js");
const base = process.argv[2];

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
});
const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });

// The first article linked from a site's news listing.
async function articleOf(id) {
  await page.goto(`${base}${id}/news/`);
  const href = await page.getAttribute(`.list a[href^='${base}${id}/news/']`, "href");
  return href.replace(base, "");
}

const firstArticles = {};
for (const id of ["hanjiang", "jiangbei", "jb-shiyan-primary"]) firstArticles[id] = await articleOf(id);
let failed = 0;
for (const path of pages((id) => firstArticles[id])) {
  await page.goto(base + path);
  await page.addScriptTag({ path: axePath });
  const result = await page.evaluate(() =>
    window.axe.run(document, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"] } }),
  );
  const v = result.violations;
  console.log(`${v.length === 0 ? "ok  " : "FAIL"} ${path} (${result.passes.length} rules passed)`);
  for (const x of v) {
    failed++;
    console.log(`  ${x.id}: ${x.help}`);
    for (const n of x.nodes.slice(0, 3)) console.log(`    ${n.target.join(" ")}`);
  }
}
// 长者模式: the button switches it, the next page keeps it, and its colours pass contrast.
await page.goto(`${base}hanjiang/`);
await page.click(".elder-toggle");
await page.goto(`${base}jb-shiyan-primary/news/`);
const elder = await page.evaluate(() => document.documentElement.classList.contains("elder"));
const pressed = await page.getAttribute(".elder-toggle", "aria-pressed");
console.log(`${elder && pressed === "true" ? "ok  " : "FAIL"} 长者模式 persists across pages`);
if (!(elder && pressed === "true")) failed++;
for (const path of ["hanjiang/", "jb-shiyan-primary/"]) {
  await page.goto(base + path);
  await page.addScriptTag({ path: axePath });
  const r = await page.evaluate(() => window.axe.run(document, { runOnly: { type: "rule", values: ["color-contrast"] } }));
  console.log(`${r.violations.length ? "FAIL" : "ok  "} ${path} in 长者模式: colour contrast`);
  failed += r.violations.length;
}
await browser.close();
console.log(failed ? `${failed} violation(s)` : "axe-core: 0 violations");
process.exit(failed ? 1 : 0);
