//! The syllables text reuse compares: each with its hash, whether it is a
//! number, and its byte span in the text; hashes of runs of them; and which lie
//! inside citations or lists of recipients. Shared by the aligner, the
//! boilerplate test and the corpus fingerprints, so that all three hash a text
//! alike.

use std::sync::LazyLock;

use regex::Regex;

use crate::index::syllables::scan;

/// A syllable of a text: its hash, whether it is a number, and its byte span.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Syl {
    pub hash: u64,
    pub number: bool,
    pub start: usize,
    pub end: usize,
}

impl Syl {
    /// Do two syllables match inside a run: the same syllable, or two numbers.
    ///
    /// A plan copied for another year, another province's quota or another
    /// document number differs from its source in its numbers only. Seeds are
    /// exact (numbers alone are no evidence of a copy), but a run grows over
    /// numbers that differ, and those are reported as edits.
    pub(crate) fn matches(&self, other: &Syl) -> bool {
        self.hash == other.hash || (self.number && other.number)
    }
}

/// Is this analysed syllable a number (`2025`, `1234,5`)?
fn is_number(s: &str) -> bool {
    s.starts_with(|c: char| c.is_ascii_digit())
}

/// The syllables of `text`, as the index analyses them.
pub(crate) fn syllables(text: &str) -> Vec<Syl> {
    let mut out = Vec::new();
    scan(text, &mut |s, start, end, _| {
        out.push(Syl {
            hash: hash_str(s),
            number: is_number(s),
            start,
            end,
        });
    });
    out
}

/// FNV-1a, then a final mix: a stable 64-bit hash of a syllable.
pub(crate) fn hash_str(s: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in s.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    mix(h)
}

/// splitmix64's finaliser.
pub(crate) fn mix(mut x: u64) -> u64 {
    x ^= x >> 30;
    x = x.wrapping_mul(0xbf58_476d_1ce4_e5b9);
    x ^= x >> 27;
    x = x.wrapping_mul(0x94d0_49bb_1331_11eb);
    x ^ (x >> 31)
}

/// The hash of the run of syllables `syl[i..i + k]`.
pub(crate) fn run_hash(syl: &[Syl], i: usize, k: usize) -> u64 {
    syl[i..i + k]
        .iter()
        .fold(0x9e37_79b9_7f4a_7c15_u64, |h, s| {
            mix(h ^ s.hash).rotate_left(7)
        })
}

/// For each syllable of `text`, whether it lies outside prose: inside a citation
/// (`Nghị định số 157/2020/NĐ-CP ngày 31 tháng 12 năm 2020 của Chính phủ`) or a
/// list of recipients (see [`recipient_lists`]). Neither is reuse when two texts share
/// it.
pub(crate) fn formula_syllables(text: &str, syl: &[Syl]) -> Vec<bool> {
    let mut out = vec![false; syl.len()];
    let cited = crate::document::extract_references(text)
        .into_iter()
        .map(|r| r.start..r.end);
    for r in cited.chain(recipient_lists(text)) {
        let from = syl.partition_point(|s| s.end <= r.start);
        let to = syl.partition_point(|s| s.start < r.end);
        for c in out.iter_mut().take(to).skip(from) {
            *c = true;
        }
    }
    out
}

/// The heading of a list of recipients, `Nơi nhận:`.
static RECIPIENTS: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)\bn[ơo]i\s+nh[ậa]n\s*:").expect("built-in regex"));
/// Its last item, `- Lưu: VT, KH.` (to the end of its line or table cell).
static ARCHIVED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?im)(?:^|[-–+•;|])[\s*_]*l[ưu]u\s*(?:[:.,;]|\s(?:vt|vp|hs|văn thư)\b)[^\n|]*")
        .expect("built-in regex")
});
/// The longest list of recipients looked for (bytes): a decree's runs to forty items.
const RECIPIENTS_MAX: usize = 3000;
/// Lines of a list of recipients that are not items: an item wrapped over two lines,
/// a signature block printed beside the list. Past this many, the `Lưu` item
/// looked for belongs to another list.
const RECIPIENTS_OTHER_LINES: usize = 6;

/// Byte ranges of the lists of recipients in `text`: the heading `Nơi nhận:` and
/// the items after it (`- Văn phòng Quốc hội;`, an item wrapped over lines
/// included) up to the `Lưu` item, or else as long as items follow one another.
///
/// Every official document ends with one, and two documents addressed to the same
/// bodies share it word for word (`- Văn phòng Chủ tịch nước; - Văn phòng Quốc
/// hội; …`), but the lists vary too much from one issuer to another for document
/// frequency alone to recognise them. Lines between the items that are not items
/// (a signature block printed beside the list) are not part of it.
pub fn recipient_lists(text: &str) -> Vec<std::ops::Range<usize>> {
    let mut out: Vec<std::ops::Range<usize>> = Vec::new();
    let mut from = 0;
    while let Some(head) = RECIPIENTS.find_at(text, from) {
        let end = archived_end(text, head.end()).unwrap_or_else(|| list_end(text, head.end()));
        // The previous line kept is an item that has not ended yet.
        let mut open = false;
        for (start, line) in lines_from(text, head.start()) {
            if start >= end {
                break;
            }
            let keep = start == head.start() || open || is_item(line);
            if keep {
                let range = start..(start + line.len()).min(end);
                match out.last_mut() {
                    Some(last) if last.end + 1 >= range.start => last.end = range.end,
                    _ => out.push(range),
                }
            }
            let tail =
                line.trim_end_matches(|c: char| c.is_whitespace() || matches!(c, '*' | '_' | '|'));
            open = keep && !tail.ends_with([';', '.', ':']);
        }
        from = end.max(head.end());
    }
    out
}

