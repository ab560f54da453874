//! The 25 cases of spec `analysis.md` (A = accented view, F = folded view).
//! Cases 11–14, 17–19 (query part) and 25 run against a small in-RAM tantivy index.

use kehoach::analysis::{self, analyze, route, Route, Token};
use tantivy::collector::TopDocs;
use tantivy::query::{BooleanQuery, Occur, PhraseQuery, Query, TermQuery};
use tantivy::schema::{
    Field, IndexRecordOption, Schema, TextFieldIndexing, TextOptions, Value, STORED,
};
use tantivy::tokenizer::TokenStream;
use tantivy::{doc, Index, TantivyDocument, Term};
use unicode_normalization::UnicodeNormalization;

fn acc(s: &str) -> Vec<String> {
    analyze(s).into_iter().map(|t| t.text).collect()
}

fn fol(s: &str) -> Vec<String> {
    analyze(s).into_iter().map(|t| t.folded).collect()
}

fn positions(s: &str) -> Vec<usize> {
    analyze(s).into_iter().map(|t| t.position).collect()
}

/// Offsets are on char boundaries of the input and re-analysing the covered slice
/// gives the same token (the extra Arabic token of a numeral covers the numeral).
fn check_offsets(s: &str) {
    let mut last_position = None;
    for t in analyze(s) {
        let extra = last_position == Some(t.position);
        last_position = Some(t.position);
        if extra {
            continue;
        }
        let slice = s
            .get(t.start..t.end)
            .unwrap_or_else(|| panic!("bad offsets {t:?} in {s:?}"));
        let again = analyze(slice);
        assert!(
            again.iter().any(|a| a.text == t.text),
            "slice {slice:?} of {s:?} does not re-analyse to {:?}: {again:?}",
            t.text
        );
    }
}

/// The tantivy tokenizers give the same tokens as `analyze`.
fn check_tokenizers(s: &str) {
    let manager = tantivy::tokenizer::TokenizerManager::default();
    analysis::register_on(&manager);
    let tokens = analyze(s);
    for (name, folded) in [
        (analysis::ACCENTED_TOKENIZER, false),
        (analysis::FOLDED_TOKENIZER, true),
    ] {
        let mut analyzer = manager.get(name).expect("registered");
        let mut stream = analyzer.token_stream(s);
        let mut got = Vec::new();
        while let Some(t) = stream.next() {
            got.push((t.position, t.offset_from, t.offset_to, t.text.clone()));
        }
        let want: Vec<_> = tokens
            .iter()
            .map(|t| {
                let text = if folded { &t.folded } else { &t.text };
                (t.position, t.start, t.end, text.clone())
            })
            .collect();
        assert_eq!(got, want, "tokenizer {name} on {s:?}");
    }
}

fn check(s: &str, want_acc: &[&str], want_fol: &[&str]) {
    assert_eq!(acc(s), want_acc, "accented view of {s:?}");
    assert_eq!(fol(s), want_fol, "folded view of {s:?}");
    check_offsets(s);
    check_tokenizers(s);
}

#[test]
fn case01_basic_syllables_positions_offsets() {
    let s = "Chuyển đổi số";
    check(s, &["chuyển", "đổi", "số"], &["chuyen", "doi", "so"]);
    assert_eq!(positions(s), [0, 1, 2]);
    let t = analyze(s);
    assert_eq!((t[0].start, t[0].end), (0, 8));
    assert_eq!((t[1].start, t[1].end), (9, 15));
    assert_eq!((t[2].start, t[2].end), (16, 20));
    assert_eq!(&s[t[1].start..t[1].end], "đổi");
}

#[test]
fn case02_nfd_identical_tokens_offsets_into_nfd() {
    let nfc = "Chuyển đổi số";
    let nfd: String = nfc.nfd().collect();
    assert_ne!(nfc, nfd);
    let a = analyze(nfc);
    let b = analyze(&nfd);
    assert_eq!(
        a.iter()
            .map(|t| (&t.text, &t.folded, t.position))
            .collect::<Vec<_>>(),
        b.iter()
            .map(|t| (&t.text, &t.folded, t.position))
            .collect::<Vec<_>>()
    );
    for t in &b {
        let slice = &nfd[t.start..t.end];
        assert_eq!(slice.nfc().collect::<String>().to_lowercase(), t.text);
    }
    assert_eq!(b[2].end, nfd.len());
    check_offsets(&nfd);
}

