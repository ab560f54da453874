//! Text reuse on the documents the project started from (`../shared/seeds`):
//! 000 (Sở Công Thương Kiên Giang) and 001 (Hậu Giang) share whole sentences, and
//! 003 (Kiên Giang, later) reuses one of them. Skips when `../shared` is absent.
//!
//! Also, always: the same questions asked of an index through [`Reuse`] — which
//! documents are sources, which copies, by what rule, and how much of each is
//! reused — on documents written here.

mod common;
mod http_fixture;

use kehoach::index::{self, IngestOptions, NoProgress};
use kehoach::query::Engine;
use kehoach::reuse::{align, AlignOptions, Direction, Match, Reuse, Rule};
use std::sync::Arc;

const FIRST: &str = "sức mạnh tổng hợp, cổ vũ, động viên tập thể";
const SECOND: &str = "chủ động phát hiện, xây dựng, lựa chọn và biểu dương khen thưởng kịp thời";

fn seed(prefix: &str) -> Option<String> {
    let dir = common::shared_dir()?.join("seeds");
    let entry = std::fs::read_dir(&dir)
        .ok()?
        .filter_map(|e| e.ok())
        .find(|e| e.file_name().to_string_lossy().starts_with(prefix))?;
    let text = std::fs::read_to_string(entry.path()).ok()?;
    Some(kehoach::document::clean(&text))
}

/// The passage of `a` holding `phrase` (case-insensitive) in both texts.
fn holding<'m>(found: &'m [Match], a: &str, b: &str, phrase: &str) -> Option<&'m Match> {
    found.iter().find(|m| {
        a[m.a_start..m.a_end].to_lowercase().contains(phrase)
            && b[m.b_start..m.b_end].to_lowercase().contains(phrase)
    })
}

fn edited(m: &Match, this: &str, other: &str) -> bool {
    m.edits
        .iter()
        .any(|e| e.text.to_lowercase() == this && e.doc_text.to_lowercase() == other)
}

#[test]
fn seeds_000_and_001_share_two_passages_with_their_edits_and_003_reuses_the_first() {
    let (Some(s000), Some(s001), Some(s003)) = (seed("000_"), seed("001_"), seed("003_")) else {
        println!("SKIP: shared seeds not found");
        return;
    };
    let opts = AlignOptions::default();
    let found = align(&s001, &s000, &opts);
    let first = holding(&found, &s001, &s000, FIRST)
        .unwrap_or_else(|| panic!("no shared passage holding {FIRST:?}: {found:#?}"));
    assert!(edited(first, "huy động", "phát huy"), "{:#?}", first.edits);
    let second = holding(&found, &s001, &s000, SECOND)
        .unwrap_or_else(|| panic!("no shared passage holding {SECOND:?}: {found:#?}"));
    assert!(edited(second, ",", "và"), "{:#?}", second.edits);
    assert!(
        second.syllables >= 60 && second.similarity > 0.85,
        "{second:?}"
    );

    // The other way round, the edits are mirrored.
    let back = align(&s000, &s001, &opts);
    let first_back = holding(&back, &s000, &s001, FIRST).expect("mirrored passage");
    assert!(
        edited(first_back, "phát huy", "huy động"),
        "{:#?}",
        first_back.edits
    );

    for source in [&s000, &s001] {
        let found = align(&s003, source, &opts);
        assert!(
            holding(&found, &s003, source, FIRST).is_some(),
            "003 reuses the first passage: {found:#?}"
        );
    }
}

/// Three plans: a province's (2019), a department's copy of it with its numbers,
/// place and one word changed (2020), and an unrelated report; every document
/// carries the national motto, which is boilerplate. Returns the index folder.
fn three_plans() -> (tempfile::TempDir, std::path::PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let corpus = tmp.path().join("corpus");
    let body =
        "Huy động sức mạnh tổng hợp, cổ vũ, động viên tập thể và cá nhân khắc phục khó khăn, \
        nỗ lực phấn đấu hoàn thành tốt nhiệm vụ chính trị được giao năm 2019. Chủ động phát hiện, \
        xây dựng, lựa chọn và biểu dương khen thưởng kịp thời các tập thể, cá nhân có thành tích \
        tiêu biểu xuất sắc trong phong trào thi đua của tỉnh Kiên Giang.";
    let motto = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n";
    let copy = body
        .replace("Huy động", "Phát huy")
        .replace("2019", "2020")
        .replace("Kiên Giang", "Hậu Giang");
    let files = [
        ("tinh.txt", format!("{motto}Số: 10/KH-UBND\nKiên Giang, ngày 3 tháng 3 năm 2019\nKẾ HOẠCH\nThi đua năm 2019\n\n{body}")),
        ("so.txt", format!("{motto}Số: 25/KH-SCT\nHậu Giang, ngày 5 tháng 4 năm 2020\nKẾ HOẠCH\nThi đua của Sở\n\n{copy}\nCác phòng triển khai.")),
        ("bao-cao.txt", format!("{motto}Số: 7/BC-UBND\nCà Mau, ngày 1 tháng 6 năm 2021\nBÁO CÁO\nTình hình kinh tế\n\nSản lượng lúa tăng, giá cả ổn định, đời sống nhân dân được cải thiện rõ rệt trong quý.")),
    ];
    let refs: Vec<(&str, &[u8])> = files.iter().map(|(n, t)| (*n, t.as_bytes())).collect();
    common::write_files(&corpus, &refs);
    let dir = tmp.path().join("index");
    index::ingest(&dir, &[corpus], &IngestOptions::default(), &NoProgress).unwrap();
    (tmp, dir)
}

