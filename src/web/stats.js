// The statistics view of the kehoach page (#/stats?...). The subcorpus is the
// current search: q and the search filters; the other hash keys are the panels'
// settings. Charts are drawn here in SVG (no library). Document text goes in through
// textContent only. app.js calls kehoachStats.route(active) on every route change.
//
//   #/stats?q=thi%20dua&province=Kiên%20Giang&term=thi%20đua&group_by=province
"use strict";

// Theme names from /api/themes, shared with app.js (this file loads first): a
// theme is shown by its name ("Chuyển đổi số, chính quyền số"), never its id;
// until the names arrive (or if they cannot), the id with spaces.
window.kehoachThemes = (() => {
  const names = new Map();
  const ready = fetch("/api/themes", { headers: { Accept: "application/json" } })
    .then((r) => (r.ok ? r.json() : []))
    .then((list) => { for (const t of list) names.set(t.id, t.label_vi); })
    .catch(() => {});
  return { ready, name: (id) => names.get(id) || String(id).replace(/_/g, " ") };
})();

window.kehoachStats = (() => {
  const SUB_KEYS = ["q", "province", "province_current", "level", "commune", "theme", "type", "issuer", "year", "from", "to"];
  const SUB_LABELS = {
    q: "Truy vấn", province: "Tỉnh/thành", province_current: "Tỉnh/thành (sau sáp nhập)",
    level: "Cấp ban hành", commune: "Xã/phường", theme: "Chủ đề",
    type: "Loại văn bản", issuer: "Cơ quan ban hành", year: "Năm", from: "Từ ngày", to: "Đến ngày",
  };
  const GROUPS = [
    ["province", "Tỉnh/thành"], ["province_current", "Tỉnh/thành (sau sáp nhập)"], ["level", "Cấp ban hành"],
    ["year", "Năm"],
    ["month", "Tháng"], ["theme", "Chủ đề"], ["type", "Loại văn bản"], ["issuer", "Cơ quan ban hành"],
  ];
  // Settings kept in the hash, with their defaults.
  const DEFAULTS = {
    term: "", group_by: "province", granularity: "year", by_province: "0", measure: "occurrences",
    // Words (lexicon words, syllables where no word starts) read better than
    // syllables ("định", "cử"); the API's own default stays syllables.
    n: "1", unit: "words", stop: "1", kwic_sort: "document", coll_sort: "log_dice", window: "5",
  };
  const COLORS = ["#a3201d", "#17509a", "#2e7d32", "#b26a00", "#6a1b9a", "#00838f", "#5d4037", "#c2185b"];
  const SVG = "http://www.w3.org/2000/svg";
  const fmt = new Intl.NumberFormat("vi-VN");
  const fmt2 = new Intl.NumberFormat("vi-VN", { maximumFractionDigits: 2 });

  const el = (tag, props, ...children) => {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(props || {})) {
      if (k === "text") e.textContent = v;
      else if (k === "class") e.className = v;
      else if (k.startsWith("on")) e.addEventListener(k.slice(2), v);
      else e.setAttribute(k, v);
    }
    for (const c of children) if (c != null) e.append(c);
    return e;
  };
  const svg = (tag, attrs, text) => {
    const e = document.createElementNS(SVG, tag);
    for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, String(v));
    if (text != null) e.textContent = text;
    return e;
  };
  const svgWith = (tag, attrs, ...children) => {
    const e = svg(tag, attrs);
    e.append(...children);
    return e;
  };

  let st = null; // { sub: [[k, v]...], opts: {...} }
  let seq = {};  // per panel request counter
  let lastSearch = "";
  const panels = {};

  // ---------- state ----------

  function parse(hash) {
    const i = hash.indexOf("?");
    const p = new URLSearchParams(i >= 0 ? hash.slice(i + 1) : "");
    const sub = [];
    for (const k of SUB_KEYS) for (const v of p.getAll(k)) if (v !== "") sub.push([k, v]);
    const opts = {};
    for (const [k, d] of Object.entries(DEFAULTS)) opts[k] = p.get(k) || d;
    return { sub, opts };
  }

  function hashOf(s) {
    const p = new URLSearchParams(s.sub);
    for (const [k, d] of Object.entries(DEFAULTS)) if (s.opts[k] !== d) p.set(k, s.opts[k]);
    return "#/stats?" + p.toString().replace(/\+/g, "%20");
  }

  function set(changes, panelsToRedraw) {
    Object.assign(st.opts, changes);
    history.replaceState(null, "", hashOf(st));
    for (const name of panelsToRedraw) panels[name].load();
  }

  // The API query string: subcorpus plus `extra`.
  function query(extra) {
    const p = new URLSearchParams(st.sub);
    for (const [k, v] of Object.entries(extra)) p.set(k, v);
    return p.toString();
  }

  async function api(endpoint, extra) {
    const r = await fetch(`/api/stats/${endpoint}?${query(extra)}`, { headers: { Accept: "application/json" } });
    let body = null;
    try { body = await r.json(); } catch (_) { /* not JSON */ }
    if (!r.ok) throw new Error(body && body.error ? body.error.message : `HTTP ${r.status}`);
    return body;
  }

  function csvLink(endpoint, extra) {
    return el("a", {
      class: "csv-link", href: `/api/stats/${endpoint}?${query({ ...extra, format: "csv", bom: "1" })}`,
      download: "", text: "Tải CSV",
    });
  }

  // A sub-search (the subcorpus) as a search hash, for the "edit" link and the nav.
  function searchHash(sub) {
    const p = new URLSearchParams(sub);
    return "#" + p.toString().replace(/\+/g, "%20");
  }

  // The search listing the documents a row, bar or point counts: the subcorpus,
  // the term as a phrase, and the group's filter (`null` when a group cannot be
  // searched for, such as "no province").
  function drillHash(filters) {
    if (!filters) return null;
    const term = st.opts.term.trim().replace(/"/g, "");
    const q = [st.sub.filter(([k]) => k === "q").map(([, v]) => v).join(" "), term ? `"${term}"` : ""]
      .filter(Boolean).join(" ");
    return searchHash([["q", q], ...st.sub.filter(([k]) => k !== "q"), ...filters]);
  }

  // The search filter of one group of `by` (a facet key, or a month as a date range).
  function groupFilter(by, value) {
    if (value == null || value === "") return null;
    if (by === "month" || (by === "period" && value.length > 4)) {
      const [y, m] = value.split("-").map(Number);
      const last = new Date(y, m, 0).getDate();
      return [["from", `${value}-01`], ["to", `${value}-${String(last).padStart(2, "0")}`]];
    }
    return [[by === "period" ? "year" : by, value]];
  }

  // ---------- shared widgets ----------

  function select(label, value, options, onchange) {
    const s = el("select", { onchange: () => onchange(s.value) });
    for (const [v, t] of options) {
      const o = el("option", { value: v, text: t });
      if (v === value) o.selected = true;
      s.append(o);
    }
    return el("label", { class: "ctl" }, label + " ", s);
  }

  function checkbox(label, on, onchange) {
    const c = el("input", { type: "checkbox", onchange: () => onchange(c.checked) });
    c.checked = on;
    return el("label", { class: "ctl" }, c, " " + label);
  }

  function table(columns, rows, cls) {
    // columns: [label, className]; rows: arrays of cells (string/number/Node) with optional attrs.
    const thead = el("thead", null, el("tr", null, ...columns.map(([t, c]) => el("th", { class: c || "", text: t }))));
    const tbody = el("tbody");
    for (const r of rows) {
      const tr = el("tr", r.attrs || null);
      r.cells.forEach((cell, i) => {
        const c = columns[i][1] || "";
        const td = el("td", { class: c });
        if (typeof cell === "number") {
          td.textContent = Number.isInteger(cell) ? fmt.format(cell) : fmt2.format(cell);
          td.setAttribute("data-n", String(cell));
        } else if (cell instanceof Node) td.append(cell);
        else td.textContent = cell == null ? "" : String(cell);
        tr.append(td);
      });
      tbody.append(tr);
    }
    // The wrapper scrolls sideways on narrow screens: focusable, so that a
    // keyboard can scroll it too.
    return el("div", { class: "table-wrap", tabindex: "0", role: "region", "aria-label": "Bảng số liệu" }, el("table", { class: "stats-table " + (cls || "") }, thead, tbody));
  }

  function panel(name, title, build) {
    const body = el("div", { class: "panel-body" });
    const controls = el("div", { class: "panel-controls" });
    const foot = el("div", { class: "panel-foot" });
    const box = el("section", { class: "panel", id: "stats-" + name, "data-panel": name },
      el("h2", { text: title, id: `stats-${name}-h` }), controls, body, foot);
    // Tables are named by their panel's heading (one name per region).
    const named = (n) => {
      if (!(n instanceof Element)) return n;
      for (const w of [n, ...n.querySelectorAll(".table-wrap")]) {
        if (w.classList.contains("table-wrap")) {
          w.removeAttribute("aria-label");
          w.setAttribute("aria-labelledby", `stats-${name}-h`);
        }
      }
      return n;
    };
    const p = {
      box,
      load: async () => {
        const my = (seq[name] = (seq[name] || 0) + 1);
        controls.replaceChildren();
        foot.replaceChildren();
        body.classList.add("loading");
        try {
          await build({
            controls, foot,
            show: (...nodes) => { if (my === seq[name]) body.replaceChildren(...nodes.filter((n) => n != null).map(named)); },
            current: () => my === seq[name],
          });
        } catch (e) {
          if (my === seq[name]) body.replaceChildren(el("p", { class: "error", text: "Lỗi: " + e.message }));
        } finally {
          if (my === seq[name]) body.classList.remove("loading");
        }
      },
    };
    panels[name] = p;
    return p;
  }

  const needTerm = (show) => {
    if (st.opts.term.trim()) return false;
    show(el("p", { class: "muted", text: "Nhập từ hoặc cụm từ ở trên để xem bảng này." }));
    return true;
  };

  // ---------- charts ----------

  function barChart(rows, width) {
    // rows: [{ label, value }]
    const labelW = Math.min(200, Math.round(width * 0.38));
    const rowH = 22, top = 4;
    const h = top + rows.length * rowH + 4;
    const max = Math.max(1, ...rows.map((r) => r.value));
    const barMax = width - labelW - 56;
    const s = svg("svg", { class: "chart chart-bars", width, height: h, viewBox: `0 0 ${width} ${h}`, role: "group" });
    s.append(svg("title", null, "Biểu đồ tần suất theo nhóm"));
    rows.forEach((r, i) => {
      const y = top + i * rowH;
      const label = r.label.length > 30 ? r.label.slice(0, 29) + "…" : r.label;
      const t = svg("text", { x: labelW - 6, y: y + 15, "text-anchor": "end", class: "bar-label" }, label);
      t.append(svg("title", null, r.label));
      const w = Math.max(r.value > 0 ? 2 : 0, Math.round((r.value / max) * barMax));
      const parts = [
        t,
        svg("rect", { x: labelW, y: y + 3, width: w, height: rowH - 7, rx: 2, class: "bar", "data-value": r.value }),
        svg("text", { x: labelW + w + 5, y: y + 15, class: "bar-value" }, fmt2.format(r.value)),
      ];
      // A bar opens the search listing the documents it counts.
      s.append(r.href ? svgWith("a", { href: r.href, class: "drill" }, ...parts) : svgWith("g", null, ...parts));
    });
    return s;
  }

  // A period ("2020" or "2020-03") as a position in time, in years.
  const periodTime = (p) => {
    const [y, m] = p.split("-").map(Number);
    return m ? y + (m - 1) / 12 : y;
  };
  const periodLabel = (p) => (p.length > 4 ? `${p.slice(5)}/${p.slice(0, 4)}` : p);

  // Tick values from 0 to the top of the scale, which is at or above `max`:
  // about four steps of 1, 2, 2.5 or 5 × 10ⁿ; integers for counts (never "62,5").
  function yTicks(max, counts) {
    const m = max > 0 ? max : 1;
    const raw = m / 4;
    const p = Math.pow(10, Math.floor(Math.log10(raw)));
    let step = [1, 2, 2.5, 5, 10].map((k) => k * p).find((v) => v >= raw - 1e-12) || 10 * p;
    if (counts) step = Math.max(1, Math.ceil(step));
    const top = Math.ceil(m / step - 1e-9) * step;
    const ticks = [];
    for (let i = 0; i * step <= top + 1e-9; i++) ticks.push(+(i * step).toFixed(6));
    return ticks;
  }

  // Time-axis labels: every period if they fit, else every k-th year or month,
  // always with the first and the last (the extremes are what a reader looks for).
  function timeTicks(periods, iw, monthly) {
    const labelW = monthly ? 64 : 44;
    const first = periods[0], last = periods[periods.length - 1];
    const t0 = periodTime(first), t1 = periodTime(last);
    const unit = monthly ? 1 / 12 : 1;
    const span = Math.round((t1 - t0) / unit);
    const fits = (k) => (span / k + 1) * labelW <= iw;
    const k = [1, 2, 3, 5, 6, 10, 12, 20, 24, 50, 60, 100].find(fits) || span || 1;
    const out = [first];
    for (let i = k; i < span; i += k) {
      const t = t0 + i * unit;
      const y = Math.floor(t + 1e-9), m = Math.round((t - y) * 12) + 1;
      const p = monthly ? `${y}-${String(m).padStart(2, "0")}` : String(y);
      out.push(p);
    }
    if (last !== first) out.push(last);
    // Drop an inner label that would touch the last one.
    const px = iw / Math.max(1, span);
    if (out.length > 2 && (span - Math.round((periodTime(out[out.length - 2]) - t0) / unit)) * px < labelW) {
      out.splice(out.length - 2, 1);
    }
    return out;
  }

  // series: [{ name, values: Map(period -> number), href(period) }]. The x axis is
  // time: periods without documents are gaps, not squeezed out; a line joins only
  // consecutive periods.
  function lineChart(series, periods, measure, width) {
    const h = 290, left = 60, right = 24, top = 14, bottom = 64;
    const iw = width - left - right, ih = h - top - bottom;
    const monthly = periods.some((p) => p.length > 4);
    const counts = measure !== "rate";
    let max = 0;
    for (const s of series) for (const v of s.values.values()) max = Math.max(max, v);
    const ticks = yTicks(max, counts);
    const yTop = ticks[ticks.length - 1] || 1;
    const t0 = periodTime(periods[0]), t1 = periodTime(periods[periods.length - 1]);
    const x = (p) => left + (t1 === t0 ? iw / 2 : ((periodTime(p) - t0) / (t1 - t0)) * iw);
    const y = (v) => top + ih - (v / yTop) * ih;
    const yTitle = counts ? "Số lần xuất hiện" : "Số lần / 10.000 âm tiết";
    const root = svg("svg", { class: "chart chart-line", width, height: h, viewBox: `0 0 ${width} ${h}`, role: "group" });
    root.append(svg("title", null, `${yTitle} theo ${monthly ? "tháng" : "năm"}`));
    for (const v of ticks) {
      root.append(
        svg("line", { x1: left, x2: width - right, y1: y(v), y2: y(v), class: "grid" }),
        svg("text", { x: left - 6, y: y(v) + 4, "text-anchor": "end", class: "axis" },
          counts ? fmt.format(v) : fmt2.format(v)),
      );
    }
    for (const p of timeTicks(periods, iw, monthly)) {
      root.append(
        svg("line", { x1: x(p), x2: x(p), y1: top + ih, y2: top + ih + 4, class: "grid" }),
        svg("text", { x: x(p), y: top + ih + 18, "text-anchor": "middle", class: "axis tick-x" }, periodLabel(p)),
      );
    }
    root.append(
      svg("text", { x: left + iw / 2, y: h - 8, "text-anchor": "middle", class: "axis axis-title" }, monthly ? "Tháng" : "Năm"),
      svg("text", {
        x: 12, y: top + ih / 2, "text-anchor": "middle", class: "axis axis-title",
        transform: `rotate(-90 12 ${top + ih / 2})`,
      }, yTitle),
    );
    const step = monthly ? 1 / 12 : 1;
    series.forEach((s, k) => {
      const color = COLORS[k % COLORS.length];
      const own = periods.filter((p) => s.values.has(p));
      // Segments of consecutive periods; a missing period breaks the line.
      let seg = [];
      const flush = () => {
        if (seg.length > 1) {
          root.append(svg("polyline", {
            points: seg.map((p) => `${x(p).toFixed(1)},${y(s.values.get(p)).toFixed(1)}`).join(" "),
            // Earlier (larger) series a bit thicker, so equal stretches show both colours.
            fill: "none", stroke: color, "stroke-width": Math.max(1.5, 3.5 - k * 0.75), class: "series", "data-series": s.name,
          }));
        }
        seg = [];
      };
      own.forEach((p, i) => {
        if (i > 0 && periodTime(p) - periodTime(own[i - 1]) > step * 1.5) flush();
        seg.push(p);
      });
      flush();
      for (const p of own) {
        const v = s.values.get(p);
        const c = svg("circle", { cx: x(p).toFixed(1), cy: y(v).toFixed(1), r: 3.5, fill: color, class: "point" });
        c.append(svg("title", null, `${s.name}: ${periodLabel(p)}: ${counts ? fmt.format(v) : fmt2.format(v)} — xem các văn bản`));
        const href = s.href && s.href(p);
        root.append(href ? svgWith("a", { href, class: "drill" }, c) : c);
      }
    });
    return root;
  }

  function niceCeil(v) {
    const p = Math.pow(10, Math.floor(Math.log10(v)));
    for (const m of [1, 2, 2.5, 5, 10]) if (m * p >= v) return m * p;
    return 10 * p;
  }

  const chartWidth = (node) => Math.max(260, Math.min(900, (node && node.clientWidth) || 600));

  // Charts are drawn at their box's width in pixels (readable text on phones), and
  // redrawn when that width changes (window resized, phone turned).
  const drawn = new WeakMap(); // box -> { draw, width }
  const observer = typeof ResizeObserver === "function" ? new ResizeObserver((entries) => {
    for (const e of entries) {
      const d = drawn.get(e.target);
      if (d && Math.abs(chartWidth(e.target) - d.width) > 4) paint(e.target, d.draw);
    }
  }) : null;
  function paint(box, draw) {
    const width = chartWidth(box);
    drawn.set(box, { draw, width });
    const chart = draw(width);
    box.replaceChildren(...(chart ? [chart] : []));
  }
  function drawInto(box, draw) {
    paint(box, draw);
    if (observer) observer.observe(box);
  }

  // ---------- panels ----------

  function build() {
    panel("frequency", "Tần suất theo nhóm", async ({ controls, foot, show }) => {
      const o = st.opts;
      controls.append(select("Nhóm theo", o.group_by, GROUPS, (v) => set({ group_by: v }, ["frequency"])));
      if (needTerm(show)) return;
      const extra = { term: o.term, group_by: o.group_by };
      foot.append(csvLink("frequency", extra));
      const r = await api("frequency", extra);
      await window.kehoachThemes.ready;
      const groupName = (g) => (g === "" ? "(không có)"
        : o.group_by === "theme" ? window.kehoachThemes.name(g) : g);
      const rows = [r.total].concat(r.groups);
      const t = table(
        [["Nhóm"], ["Số lần", "num"], ["Số văn bản", "num"], ["/10.000 âm tiết", "num"], ["Văn bản trong nhóm", "num"]],
        rows.map((g, i) => ({
          attrs: { "data-group": i === 0 ? "*" : g.group, class: i === 0 ? "total" : "" },
          cells: [
            (() => {
              const href = drillHash(i === 0 ? [] : groupFilter(o.group_by, g.group));
              const name = i === 0 ? "Tổng" : groupName(g.group);
              return href ? el("a", { href, class: "drill", text: name }) : name;
            })(),
            g.occurrences, g.documents, g.rate_per_10k, g.group_documents],
        })),
        "freq-table",
      );
      const bars = r.groups.filter((g) => g.occurrences > 0).slice(0, 25)
        .map((g) => ({ label: groupName(g.group), value: g.occurrences, href: drillHash(groupFilter(o.group_by, g.group)) }));
      const summary = el("p", { class: "muted", text: `“${r.term}”: ${fmt.format(r.total.occurrences)} lần trong ${fmt.format(r.total.documents)} văn bản.` });
      const box = el("div", { class: "chart-box" });
      show(summary, box, t);
      drawInto(box, (w) => (bars.length ? barChart(bars, w) : null));
    });

    panel("trend", "Xu hướng theo thời gian", async ({ controls, foot, show }) => {
      const o = st.opts;
      controls.append(
        select("Theo", o.granularity, [["year", "Năm"], ["month", "Tháng"], ["auto", "Tự động"]],
          (v) => set({ granularity: v }, ["trend"])),
        select("Đại lượng", o.measure, [["occurrences", "Số lần"], ["rate", "/10.000 âm tiết"]],
          (v) => set({ measure: v }, ["trend"])),
        checkbox("Mỗi tỉnh một đường", o.by_province === "1", (c) => set({ by_province: c ? "1" : "0" }, ["trend"])),
      );
      if (needTerm(show)) return;
      const extra = { term: o.term, granularity: o.granularity, by_province: o.by_province };
      foot.append(csvLink("trend", extra));
      const r = await api("trend", extra);
      const pick = (pt) => (o.measure === "rate" ? pt.rate_per_10k : pt.occurrences);
      const periods = [...new Set(r.series.flatMap((s) => s.points.map((p) => p.period)))].sort();
      let series = r.series.map((s) => ({
        name: s.province == null ? "Tất cả" : (s.province || "(không rõ tỉnh)"),
        total: s.points.reduce((a, p) => a + p.occurrences, 0),
        values: new Map(s.points.map((p) => [p.period, pick(p)])),
        points: s.points,
        href: (period) => drillHash([
          ...(s.province ? [["province", s.province]] : []),
          ...groupFilter("period", period),
        ]),
      }));
      const hidden = series.length > COLORS.length ? series.length - COLORS.length : 0;
      series = series.slice().sort((a, b) => b.total - a.total).slice(0, COLORS.length);
      if (!periods.length) {
        show(el("p", { class: "muted", text: "Không có văn bản có ngày ban hành." }));
        return;
      }
      const legend = el("ul", { class: "legend" }, ...series.map((s, k) =>
        el("li", null, el("span", { class: "swatch", style: `background:${COLORS[k % COLORS.length]}` }), s.name)));
      const rows = [];
      for (const s of series) for (const p of s.points) {
        rows.push({ cells: [s.name, el("a", { href: s.href(p.period), class: "drill", text: periodLabel(p.period) }),
          p.occurrences, p.documents, p.rate_per_10k, p.period_documents] });
      }
      const details = el("details", { class: "data" }, el("summary", { text: "Bảng số liệu" }),
        table([["Tỉnh/thành"], ["Kỳ"], ["Số lần", "num"], ["Số văn bản", "num"], ["/10.000 âm tiết", "num"], ["Văn bản trong kỳ", "num"]], rows));
      const notes = [];
      if (hidden) notes.push(`${hidden} tỉnh ít xuất hiện hơn không được vẽ.`);
      if (r.undated_documents) notes.push(`${fmt.format(r.undated_documents)} văn bản không có ngày.`);
      const box = el("div", { class: "chart-box" });
      show(box, legend, notes.length ? el("p", { class: "muted", text: notes.join(" ") }) : null, details);
      drawInto(box, (w) => lineChart(series, periods, o.measure, w));
    });

    // One unit for every panel that counts units.
    const unitSelect = () => select("Đơn vị", o().unit, [["words", "Từ"], ["syllables", "Âm tiết"]],
      (v) => set({ unit: v }, ["top", "keyness", "collocates"]));
    const ngramControls = (controls, redraw) => controls.append(
      select("n =", o().n, [["1", "1"], ["2", "2"], ["3", "3"], ["4", "4"]], (v) => set({ n: v }, ["top", "keyness"])),
      unitSelect(),
      checkbox("Ẩn từ dừng", o().stop === "1", (c) => set({ stop: c ? "1" : "0" }, redraw)),
    );
    const o = () => st.opts;

    panel("top", "N-gram phổ biến", async ({ controls, foot, show }) => {
      ngramControls(controls, ["top", "keyness"]);
      const x = { n_min: o().n, n_max: o().n, unit: o().unit, hide_stopwords: o().stop };
      foot.append(csvLink("top", { ...x, limit: "1000" }));
      const r = await api("top", { ...x, limit: "50" });
      show(
        el("p", { class: "muted", text: `${fmt.format(r.subcorpus_documents)} văn bản, ${fmt.format(r.subcorpus_syllables)} âm tiết.` }),
        table([["N-gram"], ["Số lần", "num"], ["Số văn bản", "num"], ["/10.000 âm tiết", "num"]],
          r.rows.map((g) => ({ attrs: { "data-ngram": g.ngram }, cells: [g.ngram, g.tf, g.df, g.rate_per_10k] })), "top-table"),
      );
    });

    panel("keyness", "Từ khóa đặc trưng (so với phần còn lại)", async ({ controls, foot, show }) => {
      ngramControls(controls, ["top", "keyness"]);
      if (!st.sub.length) {
        show(el("p", { class: "muted", text: "Hãy chọn truy vấn hoặc bộ lọc (ở trang tìm kiếm) để so sánh văn bản con với phần còn lại của kho." }));
        return;
      }
      const x = { n: o().n, unit: o().unit, hide_stopwords: o().stop };
      foot.append(csvLink("keyness", { ...x, limit: "1000" }));
      const r = await api("keyness", { ...x, limit: "30" });
      show(table(
        [["Từ"], ["Xu hướng"], ["Văn bản con", "num"], ["Phần còn lại", "num"], ["G²", "num"], ["Log ratio", "num"]],
        r.rows.map((k) => ({
          attrs: { class: k.direction },
          cells: [k.term, k.direction === "over" ? "Nổi trội" : "Ít hơn", k.target_freq, k.reference_freq, k.g2, k.log_ratio],
        })), "keyness-table"));
    });

    panel("collocates", "Từ đi kèm", async ({ controls, foot, show }) => {
      controls.append(
        select("Xếp theo", o().coll_sort, [["log_dice", "logDice"], ["mi", "MI"], ["frequency", "Tần suất"]],
          (v) => set({ coll_sort: v }, ["collocates"])),
        select("Cửa sổ ±", o().window, [["2", "2"], ["3", "3"], ["5", "5"], ["10", "10"]],
          (v) => set({ window: v }, ["collocates"])),
        unitSelect(),
      );
      if (needTerm(show)) return;
      const x = { term: o().term, sort: o().coll_sort, window: o().window, unit: o().unit };
      foot.append(csvLink("collocates", { ...x, limit: "1000" }));
      const r = await api("collocates", { ...x, limit: "30" });
      show(
        el("p", { class: "muted", text: `“${r.term}”: ${fmt.format(r.node_frequency)} lần.` }),
        table([["Từ"], ["Cùng xuất hiện", "num"], ["Tần suất từ", "num"], ["logDice", "num"], ["MI", "num"]],
          r.rows.map((c) => ({ cells: [c.collocate, c.cooccurrences, c.collocate_frequency, c.log_dice, c.mi] })), "coll-table"),
      );
    });

    panel("kwic", "Ngữ cảnh (KWIC)", async ({ controls, foot, show }) => {
      const sorts = [["document", "Theo văn bản"], ["left", "Theo ngữ cảnh trái"], ["right", "Theo ngữ cảnh phải"]];
      controls.append(select("Sắp xếp", o().kwic_sort, sorts, (v) => set({ kwic_sort: v }, ["kwic"])));
      if (needTerm(show)) return;
      const x = { term: o().term, sort: o().kwic_sort };
      foot.append(csvLink("kwic", { ...x, limit: "100000" }));
      const r = await api("kwic", { ...x, limit: "100" });
      const sortBtn = (key, text) => el("button", {
        type: "button", class: "sort" + (o().kwic_sort === key ? " on" : ""), title: "Sắp xếp theo cột này",
        onclick: () => set({ kwic_sort: o().kwic_sort === key ? "document" : key }, ["kwic"]),
      }, text);
      const thead = el("thead", null, el("tr", null,
        el("th", { class: "left" }, sortBtn("left", "Trái ↕")),
        el("th", { class: "node", text: "Từ khóa" }),
        el("th", { class: "right" }, sortBtn("right", "Phải ↕")),
        el("th", { class: "src", text: "Văn bản" })));
      const tbody = el("tbody");
      for (const l of r.lines) {
        tbody.append(el("tr", null,
          el("td", { class: "left" }, el("span", { text: l.left })),
          el("td", { class: "node", text: l.node }),
          el("td", { class: "right" }, el("span", { text: l.right })),
          el("td", { class: "src" }, el("a", {
            href: "#/doc/" + encodeURIComponent(l.doc_id), text: l.title || l.doc_id,
            title: [l.province, l.date].filter(Boolean).join(" · "),
          }))));
      }
      const n = r.lines.length;
      const info = r.total != null
        ? `${fmt.format(n)} / ${fmt.format(r.total)} dòng.`
        : n >= 100 ? `${fmt.format(n)} dòng đầu tiên (tải CSV để có tất cả).` : `${fmt.format(n)} dòng.`;
      show(el("p", { class: "muted", text: info }),
        el("div", { class: "table-wrap" }, el("table", { class: "stats-table kwic" }, thead, tbody)));
    });
  }

  // ---------- view ----------

  function render() {
    const view = document.getElementById("stats-view");
    if (!Object.keys(panels).length) build();
    const termInput = el("input", { type: "search", id: "stats-term", value: st.opts.term, placeholder: "Từ hoặc cụm từ: thi đua, chuyển đổi số…" });
    const form = el("form", {
      class: "stats-form", role: "search",
      onsubmit: (e) => {
        e.preventDefault();
        set({ term: termInput.value.trim() }, ["frequency", "trend", "kwic", "collocates"]);
      },
    }, el("label", { for: "stats-term", text: "Từ cần thống kê" }), termInput, el("button", { type: "submit", text: "Thống kê" }));

    const chips = el("p", { class: "subcorpus" }, el("strong", { text: "Văn bản con: " }));
    if (!st.sub.length) chips.append("toàn bộ kho văn bản. ");
    for (const [k, v] of st.sub) chips.append(el("span", { class: "chip static", text: `${SUB_LABELS[k]}: ${k === "theme" ? window.kehoachThemes.name(v) : v}` }), " ");
    chips.append(el("a", { href: searchHash(st.sub), text: "Sửa truy vấn và bộ lọc" }));

    view.replaceChildren(
      el("h1", { text: "Thống kê" }), form, chips,
      el("div", { class: "panels" }, ...Object.values(panels).map((p) => p.box)),
    );
    document.title = "Thống kê — Tìm kiếm kế hoạch";
    for (const p of Object.values(panels)) p.load();
  }

  // The nav link carries the current search as the subcorpus (and its words as the term).
  function updateNav(active) {
    const a = document.getElementById("nav-stats");
    if (!a) return;
    a.classList.toggle("on", active);
    if (active) return;
    const h = location.hash.replace(/^#/, "");
    if (h.startsWith("/")) return; // a document: keep the last search
    lastSearch = h;
    const p = new URLSearchParams(lastSearch);
    const sub = [];
    for (const k of SUB_KEYS) for (const v of p.getAll(k)) if (v !== "") sub.push([k, v]);
    const q = p.get("q") || "";
    const simple = q && !/(^|\s)(-|OR\b)|[()]/.test(q) ? q.replace(/"/g, "").trim() : "";
    a.href = hashOf({ sub, opts: { ...DEFAULTS, term: simple } });
  }

  return {
    // Shows the view when `active`; hides it otherwise. Returns `active`.
    route(active) {
      const view = document.getElementById("stats-view");
      updateNav(active);
      if (!view) return false;
      view.hidden = !active;
      if (!active) return false;
      const next = parse(location.hash);
      st = next;
      render();
      window.scrollTo(0, 0);
      return true;
    },
  };
})();