#[test]
fn case03_stacked_marks_either_order() {
    // ệ = e + dot below + circumflex, in both orders (and precomposed).
    for s in ["Vie\u{323}\u{302}t", "Vie\u{302}\u{323}t", "Việt", "VIỆT"] {
        check(s, &["việt"], &["viet"]);
    }
}

#[test]
fn case04_windows_1258_style() {
    check("Tiê\u{301}ng", &["tiếng"], &["tieng"]);
}

#[test]
fn case05_hoa_variants() {
    for s in ["hoà", "hòa", "HOÀ", "ho\u{300}a", "hoa\u{300}"] {
        check(s, &["hòa"], &["hoa"]);
    }
}

#[test]
fn case06_old_and_new_tone_placement_pairwise_identical() {
    for (a, b) in [
        ("thủy lợi", "thuỷ lợi"),
        ("Ủy ban", "Uỷ ban"),
        ("khỏe", "khoẻ"),
        ("văn hóa", "văn hoá"),
    ] {
        assert_eq!(acc(a), acc(b), "{a} / {b}");
        assert_eq!(fol(a), fol(b), "{a} / {b}");
        check_offsets(b);
    }
    assert_eq!(acc("Uỷ ban"), ["ủy", "ban"]);
}

#[test]
fn case07_coda_syllables_unchanged_misplaced_tones_fixed() {
    for w in ["hoàn", "toán", "khuyến", "quý", "ngoài", "khuya", "của"] {
        check(w, &[w], &[&analysis::fold(w)]);
    }
    check("tóan", &["toán"], &["toan"]);
    check("nứơc", &["nước"], &["nuoc"]);
    check("qúa", &["quá"], &["qua"]);
}

#[test]
fn case08_i_y_whitelist() {
    check("kĩ thuật", &["kỹ", "thuật"], &["ky", "thuat"]);
    check("lí do", &["lý", "do"], &["ly", "do"]);
    check("tỉ lệ", &["tỷ", "lệ"], &["ty", "le"]);
    check("qui định", &["quy", "định"], &["quy", "dinh"]);
    check("Mĩ", &["mỹ"], &["my"]);
    check("sĩ kì quí", &["sỹ", "kỳ", "quý"], &["sy", "ky", "quy"]);
}

#[test]
fn case09_untoned_i_never_touched() {
    check("thi đua", &["thi", "đua"], &["thi", "dua"]);
    check("công ty", &["công", "ty"], &["cong", "ty"]);
    check("vi phạm", &["vi", "phạm"], &["vi", "pham"]);
    check("li mi si", &["li", "mi", "si"], &["li", "mi", "si"]);
}

#[test]
fn case10_eth_and_capitals() {
    check("ĐẢNG", &["đảng"], &["dang"]);
    check("Ðảng", &["đảng"], &["dang"]);
    check("ðảng", &["đảng"], &["dang"]);
}

#[test]
fn case15_no_stopwords() {
    let s = "cải cách hành chính";
    check(
        s,
        &["cải", "cách", "hành", "chính"],
        &["cai", "cach", "hanh", "chinh"],
    );
    assert_eq!(positions(s), [0, 1, 2, 3]);
}

#[test]
fn case16_document_numbers_split_into_syllables() {
    for s in [
        "136/KH-UBND",
        "136 / KH – UBND",
        "136／KH－UBND",
        "136/KH\u{2011}UBND",
    ] {
        check(s, &["136", "kh", "ubnd"], &["136", "kh", "ubnd"]);
        assert_eq!(positions(s), [0, 1, 2]);
    }
}

#[test]
fn case17_nd_cp_views() {
    check(
        "30/2020/NĐ-CP",
        &["30", "2020", "nđ", "cp"],
        &["30", "2020", "nd", "cp"],
    );
}

