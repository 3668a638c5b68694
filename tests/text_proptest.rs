//! Properties of the text stage (issue 7): no false repairs on clean text, every Mac Roman and
//! cp1252 mojibake of clean text repaired back exactly, and no panic on any bytes.
//!
//! Clean text T is drawn from ASCII, accented Latin words, arrows, CJK, emoji with and
//! without U+FE0F, and Cyrillic and Greek words, joined by spaces, newlines and typographic
//! punctuation (dashes, curly quotes, guillemets) glued to the words. For the cp1252 property, tokens whose UTF-8 contains a byte windows-1252
//! has no character for (0x81, 0x8D, 0x8F, 0x90, 0x9D; see `verdict::text::mojibake`) are
//! rejected by a named `prop_filter`, not silently mapped: such mojibake has lost bytes and
//! is not recoverable. `cp1252_holes_are_what_the_filter_drops` pins which tokens that is.

use proptest::prelude::*;
use verdict::limits::Limits;
use verdict::text::decode;
use verdict::text::mojibake::{Legacy, mojibake, repair};

/// Real words: accented letters sit where languages put them.
const WORDS: &[&str] = &[
    "café",
    "naïve",
    "façade",
    "Straße",
    "Größe",
    "Fußgänger",
    "über",
    "Zürich",
    "Müller",
    "Ærøskøbing",
    "Tromsø",
    "Ørsted",
    "Åland",
    "Ångström",
    "Œuvre",
    "cœur",
    "créée",
    "déjà",
    "où",
    "Ça",
    "être",
    "Québec",
    "Montréal",
    "Françoise",
    "crème",
    "brûlée",
    "Noël",
    "señor",
    "mañana",
    "pequeño",
    "jalapeño",
    "Málaga",
    "Bogotá",
    "Perú",
    "coração",
    "ação",
    "São",
    "Łódź",
    "Kraków",
    "Gdańsk",
    "Dvořák",
    "Škoda",
    "Žilina",
    "Čapek",
    "İstanbul",
    "şişli",
    "Ștefan",
    "Țară",
    "Þórr",
    "Ísland",
    "Göteborg",
    "Ñandú",
    "ÉTÉ",
    "NOËL",
    "ÇA",
    "AÑO",
    "ÜBER",
    "CRÈME",
    "BRÛLÉE",
    "ÎLE",
    "Ôte",
    "Ève",
    "Élysée",
    "Ÿvonne",
    "naïveté",
    "résumé",
    "smörgåsbord",
    "fiancée",
    "Århus",
    "Málaga",
    "Señora",
    "Ålesund",
    "Øl",
    "Èze",
    "Ìsola",
];

fn ascii() -> impl Strategy<Value = String> {
    "[ -~]{0,12}"
}

fn accented_lower() -> impl Strategy<Value = char> {
    let letters: Vec<char> = (0xDFu32..=0x17F)
        .filter_map(char::from_u32)
        .filter(|c| c.is_lowercase())
        .collect();
    proptest::sample::select(letters)
}

fn accented_upper() -> impl Strategy<Value = char> {
    let letters: Vec<char> = (0xC0u32..=0xDE)
        .filter_map(char::from_u32)
        .filter(|c| c.is_uppercase())
        .collect();
    proptest::sample::select(letters)
}

/// Synthetic words: every accented letter between ASCII letters, or a capital in front.
fn synthetic_word() -> impl Strategy<Value = String> {
    (
        proptest::option::of(accented_upper()),
        "[a-z]{1,3}",
        proptest::collection::vec((accented_lower(), "[a-z]{1,3}"), 1..4),
    )
        .prop_map(|(cap, head, rest)| {
            let mut w: String = cap.into_iter().collect();
            w.push_str(&head);
            for (c, tail) in rest {
                w.push(c);
                w.push_str(&tail);
            }
            w
        })
}

fn accented_latin() -> impl Strategy<Value = String> {
    prop_oneof![
        proptest::sample::select(WORDS).prop_map(String::from),
        synthetic_word()
    ]
}

fn arrows() -> impl Strategy<Value = String> {
    proptest::collection::vec(
        (0x2190u32..=0x21FF).prop_filter_map("arrow", char::from_u32),
        1..3,
    )
    .prop_map(|v| v.into_iter().collect())
}

