// The kehoach search page. No framework, no build step, no network besides this
// server's own API. Only the API's snippet HTML (escaped server-side, matches in
// <mark>) is inserted as HTML; everything else goes through textContent.
//
// The page's state lives in the URL hash, so every view can be bookmarked:
//   #q=thi%20dua&province=Kiên%20Giang&year=2019&sort=date&page=2   (search)
//   #/doc/ID                                                         (document; ID percent-encoded)
"use strict";

const PAGE = 10;
// Facet groups in the order shown: years first (a range and the years in order),
// then places, themes, types, issuers.
const FACETS = [
  ["year", "Năm"],
  ["province", "Tỉnh/thành"],
  ["province_current", "Tỉnh/thành (sau sáp nhập)"],
  ["level", "Cấp ban hành"],
  ["commune", "Xã/phường"],
  ["theme", "Chủ đề"],
  ["type", "Loại văn bản"],
  ["issuer", "Cơ quan ban hành"],
];
// Values shown per facet before "Xem thêm"; lists longer than FILTER_BOX get a box
// that filters them as you type.
const FACET_TOP = 6;
const FILTER_BOX = 12;
const FILTER_LABELS = Object.fromEntries(FACETS.concat([
  ["ref", "Dẫn chiếu"], ["from", "Từ ngày"], ["to", "Đến ngày"],
]));
const FILTER_KEYS = Object.keys(FILTER_LABELS);

const $ = (id) => document.getElementById(id);
const el = (tag, props, ...children) => {
  const e = document.createElement(tag);
  if (props) {
    for (const [k, v] of Object.entries(props)) {
      if (k === "text") e.textContent = v;
      else if (k === "class") e.className = v;
      else if (k.startsWith("on")) e.addEventListener(k.slice(2), v);
      else e.setAttribute(k, v);
    }
  }
  for (const c of children) if (c != null) e.append(c);
  return e;
};
const fmt = new Intl.NumberFormat("vi-VN");

// ---------- state <-> hash ----------

