// Lighthouse in Debian's chromium on a city home, a school article and the city's resource
// library: every category (performance, accessibility, best practices, SEO) must score 100.
// Usage: node lighthouse.mjs BASE_URL (a running `zhanqun serve`).
import { createRequire } from "node:module";

const require = createRequire(process.env.NODE_PATH + "/");
const lighthouse = (await import(require.resolve("lighthouse"))).default;
const chromeLauncher = await import(require.resolve("chrome-launcher"));
const base = process.argv[2];

const chrome = await chromeLauncher.launch({
  chromePath: process.env.CHROMIUM || "/usr/bin/chromium",
  chromeFlags: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
});
const article = await (async () => {
  const html = await (await fetch(`${base}jb-shiyan-primary/news/`)).text();
  return html.match(/href="[^"]*(jb-shiyan-primary\/news\/[^"/]+\/)"/)[1];
})();
let failed = 0;
// The performance score of a static page moves with the machine's load (a busy CI runner
// measures 99 on a page that scores 100 when it is quiet): a page whose only score below
// 100 is performance is measured again, up to three times. The other categories do not
// move, so they are never measured twice.
async function audit(path) {
  let run;
  for (let attempt = 1; attempt <= 3; attempt++) {
    run = await lighthouse(base + path, {
      port: chrome.port,
      output: "json",
      logLevel: "error",
      onlyCategories: ["performance", "accessibility", "best-practices", "seo"],
    });
    const below = Object.values(run.lhr.categories).filter((c) => c.score < 1).map((c) => c.id);
    if (below.length === 0 || below.some((id) => id !== "performance")) break;
    console.log(`     ${decodeURI(path)}: performance ${Math.round(run.lhr.categories.performance.score * 100)} on attempt ${attempt}`);
  }
  return run;
}

for (const path of ["hanjiang/", article, "hanjiang/resources/"]) {
  const { lhr } = await audit(path);
  const scores = Object.values(lhr.categories).map((c) => [c.id, Math.round(c.score * 100)]);
  const below = scores.filter(([, s]) => s < 100);
  console.log(`${below.length ? "FAIL" : "ok  "} ${decodeURI(path)} ${scores.map(([id, s]) => `${id} ${s}`).join(", ")}`);
  for (const [id] of below) {
    failed++;
    for (const ref of lhr.categories[id].auditRefs) {
      const a = lhr.audits[ref.id];
      if (ref.weight > 0 && a.score !== null && a.score < 1) console.log(`  ${id}: ${a.id} ${a.title} (${a.displayValue || a.score})`);
    }
  }
}
await chrome.kill();
console.log(failed ? `${failed} categor(ies) below 100` : "lighthouse: 100 in every category");
process.exit(failed ? 1 : 0);
