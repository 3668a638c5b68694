//! The claims grammar: quantitative assertions found inside table cells and lines
//! ("51ms, within 1s threshold", "3 out of 4 phases", "f=2 (7-node configuration)" …),
//! written with nom. Text that no rule matches is kept as text: nothing is guessed.
//!
//! # How a line is scanned
//! [`scan`] walks the text once, left to right. Claims can only *start* at a token start: a
//! digit (or a sign right before one) that is not glued to a word, a letter that begins a
//! word, or a comparator (`<`, `≤`, `>=` …). At each start the claim forms are tried as
//! anchored nom parsers, most specific first (quorum arithmetic, transition, ratio, quantity,
//! count). When none matches, the scanner skips the whole token, so one token is never
//! re-parsed from every position inside it; the walk ends after the last ASCII digit, since
//! every claim covers one; and every parser looks only a bounded distance ahead (at most a
//! few spaces, words of at most [`MAX_WORD`] bytes, numbers of at most [`MAX_DIGITS`]
//! digits). Together this keeps a scan linear in the text: a 1 MiB line of digits, `%` or
//! `1/1/1…` costs one pass.
//!
//! # What is deliberately not a claim
//! Dates (`2025-09-24`, `9/24/2025`), times of day (`13:59:48`), version numbers
//! (`v2.7.35`, `2.0.0-alpha.117`), IP addresses, ranges (`2-4 weeks`, `2.8-4.4x`), ids
//! (`node2`, `node-2`, hex digests) and numbers glued to letters that are not a unit
//! (`24th`, `8.5k`, `5s3a`) produce nothing: a number is only read when it stands alone,
//! and a unit only when it ends at a word boundary (`16 hex chars` is a count, not 16 h).
//! Ordinal labels (`Phase 2 validation`) and months (`24 Nov`) are not counts.
//!
//! # Relations between claims
//! * `measured` of a [`ClaimKind::Threshold`] is a copy of the quantity stated just before it
//!   in the same clause (see [`same_clause`]): the previous [`ClaimKind::Quantity`] or
//!   [`ClaimKind::SuccessRate`], or a bare number right before a bare limit, with no word
//!   between (`0.95 (≥0.90)`; not `Phase 2: score ≥0.90`).
//!   It is only filled when both have the same [`Dimension`], because a time is never
//!   "measured" against a percentage. Both claims are kept, with their own ranges.
//! * "`2 malicious actors detected out of 4 nodes`" yields a [`ClaimKind::Count`]
//!   (2, `malicious actors`) over `2 malicious actors` and a [`ClaimKind::Ratio`]
//!   (num 2, den 4, noun `nodes`) over `out of 4 nodes` only. So a stated part-of-total of
//!   nodes is always a `Ratio` whose noun is `node`/`nodes` and whose `den` is the total,
//!   whether written `3 out of 7 nodes`, `5/7 nodes` or detached as here. A rule comparing
//!   node totals with n reads: `Ratio.den` (noun `node(s)`), `FaultTolerance.n`,
//!   `Signatures.total`, and a `Count` whose noun is exactly `node(s)` (`with 7 nodes`;
//!   not `5 honest nodes`, which is a part). A detached `out of M` with no count before it
//!   in the clause is skipped whole.
//!
//! # Bounds
//! At most [`MAX_CLAIMS`] claims per call ([`scan_bounded`] takes another cap and says
//! whether it was hit); everything else is bounded by the constants above.

use crate::report::model::Str;
use nom::error::{Error, ErrorKind};
use nom::{IResult, Parser};
use serde::Serialize;

#[cfg(test)]
mod tests;

/// Longest word (in bytes) a noun or keyword may have; longer runs are not words of prose
/// and bounding them keeps the look-ahead of each parse attempt constant.
pub const MAX_WORD: usize = 40;
/// Most digits a number may have (integer and fraction part each); longer runs are ids,
/// not measurements, and bounding them keeps float parsing cheap.
pub const MAX_DIGITS: usize = 30;
/// Most claims [`scan`] returns for one string. A cell or line of a real report holds a
/// handful; the cap bounds memory on hostile input (a 16 MiB line of `1ms ` would
/// otherwise allocate millions of claims). [`scan_bounded`] says when it was reached.
pub const MAX_CLAIMS: usize = 4096;
/// Most bytes between a quantity and a threshold for the quantity to count as that
/// threshold's `measured` value (`Duration: 51ms, within 1s threshold`).
pub const MAX_CLAUSE_GAP: usize = 64;

/// A unit of measure as written in the report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Unit {
    /// `ns`, `nanosecond(s)`.
    Ns,
    /// `µs` (U+00B5), `μs` (U+03BC) and `us` all map here.
    Us,
    /// `ms`, `millisecond(s)`.
    Ms,
    /// `s`, `sec`, `secs`, `second(s)`.
    S,
    /// `min`, `mins`, `minute(s)`.
    Min,
    /// `h`, `hr`, `hrs`, `hour(s)`.
    H,
    Percent,
    /// `B`, `bytes`.
    Bytes,
    /// `KB`, `kB`, `KiB` (all taken as 1024 bytes: reports do not distinguish).
    Kb,
    Mb,
    Gb,
    /// `ops/sec`, `ops/s`, `op/s`.
    OpsPerSec,
    /// A multiplier: `3.2x`, `2×` (only directly after a number).
    Times,
}

impl Unit {
    /// The spelling used when a quantity is shown in a message: one per unit, so messages
    /// read the same whichever variant the report used (`µs` for `us` and `μs`).
    pub fn symbol(self) -> &'static str {
        match self {
            Unit::Ns => "ns",
            Unit::Us => "µs",
            Unit::Ms => "ms",
            Unit::S => "s",
            Unit::Min => "min",
            Unit::H => "h",
            Unit::Percent => "%",
            Unit::Bytes => "B",
            Unit::Kb => "KB",
            Unit::Mb => "MB",
            Unit::Gb => "GB",
            Unit::OpsPerSec => " ops/sec",
            Unit::Times => "x",
        }
    }
}

/// What a unit measures; only quantities of the same dimension compare.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Dimension {
    Time,
    Percent,
    Size,
    Rate,
    Factor,
    /// A bare number.
    Number,
}

/// A number with an optional unit.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Quantity {
    pub value: f64,
    pub unit: Option<Unit>,
}

impl Quantity {
    /// Dimension and value in that dimension's base unit (seconds, percent, bytes, ops/s,
    /// factor), so `51ms` and `1s` can be compared.
    pub fn normalized(&self) -> (Dimension, f64) {
        match self.unit {
            None => (Dimension::Number, self.value),
            Some(Unit::Ns) => (Dimension::Time, self.value * 1e-9),
            Some(Unit::Us) => (Dimension::Time, self.value * 1e-6),
            Some(Unit::Ms) => (Dimension::Time, self.value * 1e-3),
            Some(Unit::S) => (Dimension::Time, self.value),
            Some(Unit::Min) => (Dimension::Time, self.value * 60.0),
            Some(Unit::H) => (Dimension::Time, self.value * 3600.0),
            Some(Unit::Percent) => (Dimension::Percent, self.value),
            Some(Unit::Bytes) => (Dimension::Size, self.value),
            Some(Unit::Kb) => (Dimension::Size, self.value * 1024.0),
            Some(Unit::Mb) => (Dimension::Size, self.value * 1024.0 * 1024.0),
            Some(Unit::Gb) => (Dimension::Size, self.value * 1024.0 * 1024.0 * 1024.0),
            Some(Unit::OpsPerSec) => (Dimension::Rate, self.value),
            Some(Unit::Times) => (Dimension::Factor, self.value),
        }
    }
}

