//! What people type: proximity, accents, disclosure of relaxed / reduced / expanded
//! queries, long questions and passages, documents asked for by name or number,
//! abbreviations. Each test builds a small index whose documents are written so that
//! plain BM25 ranks them the wrong way: the behaviour must come from the rule tested.

mod common;

use common::in_ram_engine;
use kehoach::query::{Engine, Match, SearchRequest, SearchResults, Sort};

fn search(e: &Engine, q: &str) -> SearchResults {
    e.search(&SearchRequest {
        query: q.into(),
        limit: 20,
        ..SearchRequest::default()
    })
    .unwrap_or_else(|err| panic!("{q:?}: {err}"))
}

fn ids(r: &SearchResults) -> Vec<&str> {
    r.hits.iter().map(|h| h.id.as_str()).collect()
}

#[test]
fn words_together_rank_above_words_apart() {
    // "apart" repeats each word many times (BM25 favours it) but never together.
    let apart = "Chuyển trường cho học sinh. Đổi mới phương pháp. Số liệu, số học sinh, số lớp, \
                 số giáo viên; chuyển lớp, chuyển cấp; đổi sách, đổi giờ. "
        .repeat(3);
    let e = in_ram_engine(
        &[
            ("apart", &apart),
            (
                "together",
                "Kế hoạch năm 2024 của tỉnh về nhiều việc, trong đó có chuyển đổi số ở một vài sở.",
            ),
        ],
        false,
    );
    for q in ["chuyển đổi số", "chuyen doi so"] {
        let r = search(&e, q);
        assert_eq!(ids(&r), ["together", "apart"], "{q}");
    }
    // Sorting by date is not affected by levels (and must still list both).
    let by_date = e
        .search(&SearchRequest {
            query: "chuyển đổi số".into(),
            sort: Sort::Date,
            ..SearchRequest::default()
        })
        .unwrap();
    assert_eq!(by_date.total, 2);
}

#[test]
fn accented_query_matches_that_spelling_only() {
    // Spec cases 12 and 13.
    let e = in_ram_engine(
        &[
            ("exact", "Kế hoạch chuyển đổi số của tỉnh"),
            ("variant", "Chuyên đội sơ cứu của tỉnh"),
            ("so-sach", "Kiểm tra sổ sách kế toán"),
            ("so", "Báo cáo số liệu"),
        ],
        false,
    );
    assert_eq!(ids(&search(&e, "chuyển đổi số")), ["exact"]);
    let unaccented = search(&e, "chuyen doi so");
    assert_eq!(unaccented.total, 2);
    assert_eq!(ids(&unaccented)[0], "exact");
    assert_eq!(ids(&search(&e, "sổ")), ["so-sach"]);
    assert_eq!(search(&e, "so").total, 4, "every spelling: số, sổ, sơ");
    let r = search(&e, "\"thì\"");
    assert_eq!(
        r.total, 0,
        "a quoted accented word never matches another spelling"
    );
}

#[test]
fn tone_placement_never_matters() {
    let e = in_ram_engine(&[("old", "Công trình thuỷ lợi và hoà giải")], false);
    assert_eq!(search(&e, "thủy lợi").total, 1);
    assert_eq!(search(&e, "hòa giải").total, 1);
}

#[test]
fn accented_query_without_match_falls_back_to_folded_and_says_so() {
    let e = in_ram_engine(&[("d", "Chuyên đội sơ cứu của tỉnh")], false);
    let r = search(&e, "chuyển đổi số");
    assert!(r.accents_ignored, "{r:?}");
    assert!(!r.relaxed);
    assert_eq!(ids(&r), ["d"]);
    // A spelling that exists is never "ignored".
    assert!(!search(&e, "sơ cứu").accents_ignored);
}

#[test]
fn relaxation_is_disclosed() {
    let e = in_ram_engine(
        &[
            ("a", "Phong trào thi đua yêu nước"),
            ("b", "Công tác thi đua khen thưởng"),
        ],
        false,
    );
    let r = search(&e, "thi đua xyzzy");
    assert!(r.relaxed);
    assert!(r.hits.iter().all(|h| h.partial));
    let strict = search(&e, "thi đua");
    assert!(!strict.relaxed);
    assert_eq!(
        r.total, strict.total,
        "relaxed counts documents with some words"
    );
    let all = e
        .search(&SearchRequest {
            query: "thi đua xyzzy".into(),
            matching: Match::All,
            ..SearchRequest::default()
        })
        .unwrap();
    assert_eq!((all.total, all.relaxed), (0, false));
}

