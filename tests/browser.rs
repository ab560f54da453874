//! The web page in headless Chromium: what a person sees for a search, a facet
//! filter and a document (each a URL, since the page keeps its state in the hash),
//! and one real interaction through WebDriver (chromedriver): type a query, click
//! a facet, open a hit, follow a citation; and the search box as researchers use
//! it (waiting for a finished query, errors in Vietnamese with their position, the
//! loading and empty states, number autocomplete, the CSV link) at desktop
//! (1366×900) and phone (390×844) widths. Screenshots go to `target/test-output/`
//! (`search-*`, `document-*`, `webdriver-*`, `searchbox-*`).
//!
//! Skips with a message when Chromium (or, for the interaction, chromedriver) is
//! not installed; `.ci/run` installs both.

mod browser_support;
mod http_fixture;

use std::time::Duration;

#[allow(unused_imports)]
use browser_support::webdriver::{self, Driver, ARROW_DOWN, ENTER, ESCAPE, SIZES};
#[allow(unused_imports)]
use browser_support::*;
use http_fixture::{enc, Server};

fn setup() -> (tempfile::TempDir, Server) {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("index");
    http_fixture::build_index(&dir, &http_fixture::corpus());
    let server = Server::start(&dir);
    (tmp, server)
}

#[test]
fn pages_render_search_facets_and_documents_from_the_url() {
    let Some(chrome) = chromium() else { return };
    let (_t, s) = setup();
    let out = output_dir();

    // A search with a filter: hits, marked snippets, facet counts.
    let url = format!(
        "{}/#q={}&province={}",
        s.base,
        enc("chuyen doi so"),
        enc("Kiên Giang")
    );
    let dom = dump_dom(&chrome, &url);
    assert!(
        dom.contains("Kế hoạch chuyển đổi số tỉnh Kiên Giang"),
        "hit title missing: {dom}"
    );
    assert!(
        dom.contains("<mark>chuyển</mark> <mark>đổi</mark> <mark>số</mark>"),
        "marked snippet missing"
    );
    let api = http_fixture::get(
        &s.base,
        &format!(
            "/api/search?q={}&province={}",
            enc("chuyen doi so"),
            enc("Kiên Giang")
        ),
    )
    .json();
    let total = api["total"].as_u64().unwrap();
    assert!(
        dom.contains(&format!("Kết quả: {total} văn bản")),
        "summary missing: {:?}",
        between(&dom, "id=\"summary\"", "</p>")
    );
    // The province facet shows the filter as selected, with its count.
    let facet = between(&dom, "data-value=\"Kiên Giang\"", "</button>").unwrap_or("");
    assert!(
        facet.contains(&format!("<span class=\"n\">{total}</span>")),
        "{facet}"
    );
    assert!(dom.contains("class=\"facet on\""), "selected facet missing");
    assert!(dom.contains("Tỉnh/thành") && dom.contains("Chủ đề") && dom.contains("Năm"));
    // Only hits of Kiên Giang are listed.
    assert!(!dom.contains("Đồng Tháp · "), "filtered out hit shown");

    screenshot(&chrome, &url, &out.join("search-desktop.png"), (1280, 900));
    screenshot(&chrome, &url, &out.join("search-phone.png"), (390, 844));

    // A document: metadata, body, and a citation linking to the cited document.
    let url = format!("{}/#/doc/{}", s.base, enc("kg/325 2019.txt"));
    let dom = dump_dom(&chrome, &url);
    assert!(dom.contains("Kế hoạch phát động thi đua chuyển đổi số"));
    assert!(dom.contains("Sở Công Thương phát động thi đua chuyển đổi số trong toàn ngành."));
    assert!(dom.contains("325/KH-SCT") && dom.contains("08/10/2019"));
    let body = between(&dom, "id=\"doc-body\"", "</div>").unwrap_or_else(|| panic!("{dom}"));
    let link = between(body, "<a href=\"#/doc/kg-136\"", "</a>")
        .unwrap_or_else(|| panic!("no citation link to kg-136 in {body}"));
    assert!(link.ends_with(">136/KH-UBND"), "{link}");
    screenshot(
        &chrome,
        &url,
        &out.join("document-desktop.png"),
        (1280, 900),
    );
    screenshot(&chrome, &url, &out.join("document-phone.png"), (390, 844));

    // The cited document lists who cites it.
    let dom = dump_dom(&chrome, &format!("{}/#/doc/kg-136", s.base));
    assert!(dom.contains("Được dẫn chiếu bởi (1)"), "{dom}");
    assert!(dom.contains(&format!("href=\"#/doc/{}\"", enc("kg/325 2019.txt"))));

    // Unknown documents and bad queries are explained, in Vietnamese.
    let dom = dump_dom(&chrome, &format!("{}/#/doc/nope", s.base));
    assert!(dom.contains("Không tìm thấy văn bản này."), "{dom}");
    let dom = dump_dom(&chrome, &format!("{}/#q={}", s.base, enc("thi \"đua")));
    let error = between(&dom, "id=\"error\"", "</div>").unwrap_or_else(|| panic!("{dom}"));
    assert!(
        error.contains("Dấu ngoặc kép này chưa được đóng") && error.contains("ký tự thứ 5"),
        "{error}"
    );
    assert!(
        error.contains("<mark class=\"err-at\">\"</mark>đua"),
        "{error}"
    );
    assert!(!error.contains("bad query"), "English leaked: {error}");

    // What the engine did to a query is said in Vietnamese: relaxed to some of the
    // words, the spelling suggested for an unaccented query.
    let dom = dump_dom(&chrome, &format!("{}/#q={}", s.base, enc("thi đua xyzzy")));
    assert!(
        dom.contains("Không có văn bản nào chứa tất cả các từ"),
        "{dom}"
    );
    assert!(dom.contains("văn bản có một phần các từ đã nhập"), "{dom}");
    let dom = dump_dom(&chrome, &format!("{}/#q={}", s.base, enc("chuyen doi so")));
    assert!(dom.contains("Có phải bạn muốn tìm"), "{dom}");
}

