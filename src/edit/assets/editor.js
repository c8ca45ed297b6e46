/* zhanqun's editor: find a page, write it in a form and a Markdown text area, see it as
   the site will show it, save it. No framework and no build step: plain DOM code a
   webmaster can read. Every call carries the run's token; the server checks everything. */
(function () {
  "use strict";

  var TOKEN = document.querySelector('meta[name="zhanqun-token"]').content;
  var S = JSON.parse(document.getElementById("zq-strings").textContent);
  var API = "/_zhanqun/edit/api/";
  var $ = function (id) { return document.getElementById(id); };

  /* ---------- calls ---------- */

  /* Requests under way; the page says it is busy (aria-busy) while there are any. */
  var pending = 0;
  function busy(delta) {
    pending += delta;
    document.body.setAttribute("aria-busy", pending > 0 ? "true" : "false");
  }

  function call(method, name, body, raw, tries) {
    busy(1);
    var options = { method: method, headers: { "X-Zhanqun-Token": TOKEN }, credentials: "same-origin" };
    if (body !== undefined) {
      options.body = raw ? body : JSON.stringify(body);
      options.headers["Content-Type"] = raw ? "application/octet-stream" : "application/json";
    }
    return fetch(API + name, options).then(function (r) {
      // 503: the server is rebuilding or has too many connections; nothing was done, so
      // the request is sent again a moment later.
      if (r.status === 503 && (tries || 0) < 5) {
        busy(-1);
        return new Promise(function (ok) { setTimeout(ok, 500); }).then(function () { return call(method, name, body, raw, (tries || 0) + 1); });
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

  function query(params) {
    return Object.keys(params).map(function (k) {
      return encodeURIComponent(k) + "=" + encodeURIComponent(params[k]);
    }).join("&");
  }

  function say(text, bad) {
    var s = $("status");
    s.textContent = text || "";
    s.className = "status" + (bad ? " bad" : "");
  }

  /* ---------- state ---------- */

  var tree = null;          // sites, their sections and the forms
  var site = null;          // the chosen site
  var page = null;          // {path, text, version, kind, site}
  var timer = null;
  var lastPreview = 0;

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
    loadGit();
  }

  function loadPages() {
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

  /* One git command at a time: a push pressed while the commit runs would push nothing. */
  function gitBusy(on) {
    $("git").setAttribute("aria-busy", on ? "true" : "false");
    $("commit").disabled = on;
    $("push").disabled = on;
  }

  function loadGit() {
    call("GET", "git?" + query({ site: site.id })).then(function (data) {
      var box = $("git");
      box.hidden = !data.git;
      if (!data.git) return;
      $("git-changed").textContent = data.changed.length ? S["uncommitted"].replace("{n}", data.changed.length) : S["committed"];
      $("commit").disabled = !data.changed.length;
    });
  }

  /* ---------- opening and creating pages ---------- */

  function kindOf(path) {
    var parts = path.split("/");
    var sec = site && site.sections.filter(function (x) { return x.name === parts[1]; })[0];
    return sec ? sec.kind : "pages";
  }

  function open(path) {
    return leave().then(function (ok) { return ok && call("GET", "load?" + query({ path: path })); }).then(function (data) {
      if (!data) return;
      if (data.status !== 200) return say(data.error, true);
      show({ path: path, text: data.text, version: data.version }, data.fields);
      offerRecovery();
    });
  }

  function newPage(sec) {
    leave().then(function (ok) {
      return ok && ask(S["new-title"], [{ label: S["title-label"], name: "title", required: true }], S["create"]);
    }).then(function (v) {
      if (!v) return;
      call("POST", "new", { site: site.id, section: sec.name, title: v.title }).then(function (data) {
        if (data.status !== 200) return say(data.error, true);
        // A new page is saved at once as a draft, so pictures have a folder to go to.
        var text = data.text;
        call("POST", "save", { path: data.path, text: text, base: null }).then(function (saved) {
          if (!saved.saved) return say(saved.error || S["not-saved"], true);
          show({ path: data.path, text: text, version: saved.version }, data.fields);
          say(S["created"]);
          loadPages();
        });
      });
    });
  }

  function show(p, fields) {
    page = p;
    page.kind = kindOf(p.path);
    $("welcome").hidden = true;
    $("page").hidden = false;
    $("path").textContent = p.path;
    drawForm(fields || {});
    var body = split(p.text).body;
    gap = /^\r?\n/.test(body) || !body ? "\n" : "";
    $("body").value = body.replace(/^\r?\n/, "");
    page.saved = p.text;
    preview();
    loadPages();
  }

  /* Resolves to true when the open page may be left: nothing unsaved, or the writer says so
     in the page's own dialog (a browser confirm() would stop everything behind it). */
  function leave() {
    if (!page || page.text === page.saved) return Promise.resolve(true);
    var body = document.createElement("p");
    body.textContent = S["leave"];
    return dialog(S["unsaved"], body, [["leave", S["discard"]], ["", S["stay"]]]).then(function (v) { return v === "leave"; });
  }

  /* ---------- front matter, line by line ---------- */

  function split(text) {
    var m = /^---\r?\n([\s\S]*?)\r?\n---[ \t]*(\r?\n|$)/.exec(text);
    if (!m) return { front: "", body: text, lines: 0 };
    return { front: m[1], body: text.slice(m[0].length), lines: m[1].split("\n").length + 2 };
  }

  /* Whether a blank line follows the front matter, as the file had it: opening and saving
     a page the writer did not touch changes nothing in it. */
  var gap = "\n";

  function compose(front, body) {
    return "---\n" + front.replace(/\n+$/, "") + "\n---\n" + gap + body.replace(/^\n+/, "");
  }

  /* Sets (or, with null, removes) a top-level key; the lines of its value (a block list,
     a nested map) go with it. Other keys, comments and order stay as they were. */
  function setKey(front, key, value) {
    var lines = front ? front.split("\n") : [];
    var at = -1;
    for (var i = 0; i < lines.length; i++) {
      if (lines[i].indexOf(key + ":") === 0) { at = i; break; }
    }
    var end = at + 1;
    while (at >= 0 && end < lines.length && /^[ \t-]/.test(lines[end]) && lines[end].trim() !== "") end++;
    var line = value === null ? null : key + ": " + value;
    if (at < 0) {
      if (line !== null) lines.push(line);
    } else {
      lines.splice(at, end - at);
      if (line !== null) lines.splice(at, 0, line);
    }
    return lines.join("\n");
  }

  var PLAIN = /^[^\s\-?:,\[\]{}#&*!|>'"%@`][^#]*$/;
  function scalar(v) {
    v = String(v);
    var word = /^(true|false|yes|no|on|off|null|~|[-+]?[0-9.]+)$/i.test(v);
    if (v && PLAIN.test(v) && v.indexOf(": ") < 0 && v.trim() === v && !word) return v;
    return JSON.stringify(v);
  }
  function flow(list) {
    return "[" + list.map(function (x) {
      x = String(x);
      return /^[^\s,\[\]{}:#"'&*!|>%@`-][^,\[\]{}:#]*$/.test(x) && x.trim() === x ? x : JSON.stringify(x);
    }).join(", ") + "]";
  }

  /* ---------- the form ---------- */

  function drawForm(values) {
    var form = $("fields");
    form.textContent = "";
    var fields = (tree.form[page.kind] || tree.form.pages).slice();
    fields.forEach(function (f) { form.appendChild(fieldRow(f, valueOf(values, f.key))); });
    var draft = document.createElement("div");
    draft.className = "row check";
    var box = input("checkbox", "f-draft");
    box.checked = values.draft === true;
    box.addEventListener("change", function () { update("draft", box.checked ? "true" : null); });
    draft.appendChild(box);
    draft.appendChild(label("f-draft", S["draft"]));
    form.appendChild(draft);
  }

  function valueOf(values, key) {
    if (key === "repeat.weekly_until") return values.repeat && values.repeat.weekly_until;
    // A page dated by its file name (2026-11-14-读书节.md) shows that date; it is written
    // into the page only when the writer changes it.
    var named = /(?:^|\/)([0-9]{4}-[0-9]{2}-[0-9]{2})-[^\/]+$/.exec(page.path.replace(/\/index\.md$/, ""));
    if (key === "date" && values.date === undefined && named) return named[1];
    return values[key];
  }

  function input(type, id) {
    var e = document.createElement(type === "textarea" || type === "select" ? type : "input");
    if (e.tagName === "INPUT") e.type = type;
    e.id = id;
    return e;
  }

  function label(id, text) {
    var l = document.createElement("label");
    l.htmlFor = id;
    l.textContent = text;
    return l;
  }

  function fieldRow(f, value) {
    var row = document.createElement("div");
    row.className = "row";
    row.dataset.key = f.key;
    var id = "f-" + f.key.replace(/[^a-z_]/g, "-");
    var make = { text: text, textarea: text, number: text, date: date, datetime: date, select: select, choice: choice, tags: tags, sites: sites }[f.input] || text;
    row.appendChild(label(id, f.label + (f.required ? " *" : "")));
    var control = make(f, id, value);
    row.appendChild(control);
    var help = document.createElement("p");
    help.className = "hint";
    help.id = id + "-help";
    help.textContent = f.help || "";
    row.appendChild(help);
    var problem = document.createElement("p");
    problem.className = "problem";
    problem.id = id + "-problem";
    row.appendChild(problem);
    var target = control.querySelector("input, select, textarea") || control;
    target.setAttribute("aria-describedby", help.id + " " + problem.id);
    return row;
  }

  function text(f, id, value) {
    var e = input(f.input === "textarea" ? "textarea" : f.input === "number" ? "number" : "text", id);
    e.value = value === undefined || value === null ? "" : String(value);
    if (f.key === "source" && site) e.placeholder = site.name;
    if (f.suggest) {
      var list = document.createElement("datalist");
      list.id = id + "-list";
      f.options.forEach(function (o) { var op = document.createElement("option"); op.value = o; list.appendChild(op); });
      e.setAttribute("list", list.id);
      var wrap = document.createElement("div");
      wrap.appendChild(e);
      wrap.appendChild(list);
      e.addEventListener("input", function () { update(f.key, e.value.trim() ? scalar(e.value.trim()) : null); });
      return wrap;
    }
    e.addEventListener("input", function () {
      var v = e.value.trim();
      update(f.key, v === "" ? null : f.input === "number" && /^[0-9]+$/.test(v) ? v : scalar(v));
    });
    return e;
  }

  function date(f, id, value) {
    var e = input(f.input === "date" ? "date" : "datetime-local", id);
    var v = value === undefined || value === null ? "" : String(value);
    e.value = f.input === "date" ? v.slice(0, 10) : v.length === 10 ? v + "T00:00" : v.replace(" ", "T").slice(0, 16);
    e.addEventListener("input", function () {
      var out = e.value ? e.value.replace("T", " ") : null;
      if (f.key === "repeat.weekly_until") return update("repeat", out ? "{weekly_until: " + out + "}" : null);
      update(f.key, out);
    });
    return e;
  }

  function select(f, id, value) {
    var e = input("select", id);
    var none = document.createElement("option");
    none.value = "";
    none.textContent = S["choose"];
    e.appendChild(none);
    f.options.forEach(function (o) {
      var op = document.createElement("option");
      op.value = o;
      op.textContent = o;
      if (String(value) === o) op.selected = true;
      e.appendChild(op);
    });
    e.addEventListener("change", function () { update(f.key, e.value ? scalar(e.value) : null); });
    return e;
  }

  function choice(f, id, value) {
    var e = input("select", id);
    f.options.forEach(function (o) {
      if (o.bureau && !(site && site.bureau)) return;
      var op = document.createElement("option");
      op.value = o.value;
      op.textContent = o.label;
      if ((value || "") === o.value) op.selected = true;
      e.appendChild(op);
    });
    var explain = function () {
      var o = f.options.filter(function (x) { return x.value === e.value; })[0];
      var help = document.getElementById(id + "-help");
      if (help) help.textContent = (o && o.help) || f.help || "";
    };
    e.addEventListener("change", function () { update(f.key, e.value || null); explain(); });
    setTimeout(explain, 0);
    return e;
  }

  function tags(f, id, value) {
    var e = input("text", id);
    e.value = Array.isArray(value) ? value.join("，") : value ? String(value) : "";
    e.addEventListener("input", function () {
      var list = e.value.split(/[,，、]/).map(function (x) { return x.trim(); }).filter(Boolean);
      update(f.key, list.length ? flow(list) : null);
    });
    return e;
  }

  /* Receivers of a lesson: every school (or all of them) under the teaching site. */
  function sites(f, id, value) {
    var box = document.createElement("fieldset");
    box.id = id;
    var legend = document.createElement("legend");
    legend.className = "visually-hidden";
    legend.textContent = f.label;
    box.appendChild(legend);
    var chosen = Array.isArray(value) ? value : value === "all" ? ["all"] : [];
    var options = [{ id: "all", name: S["all-schools"] }].concat(tree.sites.filter(function (s) { return !s.bureau && site && s.id !== site.id; }));
    options.forEach(function (s, i) {
      var c = input("checkbox", id + "-" + i);
      c.value = s.id;
      c.checked = chosen.indexOf(s.id) >= 0;
      c.addEventListener("change", function () {
        var all = box.querySelector('input[value="all"]').checked;
        var ids = Array.prototype.slice.call(box.querySelectorAll("input:checked")).map(function (x) { return x.value; });
        update(f.key, all ? "all" : ids.length ? flow(ids) : null);
      });
      var wrap = document.createElement("span");
      wrap.className = "choice";
      wrap.appendChild(c);
      wrap.appendChild(label(c.id, s.name));
      box.appendChild(wrap);
    });
    return box;
  }

  function update(key, value) {
    var parts = split(page.text);
    page.text = compose(setKey(parts.front, key, value), $("body").value);
    changed();
  }

  /* ---------- typing, preview, problems ---------- */

  function changed() {
    var parts = split(page.text);
    page.text = compose(parts.front, $("body").value);
    try { localStorage.setItem("zq-unsaved:" + page.path, JSON.stringify({ text: page.text, base: page.version })); } catch (e) {}
    clearTimeout(timer);
    timer = setTimeout(preview, 250);
  }

  function preview() {
    var asked = ++lastPreview;
    var sent = page.text;
    return call("POST", "preview", { path: page.path, text: sent }).then(function (data) {
      if (asked !== lastPreview || data.status !== 200) return;
      if (data.html) $("frame").srcdoc = data.html;
      $("open").href = data.url || "#";
      problems(data.diagnostics || []);
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

  /* Problems go next to their field (front matter lines) or under the text (body lines). */
  function problems(list) {
    var rows = document.querySelectorAll("#fields .row");
    Array.prototype.forEach.call(rows, function (r) {
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
      var key = d.line >= 2 && d.line < parts.lines ? keyAt(frontLines, d.line - 2) : null;
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
        loadGit();
      } else if (data.status === 422) {
        problems(data.diagnostics || []);
        say(S["not-saved-errors"], true);
      } else if (data.status === 409) {
        conflict(data.current);
      } else {
        say(data.error || S["not-saved"], true);
      }
    });
  }

  /* The file changed on disk since it was opened: both versions are shown, the teacher
     chooses; nothing is overwritten without that choice. */
  function conflict(current) {
    say(S["conflict"], true);
    var body = document.createElement("div");
    body.className = "conflict";
    [[S["yours"], page.text], [S["theirs"], current ? current.text : ""]].forEach(function (pair) {
      var box = document.createElement("div");
      var h = document.createElement("h3");
      h.textContent = pair[0];
      var pre = document.createElement("pre");
      pre.textContent = pair[1];
      box.appendChild(h);
      box.appendChild(pre);
      body.appendChild(box);
    });
    dialog(S["conflict"], body, [["keep", S["keep-mine"]], ["take", S["take-theirs"]], ["", S["cancel"]]]).then(function (v) {
      if (v === "keep" && current) {
        page.version = current.version;
        save();
      } else if (v === "take" && current) {
        show({ path: page.path, text: current.text, version: current.version }, null);
        open(page.path);
      }
    });
  }

  function offerRecovery() {
    var stored = null;
    try { stored = JSON.parse(localStorage.getItem("zq-unsaved:" + page.path) || "null"); } catch (e) {}
    if (!stored || stored.text === page.text) return;
    var body = document.createElement("p");
    body.textContent = S["recover-text"];
    dialog(S["recover"], body, [["yes", S["recover-yes"]], ["no", S["recover-no"]]]).then(function (v) {
      if (v === "yes") {
        page.text = stored.text;
        $("body").value = split(stored.text).body.replace(/^\n/, "");
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
      dialog(S["delete-title"], body, [["delete", S["delete"]], ["", S["cancel"]]]).then(function (v) {
        if (v !== "delete") return;
        call("POST", "delete", { path: page.path, base: page.version }).then(function (data) {
          if (data.status !== 200) return say(data.error, true);
          say(S["deleted"].replace("{trash}", data.trash));
          page = null;
          $("page").hidden = true;
          $("welcome").hidden = false;
          $("frame").srcdoc = "";
          loadPages();
        });
      });
    });
  }

  function rename() {
    refsList(function (body, refs) {
      var row = document.createElement("p");
      var l = label("rename-name", S["new-name"]);
      var e = input("text", "rename-name");
      e.required = true;
      row.appendChild(l);
      row.appendChild(e);
      body.appendChild(row);
      var alias = document.createElement("p");
      var box = input("checkbox", "rename-alias");
      box.checked = true;
      alias.appendChild(box);
      alias.appendChild(label("rename-alias", S["keep-address"]));
      body.appendChild(alias);
      dialog(S["rename-title"], body, [["rename", S["rename"]], ["", S["cancel"]]]).then(function (v) {
        if (v !== "rename" || !e.value.trim()) return;
        call("POST", "rename", { path: page.path, base: page.version, name: e.value.trim(), alias: box.checked }).then(function (data) {
          if (data.status !== 200) return say(data.error, true);
          say(S["renamed"]);
          page.saved = page.text;
          open(data.path);
        });
      });
      void refs;
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

  function insertText(text) {
    var t = $("body");
    t.setRangeText(text, t.selectionStart, t.selectionEnd, "end");
    t.focus();
    changed();
  }

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
    link: function () {
      ask(S["link"], [{ label: S["link-url"], name: "url", required: true }], S["insert"]).then(function (v) {
        if (v) wrapSelection("[", "](" + v.url + ")", S["link-text"]);
      });
    },
    picture: function () { choose("image/*", true); },
    attachment: function () { choose("", false); },
    table: function () { insertText("\n| " + S["column"] + " 1 | " + S["column"] + " 2 |\n| --- | --- |\n|  |  |\n"); },
  };

  function choose(accept, picture) {
    var f = $("file");
    f.accept = accept;
    f.onchange = function () {
      Array.prototype.forEach.call(f.files, function (file) { upload(file, picture); });
      f.value = "";
    };
    f.click();
  }

  /* ---------- pictures, attachments, Word ---------- */

  function upload(file, picture) {
    if (/\.docx$/i.test(file.name)) return importWord(file);
    say(S["uploading"]);
    var name = file.name && file.name !== "image.png" ? file.name : S["pasted-name"] + "." + ((file.type.split("/")[1] || "png").replace("jpeg", "jpg"));
    return file.arrayBuffer().then(function (bytes) {
      var asked = { page: page.path, name: name };
      if ($("keep-size").checked) asked.keep = "1";
      return call("POST", "upload?" + query(asked), bytes, true);
    }).then(function (data) {
      if (data.status !== 200) return say(data.error, true);
      say(data.scaled_from ? S["uploaded-scaled"].replace("{width}", data.scaled_from) : S["uploaded"]);
      if (!data.picture) return insertText(data.markdown);
      return ask(S["alt-title"], [{ label: S["alt-label"], name: "alt", required: true }], S["insert"]).then(function (v) {
        var alt = v && v.alt ? v.alt.replace(/[\[\]]/g, "") : "";
        insertText("![" + alt + "](" + data.name + ")");
        setTimeout(preview, 600);
      });
    });
  }

  function importWord(file) {
    var parts = page.path.split("/");
    say(S["importing"]);
    return file.arrayBuffer().then(function (bytes) {
      return call("POST", "import?" + query({ to: parts[0] + "/" + parts[1], name: file.name }), bytes, true);
    }).then(function (data) {
      if (data.status !== 200) return say(data.error, true);
      page.saved = page.text;
      show({ path: data.path, text: data.text, version: data.version }, data.fields);
      var notes = (data.lost || []).concat((data.missing_alt || []).map(function (n) { return S["needs-alt"].replace("{name}", n); }));
      say(S["imported"] + (notes.length ? " " + notes.join("；") : ""));
    });
  }

  /* Pasted text from Word, WPS or a web page: Markdown, never raw HTML; pasted pictures
     become files beside the page. */
  function paste(event) {
    var data = event.clipboardData;
    if (!data || !page) return;
    var files = Array.prototype.filter.call(data.files || [], function (f) { return f.size > 0; });
    var html = data.getData("text/html");
    if (files.length && !html) {
      event.preventDefault();
      files.forEach(function (f) { upload(f, /^image\//.test(f.type)); });
      return;
    }
    if (html) {
      event.preventDefault();
      insertText(window.zhanqunMarkdown(html));
      files.forEach(function (f) { if (/^image\//.test(f.type)) upload(f, true); });
    }
  }

  function drop(event) {
    event.preventDefault();
    if (!page) return;
    Array.prototype.forEach.call(event.dataTransfer.files, function (f) { upload(f, /^image\//.test(f.type)); });
  }

  /* ---------- dialogs ---------- */

  function dialog(title, body, buttons) {
    var d = $("dialog");
    $("dialog-title").textContent = title;
    var holder = $("dialog-body");
    holder.textContent = "";
    holder.appendChild(body);
    var row = $("dialog-buttons");
    row.textContent = "";
    buttons.forEach(function (b) {
      var e = document.createElement("button");
      e.value = b[0];
      e.textContent = b[1];
      row.appendChild(e);
    });
    return new Promise(function (resolve) {
      d.onclose = function () { resolve(d.returnValue); };
      d.returnValue = "";
      d.showModal();
    });
  }

  function ask(title, inputs, ok) {
    var body = document.createElement("div");
    inputs.forEach(function (f) {
      var p = document.createElement("p");
      var e = input("text", "ask-" + f.name);
      e.name = f.name;
      p.appendChild(label(e.id, f.label));
      p.appendChild(e);
      body.appendChild(p);
    });
    return dialog(title, body, [["ok", ok], ["", S["cancel"]]]).then(function (v) {
      if (v !== "ok") return null;
      var out = {};
      inputs.forEach(function (f) { out[f.name] = document.getElementById("ask-" + f.name).value.trim(); });
      return inputs.every(function (f) { return !f.required || out[f.name]; }) ? out : null;
    });
  }

  /* ---------- start ---------- */

  document.addEventListener("DOMContentLoaded", function () {
    $("filter").addEventListener("input", function () { drawSites(); if (site) loadPages(); });
    $("save").addEventListener("click", save);
    $("delete").addEventListener("click", remove);
    $("rename").addEventListener("click", rename);
    $("body").addEventListener("input", changed);
    $("body").addEventListener("paste", paste);
    $("body").addEventListener("dragover", function (e) { e.preventDefault(); });
    $("body").addEventListener("drop", drop);
    Array.prototype.forEach.call(document.querySelectorAll(".toolbar button"), function (b) {
      b.addEventListener("click", function () { ACTIONS[b.dataset.do](); });
    });
    $("commit").addEventListener("click", function () {
      ask(S["commit"], [{ label: S["commit-message"], name: "message", required: true }], S["commit"]).then(function (v) {
        if (!v) return;
        gitBusy(true);
        call("POST", "commit", { site: site.id, message: v.message }).then(function (d) {
          say(d.status === 200 ? S["committed-done"] : d.error, d.status !== 200);
          gitBusy(false);
          loadGit();
        });
      });
    });
    $("push").addEventListener("click", function () {
      say(S["pushing"]);
      gitBusy(true);
      call("POST", "push", { site: site.id }).then(function (d) {
        say(d.status === 200 ? S["pushed"] : d.error, d.status !== 200);
        gitBusy(false);
        loadGit();
      });
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

  window.zhanqunEditor = { open: open, save: save, page: function () { return page; }, site: function () { return site; }, chooseSite: function (id) { chooseSite(tree.sites.filter(function (s) { return s.id === id; })[0]); }, newPage: newPage };
})();

/* HTML pasted from Word, WPS or a web page, as Markdown: headings, paragraphs, bold,
   italic, strikethrough, links, lists (also Word's lists, which are paragraphs with a
   typed bullet) and tables; everything else keeps only its text. */
window.zhanqunMarkdown = (function () {
  "use strict";
  var BLOCK = /^(P|DIV|H[1-6]|UL|OL|LI|TABLE|TR|BLOCKQUOTE|SECTION|ARTICLE|HEADER|FOOTER)$/;

  function escape(text) {
    return text.replace(/([\\`*_\[\]<>~|])/g, "\\$1").replace(/&(?=[A-Za-z#])/g, "\\&");
  }

  function lineSafe(line) {
    return line.replace(/^(\s*)([#>+=-])/, "$1\\$2").replace(/^(\s*\d{1,9})([.)])/, "$1\\$2");
  }

  function style(node, name) {
    var s = (node.getAttribute && node.getAttribute("style")) || "";
    var m = new RegExp(name + "\\s*:\\s*([^;]+)", "i").exec(s);
    return m ? m[1].trim().toLowerCase() : "";
  }

  function inline(node) {
    var out = "";
    node.childNodes.forEach(function (c) {
      if (c.nodeType === 3) {
        out += escape(c.nodeValue.replace(/[\r\n]+/g, " "));
        return;
      }
      if (c.nodeType !== 1) return;
      var tag = c.tagName;
      if (/^(SCRIPT|STYLE|TITLE|META|LINK|IMG|O:P)$/i.test(tag) || style(c, "mso-list") === "ignore" || style(c, "display") === "none") return;
      var inner = inline(c);
      var bold = tag === "B" || tag === "STRONG" || /^(bold|[6-9]00)$/.test(style(c, "font-weight"));
      var italic = tag === "I" || tag === "EM" || style(c, "font-style") === "italic";
      var strike = tag === "S" || tag === "DEL" || tag === "STRIKE" || style(c, "text-decoration").indexOf("line-through") >= 0;
      if (tag === "BR") { out += "\\\n"; return; }
      if (tag === "A" && /^(https?:|mailto:)/i.test(c.getAttribute("href") || "")) {
        out += "[" + inner.trim() + "](" + c.getAttribute("href").replace(/[ ()]/g, function (ch) { return encodeURIComponent(ch); }) + ")";
        return;
      }
      out += mark(inner, bold, italic, strike);
    });
    return out;
  }

  function mark(inner, bold, italic, strike) {
    var core = inner.trim();
    if (!core || !(bold || italic || strike)) return inner;
    var lead = inner.slice(0, inner.length - inner.replace(/^\s+/, "").length);
    var tail = inner.slice(inner.replace(/\s+$/, "").length);
    var punct = /^[^\p{L}\p{N}]|[^\p{L}\p{N}]$/u.test(core);
    var open = "", close = "";
    if (bold) { open += punct ? "<strong>" : "**"; close = (punct ? "</strong>" : "**") + close; }
    if (italic) { open += punct ? "<em>" : "*"; close = (punct ? "</em>" : "*") + close; }
    if (strike) { open += punct ? "<del>" : "~~"; close = (punct ? "</del>" : "~~") + close; }
    return lead + open + core + close + tail;
  }

  function paragraph(text) {
    return text.split("\\\n").map(function (l) { return lineSafe(l.replace(/^[\s\u3000\u00a0]+/, "").replace(/\s+$/, "")); }).filter(Boolean).join("\\\n");
  }

  function wordList(p) {
    // Word writes list items as paragraphs styled `mso-list: l0 level2 lfo1`.
    var m = /level(\d+)/.exec(style(p, "mso-list"));
    return m ? parseInt(m[1], 10) - 1 : -1;
  }

  function table(t) {
    var rows = Array.prototype.filter.call(t.querySelectorAll("tr"), function (r) { return r.closest("table") === t; });
    if (!rows.length) return "";
    var cells = rows.map(function (r) {
      return Array.prototype.filter.call(r.children, function (c) { return /^T[DH]$/.test(c.tagName); }).map(function (c) {
        return paragraph(inline(c).trim()).replace(/\\\n/g, "<br>") || " ";
      });
    });
    var width = Math.max.apply(null, cells.map(function (r) { return r.length; }));
    var line = function (r) { while (r.length < width) r.push(" "); return "| " + r.join(" | ") + " |"; };
    var out = [line(cells[0]), "|" + new Array(width + 1).join(" --- |")];
    cells.slice(1).forEach(function (r) { out.push(line(r)); });
    return out.join("\n");
  }

  function blocks(node, out, depth) {
    node.childNodes.forEach(function (c) {
      if (c.nodeType === 3) {
        if (c.nodeValue.trim()) out.push(paragraph(escape(c.nodeValue.trim())));
        return;
      }
      if (c.nodeType !== 1) return;
      var tag = c.tagName;
      if (/^(SCRIPT|STYLE|TITLE|META|LINK|HEAD)$/.test(tag)) return;
      var h = /^H([1-6])$/.exec(tag);
      if (h) {
        var text = inline(c).replace(/\\\n/g, " ").trim();
        if (text) out.push(new Array(Math.min(6, Math.max(2, +h[1] + 1)) + 1).join("#") + " " + text);
      } else if (tag === "UL" || tag === "OL") {
        var n = 0;
        var items = [];
        Array.prototype.forEach.call(c.children, function (li) {
          if (li.tagName !== "LI") return;
          n++;
          var own = li.cloneNode(true);
          Array.prototype.forEach.call(own.querySelectorAll("ul, ol"), function (x) { x.remove(); });
          items.push(new Array(depth + 1).join("    ") + (tag === "OL" ? n + ". " : "- ") + paragraph(inline(own).trim()));
          Array.prototype.forEach.call(li.children, function (x) { if (x.tagName === "UL" || x.tagName === "OL") blocks({ childNodes: [x] }, items, depth + 1); });
        });
        out.push(items.join("\n"));
      } else if (tag === "TABLE") {
        out.push(table(c));
      } else if (tag === "P" && wordList(c) >= 0) {
        var item = new Array(wordList(c) + 1).join("    ") + "- " + paragraph(inline(c).trim());
        if (out.length && /^\s*- /.test(out[out.length - 1].split("\n").pop()) && out.lastWasList) out[out.length - 1] += "\n" + item;
        else out.push(item);
        out.lastWasList = true;
        return;
      } else if (BLOCK.test(tag) && Array.prototype.some.call(c.children, function (x) { return BLOCK.test(x.tagName); })) {
        blocks(c, out, depth);
      } else {
        var p = paragraph(inline(c).trim());
        if (p) out.push(p);
      }
      out.lastWasList = false;
    });
    return out;
  }

  return function (html) {
    var doc = new DOMParser().parseFromString(html, "text/html");
    return blocks(doc.body, [], 0).filter(Boolean).join("\n\n") + "\n";
  };
})();
