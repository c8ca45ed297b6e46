//! The teacher's trial of the editor (issue 42), run again in Chromium step by step: a Word
//! form attached, an old .doc refused with advice, pastes from WeChat, Word and the web at
//! the caret, a 红头文件, a photo whose description is cancelled, two tabs saving one page,
//! text recovered on an older version, a rejected push and 同步, the link picker, the
//! trash, and the phone width.

use std::path::Path;
use std::process::Command;

use serde_json::{Value, json};

use crate::cdp::{Browser, Tab};
use crate::editor::{Editor, edit_at};
use crate::helpers::Fixture;

/// Helpers every step's script starts with.
const PRELUDE: &str = r##"
var $ = function (id) { return document.getElementById(id); };
function sleep(ms) { return new Promise(function (r) { setTimeout(r, ms); }); }
async function until(f, ms) {
  var end = Date.now() + (ms || 20000);
  while (Date.now() < end) { try { var v = f(); if (v) return v; } catch (e) {} await sleep(50); }
  return null;
}
async function click(value) {
  var b = await until(function () { return document.querySelector('#dialog-buttons button[value="' + value + '"]'); });
  if (!b) throw new Error("no button " + value + " in: " + $("dialog").textContent);
  b.click();
  await sleep(50);
}
async function answer(id, value) {
  var e = await until(function () { return $(id); });
  e.value = value;
  await click("ok");
}
function status() { return $("status").textContent; }
function body() { return $("body"); }
function caretAfter(text) { var b = body(); var i = b.value.indexOf(text) + text.length; b.focus(); b.setSelectionRange(i, i); }
function paste(html, files) {
  var dt = new DataTransfer();
  if (html) dt.setData("text/html", html);
  (files || []).forEach(function (f) { dt.items.add(f); });
  body().dispatchEvent(new ClipboardEvent("paste", { clipboardData: dt, bubbles: true, cancelable: true }));
}
function drop(f) {
  var dt = new DataTransfer();
  dt.items.add(f);
  body().dispatchEvent(new DragEvent("drop", { dataTransfer: dt, bubbles: true, cancelable: true }));
}
function file(b64, type, name) {
  var bin = atob(b64), bytes = new Uint8Array(bin.length);
  for (var i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
  return new File([bytes], name, { type: type });
}
async function saved() {
  // A "已保存" left from the previous save must not count as this one.
  $("status").textContent = "";
  document.dispatchEvent(new KeyboardEvent("keydown", { key: "s", ctrlKey: true, bubbles: true }));
  return until(function () { return status() === "已保存"; });
}
"##;

/// Runs `step` (the body of an async function) in `tab`; its return value.
fn step(b: &mut Browser, tab: &Tab, step: &str) -> Value {
    let first: String = step
        .trim()
        .lines()
        .next()
        .unwrap_or_default()
        .chars()
        .take(100)
        .collect();
    eprintln!("step: {first}");
    b.eval(
        tab,
        &format!("(async function () {{ {PRELUDE}\n{step}\n}})()"),
    )
}

fn git(dir: &Path, args: &[&str]) -> String {
    let out = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(["-c", "user.name=区教育局", "-c", "user.email=qu@example.cn"])
        .args(args)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// The cluster as a git repository with a remote, and a second clone of that remote.
fn with_remote(root: &Path) -> std::path::PathBuf {
    let remote = root.join(".remote.git");
    std::fs::write(
        root.join(".gitignore"),
        ".remote.git/\n.other/\npublic/\n.zhanqun/\n",
    )
    .unwrap();
    git(root, &["init", "-q", "-b", "main"]);
    git(root, &["config", "user.name", "东区实验小学"]);
    git(root, &["config", "user.email", "xiaoxue@example.cn"]);
    git(root, &["add", "-A"]);
    git(root, &["commit", "-q", "-m", "站群内容"]);
    git(
        root,
        &[
            "init",
            "-q",
            "-b",
            "main",
            "--bare",
            remote.to_str().unwrap(),
        ],
    );
    git(root, &["remote", "add", "origin", remote.to_str().unwrap()]);
    git(root, &["push", "-q", "-u", "origin", "main"]);
    let other = root.join(".other");
    git(
        root,
        &[
            "clone",
            "-q",
            remote.to_str().unwrap(),
            other.to_str().unwrap(),
        ],
    );
    other
}

fn base64(bytes: &[u8]) -> String {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

/// A 红头文件: the issuer's banner, the 文号, the real title, the body and a 落款.
fn red_head() -> Vec<u8> {
    let centred = |t: &str| {
        format!("<w:p><w:pPr><w:jc w:val=\"center\"/></w:pPr><w:r><w:t>{t}</w:t></w:r></w:p>")
    };
    let right = |t: &str| {
        format!("<w:p><w:pPr><w:jc w:val=\"right\"/></w:pPr><w:r><w:t>{t}</w:t></w:r></w:p>")
    };
    let plain = |t: &str| format!("<w:p><w:r><w:t>{t}</w:t></w:r></w:p>");
    let body = [
        centred("东区实验小学文件"),
        centred("东实小〔2026〕12号"),
        centred("关于举办冬季长跑比赛的通知"),
        plain("各班："),
        plain("定于12月20日举办冬季长跑比赛。"),
        right("东区实验小学"),
        right("2026年12月1日"),
    ]
    .concat();
    crate::trust::docx(&body, &[])
}

struct Trial {
    _f: Fixture,
    ed: Editor,
    browser: Browser,
    tab: Tab,
}

fn start() -> Option<(Fixture, std::path::PathBuf)> {
    crate::helpers::chromium()?;
    let f = Fixture::new("basic");
    // The county reviews what schools offer: the school sees 待采用.
    f.write(
        "sites/county.yaml",
        "name: 东区教育局\nkind: county\nparent: city\nsyndication: {review: true}\nfooter:\n  sponsor: 东区教育局\n  site_code: \"9900000002\"\n",
    );
    let other = with_remote(&f.root);
    Some((f, other))
}

#[test]
fn the_teachers_trial_runs_in_the_browser() {
    let Some((f, other)) = start() else {
        return;
    };
    let ed = edit_at(&f.root, &["edit"], &[], "zh-CN");
    let mut browser = Browser::launch().expect("chromium");
    let url = format!("http://127.0.0.1:{}/_zhanqun/edit/?site=school", ed.port);
    let tab = browser.open(&url, None);
    let mut t = Trial {
        _f: f,
        ed,
        browser,
        tab,
    };
    let page = new_page_with_pastes(&mut t);
    attach_and_refuse(&mut t, &page);
    two_tabs(&mut t, &page);
    red_head_and_trash(&mut t);
    push_and_sync(&mut t, &other);
    link_picker(&mut t);
    phone(&mut t);
}

/// A new page; pastes from WeChat, Word and the web land at the caret; a photo whose
/// description is cancelled gets the placeholder, reported as missing.
fn new_page_with_pastes(t: &mut Trial) -> String {
    let opened = step(
        &mut t.browser,
        &t.tab,
        r##"
      await until(function () { return document.querySelector('#sections li[data-section="news"] button'); });
      document.querySelector('#sections li[data-section="news"] button').click();
      await answer("ask-title", "冬季长跑报名");
      await until(function () { return $("path").textContent.indexOf("冬季长跑报名") >= 0 && status() === "已新建（草稿）"; });
      body().value = "第一段。\n\n第二段。";
      body().dispatchEvent(new Event("input", { bubbles: true }));
      var syndicate = $("f-syndicate"); syndicate.value = "up"; syndicate.dispatchEvent(new Event("change", { bubbles: true }));
      return [$("path").textContent, $("f-syndicate-help").textContent];
    "##,
    );
    let path = opened[0].as_str().unwrap().to_string();
    assert!(
        opened[1].as_str().unwrap().contains("东区教育局"),
        "报送 says the county reviews: {opened}"
    );
    let wechat = r##"<section><p>微信里的文字。</p><img data-src="https://mmbiz.qpic.cn/mmbiz_jpg/x/640?wx_fmt=jpeg" src="data:image/gif;base64,R0lGODlhAQABAAAAACw="></section>"##;
    let word = r##"<p class=MsoListParagraph style='mso-list:l0 level1 lfo1'><span style='mso-list:Ignore'>1.<span>&nbsp;</span></span>填写报名表</p><p class=MsoListParagraph style='mso-list:l0 level1 lfo1'><span style='mso-list:Ignore'>2.<span>&nbsp;</span></span>交给班主任</p><p style='mso-list:l1 level1 lfo2'><span style='mso-list:Ignore'>（1）</span>注意保暖</p><img src="file:///C:/Users/t/AppData/Local/Temp/msohtmlclip1/01/clip_image002.jpg" alt="跑道示意图"><p><br></p><p>本通知自发布之日起执行。</p>"##;
    let table = "<table><tr><th>星期</th><th>活动</th></tr><tr><td rowspan=2>一</td><td>合唱（校队）</td></tr><tr><td>书法</td></tr></table>";
    let pasted = step(
        &mut t.browser,
        &t.tab,
        &format!(
            r##"
      caretAfter("第一段。");
      paste({wechat:?});
      var a = await until(function () {{ return body().value.indexOf("微信里的文字") >= 0 && status(); }});
      caretAfter("第二段。");
      paste({word:?});
      var b = await until(function () {{ return body().value.indexOf("交给班主任") >= 0 && status(); }});
      caretAfter("微信里的文字。");
      paste({table:?});
      await until(function () {{ return body().value.indexOf("<table>") >= 0; }});
      return [body().value, a, b];
    "##
        ),
    );
    let text = pasted[0].as_str().unwrap();
    assert!(
        text.starts_with("第一段。\n\n微信里的文字。\n\n<table>"),
        "at the caret, on its own lines:\n{text}"
    );
    assert!(
        text.contains("rowspan=\"2\""),
        "merged cells keep their columns:\n{text}"
    );
    assert!(
        text.contains("1. 填写报名表\n2. 交给班主任") && text.contains("（1）注意保暖"),
        "{text}"
    );
    assert!(
        !text.contains("\\\n\n") && !text.contains("\n\\\n"),
        "no paragraph of a lone `\\`:\n{text}"
    );
    assert!(
        pasted[1].as_str().unwrap().contains("微信"),
        "the WeChat picture is named: {pasted}"
    );
    assert!(
        pasted[2].as_str().unwrap().contains("另存为图片"),
        "the Word picture is named: {pasted}"
    );
    let photo = base64(&crate::trust::photo_with_gps(300, 200));
    let described = step(
        &mut t.browser,
        &t.tab,
        &format!(
            r##"
      caretAfter("第二段。");
      paste("", [file("{photo}", "image/jpeg", "IMG_1.jpg")]);
      await until(function () {{ return $("dialog").open && $("ask-alt"); }});
      await click("");
      await until(function () {{ return body().value.indexOf("待补充图片说明") >= 0; }});
      var problem = await until(function () {{ return $("problems").textContent.indexOf("替代文字") >= 0 && $("problems").textContent; }});
      var ok = await saved();
      return [body().value, problem, !!ok];
    "##
        ),
    );
    let text = described[0].as_str().unwrap();
    assert!(
        text.contains("第二段。\n\n![待补充图片说明](IMG_1.jpg)\n\n"),
        "the photo goes at the caret:\n{text}"
    );
    assert!(
        described[1].is_string(),
        "the placeholder is a missing description: {described}"
    );
    assert_eq!(described[2], json!(true));
    path
}

/// A Word form attached (not imported) goes into `files:`; an old .doc gets the advice.
fn attach_and_refuse(t: &mut Trial, page: &str) {
    let form = base64(
        &std::fs::read(
            Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/word/家长会通知.docx"),
        )
        .unwrap(),
    );
    let done = step(
        &mut t.browser,
        &t.tab,
        &format!(
            r##"
      drop(file("{form}", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "报名表.docx"));
      await click("attach");
      await until(function () {{ return status() === "已作为附件加到文章下面"; }});
      var listed = await until(function () {{ return $("f-files") && $("f-files").textContent.indexOf("报名表.docx") >= 0; }});
      drop(file("0M8R4KGxGuEAAAAA", "application/msword", "旧通知.doc"));
      var advice = await until(function () {{ return $("dialog").open && $("dialog").textContent; }});
      await click("");
      var ok = await saved();
      return [!!listed, advice, !!ok, $("path").textContent];
    "##
        ),
    );
    assert_eq!(done[0], json!(true), "{done}");
    assert!(done[1].as_str().unwrap().contains("另存为"), "{done}");
    assert_eq!(done[2], json!(true));
    let (id, rel) = page.split_once('/').unwrap();
    let text = std::fs::read_to_string(t._f.root.join("content").join(id).join(rel)).unwrap();
    assert!(text.contains("files: [报名表.docx]"), "{text}");
}

/// Two tabs save one page: the second sees both and merges; text recovered on an older
/// version goes to the same choices, never saved over the newer text.
fn two_tabs(t: &mut Trial, page: &str) {
    let url = format!("http://127.0.0.1:{}/_zhanqun/edit/?page={page}", t.ed.port);
    let other = t.browser.open(&url, None);
    let wait = r##"await until(function () { return $("path").textContent && body().value.indexOf("第一段") >= 0; });"##;
    step(&mut t.browser, &other, wait);
    step(
        &mut t.browser,
        &t.tab,
        r##"body().value += "\n\n甲加的段落。"; body().dispatchEvent(new Event("input", { bubbles: true })); return !!(await saved());"##,
    );
    let merged = step(
        &mut t.browser,
        &other,
        r##"
      body().value += "\n\n乙加的段落。"; body().dispatchEvent(new Event("input", { bubbles: true }));
      document.dispatchEvent(new KeyboardEvent("keydown", { key: "s", ctrlKey: true, bubbles: true }));
      await until(function () { return $("dialog").open && $("dialog").textContent.indexOf("甲加的段落") >= 0; });
      var primary = document.querySelector("#dialog-buttons button.primary");
      var shown = $("dialog").textContent;
      var focused = document.activeElement && document.activeElement.value;
      await click("merge");
      await until(function () { return body().value.indexOf("甲加的段落") >= 0 && body().value.indexOf("乙加的段落") >= 0; });
      var ok = await saved();
      return [primary.value, focused, shown.indexOf("---") < 0, !!ok];
    "##,
    );
    assert_eq!(
        merged,
        json!(["merge", "merge", true, true]),
        "merge is the default, no raw front matter"
    );
    let (id, rel) = page.split_once('/').unwrap();
    let file = t._f.root.join("content").join(id).join(rel);
    let text = std::fs::read_to_string(&file).unwrap();
    assert!(
        text.contains("甲加的段落。") && text.contains("乙加的段落。"),
        "{text}"
    );
    // Text typed in a tab on an older version, found again when the page is opened.
    let recovered = step(
        &mut t.browser,
        &other,
        &format!(
            r##"
      var now = await (await fetch("/_zhanqun/edit/api/load?path=" + encodeURIComponent({page:?}), {{ headers: {{ "X-Zhanqun-Token": document.querySelector('meta[name="zhanqun-token"]').content }} }})).json();
      localStorage.setItem("zq-unsaved:" + {page:?}, JSON.stringify({{ text: now.text.replace("第一段。", "第一段。\n\n丙恢复的段落。").replace("\n\n甲加的段落。", ""), base: "0000000000000000", baseText: now.text.replace("\n\n甲加的段落。", "") }}));
      window.zhanqunEditor.open({page:?});
      var shown = await until(function () {{ return $("dialog").open && $("dialog").textContent; }});
      await click("merge");
      // The merge is a call to the server: save once its text is in the editor.
      await until(function () {{ return body().value.indexOf("丙恢复的段落") >= 0; }});
      var ok = await saved();
      return [shown, !!ok];
    "##
        ),
    );
    assert!(
        recovered[0].as_str().unwrap().contains("丙恢复的段落"),
        "{recovered}"
    );
    let text = std::fs::read_to_string(&file).unwrap();
    assert!(
        text.contains("丙恢复的段落。")
            && text.contains("甲加的段落。")
            && text.contains("乙加的段落。"),
        "{text}"
    );
    t.browser.close(&other);
}

/// A 红头文件 imported by the 导入 Word flow gets its real title and a right-aligned 落款;
/// deleted, it is in the 回收站 and comes back.
fn red_head_and_trash(t: &mut Trial) {
    let doc = base64(&red_head());
    let done = step(
        &mut t.browser,
        &t.tab,
        &format!(
            r##"
      var before = $("path").textContent;
      drop(file("{doc}", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "长跑通知.docx"));
      await click("page");
      // The page open before the drop has 冬季长跑 in its title too: wait for the new one.
      await until(function () {{ return $("path").textContent !== before && $("f-title") && $("f-title").value.indexOf("冬季长跑") >= 0; }});
      var title = $("f-title").value, text = body().value, path = $("path").textContent;
      $("delete").click();
      await click("delete");
      await until(function () {{ return status().indexOf("回收站") >= 0; }});
      $("trash").click();
      var listed = await until(function () {{ return $("dialog").open && $("dialog").textContent.indexOf("关于举办冬季长跑比赛的通知") >= 0; }});
      document.querySelector("#dialog-body .trash button").click();
      await until(function () {{ return status() === "已恢复"; }});
      return [title, text, path, !!listed];
    "##
        ),
    );
    assert_eq!(done[0], json!("关于举办冬季长跑比赛的通知"));
    assert!(
        done[1]
            .as_str()
            .unwrap()
            .contains("<p class=\"align-right\">东区实验小学</p>"),
        "{done}"
    );
    assert_eq!(done[3], json!(true));
    let (id, rel) = done[2].as_str().unwrap().split_once('/').unwrap();
    assert!(
        t._f.root.join("content").join(id).join(rel).is_file(),
        "restored"
    );
}

/// Committed and not pushed; the push refused because the county pushed meanwhile; 同步
/// takes the county's commit in; the push then goes through.
fn push_and_sync(t: &mut Trial, other: &Path) {
    std::fs::write(
        other.join("content/county/news/2024-05-20-区里的新闻.md"),
        "---\ntitle: 区里的新闻\ndate: 2024-05-20\n---\n正文\n",
    )
    .unwrap();
    git(other, &["add", "-A"]);
    git(other, &["commit", "-q", "-m", "区里发布"]);
    git(other, &["push", "-q", "origin", "HEAD:main"]);
    let done = step(
        &mut t.browser,
        &t.tab,
        r##"
      await until(function () { return !$("commit").disabled; });
      $("commit").click();
      await until(function () { return $("dialog").open && $("commit-message"); });
      var listed = $("dialog").textContent;
      $("commit-message").value = "冬季长跑报名";
      await click("ok");
      var ahead = await until(function () { return !$("git-ahead").hidden && $("git-ahead").textContent; });
      $("push").click();
      var refused = await until(function () { return status().indexOf("同步") >= 0 && status(); });
      $("sync").click();
      var synced = await until(function () { return status().indexOf("已同步") >= 0 && status(); });
      await until(function () { return !$("push").disabled; });
      $("push").click();
      var pushed = await until(function () { return status() === "已推送"; });
      return [listed, ahead, refused, synced, !!pushed];
    "##,
    );
    let said: Vec<&str> = done
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap_or(""))
        .collect();
    assert!(
        said[0].contains("content/school/news/"),
        "the files a commit takes are listed: {done}"
    );
    assert!(said[1].contains("尚未推送"), "{done}");
    assert!(said[2].contains("同步"), "{done}");
    assert!(said[3].contains("已同步"), "{done}");
    assert_eq!(done[4], json!(true), "{done}");
    let log = git(
        &t._f.root.join(".remote.git"),
        &["log", "--format=%s", "main"],
    );
    assert!(
        log.contains("冬季长跑报名") && log.contains("区里发布"),
        "{log}"
    );
}

/// 链接 finds a page of the cluster by its title and writes its `@/` link.
fn link_picker(t: &mut Trial) {
    let opened = step(
        &mut t.browser,
        &t.tab,
        r##"
      caretAfter("各班：");
      document.querySelector('.toolbar button[data-do="link"]').click();
      return !!(await until(function () { return $("link-find"); }));
    "##,
    );
    assert_eq!(opened, json!(true));
    let found = step(
        &mut t.browser,
        &t.tab,
        r##"
      var find = $("link-find");
      find.value = "运动会";
      find.dispatchEvent(new Event("input", { bubbles: true }));
      var hit = await until(function () { return document.querySelector("#dialog-body .found button"); });
      return hit ? hit.textContent : $("dialog").textContent;
    "##,
    );
    assert!(found.as_str().unwrap().contains("春季运动会"), "{found}");
    let done = step(
        &mut t.browser,
        &t.tab,
        r##"
      // Clicked from the page's own event loop: a dialog closed inside the evaluation
      // itself never lets DevTools answer.
      var hit = document.querySelector("#dialog-body .found button");
      setTimeout(function () { hit.click(); }, 0);
      await until(function () { return body().value.indexOf("](@/school/") >= 0; });
      return body().value;
    "##,
    );
    assert!(
        done.as_str()
            .unwrap()
            .contains("[春季运动会](@/school/news/2024-05-03-运动会/index.md)"),
        "{done}"
    );
}

/// At 390 px: the form is in view after 新建, the status line stays in view, every button
/// is at least 44 px high.
fn phone(t: &mut Trial) {
    let url = format!("http://127.0.0.1:{}/_zhanqun/edit/?site=school", t.ed.port);
    let phone = t.browser.open("about:blank", None);
    t.browser.width(&phone, 390, 844);
    t.browser.goto(&phone, &url);
    let done = step(
        &mut t.browser,
        &phone,
        r##"
      await until(function () { return document.querySelector('#sections li[data-section="notices"] button'); });
      document.querySelector('#sections li[data-section="notices"] button').click();
      await answer("ask-title", "手机上新建的通知");
      await until(function () { return status() === "已新建（草稿）"; });
      await sleep(300);
      var title = $("f-title").getBoundingClientRect();
      var inView = title.top >= 0 && title.bottom <= innerHeight;
      window.scrollTo(0, document.body.scrollHeight);
      await sleep(100);
      var s = $("status").getBoundingClientRect();
      var small = Array.prototype.filter.call(document.querySelectorAll("button"), function (b) {
        var r = b.getBoundingClientRect();
        return r.height > 0 && r.height < 44;
      }).map(function (b) { return b.textContent; });
      return [inView, s.top >= 0 && s.bottom <= innerHeight, small];
    "##,
    );
    assert_eq!(done, json!([true, true, []]), "{done}");
}