/// Shown the way reports write it (`51ms`, `1s`, `0.6%`, `2496131 ops/sec`) so a finding
/// can quote the claim back in the report's own terms. Values come from decimal text, so
/// the shortest round-trip form of the f64 is the number as written (minus thousands
/// separators and trailing zeros: `0.000ms` shows as `0ms`).
impl std::fmt::Display for Quantity {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.value)?;
        if let Some(unit) = self.unit {
            f.write_str(unit.symbol())?;
        }
        Ok(())
    }
}

/// How a value relates to a limit. `within`/`under`/`below`/`<`/`≤` and friends map here.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Relation {
    /// `<`, `under`, `below`, `less than`.
    Lt,
    /// `≤`, `<=`, `within`, `at most`.
    Le,
    /// `>`, `over`, `above`, `exceeds`, `more than`.
    Gt,
    /// `≥`, `>=`, `at least`.
    Ge,
    /// `=`, `==`. [`scan`] never reads a bare `= 5` as a threshold (it is arithmetic far
    /// more often than a limit); the variant is for policies and rules.
    Eq,
}

impl Relation {
    /// Whether `value REL limit` holds, so rules need not repeat the mapping.
    pub fn holds(self, value: f64, limit: f64) -> bool {
        match self {
            Relation::Lt => value < limit,
            Relation::Le => value <= limit,
            Relation::Gt => value > limit,
            Relation::Ge => value >= limit,
            Relation::Eq => value == limit,
        }
    }
}

/// One claim found in a piece of text.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ClaimKind {
    /// `5/7`, `3 out of 4 phases`, `12 of 24 tests`, `16/17 tests`; `noun` is the word that
    /// follows, if any. Also the detached `… out of 4 nodes` (see the module docs).
    Ratio {
        num: u64,
        den: u64,
        noun: Option<Str>,
    },
    /// A number with a unit: `51ms`, `1.5 s`, `0.6%`, `2,496,131 ops/sec`, `3.2x`. Bare
    /// numbers are only read as threshold limits or as their `measured` value.
    Quantity { quantity: Quantity },
    /// A value against a limit: `within 1s threshold`, `under 15% threshold`, `well under 10%`,
    /// `<100ms`, `≥0.90`, `exceeds 5x`. `measured` is the quantity the same clause states
    /// just before it (`Duration: 51ms, within 1s threshold`), when there is one.
    Threshold {
        relation: Relation,
        limit: Quantity,
        measured: Option<Quantity>,
    },
    /// `5 honest nodes`, `2 malicious actors`, `3 resources cleaned` (noun `resources`):
    /// up to three words, stopping before a function word (`of`, `out`, `and` …) or a
    /// participle after the first word (`detected`, `cleaned`).
    Count { value: u64, noun: Str },
    /// `94.1% success rate`, `Success Rate: 100%`, `success rate of 94.1%`.
    SuccessRate { percent: f64 },
    /// `f=2`, `f=2 (7-node configuration)`, `f=2 of 7 nodes`, `f=2, n=7`, `n=7, f=2`.
    FaultTolerance { f: u64, n: Option<u64> },
    /// `2f+1 = 5`, `3f+1 = 7`, `f+1 = 3`: `coefficient`·f + `offset` and the stated value.
    QuorumArithmetic {
        coefficient: u64,
        offset: i64,
        stated: u64,
    },
    /// `sha256:<hex>`, `SHA-256: <hex>`; `hex` is kept as written, even when malformed.
    /// `algorithm` is lowercased with the hyphen after `sha` dropped (`sha256`, `sha1`,
    /// `sha3-256`), so a policy's `algorithms: [sha256]` matches either spelling.
    Hash { algorithm: Str, hex: Str },
    /// `5/7 nodes confirmed`, `6/7 validators signed`, `7/7 signatures`, `5 of 7 signatures`.
    Signatures { signed: u64, total: u64 },
    /// `from 0→1`, `0 -> 1`, `0% → 87.5%`, `15min → <5min`, `from 269ms to <50ms`: both
    /// sides as written (a number, optionally with unit and a leading `~`/comparator).
    Transition { from: Str, to: Str },
}

/// A claim with its byte range in the scanned string.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Claim {
    #[serde(flatten)]
    pub kind: ClaimKind,
    /// Byte range `start..end` within the string given to [`scan`].
    pub start: usize,
    pub end: usize,
}

/// The result of [`scan_bounded`].
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Scan {
    pub claims: Vec<Claim>,
    /// The cap was reached and the rest of the text was not scanned.
    pub truncated: bool,
}

/// Find every claim in `text` (one cell, one line or one list item), left to right,
/// without overlaps. At most [`MAX_CLAIMS`] claims; use [`scan_bounded`] to know whether
/// the cap was hit.
pub fn scan(text: &str) -> Vec<Claim> {
    scan_bounded(text, MAX_CLAIMS).claims
}

/// The whole of `s` (surrounding whitespace aside) is one quantity: `100ms`, `5%`,
/// `1.5 s`, `2GB`, `0.90`. Used by the policy loader for `max: 100ms`.
pub fn parse_quantity(s: &str) -> Option<Quantity> {
    let s = s.trim();
    let (rest, q) = quantity_any(s).ok()?;
    rest.is_empty().then_some(q)
}

/// [`scan`] with an explicit cap on the number of claims.
pub fn scan_bounded(text: &str, max_claims: usize) -> Scan {
    scan_into(text, max_claims, Vec::new())
}

/// [`scan_bounded`] appending to `claims` (emptied first), so that a caller scanning many
/// pieces of text reuses one buffer instead of allocating one per piece.
pub fn scan_into(text: &str, max_claims: usize, claims: Vec<Claim>) -> Scan {
    let stop = super::swar::digits_end(text.as_bytes());
    scan_until(text, max_claims, claims, stop)
}

/// [`scan_into`] with claims starting before `stop` only. Every claim covers an ASCII digit
/// (each form reads a number, and each hash algorithm's name holds one: `sha256`, `md5`),
/// so with `stop` just past the last digit the claims are the same, and the words after it
/// (often most of a line) are not read at all.
pub(crate) fn scan_until(
    text: &str,
    max_claims: usize,
    mut claims: Vec<Claim>,
    stop: usize,
) -> Scan {
    claims.clear();
    let stop = stop.min(text.len());
    let mut scanner = Scanner {
        text,
        out: Scan {
            claims,
            truncated: false,
        },
        last_measure: None,
        last_count: None,
        max_claims,
        stop,
        // A transition's arrow comes before its second number, so before `stop` too.
        arrows: has_arrow(text.get(..stop).unwrap_or(text)),
    };
    scanner.run(max_claims);
    scanner.out
}

/// `text` holds `→`, `⟶` or `->`: one pass over the bytes for `>` and for the lead byte
/// the two arrows share (`E2`), instead of decoding every character.
fn has_arrow(text: &str) -> bool {
    let b = text.as_bytes();
    memchr::memchr2_iter(b'>', 0xE2, b).any(|i| match b[i] {
        b'>' => i > 0 && b[i - 1] == b'-',
        _ => matches!(b.get(i + 1..i + 3), Some([0x86, 0x92] | [0x9F, 0xB6])),
    })
}

// ---------------------------------------------------------------------------------------
// The driver.

struct Scanner<'t> {
    text: &'t str,
    out: Scan,
    /// The latest quantity that may be a threshold's `measured`, and where it ended.
    last_measure: Option<(Quantity, usize)>,
    /// The latest count, for a detached `out of M noun`.
    last_count: Option<(u64, usize)>,
    max_claims: usize,
    /// Where claims can no longer start: just after the last ASCII digit.
    stop: usize,
    /// The text holds an arrow, so a transition (`0→1`) may start at a number; without one,
    /// that form is not tried (it would re-read every number only to fail at the arrow).
    arrows: bool,
}