#[test]
fn a_person_types_filters_opens_a_document_and_follows_a_citation() {
    let Some((_t, s, _p, d)) = driver_session() else {
        return;
    };
    d.goto(&format!("{}/", s.base));

    // Type a query without accents: results appear as you type.
    let q = d.find("#q");
    d.type_text(&q, "chuyen doi so");
    d.wait_js(
        "results",
        "document.querySelectorAll('#results .hit').length > 0",
    );
    d.find("#results .hit .snippet mark");
    let marks: Vec<String> = d
        .find_all("#results .hit .snippet mark")
        .iter()
        .map(|m| d.text(m))
        .collect();
    assert!(marks.iter().any(|m| m == "chuyển"), "{marks:?}");
    for m in &marks {
        let folded = kehoach::analysis::fold(&m.to_lowercase());
        assert!(
            ["chuyen", "doi", "so"].contains(&folded.as_str()),
            "unexpected mark {m:?}"
        );
    }
    let summary = d.text(&d.find("#summary"));
    assert!(summary.starts_with("Kết quả: "), "{summary}");
    assert!(
        d.script("return location.hash")
            .as_str()
            .unwrap()
            .contains("q=chuyen%20doi%20so"),
        "the query is kept in the URL"
    );

    // Click the "Kiên Giang" province facet: only Kiên Giang hits remain.
    let facet = d.find("#facets button[data-facet='province'][data-value='Kiên Giang']");
    let count: u64 = d
        .text(&d.find("#facets button[data-facet='province'][data-value='Kiên Giang'] .n"))
        .parse()
        .unwrap();
    d.click(&facet);
    d.wait_js(
        "the filter",
        "document.querySelector('#active-filters .chip') !== null",
    );
    d.wait_js(
        "filtered results",
        &format!(
            "document.querySelector('#summary').textContent.startsWith('Kết quả: {count} văn bản')"
        ),
    );
    let metas: Vec<String> = d
        .find_all("#results .hit .meta")
        .iter()
        .map(|e| d.text(e))
        .collect();
    assert!(!metas.is_empty());
    assert!(metas.iter().all(|m| m.contains("Kiên Giang")), "{metas:?}");
    d.screenshot(&output_dir().join("webdriver-search.png"));

    // Open the plan 325/KH-SCT, then follow its citation of 136/KH-UBND.
    let titles = d.find_all("#results .hit-title");
    let target = titles
        .iter()
        .find(|t| d.text(t) == "Kế hoạch phát động thi đua chuyển đổi số")
        .expect("the plan is listed");
    d.click(target);
    d.wait_js(
        "the document",
        "document.querySelector('#doc-view h1') && document.querySelector('#doc-view h1').textContent === 'Kế hoạch phát động thi đua chuyển đổi số'",
    );
    let body = d.text(&d.find("#doc-body"));
    assert!(body.contains("Sở Công Thương phát động thi đua"), "{body}");
    let cite = d.find("#doc-body a.cite-link");
    assert_eq!(d.text(&cite), "136/KH-UBND");
    d.screenshot(&output_dir().join("webdriver-document.png"));
    d.click(&cite);
    d.wait_js(
        "the cited document",
        "document.querySelector('#doc-view h1') && document.querySelector('#doc-view h1').textContent === 'Kế hoạch chuyển đổi số tỉnh Kiên Giang'",
    );
    assert_eq!(
        d.script("return location.hash").as_str().unwrap(),
        "#/doc/kg-136"
    );

    // Back to the results: the filter is still there.
    let back = d.find("#doc-view a.back");
    d.click(&back);
    // The previous results stay in the DOM while the search runs again: wait for it
    // to finish, and read the chip in one script (a re-render makes element
    // references stale).
    d.wait_js(
        "the results again",
        "!document.querySelector('#search-view').hidden && !document.body.classList.contains('loading') && document.querySelectorAll('#results .hit').length > 0 && document.querySelector('#active-filters .chip')",
    );
    let chip = d.script("return document.querySelector('#active-filters .chip').textContent");
    let chip = chip.as_str().unwrap_or_default();
    assert!(chip.contains("Kiên Giang"), "{chip}");
}

