// The editor of `zhanqun edit` in Debian's chromium at 1280 px and 390 px (a phone): axe-core
// finds no WCAG 2.1 A/AA violation in each of its states (start, a site chosen, a page open
// with its form, a dialog), nothing is wider than the screen, and its own script and styles
// stay under 300 KB. With SHOTS_DIR set, screenshots for the guide are written there.
// Usage: node editor.mjs BASE_URL (a running `zhanqun edit` on the example cluster; nothing is
// written to it). NODE_PATH points at the installed packages.
import { createRequire } from "node:module";
import { mkdirSync } from "node:fs";

const require = createRequire(process.env.NODE_PATH + "/");
const { chromium } = require("playwright-core");
const axePath = require.resolve("axe-core/axe.min.js");
const base = process.argv[2];
const shots = process.env.SHOTS_DIR;
const editor = `${base}_zhanqun/edit/`;

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
});
let failed = 0;

function report(ok, what) {
  console.log(`${ok ? "ok  " : "FAIL"} ${what}`);
  if (!ok) failed++;
}

async function audit(page, state, width) {
  await page.addScriptTag({ path: axePath });
  const result = await page.evaluate(() =>
    window.axe.run(document, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"] } }),
  );
  report(result.violations.length === 0, `editor ${state} at ${width} px (${result.passes.length} rules passed)`);
  for (const x of result.violations) {
    console.log(`  ${x.id}: ${x.help}`);
    for (const n of x.nodes.slice(0, 3)) console.log(`    ${n.target.join(" ")}`);
  }
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  report(overflow <= 0, `editor ${state} at ${width} px fits the screen (${overflow} px too wide)`);
}

// The editor's own script and styles, as served.
let size = 0;
for (const asset of ["editor.js", "editor-files.js", "editor.css"]) {
  const response = await fetch(editor + asset);
  size += (await response.arrayBuffer()).byteLength;
}
report(size < 300 * 1024, `the editor's script and styles: ${(size / 1024).toFixed(1)} KB (under 300 KB)`);

for (const width of [1280, 390]) {
  // axe is added as an inline script, which the editor's Content-Security-Policy forbids.
  const page = await browser.newPage({ viewport: { width, height: 900 }, bypassCSP: true });
  await page.goto(editor);
  await page.waitForSelector("#sites li button");
  await audit(page, "start", width);
  await page.click("#sites li button >> text=江北区实验小学");
  await page.waitForSelector("#pages li button");
  await audit(page, "with a site chosen", width);
  await page.click("#pages li button >> nth=0");
  await page.waitForSelector("#page:not([hidden]) #f-title");
  await page.waitForFunction(() => document.getElementById("frame").srcdoc.length > 0);
  await audit(page, "with a page open", width);
  if (shots) {
    mkdirSync(shots, { recursive: true });
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: `${shots}/editor-${width}.png` });
  }
  await page.click("#rename");
  await page.waitForSelector("#dialog[open]");
  await audit(page, "with a dialog open", width);
  await page.click('#dialog-buttons button[value=""]');
  await page.close();
}
await browser.close();
console.log(failed ? `${failed} problem(s) in the editor` : "editor: 0 violations");
process.exit(failed ? 1 : 0);