#[test]
fn case18_leading_zeros() {
    assert_eq!(acc("số 09/2021/QĐ-UBND"), ["số", "9", "2021", "qđ", "ubnd"]);
    assert_eq!(acc("9/2021/QĐ-UBND"), ["9", "2021", "qđ", "ubnd"]);
}

#[test]
fn case19_dates() {
    check("13/9/2019", &["13", "9", "2019"], &["13", "9", "2019"]);
    assert_eq!(acc("13/09/2019"), acc("13/9/2019"));
}

#[test]
fn case20_number_formats() {
    check("1.234.567 đồng", &["1234567", "đồng"], &["1234567", "dong"]);
    check("12,5%", &["12,5"], &["12,5"]);
    check(
        "công nghiệp 4.0",
        &["công", "nghiệp", "4.0"],
        &["cong", "nghiep", "4.0"],
    );
    // Offsets cover the whole written number.
    let t = analyze("1.234.567 đồng");
    assert_eq!((t[0].start, t[0].end), (0, 9));
    // Sentence punctuation after a number is not part of it.
    check(
        "năm 2020. Tiếp",
        &["năm", "2020", "tiếp"],
        &["nam", "2020", "tiep"],
    );
}

#[test]
fn case21_roman_numerals_after_triggers() {
    let s = "Đại hội XIII";
    check(
        s,
        &["đại", "hội", "xiii", "13"],
        &["dai", "hoi", "xiii", "13"],
    );
    assert_eq!(positions(s), [0, 1, 2, 2]);
    let t = analyze(s);
    assert_eq!((t[2].start, t[2].end), (t[3].start, t[3].end));
    assert_eq!(&s[t[3].start..t[3].end], "XIII");

    let s = "quý I/2024";
    check(s, &["quý", "i", "1", "2024"], &["quy", "i", "1", "2024"]);
    assert_eq!(positions(s), [0, 1, 1, 2]);

    let s = "VI PHẠM HÀNH CHÍNH";
    check(
        s,
        &["vi", "phạm", "hành", "chính"],
        &["vi", "pham", "hanh", "chinh"],
    );
    // All-caps heading: a trigger followed by "VI PHẠM" is not part 6 …
    assert!(!acc("PHẦN VI PHẠM").contains(&"6".to_string()));
    // … but a numeral ending the heading line is.
    assert_eq!(acc("CHƯƠNG II\nQUY ĐỊNH CHUNG")[..3], ["chương", "ii", "2"]);
    // Other triggers; no trigger, no number; lowercase is not a numeral.
    assert_eq!(acc("khóa XIII"), ["khóa", "xiii", "13"]);
    assert_eq!(acc("khoá XV"), ["khóa", "xv", "15"]);
    assert_eq!(
        acc("Hội nghị lần thứ IV"),
        ["hội", "nghị", "lần", "thứ", "iv", "4"]
    );
    assert_eq!(acc("kỳ họp thứ IX"), ["kỳ", "họp", "thứ", "ix", "9"]);
    assert_eq!(
        acc("Mục II, Phần III"),
        ["mục", "ii", "2", "phần", "iii", "3"]
    );
    assert_eq!(acc("tuyến XIII"), ["tuyến", "xiii"]);
    assert_eq!(acc("phần vi"), ["phần", "vi"]);
}

#[test]
fn case22_year_ranges() {
    for s in ["2021–2025", "2021 - 2025", "2021—2025", "2021\u{2212}2025"] {
        check(s, &["2021", "2025"], &["2021", "2025"]);
    }
}

#[test]
fn case23_spaces_and_invisible_characters() {
    check(
        "Tài chính\u{A0}tỉnh",
        &["tài", "chính", "tỉnh"],
        &["tai", "chinh", "tinh"],
    );
    check("thi\u{200B}đua", &["thi", "đua"], &["thi", "dua"]);
    let s = "chuy\u{AD}ển";
    check(s, &["chuyển"], &["chuyen"]);
    let t = analyze(s);
    assert_eq!((t[0].start, t[0].end), (0, s.len()));
    // Deleted characters at a token's edge are outside its offsets.
    let s = "\u{FEFF}kế\u{200D} hoạch";
    let t = analyze(s);
    assert_eq!(&s[t[0].start..t[0].end], "kế");
}

