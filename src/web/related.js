// "Văn bản liên quan": the related plans of the document shown, from
// /api/related/ID — lists (cites with their resolution, cited by, siblings, chain,
// similar) and a small SVG drawing of the neighbourhood (the document in the
// centre, what it cites above, what cites it below, siblings on the sides).
// Drawn here, no library. Document text only through textContent / text nodes.
"use strict";

(function () {
  const SVG = "http://www.w3.org/2000/svg";
  const H = 300;                   // viewBox height; the width follows the panel (320–480)
  const NW = 104, NH = 30;         // node size
  let W = 480, ROW = 4;            // nodes per row before "+N"

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
  const s = (tag, attrs, ...children) => {
    const e = document.createElementNS(SVG, tag);
    for (const [k, v] of Object.entries(attrs || {})) if (v != null) e.setAttribute(k, String(v));
    for (const c of children) if (c != null) e.append(c);
    return e;
  };
  const docHref = (id) => "#/doc/" + encodeURIComponent(id);
  const date = (iso) => {
    const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso || "");
    return m ? `${m[3]}/${m[2]}/${m[1]}` : iso;
  };
  const short = (t, n) => (t.length > n ? t.slice(0, n - 1) + "…" : t);
  const STATUS = {
    exact: ["trong kho", "st-exact"],
    ambiguous: ["nhiều văn bản", "st-ambiguous"],
    external: ["ngoài kho", "st-external"],
  };

  // ---------- lists ----------

  function docLine(d) {
    const meta = [d.number, d.date && date(d.date), d.province].filter(Boolean).join(" · ");
    return [
      h("a", { href: docHref(d.id), class: "rel-doc", text: d.title || d.number || d.id }),
      meta ? h("span", { class: "muted", text: " — " + meta }) : null,
    ];
  }

  function item(it, kind) {
    const li = h("li", { class: "rel-item" });
    if (it.evidence) li.title = it.evidence;
    if (kind === "cites") {
      const st = (it.resolution && it.resolution.status) || "external";
      const [label, cls] = STATUS[st] || STATUS.external;
      li.append(h("span", { class: "rel-status " + cls, text: label }), " ");
      if (it.document) {
        li.append(...docLine(it.document));
      } else {
        li.append(h("span", { class: "rel-key", text: it.label || it.key || "" }));
        if (st === "ambiguous" && it.resolution.candidates) {
          const c = h("span", { class: "rel-cands" }, " — có thể là: ");
          it.resolution.candidates.forEach((id, i) => {
            if (i) c.append(", ");
            c.append(h("a", { href: docHref(id), text: id }));
          });
          li.append(c);
        }
      }
    } else if (it.document) {
      if (kind === "chain" && it.depth) li.append(h("span", { class: "rel-depth", text: "↑" + it.depth }), " ");
      li.append(...docLine(it.document));
      if (kind === "siblings") {
        const keys = (it.reason || "").replace(/^also cites /, "").split(";")[0];
        li.append(h("small", { class: "rel-reason muted", text: "Cùng dẫn chiếu " + keys }));
      }
      // Text reuse's evidence: the passages both documents share, and which way.
      const st = it.shared_text;
      if (st) {
        const way = { source: "văn bản này chép từ văn bản kia", copy: "văn bản kia chép từ văn bản này" }[st.direction]
          || "chưa rõ văn bản nào chép";
        li.append(h("small", {
          class: "rel-shared",
          text: `Chung ${st.passages} đoạn văn (${Math.round(st.share * 100)}% văn bản này; ${way})`,
        }));
      }
    } else {
      li.append(h("span", { class: "rel-key", text: it.label || it.reason }));
    }
    if (it.citations > 1) {
      li.append(h("small", { class: "rel-count muted", text: `Dẫn chiếu ${it.citations} lần` }));
    }
    if (it.evidence && (kind === "cites" || kind === "cited_by")) {
      li.append(h("small", { class: "rel-evidence", text: short(it.evidence, 220) }));
    }
    return li;
  }

  const GROUPS = [
    ["cites", "Căn cứ / thực hiện"],
    ["cited_by", "Được dẫn chiếu bởi"],
    ["siblings", "Cùng thực hiện"],
    ["chain", "Chuỗi văn bản"],
    ["similar", "Văn bản tương tự"],
  ];

  // ---------- graph ----------

  // A label never overflows its box: one wider than the box (estimated from its
  // characters, capitals and digits counting wider) is squeezed to fit.
  const textWidth = (t) => [...t].reduce((w, c) => w + (/[A-ZĐ0-9À-Ỹ]/.test(c) ? 8.2 : 6.6), 0);

  function node(x, y, w, label, full, id, cls) {
    const fit = textWidth(label) > w - 10 ? { textLength: w - 10, lengthAdjust: "spacingAndGlyphs" } : {};
    const g = s("g", { class: "rel-node " + cls, transform: `translate(${x - w / 2},${y - NH / 2})` },
      s("title", null, document.createTextNode(full)),
      s("rect", { width: w, height: NH, rx: 6 }),
      s("text", { x: w / 2, y: NH / 2 + 4, "text-anchor": "middle", ...fit }, document.createTextNode(label)));
    if (!id) return g;
    const a = s("a", { href: docHref(id), "data-id": id }, g);
    return a;
  }

  function arrow(x1, y1, x2, y2, cls) {
    return s("line", { x1, y1, x2, y2, class: "rel-edge " + cls, "marker-end": cls === "sib" ? null : "url(#rel-arrow)" });
  }

  // Unique neighbours of one kind: {id?, label, full, cls}.
  function neighbours(items, withStatus) {
    const seen = new Set();
    const out = [];
    for (const it of items) {
      const d = it.document;
      const key = d ? "d:" + d.id : "k:" + (it.label || it.key || "");
      if (seen.has(key)) continue;
      seen.add(key);
      const st = withStatus ? ((it.resolution && it.resolution.status) || "external") : "exact";
      out.push({
        id: d ? d.id : null,
        // A node shows a number when there is one (short); a named reference its
        // written form (`Hiến pháp`), never the internal `~…` key.
        label: short(d ? (d.number || d.title || d.id)
          : (it.key && !it.key.startsWith("~") ? it.key : (it.label || "?")), 16),
        full: d ? [d.number, d.title, d.date && date(d.date), d.province].filter(Boolean).join(" — ")
          : `${it.label || it.key} (${(STATUS[st] || STATUS.external)[0]})`,
        cls: d ? "in" : "out " + st,
      });
    }
    return out;
  }

  function row(list, y, max) {
    const shown = list.slice(0, max);
    if (list.length > max) shown[max - 1] = { id: null, label: `+${list.length - max + 1} văn bản`, full: "", cls: "more" };
    const step = W / shown.length;
    return shown.map((n, i) => ({ ...n, x: step * (i + 0.5), y }));
  }

  function drawGraph(rel, width) {
    W = Math.max(320, Math.min(480, Math.round(width || 480)));
    ROW = W < 440 ? 3 : 4;
    const up = row(neighbours(rel.cites, true), 40, ROW);
    const down = row(neighbours(rel.cited_by, false), H - 40, ROW);
    const sibs = neighbours(rel.siblings, false).slice(0, 4);
    const cx = W / 2, cy = H / 2;
    const side = sibs.map((n, i) => ({
      ...n,
      x: i % 2 === 0 ? 47 : W - 47,
      y: cy + (Math.floor(i / 2) === 0 ? (sibs.length > 2 ? -22 : 0) : 22),
    }));
    const svg = s("svg", {
      class: "rel-graph", viewBox: `0 0 ${W} ${H}`, role: "group",
      "aria-label": `Sơ đồ: ${up.length} văn bản được dẫn chiếu, ${down.length} văn bản dẫn chiếu, ${side.length} văn bản cùng thực hiện`,
    });
    svg.append(s("defs", null, s("marker", {
      id: "rel-arrow", viewBox: "0 0 10 10", refX: 9, refY: 5, markerWidth: 7, markerHeight: 7, orient: "auto-start-reverse",
    }, s("path", { d: "M0,0 L10,5 L0,10 z", class: "rel-arrowhead" }))));
    // Edges first (under the nodes); arrows point from citing to cited document.
    for (const n of up) svg.append(arrow(cx, cy - NH / 2, n.x, n.y + NH / 2, n.cls.startsWith("out") ? "dashed" : ""));
    for (const n of down) svg.append(arrow(n.x, n.y - NH / 2, cx, cy + NH / 2, ""));
    for (const n of side) svg.append(arrow(cx + (n.x < cx ? -60 : 60), cy, n.x + (n.x < cx ? 45 : -45), n.y, "sib"));
    for (const n of up.concat(down)) svg.append(node(n.x, n.y, NW, n.label, n.full, n.id, n.cls));
    for (const n of side) svg.append(node(n.x, n.y, 90, short(n.label, 13), n.full, n.id, "sibling " + n.cls));
    const d = rel.document;
    svg.append(node(cx, cy, 120, short(d.number || d.title || d.id, 18), [d.number, d.title].filter(Boolean).join(" — "), null, "centre"));
    return svg;
  }

  // ---------- panel ----------

  // Items per set asked for first; "Xem tất cả" asks for the API's most.
  const FIRST = 10, ALL = 100;

  async function renderRelated(view, id, current, limit) {
    limit = limit || FIRST;
    const panel = h("section", { class: "related", id: "related", "aria-labelledby": "related-h" },
      h("h2", { id: "related-h", text: "Văn bản liên quan" }),
      h("p", { class: "muted", text: "Đang tải…" }));
    // After the document's own citation lists, before its text.
    const old = view.querySelector("#related");
    const anchor = view.querySelector(".cited-by") || view.querySelector(".doc-meta");
    if (old) old.replaceWith(panel);
    else if (anchor) anchor.after(panel);
    else view.append(panel);
    let rel;
    try {
      const r = await fetch("/api/related/" + encodeURIComponent(id) + "?limit=" + limit, { headers: { Accept: "application/json" } });
      if (!r.ok) throw new Error("HTTP " + r.status);
      rel = await r.json();
    } catch (e) {
      if (current()) panel.replaceChildren(panel.firstChild, h("p", { class: "muted", text: "Không tải được văn bản liên quan." }));
      return;
    }
    if (!current()) return;
    const body = [];
    const any = GROUPS.some(([k]) => rel[k] && rel[k].length);
    if (!any) {
      panel.replaceChildren(panel.firstChild, h("p", { class: "muted", text: "Không tìm thấy văn bản liên quan." }));
      return;
    }
    if (rel.cites.length || rel.cited_by.length || rel.siblings.length) {
      let svg = drawGraph(rel, panel.clientWidth - 24);
      // Redraw when the panel's width changes (rotation, resize): the drawing's
      // width follows it so that labels keep a readable size on phones.
      if (window.ResizeObserver) {
        let drawnFor = W;
        new ResizeObserver(() => {
          const w = Math.max(320, Math.min(480, Math.round(panel.clientWidth - 24)));
          if (Math.abs(w - drawnFor) < 16 || !svg.isConnected) return;
          const next = drawGraph(rel, w);
          drawnFor = W;
          svg.replaceWith(next);
          svg = next;
        }).observe(panel);
      }
      body.push(svg,
        h("p", { class: "rel-legend muted", text: "Trên: văn bản được dẫn chiếu · Dưới: văn bản dẫn chiếu đến văn bản này · Hai bên: văn bản cùng thực hiện · Viền đứt: ngoài kho hoặc nhiều văn bản cùng số" }));
    }
    const lists = h("div", { class: "rel-lists" });
    const totals = rel.totals || {};
    for (const [key, title] of GROUPS) {
      const items = rel[key] || [];
      if (!items.length) continue;
      // The heading counts documents (each listed once), all of them; the list
      // shows the first ones, and a button asks for more.
      const total = Math.max(totals[key] || 0, items.length);
      const group = h("section", { class: "rel-group", "data-set": key },
        h("h3", { text: `${title} (${total})` }),
        h("ul", null, ...items.map((it) => item(it, key))));
      if (total > items.length) {
        const more = h("button", { type: "button", class: "rel-more" });
        more.textContent = limit < ALL
          ? `Xem tất cả (${total})`
          : `Đang hiện ${items.length} / ${total} — xem đầy đủ bằng API /api/related`;
        if (limit < ALL) {
          more.addEventListener("click", () => renderRelated(view, id, current, ALL).then(() => {
            const g = view.querySelector(`#related .rel-group[data-set="${key}"] h3`);
            if (g) { g.tabIndex = -1; g.focus(); }
          }));
        } else more.disabled = true;
        group.append(more);
      }
      lists.append(group);
    }
    body.push(lists);
    panel.replaceChildren(panel.firstChild, ...body);
  }

  window.renderRelated = renderRelated;
})();