impl Scanner<'_> {
    fn run(&mut self, max_claims: usize) {
        self.max_claims = max_claims;
        let text = self.text;
        let mut i = 0;
        while i < self.stop {
            if self.out.truncated {
                return;
            }
            // ASCII spaces and punctuation start nothing (no digit, sign, letter or
            // comparator): step over them without decoding characters.
            let b = text.as_bytes()[i];
            if b.is_ascii() && !b.is_ascii_alphanumeric() && !matches!(b, b'-' | b'+' | b'<' | b'>')
            {
                i += 1;
                continue;
            }
            let rest = &text[i..];
            let Some(c) = rest.chars().next() else { return };
            // A letter: a word form may start here if a word does; either way the scan
            // goes on after the word (its letters and digits start nothing more).
            if c.is_alphabetic() {
                // The word's ASCII letters and digits, measured once: the word forms are
                // looked up by them, and the word's end is searched for only after them.
                let ascii = rest
                    .bytes()
                    .position(|c| !c.is_ascii_alphanumeric())
                    .unwrap_or(rest.len());
                if !word_char_before(text, i) {
                    if let Some((kind, end)) = word_forms(rest, ascii) {
                        self.word_claim(kind, i, i + end);
                        i += end;
                        continue;
                    }
                }
                i = word_end(text, i + ascii);
                continue;
            }
            let prev = text[..i].chars().next_back();
            if number_start(text, i) {
                match number_forms(text, i, self.arrows) {
                    AtNumber::Claim(kind, end) => {
                        self.push(kind, i, end);
                        i = end;
                    }
                    AtNumber::Bare {
                        number,
                        after_label,
                    } => {
                        // A bare number is only remembered as a possible `measured`, never
                        // claimed; `Phase 2` is a label, not a measurement.
                        match number.map(|(r, n)| bare_after(rest, r, n)) {
                            Some(Ok((r, q))) if !after_label => {
                                self.last_measure = Some((q, text.len() - r.len()));
                            }
                            _ => self.last_measure = None,
                        }
                        i = skip_compound(text, i);
                    }
                }
                continue;
            }
            if matches!(c, '<' | '>' | '≤' | '≥' | '⩽' | '⩾') && symbol_allowed(c, prev) {
                if let Ok((r, kind)) = symbol_threshold(rest) {
                    let end = text.len() - r.len();
                    self.push(kind, i, end);
                    i = end;
                    continue;
                }
            }
            i += c.len_utf8();
        }
    }

    /// A word form found at `start..end`: a claim, or a detached total that makes one with
    /// the count before it in the same clause.
    fn word_claim(&mut self, word: Word, start: usize, end: usize) {
        let kind = match word {
            Word::Claim(k) => Some(k),
            Word::DetachedTotal { den, noun } => self
                .last_count
                .filter(|&(_, e)| same_clause(&self.text[e..start]))
                .map(|(num, _)| ClaimKind::Ratio {
                    num,
                    den,
                    noun: Some(noun),
                }),
        };
        // A detached total without its count is skipped whole, so its `4 nodes` is not
        // read as a count of its own.
        if let Some(kind) = kind {
            self.push(kind, start, end);
        }
    }

    fn push(&mut self, mut kind: ClaimKind, start: usize, end: usize) {
        if self.out.claims.len() >= self.max_claims {
            self.out.truncated = true;
            return;
        }
        let text = self.text;
        match &mut kind {
            ClaimKind::Threshold {
                limit, measured, ..
            } => {
                if let Some((q, e)) = self.last_measure {
                    let gap = &text[e..start];
                    // A bare number must sit right before its limit (`0.95 (≥0.90)`): with
                    // words between, it is more likely a label or a count than the value.
                    let close = q.unit.is_some() || !gap.contains(char::is_alphabetic);
                    if close && same_clause(gap) && q.normalized().0 == limit.normalized().0 {
                        *measured = Some(q);
                    }
                }
                self.last_measure = None;
                self.last_count = None;
            }
            ClaimKind::Quantity { quantity } => {
                self.last_measure = Some((*quantity, end));
                self.last_count = None;
            }
            ClaimKind::SuccessRate { percent } => {
                self.last_measure = Some((
                    Quantity {
                        value: *percent,
                        unit: Some(Unit::Percent),
                    },
                    end,
                ));
                self.last_count = None;
            }
            ClaimKind::Count { value, .. } => {
                self.last_count = Some((*value, end));
                self.last_measure = None;
            }
            _ => {
                self.last_measure = None;
                self.last_count = None;
            }
        }
        self.out.claims.push(Claim { kind, start, end });
    }
}

/// Whether the text between two claims keeps them in one clause: short, and without a
/// clause break (`;`, `|`, a line break, or a sentence end `. `/`! `/`? `). A comma or
/// an opening parenthesis does not break a clause: `51ms, within 1s` and
/// `100% (exceeds 90% target)` relate.
pub fn same_clause(gap: &str) -> bool {
    if gap.len() > MAX_CLAUSE_GAP {
        return false;
    }
    let mut chars = gap.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            ';' | '|' | '\n' | '\r' => return false,
            '.' | '!' | '?' if chars.peek().is_none_or(|n| n.is_whitespace()) => return false,
            _ => {}
        }
    }
    true
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// [`is_word_char`] for an ASCII byte.
fn is_word_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

/// The character before byte `i` is a word character (`i` is a char boundary).
fn word_char_before(text: &str, i: usize) -> bool {
    match text.as_bytes()[..i].last() {
        None => false,
        Some(&p) if p.is_ascii() => is_word_byte(p),
        Some(_) => text[..i].chars().next_back().is_some_and(is_word_char),
    }
}

/// End of the word that goes on at `i` (characters as [`is_word_char`]): the first offset
/// from `i` that is not in it.
fn word_end(text: &str, i: usize) -> usize {
    super::scan::next_in_class(text, i, false, is_word_byte, is_word_char)
}

fn is_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\u{a0}' | '\u{202f}' | '\u{2009}')
}

/// Whether a number may begin at byte `i`: a digit (or a sign directly before one) that is
/// not part of a word, a decimal, a range, a time, a path or a list (`node2`, `.5`,
/// `2-4`, `13:59`, `a/2`, `1,2`).
fn number_start(text: &str, i: usize) -> bool {
    let rest = &text[i..];
    let mut chars = rest.chars();
    let Some(c) = chars.next() else { return false };
    let digit_at = if c.is_ascii_digit() {
        true
    } else if matches!(c, '-' | '+' | '−') {
        chars.next().is_some_and(|d| d.is_ascii_digit())
    } else {
        false
    };
    if !digit_at {
        return false;
    }
    let mut before = text[..i].chars().rev();
    let Some(p) = before.next() else { return true };
    if is_word_char(p) || p == '.' {
        return false;
    }
    let pp = before.next();
    let signed = !c.is_ascii_digit();
    match p {
        // A sign must itself stand apart: `-4` yes, `2--4` no.
        _ if signed && matches!(p, '-' | '+' | '−' | '/' | ':' | ',') => false,
        '-' | '+' | '−' | '/' => !pp.is_some_and(is_word_char),
        ':' | ',' => !pp.is_some_and(|q| q.is_ascii_digit()),
        _ => true,
    }
}

/// Past a token that held no claim: the run of characters that glue numbers and words into
/// dates, versions, ranges, addresses and ids, so no suffix of it is tried again.
fn skip_compound(text: &str, i: usize) -> usize {
    let rest = &text[i..];
    let mut chars = rest.char_indices();
    // The first character (a digit or sign) is always skipped.
    chars.next();
    for (k, c) in chars {
        if !(is_word_char(c) || matches!(c, '.' | ',' | ':' | '/' | '-' | '+' | '_')) {
            return i + k;
        }
    }
    text.len()
}

fn symbol_allowed(c: char, prev: Option<char>) -> bool {
    match c {
        // `->`, `=>`, `>>` are arrows, not comparators.
        '>' => !matches!(prev, Some('-' | '=' | '>')),
        '<' => !matches!(prev, Some('<')),
        _ => true,
    }
}

