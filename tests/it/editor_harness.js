// Drives zhanqun's editor from inside its own page, as a teacher would, and collects each
// check as [name, ok, detail]; `run(scenario, site)` resolves to the list. The sites' own
// pages are on another origin (CONTENT): what they show is checked by the test itself.
var CHECKS = [];

function log(name, ok, detail) {
  CHECKS.push([name, !!ok, String(detail || "").slice(0, 2000)]);
}

function sleep(ms) { return new Promise(function (r) { setTimeout(r, ms); }); }

// Times here are Chromium's virtual time, which can run ahead of a busy server: the waits
// are generous, and a step that succeeds never waits for them.
async function until(pred, ms) {
  var end = Date.now() + (ms || 60000);
  while (Date.now() < end) {
    try { var v = pred(); if (v) return v; } catch (e) {}
    await sleep(50);
  }
  return null;
}

function file(b64, type, name) {
  var bin = atob(b64);
  var bytes = new Uint8Array(bin.length);
  for (var i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
  return new File([bytes], name, { type: type });
}

var doc = document, win = window, S;

var STATUSES = [];

async function openEditor(site) {
  new MutationObserver(function () { STATUSES.push(status()); }).observe(doc.getElementById("status"), { childList: true, characterData: true, subtree: true });
  await until(function () { return doc.querySelector(site ? "#sections li button" : "#sites li button"); });
  S = JSON.parse(doc.getElementById("zq-strings").textContent);
  return doc;
}

async function answer(inputId, value) {
  var input = await until(function () { return doc.getElementById(inputId); });
  input.value = value;
  doc.querySelector('#dialog-buttons button[value="ok"]').click();
}

async function button(value) {
  var b = await until(function () { return doc.querySelector('#dialog-buttons button[value="' + value + '"]'); });
  b.click();
}

function status() { return doc.getElementById("status").textContent; }

function paste(target, dt) {
  target.dispatchEvent(new ClipboardEvent("paste", { clipboardData: dt, bubbles: true, cancelable: true }));
}

function body() { return doc.getElementById("body"); }

function type(text) {
  var b = body();
  b.value += text;
  b.setSelectionRange(b.value.length, b.value.length);
  b.dispatchEvent(new Event("input", { bubbles: true }));
}

/* ---------- walking the guide ---------- */

function visible(e) { return e && e.getClientRects().length > 0 && !e.closest("[hidden]"); }

function ownText(e) {
  return Array.prototype.map.call(e.childNodes, function (n) { return n.nodeType === 3 ? n.textContent : ""; }).join("").trim();
}

/* The element the guide means by 「name」: inside the open dialog first, then inside what the
   guide named just before (a section, for its 新建), then anywhere. */
function named(name, scope) {
  var dlg = doc.getElementById("dialog");
  var places = [dlg.open ? dlg : null, scope, doc].filter(Boolean);
  var kinds = ["button", "label", "option", "li", "a", "h2, h3"];
  for (var i = 0; i < places.length; i++) {
    for (var k = 0; k < kinds.length; k++) {
      var all = places[i].querySelectorAll(kinds[k]);
      for (var j = 0; j < all.length; j++) {
        var e = all[j];
        var text = e.tagName === "LI" ? ownText(e) : e.textContent.trim();
        if (text.replace(/ \*$/, "") !== name || e.disabled) continue;
        if (e.tagName === "OPTION" || visible(e)) return e;
      }
    }
  }
  return null;
}

/* Does what a reader does with 「name」: presses a button, picks an option, ticks a box or
   goes to the field a label names; anything else narrows where the next name is looked for. */
function act(e, state) {
  if (e.tagName === "BUTTON" || e.tagName === "A") { e.click(); state.scope = null; return; }
  if (e.tagName === "OPTION") {
    var select = e.parentNode;
    select.value = e.value;
    select.dispatchEvent(new Event("change", { bubbles: true }));
    return;
  }
  if (e.tagName === "LABEL") {
    var control = doc.getElementById(e.htmlFor);
    if (control.type === "checkbox") { control.click(); return; }
    control.focus();
    state.field = control;
    return;
  }
  state.scope = e;
}

/* Types `text` where a reader would: the open dialog's empty field, else the field last named. */
function typeIn(text, state) {
  var dlg = doc.getElementById("dialog");
  var target = dlg.open ? dlg.querySelector("input:not([type=checkbox]), textarea") : state.field;
  if (!target) return false;
  target.value += text;
  target.dispatchEvent(new Event("input", { bubbles: true }));
  return true;
}

var SCENARIOS = {
  /* GUIDE: the steps of docs/快速上手.md's first section, as [["click", name] | ["type", text]]. */
  guide: async function () {
    await openEditor("");
    var state = { scope: null, field: null };
    for (var i = 0; i < GUIDE.length; i++) {
      var step = GUIDE[i];
      if (step[0] === "type") {
        var typed = await until(function () { return typeIn(step[1], state); }, 5000);
        log("type " + step[1], typed, typed ? "" : "nowhere to type it");
        continue;
      }
      var e = await until(function () { return named(step[1], state.scope); }, 10000);
      log("「" + step[1] + "」", !!e, e ? e.tagName : "the editor shows no 「" + step[1] + "」 here: " + status());
      if (!e) return;
      act(e, state);
      // As a reader does: the next step once the editor has answered this one.
      await sleep(100);
      await until(function () { return doc.body.getAttribute("aria-busy") !== "true"; }, 20000);
    }
    var done = await until(function () { return status() === S["pushed"]; }, 20000);
    log("pushed", done, status());
  },

  teacher: async function (site) {
    await openEditor(site);
    // A new news page.
    doc.querySelector('#sections li[data-section="news"] button').click();
    await answer("ask-title", "春季植树活动");
    var opened = await until(function () { return !doc.getElementById("page").hidden && doc.getElementById("path").textContent.indexOf("春季植树活动") >= 0; });
    var dlg = doc.getElementById("dialog");
    log("new page", opened, doc.getElementById("path").textContent + " | " + status() + " | dialog " + dlg.open + " " + dlg.textContent + " | busy " + doc.body.getAttribute("aria-busy") + " | sections " + doc.querySelectorAll("#sections li").length + " | page hidden " + doc.getElementById("page").hidden + " | welcome " + doc.getElementById("welcome").hidden);
    // Offered up (报送), published (not a draft).
    var syndicate = await until(function () { return doc.getElementById("f-syndicate"); });
    syndicate.value = "up";
    syndicate.dispatchEvent(new Event("change", { bubbles: true }));
    var draft = doc.getElementById("f-draft");
    if (draft.checked) draft.click();
    type("同学们在校园里种下了小树苗。\n\n");
    // A photo pasted from the phone.
    var dt = new DataTransfer();
    dt.items.add(file(PHOTO, "image/jpeg", "IMG_2041.jpg"));
    paste(body(), dt);
    await answer("ask-alt", "同学们在操场边种树");
    var pictured = await until(function () { return /!\[同学们在操场边种树\]\([^)]+\.jpg\)/.test(body().value); });
    log("pasted photo", pictured, body().value);
    // Rich text pasted from Word or a web page.
    type("\n\n");
    var rich = new DataTransfer();
    rich.setData("text/html", "<h1>活动安排</h1><p class=MsoNormal><b>上午</b>种树，<i>下午</i>浇水。</p><ul><li>一年级</li><li>二年级</li></ul><table><tr><td>班级</td><td>棵数</td></tr><tr><td>一(1)班</td><td>5</td></tr></table><script>alert(1)<\/script><p style='mso-list:l0 level1 lfo1'><span style='mso-list:Ignore'>·</span>注意安全</p>");
    rich.setData("text/plain", "活动安排");
    paste(body(), rich);
    var v = await until(function () { return body().value.indexOf("## 活动安排") >= 0 && body().value; }) || body().value;
    var md = v.indexOf("## 活动安排") >= 0 && v.indexOf("**上午**种树，*下午*浇水。") >= 0 && v.indexOf("- 一年级\n- 二年级") >= 0 && v.indexOf("| 班级 | 棵数 |") >= 0 && v.indexOf("- 注意安全") >= 0;
    log("pasted rich text", md && v.indexOf("<") < 0 && v.indexOf("alert") < 0, v);
    // Saved with Ctrl+S.
    doc.dispatchEvent(new KeyboardEvent("keydown", { key: "s", ctrlKey: true, bubbles: true }));
    var saved = await until(function () { return status() === S["saved"]; });
    log("saved", saved, status() + " " + doc.getElementById("problems").textContent);
    // Who refers to it, before deleting (the county lists it): the delete is cancelled.
    doc.getElementById("delete").click();
    var refs = await until(function () { var d = doc.getElementById("dialog"); return d.open && d.textContent.indexOf("东区教育局") >= 0 && d.textContent; });
    log("refs before delete", refs, refs);
    await button("");
    // A page whose date is wrong: the message is at the date field, and saving is refused.
    await win.zhanqunEditor.open(site + "/news/2024-05-08-坏日期.md");
    var problem = await until(function () { var p = doc.getElementById("f-date-problem"); return p && p.textContent; });
    log("bad date at its field", problem && problem.indexOf("不是有效的日期") >= 0 && doc.getElementById("f-date").getAttribute("aria-invalid") === "true", problem);
    doc.getElementById("save").click();
    var refused = await until(function () { return status() === S["not-saved-errors"]; });
    log("bad date not saved", refused, status());
    // A page changed elsewhere after it was opened: not overwritten, both versions shown.
    var path = site + "/news/2024-05-07-别处改过.md";
    await win.zhanqunEditor.open(path);
    var token = doc.querySelector('meta[name="zhanqun-token"]').content;
    var loaded = await (await fetch("/_zhanqun/edit/api/load?path=" + encodeURIComponent(path), { headers: { "X-Zhanqun-Token": token } })).json();
    var other = loaded.text.replace("原来的正文", "另一个窗口改过的正文");
    await fetch("/_zhanqun/edit/api/save", { method: "POST", headers: { "X-Zhanqun-Token": token, "Content-Type": "application/json" }, body: JSON.stringify({ path: path, text: other, base: loaded.version }) });
    type("我的补充。");
    doc.getElementById("save").click();
    var conflict = await until(function () { var d = doc.getElementById("dialog"); return d.open && d.textContent.indexOf("另一个窗口改过的正文") >= 0 && d.textContent.indexOf("我的补充") >= 0; });
    log("conflict shown", conflict, doc.getElementById("dialog").textContent);
    await button("");
    var now = await (await fetch("/_zhanqun/edit/api/load?path=" + encodeURIComponent(path), { headers: { "X-Zhanqun-Token": token } })).json();
    log("not overwritten", now.text === other, now.text);
    // A Word document dropped on the text becomes a page.
    var drop = new DataTransfer();
    drop.items.add(file(DOCX, "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "家长会通知.docx"));
    body().dispatchEvent(new DragEvent("drop", { dataTransfer: drop, bubbles: true, cancelable: true }));
    await button("page");
    // The page has unsaved text (the conflict above): leaving it is confirmed.
    await button("leave");
    var imported = await until(function () { return doc.getElementById("path").textContent.indexOf("关于召开2026年秋季家长会的通知") >= 0; });
    log("docx dropped", imported && doc.getElementById("f-title").value === "关于召开2026年秋季家长会的通知" && body().value.indexOf("## 一、会议安排") >= 0, doc.getElementById("path").textContent + " " + status() + " statuses " + JSON.stringify(STATUSES.slice(-8)) + " dialog " + doc.getElementById("dialog").open + " " + doc.getElementById("dialog").textContent);
  },
};

async function run(name, site) {
  try {
    await SCENARIOS[name](site);
  } catch (e) {
    log("scenario", false, e && e.stack || e);
  }
  return CHECKS;
}
