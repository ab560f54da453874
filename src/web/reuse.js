// Text reuse on the page: the "Văn bản sao chép" panel of a document (from
// /api/documents/ID/reuse: its sources, its copies, how much of it is reused) and the
// side-by-side view of two documents (#/compare/A/B) with the shared passages
// highlighted and the edits inside them marked in another colour. Document text
// only through text nodes (never innerHTML).
"use strict";

(function () {
  const h = (tag, props, ...children) => {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(props || {})) {
      if (v == null) continue;
      if (k === "text") e.textContent = v;
      else if (k === "class") e.className = v;
      else e.setAttribute(k, v);
    }
    for (const c of children) if (c != null) e.append(c);
    return e;
  };
  const pct = (x) => new Intl.NumberFormat("vi-VN", { maximumFractionDigits: 1 }).format(x * 100) + "%";
  const docHref = (id) => "#/doc/" + encodeURIComponent(id);
  const compareHref = (a, b) => "#/compare/" + encodeURIComponent(a) + "/" + encodeURIComponent(b);
  const RULE = { date: "theo ngày ban hành", citation: "theo dẫn chiếu", none: "chưa rõ chiều" };
  const KIND = { date: "ngày tháng", number: "số liệu", place: "địa danh", organisation: "cơ quan", other: "từ ngữ" };
  const date = (iso) => {
    const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso || "");
    return m ? `${m[3]}/${m[2]}/${m[1]}` : iso || "";
  };
  async function getJson(url) {
    const r = await fetch(url, { headers: { Accept: "application/json" } });
    if (!r.ok) throw new Error("HTTP " + r.status);
    return r.json();
  }

  // ---------- the panel on a document ----------

  function shareItem(id, s) {
    return h("li", { class: "reuse-item" },
      h("a", { href: docHref(s.doc), text: s.title || s.doc }),
      h("span", { class: "muted", text: [s.number, date(s.date)].filter(Boolean).map((x) => " · " + x).join("") }),
      h("small", { class: "muted", text: `${pct(s.share)} văn bản này · ${s.passages} đoạn · ${RULE[s.rule] || s.rule}` }),
      h("a", { href: compareHref(id, s.doc), class: "reuse-compare", text: "So sánh hai văn bản" }));
  }

  async function renderReuse(view, id, current) {
    const panel = h("section", { class: "reuse", id: "reuse", "aria-labelledby": "reuse-h" },
      h("h2", { id: "reuse-h", text: "Văn bản sao chép" }),
      h("p", { class: "muted", text: "Đang tìm các đoạn trùng…" }));
    const anchor = view.querySelector("#related") || view.querySelector(".doc-meta");
    const old = view.querySelector("#reuse");
    if (old) old.replaceWith(panel);
    else if (anchor) anchor.after(panel);
    else view.append(panel);
    let r;
    try {
      r = await getJson("/api/documents/" + encodeURIComponent(id) + "/reuse");
    } catch (e) {
      if (current()) panel.replaceChildren(panel.firstChild, h("p", { class: "muted", text: "Không tải được các đoạn trùng." }));
      return;
    }
    if (!current()) return;
    if (!r.passages.length) {
      panel.replaceChildren(panel.firstChild, h("p", { class: "muted", text: "Không thấy đoạn văn nào trùng với văn bản khác trong kho." }));
      return;
    }
    const body = [h("p", { class: "reuse-summary", text: r.sources.length
      ? `${pct(r.share)} văn bản này (${r.syllables} âm tiết) trùng với văn bản ban hành trước.`
      : `Văn bản này có ${r.passages.length} đoạn trùng với văn bản khác.` })];
    for (const [key, title] of [["sources", "Lấy từ (nguồn)"], ["copies", "Được sao chép bởi"], ["unknown", "Trùng, chưa rõ chiều"]]) {
      if (!r[key].length) continue;
      body.push(h("section", { class: "reuse-group", "data-set": key },
        h("h3", { text: `${title} (${r[key].length})` }),
        h("ul", null, ...r[key].map((s) => shareItem(id, s)))));
    }
    panel.replaceChildren(panel.firstChild, ...body);
  }

  // ---------- the side-by-side view ----------

  // Text with highlighted spans (byte offsets into the UTF-8 text): `passages` as
  // <mark class="reuse"> (numbered), `edits` inside them as <mark class="edit">,
  // Markdown layout applied as in the document view.
  function marked(text, markup, passages, edits) {
    const bytes = new TextEncoder().encode(text);
    const dec = new TextDecoder();
    const cuts = new Set([0, bytes.length]);
    for (const s of passages.concat(edits, markup)) { cuts.add(s.start); cuts.add(s.end); }
    const points = [...cuts].filter((x) => x >= 0 && x <= bytes.length).sort((a, b) => a - b);
    const inside = (list, a) => list.find((s) => s.start <= a && a < s.end);
    const box = h("div", { class: "doc-body compare-body" });
    let current = null; // the <mark> of the passage being written
    for (let i = 0; i + 1 < points.length; i++) {
      const [a, b] = [points[i], points[i + 1]];
      if (a === b) continue;
      const m = inside(markup, a);
      let piece = m ? (m.start === a ? m.with : "") : dec.decode(bytes.subarray(a, b));
      if (!piece) continue;
      const p = inside(passages, a);
      const e = inside(edits, a);
      const node = e ? h("mark", { class: "edit", title: "Khác: " + (KIND[e.kind] || e.kind) }, piece) : document.createTextNode(piece);
      if (p) {
        if (!current || current.dataset.n !== String(p.n)) {
          // The page's state is its hash, so the jump to the other side is a
          // button, not an in-page link.
          const jump = h("button", { type: "button", class: "reuse-n", "data-target": `${p.other}-p${p.n}`,
            "aria-label": `Đoạn ${p.n}, xem bên kia`, text: String(p.n) });
          jump.addEventListener("click", () => {
            const there = document.getElementById(jump.dataset.target);
            if (there) { there.scrollIntoView({ block: "center" }); there.querySelector(".reuse-n").focus(); }
          });
          current = h("mark", { class: "reuse", id: `${p.side}-p${p.n}`, "data-n": String(p.n) }, jump);
          box.append(current);
        }
        current.append(node);
      } else {
        current = null;
        box.append(node);
      }
    }
    return box;
  }

  async function renderCompare(view, a, b) {
    view.replaceChildren(h("p", { class: "muted", text: "Đang so sánh…" }));
    let docA, docB, reuse;
    try {
      [docA, docB, reuse] = await Promise.all([
        getJson("/api/documents/" + encodeURIComponent(a)),
        getJson("/api/documents/" + encodeURIComponent(b)),
        getJson("/api/documents/" + encodeURIComponent(a) + "/reuse"),
      ]);
    } catch (e) {
      view.replaceChildren(h("p", { class: "error", text: e.message === "HTTP 404" ? "Không tìm thấy văn bản này." : "Lỗi: " + e.message }));
      return;
    }
    const shared = reuse.passages.filter((p) => p.doc === b);
    const left = shared.map((p, i) => ({ start: p.start, end: p.end, n: i + 1, side: "a", other: "b" }));
    const right = shared.map((p, i) => ({ start: p.doc_start, end: p.doc_end, n: i + 1, side: "b", other: "a" }));
    const editsA = shared.flatMap((p) => p.edits.filter((e) => e.end > e.start).map((e) => ({ start: e.start, end: e.end, kind: e.kind })));
    const editsB = shared.flatMap((p) => p.edits.filter((e) => e.doc_end > e.doc_start).map((e) => ({ start: e.doc_start, end: e.doc_end, kind: e.kind })));
    const dir = shared.length ? shared[0].direction : null;
    const say = dir === "source" ? "Văn bản bên phải là nguồn của văn bản bên trái"
      : dir === "copy" ? "Văn bản bên trái là nguồn của văn bản bên phải" : "Chưa rõ văn bản nào là nguồn";
    const kinds = {};
    for (const p of shared) for (const e of p.edits) kinds[e.kind] = (kinds[e.kind] || 0) + 1;
    const head = (d) => h("header", { class: "compare-head" },
      h("h2", null, h("a", { href: docHref(d.id), text: d.title || d.id })),
      h("p", { class: "muted", text: [d.number, date(d.date), d.issuer].filter(Boolean).join(" · ") }));
    document.title = "So sánh: " + (docA.number || a) + " — " + (docB.number || b);
    view.replaceChildren(
      h("h1", { text: "So sánh hai văn bản" }),
      h("p", { class: "compare-summary", text: shared.length
        ? `${shared.length} đoạn trùng. ${say} (${RULE[shared[0].rule] || ""}). Chỗ sửa: ` +
          (Object.keys(kinds).length ? Object.entries(kinds).map(([k, n]) => `${n} ${KIND[k] || k}`).join(", ") : "không có") + "."
        : "Hai văn bản không có đoạn nào trùng." }),
      h("p", { class: "compare-legend" }, h("mark", { class: "reuse", text: "đoạn trùng" }), " ", h("mark", { class: "edit", text: "chỗ sửa" })),
      h("div", { class: "compare" },
        h("section", { class: "compare-col", "aria-label": "Văn bản bên trái" }, head(docA), marked(docA.text, docA.markup || [], left, editsA)),
        h("section", { class: "compare-col", "aria-label": "Văn bản bên phải" }, head(docB), marked(docB.text, docB.markup || [], right, editsB))));
    const first = view.querySelector("mark.reuse");
    if (first) first.scrollIntoView({ block: "center" });
  }

  window.kehoachReuse = {
    renderReuse,
    // Shows #/compare/A/B when the hash asks for it; returns whether it did.
    route() {
      const view = document.getElementById("compare-view");
      const m = /^#\/compare\/([^/]+)\/([^/]+)$/.exec(location.hash);
      if (!view) return false;
      view.hidden = !m;
      if (!m) return false;
      let a, b;
      try { [a, b] = [decodeURIComponent(m[1]), decodeURIComponent(m[2])]; } catch (_) { [a, b] = [m[1], m[2]]; }
      renderCompare(view, a, b);
      return true;
    },
  };
})();