#[test]
fn case24_capitals_acronyms_abbreviations() {
    check("KẾ HOẠCH", &["kế", "hoạch"], &["ke", "hoach"]);
    check("HĐND", &["hđnd"], &["hdnd"]);
    // Decision: punctuation separates, so TP.HCM is the two syllables tp hcm (a query
    // "TP.HCM", "TP HCM" or "TP. HCM" gives the same phrase).
    check("TP.HCM", &["tp", "hcm"], &["tp", "hcm"]);
    assert_eq!(acc("TP. HCM"), acc("TP.HCM"));
    check("COVID-19", &["covid", "19"], &["covid", "19"]);
}

// ---------------------------------------------------------------- query cases

struct TestIndex {
    index: Index,
    accented: Field,
    folded: Field,
    raw: Field,
}

fn build_index(docs: &[&str]) -> TestIndex {
    let mut builder = Schema::builder();
    let opts = |tokenizer: &str| {
        TextOptions::default().set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer(tokenizer)
                .set_index_option(IndexRecordOption::WithFreqsAndPositions),
        )
    };
    let accented = builder.add_text_field("accented", opts(analysis::ACCENTED_TOKENIZER));
    let folded = builder.add_text_field("folded", opts(analysis::FOLDED_TOKENIZER));
    let raw = builder.add_text_field("raw", STORED);
    let index = Index::create_in_ram(builder.build());
    analysis::register(&index);
    let mut writer = index.writer(15_000_000).expect("writer");
    for d in docs {
        writer
            .add_document(doc!(accented => *d, folded => *d, raw => *d))
            .expect("add");
    }
    writer.commit().expect("commit");
    TestIndex {
        index,
        accented,
        folded,
        raw,
    }
}

/// One token per position (the Arabic value where a numeral has one), as a query
/// should use them.
fn query_tokens(text: &str) -> Vec<Token> {
    let mut out: Vec<Token> = Vec::new();
    for t in analyze(text) {
        match out.last_mut() {
            Some(last) if last.position == t.position => *last = t,
            _ => out.push(t),
        }
    }
    out
}

fn field_query(field: Field, words: &[String], phrase: bool) -> Box<dyn Query> {
    let term = |w: &String| Term::from_field_text(field, w);
    match words {
        [one] => Box::new(TermQuery::new(term(one), IndexRecordOption::WithFreqs)),
        _ if phrase => Box::new(PhraseQuery::new(words.iter().map(term).collect())),
        _ => Box::new(BooleanQuery::new(
            words
                .iter()
                .map(|w| {
                    let q: Box<dyn Query> =
                        Box::new(TermQuery::new(term(w), IndexRecordOption::WithFreqs));
                    (Occur::Must, q)
                })
                .collect(),
        )),
    }
}

/// Builds a query the way the spec routes it: `"…"` is a phrase, otherwise all
/// syllables are required. Returns the matching documents' texts, best first.
fn search(ix: &TestIndex, query: &str) -> Vec<String> {
    let phrase = query.starts_with('"') && query.ends_with('"') && query.len() > 1;
    let text = query.trim_matches('"');
    let tokens = query_tokens(text);
    let folded: Vec<String> = tokens.iter().map(|t| t.folded.clone()).collect();
    let folded_q = field_query(ix.folded, &folded, phrase);
    // Spec decision 2: diacritics typed → the accented view only; none → the folded view.
    let q: Box<dyn Query> = match route(text) {
        Route::Folded => folded_q,
        Route::Accented => {
            let accented: Vec<String> = tokens.iter().map(|t| t.text.clone()).collect();
            field_query(ix.accented, &accented, phrase)
        }
    };
    let searcher = ix.index.reader().expect("reader").searcher();
    let hits = searcher
        .search(&q, &TopDocs::with_limit(10).order_by_score())
        .expect("search");
    hits.into_iter()
        .map(|(_, addr)| {
            let d: TantivyDocument = searcher.doc(addr).expect("doc");
            d.get_first(ix.raw)
                .and_then(|v| v.as_str())
                .unwrap_or("")
                .to_string()
        })
        .collect()
}

