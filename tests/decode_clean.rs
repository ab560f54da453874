//! `clean`: web chrome removed by whole lines, content kept (seeds 001–003 and inline
//! fixtures).

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use kehoach::document::decode;
use kehoach::document::{clean, is_boilerplate_line};

/// `KEHOACH_SHARED`, else `CARGO_MANIFEST_DIR/../shared`; `None` (test skips) when absent.
fn shared_dir() -> Option<PathBuf> {
    let dir = std::env::var_os("KEHOACH_SHARED")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared"));
    dir.is_dir().then_some(dir)
}

/// The seed whose file name starts with `prefix`, decoded and cleaned; `None` = skip.
fn seed(prefix: &str) -> Option<(String, String)> {
    let Some(dir) = shared_dir() else {
        eprintln!("SKIP: shared material not found (set KEHOACH_SHARED)");
        return None;
    };
    let seeds = dir.join("seeds");
    let entry = std::fs::read_dir(&seeds).ok()?.flatten().find(|e| {
        e.file_name()
            .to_str()
            .is_some_and(|n| n.starts_with(prefix) && n.ends_with(".txt"))
    });
    let Some(entry) = entry else {
        eprintln!("SKIP: no seed {prefix}* in {}", seeds.display());
        return None;
    };
    let bytes = std::fs::read(entry.path()).ok()?;
    let raw = decode(&bytes, &entry.path()).expect("seed decodes");
    let cleaned = clean(&raw);
    Some((raw, cleaned))
}

/// Non-blank lines of `raw` (trimmed) that are missing from `cleaned`, in order.
fn removed_lines(raw: &str, cleaned: &str) -> Vec<String> {
    let mut have: HashMap<&str, usize> = HashMap::new();
    for l in cleaned.lines() {
        *have.entry(l.trim()).or_default() += 1;
    }
    let mut removed = Vec::new();
    for l in raw.lines().map(str::trim).filter(|l| !l.is_empty()) {
        match have.get_mut(l) {
            Some(n) if *n > 0 => *n -= 1,
            _ => removed.push(l.to_string()),
        }
    }
    removed
}

/// Every cleaned line is a line of the raw text (trailing spaces aside): nothing invented.
fn assert_only_removed(raw: &str, cleaned: &str) {
    let raw_lines: std::collections::HashSet<&str> = raw.lines().map(str::trim_end).collect();
    for l in cleaned.lines().filter(|l| !l.is_empty()) {
        assert!(raw_lines.contains(l), "line not in the original: {l:?}");
    }
}

#[test]
fn seed_002_counters_and_related_block_removed() {
    let Some((raw, cleaned)) = seed("002_") else {
        return;
    };
    assert_only_removed(&raw, &cleaned);
    assert_eq!(
        removed_lines(&raw, &cleaned),
        [
            "Chia sẻ :",
            "BÀI VIẾT CÙNG CHUYÊN MỤC",
            "Bài viết mới",
            "View Counter",
            "005154",
            "Views Today : 198",
            "Views This Month : 2234",
            "Views This Year : 10142",
            "Total views : 70682",
            "Language",
            "Skip to content",
        ]
    );
    assert!(cleaned.starts_with("PHÁT ĐỘNG PHONG TRÀO THI ĐUA YÊU NƯỚC GIAI ĐOẠN 2020 – 2025\n\nTiếp nối truyền thống thi đua yêu nước"));
    assert!(cleaned.contains("góp phần xây dựng tỉnh Bắc Kạn ngày một giàu đẹp và văn minh."));
    assert!(cleaned.ends_with("Mai Hùng (Sở Công Thương)"));
}

#[test]
fn seed_001_timestamp_and_marker_removed() {
    let Some((raw, cleaned)) = seed("001_") else {
        return;
    };
    assert_only_removed(&raw, &cleaned);
    assert_eq!(
        removed_lines(&raw, &cleaned),
        ["18/6/2019, 8:50 (GMT+7)", "Các tin khác"]
    );
    assert!(cleaned.starts_with("Thi đua đoàn kết, đổi mới, sáng tạo thực hiện hoàn thành"));
    assert!(cleaned.contains("\n\nĐó là khẩu hiệu của Kế hoạch phát động đợt thi đua"));
    assert!(cleaned.contains("đề xuất kiểm tra tình hình tổ chức triển khai đợt thi đua ở các cơ quan, đơn vị và địa phương./."));
    assert!(cleaned.ends_with("Tịnh Kỳ\n\n(Nguồn Kế hoạch số 1460/KH-UBND)"));
}

#[test]
fn seed_003_feedback_and_marker_removed() {
    let Some((raw, cleaned)) = seed("003_") else {
        return;
    };
    assert_only_removed(&raw, &cleaned);
    assert_eq!(removed_lines(&raw, &cleaned), ["Phản hồi", "Các tin khác"]);
    assert!(cleaned.starts_with("Kiên Giang: Thi đua thực hiện Nghị quyết Đảng bộ tỉnh\n"));
    assert!(cleaned.contains("Phong trào thi đua vừa được phát động cũng góp phần"));
    assert!(
        cleaned.ends_with("gắn với nhiệm vụ chính trị của từng cơ quan, đơn vị, địa phương../.")
    );
}