#[test]
fn an_index_knows_sources_copies_rules_and_shares() {
    let (_tmp, dir) = three_plans();
    let reuse = Reuse::new(Arc::new(Engine::open(&dir).unwrap()));

    let so = reuse.document("so.txt").unwrap();
    assert_eq!(so.sources.len(), 1, "{so:#?}");
    assert_eq!(so.sources[0].doc, "tinh.txt");
    assert_eq!(so.sources[0].rule, Rule::Date);
    assert!(so.copies.is_empty() && so.unknown.is_empty(), "{so:#?}");
    assert!(so.share > 0.5 && so.share < 1.0, "{}", so.share);
    let p = &so.passages[0];
    assert_eq!(p.direction, Direction::Source);
    let text = reuse_text(&dir, "so.txt");
    assert!(text[p.start..p.end].contains("sức mạnh tổng hợp"));
    assert!(
        p.edits
            .iter()
            .any(|e| e.text == "Phát huy" && e.doc_text == "Huy động"),
        "{:#?}",
        p.edits
    );
    assert!(
        p.edits
            .iter()
            .any(|e| e.text == "Hậu" && e.doc_text == "Kiên"),
        "{:#?}",
        p.edits
    );
    // The motto every document carries is not reuse.
    assert!(
        so.passages
            .iter()
            .all(|p| !text[p.start..p.end].contains("Độc lập")),
        "{so:#?}"
    );

    let tinh = reuse.document("tinh.txt").unwrap();
    assert_eq!(tinh.copies.len(), 1);
    assert_eq!(tinh.copies[0].doc, "so.txt");
    assert_eq!(tinh.share, 0.0, "a source reuses nothing");
    assert!(reuse.document("bao-cao.txt").unwrap().passages.is_empty());
    assert!(matches!(
        reuse.document("nope"),
        Err(kehoach::Error::NotFound(_))
    ));

    let pairs = reuse.pairs("", &Default::default(), 10).unwrap();
    assert_eq!(pairs.pairs.len(), 1, "{pairs:#?}");
    assert_eq!(
        (pairs.pairs[0].source.as_str(), pairs.pairs[0].copy.as_str()),
        ("tinh.txt", "so.txt")
    );
}

#[test]
fn http_and_the_command_line_answer_the_same() {
    let (_tmp, dir) = three_plans();
    let server = http_fixture::Server::start(&dir);
    let r = http_fixture::get(&server.base, "/api/documents/so.txt/reuse").json();
    assert_eq!(r["id"], "so.txt");
    assert_eq!(r["sources"][0]["doc"], "tinh.txt");
    assert_eq!(r["passages"][0]["direction"], "source");
    assert_eq!(r["passages"][0]["rule"], "date");
    assert_eq!(
        http_fixture::get(&server.base, "/api/reuse/so.txt").json(),
        r
    );
    // Reuse strengthens the related sets: the province's plan, similar to the
    // department's, comes first with the passages they share as evidence.
    let rel = http_fixture::get(&server.base, "/api/related/so.txt").json();
    let similar = rel["similar"].as_array().expect("similar documents");
    assert_eq!(similar[0]["document"]["id"], "tinh.txt", "{rel:#}");
    assert_eq!(similar[0]["shared_text"]["direction"], "source", "{rel:#}");
    assert_eq!(similar[0]["shared_text"]["passages"], 1, "{rel:#}");
    assert!(
        similar[0]["reason"]
            .as_str()
            .is_some_and(|r| r.contains("shares 1 passage")),
        "{rel:#}"
    );
    assert!(
        similar
            .iter()
            .filter(|i| i["document"]["id"] != "tinh.txt")
            .all(|i| i.get("shared_text").is_none()),
        "{rel:#}"
    );
    let csv = http_fixture::get(&server.base, "/api/reuse?q=thi%20%C4%91ua&format=csv");
    assert_eq!(csv.status, 200);
    assert!(
        csv.body.starts_with("source,copy,rule,passages"),
        "{}",
        csv.body
    );
    assert!(csv.body.contains("tinh.txt,so.txt,date,1,"), "{}", csv.body);
    assert_eq!(
        http_fixture::get(&server.base, "/api/reuse?limit=x").status,
        400
    );
    assert_eq!(
        http_fixture::get(&server.base, "/api/documents/nope/reuse").status,
        404
    );
    let out = common::kehoach()
        .args(["reuse", "--json", "--index"])
        .arg(&dir)
        .arg("so.txt")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let cli: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(cli, r);
    let out = common::kehoach()
        .args(["reuse", "--index"])
        .arg(&dir)
        .arg("nope")
        .output()
        .unwrap();
    assert!(!out.status.success());
}

fn reuse_text(dir: &std::path::Path, id: &str) -> String {
    Engine::open(dir).unwrap().document(id).unwrap().record.text
}