function parseHash() {
  const h = location.hash.replace(/^#/, "");
  if (h.startsWith("/stats")) return { view: "stats" };
  if (h.startsWith("/doc/")) {
    let id = h.slice(5);
    try { id = decodeURIComponent(id); } catch (_) { /* keep raw */ }
    return { view: "doc", id };
  }
  const p = new URLSearchParams(h);
  const filters = {};
  for (const k of FILTER_KEYS) {
    const vs = p.getAll(k).filter((v) => v !== "");
    if (vs.length) filters[k] = vs;
  }
  return {
    view: "search",
    q: p.get("q") || "",
    sort: p.get("sort") === "date" ? "date" : "relevance",
    page: Math.max(1, parseInt(p.get("page") || "1", 10) || 1),
    filters,
  };
}

function searchParams(s) {
  const p = new URLSearchParams();
  if (s.q) p.set("q", s.q);
  for (const [k, vs] of Object.entries(s.filters)) for (const v of vs) p.append(k, v);
  if (s.sort === "date") p.set("sort", "date");
  if (s.page > 1) p.set("page", String(s.page));
  return p;
}

function hashOf(s) {
  // URLSearchParams encodes spaces as "+"; use %20 so hashes stay readable and stable.
  return "#" + searchParams(s).toString().replace(/\+/g, "%20");
}

let state = parseHash();
let lastSearchHash = state.view === "search" ? location.hash : "#";

function go(s, replace) {
  const h = hashOf(s);
  if (replace) {
    history.replaceState(null, "", h);
    route();
  } else if (location.hash !== h) {
    location.hash = h; // hashchange -> route()
  } else {
    route();
  }
}

// ---------- search ----------

let seq = 0;
let controller = null;

async function api(path, signal) {
  const r = await fetch(path, { signal, headers: { Accept: "application/json" } });
  let body = null;
  try { body = await r.json(); } catch (_) { /* not JSON */ }
  // Theme names arrive once, in parallel with the first answer; wait for them so
  // that no theme is drawn by its id.
  await window.kehoachThemes.ready;
  if (!r.ok) {
    const detail = body && body.error ? body.error : {};
    const err = new Error(detail.message || `HTTP ${r.status}`);
    err.status = r.status;
    err.detail = detail;
    throw err;
  }
  return body;
}

// The loading state: `aria-busy` on the results region while a search is in flight,
// and a quiet "Đang tìm…" only when it takes longer than LOADING_DELAY ms (fast
// answers never flash it).
const LOADING_DELAY = 150;
let loadingTimer = null;
function setLoading(on) {
  clearTimeout(loadingTimer);
  $("results-col").setAttribute("aria-busy", on ? "true" : "false");
  document.body.classList.toggle("loading", on);
  if (on) {
    loadingTimer = setTimeout(() => {
      $("loading").hidden = false;
      document.body.classList.add("slow");
    }, LOADING_DELAY);
  } else {
    $("loading").hidden = true;
    document.body.classList.remove("slow");
  }
}

async function runSearch() {
  const s = state;
  const p = searchParams(s);
  p.delete("page");
  p.set("offset", String((s.page - 1) * PAGE));
  p.set("limit", String(PAGE));
  const my = ++seq;
  if (controller) controller.abort();
  controller = new AbortController();
  setLoading(true);
  try {
    const res = await api("/api/search?" + p.toString(), controller.signal);
    if (my !== seq) return;
    clearError();
    renderResults(s, res);
  } catch (e) {
    if (e.name === "AbortError" || my !== seq) return;
    showError(s, e);
  } finally {
    if (my === seq) setLoading(false);
  }
}

// ---------- errors, in Vietnamese ----------

// The parser's messages (src/query/parser.rs, build.rs), recognised by a phrase of
// each, said in Vietnamese. The API gives `code` and, for bad_query, `position`
// (characters into q); the English text is only used to tell the cases apart.
const QUERY_ERRORS = [
  ["is never closed", "Dấu ngoặc kép này chưa được đóng: thêm một dấu \" ở cuối cụm từ."],
  ["empty phrase", "Cặp ngoặc kép đang trống: đặt từ cần tìm vào giữa hai dấu \"."],
  ["OR cannot follow an exclusion", "OR không thể đứng sau một từ loại trừ (-từ)."],
  ["OR needs a word or phrase on both sides", "OR cần một từ hoặc cụm từ ở cả hai bên."],
  ["cannot be an alternative of OR", "Từ loại trừ (-từ) không thể là một vế của OR."],
  ["exclusions only", "Câu hỏi chỉ có từ loại trừ nên không khớp văn bản nào: thêm một từ cần tìm."],
  ["no word to search for", "Câu hỏi không có từ nào để tìm (chỉ có dấu câu hoặc từ loại trừ)."],
  ["too many phrases", "Quá nhiều cụm từ, từ loại trừ và vế OR (tối đa 256): bỏ bớt dấu \", - hoặc OR."],
  ["too long", "Câu hỏi quá dài (tối đa 20.000 ký tự)."],
];

function vietnameseError(e) {
  const d = e.detail || {};
  if (d.code === "bad_query") {
    const m = QUERY_ERRORS.find(([k]) => (d.message || "").includes(k));
    return m ? m[1] : "Câu hỏi chưa đúng cú pháp.";
  }
  if (d.code === "invalid_parameter") return `Tham số không hợp lệ${d.parameter ? ": " + d.parameter : ""}.`;
  if (e.status === 408 || d.code === "timeout") return "Tìm kiếm mất quá nhiều thời gian: thu hẹp câu hỏi hoặc thêm bộ lọc.";
  if (e.status >= 500) return "Máy chủ gặp lỗi; thử lại sau.";
  return `Không tìm được (HTTP ${e.status || "?"}).`;
}

// UTF-16 offset in `text` of the `chars`-th character (code point).
function utf16Offset(text, chars) {
  let i = 0;
  for (let n = 0; n < chars && i < text.length; n++) i += text.codePointAt(i) > 0xffff ? 2 : 1;
  return i;
}

// The error beside no results of an earlier query: results, facets, notices and the
// pager are cleared (they answered another question; their counts next to an error
// would read as this query's), the filter chips stay (they are still applied and can
// be removed). A query error quotes the query with the problem character marked, and
// selects that character in the box.
function showError(s, e) {
  const box = $("error");
  box.replaceChildren(el("strong", { text: "Lỗi: " }), vietnameseError(e));
  const pos = e.detail && e.detail.code === "bad_query" ? e.detail.position : undefined;
  if (Number.isInteger(pos) && s.q) {
    const chars = Array.from(s.q);
    const at = Math.min(pos, chars.length);
    const bad = chars[at] || " ";
    box.append(
      el("span", { class: "err-pos", text: ` (ký tự thứ ${at + 1})` }),
      el("code", { class: "q-echo", "aria-hidden": "true" },
        chars.slice(0, at).join(""), el("mark", { class: "err-at", text: bad }), chars.slice(at + 1).join("")),
    );
    if (selectOnError) markInput(s.q, at);
  }
  box.hidden = false;
  $("q").setAttribute("aria-invalid", "true");
  $("q").setAttribute("aria-describedby", "q-hint error");
  $("results").replaceChildren();
  $("notices").replaceChildren();
  $("facets").replaceChildren();
  $("empty").hidden = true;
  $("summary").textContent = "";
  $("csv-link").hidden = true;
  $("pager").hidden = true;
  renderChips(s);
}

// Selects the character the error is about, when the box still holds that query:
// after Enter or on opening a URL, never while the person is typing (the next key
// would replace the selection).
let selectOnError = true;
function markInput(q, at) {
  const input = $("q");
  const raw = input.value;
  const lead = raw.length - raw.trimStart().length;
  if (raw.trim() !== q) return;
  const start = lead + utf16Offset(q, at);
  const end = lead + utf16Offset(q, at + 1);
  try {
    input.focus();
    input.setSelectionRange(start, Math.max(end, start + 1));
  } catch (_) { /* not selectable */ }
}

function clearError() {
  $("error").hidden = true;
  $("error").replaceChildren();
  $("q").removeAttribute("aria-invalid");
  $("q").setAttribute("aria-describedby", "q-hint");
}

function toggleFilter(key, value) {
  closeFacetsOnPhone();
  const filters = { ...base().filters };
  const cur = filters[key] || [];
  filters[key] = cur.includes(value) ? cur.filter((v) => v !== value) : cur.concat([value]);
  if (!filters[key].length) delete filters[key];
  go({ ...base(), filters, page: 1 });
}

// How a facet value is shown: a theme by its name from /api/themes (stats.js
// loads them), other values as they are.
function label(key, value) {
  return key === "theme" ? window.kehoachThemes.name(value) : value;
}

// What the engine did to the query, said in Vietnamese: relaxed to any word, accents
// ignored, reduced, expanded; and the accented spelling it suggests.
function renderNotices(s, res) {
  const box = $("notices");
  box.replaceChildren();
  const note = (...children) => box.append(el("p", { class: "notice" }, ...children));
  if (res.relaxed) note("Không có văn bản nào chứa tất cả các từ; đang hiện các văn bản chứa một phần các từ.");
  if (res.accents_ignored) note("Không có văn bản nào viết đúng dấu như đã nhập; đang hiện kết quả không phân biệt dấu.");
  if (res.reduced) note(`Câu hỏi dài: chỉ tìm theo ${res.reduced.kept.length} âm tiết đặc trưng nhất (${res.reduced.kept.join(" ")}).`);
  for (const e of res.expanded || []) note(`Tìm cả: ${e.from} = ${e.to.join(", ")}`);
  if (res.suggestion) {
    note("Có phải bạn muốn tìm: ",
      el("a", { href: hashOf({ ...s, q: res.suggestion, page: 1 }), class: "suggestion", text: res.suggestion }), "?");
  }
}

function renderResults(s, res) {
  // Summary
  const anyFilter = Object.keys(s.filters).length > 0;
  const counted = res.reduced
    ? `văn bản có một phần trong ${res.reduced.kept.length} âm tiết đặc trưng nhất của câu hỏi`
    : res.relaxed ? "văn bản có một phần các từ đã nhập" : "văn bản";
  $("summary").textContent = res.total === 0
    ? (s.q || anyFilter ? "Không tìm thấy văn bản nào." : "Chưa có văn bản nào.")
    : `Kết quả: ${fmt.format(res.total)} ${counted} (${fmt.format(Math.round(res.took_ms * 10) / 10)} ms)`;
  renderNotices(s, res);

  // Hits
  const list = $("results");
  list.replaceChildren();
  list.start = res.offset + 1;
  for (const h of res.hits) {
    const meta = [h.number, h.date && formatDate(h.date), h.province, h.type, h.issuer]
      .filter(Boolean).join(" · ");
    const snippet = el("p", { class: "snippet" });
    // Fragments are HTML escaped by the server (only <mark> inside); each already
    // starts/ends with "…" where it cuts the text.
    for (const f of (h.fragments && h.fragments.length ? h.fragments : [h.snippet])) {
      const span = el("span", { class: "fragment" });
      span.innerHTML = f;
      snippet.append(span, " ");
    }
    const themes = h.themes.length
      ? el("p", { class: "themes" }, ...h.themes.map((t) => el("span", { class: "tag", text: label("theme", t) })))
      : null;
    list.append(el("li", { class: "hit" },
      el("h2", null, el("a", { href: "#/doc/" + encodeURIComponent(h.id), class: "hit-title", text: h.title || h.id })),
      meta ? el("p", { class: "meta", text: meta }) : null,
      snippet,
      themes,
    ));
  }

  // Pager
  const pages = Math.max(1, Math.ceil(res.total / PAGE));
  $("pager").hidden = res.total <= PAGE;
  $("page-info").textContent = `Trang ${s.page} / ${pages}`;
  $("prev").disabled = s.page <= 1;
  $("next").disabled = s.page >= pages;

  renderChips(s);
  renderEmpty(s, res);
  renderCsvLink(s, res);

  renderFacets(s, res);
}

// Per facet group, what the reader opened or collapsed: kept across re-renders.
const facetUi = { collapsed: new Set(), expanded: new Set() };
// The facet button to focus again once the page re-renders after a click.
let facetFocus = null;

function facetButton(key, b, selected) {
  const on = selected.includes(b.value);
  return el("li", null, el("button", {
    type: "button",
    class: "facet" + (on ? " on" : ""),
    "aria-pressed": on ? "true" : "false",
    "data-facet": key,
    "data-value": b.value,
    onclick: () => {
      facetFocus = { key, value: b.value };
      toggleFilter(key, b.value);
    },
  }, el("span", { class: "v", text: label(key, b.value) }), el("span", { class: "n", text: fmt.format(b.count) })));
}

// The year range: from/to inputs applied as the `from`/`to` filters.
function yearRange(s) {
  const year = (v) => (v || "").slice(0, 4);
  const input = (name, text, value) => el("label", { class: "year-input" }, text + " ",
    el("input", { type: "number", name, min: "1000", max: "9999", inputmode: "numeric", value: year(value), "aria-label": text }));
  const form = el("form", { class: "year-range" },
    input("from", "Từ năm", (s.filters.from || [])[0]),
    input("to", "đến", (s.filters.to || [])[0]),
    el("button", { type: "submit", text: "Lọc" }));
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    const filters = { ...base().filters };
    for (const k of ["from", "to"]) {
      const v = form.elements[k].value.trim();
      if (/^\d{4}$/.test(v)) filters[k] = [v]; else delete filters[k];
    }
    closeFacetsOnPhone();
    go({ ...base(), filters, page: 1 });
  });
  return form;
}