// ---------- the search box (issue 16) ----------

/// A WebDriver session on a fresh server, or `None` (printed) without Chromium or
/// chromedriver.
fn driver_session() -> Option<(tempfile::TempDir, Server, tempfile::TempDir, Driver)> {
    let (profile, d) = webdriver::session()?;
    let (t, s) = setup();
    Some((t, s, profile, d))
}

#[test]
fn typing_waits_for_a_finished_query_and_enter_shows_the_error_in_vietnamese() {
    let Some((_t, s, _p, d)) = driver_session() else {
        return;
    };
    for (name, size) in SIZES {
        d.open_search(&format!("{}/#q={}", s.base, enc("thi đua")), size);
        let before = d.js_str("document.querySelectorAll('#results .hit').length");
        assert_ne!(before, "0");
        d.count_searches();

        // An unclosed quotation mark: nothing is sent, no error, a quiet hint.
        d.retype("\"chuyển đổi");
        std::thread::sleep(Duration::from_millis(900));
        assert_eq!(d.searches(), 0, "{name}: an unfinished query was sent");
        assert_eq!(d.js_str("document.querySelector('#error').hidden"), "true");
        let hint = d.js_str("document.querySelector('#q-hint').textContent");
        assert!(hint.starts_with("Đang chờ dấu \""), "{name}: {hint}");
        assert_eq!(
            d.js_str("document.querySelectorAll('#results .hit').length"),
            before,
            "{name}: the previous results stay until a query is sent"
        );
        // A trailing OR or "-" waits too.
        for unfinished in ["thi đua OR", "thi đua -", "-khen"] {
            d.retype(unfinished);
            std::thread::sleep(Duration::from_millis(500));
            assert_eq!(d.searches(), 0, "{name}: {unfinished:?} was sent");
        }
        d.retype("\"chuyển đổi");
        std::thread::sleep(Duration::from_millis(400));
        d.screenshot(&output_dir().join(format!("searchbox-typing-unclosed-{name}.png")));

        // Enter sends it: the error in Vietnamese, its position marked in the box.
        let q = d.find("#q");
        d.type_text(&q, ENTER);
        d.wait_js("the error", "!document.querySelector('#error').hidden");
        assert_eq!(d.searches(), 1);
        let error = d.js_str("document.querySelector('#error').textContent");
        assert!(
            error.starts_with("Lỗi: Dấu ngoặc kép này chưa được đóng")
                && error.contains("ký tự thứ 1"),
            "{name}: {error}"
        );
        assert!(!error.contains("bad query"), "{name}: {error}");
        assert_eq!(
            d.js_str("document.querySelector('#error .err-at').textContent"),
            "\""
        );
        assert_eq!(
            d.js_str("[document.activeElement.id, document.activeElement.selectionStart, document.activeElement.selectionEnd].join()"),
            "q,0,1",
            "{name}: the quotation mark is selected in the box"
        );
        assert_eq!(
            d.js_str("document.querySelector('#q').getAttribute('aria-invalid')"),
            "true"
        );
        // No stale results or facets of the previous query beside the error.
        assert_eq!(
            d.js_str("document.querySelectorAll('#results .hit, #facets .facet').length"),
            "0"
        );
        assert_eq!(
            d.js_str("document.querySelector('#csv-link').hidden"),
            "true"
        );
        d.screenshot(&output_dir().join(format!("searchbox-error-{name}.png")));

        // Closing the quotation mark searches as you type again.
        d.script("const q = document.querySelector('#q'); q.setSelectionRange(q.value.length, q.value.length); return null;");
        d.type_text(&q, "\"");
        d.wait_js(
            "results",
            "document.querySelectorAll('#results .hit').length > 0",
        );
        assert_eq!(d.js_str("document.querySelector('#error').hidden"), "true");
        assert_eq!(
            d.js_str("document.querySelector('#q').hasAttribute('aria-invalid')"),
            "false"
        );
        assert_eq!(d.searches(), 2);

        // A query that is finished but wrong ("OR" first) is explained while typing.
        d.retype("OR thi");
        d.wait_js("the error", "!document.querySelector('#error').hidden");
        let error = d.js_str("document.querySelector('#error').textContent");
        assert!(
            error.contains("OR cần một từ hoặc cụm từ ở cả hai bên"),
            "{error}"
        );
    }
}

