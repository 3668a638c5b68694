//! Word-level scanning for the facts the report model places directly (node totals,
//! honest/faulty counts, `f=N`, phase ratios, percentages). These are phrase patterns over
//! a few tokens, not a grammar: the general claims grammar lives in [`super::claims`].

use crate::report::model::Str;

/// Most hits one call returns (one cell or line), matching the claims grammar's cap: a
/// pathological line cannot flood the model.
pub const MAX_HITS: usize = 4096;

/// A token: a run of letters, digits and `. / - % = +`, trailing `.`, `-` trimmed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Tok<'a> {
    pub s: &'a str,
    pub start: usize,
    pub end: usize,
    /// `s` holds an ASCII digit. Every phrase below is anchored on such a token (the number
    /// it states), so the scanners step only through these instead of testing every word.
    pub digit: bool,
}

/// The tokens holding a digit, with their indices: where a phrase can be anchored.
pub fn anchors<'t, 'a>(toks: &'t [Tok<'a>]) -> impl Iterator<Item = (usize, &'t Tok<'a>)> {
    toks.iter().enumerate().filter(|(_, t)| t.digit)
}

fn tok_char(c: char) -> bool {
    c.is_alphanumeric() || matches!(c, '.' | '/' | '-' | '%' | '=' | '+')
}

/// [`tok_char`] for an ASCII byte.
const fn tok_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'.' | b'/' | b'-' | b'%' | b'=' | b'+')
}

/// [`tok_byte`] of every byte value, read from a table in the tokeniser's loops.
static TOK_BYTE: [bool; 256] = {
    let mut table = [false; 256];
    let mut b = 0;
    while b < 256 {
        table[b] = tok_byte(b as u8);
        b += 1;
    }
    table
};

/// Tokens of `s`, in order; byte ranges are within `s`.
pub fn tokens(s: &str) -> Vec<Tok<'_>> {
    // Tokens are separated by at least one byte: sized once for the usual word length
    // instead of regrown several times per line.
    let mut out = Vec::with_capacity(s.len() / 6 + 1);
    tokens_into(s, &mut out);
    out
}

/// [`tokens`] appended to `out`, for callers that reuse one buffer.
pub fn tokens_into<'a>(s: &'a str, out: &mut Vec<Tok<'a>>) {
    let bytes = s.as_bytes();
    let mut i = 0;
    // From each token's start to its end with the class stepper the word scanners use:
    // ASCII bytes are classified directly, only other characters are decoded.
    while i < bytes.len() {
        let st = next_in_class(s, i, true, |b| TOK_BYTE[usize::from(b)], tok_char);
        i = next_in_class(s, st, false, |b| TOK_BYTE[usize::from(b)], tok_char);
        // Trailing and leading `.`, `-`, `/` are not part of the token (ASCII, so trimmed
        // per byte).
        let edge = |b: &u8| matches!(b, b'.' | b'-' | b'/');
        let raw = &bytes[st..i];
        let lead = raw.iter().take_while(|b| edge(b)).count();
        let trail = raw[lead..].iter().rev().take_while(|b| edge(b)).count();
        let (from, to) = (st + lead, i - trail);
        if from < to {
            out.push(Tok {
                s: &s[from..to],
                start: from,
                end: to,
                digit: bytes[from..to].iter().any(u8::is_ascii_digit),
            });
        }
    }
}

/// `needle` (ASCII, lower case) occurs in `s`, ignoring ASCII case; no allocation.
pub fn contains_ci(s: &str, needle: &str) -> bool {
    let n = needle.as_bytes();
    !n.is_empty()
        && s.as_bytes()
            .windows(n.len())
            .any(|w| w.eq_ignore_ascii_case(n))
}

/// The words that make a phrase scanner worth running on a piece of text: each scanner
/// needs one of them, and most text holds none.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Triggers {
    /// `node`, `validator`, `replica` (node totals).
    pub nodes: bool,
    pub honest: bool,
    /// `malicious`, `faulty`, `compromised`.
    pub faulty: bool,
    pub phase: bool,
    pub quorum: bool,
    pub success_rate: bool,
    pub confidence: bool,
    /// An `=` (`f=2`, `2f+1 = 5`).
    pub equals: bool,
}