/// The lines from `at` (the rest of its own line first), with their byte offsets.
fn lines_from(text: &str, at: usize) -> impl Iterator<Item = (usize, &str)> {
    text[at..].split('\n').scan(at, |pos, line| {
        let start = *pos;
        *pos += line.len() + 1;
        Some((start, line))
    })
}

/// Is this line an item of a list (`- Như trên;`), markup aside?
fn is_item(line: &str) -> bool {
    line.trim_start_matches(|c: char| c.is_whitespace() || matches!(c, '*' | '_' | '|'))
        .starts_with(['-', '–', '+', '•'])
}

/// The end of the `Lưu` item of the list of recipients starting at `at`, if the
/// list has one.
fn archived_end(text: &str, at: usize) -> Option<usize> {
    let mut others = 0;
    for (start, line) in lines_from(text, at) {
        if start - at > RECIPIENTS_MAX {
            return None;
        }
        if let Some(m) = ARCHIVED.find(line) {
            return Some(start + m.end());
        }
        if !is_item(line) && !line.trim().is_empty() && start > at {
            others += 1;
            if others > RECIPIENTS_OTHER_LINES {
                return None;
            }
        }
    }
    None
}

/// The end of the list items on the lines after `at` (the rest of `at`'s own line
/// included): where the first line that is not an item begins.
fn list_end(text: &str, at: usize) -> usize {
    let mut end = at;
    for (n, (start, line)) in lines_from(text, at).enumerate() {
        if n > 0 && !is_item(line) {
            break;
        }
        end = start + line.len();
    }
    end
}

#[cfg(test)]
mod tests {
    use super::recipient_lists;

    fn lists(text: &str) -> Vec<&str> {
        recipient_lists(text)
            .into_iter()
            .map(|r| &text[r])
            .collect()
    }

    #[test]
    fn a_list_of_recipients_runs_from_its_heading_to_its_archive_item() {
        let text = "Quyết định này có hiệu lực kể từ ngày ký./.\n\
                    Nơi nhận:\n- Như Điều 3;\n- Văn phòng Chính phủ;\n- VPCP: BTCN,\n\
                    PCN Phạm Mạnh Cường;\n- Lưu: VT, KGVX (3).\n\
                    KT. CHỦ TỊCH\nPHÓ CHỦ TỊCH\nNguyễn Văn A\n";
        assert_eq!(
            lists(text),
            [
                "Nơi nhận:\n- Như Điều 3;\n- Văn phòng Chính phủ;\n- VPCP: BTCN,\n\
              PCN Phạm Mạnh Cường;\n- Lưu: VT, KGVX (3)."
            ]
        );
        // On one line, as a table cell, and without accents.
        let cell = "| Nơi nhận: - Như trên; - Bộ Tư pháp; - Lưu: VT. | TM. ỦY BAN NHÂN DÂN |";
        assert_eq!(
            lists(cell),
            ["Nơi nhận: - Như trên; - Bộ Tư pháp; - Lưu: VT. "]
        );
        assert_eq!(
            lists("Noi nhan:\n- Nhu tren;\n- Luu VT.\nGIAM DOC"),
            ["Noi nhan:\n- Nhu tren;\n- Luu VT."]
        );
    }

    #[test]
    fn lines_between_the_items_that_are_not_items_are_not_recipients() {
        // A signature block printed beside the list, and a paragraph that has no
        // place in it.
        let text = "*Nơi nhận:*\n- Như trên;\nKT. BỘ TRƯỞNG\n- Công báo;\n\
                    Tổ chức tuyên truyền sâu rộng đến cán bộ.\n- Lưu: VT.\nThứ trưởng";
        assert_eq!(
            lists(text),
            ["Nơi nhận:*\n- Như trên;", "- Công báo;", "- Lưu: VT."]
        );
    }

    #[test]
    fn without_an_archive_item_the_list_ends_with_its_items() {
        // A form: its list has no `Lưu` item, and the next form's is too far.
        let next = "Nội dung của mẫu tiếp theo.\n".repeat(10);
        let text = format!(
            "Nơi nhận:\n- Các tổ chức, cá nhân;\n- Sở Tài chính;\nGIÁM ĐỐC\n(Ký, ghi rõ họ tên)\n\
             {next}Nơi nhận:\n- Như trên;\n- Lưu: VP."
        );
        assert_eq!(
            lists(&text),
            [
                "Nơi nhận:\n- Các tổ chức, cá nhân;\n- Sở Tài chính;",
                "Nơi nhận:\n- Như trên;\n- Lưu: VP."
            ]
        );
        // Words that only look like the heading are not one.
        assert!(lists("ở nơi nhận hàng hóa, và lưu: kho").is_empty());
    }
}