#[test]
fn a_slow_search_shows_a_calm_loading_state() {
    let Some((_t, s, _p, d)) = driver_session() else {
        return;
    };
    for (name, size) in SIZES {
        d.open_search(&format!("{}/#q={}", s.base, enc("thi đua")), size);
        // Answers take 1.5 s from now on.
        d.script(
            "const f = window.fetch; window.fetch = (u, o) => new Promise((r) => setTimeout(r, 1500)).then(() => f(u, o)); return null;",
        );
        d.script("location.hash = '#q=chuy%E1%BB%83n%20%C4%91%E1%BB%95i'; return null;");
        assert_eq!(
            d.js_str("document.querySelector('#results-col').getAttribute('aria-busy')"),
            "true"
        );
        // Not before ~150 ms, then "Đang tìm…".
        assert_eq!(
            d.js_str("document.querySelector('#loading').hidden"),
            "true"
        );
        d.wait_js(
            "the indicator",
            "!document.querySelector('#loading').hidden",
        );
        assert_eq!(
            d.js_str("document.querySelector('#loading').textContent"),
            "Đang tìm…"
        );
        d.screenshot(&output_dir().join(format!("searchbox-loading-{name}.png")));
        // The indicator does not disturb the page's layout.
        assert_eq!(
            d.js_str("document.documentElement.scrollWidth <= innerWidth && getComputedStyle(document.body).display === 'block'"),
            "true",
            "{name}"
        );
        d.wait_js(
            "the answer",
            "document.querySelector('#results-col').getAttribute('aria-busy') === 'false'",
        );
        assert_eq!(
            d.js_str("document.querySelector('#loading').hidden"),
            "true"
        );
        let summary = d.js_str("document.querySelector('#summary').textContent");
        assert!(summary.starts_with("Kết quả: "), "{summary}");
    }
}