/// Which trigger words occur in `s` (ASCII case-insensitive, anywhere, as substrings), in
/// one pass: each word is compared only where a byte could start it, so the text is read
/// once instead of once per word.
pub fn triggers(s: &str) -> Triggers {
    let b = s.as_bytes();
    let mut t = Triggers::default();
    let at = |i: usize, w: &str| {
        b.get(i..i + w.len())
            .is_some_and(|x| x.eq_ignore_ascii_case(w.as_bytes()))
    };
    for (i, pair) in b.windows(2).enumerate() {
        // Almost no position starts a trigger's first two letters: one table lookup
        // rejects them without the branchy per-letter dispatch below.
        if !may_start_trigger(pair[0], pair[1]) {
            continue;
        }
        match pair[0].to_ascii_lowercase() {
            b'n' => t.nodes |= at(i, "node"),
            b'v' => t.nodes |= at(i, "validator"),
            b'r' => t.nodes |= at(i, "replica"),
            b'h' => t.honest |= at(i, "honest"),
            b'm' => t.faulty |= at(i, "malicious"),
            b'f' => t.faulty |= at(i, "faulty"),
            b'c' => {
                t.faulty |= at(i, "compromised");
                t.confidence |= at(i, "confidence");
            }
            b'p' => t.phase |= at(i, "phase"),
            b'q' => t.quorum |= at(i, "quorum"),
            b's' => t.success_rate |= at(i, "success rate"),
            b'=' => t.equals = true,
            _ => {}
        }
    }
    // The last byte starts no pair.
    t.equals |= b.last() == Some(&b'=');
    t
}

/// The first two letters of every trigger word, lower case.
const TRIGGER_BIGRAMS: [&[u8; 2]; 10] = [
    b"no", b"va", b"re", b"ho", b"ma", b"fa", b"co", b"ph", b"qu", b"su",
];

/// One bit per byte pair `(a | 0x20, b | 0x20)`: set for [`TRIGGER_BIGRAMS`] and for `=`
/// before any byte. `| 0x20` lower-cases ASCII letters and never turns any other byte into
/// a letter, so a trigger's start always hits its bit and other pairs only rarely do (one
/// control byte, 0x1D, lands on `=`; the byte test after the table turns it away).
static BIGRAM_BITS: [u64; 1024] = {
    let mut bits = [0u64; 1024];
    let mut k = 0;
    while k < TRIGGER_BIGRAMS.len() {
        let [a, b] = *TRIGGER_BIGRAMS[k];
        let ix = (a as usize) << 8 | b as usize;
        bits[ix >> 6] |= 1 << (ix & 63);
        k += 1;
    }
    // `=` then any byte: the four words from `=` << 8.
    let mut w = 0;
    while w < 4 {
        bits[((b'=' as usize) << 2) + w] = !0;
        w += 1;
    }
    bits
};

fn may_start_trigger(a: u8, b: u8) -> bool {
    let ix = ((a | 0x20) as usize) << 8 | (b | 0x20) as usize;
    BIGRAM_BITS[ix >> 6] >> (ix & 63) & 1 == 1
}

/// The first offset at or after `from` (a char boundary) whose character is in the class
/// (`want` true) or out of it (`want` false), or `s.len()`. ASCII bytes are classified by
/// `of_byte` without decoding; other characters are decoded and classified by `of_char`. The word
/// scanners of the claims grammar and of status marks step through text with it, each with
/// its own class.
pub(crate) fn next_in_class(
    s: &str,
    from: usize,
    want: bool,
    of_byte: impl Fn(u8) -> bool,
    of_char: impl Fn(char) -> bool,
) -> usize {
    let b = s.as_bytes();
    let mut i = from;
    loop {
        // A run of ASCII bytes in one tight loop (the common case), then one other character.
        while b
            .get(i)
            .is_some_and(|&c| c.is_ascii() && of_byte(c) != want)
        {
            i += 1;
        }
        match b.get(i) {
            None => return b.len(),
            Some(c) if c.is_ascii() => return i,
            Some(_) => match s[i..].chars().next() {
                Some(ch) if of_char(ch) == want => return i,
                Some(ch) => i += ch.len_utf8(),
                None => return b.len(),
            },
        }
    }
}