// ---------------------------------------------------------------------------------------
// nom building blocks. Each returns nom's default error; failures carry no message because
// a failed form just means "try the next one".

type R<'a, T> = IResult<&'a str, T>;

fn fail<T>(i: &str) -> R<'_, T> {
    Err(nom::Err::Error(Error::new(i, ErrorKind::Verify)))
}

fn tag<'a>(t: &'static str) -> impl Fn(&'a str) -> R<'a, &'a str> {
    nom::bytes::complete::tag(t)
}

/// `t` (ASCII) at the start of the input, ignoring ASCII case, compared as bytes. Unlike
/// nom's `tag_no_case` it does not lower-case Unicode, so the Kelvin sign `K` is not a `k`.
fn tag_i<'a>(t: &'static str) -> impl Fn(&'a str) -> R<'a, &'a str> {
    move |i: &'a str| match super::scan::strip_prefix_ci(i, t) {
        Some(rest) => Ok((rest, &i[..t.len()])),
        None => fail(i),
    }
}

/// 0 to 3 spaces: enough for `51 ms` and `f = 2`, bounded so a run of spaces is never
/// rescanned from each token before it.
fn sp(i: &str) -> R<'_, &str> {
    nom::bytes::complete::take_while_m_n(0, 3, is_space)(i)
}

fn sp1(i: &str) -> R<'_, &str> {
    nom::bytes::complete::take_while_m_n(1, 3, is_space)(i)
}

/// Succeeds, consuming nothing, at the end of a word.
fn boundary(i: &str) -> R<'_, ()> {
    let word = match i.as_bytes().first() {
        None => false,
        Some(&b) if b.is_ascii() => is_word_byte(b),
        Some(_) => i.chars().next().is_some_and(is_word_char),
    };
    if word { fail(i) } else { Ok((i, ())) }
}

/// A keyword matched case-insensitively and ending at a word boundary.
fn kw<'a>(t: &'static str) -> impl Fn(&'a str) -> R<'a, &'a str> {
    move |i| {
        let (r, w) = tag_i(t)(i)?;
        let (r, ()) = boundary(r)?;
        Ok((r, w))
    }
}

/// The first of `words` (case-insensitive, at a word boundary) that `i` starts with. The
/// lists are ordered longest first where one is a prefix of another.
fn one_of<'a>(i: &'a str, words: &[&'static str]) -> R<'a, &'static str> {
    for &w in words {
        if let Ok((r, _)) = kw(w)(i) {
            return Ok((r, w));
        }
    }
    fail(i)
}

/// Fails when the number just read continues as a date, version, range, time, path, list
/// or id (`2025-09-24`, `2.7.35`, `2-4`, `13:59`, `1/1/2025`, `1,2`, `7f9e`, `2_x`).
fn not_compound(i: &str) -> R<'_, ()> {
    let mut chars = i.chars();
    let c = chars.next();
    let d = chars.next();
    let glued = match c {
        None => false,
        Some(c) if c.is_ascii_digit() || c == '_' => true,
        Some('.' | ',' | ':' | '/') => d.is_some_and(|d| d.is_ascii_digit()),
        Some('-' | '−') => d.is_some_and(is_word_char),
        _ => false,
    };
    if glued { fail(i) } else { Ok((i, ())) }
}

/// A number as written: optional sign, digits with optional `,` thousands groups, optional
/// fraction. Not checked for what follows; see [`not_compound`].
#[derive(Debug, Clone, Copy, PartialEq)]
struct Num {
    value: f64,
    /// The value when it is a non-negative integer written without sign or fraction.
    int: Option<u64>,
}

fn digits(i: &str, min: usize) -> R<'_, &str> {
    let (r, d) =
        nom::bytes::complete::take_while_m_n(min, MAX_DIGITS, |c: char| c.is_ascii_digit())(i)?;
    if r.starts_with(|c: char| c.is_ascii_digit()) {
        return fail(i);
    }
    Ok((r, d))
}

fn number(i: &str) -> R<'_, Num> {
    // Most numbers are a plain run of digits: read those directly. A run of up to 19
    // digits always fits a u64, and `u64 as f64` rounds to nearest as parsing the digits as
    // an f64 does, so the value is the same as below.
    let b = i.as_bytes();
    let n = b.iter().take_while(|c| c.is_ascii_digit()).count();
    if (1..=19).contains(&n) && !matches!(b.get(n), Some(b',' | b'.')) {
        if let Ok(v) = i[..n].parse::<u64>() {
            return Ok((
                &i[n..],
                Num {
                    value: v as f64,
                    int: Some(v),
                },
            ));
        }
    }
    number_general(i)
}

/// [`number`] for any form: a sign, thousands groups, a fraction.
fn number_general(i: &str) -> R<'_, Num> {
    let (mut r, sign) = nom::combinator::opt(nom::character::complete::one_of("-+−")).parse(i)?;
    let (r2, first) = digits(r, 1)?;
    r = r2;
    if first.len() <= 3 {
        let mut groups = 0;
        while groups < MAX_DIGITS / 3 {
            let b = r.as_bytes();
            if b.len() >= 4
                && b[0] == b','
                && b[1..4].iter().all(u8::is_ascii_digit)
                && !b.get(4).is_some_and(u8::is_ascii_digit)
            {
                r = &r[4..];
                groups += 1;
            } else {
                break;
            }
        }
    }
    let frac = if r.starts_with('.') && r[1..].starts_with(|c: char| c.is_ascii_digit()) {
        let (r2, f) = digits(&r[1..], 1)?;
        r = r2;
        Some(f)
    } else {
        None
    };
    let text = &i[..i.len() - r.len()];
    let unsigned = &text[sign.map_or(0, char::len_utf8)..];
    // Only numbers with thousands separators need a copy; the common case parses in place.
    let owned;
    let clean = if unsigned.contains(',') {
        owned = unsigned.replace(',', "");
        owned.as_str()
    } else {
        unsigned
    };
    let Ok(mut value) = clean.parse::<f64>() else {
        return fail(i);
    };
    if matches!(sign, Some('-' | '−')) {
        value = -value;
    }
    let int = if sign.is_none() && frac.is_none() {
        clean.parse::<u64>().ok()
    } else {
        None
    };
    Ok((r, Num { value, int }))
}

/// An integer for counts, ratios and f: unsigned, no fraction, standing alone.
fn integer(i: &str) -> R<'_, u64> {
    let (r, n) = number(i)?;
    let (r, ()) = not_compound(r)?;
    let (r, ()) = boundary(r)?;
    match n.int {
        Some(v) => Ok((r, v)),
        None => fail(i),
    }
}

