/* zhanqun's editor, second part: the form's fields, pictures and attachments, pasted text,
   Word documents, links to other pages, git (提交, 推送, 同步) and the trash. Uses the
   helpers editor.js puts on window.zq. */
(function () {
  "use strict";

  var zq = window.zq, S = zq.S, $ = zq.$, call = zq.call, say = zq.say;

  /* ---------- form fields ---------- */

  function input(type, id) {
    var e = document.createElement(type === "textarea" || type === "select" ? type : "input");
    if (e.tagName === "INPUT") e.type = type;
    e.id = id;
    return e;
  }
  zq.input = input;

  function label(id, text) {
    var l = document.createElement("label");
    l.htmlFor = id;
    l.textContent = text;
    return l;
  }
  zq.label = label;

  /* One row of the form: label, control, help line and the place for its problem. */
  zq.fieldRow = function (f, value, values) {
    var row = document.createElement("div");
    row.className = "row";
    row.dataset.key = f.key;
    var id = "f-" + f.key.replace(/[^a-z_]/g, "-");
    var make = { textarea: text, number: text, date: date, datetime: date, select: select, choice: choice, tags: tags, sites: sites, picture: picture, top: top, files: files }[f.input] || text;
    row.appendChild(label(id, f.label + (f.required ? " *" : "")));
    var control = make(f, id, value, values);
    row.appendChild(control);
    var help = document.createElement("p");
    help.className = "hint";
    help.id = id + "-help";
    help.textContent = f.help || (f.input === "date" || f.input === "datetime" ? S["date-hint"] : "");
    row.appendChild(help);
    var problem = document.createElement("p");
    problem.className = "problem";
    problem.id = id + "-problem";
    row.appendChild(problem);
    var target = control.querySelector ? control.querySelector("input, select, textarea") || control : control;
    target.setAttribute("aria-describedby", help.id + " " + problem.id);
    return row;
  };

  /* Typing sets a key once the writer pauses. */
  function later(key, read) {
    var t = null;
    return function () {
      clearTimeout(t);
      t = setTimeout(function () { zq.setField(key, read()); }, 200);
    };
  }

  /* Listings and the home page show about this many characters of a title. */
  var TITLE_SHOWN = 40;

  function text(f, id, value) {
    var e = input(f.input === "textarea" ? "textarea" : "text", id);
    if (f.input === "number") e.inputMode = "numeric";
    e.value = value === undefined || value === null ? "" : String(value);
    var site = zq.site();
    if (f.key === "source" && site) e.placeholder = site.name;
    var read = function () {
      var v = e.value.trim();
      if (!v) return null;
      return f.input === "number" && /^[0-9]+$/.test(v) ? parseInt(v, 10) : v;
    };
    var send = later(f.key, read);
    e.addEventListener("input", function () {
      send();
      if (f.key === "title") titleLength(e, id);
    });
    if (f.key === "title") setTimeout(function () { titleLength(e, id); }, 0);
    if (!f.suggest) return e;
    var list = document.createElement("datalist");
    list.id = id + "-list";
    f.options.forEach(function (o) { var op = document.createElement("option"); op.value = o; list.appendChild(op); });
    e.setAttribute("list", list.id);
    var wrap = document.createElement("div");
    wrap.appendChild(e);
    wrap.appendChild(list);
    return wrap;
  }

  function titleLength(e, id) {
    var help = $(id + "-help");
    if (!help) return;
    var n = Array.from(e.value.trim()).length;
    help.textContent = n > TITLE_SHOWN ? S["title-long"].replace("{n}", n).replace("{max}", TITLE_SHOWN) : "";
  }

  /* Dates are typed as people write them (2026-11-20 09:30); the server says what is wrong
     at the field, instead of a picker that takes no typing. */
  function date(f, id, value) {
    var e = input("text", id);
    e.value = value === undefined || value === null ? "" : String(value).replace("T", " ").replace(/:00(\+08:00)?$/, "");
    e.placeholder = f.input === "date" ? "2026-11-20" : "2026-11-20 09:30";
    e.inputMode = "numeric";
    e.autocomplete = "off";
    e.addEventListener("input", later(f.key, function () { return e.value.trim() || null; }));
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
    e.addEventListener("change", function () { zq.setField(f.key, e.value || null); });
    return e;
  }

  function choice(f, id, value) {
    var e = input("select", id);
    var site = zq.site();
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
      var help = $(id + "-help");
      var text = (o && o.help) || f.help || "";
      // Where a bureau above reviews what is offered, it lists the page only once adopted.
      if (o && o.value === "up" && site && site.up_help) text = site.up_help;
      if (help) help.textContent = text;
    };
    e.addEventListener("change", function () { zq.setField(f.key, e.value || null); explain(); });
    setTimeout(explain, 0);
    return e;
  }

  function tags(f, id, value) {
    var e = input("text", id);
    e.value = Array.isArray(value) ? value.join("，") : value ? String(value) : "";
    e.addEventListener("input", later(f.key, function () {
      var list = e.value.split(/[,，、]/).map(function (x) { return x.trim(); }).filter(Boolean);
      return list.length ? list : null;
    }));
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
    var site = zq.site();
    var options = [{ id: "all", name: S["all-schools"] }].concat(zq.tree().sites.filter(function (s) { return !s.bureau && site && s.id !== site.id; }));
    options.forEach(function (s, i) {
      var c = input("checkbox", id + "-" + i);
      c.value = s.id;
      c.checked = chosen.indexOf(s.id) >= 0;
      c.addEventListener("change", function () {
        var all = box.querySelector('input[value="all"]').checked;
        var ids = Array.prototype.slice.call(box.querySelectorAll("input:checked")).map(function (x) { return x.value; });
        zq.setField(f.key, all ? "all" : ids.length ? ids : null);
      });
      var wrap = document.createElement("span");
      wrap.className = "choice";
      wrap.appendChild(c);
      wrap.appendChild(label(c.id, s.name));
      box.appendChild(wrap);
    });
    return box;
  }

  /* The cover picture: one of the pictures of the page's text. */
  function picture(f, id, value) {
    var e = input("select", id);
    e.dataset.value = value || "";
    e.addEventListener("change", function () { e.dataset.value = e.value; zq.setField(f.key, e.value || null); });
    setTimeout(zq.drawPictures, 0);
    return e;
  }

  zq.drawPictures = function () {
    var e = $("f-image");
    if (!e) return;
    var names = [];
    $("body").value.replace(/!\[[^\]]*\]\(([^)\s/]+)\)/g, function (_, n) { if (names.indexOf(n) < 0) names.push(n); });
    var current = e.dataset.value;
    if (current && names.indexOf(current) < 0) names.unshift(current);
    e.textContent = "";
    var none = document.createElement("option");
    none.value = "";
    none.textContent = names.length ? S["choose"] : S["no-picture"];
    e.appendChild(none);
    names.forEach(function (n) {
      var op = document.createElement("option");
      op.value = n;
      op.textContent = n;
      op.selected = n === current;
      e.appendChild(op);
    });
  };

  /* 置顶: on, and until a date if one is written. */
  function top(f, id, value) {
    var wrap = document.createElement("div");
    wrap.className = "top-field";
    var box = input("checkbox", id);
    box.checked = !!value;
    var until = input("text", id + "-until");
    until.placeholder = "2026-12-31";
    until.value = typeof value === "string" ? value : "";
    until.disabled = !box.checked;
    var send = function () {
      until.disabled = !box.checked;
      zq.setField(f.key, box.checked ? until.value.trim() || true : null);
    };
    box.addEventListener("change", send);
    until.addEventListener("input", send);
    var on = document.createElement("span");
    on.className = "choice";
    on.appendChild(box);
    on.appendChild(label(id, f.label));
    wrap.appendChild(on);
    wrap.appendChild(label(until.id, S["top-until"]));
    wrap.appendChild(until);
    return wrap;
  }

  /* 附件: the page's `files:`, each removable, and a button to add one. */
  function files(f, id, value) {
    var wrap = document.createElement("div");
    wrap.id = id;
    var list = Array.isArray(value) ? value.slice() : value ? [String(value)] : [];
    var ul = document.createElement("ul");
    ul.className = "files";
    if (!list.length) {
      var none = document.createElement("li");
      none.textContent = S["files-none"];
      ul.appendChild(none);
    }
    list.forEach(function (name) {
      var li = document.createElement("li");
      li.appendChild(document.createTextNode(name + " "));
      li.appendChild(zq.button(S["file-remove"], function () {
        var rest = list.filter(function (x) { return x !== name; });
        zq.setField("files", rest.length ? rest : null).then(redrawFiles);
      }, "small"));
      ul.appendChild(li);
    });
    wrap.appendChild(ul);
    wrap.appendChild(zq.button(S["file-add"], function () { choose("", false); }, "small"));
    return wrap;
  }

  function redrawFiles() {
    var row = document.querySelector('#fields .row[data-key="files"]');
    var page = zq.page();
    if (!row || !page) return;
    var f = (zq.tree().form[page.kind] || []).filter(function (x) { return x.key === "files"; })[0];
    if (f) row.parentNode.replaceChild(zq.fieldRow(f, (page.fields || {}).files), row);
  }

  /* ---------- pictures and attachments ---------- */

  function choose(accept, asPicture) {
    var f = $("file");
    var at = zq.caret();
    f.accept = accept;
    f.multiple = true;
    f.onchange = function () {
      Array.prototype.forEach.call(f.files, function (file) { upload(file, asPicture && /^image\//.test(file.type), at); });
      f.value = "";
    };
    f.click();
  }
  zq.choose = choose;

  /* Stores `file` beside the page: a picture goes into the text at `at` with its
     description; any other file into the page's attachments. */
  function upload(file, asPicture, at) {
    var page = zq.page();
    say(S["uploading"]);
    var name = file.name && file.name !== "image.png" ? file.name : S["pasted-name"] + "." + ((file.type.split("/")[1] || "png").replace("jpeg", "jpg"));
    return file.arrayBuffer().then(function (bytes) {
      var asked = { page: page.path, name: name };
      if ($("keep-size").checked) asked.keep = "1";
      return call("POST", "upload?" + zq.query(asked), bytes, true);
    }).then(function (data) {
      if (data.status !== 200) return say(data.error, true);
      if (!data.picture || !asPicture) {
        var list = ((zq.page().fields || {}).files || []).slice();
        list.push(data.name);
        return zq.setField("files", list).then(function () { redrawFiles(); say(S["attached"]); });
      }
      say(data.scaled_from ? S["uploaded-scaled"].replace("{width}", data.scaled_from) : S["uploaded"]);
      return describe(data.name, at);
    });
  }

  /* Asks for the picture's description (offering the caption line under the caret, 图为……)
     and inserts it at `at` on its own line; without one, the placeholder that every check
     reports as missing. */
  function describe(name, at) {
    var caption = captionAt(at);
    var fields = [{ label: S["alt-label"], name: "alt", hint: caption ? S["caption-found"] : "" }];
    return zq.ask(S["alt-title"], fields, S["insert"], { alt: caption }).then(function (v) {
      var alt = v && v.alt ? v.alt.replace(/[\[\]]/g, "") : S["alt-todo"];
      zq.insertText("![" + alt + "](" + name + ")", at, true);
      zq.drawPictures();
      setTimeout(zq.preview, 600);
    });
  }

  /* The caption written next to where the picture goes: a line starting 图为 or 图：. */
  function captionAt(at) {
    var value = $("body").value;
    var from = at ? at.end : 0;
    var next = value.slice(from).replace(/^\s+/, "").split("\n")[0] || "";
    var prev = value.slice(0, at ? at.start : 0).replace(/\s+$/, "").split("\n").pop() || "";
    var line = /^(图为|图：|图:)/.test(next) ? next : /^(图为|图：|图:)/.test(prev) ? prev : "";
    return line.replace(/^(图为|图：|图:)\s*/, "").replace(/[。.]$/, "").slice(0, 120);
  }

  /* Pasted text from Word, WPS, WeChat or a web page: the server's converter makes the
     Markdown (and stores pictures that came inside it); it goes in at the caret. */
  function paste(event) {
    var data = event.clipboardData;
    var page = zq.page();
    if (!data || !page) return;
    var at = zq.caret();
    var files = Array.prototype.filter.call(data.files || [], function (f) { return f.size > 0; });
    var html = data.getData("text/html");
    if (!html && !files.length) return;
    event.preventDefault();
    if (!html) return files.forEach(function (f) { dropped(f, at); });
    say(S["pasting"]);
    var asked = { page: page.path };
    if ($("keep-size").checked) asked.keep = "1";
    return call("POST", "paste?" + zq.query(asked), { html: html }).then(function (done) {
      if (done.status !== 200) return say(done.error, true);
      zq.insertText(done.markdown, at, true);
      zq.drawPictures();
      if (done.missing && done.missing.length) say(S["pictures-missing"] + " " + done.missing.join("；"), true);
      else say("");
      files.forEach(function (f) { if (/^image\//.test(f.type)) upload(f, true, zq.caret()); });
    });
  }

  function drop(event) {
    event.preventDefault();
    if (!zq.page()) return;
    var at = zq.caret();
    Array.prototype.forEach.call(event.dataTransfer.files, function (f) { dropped(f, at); });
  }

  /* A dropped or pasted file: a Word document is asked about (a new page or an
     attachment), an old .doc gets the "save as .docx" advice, others are uploaded. */
  function dropped(file, at) {
    if (/\.doc$/i.test(file.name)) return oldWord(file);
    if (!/\.docx$/i.test(file.name)) return upload(file, /^image\//.test(file.type), at);
    var body = document.createElement("p");
    body.textContent = file.name;
    var section = zq.page().path.split("/")[1];
    return zq.dialog(S["docx-dropped"], body, [["page", S["docx-as-page"], true], ["attach", S["docx-as-attachment"]], ["", S["cancel"]]]).then(function (v) {
      if (v === "page") return importWord(file, section);
      if (v === "attach") return upload(file, false, at);
    });
  }

  function oldWord(file) {
    var body = document.createElement("p");
    body.textContent = S["doc-old"];
    var buttons = [["", S["cancel"], true]];
    if (zq.page()) buttons.push(["attach", S["docx-as-attachment"]]);
    return zq.dialog(file.name, body, buttons).then(function (v) {
      if (v === "attach") return upload(file, false, zq.caret());
    });
  }

  /* ---------- Word documents ---------- */

  /* The 导入 Word button: which section, then which file; no page needs to be open. */
  function importButton() {
    var site = zq.site();
    if (!site) return;
    var body = document.createElement("p");
    var e = input("select", "import-section");
    site.sections.forEach(function (sec) {
      if (sec.kind === "classes" || sec.kind === "topics") return;
      var op = document.createElement("option");
      op.value = sec.name;
      op.textContent = sec.title;
      e.appendChild(op);
    });
    body.appendChild(label("import-section", S["import-section"]));
    body.appendChild(e);
    zq.dialog(S["import-word-title"], body, [["ok", S["import-choose"], true], ["", S["cancel"]]]).then(function (v) {
      if (v !== "ok") return;
      var section = e.value;
      var f = $("file");
      f.accept = ".docx,.doc";
      f.multiple = false;
      f.onchange = function () {
        var file = f.files[0];
        f.value = "";
        if (!file) return;
        if (/\.doc$/i.test(file.name)) return oldWord(file);
        importWord(file, section);
      };
      f.click();
    });
  }

  function importWord(file, section, copy) {
    var site = zq.site();
    return zq.leave().then(function (ok) {
      if (!ok) return;
      say(S["importing"]);
      return file.arrayBuffer().then(function (bytes) {
        var asked = { to: site.id + "/" + section, name: file.name };
        if ($("keep-size").checked) asked.keep = "1";
        if (copy) asked.copy = "1";
        return call("POST", "import?" + zq.query(asked), bytes, true);
      }).then(function (data) {
        if (data.status === 409) {
          var body = document.createElement("p");
          body.textContent = data.error;
          return zq.dialog(S["import-word-title"], body, [["copy", S["import-copy"], true], ["", S["cancel"]]]).then(function (v) {
            if (v === "copy") return importWord(file, section, true);
            say("");
          });
        }
        if (data.status !== 200) return say(data.error, true);
        zq.show({ path: data.path, text: data.text, version: data.version }, data.fields);
        var notes = (data.lost || []).concat((data.missing_alt || []).map(function (n) { return S["needs-alt"].replace("{name}", n); }));
        say(S["imported"] + (notes.length ? " " + notes.join("；") : ""), notes.length > 0);
      });
    });
  }

  /* ---------- links to pages of the cluster ---------- */

  zq.linkDialog = function () {
    var at = zq.caret();
    var t = $("body");
    var selected = t.value.slice(at.start, at.end);
    var body = document.createElement("div");
    var find = input("search", "link-find");
    var results = document.createElement("ul");
    results.className = "found";
    var url = input("text", "link-url");
    url.placeholder = "https://";
    var row = function (el, text) { var p = document.createElement("p"); p.appendChild(label(el.id, text)); p.appendChild(el); body.appendChild(p); };
    row(find, S["find-label"]);
    body.appendChild(results);
    row(url, S["link-or-url"]);
    var chosen = null;
    var timer = null;
    find.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(function () {
        call("GET", "find?" + zq.query({ q: find.value })).then(function (data) {
          results.textContent = "";
          (data.pages || []).forEach(function (p) {
            var li = document.createElement("li");
            li.appendChild(zq.button(p.title + "（" + p.site + (p.date ? " " + p.date : "") + "）", function () {
              chosen = p;
              $("dialog").close("ok");
            }, "found-page"));
            results.appendChild(li);
          });
          if (!results.children.length && find.value.trim()) {
            var none = document.createElement("li");
            none.textContent = S["find-none"];
            results.appendChild(none);
          }
        });
      }, 200);
    });
    zq.dialog(S["link"], body, [["ok", S["insert"], true], ["", S["cancel"]]]).then(function (v) {
      if (v !== "ok") return;
      var target = chosen ? chosen.link : url.value.trim();
      if (!target) return;
      var words = selected || (chosen ? chosen.title : S["link-text"]);
      zq.insertText("[" + words.replace(/[\[\]]/g, "") + "](" + target.replace(/[ ()<>]/g, encodeURIComponent) + ")", at, false);
    });
  };

  /* ---------- git: 提交, 推送, 同步 ---------- */

  var gitFiles = [];

  zq.loadGit = function () {
    var site = zq.site();
    if (!site) return;
    call("GET", "git?" + zq.query({ site: site.id })).then(function (data) {
      var box = $("git");
      box.hidden = !data.git;
      if (!data.git) return;
      gitFiles = data.changed || [];
      $("git-changed").textContent = gitFiles.length ? S["uncommitted"].replace("{n}", gitFiles.length) : data.ahead ? "" : S["committed"];
      var ahead = $("git-ahead");
      var lines = [];
      if (data.ahead) lines.push(S["ahead"].replace("{n}", data.ahead));
      if (data.behind) lines.push(S["behind"].replace("{n}", data.behind));
      ahead.textContent = lines.join("；");
      ahead.hidden = !lines.length;
      $("commit").disabled = !gitFiles.length;
      $("push").disabled = !data.ahead;
    });
  };

  function gitBusy(on) {
    $("git").setAttribute("aria-busy", on ? "true" : "false");
    ["commit", "push", "sync"].forEach(function (id) { $(id).disabled = on; });
  }

  /* Commit: the changed files listed with what happened to each, all chosen unless the
     writer unticks some; and the message. */
  function commit() {
    var body = document.createElement("div");
    var p = document.createElement("p");
    p.appendChild(label("commit-message", S["commit-message"]));
    var message = input("text", "commit-message");
    p.appendChild(message);
    body.appendChild(p);
    var set = document.createElement("fieldset");
    var legend = document.createElement("legend");
    legend.textContent = S["commit-files"];
    set.appendChild(legend);
    gitFiles.forEach(function (f, i) {
      var line = document.createElement("p");
      line.className = "check";
      var c = input("checkbox", "commit-file-" + i);
      c.checked = true;
      c.value = f.path;
      line.appendChild(c);
      line.appendChild(label(c.id, f.path + "（" + S["commit-kind-" + f.kind] + "）"));
      set.appendChild(line);
    });
    body.appendChild(set);
    zq.dialog(S["commit"], body, [["ok", S["commit"], true], ["", S["cancel"]]]).then(function (v) {
      var files = Array.prototype.filter.call(set.querySelectorAll("input"), function (c) { return c.checked; }).map(function (c) { return c.value; });
      if (v !== "ok" || !message.value.trim()) return;
      gitBusy(true);
      call("POST", "commit", { site: zq.site().id, message: message.value.trim(), files: files }).then(function (d) {
        say(d.status === 200 ? S["committed-done"] : d.error, d.status !== 200);
        gitBusy(false);
        zq.loadGit();
      });
    });
  }

  function git(call_, busyText, done) {
    say(busyText);
    gitBusy(true);
    return call("POST", call_, { site: zq.site().id }).then(function (d) {
      gitBusy(false);
      if (d.status !== 200) {
        say(d.error, true);
        if (d.status === 409) $("sync").focus();
      } else {
        say(done(d), !!(d.to_check && d.to_check.length));
      }
      zq.loadGit();
      zq.loadPages();
    });
  }

  /* ---------- 回收站 ---------- */

  function trash() {
    call("GET", "trash").then(function (data) {
      var body = document.createElement("div");
      var ul = document.createElement("ul");
      ul.className = "trash";
      (data.trash || []).forEach(function (t) {
        var li = document.createElement("li");
        li.appendChild(document.createTextNode((t.title || t.path) + "（" + t.deleted + "） "));
        li.appendChild(zq.button(S["restore"], function () {
          call("POST", "restore", { entry: t.entry }).then(function (r) {
            $("dialog").close("");
            if (r.status !== 200) return say(r.error, true);
            say(S["restored"]);
            zq.loadPages();
            window.zhanqunEditor.open(r.path);
          });
        }, "small"));
        ul.appendChild(li);
      });
      if (!ul.children.length) {
        var none = document.createElement("p");
        none.textContent = S["trash-empty"];
        body.appendChild(none);
      }
      body.appendChild(ul);
      zq.dialog(S["trash-title"], body, [["", S["cancel"], true]]);
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    $("body").addEventListener("paste", paste);
    $("body").addEventListener("dragover", function (e) { e.preventDefault(); });
    $("body").addEventListener("drop", drop);
    $("import-word").addEventListener("click", importButton);
    $("trash").addEventListener("click", trash);
    $("commit").addEventListener("click", commit);
    $("push").addEventListener("click", function () { git("push", S["pushing"], function () { return S["pushed"]; }); });
    $("sync").addEventListener("click", function () {
      git("sync", S["syncing"], function (d) {
        var text = d.fetched ? S["synced"].replace("{n}", d.fetched) : S["synced-none"];
        if (d.merged && d.merged.length) text += " " + S["synced-merged"].replace("{pages}", d.merged.join("、"));
        return text;
      });
    });
  });
})();