/// `s` without `prefix` (ASCII), ignoring ASCII case; no allocation.
pub(crate) fn strip_prefix_ci<'a>(s: &'a str, prefix: &str) -> Option<&'a str> {
    let head = s.get(..prefix.len())?;
    head.eq_ignore_ascii_case(prefix)
        .then(|| &s[prefix.len()..])
}

/// `s` without `suffix` (ASCII), ignoring ASCII case; no allocation.
pub(crate) fn strip_suffix_ci<'a>(s: &'a str, suffix: &str) -> Option<&'a str> {
    let cut = s.len().checked_sub(suffix.len())?;
    let (head, tail) = (s.get(..cut)?, s.get(cut..)?);
    tail.eq_ignore_ascii_case(suffix).then_some(head)
}

/// A non-negative integer token (`1,234` is not one token, so only plain digits).
pub fn int(t: &str) -> Option<u64> {
    if t.is_empty() || !t.bytes().all(|b| b.is_ascii_digit()) || t.len() > 18 {
        return None;
    }
    t.parse().ok()
}

/// `s.split_once(c)` for an ASCII `c`, found by a plain byte loop: tokens are a few bytes,
/// shorter than it takes `str::split_once` to set up its search.
fn split_once_byte(s: &str, c: u8) -> Option<(&str, &str)> {
    let k = s.bytes().position(|b| b == c)?;
    Some((&s[..k], &s[k + 1..]))
}

/// `k/m` with both integers.
pub fn ratio(t: &str) -> Option<(u64, u64)> {
    let (a, b) = split_once_byte(t, b'/')?;
    Some((int(a)?, int(b)?))
}

/// `94.1%` → 94.1.
pub fn percent(t: &str) -> Option<f64> {
    let n = t.strip_suffix('%')?;
    if n.is_empty() || !n.bytes().all(|b| b.is_ascii_digit() || b == b'.') {
        return None;
    }
    n.parse().ok().filter(|v: &f64| v.is_finite())
}

/// A plain decimal (`0.75`).
pub fn decimal(t: &str) -> Option<f64> {
    if t.is_empty() || !t.bytes().all(|b| b.is_ascii_digit() || b == b'.') {
        return None;
    }
    t.parse().ok().filter(|v: &f64| v.is_finite())
}

fn lower_is(t: &Tok<'_>, words: &[&str]) -> bool {
    words.iter().any(|w| t.s.eq_ignore_ascii_case(w))
}

const NODE_WORDS: &[&str] = &[
    "node",
    "nodes",
    "validator",
    "validators",
    "replica",
    "replicas",
];

/// Words before a count that make it a bound, not an observation (`up to 2 malicious`,
/// `requires 2f+1 = 5 honest`).
const BOUND_WORDS: &[&str] = &[
    "up",
    "tolerate",
    "tolerates",
    "tolerating",
    "require",
    "requires",
    "required",
    "need",
    "needs",
    "minimum",
    "maximum",
    "max",
    "min",
    "least",
    "most",
    "=",
    "≥",
    ">=",
];

/// A fact found by a pattern: value and the byte range of the phrase within the scanned string.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Hit<T> {
    pub value: T,
    pub start: usize,
    pub end: usize,
}

/// Node totals: `7-node`, `with 7 nodes`, `out of 4 nodes`, `5/7 nodes`.
pub fn node_totals(s: &str) -> Vec<Hit<u64>> {
    node_totals_in(&tokens(s))
}

