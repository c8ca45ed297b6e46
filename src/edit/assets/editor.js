/* zhanqun's editor: find a page, write it in a form and a Markdown text area, see it as
   the site will show it, save it. No framework and no build step: plain DOM code a
   webmaster can read. Every call carries the run's token; the server checks everything
   and does every conversion (front matter through the yaml module, pasted HTML through
   the Word importer's converter, merges by paragraph), so the script only shows. Pictures,
   Word files, git and the trash are in editor-files.js. */
(function () {
  "use strict";

  var TOKEN = document.querySelector('meta[name="zhanqun-token"]').content;
  var S = JSON.parse(document.getElementById("zq-strings").textContent);
  var API = "/_zhanqun/edit/api/";
  var $ = function (id) { return document.getElementById(id); };
  var zq = window.zq = { S: S, $: $ };

  /* ---------- calls ---------- */

  var pending = 0;
  function busy(delta) {
    pending += delta;
    document.body.setAttribute("aria-busy", pending > 0 ? "true" : "false");
  }

  /* 503 means the server did nothing (it was rebuilding): the call is sent again. */
  function call(method, name, body, raw, tries) {
    busy(1);
    var options = { method: method, headers: { "X-Zhanqun-Token": TOKEN }, credentials: "same-origin" };
    if (body !== undefined) {
      options.body = raw ? body : JSON.stringify(body);
      options.headers["Content-Type"] = raw ? "application/octet-stream" : "application/json";
    }
    return fetch(API + name, options).then(function (r) {
      if (r.status === 503 && (tries || 0) < 5) {
        busy(-1);
        return new Promise(function (ok) { setTimeout(ok, 800); }).then(function () { return call(method, name, body, raw, (tries || 0) + 1); });
      }
      return r.json().catch(function () { return { error: S["server-error"].replace("{status}", r.status) }; }).then(function (data) {
        data.status = r.status;
        busy(-1);
        return data;
      });
    }, function () {
      busy(-1);
      return { status: 0, error: S["offline"] };
    });
  }
  zq.call = call;

  function query(params) {
    return Object.keys(params).map(function (k) {
      return encodeURIComponent(k) + "=" + encodeURIComponent(params[k]);
    }).join("&");
  }
  zq.query = query;

  function say(text, bad) {
    var s = $("status");
    s.textContent = text || "";
    s.className = "status" + (bad ? " bad" : "");
  }
  zq.say = say;

  /* ---------- state ---------- */

  var tree = null;          // sites, their sections and the forms
  var site = null;          // the chosen site
  var page = null;          // {path, text, version, saved, kind}
  var timer = null;
  var lastPreview = 0;
  zq.site = function () { return site; };
  zq.page = function () { return page; };
  zq.tree = function () { return tree; };

  /* ---------- the site tree and the page list ---------- */

  function loadTree() {
    return call("GET", "tree").then(function (data) {
      if (data.status !== 200) return say(data.error, true);
      tree = data;
      drawSites();
    });
  }

  function drawSites() {
    var list = $("sites");
    var filter = $("filter").value.trim();
    list.textContent = "";
    tree.sites.forEach(function (s) {
      if (!s.editable) return;
      if (filter && s.name.indexOf(filter) < 0 && s.id.indexOf(filter) < 0 && !site) return;
      var li = document.createElement("li");
      li.style.paddingLeft = s.depth + "em";
      var b = button(s.name, function () { chooseSite(s); });
      if (site && site.id === s.id) b.setAttribute("aria-current", "true");
      li.appendChild(b);
      list.appendChild(li);
    });
  }

  function button(text, action, cls) {
    var b = document.createElement("button");
    b.type = "button";
    b.textContent = text;
    if (cls) b.className = cls;
    b.addEventListener("click", action);
    return b;
  }
  zq.button = button;

  function chooseSite(s) {
    site = s;
    drawSites();
    $("site-panel").hidden = false;
    $("site-name").textContent = s.name;
    var sections = $("sections");
    sections.textContent = "";
    s.sections.forEach(function (sec) {
      var li = document.createElement("li");
      li.dataset.section = sec.name;
      li.appendChild(document.createTextNode(sec.title + " "));
      li.appendChild(button(S["new"], function () { newPage(sec); }, "small"));
      sections.appendChild(li);
    });
    loadPages();
    zq.loadGit();
  }

  function loadPages() {
    if (!site) return Promise.resolve();
    return call("GET", "pages?" + query({ site: site.id })).then(function (data) {
      var list = $("pages");
      list.textContent = "";
      var filter = $("filter").value.trim();
      (data.pages || []).forEach(function (p) {
        if (filter && p.title.indexOf(filter) < 0) return;
        var li = document.createElement("li");
        var b = button(p.title, function () { open(p.path); });
        if (page && page.path === p.path) b.setAttribute("aria-current", "true");
        li.appendChild(b);
        var meta = document.createElement("span");
        meta.className = "meta";
        meta.textContent = (p.date ? p.date.slice(0, 10) + " · " : "") + p.status.join(" · ");
        if (p.broken) meta.className += " bad";
        li.appendChild(meta);
        list.appendChild(li);
      });
    });
  }
  zq.loadPages = loadPages;

  /* ---------- opening and creating pages ---------- */

  function kindOf(path) {
    var parts = path.split("/");
    var owner = tree.sites.filter(function (s) { return s.id === parts[0]; })[0] || site;
    var sec = owner && owner.sections.filter(function (x) { return x.name === parts[1]; })[0];
    return sec ? sec.kind : "pages";
  }

  function open(path) {
    return leave().then(function (ok) { return ok && call("GET", "load?" + query({ path: path })); }).then(function (data) {
      if (!data) return;
      if (data.status !== 200) return say(data.error, true);
      show({ path: path, text: data.text, version: data.version }, data.fields);
      offerRecovery(data);
    });
  }

  function newPage(sec) {
    return leave().then(function (ok) {
      return ok && ask(S["new-title"], [{ label: S["title-label"], name: "title", required: true }], S["create"]);
    }).then(function (v) {
      if (!v) return;
      return call("POST", "new", { site: site.id, section: sec.name, title: v.title }).then(function (data) {
        if (data.status !== 200) return say(data.error, true);
        // A new page is saved at once as a draft, so pictures have a folder to go to.
        return call("POST", "save", { path: data.path, text: data.text, base: null }).then(function (saved) {
          if (!saved.saved) return say(saved.error || S["not-saved"], true);
          show({ path: data.path, text: data.text, version: saved.version }, data.fields);
          say(S["created"]);
          loadPages();
          // On a phone the form is far below the lists: bring it into view.
          $("page").scrollIntoView({ block: "start" });
          var title = $("f-title");
          if (title) title.focus({ preventScroll: true });
        });
      });
    });
  }

  function show(p, fields) {
    page = p;
    page.kind = kindOf(p.path);
    page.saved = p.text;
    $("welcome").hidden = true;
    $("page").hidden = false;
    $("path").textContent = p.path;
    $("body").value = split(p.text).body.replace(/^\r?\n/, "");
    drawForm(fields || {});
    preview();
    loadPages();
  }
  zq.show = show;

  /* Resolves to true when the open page may be left: nothing unsaved, or the writer says so. */
  function leave() {
    if (!page || page.text === page.saved) return Promise.resolve(true);
    var body = document.createElement("p");
    body.textContent = S["leave"];
    return dialog(S["unsaved"], body, [["", S["stay"], true], ["leave", S["discard"]]]).then(function (v) { return v === "leave"; });
  }
  zq.leave = leave;

  /* ---------- the text: front matter and body ---------- */

  function split(text) {
    var m = /^---\r?\n([\s\S]*?)\r?\n---[ \t]*(\r?\n|$)/.exec(text);
    if (!m) return { front: "", body: text, lines: 0 };
    return { front: m[1], body: text.slice(m[0].length), lines: m[1].split("\n").length + 2 };
  }
  zq.split = split;

  /* The page's text with the body of the text area; the front matter is the server's. */
  function withBody(text) {
    var parts = split(text);
    var head = text.slice(0, text.length - parts.body.length);
    var gap = /^\r?\n/.test(parts.body) ? "\n" : "";
    return head + gap + $("body").value;
  }

  /* ---------- the form ---------- */

  function drawForm(values) {
    var form = $("fields");
    form.textContent = "";
    (tree.form[page.kind] || tree.form.pages).forEach(function (f) {
      form.appendChild(zq.fieldRow(f, valueOf(values, f.key), values));
    });
    var draft = document.createElement("div");
    draft.className = "row check";
    var box = zq.input("checkbox", "f-draft");
    box.checked = values.draft === true;
    box.addEventListener("change", function () { setField("draft", box.checked ? true : null); });
    draft.appendChild(box);
    draft.appendChild(zq.label("f-draft", S["draft"]));
    form.appendChild(draft);
  }
  zq.drawForm = drawForm;

  function valueOf(values, key) {
    if (key === "repeat.weekly_until") return values.repeat && values.repeat.weekly_until;
    // A page dated by its file name (2026-11-14-读书节.md) shows that date.
    var named = /(?:^|\/)([0-9]{4}-[0-9]{2}-[0-9]{2})-[^\/]+$/.exec(page.path.replace(/\/index\.md$/, ""));
    if (key === "date" && values.date === undefined && named) return named[1];
    return values[key];
  }

  /* Front matter keys are changed by the server (the yaml module), one call per change;
     answers are applied in order, each onto the body as it is now. */
  var fieldCalls = Promise.resolve();
  function setField(key, value) {
    var set = {};
    set[key] = value;
    fieldCalls = fieldCalls.then(function () {
      page.text = withBody(page.text);
      return call("POST", "fields", { text: page.text, set: set }).then(function (data) {
        if (data.status !== 200) return say(data.error, true);
        page.text = withBody(data.text);
        page.fields = data.fields;
        changed();
      });
    });
    return fieldCalls;
  }
  zq.setField = setField;

  /* ---------- typing, preview, problems ---------- */

  function changed() {
    page.text = withBody(page.text);
    try {
      localStorage.setItem("zq-unsaved:" + page.path, JSON.stringify({ text: page.text, base: page.version, baseText: page.saved }));
    } catch (e) {}
    clearTimeout(timer);
    timer = setTimeout(preview, 250);
  }
  zq.changed = changed;

  function preview() {
    var asked = ++lastPreview;
    return call("POST", "preview", { path: page.path, text: page.text }).then(function (data) {
      if (asked !== lastPreview || data.status !== 200) return;
      if (data.html) keepScroll($("frame"), data.html);
      $("open").href = data.url || "#";
      problems(data.diagnostics || []);
      page.fields = data.fields || page.fields;
      zq.drawPictures && zq.drawPictures();
      var also = $("also-on");
      also.textContent = "";
      (data.also_on || []).forEach(function (a) {
        var li = document.createElement("li");
        var link = document.createElement("a");
        link.href = a.url;
        link.target = "_blank";
        link.rel = "noopener";
        link.textContent = a.site;
        li.appendChild(link);
        also.appendChild(li);
      });
      $("also").hidden = !(data.also_on || []).length;
    });
  }
  zq.preview = preview;

  /* Replaces the preview, staying where the reader was in it. */
  function keepScroll(frame, html) {
    var y = 0;
    try { y = frame.contentWindow.scrollY; } catch (e) {}
    frame.onload = function () { try { frame.contentWindow.scrollTo(0, y); } catch (e) {} };
    frame.srcdoc = html;
  }

  /* Problems go next to their field (front matter lines) or under the text (body lines). */
  function problems(list) {
    Array.prototype.forEach.call(document.querySelectorAll("#fields .row"), function (r) {
      var p = r.querySelector(".problem");
      if (p) p.textContent = "";
      var c = r.querySelector("input, select, textarea");
      if (c) c.removeAttribute("aria-invalid");
    });
    var out = $("problems");
    out.textContent = "";
    var parts = split(page.text);
    var frontLines = parts.front.split("\n");
    list.forEach(function (d) {
      var words = (d.severity === "error" ? S["error"] : S["warning"]) + "：" + d.message + (d.help ? "（" + d.help + "）" : "");
      // A missing title has no line of its own: it belongs to the title field.
      var key = d.code === "ZQ102" ? "title" : d.line >= 2 && d.line < parts.lines ? keyAt(frontLines, d.line - 2) : null;
      var row = key && document.querySelector('#fields .row[data-key="' + key + '"]');
      if (row) {
        row.querySelector(".problem").textContent = words;
        var c = row.querySelector("input, select, textarea");
        if (c && d.severity === "error") c.setAttribute("aria-invalid", "true");
        return;
      }
      var li = document.createElement("li");
      li.className = d.severity;
      var line = d.line - parts.lines;
      li.textContent = (line > 0 ? S["at-line"].replace("{n}", line) + " " : "") + words;
      out.appendChild(li);
    });
    $("problems-title").hidden = !out.children.length;
  }

  function keyAt(lines, index) {
    for (var i = Math.min(index, lines.length - 1); i >= 0; i--) {
      var m = /^([A-Za-z_]+):/.exec(lines[i]);
      if (m) return m[1];
    }
    return null;
  }

  /* ---------- saving ---------- */

  function save() {
    if (!page) return;
    changed();
    say(S["saving"]);
    return call("POST", "save", { path: page.path, text: page.text, base: page.version }).then(function (data) {
      if (data.status === 200) {
        page.version = data.version;
        page.saved = page.text;
        try { localStorage.removeItem("zq-unsaved:" + page.path); } catch (e) {}
        problems(data.diagnostics || []);
        say(S["saved"]);
        loadPages();
        zq.loadGit();
      } else if (data.status === 422) {
        problems(data.diagnostics || []);
        say(S["not-saved-errors"], true);
        var first = document.querySelector('#fields [aria-invalid="true"]');
        if (first) first.focus();
      } else if (data.status === 409) {
        conflict(page.saved, page.text, data.current);
      } else {
        say(data.error || S["not-saved"], true);
      }
    });
  }
  zq.save = save;

  /* The page changed since `baseText` was loaded: the writer sees both bodies (not raw
     front matter) and chooses; the first choice merges both by paragraph, and no choice
     loses her text without her saying so. */
  function conflict(baseText, mine, current) {
    say(S["conflict"], true);
    var theirs = current ? current.text : "";
    var body = document.createElement("div");
    var lead = document.createElement("p");
    lead.textContent = S["conflict-text"];
    body.appendChild(lead);
    var both = document.createElement("div");
    both.className = "conflict";
    [[S["yours"], mine], [S["theirs"], theirs]].forEach(function (pair) {
      var box = document.createElement("div");
      var h = document.createElement("h3");
      h.textContent = pair[0];
      var pre = document.createElement("pre");
      var fields = split(pair[1]);
      var title = /^title:\s*(.*)$/m.exec(fields.front);
      pre.textContent = (title ? title[1].replace(/^"|"$/g, "") + "\n\n" : "") + fields.body.trim();
      box.appendChild(h);
      box.appendChild(pre);
      both.appendChild(box);
    });
    body.appendChild(both);
    var buttons = [["merge", S["merge"], true], ["copy", S["save-copy"]], ["take", S["take-theirs"]], ["keep", S["keep-mine"]], ["", S["cancel"]]];
    return dialog(S["conflict"], body, buttons).then(function (v) {
      if (!current) return;
      if (v === "merge") return mergeBoth(baseText, mine, current);
      if (v === "copy") return saveCopy(mine).then(function () { return takeTheirs(current); });
      if (v === "take") return takeTheirs(current);
      if (v === "keep") {
        page.version = current.version;
        return save();
      }
    });
  }
  zq.conflict = conflict;

  function takeTheirs(current) {
    try { localStorage.removeItem("zq-unsaved:" + page.path); } catch (e) {}
    show({ path: page.path, text: current.text, version: current.version }, null);
    return call("POST", "preview", { path: page.path, text: current.text }).then(function (d) { drawForm(d.fields || {}); });
  }

  function mergeBoth(baseText, mine, current) {
    return call("POST", "merge", { base: baseText || "", mine: mine, theirs: current.text }).then(function (m) {
      if (m.status !== 200) return say(m.error, true);
      show({ path: page.path, text: m.text, version: current.version }, m.fields);
      page.saved = current.text;
      changed();
      say(m.clean ? S["merged"] : S["merged-check"], !m.clean);
    });
  }

  /* Mine as a new draft page beside it, titled "…（副本）". */
  function saveCopy(mine) {
    var parts = page.path.split("/");
    var title = (/^title:\s*"?(.*?)"?\s*$/m.exec(split(mine).front) || [null, ""])[1] + S["copy-suffix"];
    return call("POST", "new", { site: parts[0], section: parts[1], title: title }).then(function (made) {
      if (made.status !== 200) return say(made.error, true);
      return call("POST", "fields", { text: mine, set: { title: title, draft: true } }).then(function (f) {
        return call("POST", "save", { path: made.path, text: f.text, base: null });
      }).then(function (saved) {
        if (saved.status === 200) say(S["copy-saved"].replace("{name}", title));
      });
    });
  }

  /* Text typed in this browser and not saved: offered back; written on an older version,
     it goes to the conflict choices instead, with the version it was based on. */
  function offerRecovery(loaded) {
    var stored = null;
    try { stored = JSON.parse(localStorage.getItem("zq-unsaved:" + page.path) || "null"); } catch (e) {}
    if (!stored || stored.text === page.text) return;
    if (stored.base && stored.base !== loaded.version) {
      say(S["recover-conflict"], true);
      return conflict(stored.baseText, stored.text, { text: loaded.text, version: loaded.version });
    }
    var body = document.createElement("p");
    body.textContent = S["recover-text"];
    return dialog(S["recover"], body, [["yes", S["recover-yes"], true], ["no", S["recover-no"]]]).then(function (v) {
      if (v === "yes") {
        page.text = stored.text;
        $("body").value = split(stored.text).body.replace(/^\r?\n/, "");
        call("POST", "preview", { path: page.path, text: page.text }).then(function (d) { drawForm(d.fields || {}); preview(); });
      } else {
        try { localStorage.removeItem("zq-unsaved:" + page.path); } catch (e) {}
      }
    });
  }

  /* ---------- delete and rename ---------- */

  function refsList(then) {
    call("GET", "refs?" + query({ path: page.path })).then(function (data) {
      var body = document.createElement("div");
      var refs = data.refs || [];
      var p = document.createElement("p");
      p.textContent = refs.length ? S["referred"] : S["not-referred"];
      body.appendChild(p);
      var ul = document.createElement("ul");
      refs.forEach(function (r) {
        var li = document.createElement("li");
        li.textContent = r.site + "：" + r.what + "（" + S["ref-" + r.kind] + "）";
        ul.appendChild(li);
      });
      body.appendChild(ul);
      then(body, refs);
    });
  }

  function remove() {
    refsList(function (body) {
      dialog(S["delete-title"], body, [["", S["cancel"], true], ["delete", S["delete"]]]).then(function (v) {
        if (v !== "delete") return;
        call("POST", "delete", { path: page.path, base: page.version }).then(function (data) {
          if (data.status !== 200) return say(data.error, true);
          say(S["deleted"].replace("{trash}", S["trash"]));
          page = null;
          $("page").hidden = true;
          $("welcome").hidden = false;
          $("frame").srcdoc = "";
          loadPages();
          zq.loadGit();
        });
      });
    });
  }

  function rename() {
    refsList(function (body) {
      var note = document.createElement("p");
      note.textContent = S["rename-note"];
      body.insertBefore(note, body.firstChild);
      var row = document.createElement("p");
      var e = zq.input("text", "rename-name");
      row.appendChild(zq.label("rename-name", S["new-name"]));
      row.appendChild(e);
      body.appendChild(row);
      [["rename-alias", S["keep-address"], true], ["rename-title", S["rename-title-too"], false]].forEach(function (c) {
        var p = document.createElement("p");
        p.className = "check";
        var box = zq.input("checkbox", c[0]);
        box.checked = c[2];
        p.appendChild(box);
        p.appendChild(zq.label(c[0], c[1]));
        body.appendChild(p);
      });
      dialog(S["rename-title"], body, [["rename", S["rename"], true], ["", S["cancel"]]]).then(function (v) {
        var name = e.value.trim();
        if (v !== "rename" || !name) return;
        var retitle = $("rename-title").checked ? setField("title", name).then(save) : Promise.resolve();
        retitle.then(function () {
          return call("POST", "rename", { path: page.path, base: page.version, name: name, alias: $("rename-alias").checked });
        }).then(function (data) {
          if (data.status !== 200) return say(data.error, true);
          say(S["renamed"]);
          page.saved = page.text;
          open(data.path);
        });
      });
    });
  }

  /* ---------- the toolbar ---------- */

  function wrapSelection(before, after, placeholder) {
    var t = $("body");
    var s = t.selectionStart, e = t.selectionEnd;
    var chosen = t.value.slice(s, e) || placeholder;
    t.setRangeText(before + chosen + after, s, e, "select");
    t.focus();
    changed();
  }

  /* Puts `text` where the caret was at `at` (or is), as a block of its own when `block`. */
  function insertText(text, at, block) {
    var t = $("body");
    var start = at ? at.start : t.selectionStart, end = at ? at.end : t.selectionEnd;
    if (block) {
      var before = t.value.slice(0, start), after = t.value.slice(end);
      var lead = !before || /\n\n$/.test(before) ? "" : /\n$/.test(before) ? "\n" : "\n\n";
      var tail = !after || /^\n\n/.test(after) ? "" : /^\n/.test(after) ? "\n" : "\n\n";
      text = lead + text.replace(/\n+$/, "") + tail;
    }
    t.setRangeText(text, start, end, "end");
    t.focus();
    changed();
  }
  zq.insertText = insertText;

  /* Where the caret is now, to insert there after a dialog or an upload. */
  zq.caret = function () { var t = $("body"); return { start: t.selectionStart, end: t.selectionEnd }; };

  function lineStart(prefix) {
    var t = $("body");
    var s = t.value.lastIndexOf("\n", t.selectionStart - 1) + 1;
    t.setRangeText(prefix, s, s, "end");
    t.focus();
    changed();
  }

  var ACTIONS = {
    heading: function () { lineStart("## "); },
    bold: function () { wrapSelection("**", "**", S["bold-text"]); },
    list: function () { lineStart("- "); },
    link: function () { zq.linkDialog(); },
    picture: function () { zq.choose("image/*", true); },
    attachment: function () { zq.choose("", false); },
    table: function () { insertText("| " + S["column"] + " 1 | " + S["column"] + " 2 |\n| --- | --- |\n|  |  |", null, true); },
  };

  /* ---------- dialogs ---------- */

  var opened = 0;

  /* Buttons are [value, label, default]; the default one has the focus, so Enter never
     picks a choice that overwrites or deletes. */
  function dialog(title, body, buttons) {
    var d = $("dialog");
    $("dialog-title").textContent = title;
    var holder = $("dialog-body");
    holder.textContent = "";
    holder.appendChild(body);
    var row = $("dialog-buttons");
    row.textContent = "";
    var first = null;
    buttons.forEach(function (b) {
      var e = document.createElement("button");
      e.value = b[0];
      e.textContent = b[1];
      if (b[2]) { e.className = "primary"; first = e; }
      row.appendChild(e);
    });
    var mine = ++opened;
    return new Promise(function (resolve) {
      // A close event queued by the dialog shown before this one may arrive now: it is
      // this one's only once the dialog is closed.
      function closed() {
        if (d.open) return;
        d.removeEventListener("close", closed);
        resolve(mine === opened ? d.returnValue : "");
      }
      d.addEventListener("close", closed);
      d.returnValue = "";
      d.showModal();
      var field = holder.querySelector("input:not([type=checkbox]), textarea");
      (field || first || row.firstChild).focus();
    });
  }
  zq.dialog = dialog;

  function ask(title, inputs, ok, values) {
    var body = document.createElement("div");
    inputs.forEach(function (f) {
      var p = document.createElement("p");
      var e = zq.input("text", "ask-" + f.name);
      e.name = f.name;
      if (values && values[f.name]) e.value = values[f.name];
      p.appendChild(zq.label(e.id, f.label));
      p.appendChild(e);
      if (f.hint) {
        var h = document.createElement("span");
        h.className = "hint";
        h.textContent = f.hint;
        p.appendChild(h);
      }
      body.appendChild(p);
    });
    return dialog(title, body, [["ok", ok, true], ["", S["cancel"]]]).then(function (v) {
      if (v !== "ok") return null;
      var out = {};
      inputs.forEach(function (f) { out[f.name] = document.getElementById("ask-" + f.name).value.trim(); });
      return inputs.every(function (f) { return !f.required || out[f.name]; }) ? out : null;
    });
  }
  zq.ask = ask;

  /* ---------- start ---------- */

  document.addEventListener("DOMContentLoaded", function () {
    $("filter").addEventListener("input", function () { drawSites(); if (site) loadPages(); });
    $("save").addEventListener("click", save);
    $("delete").addEventListener("click", remove);
    $("rename").addEventListener("click", rename);
    $("body").addEventListener("input", changed);
    Array.prototype.forEach.call(document.querySelectorAll(".toolbar button"), function (b) {
      b.addEventListener("click", function () { ACTIONS[b.dataset.do](); });
    });
    document.addEventListener("keydown", function (e) {
      if ((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === "s") {
        e.preventDefault();
        save();
      }
    });
    window.addEventListener("beforeunload", function (e) {
      if (page && page.text !== page.saved) e.preventDefault();
    });
    // `?site=<id>` chooses a site, `?page=<site>/<path>.md` opens a page (links from elsewhere).
    loadTree().then(function () {
      var params = new URLSearchParams(location.search);
      var wantedPage = params.get("page");
      var wanted = params.get("site") || (wantedPage && wantedPage.split("/")[0]);
      var editable = tree.sites.filter(function (s) { return s.editable; });
      var first = editable.filter(function (s) { return !wanted || s.id === wanted; })[0];
      if (first && (wanted || editable.length === 1)) chooseSite(first);
      if (first && wantedPage) open(wantedPage);
    });
  });

  window.zhanqunEditor = {
    open: open, save: save, page: function () { return page; }, site: function () { return site; },
    chooseSite: function (id) { chooseSite(tree.sites.filter(function (s) { return s.id === id; })[0]); },
    newPage: newPage,
  };
})();