#[test]
fn an_empty_result_offers_one_click_ways_out() {
    let Some((_t, s, _p, d)) = driver_session() else {
        return;
    };
    // No "Quyết định" of Kiên Giang is about "chuyển đổi số" written so.
    let hash = format!(
        "#q={}&province={}&type={}",
        enc("\"chuyen doi so\""),
        enc("Kiên Giang"),
        enc("Quyết định")
    );
    let api = http_fixture::get(
        &s.base,
        &format!(
            "/api/search?q={}&province={}&type={}",
            enc("\"chuyen doi so\""),
            enc("Kiên Giang"),
            enc("Quyết định")
        ),
    )
    .json();
    assert_eq!(api["total"], 0, "{api}");
    for (name, size) in SIZES {
        d.open_search(&format!("{}/{hash}", s.base), size);
        d.wait_js(
            "the empty state",
            "!document.querySelector('#empty').hidden",
        );
        let actions: Vec<String> = d
            .script("return [...document.querySelectorAll('#empty .empty-action')].map((b) => b.textContent)")
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_str().unwrap().to_string())
            .collect();
        let mut want = vec![];
        if let Some(sugg) = api["suggestion"].as_str() {
            want.push(format!("Tìm với dấu: {sugg}"));
        }
        want.extend([
            "Bỏ dấu ngoặc kép: chuyen doi so".to_string(),
            "Bỏ lọc Tỉnh/thành: Kiên Giang".to_string(),
            "Bỏ lọc Loại văn bản: Quyết định".to_string(),
            "Bỏ tất cả bộ lọc".to_string(),
        ]);
        assert_eq!(actions, want, "{name}");
        let hint = d.js_str("document.querySelector('#empty .empty-hint').textContent");
        assert!(
            hint.contains("A OR B") && hint.contains("\"cụm từ\""),
            "{hint}"
        );
        assert_eq!(
            d.js_str("document.querySelector('#csv-link').hidden"),
            "true"
        );
        d.screenshot(&output_dir().join(format!("searchbox-empty-{name}.png")));

        // One click removes the document-type filter: Kiên Giang's plans appear.
        let buttons = d.find_all("#empty .empty-action.unfilter");
        let type_button = buttons
            .iter()
            .find(|b| d.text(b).contains("Loại văn bản"))
            .expect("a button removing the type filter");
        d.click(type_button);
        d.wait_js(
            "results",
            "document.querySelectorAll('#results .hit').length > 0",
        );
        let hash = d.js_str("location.hash");
        assert!(!hash.contains("type="), "{hash}");
        assert!(hash.contains("province="), "{hash}");
        assert_eq!(d.js_str("document.querySelector('#empty').hidden"), "true");
        let titles = d.js_str("[...document.querySelectorAll('#results .hit-title')].map((a) => a.textContent).join('|')");
        assert!(
            titles.contains("Kế hoạch chuyển đổi số tỉnh Kiên Giang"),
            "{titles}"
        );
    }
}

#[test]
fn number_autocomplete_lists_keys_and_enter_picks_one() {
    let Some((_t, s, _p, d)) = driver_session() else {
        return;
    };
    for (name, size) in SIZES {
        d.open_search(&format!("{}/", s.base), size);
        let q = d.retype("kế hoạch 13");
        std::thread::sleep(Duration::from_millis(500));
        assert_eq!(
            d.js_str("document.querySelector('#q-suggest').hidden"),
            "true",
            "no '/' yet"
        );
        d.type_text(&q, "6/");
        d.wait_js(
            "the listbox",
            "!document.querySelector('#q-suggest').hidden",
        );
        assert_eq!(
            d.js_str("document.querySelector('#q').getAttribute('role')"),
            "combobox"
        );
        assert_eq!(
            d.js_str("document.querySelector('#q').getAttribute('aria-expanded')"),
            "true"
        );
        let keys = d.js_str("[...document.querySelectorAll('#q-suggest [role=option]')].map((o) => o.dataset.key).join()");
        assert_eq!(keys, "136/KH-UBND", "{name}");

        // Only numbers starting so: "12/" is not 120/BC-UBND … 129/BC-UBND.
        d.retype("12/");
        d.wait_js(
            "the listbox",
            "document.querySelector('#q-suggest [data-key=\"12/QĐ-UBND\"]')",
        );
        let keys = d.js_str("[...document.querySelectorAll('#q-suggest [role=option]')].map((o) => o.dataset.key).join()");
        assert_eq!(keys, "12/QĐ-UBND", "{name}");
        d.retype("kế hoạch 136/");
        d.wait_js(
            "the listbox",
            "document.querySelector('#q-suggest [data-key=\"136/KH-UBND\"]')",
        );
        d.screenshot(&output_dir().join(format!("searchbox-autocomplete-{name}.png")));
        d.type_text(&q, ARROW_DOWN);
        assert_eq!(
            d.js_str("document.querySelector('#q').getAttribute('aria-activedescendant')"),
            "q-opt-0"
        );
        assert_eq!(
            d.js_str("document.querySelector('#q-opt-0').getAttribute('aria-selected')"),
            "true"
        );
        d.type_text(&q, ENTER);
        assert_eq!(
            d.js_str("document.querySelector('#q').value"),
            "kế hoạch 136/KH-UBND "
        );
        assert_eq!(
            d.js_str("document.querySelector('#q-suggest').hidden"),
            "true"
        );
        d.wait_js(
            "the search for the number",
            "location.hash.includes('136%2FKH-UBND') && document.querySelector('#results-col').getAttribute('aria-busy') === 'false' && document.querySelectorAll('#results .hit').length > 0",
        );
        let titles = d.js_str("[...document.querySelectorAll('#results .hit-title')].map((a) => a.textContent).join('|')");
        assert!(
            titles.contains("Kế hoạch chuyển đổi số tỉnh Kiên Giang"),
            "{titles}"
        );

        // Escape closes the list and keeps the text.
        d.retype("325/");
        d.wait_js(
            "the listbox",
            "!document.querySelector('#q-suggest').hidden",
        );
        d.type_text(&q, ESCAPE);
        assert_eq!(
            d.js_str("document.querySelector('#q-suggest').hidden"),
            "true"
        );
        assert_eq!(d.js_str("document.querySelector('#q').value"), "325/");
        assert_eq!(
            d.js_str("document.querySelector('#q').getAttribute('aria-expanded')"),
            "false"
        );
    }
}

