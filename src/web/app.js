// The kehoach search page. No framework, no build step, no network besides this
// server's own API. Only the API's snippet HTML (escaped server-side, matches in
// <mark>) is inserted as HTML; everything else goes through textContent.
//
// The page's state lives in the URL hash, so every view can be bookmarked:
//   #q=thi%20dua&province=Kiên%20Giang&year=2019&sort=date&page=2   (search)
//   #/doc/ID                                                         (document; ID percent-encoded)
"use strict";

const PAGE = 10;
const FACETS = [
  ["province", "Tỉnh/thành"],
  ["province_current", "Tỉnh/thành (sau sáp nhập)"],
  ["theme", "Chủ đề"],
  ["type", "Loại văn bản"],
  ["issuer", "Cơ quan ban hành"],
  ["year", "Năm"],
];
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
  if (!r.ok) {
    const msg = body && body.error ? body.error.message : `HTTP ${r.status}`;
    const err = new Error(msg);
    err.status = r.status;
    throw err;
  }
  return body;
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
  document.body.classList.add("loading");
  try {
    const res = await api("/api/search?" + p.toString(), controller.signal);
    if (my !== seq) return;
    $("error").hidden = true;
    renderResults(s, res);
  } catch (e) {
    if (e.name === "AbortError" || my !== seq) return;
    showError(e.message);
  } finally {
    if (my === seq) document.body.classList.remove("loading");
  }
}

function showError(message) {
  const box = $("error");
  box.textContent = "Lỗi: " + message;
  box.hidden = false;
  $("results").replaceChildren();
  $("notices").replaceChildren();
  $("summary").textContent = "";
  $("pager").hidden = true;
}

function toggleFilter(key, value) {
  const filters = { ...base().filters };
  const cur = filters[key] || [];
  filters[key] = cur.includes(value) ? cur.filter((v) => v !== value) : cur.concat([value]);
  if (!filters[key].length) delete filters[key];
  go({ ...base(), filters, page: 1 });
}

function label(key, value) {
  return key === "theme" ? value.replace(/_/g, " ") : value;
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

  // Active filters
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

  // Facets
  const box = $("facets");
  box.replaceChildren();
  for (const [key, title] of FACETS) {
    const buckets = (res.facets && res.facets[key]) || [];
    if (!buckets.length) continue;
    const selected = s.filters[key] || [];
    const ul = el("ul");
    for (const b of buckets) {
      const on = selected.includes(b.value);
      ul.append(el("li", null, el("button", {
        type: "button",
        class: "facet" + (on ? " on" : ""),
        "aria-pressed": on ? "true" : "false",
        "data-facet": key,
        "data-value": b.value,
        onclick: () => toggleFilter(key, b.value),
      }, el("span", { class: "v", text: label(key, b.value) }), el("span", { class: "n", text: fmt.format(b.count) }))));
    }
    box.append(el("section", { class: "facet-group", "data-facet": key }, el("h3", { text: title }), ul));
  }
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

  const rows = [
    ["Số hiệu", doc.number],
    ["Loại văn bản", doc.type],
    ["Ngày ban hành", doc.date && formatDate(doc.date)],
    ["Cơ quan ban hành", doc.issuer],
    ["Cơ quan chủ quản", doc.parent_issuer],
    ["Tỉnh/thành", doc.province],
    ["Tỉnh/thành (sau sáp nhập)", doc.province_current],
    ["Nơi ban hành", doc.place],
    ["Người ký", doc.signer],
    ["Chủ đề", doc.themes.map((t) => label("theme", t.id)).join(", ")],
    ["Nguồn", [originText(doc.origin), doc.source].filter(Boolean).join(" — ")],
  ].filter(([, v]) => v);
  const dl = el("dl", { class: "doc-meta" });
  for (const [k, v] of rows) dl.append(el("dt", { text: k }), el("dd", { text: v }));

  const citesBox = el("section", { class: "citations" });
  const citedByBox = el("section", { class: "cited-by" });
  const body = el("div", { class: "doc-body", id: "doc-body" });
  renderBody(body, doc, new Map());

  view.replaceChildren(
    backLink(),
    el("h1", { text: doc.title || doc.id }),
    dl,
    citesBox,
    citedByBox,
    el("h2", { text: "Nội dung" }),
    body,
  );
  if (window.renderRelated) window.renderRelated(view, doc.id, () => my === seq);
  window.scrollTo(0, 0);

  // Which cited documents are in the corpus?
  const keys = [...new Map(doc.references.map((r) => [r.fold, r.key])).entries()];
  const found = new Map();
  await Promise.all(keys.map(async ([fold, key]) => {
    try {
      const r = await api("/api/references/" + encodeURIComponent(key) + "?limit=5");
      const target = r.documents.find((d) => d.id !== doc.id);
      if (target) found.set(fold, target);
    } catch (_) { /* not in the corpus */ }
  }));
  if (my !== seq) return;
  if (keys.length) {
    const ul = el("ul");
    for (const [fold, key] of keys) {
      const t = found.get(fold);
      ul.append(el("li", null, t
        ? el("a", { href: "#/doc/" + encodeURIComponent(t.id), class: "cite-link", text: key, title: t.title })
        : el("span", { class: "cite-missing", text: key, title: "Không có trong kho văn bản" }),
      t ? el("span", { class: "muted", text: " — " + t.title }) : null));
    }
    citesBox.replaceChildren(el("h2", { text: `Văn bản được dẫn chiếu (${keys.length})` }), ul);
  }
  renderBody(body, doc, found);

  // Who cites this document?
  if (doc.number) {
    try {
      const r = await api("/api/references/" + encodeURIComponent(doc.number) + "?limit=50");
      if (my !== seq) return;
      const citing = r.cited_by.filter((d) => d.id !== doc.id);
      if (citing.length) {
        const ul = el("ul");
        for (const d of citing) {
          ul.append(el("li", null,
            el("a", { href: "#/doc/" + encodeURIComponent(d.id), text: d.title || d.id }),
            el("span", { class: "muted", text: [d.number, d.date && formatDate(d.date)].filter(Boolean).map((x) => " · " + x).join("") })));
        }
        citedByBox.replaceChildren(el("h2", { text: `Được dẫn chiếu bởi (${r.cited_by_total})` }), ul);
      }
    } catch (_) { /* nobody cites it */ }
  }
}