/// A unit after a number. Longest spellings first; each must end at a word boundary, so
/// `16 hex` is not 16 h and `5 ms.` is 5 ms.
fn unit(i: &str) -> R<'_, Unit> {
    const UNITS: &[(&str, Unit)] = &[
        ("nanoseconds", Unit::Ns),
        ("nanosecond", Unit::Ns),
        ("ns", Unit::Ns),
        ("microseconds", Unit::Us),
        ("microsecond", Unit::Us),
        ("µs", Unit::Us),
        ("μs", Unit::Us),
        ("us", Unit::Us),
        ("milliseconds", Unit::Ms),
        ("millisecond", Unit::Ms),
        ("msec", Unit::Ms),
        ("ms", Unit::Ms),
        ("seconds", Unit::S),
        ("second", Unit::S),
        ("secs", Unit::S),
        ("sec", Unit::S),
        ("s", Unit::S),
        ("minutes", Unit::Min),
        ("minute", Unit::Min),
        ("mins", Unit::Min),
        ("min", Unit::Min),
        ("hours", Unit::H),
        ("hour", Unit::H),
        ("hrs", Unit::H),
        ("hr", Unit::H),
        ("h", Unit::H),
        ("bytes", Unit::Bytes),
        ("KiB", Unit::Kb),
        ("MiB", Unit::Mb),
        ("GiB", Unit::Gb),
        ("KB", Unit::Kb),
        ("kB", Unit::Kb),
        ("MB", Unit::Mb),
        ("GB", Unit::Gb),
        ("B", Unit::Bytes),
        ("ops/second", Unit::OpsPerSec),
        ("ops/sec", Unit::OpsPerSec),
        ("ops/s", Unit::OpsPerSec),
        ("op/s", Unit::OpsPerSec),
    ];
    if let Some(r) = i.strip_prefix('%') {
        return Ok((r, Unit::Percent));
    }
    // Every spelling starts with one of these letters (in either case for the spelled-out
    // words); most text after a number is not a unit, and this rejects it at one character.
    let first = i.chars().next().map(|c| c.to_ascii_lowercase());
    if !matches!(
        first,
        Some('n' | 'm' | 's' | 'h' | 'b' | 'u' | 'k' | 'g' | 'o' | 'µ' | 'μ')
    ) {
        return fail(i);
    }
    let lead = i.as_bytes()[0];
    for &(spelling, u) in UNITS {
        if !spelling.as_bytes()[0].eq_ignore_ascii_case(&lead) {
            continue;
        }
        // Case matters for sizes (`B` is bytes, `b` would be bits) and keeps `S`/`H`
        // (often labels) out; time words are written in lower case.
        // Spelled-out time words also come capitalised (`30 Minutes`).
        let spelled = spelling.len() > 4 && spelling.bytes().all(|b| b.is_ascii_lowercase());
        let found = match i.get(..spelling.len()) {
            Some(head) if spelled => head.eq_ignore_ascii_case(spelling),
            Some(head) => head == spelling,
            None => false,
        };
        if found {
            let r = &i[spelling.len()..];
            if boundary(r).is_ok() {
                return Ok((r, u));
            }
        }
    }
    fail(i)
}

/// A number with a unit: `51ms`, `1.5 s`, `2,496,131 ops/sec`, `3.2x`, `2×`, `94.1%`.
fn quantity_unit(i: &str) -> R<'_, Quantity> {
    let (r, n) = number(i)?;
    let (r, ()) = not_compound(r)?;
    // A multiplier only sits directly on its number, and `x` must end there (`0x1f` no).
    if let Some(r2) = r.strip_prefix('×').or_else(|| r.strip_prefix('x')) {
        if boundary(r2).is_ok() {
            return Ok((
                r2,
                Quantity {
                    value: n.value,
                    unit: Some(Unit::Times),
                },
            ));
        }
        return fail(i);
    }
    // `%` only directly after the number or after one space.
    let (r, _) = sp(r)?;
    let (r, u) = unit(r)?;
    Ok((
        r,
        Quantity {
            value: n.value,
            unit: Some(u),
        },
    ))
}

/// A number with no unit that stands alone: not glued to letters (`24th`, `8.5k`), not part
/// of a compound.
fn bare_number(i: &str) -> R<'_, Quantity> {
    let (r, n) = number(i)?;
    bare_after(i, r, n)
}

/// [`bare_number`] of `i` from its number `n`, already read (`r`: the text after it).
fn bare_after<'t>(i: &'t str, r: &'t str, n: Num) -> R<'t, Quantity> {
    let (r, ()) = not_compound(r)?;
    let (r, ()) = boundary(r)?;
    if r.starts_with(['%', '×']) {
        return fail(i);
    }
    Ok((
        r,
        Quantity {
            value: n.value,
            unit: None,
        },
    ))
}

fn quantity_any(i: &str) -> R<'_, Quantity> {
    nom::branch::alt((quantity_unit, bare_number)).parse(i)
}

// ---------------------------------------------------------------------------------------
// Forms that start at a number.

/// A claim form: a parser from the text at a position to a claim.
type Form = fn(&str) -> R<'_, ClaimKind>;

/// What [`number_forms`] found at a number.
enum AtNumber<'t> {
    /// A claim and its end offset.
    Claim(ClaimKind, usize),
    /// No claim. The number as read (with the text after it) and whether it follows a label
    /// (`Phase 2`) were needed to decide that, and the caller needs them too, so they are
    /// passed on instead of found again.
    Bare {
        number: Option<(&'t str, Num)>,
        after_label: bool,
    },
}

fn number_forms(text: &str, i: usize, arrows: bool) -> AtNumber<'_> {
    let rest = &text[i..];
    // What follows the number decides which forms could match, so the others are not
    // tried (each would re-read the number only to fail after it). The tests are looser
    // than the forms: a form skipped here could not have matched.
    let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
    let maybe_quorum = digits > 0 && rest.as_bytes().get(digits) == Some(&b'f');
    let number = number(rest).ok();
    let next = number.and_then(|(r, _)| r.trim_start_matches(is_space).chars().next());
    let maybe_ratio = matches!(next, Some('/' | 'o' | 'O'));
    let maybe_unit = next.is_some_and(|c| {
        matches!(
            c.to_ascii_lowercase(),
            '%' | '×' | 'x' | 'n' | 'm' | 's' | 'h' | 'b' | 'u' | 'k' | 'g' | 'o' | 'µ' | 'μ'
        )
    });
    let forms: [(bool, Form); 4] = [
        (maybe_quorum, quorum),
        (arrows, transition),
        (maybe_ratio, ratio),
        (maybe_unit, quantity_claim),
    ];
    for (_, form) in forms.iter().filter(|(maybe, _)| *maybe) {
        if let Ok((r, kind)) = form(rest) {
            return AtNumber::Claim(kind, text.len() - r.len());
        }
    }
    let after_label = follows_label(&text[..i]);
    if !after_label {
        if let Ok((r, kind)) = count(rest) {
            return AtNumber::Claim(kind, text.len() - r.len());
        }
    }
    AtNumber::Bare {
        number,
        after_label,
    }
}

/// `2f+1 = 5`, `2f + 1 = 5`, `3f+1=7`; also `f+1 = 3` from [`word_forms`].
fn quorum(i: &str) -> R<'_, ClaimKind> {
    let (r, coefficient) = match digits(i, 1) {
        Ok((r, d)) => (
            r,
            d.parse::<u64>()
                .map_err(|_| nom::Err::Error(Error::new(i, ErrorKind::Digit)))?,
        ),
        Err(_) => (i, 1),
    };
    let (r, _) = tag("f")(r)?;
    let (r, _) = sp(r)?;
    let (r, op) = nom::character::complete::one_of("+-−")(r)?;
    let (r, _) = sp(r)?;
    let (r, off) = integer(r)?;
    let (r, _) = sp(r)?;
    let (r, _) = tag("=")(r)?;
    let (r, _) = nom::combinator::opt(tag("=")).parse(r)?;
    let (r, _) = sp(r)?;
    let (r, stated) = integer(r)?;
    let Ok(off) = i64::try_from(off) else {
        return fail(i);
    };
    let offset = if op == '+' { off } else { -off };
    Ok((
        r,
        ClaimKind::QuorumArithmetic {
            coefficient,
            offset,
            stated,
        },
    ))
}

/// One side of a transition: a number with or without unit, optionally after `~` or a
/// comparator (`<5min`).
fn transition_side(i: &str) -> R<'_, &str> {
    let (r, _) = nom::combinator::opt(nom::character::complete::one_of("~<>≤≥")).parse(i)?;
    let (r, _) = quantity_any(r)?;
    Ok((r, &i[..i.len() - r.len()]))
}

