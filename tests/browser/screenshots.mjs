// Screenshots of both themes at 390 px (a phone) and 1280 px: the city home (default) and a
// school home and article (campus), written to OUT_DIR. Usage: node screenshots.mjs BASE_URL OUT_DIR
import { createRequire } from "node:module";
import { mkdirSync } from "node:fs";

const require = createRequire(process.env.NODE_PATH + "/");
const { chromium } = require("playwright-core");
const [base, out] = process.argv.slice(2);
mkdirSync(out, { recursive: true });
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
});
const shots = [
  ["default-city-home", "hanjiang/"],
  ["default-county-news", "jiangbei/news/"],
  ["campus-school-home", "jb-shiyan-primary/"],
  ["campus-school-article", "jb-shiyan-primary/news/%E8%AF%BB%E4%B9%A6%E8%8A%82/"],
];
for (const width of [390, 1280]) {
  const page = await browser.newPage({ viewport: { width, height: 900 } });
  for (const [name, path] of shots) {
    await page.goto(base + path);
    await page.screenshot({ path: `${out}/${name}-${width}.png`, fullPage: true });
    console.log(`${out}/${name}-${width}.png`);
  }
  await page.close();
}
await browser.close();