// Body text with its citations (byte spans into the UTF-8 text) as links when the
// cited document is in the corpus.
function renderBody(box, doc, found) {
  const bytes = new TextEncoder().encode(doc.text);
  const dec = new TextDecoder();
  const refs = doc.references
    .filter((r) => r.start < r.end && r.end <= bytes.length)
    .sort((a, b) => a.start - b.start);
  box.replaceChildren();
  let at = 0;
  for (const r of refs) {
    if (r.start < at) continue; // overlapping span: keep the first
    box.append(dec.decode(bytes.subarray(at, r.start)));
    const text = dec.decode(bytes.subarray(r.start, r.end));
    const t = found.get(r.fold);
    box.append(t
      ? el("a", { href: "#/doc/" + encodeURIComponent(t.id), class: "cite-link", text, title: t.title })
      : el("span", { class: "cite", text, title: r.key }));
    at = r.end;
  }
  box.append(dec.decode(bytes.subarray(at)));
}

function backLink() {
  return el("a", { href: lastSearchHash || "#", class: "back", text: "‹ Quay lại kết quả" });
}

// ---------- routing ----------

function route() {
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

let debounce = null;
$("q").addEventListener("input", () => {
  clearTimeout(debounce);
  debounce = setTimeout(() => go({ ...base(), q: $("q").value.trim(), page: 1 }, true), 250);
});
$("search-form").addEventListener("submit", (e) => {
  e.preventDefault();
  clearTimeout(debounce);
  go({ ...base(), q: $("q").value.trim(), page: 1 });
});
$("sort").addEventListener("change", () => go({ ...base(), sort: $("sort").value, page: 1 }));
$("prev").addEventListener("click", () => { go({ ...state, page: state.page - 1 }); window.scrollTo(0, 0); });
$("next").addEventListener("click", () => { go({ ...state, page: state.page + 1 }); window.scrollTo(0, 0); });
window.addEventListener("hashchange", route);
if (window.matchMedia("(max-width: 760px)").matches) $("facet-box").open = false;
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