function renderFacets(s, res) {
  const box = $("facets");
  box.replaceChildren();
  for (const [key, title] of FACETS) {
    let buckets = (res.facets && res.facets[key]) || [];
    if (!buckets.length && key !== "year") continue;
    if (key === "year") buckets = buckets.slice().sort((a, b) => a.value.localeCompare(b.value));
    const selected = s.filters[key] || [];
    const ul = el("ul");
    const expanded = facetUi.expanded.has(key);
    // The top values by count (years: all of them in order), then "Xem thêm";
    // selected values are always shown.
    const shown = key === "year" || expanded ? buckets
      : buckets.filter((b, i) => i < FACET_TOP || selected.includes(b.value));
    for (const b of shown) ul.append(facetButton(key, b, selected));
    const body = [];
    if (key === "year") body.push(yearRange(s));
    if (buckets.length > FILTER_BOX && key !== "year") {
      const find = el("input", { type: "search", class: "facet-find", placeholder: "Lọc danh sách…", "aria-label": `Lọc ${title.toLowerCase()}` });
      find.addEventListener("input", () => {
        if (!facetUi.expanded.has(key)) {
          facetUi.expanded.add(key);
          const again = renderFacetGroupList(key, buckets, selected);
          ul.replaceChildren(...again);
        }
        const f = foldText(find.value);
        for (const li of ul.children) {
          const v = li.querySelector(".v");
          li.hidden = f !== "" && !foldText(v ? v.textContent : "").includes(f);
        }
      });
      body.push(find);
    }
    body.push(ul);
    if (shown.length < buckets.length) {
      body.push(el("button", {
        type: "button", class: "facet-more", "aria-expanded": "false",
        text: `Xem thêm (${buckets.length - shown.length})`,
        onclick: () => { facetUi.expanded.add(key); renderFacets(s, res); focusFacetGroup(key); },
      }));
    } else if (expanded && buckets.length > FACET_TOP) {
      body.push(el("button", {
        type: "button", class: "facet-more", "aria-expanded": "true", text: "Thu gọn",
        onclick: () => { facetUi.expanded.delete(key); renderFacets(s, res); focusFacetGroup(key); },
      }));
    }
    const group = el("details", { class: "facet-group", "data-facet": key },
      el("summary", null, el("h3", { text: title })), ...body);
    group.open = !facetUi.collapsed.has(key);
    group.addEventListener("toggle", () => {
      if (group.open) facetUi.collapsed.delete(key); else facetUi.collapsed.add(key);
    });
    box.append(group);
  }
  // After a facet click the page re-renders: focus the same button again (or its
  // group, when the value is gone), so keyboard users keep their place.
  if (facetFocus && !$("facet-box").open) {
    // A phone closed the panel after the choice: the keyboard goes to the results.
    facetFocus = null;
    const results = $("results-col");
    results.tabIndex = -1;
    results.focus();
  } else if (facetFocus) {
    const { key, value } = facetFocus;
    facetFocus = null;
    const again = [...box.querySelectorAll("button.facet")].find((e) => e.dataset.facet === key && e.dataset.value === value);
    if (again) again.focus(); else focusFacetGroup(key);
  }
}