#[test]
fn long_questions_and_passages_are_answered_and_reduced() {
    let target = "Người lao động được nghỉ việc riêng mà vẫn hưởng nguyên lương khi kết hôn, \
                  con đẻ kết hôn, cha mẹ chết theo quy định tại số 45/2019/QH14.";
    let e = in_ram_engine(
        &[
            ("target", target),
            ("other", "Quy định về phòng cháy chữa cháy tại khu dân cư."),
            (
                "law",
                "Bộ luật Lao động\nSố: 45/2019/QH14\nQuy định về lao động.",
            ),
        ],
        false,
    );
    // 70 words: used to be refused.
    let question =
        "Tôi muốn hỏi là theo quy định hiện hành thì người lao động khi kết hôn hoặc khi \
                    con đẻ kết hôn hoặc khi cha mẹ chết thì có được nghỉ việc riêng mà vẫn hưởng \
                    nguyên lương hay không và nếu được thì được nghỉ bao nhiêu ngày, thủ tục như \
                    thế nào, có cần báo trước cho người sử dụng lao động hay không, xin cảm ơn \
                    rất nhiều vì đã trả lời câu hỏi này của tôi nhé";
    assert!(question.split_whitespace().count() > 64);
    let r = search(&e, question);
    assert_eq!(ids(&r)[0], "target", "{r:?}");
    // A 10,000-character passage: reduced to its most distinctive syllables.
    let passage = format!(
        "{target} Công tác phòng cháy được tăng cường. Các sở, ban, ngành triển khai kế \
         hoạch năm 2024 theo chỉ đạo của tỉnh ủy. "
    )
    .repeat(50)
        + "Văn bản số 45/2019/QH14.";
    assert!(passage.chars().count() >= 10_000);
    let r = search(&e, &passage);
    let reduced = r.reduced.as_ref().expect("a long passage is reduced");
    assert!(reduced.kept.len() <= kehoach::query::MAX_TERMS);
    assert!(reduced.syllables > reduced.kept.len());
    assert_eq!(ids(&r)[0], "target");
    // The number inside still hits the number field: the law is found.
    assert!(ids(&r).contains(&"law"), "{:?}", ids(&r));
    // Beyond the bound: a clear query error.
    let too_long = "a ".repeat(kehoach::query::parser::MAX_QUERY_CHARS);
    assert!(matches!(
        e.search(&SearchRequest {
            query: too_long,
            ..SearchRequest::default()
        }),
        Err(kehoach::Error::Query { .. })
    ));
}

const CIVIL_CODE: &str = "QUỐC HỘI\n\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n\n\
    Luật số: 91/2015/QH13\n\nHà Nội, ngày 24 tháng 11 năm 2015\n\nBỘ LUẬT\n\nDÂN SỰ\n\n\
    Căn cứ Hiến pháp nước Cộng hòa xã hội chủ nghĩa Việt Nam;\nQuốc hội ban hành Bộ luật dân sự.\n\n\
    Điều 1. Phạm vi điều chỉnh\nBộ luật này quy định địa vị pháp lý, chuẩn mực pháp lý về cách ứng xử.";

fn decree(n: u32) -> String {
    format!(
        "CHÍNH PHỦ\n\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n\n\
         Số: {n}/2020/NĐ-CP\n\nHà Nội, ngày 1 tháng 3 năm 2020\n\nNGHỊ ĐỊNH\n\n\
         Quy định chi tiết thi hành Bộ luật Dân sự về giao dịch\n\n\
         Căn cứ Bộ luật Dân sự; Bộ luật Dân sự; Bộ luật Dân sự số 91/2015/QH13;\n\
         Điều 1. Bộ luật Dân sự, Bộ luật Dân sự, bộ luật dân sự được áp dụng."
    )
}