#[test]
fn seeds_000_and_004_lose_no_line() {
    for prefix in ["000_", "004_"] {
        let Some((raw, cleaned)) = seed(prefix) else {
            return;
        };
        assert_only_removed(&raw, &cleaned);
        assert_eq!(
            removed_lines(&raw, &cleaned),
            Vec::<String>::new(),
            "{prefix}"
        );
    }
}

const PAGE: &str = "Trang chủ > Tin tức > Thi đua khen thưởng\r\n\
Đăng nhập\r\n\
Kế hoạch chuyển đổi số năm 2024\r\n\
Thứ hai, 12/02/2024 08:30 (GMT+7)\r\n\
\r\n\
Ngày 10/02/2024, UBND tỉnh ban hành Kế hoạch số 25/KH-UBND về chuyển đổi số.\r\n\
\r\n\
\r\n\
\r\n\
\r\n\
Kế hoạch đặt mục tiêu 100% thủ tục hành chính được cung cấp trực tuyến toàn trình.   \r\n\
Lượt xem: 1.234\r\n\
Facebook  Twitter  Zalo\r\n\
In bài viết\r\n\
Tin liên quan\r\n\
Sở Nội vụ tổ chức hội nghị tổng kết\r\n\
Hội thi tìm hiểu pháp luật năm 2024 (12/02/2024)\r\n\
Copyright © 2024 Cổng thông tin điện tử tỉnh. All rights reserved.\r\n";

#[test]
fn inline_news_page() {
    assert_eq!(
        clean(PAGE),
        "Kế hoạch chuyển đổi số năm 2024\n\n\
         Ngày 10/02/2024, UBND tỉnh ban hành Kế hoạch số 25/KH-UBND về chuyển đổi số.\n\n\n\
         Kế hoạch đặt mục tiêu 100% thủ tục hành chính được cung cấp trực tuyến toàn trình."
    );
}

#[test]
fn content_that_resembles_chrome_is_kept() {
    let text = "Chia sẻ kinh nghiệm trong công tác thi đua khen thưởng giữa các đơn vị\n\
                Tổng cộng: 12.500\n\
                Hôm nay: 12\n\
                Trang chủ của Sở được nâng cấp trong năm 2024.\n\
                Bình luận của các chuyên gia về dự thảo được tổng hợp đầy đủ.\n\
                13/9/2019\n\
                - Sở Nội vụ;";
    assert_eq!(clean(text), text);
}

#[test]
fn related_marker_in_the_middle_drops_only_the_marker() {
    let para = "Phong trào thi đua hướng tới các cơ quan, đơn vị, địa phương; cán bộ, đảng viên, \
                công chức, viên chức trên địa bàn tỉnh trong suốt giai đoạn 2021 - 2025 với \
                nhiều hình thức phong phú, thiết thực và hiệu quả.";
    let text = format!("Mở đầu bài viết.\n\nTin liên quan\nMột tiêu đề ngắn\n\n{para}");
    assert_eq!(
        clean(&text),
        format!("Mở đầu bài viết.\n\nMột tiêu đề ngắn\n\n{para}")
    );
}

#[test]
fn counter_block_numbers_go_only_inside_the_block() {
    let text = "Nội dung chính của bài.\n\nThống kê truy cập\n12345\nHôm nay: 17\nTổng: 99.000\n\nHết.\n2024";
    assert_eq!(clean(text), "Nội dung chính của bài.\n\nHết.\n2024");
}

#[test]
fn boilerplate_predicate() {
    for l in [
        "View Counter",
        "Views Today : 198",
        "Lượt xem: 1.234",
        "  Chia sẻ :",
        "Phản hồi",
        "Các tin khác",
        "TIN LIÊN QUAN",
        "Bài viết mới",
        "Skip to content",
        "In bài viết",
        "Gửi email",
        "Facebook",
        "Twitter",
        "Zalo",
        "Đăng nhập",
        "Trang chủ",
        "Trang chủ > Tin tức > Hoạt động",
        "Copyright © 2020 Sở Công Thương",
        "Bản quyền thuộc về Sở Nội vụ",
        "18/6/2019, 8:50 (GMT+7)",
    ] {
        assert!(is_boilerplate_line(l), "{l:?}");
    }
    for l in [
        "Kế hoạch số 136/KH-UBND",
        "Tịnh Kỳ",
        "(Nguồn Kế hoạch số 1460/KH-UBND)",
        "Nơi nhận:",
        "GIÁM ĐỐC",
        "Số: 325 /KH-SCT",
        "Kiên Giang, ngày 08 tháng 10 năm 2019",
    ] {
        assert!(!is_boilerplate_line(l), "{l:?}");
    }
}