/// CJK words of `min..6` characters (ideographs and hiragana).
fn cjk_words(min: usize) -> impl Strategy<Value = String> {
    proptest::collection::vec(
        prop_oneof![
            (0x4E00u32..=0x9FFF).prop_filter_map("CJK ideograph", char::from_u32),
            (0x3041u32..=0x3096).prop_filter_map("hiragana", char::from_u32),
        ],
        min..6,
    )
    .prop_map(|v| v.into_iter().collect())
}

/// Legitimate Cyrillic and Greek words (two letters or more; see the weak rule in
/// `verdict::text::mojibake`).
fn cyrillic_greek() -> impl Strategy<Value = String> {
    proptest::sample::select(vec![
        "Привет",
        "мир",
        "отчёт",
        "узлы",
        "проверка",
        "Київ",
        "Україна",
        "Ελληνικά",
        "κόμβος",
        "αλφα",
        "Ωμέγα",
        "μs",
    ])
    .prop_map(String::from)
}

fn emoji() -> impl Strategy<Value = String> {
    let base = prop_oneof![
        (0x1F300u32..=0x1F64F).prop_filter_map("pictograph", char::from_u32),
        (0x1F680u32..=0x1F6C5).prop_filter_map("transport", char::from_u32),
        (0x1F7E0u32..=0x1F7EB).prop_filter_map("coloured shape", char::from_u32),
        (0x1F90Cu32..=0x1F9FF).prop_filter_map("supplemental", char::from_u32),
        proptest::sample::select(vec!['✅', '❌', '⚠', '✔', '☀', '⏳', '❗', '⭐']),
    ];
    (base, any::<bool>()).prop_map(|(c, vs)| {
        let mut s = c.to_string();
        if vs {
            s.push('\u{FE0F}');
        }
        s
    })
}

fn token() -> impl Strategy<Value = String> {
    prop_oneof![
        ascii(),
        accented_latin(),
        arrows(),
        cjk_words(1),
        emoji(),
        cyrillic_greek()
    ]
}

/// For cp1252, lone CJK characters are left out by construction: one whose mojibake contains
/// punctuation (`日` = `æ—¥`) is weak and only repaired next to another repair.
fn cp1252_token() -> impl Strategy<Value = String> {
    prop_oneof![
        ascii(),
        accented_latin(),
        arrows(),
        cjk_words(2),
        emoji(),
        cyrillic_greek()
    ]
}

/// Separators, including typographic punctuation glued to words as real text does (symbols
/// such as `°` are not glued between two words: `Bogotá°Škoda` is the accepted ambiguity in
/// the `mojibake` module docs, not text).
fn separator() -> impl Strategy<Value = &'static str> {
    proptest::sample::select(vec![
        " ", "", "\n", ", ", " | ", ": ", "—", "–", " — ", "“", "”", "‘", "’", "«", "»", "… ", "·",
        " ¿", " ¡", "° ", " ± ", " × ",
    ])
}

fn clean_text_from(part: BoxedStrategy<String>) -> impl Strategy<Value = String> {
    proptest::collection::vec(part, 0..24).prop_map(|parts| parts.concat())
}

/// A token and the separator after it.
fn part() -> impl Strategy<Value = String> {
    (token(), separator()).prop_map(|(t, sep)| t + sep)
}

fn clean_text() -> impl Strategy<Value = String> {
    clean_text_from(part().boxed())
}

const CP1252_HOLES: [u8; 5] = [0x81, 0x8D, 0x8F, 0x90, 0x9D];

fn cp1252_carriable(t: &str) -> bool {
    !t.bytes().any(|b| CP1252_HOLES.contains(&b))
}

/// Parts windows-1252 can carry: the rest are rejected, by name.
fn cp1252_text() -> impl Strategy<Value = String> {
    clean_text_from(
        (cp1252_token(), separator())
            .prop_map(|(t, sep)| t + sep)
            .prop_filter(
                "UTF-8 holds a byte cp1252 has no character for (0x81 0x8D 0x8F 0x90 0x9D)",
                |t| cp1252_carriable(t),
            )
            .boxed(),
    )
}