#[test]
fn the_csv_link_exports_the_current_query_and_filters() {
    let Some((_t, s, _p, d)) = driver_session() else {
        return;
    };
    for (name, size) in SIZES {
        d.open_search(
            &format!(
                "{}/#q={}&province={}&sort=date",
                s.base,
                enc("thi đua"),
                enc("Đồng Tháp")
            ),
            size,
        );
        let link = d.find("#csv-link");
        assert_eq!(d.text(&link), "Tải CSV");
        let href = d.js_str("document.querySelector('#csv-link').getAttribute('href')");
        assert!(href.starts_with("/api/search?"), "{href}");
        for part in [
            "q=thi+%C4%91ua",
            "province=%C4%90%E1%BB%93ng+Th%C3%A1p",
            "sort=date",
            "format=csv",
            "bom=1",
            "limit=1000",
        ] {
            assert!(href.contains(part), "{name}: {part} not in {href}");
        }
        assert!(
            !href.contains("page=") && !href.contains("offset="),
            "{href}"
        );
        d.screenshot(&output_dir().join(format!("searchbox-csv-link-{name}.png")));

        // The link downloads every hit of the query and filters.
        let r = http_fixture::get(&s.base, &href);
        assert_eq!(r.status, 200, "{}", r.body);
        assert_eq!(
            r.header("content-disposition"),
            Some("attachment; filename=\"kehoach-search-thi-dua.csv\"")
        );
        let body = r.body.strip_prefix('\u{feff}').expect("a BOM");
        let mut lines = body.lines();
        assert_eq!(
            lines.next(),
            Some("id,number,title,type,date,province,province_current,issuer,themes,theme_labels,score")
        );
        let total = d.js_str("document.querySelector('#summary').textContent");
        let rows = lines.count();
        assert!(
            total.starts_with(&format!("Kết quả: {rows} văn bản")),
            "{total} vs {rows} rows"
        );
    }
}

// ---------- the facet panel (issue 16, item 4) ----------

