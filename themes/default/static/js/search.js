/* 站内搜索: reads the static index under <site>/search/ (format: docs/search.md) and shows
 * the results of /search/?q=…&section=…&site=…&stage=… in #search-results.
 * No dependencies, nothing from other hosts. The tokenizer mirrors src/search/tokens.rs:
 * Han text as character bigrams, Latin words and numbers whole, full-width folded. */
(function () {
  'use strict';
  var form = document.getElementById('search-form');
  if (!form || !window.fetch || !window.TextDecoder) return;
  var started = performance.now();
  var base = form.getAttribute('data-index');
  var statusBox = document.getElementById('search-status');
  var list = document.getElementById('search-results');
  var pager = document.getElementById('search-pager');
  var filtersBox = document.getElementById('search-filters');
  var PER_PAGE = 10;
  var PHRASE_CHECK = 20;
  var MAX_WORD = 40;
  var FILTER = '\u0001';
  var WORD = /[\p{Alphabetic}\p{N}]/u;
  var params = new URLSearchParams(location.search);
  var bytes = 0;

  function fold(cp) {
    if (cp >= 0xFF01 && cp <= 0xFF5E) cp -= 0xFEE0;
    else if (cp === 0x3000) cp = 32;
    if (cp >= 65 && cp <= 90) cp += 32;
    return cp;
  }
  function isHan(cp) {
    return (cp >= 0x3400 && cp <= 0x4DBF) || (cp >= 0x4E00 && cp <= 0x9FFF) ||
      (cp >= 0xF900 && cp <= 0xFAFF) || cp === 0x3007 || (cp >= 0x20000 && cp <= 0x3134F);
  }
  function foldedChars(text) {
    var out = [];
    for (var ch of text) out.push(String.fromCodePoint(fold(ch.codePointAt(0))));
    return out;
  }
  function terms(text) {
    var out = [], word = [], prev = null, run = 0;
    foldedChars(text).forEach(function (c) {
      var cp = c.codePointAt(0);
      if (isHan(cp)) {
        if (word.length) { out.push(word.join('')); word = []; }
        if (prev !== null) out.push(prev + c);
        prev = c; run++;
        return;
      }
      if (run === 1) out.push(prev);
      prev = null; run = 0;
      if (WORD.test(c)) { if (word.length < MAX_WORD) word.push(c); }
      else if (word.length) { out.push(word.join('')); word = []; }
    });
    if (run === 1) out.push(prev);
    if (word.length) out.push(word.join(''));
    return out;
  }
  /* What a query asks for: `required`, the terms every full match holds — a Han run of
   * three or more characters by its trigrams (so its characters stand together on the page),
   * of two by its bigram, of one by itself (found in titles), Latin words whole — and
   * `parts`, its bigrams and words, for the labelled fallback when nothing holds it all. */
  function queryTerms(q) {
    var required = [], run = [];
    function flush() {
      if (run.length === 1) required.push(run[0]);
      else if (run.length === 2) required.push(run.join(''));
      else for (var i = 0; i + 3 <= run.length; i++) required.push(run.slice(i, i + 3).join(''));
      run = [];
    }
    var word = [];
    foldedChars(q).forEach(function (c) {
      if (isHan(c.codePointAt(0))) {
        if (word.length) { required.push(word.join('')); word = []; }
        run.push(c);
        return;
      }
      flush();
      if (WORD.test(c)) { if (word.length < MAX_WORD) word.push(c); }
      else if (word.length) { required.push(word.join('')); word = []; }
    });
    flush();
    if (word.length) required.push(word.join(''));
    var unique = function (a) { return Array.from(new Set(a)); };
    return { required: unique(required), parts: unique(terms(q)) };
  }
  function fnv1a(term) {
    var h = 0x811c9dc5;
    new TextEncoder().encode(term).forEach(function (b) { h = Math.imul(h ^ b, 0x01000193) >>> 0; });
    return h;
  }

  function get(path, stamp, kind, absolute) {
    return fetch((absolute ? '' : base) + path + (stamp ? '?v=' + stamp : ''), { cache: stamp ? 'default' : 'no-cache' })
      .then(function (r) {
        if (!r.ok) throw new Error(path + ': ' + r.status);
        // Bytes as fetched (a JSON text's length in characters would count 汉 as one).
        return r.arrayBuffer().then(function (b) {
          bytes += b.byteLength;
          if (kind === 'json') return JSON.parse(new TextDecoder().decode(b));
          return kind === 'text' ? new TextDecoder().decode(b) : new Uint8Array(b);
        });
      });
  }

  /* A shard: varint term length, term, kind byte, varint payload length, payload. */
  function readShard(buf, wanted, docs, into) {
    var at = 0, dec = new TextDecoder();
    function varint() { var v = 0, s = 0, b; do { b = buf[at++]; v += (b & 0x7f) * Math.pow(2, s); s += 7; } while (b & 0x80); return v; }
    while (at < buf.length) {
      var len = varint(), term = dec.decode(buf.subarray(at, at + len)); at += len;
      var kind = buf[at++], size = varint(), end = at + size;
      if (wanted.has(term)) into.set(term, kind === 0 ? postingList(buf.subarray(at, end)) : bitmap(buf.subarray(at, end), docs, kind));
      at = end;
    }
  }
  function postingList(p) {
    var at = 0, out = new Map(), doc = 0;
    function varint() { var v = 0, s = 0, b; do { b = p[at++]; v += (b & 0x7f) * Math.pow(2, s); s += 7; } while (b & 0x80); return v; }
    var n = varint();
    for (var i = 0; i < n; i++) { doc += varint(); out.set(doc, varint()); }
    return out;
  }
  /* Kind 1: one bitmap, weight 1. Kind 2: a second bitmap follows, of the pages that hold
     the word only in boilerplate (weight 0). */
  function bitmap(p, docs, kind) {
    var out = new Map(), half = (docs + 7) >> 3;
    for (var d = 0; d < docs; d++) {
      if (p[d >> 3] & (1 << (d & 7))) out.set(d, 1);
      else if (kind === 2 && p[half + (d >> 3)] & (1 << (d & 7))) out.set(d, 0);
    }
    return out;
  }

  function filterTerms(meta) {
    var out = [];
    var section = params.get('section'), site = params.get('site');
    if (section) out.push(FILTER + 's:' + section);
    if (site) out.push(FILTER + 'u:' + site);
    meta.facets.forEach(function (f) {
      var v = params.get(f[0]);
      if (v) out.push(FILTER + 'f:' + f[0] + '=' + v);
    });
    return out;
  }

  function loadPostings(meta, wanted) {
    var shards = new Map();
    wanted.forEach(function (t) { shards.set(fnv1a(t) % meta.shards, true); });
    var found = new Map();
    return Promise.all(Array.from(shards.keys()).map(function (n) {
      return get('t/' + n + '.bin', meta.stamp).then(function (buf) { readShard(buf, wanted, meta.docs, found); });
    })).then(function () { return found; });
  }

  function intersect(maps) {
    if (!maps.length) return null;
    maps = maps.slice().sort(function (a, b) { return a.size - b.size; });
    var out = [];
    maps[0].forEach(function (_, d) { if (maps.every(function (m) { return m.has(d); })) out.push(d); });
    return out;
  }

  function rank(meta, qTerms, found, filters) {
    var termMaps = qTerms.map(function (t) { return found.get(t) || new Map(); });
    var filterMaps = filters.map(function (t) { return found.get(t) || new Map(); });
    var partial = false;
    var docs = intersect(termMaps);
    if (docs && !docs.length && qTerms.length > 1) {
      partial = true;
      var any = new Set();
      termMaps.forEach(function (m) { m.forEach(function (_, d) { any.add(d); }); });
      docs = Array.from(any);
    }
    if (docs === null) docs = intersect(filterMaps) || [];
    else if (filterMaps.length) docs = docs.filter(function (d) { return filterMaps.every(function (m) { return m.has(d); }); });
    var scores = new Map();
    docs.forEach(function (d) {
      var s = 0;
      termMaps.forEach(function (m) {
        var w = m.get(d);
        if (w) s += Math.log(1 + meta.docs / m.size) * (w / (w + 1.2));
      });
      scores.set(d, s);
    });
    var byDate = params.get('sort') === 'date' || !qTerms.length;
    docs.sort(byDate ? function (a, b) { return a - b; }
      : function (a, b) { return scores.get(b) - scores.get(a) || a - b; });
    return { docs: docs, partial: partial, byDate: byDate };
  }

  /* Rows live with the site that published the page: the map gives its site and row. */
  var cache = new Map();
  function once(key, load) {
    if (!cache.has(key)) cache.set(key, load());
    return cache.get(key);
  }
  function varints(buf) {
    var out = [], v = 0, s = 0;
    buf.forEach(function (b) {
      v += (b & 0x7f) * Math.pow(2, s); s += 7;
      if (!(b & 0x80)) { out.push(v); v = 0; s = 0; }
    });
    return out;
  }
  function mapOf(meta, d) {
    if (!meta.map) return Promise.resolve([0, d]);
    var n = Math.floor(d / meta.map);
    return once('m' + n, function () { return get('m/' + n + '.bin', meta.stamp).then(varints); })
      .then(function (map) { var at = (d % meta.map) * 2; return [map[at], map[at + 1]]; });
  }
  function siteOf(meta, t) {
    if (meta.site_table) return Promise.resolve(meta.site_table[t]);
    var n = Math.floor(t / meta.site_chunk);
    return once('s' + n, function () { return get('s/' + n + '.json', meta.stamp, 'json'); })
      .then(function (sites) { return sites[t % meta.site_chunk]; });
  }
  function rowOf(meta, d) {
    return mapOf(meta, d).then(function (at) {
      return siteOf(meta, at[0]).then(function (site) {
        var folder = new URL(site[2], new URL(base, location.href)).href;
        var file = folder + Math.floor(at[1] / meta.chunk) + '.json';
        return once(file, function () { return get(file, meta.stamp, 'json', true); })
          .then(function (rs) { return rs[at[1] % meta.chunk]; });
      });
    });
  }
  function rows(meta, docs) {
    return Promise.all(docs.map(function (d) { return rowOf(meta, d); }));
  }

  /* Pages holding the query as written move ahead of pages that only hold its parts. */
  function phraseFirst(meta, ranked, q) {
    var phrase = foldedChars(q.trim()).join('');
    if (ranked.byDate || terms(q).length < 2) return Promise.resolve();
    var top = ranked.docs.slice(0, PHRASE_CHECK);
    return rows(meta, top).then(function (rs) {
      var holds = top.filter(function (d, i) {
        return (foldedChars(rs[i][1]).join('') + ' ' + foldedChars(rs[i][5]).join('')).indexOf(phrase) >= 0;
      });
      var set = new Set(holds);
      ranked.docs = holds.concat(ranked.docs.filter(function (d) { return !set.has(d); }));
    });
  }

  function marked(text, qTerms) {
    var chars = foldedChars(text), orig = Array.from(text), mark = new Array(chars.length).fill(false);
    qTerms.forEach(function (t) {
      var tc = Array.from(t);
      for (var i = 0; i + tc.length <= chars.length; i++) {
        var ok = true;
        for (var j = 0; j < tc.length && ok; j++) ok = chars[i + j] === tc[j];
        if (ok) for (j = 0; j < tc.length; j++) mark[i + j] = true;
      }
    });
    return { chars: orig, mark: mark };
  }
  function appendMarked(el, m, from, to) {
    var i = from;
    while (i < to) {
      var j = i, on = m.mark[i];
      while (j < to && m.mark[j] === on) j++;
      var text = m.chars.slice(i, j).join('');
      if (on) { var k = document.createElement('mark'); k.textContent = text; el.appendChild(k); }
      else el.appendChild(document.createTextNode(text));
      i = j;
    }
  }
  function excerpt(el, text, qTerms) {
    var m = marked(text, qTerms), first = m.mark.indexOf(true);
    var from = first > 30 ? first - 30 : 0, to = Math.min(m.chars.length, from + 120);
    if (from > 0) el.appendChild(document.createTextNode('…'));
    appendMarked(el, m, from, to);
    if (to < m.chars.length) el.appendChild(document.createTextNode('…'));
  }

  function node(tag, cls, text) {
    var el = document.createElement(tag);
    if (cls) el.className = cls;
    if (text) el.textContent = text;
    return el;
  }
  /* Only http(s) and relative addresses become links: a row is data, never a script. */
  function safeHref(u) {
    try {
      var url = new URL(String(u), location.href);
      return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : null;
    } catch (e) { return null; }
  }
  function showResult(row, qTerms) {
    var href = safeHref(row[0]);
    if (!href) return;
    var li = node('li', 'search-result');
    var a = node('a', 'search-title');
    a.href = href;
    var t = marked(row[1], qTerms);
    appendMarked(a, t, 0, t.chars.length);
    li.appendChild(a);
    var meta = node('p', 'search-meta');
    meta.appendChild(node('span', 'search-site', row[2]));
    meta.appendChild(node('span', 'search-section', row[3]));
    if (row[4]) { var time = node('time', '', row[4]); time.dateTime = row[4]; meta.appendChild(time); }
    li.appendChild(meta);
    if (row[5]) { var p = node('p', 'search-excerpt'); excerpt(p, row[5], qTerms); li.appendChild(p); }
    list.appendChild(li);
  }

  function linkWith(changes) {
    var p = new URLSearchParams(location.search);
    Object.keys(changes).forEach(function (k) { if (changes[k] === null) p.delete(k); else p.set(k, changes[k]); });
    return '?' + p.toString();
  }
  function showPager(total, page) {
    var pages = Math.ceil(total / PER_PAGE);
    pager.textContent = '';
    if (pages < 2) return;
    function add(n, label) {
      if (n === page) { var s = node('span', '', label); s.setAttribute('aria-current', 'page'); pager.appendChild(s); return; }
      var a = node('a', '', label);
      a.href = linkWith({ page: n === 1 ? null : String(n) });
      pager.appendChild(a);
    }
    if (page > 1) add(page - 1, '上一页');
    for (var n = Math.max(1, page - 4); n <= Math.min(pages, page + 4); n++) add(n, String(n));
    if (page < pages) add(page + 1, '下一页');
  }
  function showStatus(ranked, took, folded) {
    statusBox.textContent = '';
    if (folded) statusBox.appendChild(document.createTextNode('已按简体“' + folded.trim() + '”搜索。'));
    if (!ranked.docs.length && params.get('q')) {
      var filtered = Array.from(params.keys()).some(function (k) { return k !== 'q' && k !== 'page' && k !== 'sort' && params.get(k); });
      statusBox.textContent = '没有找到与“' + params.get('q').trim() + '”相关的内容。可以换个说法、少写几个字、检查有没有错别字' +
        (filtered ? '，或者把筛选条件改回“全部”' : '') + '。';
      return;
    }
    var text = ranked.partial ? '没有找到完整包含“' + (folded || params.get('q')).trim() + '”的内容，以下 ' + ranked.docs.length + ' 条只包含其中的部分字词'
      : '找到 ' + ranked.docs.length + ' 条结果';
    statusBox.appendChild(document.createTextNode(text + '（' + took + ' 毫秒）'));
    if (!params.get('q')) return;
    var sw = node('a', 'search-sort', ranked.byDate ? '按相关度排序' : '按时间排序');
    sw.href = linkWith({ sort: ranked.byDate ? null : 'date', page: null });
    statusBox.appendChild(document.createTextNode(' '));
    statusBox.appendChild(sw);
  }

  function select(name, label, allLabel, options) {
    var wrap = node('span', 'search-filter');
    var id = 'search-' + name;
    var l = node('label', '', label);
    l.htmlFor = id;
    var s = node('select');
    s.name = name; s.id = id;
    [['', allLabel]].concat(options).forEach(function (o) {
      var opt = node('option', '', o[1]);
      opt.value = o[0];
      if (params.get(name) === o[0]) opt.selected = true;
      s.appendChild(opt);
    });
    wrap.appendChild(l); wrap.appendChild(s);
    filtersBox.appendChild(wrap);
  }
  function showFilters(meta) {
    select('section', '栏目', '全部栏目', meta.sections);
    if (meta.sites.length) select('site', '单位', '全部单位', meta.sites);
    meta.facets.forEach(function (f) {
      select(f[0], f[1], '全部', f[2].map(function (v) { return [v, v]; }));
    });
  }

  function done(total) {
    list.setAttribute('data-results', String(total));
    list.setAttribute('data-ms', String(Math.round(performance.now() - started)));
    list.setAttribute('data-bytes', String(bytes));
  }

  function run(meta) {
    var q = params.get('q') || '';
    document.getElementById('search-q').value = q;
    showFilters(meta);
    var qTerms;
    var filters = filterTerms(meta);
    var han = foldedChars(q).some(function (c) { return isHan(c.codePointAt(0)); });
    var letters = foldedChars(q).filter(function (c) { return isHan(c.codePointAt(0)) || WORD.test(c); }).length;
    if (!filters.length && (letters === 0 || (letters === 1 && !han))) {
      statusBox.textContent = q.trim() ? '请输入汉字或完整的词，例如“招生”“课件”。' : '请输入要搜索的内容。';
      done(0);
      return null;
    }
    return find(meta, q, filters).then(function (result) {
      if ((result.ranked.docs.length && !result.ranked.partial) || !han) return result;
      // Nothing found as typed: fold traditional characters (運動會 → 运动会) and try again.
      return simplified(meta, q).then(function (folded) {
        if (folded === q) return result;
        return find(meta, folded, filters).then(function (again) {
          if (!again.ranked.docs.length) return result;
          again.folded = folded;
          return again;
        });
      });
    }).then(function (result) {
      var ranked = result.ranked;
      qTerms = result.asked.parts;
      return phraseFirst(meta, ranked, result.q).then(function () {
        var page = Math.max(1, parseInt(params.get('page') || '1', 10) || 1);
        var shown = ranked.docs.slice((page - 1) * PER_PAGE, page * PER_PAGE);
        return rows(meta, shown).then(function (rs) {
          rs.forEach(function (r) { showResult(r, qTerms); });
          showStatus(ranked, Math.round(performance.now() - started), result.folded);
          showPager(ranked.docs.length, page);
          done(ranked.docs.length);
        });
      });
    });
  }

  /* The ranked documents of query `q`: its terms together, else (labelled partial) its parts. */
  function find(meta, q, filters) {
    var asked = queryTerms(q), qTerms = asked.required;
    return loadPostings(meta, new Set(qTerms.concat(filters))).then(function (found) {
      var ranked = rank(meta, qTerms, found, filters);
      var fallback = (!ranked.docs.length || ranked.partial) && qTerms.length && asked.parts.join() !== qTerms.join();
      if (!fallback) return { ranked: ranked, asked: asked, q: q };
      // Nothing holds the query together: the pages holding its parts, said to be partial.
      return loadPostings(meta, new Set(asked.parts.concat(filters))).then(function (more) {
        var parts = rank(meta, asked.parts, more, filters);
        parts.partial = true;
        return { ranked: parts, asked: asked, q: q };
      });
    });
  }

  /* `q` with traditional characters simplified, by the table the index was folded with. */
  var variants = null;
  function simplified(meta, q) {
    variants = variants || get('t2s.txt', meta.stamp, 'text').then(function (text) {
      var lines = text.split('\n'), from = Array.from(lines[0] || ''), to = Array.from(lines[1] || ''), map = new Map();
      from.forEach(function (c, i) { map.set(c, to[i]); });
      return map;
    }).catch(function () { return new Map(); });
    return variants.then(function (map) {
      return Array.from(q).map(function (c) { return map.get(c) || c; }).join('');
    });
  }

  get('meta.json', null, 'json').then(run).catch(function () {
    statusBox.textContent = '搜索索引加载失败，请稍后再试。';
    done(0);
  });
})();
