//! Places below the province (issue 19): the commune, ward or district that issued a
//! document, its level, and its province before and after 2025, from constructed
//! headers — a name shared by several provinces decided by the rest of the header or
//! left undecided with its candidates — and a property: arbitrary text never panics.
//! Real headers are checked in `document_gov_docs.rs` (`luongminh`, `tnt305`).

use kehoach::document::{Record, Understander};
use proptest::prelude::*;

/// A header in the layout of the real ones: issuer lines, number, motto, place and
/// date, type and title.
fn header(issuer: &[&str], place: &str, date: &str, body: &str) -> Record {
    let text = format!(
        "{}\n\nSố: 12/KH-UBND\n\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n\nĐộc lập - Tự do - Hạnh phúc\n\n{place}, ngày {date}\n\nKẾ HOẠCH\n\nThực hiện công tác bầu cử\n\n{body}\n",
        issuer.join("\n\n")
    );
    Understander::new().understand(&text)
}

#[test]
fn a_unique_commune_gives_its_province() {
    let r = header(
        &["ỦY BAN MTTQ VIỆT NAM", "XÃ LƯƠNG MINH", "BAN THƯỜNG TRỰC"],
        "Lương Minh",
        "25 tháng 11 năm 2025",
        "",
    );
    assert_eq!(r.commune.as_deref(), Some("xã Lương Minh"));
    assert_eq!(r.level.as_deref(), Some("xã"));
    assert_eq!(r.province.as_deref(), Some("Quảng Ninh"));
    assert_eq!(r.province_current.as_deref(), Some("Quảng Ninh"));
    assert!(r.unit_candidates.is_empty());
}

#[test]
fn an_ambiguous_commune_is_never_guessed() {
    // Seven communes are called Tân Tiến since July 2025.
    let r = header(
        &["ỦY BAN NHÂN DÂN", "XÃ TÂN TIẾN"],
        "Tân Tiến",
        "02 tháng 10 năm 2025",
        "Căn cứ Luật Tổ chức chính quyền địa phương;",
    );
    assert_eq!(r.commune.as_deref(), Some("xã Tân Tiến"));
    assert_eq!(r.level.as_deref(), Some("xã"));
    assert_eq!(r.province, None, "{:?}", r.unit_candidates);
    assert_eq!(r.province_current, None);
    assert_eq!(r.unit_candidates.len(), 7, "{:?}", r.unit_candidates);
    assert!(r
        .unit_candidates
        .contains(&"xã Tân Tiến (Đắk Lắk)".to_string()));
}

#[test]
fn the_rest_of_the_header_decides_an_ambiguous_commune() {
    // The party committee of the province above the commune's.
    let r = header(
        &["ĐẢNG BỘ TỈNH ĐẮK LẮK", "ĐẢNG ỦY XÃ TÂN TIẾN"],
        "Tân Tiến",
        "02 tháng 10 năm 2025",
        "",
    );
    assert_eq!(r.province.as_deref(), Some("Đắk Lắk"));
    assert_eq!(r.commune.as_deref(), Some("xã Tân Tiến"));
    assert!(r.unit_candidates.is_empty());
    // The province the text names.
    let r = header(
        &["ỦY BAN NHÂN DÂN", "XÃ TÂN TIẾN"],
        "Tân Tiến",
        "02 tháng 10 năm 2025",
        "Thực hiện Kế hoạch số 5/KH-UBND của UBND tỉnh Cà Mau; các xã trên địa bàn tỉnh Cà Mau.",
    );
    assert_eq!(r.province.as_deref(), Some("Cà Mau"));
    // A province the header names that has no commune of that name: the province
    // stands, the commune stays undecided.
    let r = header(
        &["ĐẢNG BỘ TỈNH KIÊN GIANG", "ĐẢNG ỦY XÃ LƯƠNG MINH"],
        "Lương Minh",
        "02 tháng 10 năm 2020",
        "",
    );
    assert_eq!(r.province.as_deref(), Some("Kiên Giang"));
    assert_eq!(r.unit_candidates.len(), 1, "{:?}", r.unit_candidates);
}

#[test]
fn older_units_resolve_through_the_merges() {
    // Thị trấn Thứ Ba, huyện An Biên, Kiên Giang; since 2025 xã An Biên, An Giang.
    let r = header(
        &["ỦY BAN NHÂN DÂN", "THỊ TRẤN THỨ BA"],
        "Thứ Ba",
        "12 tháng 3 năm 2019",
        "",
    );
    assert_eq!(r.commune.as_deref(), Some("thị trấn Thứ Ba"));
    assert_eq!(r.district.as_deref(), Some("huyện An Biên"));
    assert_eq!(r.province.as_deref(), Some("Kiên Giang"));
    assert_eq!(r.province_current.as_deref(), Some("An Giang"));
    assert_eq!(r.level.as_deref(), Some("xã"));
    // A district before the reform.
    let r = header(
        &["ỦY BAN NHÂN DÂN", "HUYỆN BA CHẼ"],
        "Ba Chẽ",
        "12 tháng 3 năm 2019",
        "",
    );
    assert_eq!(r.level.as_deref(), Some("huyện"));
    assert_eq!(r.district.as_deref(), Some("huyện Ba Chẽ"));
    assert_eq!(r.commune, None);
    assert_eq!(r.province.as_deref(), Some("Quảng Ninh"));
}

#[test]
fn national_bodies_get_no_province() {
    let r = header(
        &["BAN CHỈ ĐẠO QUỐC GIA", "VỀ CHUYỂN ĐỔI SỐ"],
        "Hà Nội",
        "10 tháng 9 năm 2025",
        "",
    );
    assert_eq!(r.province, None);
    assert_eq!(r.level.as_deref(), Some("trung ương"));
    let r = header(
        &["ỦY BAN NHÂN DÂN", "THÀNH PHỐ HÀ NỘI"],
        "Hà Nội",
        "10 tháng 9 năm 2025",
        "",
    );
    assert_eq!(r.province.as_deref(), Some("Hà Nội"));
    assert_eq!(r.level.as_deref(), Some("tỉnh"));
    // After the reform a `thành phố` is a province-level city, not a district.
    let r = header(
        &["ỦY BAN NHÂN DÂN", "THÀNH PHỐ HUẾ"],
        "Huế",
        "10 tháng 9 năm 2025",
        "",
    );
    assert_eq!(r.level.as_deref(), Some("tỉnh"));
    assert_eq!(r.district, None);
    assert_eq!(r.province.as_deref(), Some("Huế"));
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn resolution_never_panics(s in any::<String>()) {
        let _ = Understander::new().understand(&s);
    }

    #[test]
    fn unit_like_headers_never_panic(
        kind in "(XÃ|Xã|xa|PHƯỜNG|Phường|THỊ TRẤN|HUYỆN|QUẬN|THỊ XÃ|THÀNH PHỐ|ĐẶC KHU|TP\\.)",
        name in "[\\p{L}0-9 \\-.]{0,30}",
        place in "[\\p{L}0-9 ]{0,20}",
        year in 1990u16..2031,
    ) {
        let r = header(&["ỦY BAN NHÂN DÂN", &format!("{kind} {name}")], &place, &format!("1 tháng 1 năm {year}"), "");
        // Undecided names never come with a province they do not list.
        if !r.unit_candidates.is_empty() && r.province.is_some() {
            let p = r.province.clone().unwrap_or_default();
            prop_assert!(r.unit_candidates.iter().all(|c| c.contains(&p)) || r.unit_candidates.len() == 1);
        }
    }
}