#[test]
fn a_document_asked_for_by_name_comes_first() {
    let (d1, d2) = (decree(21), decree(22));
    let e = in_ram_engine(
        &[
            ("decree-21", &d1),
            ("civil-code", CIVIL_CODE),
            ("decree-22", &d2),
            (
                "lawyers",
                "QUỐC HỘI\n\nLuật số: 65/2006/QH11\n\nHà Nội, ngày 29 tháng 6 năm 2006\n\nLUẬT\n\nLUẬT SƯ\n\n\
                 Căn cứ Bộ luật dân sự; luật sư, luật sư, dân sự.",
            ),
        ],
        false,
    );
    for q in [
        "Bộ luật Dân sự",
        "bo luat dan su",
        "Bộ luật dân sự 2015",
        "bo luat dan su 2015",
    ] {
        assert_eq!(ids(&search(&e, q))[0], "civil-code", "{q}");
    }
    // Type and number.
    assert_eq!(ids(&search(&e, "Nghị định 22/2020/NĐ-CP"))[0], "decree-22");
    // The start of a title.
    assert_eq!(
        ids(&search(&e, "nghị định quy định chi tiết thi hành"))[0],
        "decree-21"
    );
    // The extracted title carries the law's type.
    let doc = e.document("civil-code").unwrap();
    assert_eq!(doc.record.title.as_deref(), Some("Bộ luật Dân sự"));
}

#[test]
fn abbreviations_find_what_they_stand_for_and_typed_form_ranks_first() {
    let e = in_ram_engine(
        &[
            (
                "full",
                "Ủy ban nhân dân tỉnh ban hành kế hoạch cải cách hành chính.",
            ),
            ("abbr", "UBND tỉnh ban hành kế hoạch CCHC năm 2024."),
            ("none", "Sở Nội vụ ban hành kế hoạch."),
        ],
        false,
    );
    let r = search(&e, "UBND");
    assert_eq!(ids(&r), ["abbr", "full"]);
    assert!(
        r.expanded
            .iter()
            .any(|x| x.to.iter().any(|t| t == "ủy ban nhân dân")),
        "{r:?}"
    );
    let r = search(&e, "cải cách hành chính");
    assert_eq!(ids(&r), ["full", "abbr"]);
    assert!(!r.expanded.is_empty());
    let r = search(&e, "ủy ban nhân dân tỉnh");
    assert_eq!(ids(&r), ["full", "abbr"]);
    // No expansion: nothing said.
    assert!(search(&e, "kế hoạch").expanded.is_empty());
}

#[test]
fn unaccented_query_gets_the_corpus_spelling_as_suggestion() {
    let e = in_ram_engine(
        &[
            ("a", "Kế hoạch chuyển đổi số của tỉnh năm 2024"),
            ("b", "Chương trình chuyển đổi số quốc gia"),
            ("c", "Chuyên đội sơ cứu của xã"),
        ],
        false,
    );
    let r = search(&e, "chuyen doi so");
    assert_eq!(r.suggestion.as_deref(), Some("chuyển đổi số"));
    assert_eq!(
        ids(&r)[2],
        "c",
        "the likeliest spelling first: {:?}",
        ids(&r)
    );
    // Operators and numbers are kept as typed.
    let r = search(&e, "\"chuyen doi so\" 2024");
    assert_eq!(r.suggestion.as_deref(), Some("\"chuyển đổi số\" 2024"));
    // Typed with accents, or nothing to restore: no suggestion.
    assert!(search(&e, "chuyển đổi số").suggestion.is_none());
    assert!(search(&e, "2024").suggestion.is_none());
}

#[test]
fn unaccented_i_and_y_spellings_find_each_other() {
    // The accented view respells kĩ → kỹ, sĩ → sỹ (spec step 6); typed without
    // accents, either spelling finds them.
    let e = in_ram_engine(
        &[
            ("ky", "Hội thảo kỹ thuật nông nghiệp"),
            ("sy", "Luật Sĩ quan Quân đội nhân dân"),
            ("other", "Hội thảo nông nghiệp"),
        ],
        false,
    );
    for q in ["ky thuat", "ki thuat", "kĩ thuật", "kỹ thuật"] {
        assert_eq!(ids(&search(&e, q)), ["ky"], "{q}");
    }
    for q in ["si quan", "sy quan"] {
        assert_eq!(ids(&search(&e, q)), ["sy"], "{q}");
    }
}