fn non_ascii_chars(s: &str) -> usize {
    s.chars().filter(|c| !c.is_ascii()).count()
}

proptest! {
    // The cp1252 filter rejects many tokens by design (every emoji with U+FE0F), so local
    // rejects are allowed far beyond the default.
    #![proptest_config(ProptestConfig {
        cases: 512,
        max_local_rejects: 1 << 24,
        ..ProptestConfig::default()
    })]

    #[test]
    fn clean_text_is_never_repaired(t in clean_text()) {
        let r = repair(&t);
        prop_assert_eq!(&r.text, &t);
        prop_assert_eq!(r.repairs, 0);
    }

    #[test]
    fn mac_roman_mojibake_is_repaired_exactly(t in clean_text()) {
        let m = mojibake(&t, Legacy::MacRoman).expect("Mac Roman assigns every byte");
        let r = repair(&m);
        prop_assert_eq!(&r.text, &t);
        prop_assert_eq!(r.repairs, non_ascii_chars(&t));
    }

    #[test]
    fn cp1252_mojibake_is_repaired_exactly(t in cp1252_text()) {
        let m = mojibake(&t, Legacy::Windows1252).expect("filtered to carriable tokens");
        let r = repair(&m);
        prop_assert_eq!(&r.text, &t);
        prop_assert_eq!(r.repairs, non_ascii_chars(&t));
    }

    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..512)) {
        if let Ok(t) = decode(&bytes, &Limits::default()) {
            prop_assert!(!t.canonical.contains('\r'));
            prop_assert_eq!(t.canonical.lines().count(), t.repaired.lines().count());
        }
    }

    /// Strings made of the legacy tables' characters (what mojibake is made of) plus ASCII:
    /// no panic, the ASCII is untouched and in place, lines are kept.
    #[test]
    fn mojibake_soup_keeps_ascii_and_lines(
        s in proptest::collection::vec(
            prop_oneof![
                (0x80u8..=0xFF).prop_map(mac),
                (0x80u8..=0xFF).prop_map(win),
                proptest::sample::select(vec!['a', '\n', ' ', '|', '✅', '日']),
            ],
            0..64,
        ).prop_map(|v| v.into_iter().collect::<String>())
    ) {
        let t = decode(s.as_bytes(), &Limits::default()).expect("valid UTF-8 under the limit");
        let ascii = |x: &str| x.chars().filter(char::is_ascii).collect::<String>();
        prop_assert_eq!(ascii(&t.repaired), ascii(&t.canonical));
        prop_assert_eq!(t.repaired.split('\n').count(), t.canonical.split('\n').count());
        prop_assert!(t.repairs <= non_ascii_chars(&t.canonical));
    }
}

fn mac(b: u8) -> char {
    decode_one(Legacy::MacRoman, b)
}

fn win(b: u8) -> char {
    decode_one(Legacy::Windows1252, b)
}

fn decode_one(legacy: Legacy, b: u8) -> char {
    let byte = [b];
    let (s, _) = legacy.encoding().decode_without_bom_handling(&byte);
    s.chars().next().unwrap_or('?')
}

#[test]
fn cp1252_holes_are_what_the_filter_drops() {
    for t in ["Á", "Í", "Ï", "Ð", "Ý", "⚠\u{FE0F}", "😁", "”"] {
        assert!(!cp1252_carriable(t), "{t}");
        assert_eq!(mojibake(t, Legacy::Windows1252), None, "{t}");
        assert!(mojibake(t, Legacy::MacRoman).is_some(), "{t}");
    }
    for t in ["é", "✅", "🟡", "→", "日本", "Œuvre"] {
        assert!(cp1252_carriable(t), "{t}");
        assert!(mojibake(t, Legacy::Windows1252).is_some(), "{t}");
    }
    // The bytes are exactly the ones windows-1252 leaves unassigned: encoding_rs (WHATWG)
    // decodes them to the C1 control with the same number and every other high byte to a
    // printable character.
    for b in 0x80u8..=0x9F {
        let c = win(b) as u32;
        assert_eq!(c == u32::from(b), CP1252_HOLES.contains(&b), "{b:#x}");
    }
}