/// `0→1`, `0 -> 1`, `0% → 87.5%`.
fn transition(i: &str) -> R<'_, ClaimKind> {
    let (r, from) = transition_side(i)?;
    let (r, _) = sp(r)?;
    let (r, _) = nom::branch::alt((tag("→"), tag("->"), tag("⟶"))).parse(r)?;
    let (r, _) = sp(r)?;
    let (r, to) = transition_side(r)?;
    Ok((
        r,
        ClaimKind::Transition {
            from: from.into(),
            to: to.into(),
        },
    ))
}

/// Function words, months and the like that are never the noun of a count or ratio,
/// compared in lower case (a `match`, so the compiler picks the candidates by length).
fn is_stopword(w: &str) -> bool {
    if w.len() > 9 {
        return false;
    }
    let mut buf = [0u8; 9];
    for (d, s) in buf.iter_mut().zip(w.bytes()) {
        *d = s.to_ascii_lowercase();
    }
    matches!(
        &buf[..w.len()],
        b"a"
            | b"an"
            | b"the"
            | b"of"
            | b"and"
            | b"or"
            | b"nor"
            | b"to"
            | b"in"
            | b"on"
            | b"at"
            | b"by"
            | b"for"
            | b"from"
            | b"with"
            | b"without"
            | b"is"
            | b"are"
            | b"was"
            | b"were"
            | b"be"
            | b"been"
            | b"has"
            | b"have"
            | b"had"
            | b"as"
            | b"per"
            | b"vs"
            | b"than"
            | b"then"
            | b"that"
            | b"this"
            | b"these"
            | b"those"
            | b"out"
            | b"over"
            | b"under"
            | b"within"
            | b"into"
            | b"via"
            | b"but"
            | b"not"
            | b"no"
            | b"if"
            | b"it"
            | b"its"
            | b"am"
            | b"pm"
            | b"more"
            | b"less"
            | b"times"
            | b"x"
        // Months: `4096 Nov 24` is a file listing, `24 September` a date.
            | b"jan"
            | b"feb"
            | b"mar"
            | b"apr"
            | b"may"
            | b"jun"
            | b"jul"
            | b"aug"
            | b"sep"
            | b"sept"
            | b"oct"
            | b"nov"
            | b"dec"
            | b"january"
            | b"february"
            | b"march"
            | b"april"
            | b"june"
            | b"july"
            | b"august"
            | b"september"
            | b"october"
            | b"november"
            | b"december"
    )
}

/// A noun word: letters and inner hyphens, at most [`MAX_WORD`] bytes, not all capitals
/// (`PASS`, `TIER`, `UTC` are labels, not things counted), not a function word.
fn noun_word(i: &str) -> R<'_, &str> {
    let (r, w) =
        nom::bytes::complete::take_while_m_n(1, MAX_WORD, |c: char| c.is_alphabetic() || c == '-')(
            i,
        )?;
    let (r, ()) = boundary(r)?;
    let starts_alpha = w.starts_with(char::is_alphabetic);
    let all_caps =
        w.chars().filter(|c| c.is_alphabetic()).count() >= 2 && !w.chars().any(char::is_lowercase);
    let stop = is_stopword(w);
    if !starts_alpha || w.ends_with('-') || all_caps || stop {
        return fail(i);
    }
    Ok((r, w))
}

/// Up to three noun words; a participle (`detected`, `cleaned`) after the first ends it.
fn noun_phrase(i: &str) -> R<'_, &str> {
    let (mut r, _) = noun_word(i)?;
    for _ in 0..2 {
        let Ok((r2, _)) = sp1(r) else { break };
        let Ok((r3, w)) = noun_word(r2) else { break };
        if w.len() > 3 && w.ends_with("ed") {
            break;
        }
        r = r3;
    }
    // `2 malicious/failed nodes`: the phrase goes on past what a word can hold.
    if r.starts_with('/') && r[1..].starts_with(is_word_char) {
        return fail(i);
    }
    Ok((r, &i[..i.len() - r.len()]))
}

const SIGNERS: &[&str] = &[
    "nodes",
    "node",
    "validators",
    "validator",
    "signers",
    "signer",
    "replicas",
    "replica",
    "peers",
    "peer",
    "members",
    "member",
    "keys",
    "key",
    "authorities",
    "parties",
];
const SIGN_VERBS: &[&str] = &[
    "confirmed",
    "signed",
    "co-signed",
    "countersigned",
    "attested",
    "endorsed",
    "approved",
];

/// `5/5`, `16/17 tests`, `3 out of 4 phases`, `12 of 24 tests`; signature claims
/// (`5/7 nodes confirmed`, `7/7 signatures`) become [`ClaimKind::Signatures`].
fn ratio(i: &str) -> R<'_, ClaimKind> {
    let (r, n) = number(i)?;
    let Some(num) = n.int else { return fail(i) };
    let r = if let Ok((r, _)) = nom::sequence::delimited(sp, tag("/"), sp).parse(r) {
        r
    } else {
        let (r, _) = sp1(r)?;
        let (r, _) = nom::branch::alt((
            |i| {
                let (i, _) = kw("out")(i)?;
                let (i, _) = sp1(i)?;
                kw("of")(i)
            },
            kw("of"),
        ))
        .parse(r)?;
        let (r, _) = sp1(r)?;
        r
    };
    let (r, den) = integer(r)?;
    let (r, ()) = boundary(r)?;
    ratio_tail(r, num, den)
}

/// The noun after a ratio, and the signature reading of it.
fn ratio_tail(r: &str, num: u64, den: u64) -> R<'_, ClaimKind> {
    let Ok((r2, noun)) = nom::sequence::preceded(sp1, noun_word).parse(r) else {
        return Ok((
            r,
            ClaimKind::Ratio {
                num,
                den,
                noun: None,
            },
        ));
    };
    let signatures = ClaimKind::Signatures {
        signed: num,
        total: den,
    };
    if one_of(noun, &["signatures", "signature", "sigs"]).is_ok() {
        return Ok((r2, signatures));
    }
    if SIGNERS.iter().any(|s| s.eq_ignore_ascii_case(noun)) {
        if let Ok((r3, _)) = nom::sequence::preceded(sp1, |i| one_of(i, SIGN_VERBS)).parse(r2) {
            return Ok((r3, signatures));
        }
    }
    Ok((
        r2,
        ClaimKind::Ratio {
            num,
            den,
            noun: Some(noun.into()),
        },
    ))
}

/// A quantity with a unit, read as a success rate when `success rate` follows a percentage.
fn quantity_claim(i: &str) -> R<'_, ClaimKind> {
    let (r, quantity) = quantity_unit(i)?;
    if quantity.unit == Some(Unit::Percent) {
        if let Ok((r2, _)) = nom::sequence::preceded(sp1, success_rate_words).parse(r) {
            return Ok((
                r2,
                ClaimKind::SuccessRate {
                    percent: quantity.value,
                },
            ));
        }
    }
    Ok((r, ClaimKind::Quantity { quantity }))
}

fn success_rate_words(i: &str) -> R<'_, ()> {
    let (r, _) = kw("success")(i)?;
    let (r, _) = sp1(r)?;
    let (r, _) = kw("rate")(r)?;
    Ok((r, ()))
}

/// `5 honest nodes`, `2 malicious actors`.
fn count(i: &str) -> R<'_, ClaimKind> {
    let (r, value) = integer(i)?;
    let (r, _) = sp1(r)?;
    let (r, noun) = noun_phrase(r)?;
    Ok((
        r,
        ClaimKind::Count {
            value,
            noun: noun.into(),
        },
    ))
}

