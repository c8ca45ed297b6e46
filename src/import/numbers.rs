//! List labels as Word shows them: `一、`, `（二）`, `3.`, `1.2`, `①`, `甲` — for lists whose
//! numbering Markdown cannot write, which become text so readers see what the writer saw.

use super::styles::Level;

/// The label of an item at `level`, from the levels' patterns and the current counters.
pub fn label(levels: &[Level], counters: &[u32; 9], level: usize) -> String {
    let Some(pattern) = levels.get(level) else {
        return String::new();
    };
    let mut out = String::new();
    let mut chars = pattern.text.chars().peekable();
    while let Some(c) = chars.next() {
        let digit = chars.peek().and_then(|d| d.to_digit(10));
        match (c, digit) {
            ('%', Some(d @ 1..=9)) => {
                chars.next();
                let at = d as usize - 1;
                let format = levels.get(at).map_or("decimal", |l| l.format.as_str());
                out.push_str(&number(format, counters[at]));
            }
            _ => out.push(c),
        }
    }
    out
}

/// `n` written in Word's number format `format`.
pub fn number(format: &str, n: u32) -> String {
    match format {
        "decimalZero" => format!("{n:02}"),
        "upperLetter" => letters(n, b'A'),
        "lowerLetter" => letters(n, b'a'),
        "upperRoman" => roman(n),
        "lowerRoman" => roman(n).to_lowercase(),
        "chineseCounting"
        | "chineseCountingThousand"
        | "taiwaneseCounting"
        | "taiwaneseCountingThousand"
        | "ideographDigital"
        | "japaneseCounting" => chinese(n, false),
        "chineseLegalSimplified" | "ideographLegalTraditional" => chinese(n, true),
        "ideographTraditional" => cycle(n, "甲乙丙丁戊己庚辛壬癸"),
        "ideographZodiac" => cycle(n, "子丑寅卯辰巳午未申酉戌亥"),
        "decimalEnclosedCircle" | "decimalEnclosedCircleChinese" if (1..=20).contains(&n) => {
            char::from_u32(0x2460 + n - 1)
                .map(String::from)
                .unwrap_or_default()
        }
        "decimalFullWidth" | "decimalFullWidth2" => n
            .to_string()
            .chars()
            .filter_map(|d| char::from_u32(d as u32 - '0' as u32 + 0xFF10))
            .collect(),
        _ => n.to_string(),
    }
}

/// 1 → A, 27 → AA, as Word counts letters.
fn letters(n: u32, base: u8) -> String {
    let n = n.max(1);
    let letter = (base + ((n - 1) % 26) as u8) as char;
    letter.to_string().repeat(((n - 1) / 26 + 1) as usize)
}

fn roman(mut n: u32) -> String {
    const TABLE: [(u32, &str); 13] = [
        (1000, "M"),
        (900, "CM"),
        (500, "D"),
        (400, "CD"),
        (100, "C"),
        (90, "XC"),
        (50, "L"),
        (40, "XL"),
        (10, "X"),
        (9, "IX"),
        (5, "V"),
        (4, "IV"),
        (1, "I"),
    ];
    let mut out = String::new();
    for (value, digits) in TABLE {
        while n >= value {
            out.push_str(digits);
            n -= value;
        }
    }
    out
}

/// 一, 十, 十一, 二十三, 一百零五 (or 壹拾 in the legal form), up to 9999.
fn chinese(n: u32, legal: bool) -> String {
    let digits: Vec<char> = if legal {
        "零壹贰叁肆伍陆柒捌玖"
    } else {
        "零一二三四五六七八九"
    }
    .chars()
    .collect();
    let units: Vec<char> = if legal { "拾佰仟" } else { "十百千" }.chars().collect();
    if n == 0 || n > 9999 {
        return n.to_string();
    }
    let mut out = String::new();
    let mut zero = false;
    for (power, unit) in [
        (1000, Some(units[2])),
        (100, Some(units[1])),
        (10, Some(units[0])),
        (1, None),
    ] {
        let d = (n / power % 10) as usize;
        if d == 0 {
            zero = !out.is_empty();
            continue;
        }
        if zero {
            out.push(digits[0]);
            zero = false;
        }
        // 十一, not 一十一, when the number starts with ten (in the everyday form).
        if !(power == 10 && d == 1 && out.is_empty() && !legal) {
            out.push(digits[d]);
        }
        out.extend(unit);
    }
    out
}

fn cycle(n: u32, symbols: &str) -> String {
    let symbols: Vec<char> = symbols.chars().collect();
    let at = (n.max(1) as usize - 1) % symbols.len();
    symbols[at].to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn level(format: &str, text: &str) -> Level {
        Level {
            format: format.into(),
            text: text.into(),
            start: 1,
        }
    }

    #[test]
    fn chinese_numbers_read_as_written() {
        let cases = [
            (1, "一"),
            (10, "十"),
            (11, "十一"),
            (20, "二十"),
            (23, "二十三"),
            (105, "一百零五"),
            (1010, "一千零一十"),
        ];
        for (n, expected) in cases {
            assert_eq!(number("chineseCounting", n), expected, "{n}");
        }
        assert_eq!(number("chineseLegalSimplified", 12), "壹拾贰");
        assert_eq!(number("ideographTraditional", 3), "丙");
        assert_eq!(number("decimalEnclosedCircle", 2), "②");
        assert_eq!(number("upperLetter", 28), "BB");
        assert_eq!(number("lowerRoman", 14), "xiv");
        assert_eq!(number("decimalFullWidth", 12), "１２");
    }

    #[test]
    fn labels_follow_the_levels_patterns() {
        let levels = [
            level("chineseCounting", "%1、"),
            level("chineseCounting", "（%2）"),
            level("decimal", "%1.%3"),
        ];
        let counters = [2, 3, 4, 0, 0, 0, 0, 0, 0];
        assert_eq!(label(&levels, &counters, 0), "二、");
        assert_eq!(label(&levels, &counters, 1), "（三）");
        assert_eq!(label(&levels, &counters, 2), "二.4");
    }
}