#[test]
#[allow(
    clippy::too_many_lines,
    reason = "one browser session per size: each step depends on the page state of the previous one"
)]
fn facets_are_short_collapsible_and_keep_the_keyboard_in_place() {
    let Some((_t, s, _p, d)) = driver_session() else {
        return;
    };
    let facets = http_fixture::get(&s.base, "/api/search?q=").json();
    let provinces = facets["facets"]["province"].as_array().unwrap().len();
    for (name, size) in SIZES {
        d.open_search(&format!("{}/#q=", s.base), size);
        if name == "phone" {
            d.script("document.querySelector('#facet-box').open = true; return null;");
        }
        // One h1; the skip link is the first thing the keyboard reaches and moves
        // focus to the results without changing the page's state.
        assert_eq!(
            d.js_str("document.querySelectorAll('h1:not([hidden] h1)').length"),
            "1"
        );
        assert_eq!(
            d.js_str("document.querySelector('a[href], button, input, select').className"),
            "skip-link"
        );
        let hash = d.js_str("location.hash");
        // Reached by Tab (it shows when focused), then followed.
        d.script(
            "const a = document.querySelector('.skip-link'); a.focus(); a.click(); return null;",
        );
        assert_eq!(d.js_str("document.activeElement.id"), "results-col");
        assert_eq!(d.js_str("location.hash"), hash);

        // Years come first, in year order, with a from/to range.
        let groups = d.js_str(
            "[...document.querySelectorAll('#facets details.facet-group')].map(g => g.dataset.facet).join(',')",
        );
        assert!(groups.starts_with("year,province"), "{groups}");
        let years = d.js_str(
            "[...document.querySelectorAll('#facets [data-facet=year] button.facet')].map(b => b.dataset.value).join(',')",
        );
        let mut sorted: Vec<&str> = years.split(',').collect();
        sorted.sort_unstable();
        assert_eq!(years, sorted.join(","), "years in year order");
        d.find("#facets .year-range input[name=from]");

        // Provinces: the top values, then "Xem thêm" for the rest.
        let shown = || {
            d.js_str(
                "document.querySelectorAll('#facets [data-facet=province] button.facet').length",
            )
            .parse::<usize>()
            .unwrap()
        };
        if provinces > 6 {
            assert_eq!(shown(), 6);
            d.script("document.querySelector('#facets details[data-facet=province] .facet-more').scrollIntoView({block: 'center'}); return null;");
            d.click(&d.find("#facets details[data-facet=province] .facet-more"));
            d.wait_js(
                "all provinces",
                &format!("document.querySelectorAll('#facets [data-facet=province] button.facet').length === {provinces}"),
            );
        } else {
            assert_eq!(shown(), provinces);
        }

        // Groups collapse, and stay collapsed across a re-render.
        d.script("document.querySelector('#facets details[data-facet=theme]').open = false; return null;");
        d.wait_js(
            "the theme group closed",
            "!document.querySelector('#facets details[data-facet=theme]').open",
        );

        // A facet click keeps the keyboard on the same button after the re-render.
        if name == "phone" {
            d.script("document.querySelector('#facet-box').open = true; return null;");
        }
        let value = d.js_str(
            "document.querySelector('#facets [data-facet=type] button.facet').dataset.value",
        );
        d.script("document.querySelector('#facets [data-facet=type] button.facet').scrollIntoView({block: 'center'}); return null;");
        d.click(&d.find("#facets [data-facet=type] button.facet"));
        d.wait_js(
            "the filter",
            "document.querySelector('#active-filters .chip') !== null",
        );
        d.wait_settled();
        // (On a phone the panel closes after the choice: the keyboard goes to the results.)
        let kept = if name == "phone" {
            "document.activeElement && document.activeElement.id === 'results-col'".to_string()
        } else {
            format!(
                "document.activeElement && document.activeElement.dataset.facet === 'type' && document.activeElement.dataset.value === {value:?}"
            )
        };
        d.wait_js(&format!("focus kept ({name})"), &kept);
        assert_eq!(
            d.js_str("document.querySelector('#facets details[data-facet=theme]').open"),
            "false",
            "the collapsed group stays collapsed"
        );
        // On a phone, the panel closes after a choice so the results show.
        let open = d.js_str("document.querySelector('#facet-box').open");
        assert_eq!(
            open,
            if name == "phone" { "false" } else { "true" },
            "{name}"
        );
        d.screenshot(&output_dir().join(format!("facets-{name}.png")));

        // The year range filters from/to.
        d.open_search(&format!("{}/#q=", s.base), size);
        if name == "phone" {
            d.script("document.querySelector('#facet-box').open = true; return null;");
        }
        d.script("document.querySelector('#facets .year-range').scrollIntoView({block: 'center'}); return null;");
        let from = d.find("#facets .year-range input[name=from]");
        d.type_text(&from, "2019");
        d.click(&d.find("#facets .year-range button"));
        d.wait_js("the from filter", "location.hash.includes('from=2019')");
    }
}