/// Words after which a number is an ordinal label, not a count: `Phase 2 validation`,
/// `Round 4 results`, `Node 3 status`.
const LABELS: &[&str] = &[
    "phase",
    "round",
    "stage",
    "step",
    "tier",
    "level",
    "version",
    "release",
    "option",
    "priority",
    "milestone",
    "week",
    "day",
    "part",
    "section",
    "chapter",
    "item",
    "issue",
    "test",
    "line",
    "node",
    "validator",
    "agent",
    "batch",
    "iteration",
    "sprint",
    "task",
    "wave",
    "gate",
    "layer",
    "question",
    "rule",
    "case",
    "scenario",
    "attempt",
    "run",
    "epoch",
    "block",
    "page",
    "figure",
    "table",
    "appendix",
    "no",
    "number",
    "pr",
    "ticket",
    "worker",
    "replica",
    "shard",
    "cluster",
    "group",
    "team",
    "fix",
    "finding",
    "recommendation",
    "criterion",
    "check",
    "category",
    "term",
    "year",
    "month",
    "cycle",
    "generation",
];

fn follows_label(before: &str) -> bool {
    let trimmed = before.trim_end_matches(is_space);
    if trimmed.len() == before.len() || before.len() - trimmed.len() > 3 {
        return false;
    }
    let start = trimmed
        .char_indices()
        .rev()
        .take_while(|&(_, c)| is_word_char(c))
        .last()
        .map_or(trimmed.len(), |(k, _)| k);
    let word = &trimmed[start..];
    LABELS.iter().any(|l| l.eq_ignore_ascii_case(word))
}

// ---------------------------------------------------------------------------------------
// Forms that start at a word.

enum Word {
    Claim(ClaimKind),
    /// `out of 4 nodes`: a total whose part is the count before it (see the module docs).
    DetachedTotal {
        den: u64,
        noun: Str,
    },
}

/// Returns the claim and its end offset within `i`.
/// `len`: how many ASCII letters and digits `i` starts with (the word the forms are
/// dispatched on).
fn word_forms(i: &str, len: usize) -> Option<(Word, usize)> {
    // Dispatch on the word itself: most words of prose start no form, and rejecting them
    // with one comparison instead of trying every keyword keeps the per-word cost small.
    let b = i.as_bytes();
    if len == 0
        || len > 16
        || FORM_LENGTHS[usize::from((b[0] | 0x20).wrapping_sub(b'a')) % 32] >> len & 1 == 0
    {
        return None;
    }
    let mut buf = [0u8; 16];
    for (d, s) in buf.iter_mut().zip(&b[..len]) {
        *d = s.to_ascii_lowercase();
    }
    // Compared as bytes: the word is ASCII alphanumerics, so no UTF-8 check is needed.
    // Every word below is in `FORM_WORDS`, `FORM_PREFIXES` or `THRESHOLD_FIRST_WORDS`:
    // `FORM_LENGTHS` has let through only words that may be one of them (an arm whose word
    // is missing there is never reached, so its form's tests fail).
    let word = &buf[..len];
    let forms: &[Form] = match word {
        b"f" => &[fault_tolerance, quorum],
        b"n" => &[fault_tolerance],
        b"success" => &[success_rate_label],
        b"from" => &[from_transition],
        b"out" => {
            let (r, (den, noun)) = detached_total(i).ok()?;
            let noun = noun.into();
            return Some((Word::DetachedTotal { den, noun }, i.len() - r.len()));
        }
        w if FORM_PREFIXES.iter().any(|p| w.starts_with(p.as_bytes())) || w == b"md5" => &[hash],
        w if THRESHOLD_FIRST_WORDS.iter().any(|t| t.as_bytes() == w) => &[word_threshold],
        _ => return None,
    };
    forms.iter().find_map(|form| {
        let (r, kind) = form(i).ok()?;
        Some((Word::Claim(kind), i.len() - r.len()))
    })
}

/// The other words [`word_forms`] dispatches on, and the prefixes it takes at any length
/// (`sha256`, `blake3`), lower case.
const FORM_WORDS: &[&str] = &["f", "n", "success", "from", "out", "md5"];
const FORM_PREFIXES: &[&str] = &["sha", "blake"];

/// Per first letter (`a` = 0; 32 entries so that any byte indexes it), bit `k` set when a
/// word of `k` ASCII letters and digits may be one of [`FORM_WORDS`], [`FORM_PREFIXES`] or
/// [`THRESHOLD_FIRST_WORDS`]. One lookup rejects most words of prose before they are
/// lower-cased and compared.
static FORM_LENGTHS: [u32; 32] = {
    let words = with_lengths([0; 32], FORM_WORDS, false);
    let words = with_lengths(words, THRESHOLD_FIRST_WORDS, false);
    with_lengths(words, FORM_PREFIXES, true)
};

/// `table` with the length of each of `words` marked under its first letter, and every
/// longer length too when `prefixes`.
const fn with_lengths(mut table: [u32; 32], words: &[&str], prefixes: bool) -> [u32; 32] {
    let mut k = 0;
    while k < words.len() {
        let w = words[k].as_bytes();
        table[(w[0] - b'a') as usize] |= if prefixes {
            !0 << w.len()
        } else {
            1 << w.len()
        };
        k += 1;
    }
    table
}

/// The words a [`word_threshold`] can begin with (adverbs and the first word of each
/// relation), lower case.
const THRESHOLD_FIRST_WORDS: &[&str] = &[
    "well",
    "just",
    "far",
    "comfortably",
    "safely",
    "still",
    "no",
    "not",
    "at",
    "within",
    "less",
    "lower",
    "fewer",
    "under",
    "below",
    "more",
    "greater",
    "higher",
    "exceeding",
    "exceeds",
    "exceeded",
    "exceed",
    "above",
    "over",
];

/// `sha256:<hex>`, `SHA-256: <hex>`.
fn hash(i: &str) -> R<'_, ClaimKind> {
    const ALGORITHMS: &[&str] = &[
        "sha3-256", "sha3-384", "sha3-512", "sha-256", "sha-384", "sha-512", "sha-224", "sha256",
        "sha384", "sha512", "sha224", "sha-1", "sha1", "blake2b", "blake2s", "blake3", "md5",
    ];
    let (r, algorithm) = one_of(i, ALGORITHMS)?;
    let (r, _) = sp(r)?;
    let (r, _) = tag(":")(r)?;
    let (r, space) = sp(r)?;
    let (r, hex) =
        nom::bytes::complete::take_while_m_n(1, 1024, |c: char| c.is_ascii_alphanumeric())(r)?;
    let (r, ()) = boundary(r)?;
    // After `SHA-256: ` (with a space) prose may follow instead of a digest; a digest has
    // digits, a word does not.
    if !space.is_empty() && !hex.contains(|c: char| c.is_ascii_digit()) {
        return fail(i);
    }
    let algorithm = algorithm.to_ascii_lowercase();
    let algorithm = match algorithm.strip_prefix("sha-") {
        Some(bits) => format!("sha{bits}"),
        None => algorithm,
    }
    .into();
    Ok((
        r,
        ClaimKind::Hash {
            algorithm,
            hex: hex.into(),
        },
    ))
}

fn assign<'a>(name: &'static str) -> impl Fn(&'a str) -> R<'a, u64> {
    move |i| {
        let (r, _) = tag(name)(i)?;
        let (r, _) = sp(r)?;
        let (r, _) = tag("=")(r)?;
        let (r, _) = sp(r)?;
        integer(r)
    }
}

/// `7-node`, `7 nodes`, `7-validator`.
fn node_count(i: &str) -> R<'_, u64> {
    let (r, n) = number(i)?;
    let Some(n) = n.int else { return fail(i) };
    let (r, _) = nom::branch::alt((tag("-node"), tag(" node"), tag("-validator"))).parse(r)?;
    let (r, _) = nom::combinator::opt(tag("s")).parse(r)?;
    let (r, ()) = boundary(r)?;
    Ok((r, n))
}

