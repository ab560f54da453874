//! Numbers: canonical form of digit groups, and Roman numerals.
//!
//! A number token is ASCII digits joined by `.` or `,` *between digits*
//! (`1.234.567`, `12,5`, `4.0`); a separator not followed by a digit ends it.
//! Vietnamese writes `.` for thousands and `,` for decimals, so:
//! - in the integer part (before the first `,`), dots are thousand separators when
//!   every group after the first has exactly three digits and the first group is a
//!   non-zero number of at most three digits: `1.234.567` → `1234567`;
//!   otherwise the token is kept as written (`4.0`, `13.9.2019`);
//! - leading zeros of the integer part are stripped (`09` → `9`, `00,5` → `0,5`);
//! - the rest (from the first `,`) is kept verbatim (`12,5`, `1.234,5` → `1234,5`).

/// Writes the canonical form of a number token (ASCII digits, `.` and `,`) to `out`.
pub(crate) fn canonical_number(raw: &str, out: &mut String) {
    let (int, rest) = match raw.find(',') {
        Some(i) => raw.split_at(i),
        None => (raw, ""),
    };
    let mut groups = int.split('.');
    let first = groups.next().unwrap_or("");
    let first_stripped = first.trim_start_matches('0');
    let thousands = int.contains('.')
        && !first_stripped.is_empty()
        && first_stripped.len() <= 3
        && groups.clone().all(|g| g.len() == 3);
    let start = out.len();
    if thousands {
        out.push_str(first_stripped);
        for g in groups {
            out.push_str(g);
        }
    } else {
        if first_stripped.is_empty() {
            out.push('0');
        } else {
            out.push_str(first_stripped);
        }
        if let Some(dot) = int.find('.') {
            out.push_str(&int[dot..]);
        }
    }
    if out.len() == start {
        out.push('0');
    }
    out.push_str(rest);
}

/// Value of an uppercase Roman numeral made of I, V and X (1–39), as written in
/// "khóa XIII", "quý IV", "Chương XII". L, C, D, M are left out on purpose: "Mục C",
/// "Phần D" are letters, not 100 and 500.
pub(crate) fn roman_value(s: &str) -> Option<u32> {
    if s.is_empty() || s.len() > 6 || !s.bytes().all(|b| matches!(b, b'I' | b'V' | b'X')) {
        return None;
    }
    let digit = |b: u8| match b {
        b'I' => 1,
        b'V' => 5,
        _ => 10,
    };
    let bytes = s.as_bytes();
    let mut total = 0i32;
    for (i, &b) in bytes.iter().enumerate() {
        let v = digit(b);
        match bytes.get(i + 1) {
            Some(&next) if digit(next) > v => total -= v,
            _ => total += v,
        }
    }
    // Accept only the canonical spelling of the value (rejects IIII, VV, IXI…).
    let total = u32::try_from(total).ok()?;
    (to_roman(total).as_deref() == Some(s)).then_some(total)
}

fn to_roman(mut n: u32) -> Option<String> {
    if n == 0 || n > 39 {
        return None;
    }
    let mut s = String::new();
    for (v, r) in [(10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")] {
        while n >= v {
            s.push_str(r);
            n -= v;
        }
    }
    Some(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn canon(s: &str) -> String {
        let mut out = String::new();
        canonical_number(s, &mut out);
        out
    }

    #[test]
    fn numbers() {
        for (i, w) in [
            ("09", "9"),
            ("0", "0"),
            ("000", "0"),
            ("1.234.567", "1234567"),
            ("12,5", "12,5"),
            ("4.0", "4.0"),
            ("1.234,5", "1234,5"),
            ("0.123", "0.123"),
            ("012.345", "12345"),
            ("13.9.2019", "13.9.2019"),
            ("00,5", "0,5"),
            ("1,234.5", "1,234.5"),
        ] {
            assert_eq!(canon(i), w, "{i}");
            assert_eq!(canon(w), w, "idempotent {w}");
        }
    }

    #[test]
    fn romans() {
        assert_eq!(roman_value("XIII"), Some(13));
        assert_eq!(roman_value("IV"), Some(4));
        assert_eq!(roman_value("XXXIX"), Some(39));
        assert_eq!(roman_value("VI"), Some(6));
        assert_eq!(roman_value("IIII"), None);
        assert_eq!(roman_value("xiii"), None);
        assert_eq!(roman_value("C"), None);
    }
}