function renderFacetGroupList(key, buckets, selected) {
  return buckets.map((b) => facetButton(key, b, selected));
}

function focusFacetGroup(key) {
  const summary = $("facets").querySelector(`details[data-facet="${key}"] > summary`);
  if (summary) summary.focus();
}

// Lower case without marks, for filtering facet lists as you type.
function foldText(t) {
  return t.normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/đ/g, "d").replace(/Đ/g, "d").toLowerCase().trim();
}

// On a phone the filter panel covers the results: it closes after a choice.
function closeFacetsOnPhone() {
  if (window.matchMedia("(max-width: 760px)").matches) $("facet-box").open = false;
}

// The filters in force, each a button that removes it.
function renderChips(s) {
  const chips = $("active-filters");
  chips.replaceChildren();
  for (const [k, vs] of Object.entries(s.filters)) {
    for (const v of vs) {
      chips.append(el("button", {
        type: "button", class: "chip", title: "Bỏ bộ lọc này",
        onclick: () => toggleFilter(k, v),
      }, `${FILTER_LABELS[k]}: ${label(k, v)} `, el("span", { "aria-hidden": "true", text: "✕" })));
    }
  }
}

// No results: what can be done, each one click — the accented spelling the engine
// suggests, the query without its quotation marks or exclusions, each filter
// removed (or all of them) — and how the query language widens a search.
function renderEmpty(s, res) {
  const box = $("empty");
  box.replaceChildren();
  const anyFilter = Object.keys(s.filters).length > 0;
  if (res.total > 0 || (!s.q && !anyFilter)) {
    box.hidden = true;
    return;
  }
  const actions = el("ul", { class: "empty-actions" });
  const action = (text, next, cls) => actions.append(el("li", null,
    el("button", { type: "button", class: "empty-action " + cls, onclick: () => go({ ...next, page: 1 }) }, text)));
  if (res.suggestion && res.suggestion !== s.q) {
    action(el("span", null, "Tìm với dấu: ", el("strong", { text: res.suggestion })), { ...s, q: res.suggestion }, "suggest");
  }
  const unquoted = s.q.replace(/"/g, " ").replace(/\s+/g, " ").trim();
  if (s.q.includes('"') && unquoted) {
    action(el("span", null, "Bỏ dấu ngoặc kép: ", el("strong", { text: unquoted })), { ...s, q: unquoted }, "unquote");
  }
  const kept = s.q.split(/\s+/).filter((w) => w && !/^-\S/.test(w)).join(" ");
  if (kept && kept !== s.q.trim() && !s.q.includes('"')) {
    action(el("span", null, "Bỏ từ loại trừ: ", el("strong", { text: kept })), { ...s, q: kept }, "unexclude");
  }
  for (const [k, vs] of Object.entries(s.filters)) {
    for (const v of vs) {
      const filters = { ...s.filters, [k]: vs.filter((x) => x !== v) };
      if (!filters[k].length) delete filters[k];
      action(`Bỏ lọc ${FILTER_LABELS[k]}: ${label(k, v)}`, { ...s, filters }, "unfilter");
    }
  }
  const count = Object.values(s.filters).reduce((n, vs) => n + vs.length, 0);
  if (count > 1) action("Bỏ tất cả bộ lọc", { ...s, filters: {} }, "unfilter-all");
  box.append(el("h2", { id: "empty-title", text: "Có thể thử" }));
  if (actions.children.length) box.append(actions);
  box.append(el("p", { class: "empty-hint" },
    "Mẹo: mỗi từ đều phải có trong văn bản; ",
    el("code", { text: "\"cụm từ\"" }), " phải đúng thứ tự; ",
    el("code", { text: "A OR B" }), " tìm một trong hai; ",
    el("code", { text: "-từ" }), " loại trừ; dấu tiếng Việt không bắt buộc (",
    el("code", { text: "chuyen doi so" }), " cũng tìm được ", el("em", { text: "chuyển đổi số" }), ")."));
  box.hidden = false;
}

// "Tải CSV": the current query, filters and order as /api/search?format=csv, from the
// first hit, up to CSV_MAX hits (the API's cap on one request), with a byte-order
// mark so that spreadsheet programs read the Vietnamese text as UTF-8.
const CSV_MAX = 1000;
function csvHref(s) {
  const p = searchParams({ ...s, page: 1 });
  p.set("limit", String(CSV_MAX));
  p.set("format", "csv");
  p.set("bom", "1");
  return "/api/search?" + p.toString();
}

function renderCsvLink(s, res) {
  const a = $("csv-link");
  a.hidden = res.total === 0;
  a.href = csvHref(s);
  a.textContent = "Tải CSV";
  a.title = res.total > CSV_MAX
    ? `Tải ${fmt.format(CSV_MAX)} văn bản đầu tiên (trên ${fmt.format(res.total)}) dạng CSV`
    : `Tải ${fmt.format(res.total)} văn bản dạng CSV`;
}

function formatDate(iso) {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  return m ? `${m[3]}/${m[2]}/${m[1]}` : iso;
}

// ---------- document ----------

async function showDocument(id) {
  const view = $("doc-view");
  const my = ++seq;
  view.replaceChildren(el("p", { class: "muted", text: "Đang tải…" }));
  let doc;
  try {
    doc = await api("/api/documents/" + encodeURIComponent(id));
  } catch (e) {
    if (my !== seq) return;
    view.replaceChildren(
      backLink(),
      el("p", { class: "error", text: e.status === 404 ? "Không tìm thấy văn bản này." : "Lỗi: " + e.message }),
    );
    return;
  }
  if (my !== seq) return;
  document.title = (doc.title || doc.id) + " — Tìm kiếm kế hoạch";

  // Each theme with why it was given: primary or secondary, and where its
  // keywords were found (title, headings, body, the parts of the text it leads,
  // cited documents, the issuer's name).
  function themeEvidence(themes) {
    const list = el("ul", { class: "theme-evidence" });
    for (const t of themes) {
      const e = t.evidence || {};
      const where = [
        e.title ? `tiêu đề ${e.title}` : "",
        e.headings ? `đề mục ${e.headings}` : "",
        e.body ? `nội dung ${e.body} lần` : "",
        e.parts ? `trọng tâm của ${e.parts}/10 phần văn bản` : "",
        e.anchors ? `văn bản dẫn chiếu ${e.anchors}` : "",
        e.issuer ? "lĩnh vực của cơ quan ban hành" : "",
      ].filter(Boolean).join(", ");
      list.append(el("li", {},
        el("strong", { text: t.label || label("theme", t.id) }),
        el("span", { text: ` (${t.primary ? "chủ đề chính" : "chủ đề phụ"}${where ? "; " + where : ""})` }),
        t.matched && t.matched.length ? el("span", { class: "muted", text: " — " + t.matched.join(", ") }) : "",
      ));
    }
    return list;
  }

  const rows = [
    ["Số hiệu", doc.number],
    ["Loại văn bản", doc.type],
    ["Ngày ban hành", doc.date && formatDate(doc.date)],
    ["Cơ quan ban hành", doc.issuer],
    ["Cơ quan chủ quản", doc.parent_issuer],
    ["Tỉnh/thành", doc.province],
    ["Tỉnh/thành (sau sáp nhập)", doc.province_current],
    ["Cấp ban hành", doc.level],
    ["Xã/phường", doc.commune],
    ["Quận/huyện (trước 2025)", doc.district],
    ["Có thể là", (doc.unit_candidates || []).join("; ")],
    ["Nơi ban hành", doc.place],
    ["Người ký", doc.signer],
    ["Chủ đề", doc.themes.length ? themeEvidence(doc.themes) : ""],
    ["Nguồn", [originText(doc.origin), doc.source].filter(Boolean).join(" — ")],
  ].filter(([, v]) => v);
  const dl = el("dl", { class: "doc-meta" });
  for (const [k, v] of rows) {
    dl.append(el("dt", { text: k }), typeof v === "string" ? el("dd", { text: v }) : el("dd", {}, v));
  }

  const body = el("div", { class: "doc-body", id: "doc-body" });
  renderBody(body, doc, new Map());

  // What it cites and who cites it are the related panel's lists (related.js),
  // each document once; the body links each citation whose document is here.
  view.replaceChildren(
    backLink(),
    el("h1", { text: doc.title || doc.id }),
    dl,
    el("h2", { text: "Nội dung" }),
    body,
  );
  if (window.renderRelated) window.renderRelated(view, doc.id, () => my === seq);
  if (window.kehoachReuse) window.kehoachReuse.renderReuse(view, doc.id, () => my === seq);
  window.scrollTo(0, 0);

  // Which cited documents are in the corpus?
  const keys = [...new Set(doc.references.map((r) => r.key))];
  const found = new Map();
  await Promise.all(keys.map(async (key) => {
    try {
      const r = await api("/api/references/" + encodeURIComponent(key) + "?limit=5");
      const target = r.documents.find((d) => d.id !== doc.id);
      if (target) for (const ref of doc.references) if (ref.key === key) found.set(ref.fold, target);
    } catch (_) { /* not in the corpus */ }
  }));
  if (my !== seq) return;
  renderBody(body, doc, found);
}

// Body text with its citations (byte spans into the UTF-8 text) as links when the
// cited document is in the corpus. Markdown layout from `.txt` exports (`**`, table
// bars, rules) is shown as the API's `markup` spans say: as text, not as symbols.
function renderBody(box, doc, found) {
  const bytes = new TextEncoder().encode(doc.text);
  const dec = new TextDecoder();
  const markup = doc.markup || [];
  let m = 0; // first markup span not yet passed
  // The text of bytes [a, b) as a person reads it.
  const shown = (a, b) => {
    let out = "";
    let at = a;
    while (m < markup.length && markup[m].end <= a) m++;
    for (let i = m; i < markup.length && markup[i].start < b; i++) {
      const s = Math.max(markup[i].start, a);
      out += dec.decode(bytes.subarray(at, s));
      if (markup[i].start >= a) out += markup[i].with;
      at = Math.min(markup[i].end, b);
    }
    return out + dec.decode(bytes.subarray(at, b));
  };
  const refs = doc.references
    .filter((r) => r.start < r.end && r.end <= bytes.length)
    .sort((a, b) => a.start - b.start);
  box.replaceChildren();
  let at = 0;
  for (const r of refs) {
    if (r.start < at) continue; // overlapping span: keep the first
    box.append(shown(at, r.start));
    const text = shown(r.start, r.end);
    const t = found.get(r.fold);
    box.append(t
      ? el("a", { href: "#/doc/" + encodeURIComponent(t.id), class: "cite-link", text, title: t.title })
      : el("span", { class: "cite", text, title: "Không có trong kho văn bản" }));
    at = r.end;
  }
  box.append(shown(at, bytes.length));
}

function backLink() {
  return el("a", { href: lastSearchHash || "#", class: "back", text: "‹ Quay lại kết quả" });
}

// ---------- routing ----------

function route() {
  // The side-by-side view of two documents (reuse.js) shows itself for #/compare/A/B.
  if (window.kehoachReuse && window.kehoachReuse.route()) {
    for (const v of ["search-view", "doc-view", "stats-view"]) $(v).hidden = true;
    return;
  }
  state = parseHash();
  // The statistics view (stats.js) shows itself for #/stats and hides otherwise.
  if (window.kehoachStats && window.kehoachStats.route(state.view === "stats")) {
    $("search-view").hidden = true;
    $("doc-view").hidden = true;
    return;
  }
  const isDoc = state.view === "doc";
  $("search-view").hidden = isDoc;
  $("doc-view").hidden = !isDoc;
  if (isDoc) {
    showDocument(state.id);
    return;
  }
  lastSearchHash = location.hash || "#";
  document.title = state.q ? `${state.q} — Tìm kiếm kế hoạch` : "Tìm kiếm kế hoạch";
  if ($("q").value !== state.q && document.activeElement !== $("q")) $("q").value = state.q;
  $("sort").value = state.sort;
  runSearch();
}

// The current search (a blank one while a document is shown).
function base() {
  return state.view === "search" ? state : { view: "search", q: "", sort: "relevance", page: 1, filters: {} };
}

// ---------- search as you type ----------

// Why a query being typed is not sent yet: it is obviously unfinished (an unclosed
// quotation mark, a trailing "-" or "OR", only exclusions so far). Null: send it.
// Enter sends whatever is typed, and the API's answer (an error, in Vietnamese,
// with its position) is shown then.
function unfinished(q) {
  if ((q.match(/"/g) || []).length % 2 === 1) return "Đang chờ dấu \" đóng cụm từ… (Enter: tìm ngay)";
  if (/-$/.test(q)) return "Đang chờ từ sau dấu - … (Enter: tìm ngay)";
  if (/(^|\s)OR$/.test(q)) return "Đang chờ từ sau OR… (Enter: tìm ngay)";
  const words = q.split(/\s+/).filter(Boolean);
  if (words.length && words.every((w) => /^-\S/.test(w))) return "Đang chờ một từ cần tìm (không chỉ từ loại trừ)… (Enter: tìm ngay)";
  return null;
}

function setHint(text) {
  const hint = $("q-hint");
  hint.textContent = text || "";
  hint.hidden = !text;
}

const TYPE_DELAY = 250;
let debounce = null;
function scheduleSearch() {
  clearTimeout(debounce);
  debounce = setTimeout(() => {
    const q = $("q").value.trim();
    const wait = unfinished(q);
    setHint(wait);
    if (!wait) go({ ...base(), q, page: 1 }, true);
  }, TYPE_DELAY);
}
$("q").addEventListener("input", () => {
  selectOnError = false;
  scheduleSearch();
  suggestNumbers();
});
$("search-form").addEventListener("submit", (e) => {
  e.preventDefault();
  clearTimeout(debounce);
  closeSuggest();
  setHint(null);
  selectOnError = true;
  go({ ...base(), q: $("q").value.trim(), page: 1 });
});

// ---------- document-number autocomplete ----------

// When the word at the caret starts like a document number (digits then "/":
// "136/", "34/ct"), up to SUGGEST_MAX numbers of the corpus that start so are
// offered in a listbox (ARIA combobox: arrows move, Enter picks, Escape closes).
const SUGGEST_MAX = 8;
const SUGGEST_DELAY = 150;
const NUMBER_START = /^\d+\/\S*$/;
let suggestTimer = null;
let suggestSeq = 0;
let suggestCtl = null;
let suggestWord = null; // { start, end } of the word being completed, UTF-16
let active = -1;

function wordAtCaret() {
  const input = $("q");
  const v = input.value;
  const caret = input.selectionStart == null ? v.length : input.selectionStart;
  let start = caret;
  while (start > 0 && !/\s/.test(v[start - 1])) start--;
  let end = caret;
  while (end < v.length && !/\s/.test(v[end])) end++;
  return { start, end, text: v.slice(start, end) };
}

// A document number's fold key, as the API gives it (`136/KH-UBND` → `136/kh/ubnd`):
// lower case, no accents, đ → d, runs of "-" and "/" → "/".
function foldNumber(text) {
  return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase()
    .replace(/đ/g, "d").replace(/[-/]+/g, "/").replace(/\s+/g, "");
}

function suggestNumbers() {
  clearTimeout(suggestTimer);
  const w = wordAtCaret();
  const prefix = w.text.replace(/^-/, "");
  if (!NUMBER_START.test(prefix)) {
    closeSuggest();
    return;
  }
  // The API answers nothing for a prefix ending in a separator ("136/" folds to
  // "136//"), so such a prefix is asked without it, for more keys, and the keys
  // are kept here when their fold key starts with the typed one.
  const bare = prefix.replace(/[-/]+$/, "");
  const trimmed = bare !== prefix;
  const want = foldNumber(prefix);
  suggestTimer = setTimeout(async () => {
    const my = ++suggestSeq;
    if (suggestCtl) suggestCtl.abort();
    suggestCtl = new AbortController();
    let res;
    try {
      const limit = trimmed ? 100 : SUGGEST_MAX;
      res = await api(`/api/references?prefix=${encodeURIComponent(bare)}&limit=${limit}`, suggestCtl.signal);
    } catch (_) {
      if (my === suggestSeq) closeSuggest();
      return;
    }
    if (my !== suggestSeq) return;
    const now = wordAtCaret();
    if (now.text !== w.text) return; // typed on meanwhile: a newer request follows
    const keys = res.keys.filter((k) => !trimmed || k.fold.startsWith(want));
    showSuggest(keys.slice(0, SUGGEST_MAX), { start: w.start + (w.text.length - prefix.length), end: w.end });
  }, SUGGEST_DELAY);
}

function showSuggest(keys, word) {
  const list = $("q-suggest");
  list.replaceChildren();
  if (!keys.length) {
    closeSuggest();
    return;
  }
  suggestWord = word;
  keys.forEach((k, i) => {
    const counts = [
      k.documents ? `${fmt.format(k.documents)} văn bản` : null,
      k.cited_by ? `${fmt.format(k.cited_by)} lần được dẫn chiếu` : null,
    ].filter(Boolean).join(" · ");
    list.append(el("li", {
      role: "option", id: "q-opt-" + i, class: "q-opt", "aria-selected": "false", "data-key": k.key,
      onmousedown: (e) => { e.preventDefault(); pick(k.key); },
    }, el("span", { class: "q-opt-key", text: k.key }), el("span", { class: "q-opt-n", text: counts })));
  });
  list.hidden = false;
  $("q").setAttribute("aria-expanded", "true");
  setActive(-1);
}

function closeSuggest() {
  clearTimeout(suggestTimer);
  suggestSeq++;
  suggestWord = null;
  const list = $("q-suggest");
  list.hidden = true;
  list.replaceChildren();
  $("q").setAttribute("aria-expanded", "false");
  $("q").removeAttribute("aria-activedescendant");
  active = -1;
}

function setActive(i) {
  const opts = [...$("q-suggest").children];
  active = i;
  opts.forEach((o, j) => o.setAttribute("aria-selected", j === i ? "true" : "false"));
  if (i >= 0 && opts[i]) {
    $("q").setAttribute("aria-activedescendant", opts[i].id);
    opts[i].scrollIntoView({ block: "nearest" });
  } else {
    $("q").removeAttribute("aria-activedescendant");
  }
}

// Puts `key` in place of the word being completed, and searches.
function pick(key) {
  const input = $("q");
  const w = suggestWord || wordAtCaret();
  const v = input.value;
  const after = v.slice(w.end);
  const sep = after.startsWith(" ") ? "" : " ";
  input.value = v.slice(0, w.start) + key + sep + after;
  const caret = w.start + key.length + sep.length;
  input.setSelectionRange(caret, caret);
  closeSuggest();
  scheduleSearch();
}

$("q").addEventListener("keydown", (e) => {
  const list = $("q-suggest");
  if (list.hidden) return;
  const n = list.children.length;
  if (e.key === "ArrowDown") {
    e.preventDefault();
    setActive(active + 1 >= n ? 0 : active + 1);
  } else if (e.key === "ArrowUp") {
    e.preventDefault();
    setActive(active <= 0 ? n - 1 : active - 1);
  } else if (e.key === "Enter" && active >= 0) {
    e.preventDefault();
    pick(list.children[active].dataset.key);
  } else if (e.key === "Escape") {
    e.preventDefault(); // keep the text (a search field clears itself on Escape)
    closeSuggest();
  }
});
$("q").addEventListener("blur", () => setTimeout(closeSuggest, 0));
$("sort").addEventListener("change", () => go({ ...base(), sort: $("sort").value, page: 1 }));
$("prev").addEventListener("click", () => { go({ ...state, page: state.page - 1 }); window.scrollTo(0, 0); });
$("next").addEventListener("click", () => { go({ ...state, page: state.page + 1 }); window.scrollTo(0, 0); });
window.addEventListener("hashchange", route);
if (window.matchMedia("(max-width: 760px)").matches) $("facet-box").open = false;
// The skip link moves focus to the results without touching the hash (the hash is
// the page's state).
document.querySelector(".skip-link").addEventListener("click", (e) => {
  e.preventDefault();
  const results = $("results-col");
  results.tabIndex = -1;
  results.focus();
});
$("q").value = state.view === "search" ? state.q : "";
route();

// "PDF, 7 trang, 2 trang nhận dạng OCR": where a document's text came from.
function originText(origin) {
  if (!origin) return "";
  const names = { text: "văn bản", html: "HTML", pdf: "PDF", docx: "DOCX", doc: "DOC", odt: "ODT" };
  const parts = [names[origin.format] || origin.format];
  const pages = origin.pages || [];
  if (pages.length) {
    parts.push(pages.length + " trang");
    const ocr = pages.filter((p) => p.source === "ocr").length;
    if (ocr) parts.push(ocr + " trang nhận dạng OCR");
    const empty = pages.filter((p) => p.source === "empty").length;
    if (empty) parts.push(empty + " trang trống");
  }
  return parts.join(", ");
}