/// `f=2`, `f = 2`, `f=2 (7-node configuration)`, `f=2 (n=7)`, `f=2 of 7 nodes`, `f=2, n=7`,
/// `n=7, f=2`.
fn fault_tolerance(i: &str) -> R<'_, ClaimKind> {
    if let Ok((r, n)) = assign("n")(i) {
        let (r, _) = nom::sequence::pair(tag(","), sp).parse(r)?;
        let (r, f) = assign("f")(r)?;
        let (r, ()) = boundary(r)?;
        return Ok((r, ClaimKind::FaultTolerance { f, n: Some(n) }));
    }
    let (r, f) = assign("f")(i)?;
    let (r, ()) = boundary(r)?;
    let tails: [fn(&str) -> R<'_, u64>; 3] = [
        |r| {
            nom::sequence::preceded(
                (sp, tag("("), sp),
                nom::branch::alt((node_count, assign("n"))),
            )
            .parse(r)
        },
        |r| nom::sequence::preceded((sp, tag(","), sp), assign("n")).parse(r),
        |r| nom::sequence::preceded((sp1, kw("of"), sp1), node_count).parse(r),
    ];
    for tail in tails {
        if let Ok((r2, n)) = tail(r) {
            return Ok((r2, ClaimKind::FaultTolerance { f, n: Some(n) }));
        }
    }
    Ok((r, ClaimKind::FaultTolerance { f, n: None }))
}

/// `Success Rate: 100%`, `**Success Rate**: 94.1%`, `success rate of 94.1%`.
fn success_rate_label(i: &str) -> R<'_, ClaimKind> {
    let (r, ()) = success_rate_words(i)?;
    let (r, _) = nom::bytes::complete::take_while_m_n(0, 8, |c: char| {
        is_space(c) || matches!(c, '*' | ':' | '=' | '_')
    })(r)?;
    let (r, _) = nom::combinator::opt(nom::sequence::pair(kw("of"), sp1)).parse(r)?;
    let (r, q) = quantity_unit(r)?;
    if q.unit != Some(Unit::Percent) {
        return fail(i);
    }
    Ok((r, ClaimKind::SuccessRate { percent: q.value }))
}

/// `well under 10%`: the adverb is part of the claim's text, and changes nothing.
const THRESHOLD_ADVERBS: &[&str] = &["well", "just", "far", "comfortably", "safely", "still"];

const RELATION_WORDS: &[(&str, Relation)] = &[
    ("no more than", Relation::Le),
    ("not exceeding", Relation::Le),
    ("at most", Relation::Le),
    ("within", Relation::Le),
    ("no less than", Relation::Ge),
    ("at least", Relation::Ge),
    ("less than", Relation::Lt),
    ("lower than", Relation::Lt),
    ("fewer than", Relation::Lt),
    ("under", Relation::Lt),
    ("below", Relation::Lt),
    ("more than", Relation::Gt),
    ("greater than", Relation::Gt),
    ("higher than", Relation::Gt),
    ("exceeding", Relation::Gt),
    ("exceeds", Relation::Gt),
    ("exceeded", Relation::Gt),
    ("exceed", Relation::Gt),
    ("above", Relation::Gt),
    ("over", Relation::Gt),
];

const LIMIT_WORDS: &[&str] = &[
    "threshold",
    "target",
    "limit",
    "required",
    "requirement",
    "maximum",
    "minimum",
    "max",
    "min",
    "budget",
    "sla",
    "allowed",
];

/// Words, possibly several separated by single spaces, matched case-insensitively.
fn phrase<'a>(i: &'a str, words: &str) -> R<'a, ()> {
    let mut r = i;
    for (k, w) in words.split(' ').enumerate() {
        if k > 0 {
            r = sp1(r)?.0;
        }
        let (r2, got) = nom::bytes::complete::take_while_m_n(w.len(), w.len(), |c: char| {
            c.is_ascii_alphabetic()
        })(r)?;
        if !got.eq_ignore_ascii_case(w) {
            return fail(i);
        }
        r = boundary(r2)?.0;
    }
    Ok((r, ()))
}

/// `within 1s threshold`, `well under 10%`, `below the required 75%`, `exceeds 5x`,
/// `at least 2`. A bare limit must not be followed by a word (`exceeds 64 advertised`,
/// `within 6 months` say nothing measurable).
fn word_threshold(i: &str) -> R<'_, ClaimKind> {
    let (r, _) = nom::combinator::opt(nom::sequence::pair(|i| one_of(i, THRESHOLD_ADVERBS), sp1))
        .parse(i)?;
    let Some((r, relation)) = RELATION_WORDS
        .iter()
        .find_map(|&(w, rel)| phrase(r, w).ok().map(|(r, ())| (r, rel)))
    else {
        return fail(i);
    };
    let (r, _) = sp1(r)?;
    let (r, _) = nom::combinator::opt(nom::sequence::pair(kw("the"), sp1)).parse(r)?;
    let (r, _) = nom::combinator::opt(nom::sequence::pair(
        nom::sequence::pair(
            |i| one_of(i, LIMIT_WORDS),
            nom::combinator::opt((sp1, kw("of"))),
        ),
        sp1,
    ))
    .parse(r)?;
    let (r, limit) = match quantity_unit(r) {
        Ok(ok) => ok,
        Err(_) => {
            let (r2, q) = bare_number(r)?;
            if nom::sequence::preceded(sp1, nom::character::complete::satisfy(char::is_alphabetic))
                .parse(r2)
                .is_ok()
            {
                return fail(i);
            }
            (r2, q)
        }
    };
    let (r, _) = limit_tail(r)?;
    Ok((
        r,
        ClaimKind::Threshold {
            relation,
            limit,
            measured: None,
        },
    ))
}

/// The optional word naming the limit after it: `threshold`, `target`, `required` ….
fn limit_tail(i: &str) -> R<'_, ()> {
    match nom::sequence::preceded(sp1, |i| one_of(i, LIMIT_WORDS)).parse(i) {
        Ok((r, _)) => Ok((r, ())),
        Err(_) => Ok((i, ())),
    }
}

/// `<100ms`, `< 100ms`, `<=`, `≤`, `>`, `≥0.90`, `>=`, `>85% required`.
fn symbol_threshold(i: &str) -> R<'_, ClaimKind> {
    let (r, relation) = nom::branch::alt((
        nom::combinator::value(
            Relation::Le,
            nom::branch::alt((tag("<="), tag("≤"), tag("⩽"))),
        ),
        nom::combinator::value(
            Relation::Ge,
            nom::branch::alt((tag(">="), tag("≥"), tag("⩾"))),
        ),
        nom::combinator::value(Relation::Lt, tag("<")),
        nom::combinator::value(Relation::Gt, tag(">")),
    ))
    .parse(i)?;
    let (r, _) = sp(r)?;
    let (r, limit) = quantity_any(r)?;
    let (r, _) = limit_tail(r)?;
    Ok((
        r,
        ClaimKind::Threshold {
            relation,
            limit,
            measured: None,
        },
    ))
}

/// `from 0→1`, and in words `from 269ms to <50ms`: a change or a target, not a value
/// measured against a limit (the `<50ms` is not a threshold for 269ms).
fn from_transition(i: &str) -> R<'_, ClaimKind> {
    let (r, _) = kw("from")(i)?;
    let (r, _) = sp1(r)?;
    if let Ok(ok) = transition(r) {
        return Ok(ok);
    }
    let (r, from) = transition_side(r)?;
    let (r, _) = (sp1, kw("to"), sp1).parse(r)?;
    let (r, to) = transition_side(r)?;
    Ok((
        r,
        ClaimKind::Transition {
            from: from.into(),
            to: to.into(),
        },
    ))
}

/// `out of 4 nodes`.
fn detached_total(i: &str) -> R<'_, (u64, &str)> {
    let (r, ()) = phrase(i, "out of")?;
    let (r, _) = sp1(r)?;
    let (r, den) = integer(r)?;
    let (r, _) = sp1(r)?;
    let (r, noun) = noun_word(r)?;
    Ok((r, (den, noun)))
}