/// [`node_totals`] over tokens already computed.
pub fn node_totals_in(toks: &[Tok<'_>]) -> Vec<Hit<u64>> {
    let mut out: Vec<Hit<u64>> = Vec::new();
    for (i, t) in anchors(toks) {
        if out.len() >= MAX_HITS {
            break;
        }
        let next_is_node = || toks.get(i + 1).is_some_and(|n| lower_is(n, NODE_WORDS));
        if let Some(n) = strip_suffix_ci(t.s, "-nodes")
            .or_else(|| strip_suffix_ci(t.s, "-node"))
            .and_then(int)
        {
            out.push(Hit {
                value: n,
                start: t.start,
                end: t.end,
            });
        } else if let Some((_, m)) = ratio(t.s).filter(|_| next_is_node()) {
            out.push(Hit {
                value: m,
                start: t.start,
                end: toks[i + 1].end,
            });
        } else if let Some(n) = int(t.s).filter(|_| next_is_node()) {
            let prev = i.checked_sub(1).and_then(|p| toks.get(p));
            let before = prev.filter(|p| lower_is(p, &["with", "across", "of", "among", "total"]));
            if let Some(p) = before {
                let start = match i.checked_sub(2).and_then(|q| toks.get(q)) {
                    Some(q) if lower_is(p, &["of"]) && lower_is(q, &["out"]) => q.start,
                    _ => p.start,
                };
                out.push(Hit {
                    value: n,
                    start,
                    end: toks[i + 1].end,
                });
            }
        }
    }
    out
}

fn bounded(toks: &[Tok<'_>], s: &str, i: usize) -> bool {
    let from = i.saturating_sub(2);
    toks[from..i].iter().any(|p| lower_is(p, BOUND_WORDS)) || {
        let prev_end = i.checked_sub(1).map_or(0, |p| toks[p].end);
        let between = s.get(prev_end..toks[i].start).unwrap_or("");
        between.contains(['=', '≥', '>', '≤', '<'])
    }
}

/// `N <adjective>` or `N detected <adjective>`, skipping bounds (`up to 2 malicious`).
pub fn counts(s: &str, adjectives: &[&str]) -> Vec<Hit<u64>> {
    counts_in(s, &tokens(s), adjectives)
}

/// [`counts`] over tokens already computed from `s`.
pub fn counts_in(s: &str, toks: &[Tok<'_>], adjectives: &[&str]) -> Vec<Hit<u64>> {
    let mut out = Vec::new();
    for (i, t) in anchors(toks) {
        if out.len() >= MAX_HITS {
            break;
        }
        let Some(n) = int(t.s) else { continue };
        let mut j = i + 1;
        if toks
            .get(j)
            .is_some_and(|w| lower_is(w, &["detected", "confirmed", "identified"]))
        {
            j += 1;
        }
        let Some(adj) = toks.get(j) else { continue };
        let word = adj.s.split('/').next().unwrap_or("");
        if !adjectives.iter().any(|a| word.eq_ignore_ascii_case(a)) || bounded(toks, s, i) {
            continue;
        }
        let end = toks
            .get(j + 1)
            .filter(|n| n.start <= adj.end + 1)
            .map_or(adj.end, |n| n.end);
        out.push(Hit {
            value: n,
            start: t.start,
            end,
        });
    }
    out
}

/// `f=2`, `f = 2`.
pub fn fault_threshold(s: &str) -> Option<Hit<u64>> {
    fault_threshold_in(&tokens(s))
}

/// [`fault_threshold`] over tokens already computed.
pub fn fault_threshold_in(toks: &[Tok<'_>]) -> Option<Hit<u64>> {
    // Anchored on the number: `f=2` is one token; `f = 2` starts two tokens earlier, and
    // the token between is `=`, so no `f=N` can sit between the two and come first.
    for (k, t) in anchors(toks) {
        if let Some([f, eq]) = k.checked_sub(2).and_then(|j| toks.get(j..k)) {
            if f.s == "f" && eq.s == "=" {
                if let Some(v) = int(t.s) {
                    return Some(Hit {
                        value: v,
                        start: f.start,
                        end: t.end,
                    });
                }
            }
        }
        if let Some(v) = t.s.strip_prefix("f=").and_then(int) {
            return Some(Hit {
                value: v,
                start: t.start,
                end: t.end,
            });
        }
    }
    None
}

/// `2f+1 = 5`, `3f+1=7`: (coefficient, offset, stated).
pub fn quorum_arithmetic(s: &str) -> Vec<Hit<(u64, i64, u64)>> {
    quorum_arithmetic_in(&tokens(s))
}

/// [`quorum_arithmetic`] over tokens already computed.
pub fn quorum_arithmetic_in(toks: &[Tok<'_>]) -> Vec<Hit<(u64, i64, u64)>> {
    let mut out = Vec::new();
    // Every accepted expression holds a digit (`2f`, `f+1`; a bare `f` is skipped below).
    for (i, t) in anchors(toks) {
        if out.len() >= MAX_HITS {
            break;
        }
        let (expr, stated, end) = if let Some((e, v)) = split_once_byte(t.s, b'=') {
            match int(v) {
                Some(v) => (e, v, t.end),
                None => continue,
            }
        } else {
            match (toks.get(i + 1), toks.get(i + 2)) {
                (Some(eq), Some(v)) if eq.s == "=" => match int(v.s) {
                    Some(n) => (t.s, n, v.end),
                    None => continue,
                },
                _ => continue,
            }
        };
        let Some((coef, rest)) = split_once_byte(expr, b'f') else {
            continue;
        };
        // `f=2` states f itself, not quorum arithmetic.
        if coef.is_empty() && rest.is_empty() {
            continue;
        }
        let coefficient = if coef.is_empty() { Some(1) } else { int(coef) };
        let offset = if rest.is_empty() {
            Some(0)
        } else if let Some(r) = rest.strip_prefix('+') {
            int(r).and_then(|v| i64::try_from(v).ok())
        } else if let Some(r) = rest.strip_prefix('-') {
            int(r).and_then(|v| i64::try_from(v).ok()).map(|v| -v)
        } else {
            None
        };
        if let (Some(c), Some(o)) = (coefficient, offset) {
            out.push(Hit {
                value: (c, o, stated),
                start: t.start,
                end,
            });
        }
    }
    out
}

/// `3 out of 4 phases`, `3/4 phases`: first ratio whose noun starts with `noun_prefix`.
pub fn ratio_of(s: &str, noun_prefix: &str) -> Option<Hit<(u64, u64, Str)>> {
    ratio_of_in(&tokens(s), noun_prefix)
}

/// [`ratio_of`] over tokens already computed.
pub fn ratio_of_in(toks: &[Tok<'_>], noun_prefix: &str) -> Option<Hit<(u64, u64, Str)>> {
    let noun_ok = |t: Option<&Tok<'_>>| {
        t.filter(|n| strip_prefix_ci(n.s, noun_prefix).is_some())
            .map(|n| (Str::from(n.s), n.end))
    };
    for (i, t) in anchors(toks) {
        if let Some((k, m)) = ratio(t.s) {
            if let Some((noun, end)) = noun_ok(toks.get(i + 1)) {
                return Some(Hit {
                    value: (k, m, noun),
                    start: t.start,
                    end,
                });
            }
        }
        if let Some(k) = int(t.s) {
            let of = toks.get(i + 1).is_some_and(|a| lower_is(a, &["out"]))
                && toks.get(i + 2).is_some_and(|b| lower_is(b, &["of"]));
            if let (true, Some(m)) = (of, toks.get(i + 3).and_then(|m| int(m.s))) {
                if let Some((noun, end)) = noun_ok(toks.get(i + 4)) {
                    return Some(Hit {
                        value: (k, m, noun),
                        start: t.start,
                        end,
                    });
                }
            }
        }
    }
    None
}

/// The first `k/m` or `k out of m` / `k of m`, and the word after it.
pub fn first_ratio(s: &str) -> Option<Hit<(u64, u64, Option<Str>)>> {
    // Both forms need two numbers and a `/` or the word `of`: most headings and values
    // have no digit, or neither, and are answered without tokenising.
    if super::swar::digits_end(s.as_bytes()) == 0 || !s.contains('/') && !contains_ci(s, "of") {
        return None;
    }
    first_ratio_in(&tokens(s))
}

/// [`first_ratio`] over tokens already computed.
pub fn first_ratio_in(toks: &[Tok<'_>]) -> Option<Hit<(u64, u64, Option<Str>)>> {
    let word_at = |j: usize| {
        toks.get(j)
            .filter(|w| w.s.chars().all(char::is_alphabetic))
            .map(|w| (Str::from(w.s), w.end))
    };
    for (i, t) in anchors(toks) {
        if let Some((k, m)) = ratio(t.s) {
            let (noun, end) = word_at(i + 1).map_or((None, t.end), |(w, e)| (Some(w), e));
            return Some(Hit {
                value: (k, m, noun),
                start: t.start,
                end,
            });
        }
        if let Some(k) = int(t.s) {
            let skip = if toks.get(i + 1).is_some_and(|a| lower_is(a, &["out"]))
                && toks.get(i + 2).is_some_and(|b| lower_is(b, &["of"]))
            {
                3
            } else if toks.get(i + 1).is_some_and(|a| lower_is(a, &["of"])) {
                2
            } else {
                continue;
            };
            if let Some(m) = toks.get(i + skip).and_then(|m| int(m.s)) {
                let last = &toks[i + skip];
                let (noun, end) =
                    word_at(i + skip + 1).map_or((None, last.end), |(w, e)| (Some(w), e));
                return Some(Hit {
                    value: (k, m, noun),
                    start: t.start,
                    end,
                });
            }
        }
    }
    None
}

/// First percentage token.
pub fn first_percent(s: &str) -> Option<Hit<f64>> {
    first_percent_in(&tokens(s))
}

/// [`first_percent`] over tokens already computed.
pub fn first_percent_in(toks: &[Tok<'_>]) -> Option<Hit<f64>> {
    anchors(toks).find_map(|(_, t)| {
        percent(t.s).map(|v| Hit {
            value: v,
            start: t.start,
            end: t.end,
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn contains_ci_is_lowercase_contains() {
        let hays = [
            "",
            "a",
            "Report Hash",
            "SIGNATURE ALGORITHM",
            "état hash ÉTAT",
            "xxhashx",
            "has",
        ];
        let needles = ["", "a", "hash", "report hash", "sign", "état", "s", "hashx"];
        for h in hays {
            for n in needles.iter().filter(|n| n.is_ascii()) {
                let expected = !n.is_empty() && h.to_ascii_lowercase().contains(n);
                assert_eq!(contains_ci(h, n), expected, "{h:?} {n:?}");
            }
        }
    }

    #[test]
    fn trigger_words_anywhere_in_any_case() {
        let t = triggers("7-NODE cluster; QUORUM formed, Success Rate 94%, conFIDENCE 0.75");
        assert_eq!(
            t,
            Triggers {
                nodes: true,
                quorum: true,
                success_rate: true,
                confidence: true,
                ..Triggers::default()
            }
        );
        let t = triggers("2 Malicious, 5 honest replicas; phase 3 faulty (compromised)");
        assert!(t.nodes && t.honest && t.faulty && t.phase && !t.quorum);
        // Inside words, at the very end, and never from other letters.
        assert!(triggers("subnodes").nodes);
        assert_eq!(triggers("no de, succes rate, quor um"), Triggers::default());
        assert_eq!(triggers(""), Triggers::default());
        assert_eq!(triggers("n"), Triggers::default());
        // `=` anywhere, the last byte too, and before any byte.
        for s in ["=", "f=2", "x =", "2f+1 = 5", "=✅", "a=\u{80}"] {
            assert!(triggers(s).equals, "{s:?}");
        }
        // 0x1D (a control) | 0x20 is `=`: it passes the table, but not the byte test after it.
        assert!(!triggers("\u{1d}a, ≠, ≥").equals);
    }

    fn vals<T: Copy>(h: &[Hit<T>]) -> Vec<T> {
        h.iter().map(|h| h.value).collect()
    }

    #[test]
    fn node_totals_seed_phrases() {
        let s = "2 malicious actors detected out of 4 nodes";
        let h = node_totals(s);
        assert_eq!(vals(&h), vec![4]);
        assert_eq!(&s[h[0].start..h[0].end], "out of 4 nodes");
        assert_eq!(vals(&node_totals("f=2 (7-node configuration)")), vec![7]);
        assert_eq!(vals(&node_totals("Mesh topology with 7 nodes")), vec![7]);
        assert_eq!(vals(&node_totals("quorum formation (5/7 nodes)")), vec![7]);
        assert!(node_totals("5 honest nodes, 2 detected malicious actors").is_empty());
        assert!(node_totals("up to 2 malicious/failed nodes").is_empty());
    }

    #[test]
    fn counts_skip_bounds() {
        let adj = ["malicious", "faulty"];
        assert_eq!(
            vals(&counts("5 honest nodes, 2 detected malicious actors", &adj)),
            vec![2]
        );
        assert!(counts("can tolerate up to 2 malicious/failed nodes", &adj).is_empty());
        assert_eq!(vals(&counts("5 honest nodes", &["honest"])), vec![5]);
        assert!(counts("requires 2f+1 = 5 honest nodes", &["honest"]).is_empty());
    }

    #[test]
    fn fault_and_quorum() {
        assert_eq!(
            fault_threshold("**Fault Tolerance Level**: f=2 (7-node)").map(|h| h.value),
            Some(2)
        );
        assert_eq!(fault_threshold("f = 3").map(|h| h.value), Some(3));
        assert_eq!(fault_threshold("buffer=2"), None);
        let s = "requires 2f+1 = 5 honest nodes";
        let q = quorum_arithmetic(s);
        assert_eq!(vals(&q), vec![(2, 1, 5)]);
        assert_eq!(&s[q[0].start..q[0].end], "2f+1 = 5");
        assert_eq!(vals(&quorum_arithmetic("3f+1=7")), vec![(3, 1, 7)]);
        assert!(quorum_arithmetic("f=2 (7-node configuration)").is_empty());
    }

    #[test]
    fn fault_threshold_is_the_first_in_the_text_with_its_span() {
        fn first(s: &str) -> Option<(u64, &str)> {
            fault_threshold(s).map(|h| (h.value, &s[h.start..h.end]))
        }
        assert_eq!(first("f = 1, later f=2"), Some((1, "f = 1")));
        assert_eq!(first("f=2, later f = 1"), Some((2, "f=2")));
        // Numbers at the first two tokens have no `f =` before them.
        assert_eq!(first("2 = 3"), None);
        assert_eq!(first("7 f = 2"), Some((2, "f = 2")));
        assert_eq!(first("f = x, then 3"), None);
    }

    /// The tokeniser's definition, character by character, with nothing made faster.
    fn tokens_by_char(s: &str) -> Vec<Tok<'_>> {
        let mut out = Vec::new();
        let mut start = None;
        for (i, c) in s.char_indices().chain([(s.len(), ' ')]) {
            match (i < s.len() && tok_char(c), start) {
                (true, None) => start = Some(i),
                (false, Some(st)) => {
                    let edge = |c: char| matches!(c, '.' | '-' | '/');
                    let raw = &s[st..i];
                    let t = raw.trim_start_matches(edge).trim_end_matches(edge);
                    if !t.is_empty() {
                        let from = st + (raw.len() - raw.trim_start_matches(edge).len());
                        out.push(Tok {
                            s: t,
                            start: from,
                            end: from + t.len(),
                            digit: t.bytes().any(|b| b.is_ascii_digit()),
                        });
                    }
                    start = None;
                }
                _ => {}
            }
        }
        out
    }

    proptest::proptest! {
        #[test]
        fn tokens_match_their_definition(
            s in "([a-zA-Z0-9 ./%=+_,:;()|*-]|é|ß|٣|→|✅|\u{00a0}|\u{2009}|ü|—){0,40}"
        ) {
            proptest::prop_assert_eq!(tokens(&s), tokens_by_char(&s));
        }
    }

    #[test]
    fn tokens_know_whether_they_hold_a_digit() {
        let digits: Vec<(&str, bool)> = tokens("Phase 2: 3/4 -f=2- node2 …ok.")
            .iter()
            .map(|t| (t.s, t.digit))
            .collect();
        assert_eq!(
            digits,
            [
                ("Phase", false),
                ("2", true),
                ("3/4", true),
                ("f=2", true),
                ("node2", true),
                ("ok", false)
            ]
        );
    }

    #[test]
    fn ratios() {
        let s = "**3 out of 4 phases passed validation**";
        let h = ratio_of(s, "phase").unwrap();
        assert_eq!(h.value, (3, 4, "phases".into()));
        assert_eq!(&s[h.start..h.end], "3 out of 4 phases");
        assert_eq!(ratio_of("16/17 phases", "phase").unwrap().value.0, 16);
        assert_eq!(
            first_ratio("✅ PASSED (5/5 tests)").unwrap().value,
            (5, 5, Some("tests".into()))
        );
        assert_eq!(
            first_ratio("5 of 7 nodes").unwrap().value,
            (5, 7, Some("nodes".into()))
        );
        assert_eq!(first_percent("(94.1% success rate)").unwrap().value, 94.1);
        assert_eq!(first_percent("no number"), None);
    }
}