#[test]
fn case11_unaccented_query_hits_accented_text() {
    let ix = build_index(&["chuyển đổi số", "kế hoạch năm 2024"]);
    assert_eq!(route("chuyen doi so"), Route::Folded);
    assert_eq!(search(&ix, "chuyen doi so"), ["chuyển đổi số"]);
    assert_eq!(search(&ix, "\"chuyen doi so\""), ["chuyển đổi số"]);
    assert!(search(&ix, "\"so doi chuyen\"").is_empty());
}

#[test]
fn case12_accented_query_matches_that_spelling_only() {
    let ix = build_index(&["Chuyên đội sơ cứu", "chuyển đổi số"]);
    assert_eq!(route("chuyển đổi số"), Route::Accented);
    assert_eq!(search(&ix, "chuyển đổi số"), ["chuyển đổi số"]);
    // Unaccented: both spellings (the engine ranks the likelier one first:
    // tests/query_semantics.rs).
    let mut both = search(&ix, "chuyen doi so");
    both.sort();
    assert_eq!(both, ["Chuyên đội sơ cứu", "chuyển đổi số"]);
}

#[test]
fn case13_accented_single_syllable_matches_that_spelling_only() {
    let ix = build_index(&["số", "sổ sách"]);
    assert_eq!(search(&ix, "sổ"), ["sổ sách"]);
    assert_eq!(search(&ix, "so").len(), 2);
}

#[test]
fn case14_phrase_matches_adjacent_syllables_only() {
    let ix = build_index(&[
        "nông nghiệp ở thôn bản mới",
        "xây dựng nông thôn mới",
        "mới về thôn nông",
    ]);
    assert_eq!(search(&ix, "\"nông thôn mới\""), ["xây dựng nông thôn mới"]);
    assert_eq!(search(&ix, "\"nong thon moi\""), ["xây dựng nông thôn mới"]);
    // Without quotes, all three contain the syllables.
    assert_eq!(search(&ix, "nông thôn mới").len(), 3);
}

#[test]
fn case17_to_19_document_numbers_and_dates_as_queries() {
    let ix = build_index(&[
        "Nghị định 30/2020/NĐ-CP về công tác văn thư",
        "Quyết định số 09/2021/QĐ-UBND",
        "ngày 13/9/2019",
    ]);
    assert_eq!(
        search(&ix, "\"30/2020/ND-CP\""),
        ["Nghị định 30/2020/NĐ-CP về công tác văn thư"]
    );
    assert_eq!(
        search(&ix, "\"9/2021/QĐ-UBND\""),
        ["Quyết định số 09/2021/QĐ-UBND"]
    );
    assert_eq!(search(&ix, "\"13/09/2019\""), ["ngày 13/9/2019"]);
}

#[test]
fn case21_roman_numeral_query_finds_arabic_and_back() {
    let ix = build_index(&["Đại hội XIII của Đảng", "Nghị quyết khóa 12"]);
    assert_eq!(search(&ix, "\"đại hội 13\""), ["Đại hội XIII của Đảng"]);
    assert_eq!(search(&ix, "\"dai hoi XIII\""), ["Đại hội XIII của Đảng"]);
    assert_eq!(search(&ix, "\"khóa XII\""), ["Nghị quyết khóa 12"]);
}

#[test]
fn case25_phrase_with_function_word() {
    let ix = build_index(&[
        "Kế hoạch của UBND tỉnh",
        "kế hoạch và UBND",
        "UBND của kế hoạch",
    ]);
    assert_eq!(
        search(&ix, "\"kế hoạch của UBND\""),
        ["Kế hoạch của UBND tỉnh"]
    );
    assert_eq!(
        search(&ix, "\"ke hoach cua ubnd\""),
        ["Kế hoạch của UBND tỉnh"]
    );
}
