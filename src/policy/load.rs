//! Loading a policy: read (size-capped), parse strictly, validate every value, follow
//! `extends`, merge, fill defaults, digest.
//!
//! # How errors find their line and column
//! A file goes through three passes, each of which knows where it is in the YAML:
//! 1. **Syntax**: the text is deserialised into `serde::de::IgnoredAny`. That walks the event
//!    stream without following aliases, so it is linear in the file size; any error here is a
//!    YAML syntax error and libyaml's mark gives its position.
//! 2. **Shape**: the text is deserialised into [`PolicyFile`] (every struct `deny_unknown_fields`).
//!    serde_norway attaches the mark of the offending event to each error: the key for an
//!    unknown key, the value for a wrong type.
//! 3. **Values**: expressions, durations, quantities, percentages, globs and rule ids are kept
//!    as text by pass 2 and parsed here. When one is bad, its location is found by asking
//!    serde_norway again: a probe `DeserializeSeed` walks the document along the value's path
//!    (`checks.thresholds[0].max`) and fails on purpose when it reaches it, so serde_norway
//!    stamps that error with the value's own mark — exact for block, flow and quoted styles
//!    alike. The column inside the value is then added when the source at that mark spells
//!    the value literally (plain or quoted without escapes); otherwise the label covers the
//!    start of the value.
//!
//! # Hostile files
//! A policy is read only up to [`Limits::max_policy_bytes`] (256 KiB by default: the shipped
//! policies are ~2 KiB; at the cap, libyaml's event list stays a few MiB). Alias bombs cannot
//! expand: pass 1 does not follow aliases, and in pass 2 no field of the format holds a list of
//! lists or a free-form mapping, so an alias can only stand for a small, fixed-shape value;
//! serde_norway also stops after 100 alias jumps per event. Nesting is bounded by the format's
//! fixed depth (4) and, beneath it, serde_norway's recursion limit of 128 (tests pin both).
//! Flow nesting (`[[[[…`) is bounded before libyaml sees the text: see [`MAX_FLOW_OPENERS`].
//! Block nesting needs indentation, so the size cap bounds it, and it costs libyaml linear time.
//!
//! # `extends` and merging
//! `extends:` names one other policy file, relative to the extending file's directory, or a
//! built-in policy as `builtin:<name>`. Chains are at most [`MAX_EXTENDS`] files long; a file
//! that is already in the chain (including the file itself) is an error. The child overrides
//! the parent key by key: within each section, a key the child sets replaces the parent's and
//! a key it omits is inherited; lists (`algorithms`, `required_sections`, `thresholds`) are
//! replaced whole, never concatenated; `rules:` merges per rule id. `policy:` (the name) is
//! required in every file and the child's wins. A keyring path is resolved against the
//! directory of the file that names it.

use crate::limits::Limits;
use crate::policy::expr::Expr;
use crate::policy::model::*;
use crate::rules;
use miette::{Diagnostic, LabeledSpan, NamedSource, SourceCode, SourceSpan};
use serde::de::{DeserializeSeed, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::{Deserialize, Deserializer};
use std::fmt;
use std::io::Read;
use std::path::{Path, PathBuf};

/// Most `[` and `{` characters a policy may contain. libyaml's work on flow collections grows
/// with the square of their nesting depth (it re-checks every open level per token), so depth
/// must be bounded before parsing. Counting the characters, quoted or not, bounds the depth
/// without lexing YAML and cannot be fooled by quotes; real policies use a handful.
pub const MAX_FLOW_OPENERS: usize = 1024;

/// Most entries in `checks.required_sections` and in `checks.thresholds`: each compiles a
/// glob matcher (a regex), which costs time and memory a hostile file must not multiply.
pub const MAX_PATTERNS: usize = 256;
/// Longest glob pattern, in bytes.
pub const MAX_PATTERN_LEN: usize = 256;

/// Longest `extends` chain, counting the file itself.
pub const MAX_EXTENDS: usize = 8;

/// Policies compiled into the binary, so `verdict verify` works with no `--policy`.
pub const BUILTIN: &[(&str, &str)] = &[
    (
        "bft-production",
        include_str!("../../policies/bft-production.yaml"),
    ),
    (
        "bft-staging",
        include_str!("../../policies/bft-staging.yaml"),
    ),
];

/// The policy used when none is given.
pub const DEFAULT_POLICY: &str = "bft-production";

/// What went wrong; each kind is a stable diagnostic code `policy::<kind>`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    Io,
    TooLarge,
    Encoding,
    Empty,
    Syntax,
    UnknownKey,
    MissingKey,
    DuplicateKey,
    WrongType,
    BadValue,
    BadExpression,
    BadDuration,
    BadQuantity,
    UnknownRule,
    ExtendsCycle,
    ExtendsTooDeep,
    TooComplex,
}

impl ErrorKind {
    pub fn code(self) -> &'static str {
        match self {
            ErrorKind::Io => "policy::io",
            ErrorKind::TooLarge => "policy::too_large",
            ErrorKind::Encoding => "policy::encoding",
            ErrorKind::Empty => "policy::empty",
            ErrorKind::Syntax => "policy::syntax",
            ErrorKind::UnknownKey => "policy::unknown_key",
            ErrorKind::MissingKey => "policy::missing_key",
            ErrorKind::DuplicateKey => "policy::duplicate_key",
            ErrorKind::WrongType => "policy::wrong_type",
            ErrorKind::BadValue => "policy::bad_value",
            ErrorKind::BadExpression => "policy::bad_expression",
            ErrorKind::BadDuration => "policy::bad_duration",
            ErrorKind::BadQuantity => "policy::bad_quantity",
            ErrorKind::UnknownRule => "policy::unknown_rule",
            ErrorKind::ExtendsCycle => "policy::extends_cycle",
            ErrorKind::ExtendsTooDeep => "policy::extends_too_deep",
            ErrorKind::TooComplex => "policy::too_complex",
        }
    }
}

/// A policy that cannot be used (exit 2). Points into the policy file when there is a place.
#[derive(Debug, thiserror::Error)]
#[error("{message}")]
pub struct PolicyError {
    pub kind: ErrorKind,
    pub message: String,
    pub help: Option<String>,
    /// 1-based line and column in the policy file, when known.
    pub line: Option<usize>,
    pub column: Option<usize>,
    /// Boxed: the source text is only there when a label is, and errors stay small.
    located: Option<Box<Located>>,
}

#[derive(Debug)]
struct Located {
    label: String,
    span: SourceSpan,
    src: NamedSource<String>,
}

impl PolicyError {
    fn bare(kind: ErrorKind, message: impl Into<String>, help: Option<String>) -> Self {
        PolicyError {
            kind,
            message: message.into(),
            help,
            line: None,
            column: None,
            located: None,
        }
    }
}

impl Diagnostic for PolicyError {
    fn code<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        Some(Box::new(self.kind.code()))
    }
    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.help
            .as_ref()
            .map(|h| Box::new(h) as Box<dyn fmt::Display>)
    }
    fn source_code(&self) -> Option<&dyn SourceCode> {
        self.located.as_ref().map(|l| &l.src as &dyn SourceCode)
    }
    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        let l = self.located.as_ref()?;
        Some(Box::new(std::iter::once(LabeledSpan::new_with_span(
            Some(l.label.clone()),
            l.span,
        ))))
    }
}

/// Where a policy file came from.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Origin {
    File(PathBuf),
    Builtin(&'static str),
}

impl Origin {
    fn display(&self) -> String {
        match self {
            Origin::File(p) => p.display().to_string(),
            Origin::Builtin(n) => format!("builtin:{n}"),
        }
    }
}

/// One parsed and validated file of an `extends` chain.
struct Layer {
    file: PolicyFile,
    display: String,
    /// The keyring as written and resolved against this file's directory.
    keyring: Option<(String, PathBuf)>,
}

/// Load a policy file (and what it extends), validated and resolved.
pub fn load(path: &Path, limits: &Limits) -> Result<Policy, PolicyError> {
    load_chain(Origin::File(path.to_path_buf()), limits)
}

/// Load a built-in policy by name (`bft-production`, `bft-staging`).
pub fn load_builtin(name: &str) -> Result<Policy, PolicyError> {
    match BUILTIN.iter().find(|(n, _)| *n == name) {
        Some((n, _)) => load_chain(Origin::Builtin(n), &Limits::default()),
        None => Err(PolicyError::bare(
            ErrorKind::Io,
            format!("no built-in policy named `{name}`"),
            Some(format!("built-in policies: {}", builtin_names())),
        )),
    }
}

/// The default policy (`bft-production`, embedded in the binary).
pub fn default_policy() -> Result<Policy, PolicyError> {
    load_builtin(DEFAULT_POLICY)
}

fn builtin_names() -> String {
    BUILTIN
        .iter()
        .map(|(n, _)| *n)
        .collect::<Vec<_>>()
        .join(", ")
}

fn load_chain(first: Origin, limits: &Limits) -> Result<Policy, PolicyError> {
    let mut layers: Vec<Layer> = Vec::new();
    // Canonical identity (for the cycle test) and the path as the user wrote it (for messages).
    let mut seen: Vec<(Origin, String)> = Vec::new();
    let mut next = Some((first, None::<(String, NamedSource<String>, usize)>));
    while let Some((origin, from)) = next.take() {
        let identity = identity(&origin);
        if let Some(pos) = seen.iter().position(|(o, _)| *o == identity) {
            let mut chain: Vec<String> = seen[pos..].iter().map(|(_, d)| d.clone()).collect();
            chain.push(origin.display());
            let mut err = PolicyError::bare(
                ErrorKind::ExtendsCycle,
                format!("`extends` forms a cycle: {}", chain.join(" -> ")),
                Some("a policy may extend another, never itself directly or through others".into()),
            );
            if let Some((text, src, offset)) = from {
                attach(
                    &mut err,
                    src,
                    offset,
                    text.len(),
                    "extends a policy already in the chain",
                );
            }
            return Err(err);
        }
        if seen.len() >= MAX_EXTENDS {
            let mut err = PolicyError::bare(
                ErrorKind::ExtendsTooDeep,
                format!("`extends` chain longer than {MAX_EXTENDS} files"),
                Some("flatten the policy hierarchy".into()),
            );
            if let Some((text, src, offset)) = from {
                attach(&mut err, src, offset, text.len(), "one level too many");
            }
            return Err(err);
        }
        seen.push((identity, origin.display()));
        let (source, dir) = read_origin(&origin, limits, from.as_ref())?;
        let display = origin.display();
        let named = || NamedSource::new(display.clone(), source.clone());
        let file = parse_file(&source, &named)?;
        validate(&file, &source, &named)?;
        let keyring = match file.signatures.as_ref().and_then(|s| s.keyring.clone()) {
            None => None,
            Some(k) => {
                let base = dir.clone().unwrap_or_default();
                let resolved = base.join(&k);
                Some((k, resolved))
            }
        };
        if let Some(ext) = file.extends.clone() {
            let path = [Seg::Key("extends")];
            let offset = locate(&source, &path).map(|l| value_start(&source, l));
            let parent = match (&origin, ext.strip_prefix("builtin:")) {
                (_, Some(name)) => builtin_origin(name),
                (Origin::Builtin(_), None) => builtin_origin(ext.trim_end_matches(".yaml")),
                (Origin::File(_), None) => {
                    Some(Origin::File(dir.clone().unwrap_or_default().join(&ext)))
                }
            };
            let Some(parent) = parent else {
                let mut err = PolicyError::bare(
                    ErrorKind::BadValue,
                    format!("`extends: {ext}` names no built-in policy"),
                    Some(format!("built-in policies: {}", builtin_names())),
                );
                if let Some(o) = offset {
                    attach(&mut err, named(), o, ext.len(), "unknown built-in policy");
                }
                return Err(err);
            };
            next = Some((parent, offset.map(|o| (ext.clone(), named(), o))));
        }
        layers.push(Layer {
            file,
            display,
            keyring,
        });
    }
    resolve(layers)
}

fn builtin_origin(name: &str) -> Option<Origin> {
    BUILTIN
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(n, _)| Origin::Builtin(n))
}

/// Files are compared by canonical path so `./a.yaml` and `a.yaml` are the same file.
fn identity(origin: &Origin) -> Origin {
    match origin {
        Origin::File(p) => Origin::File(std::fs::canonicalize(p).unwrap_or_else(|_| p.clone())),
        b => b.clone(),
    }
}

fn attach(err: &mut PolicyError, src: NamedSource<String>, offset: usize, len: usize, label: &str) {
    let (line, column) = line_col(src.inner(), offset);
    err.line = Some(line);
    err.column = Some(column);
    err.located = Some(Box::new(Located {
        label: label.to_string(),
        span: SourceSpan::new(offset.into(), len),
        src,
    }));
}

/// 1-based line and character column of a byte offset.
fn line_col(src: &str, offset: usize) -> (usize, usize) {
    let offset = floor_boundary(src, offset);
    let before = &src[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    (line, before[line_start..].chars().count() + 1)
}

fn floor_boundary(s: &str, mut i: usize) -> usize {
    i = i.min(s.len());
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

fn read_origin(
    origin: &Origin,
    limits: &Limits,
    from: Option<&(String, NamedSource<String>, usize)>,
) -> Result<(String, Option<PathBuf>), PolicyError> {
    let path = match origin {
        Origin::Builtin(name) => {
            let text = BUILTIN
                .iter()
                .find(|(n, _)| n == name)
                .map(|(_, t)| t.to_string())
                .unwrap_or_default();
            return Ok((text, None));
        }
        Origin::File(p) => p,
    };
    let io_err = |e: std::io::Error| {
        let mut err = PolicyError::bare(
            ErrorKind::Io,
            format!("cannot read policy {}: {e}", path.display()),
            Some("check the path; `extends:` paths are relative to the extending file".into()),
        );
        if let Some((text, src, offset)) = from {
            attach(&mut err, src.clone(), *offset, text.len(), "extended here");
        }
        err
    };
    let file = std::fs::File::open(path).map_err(io_err)?;
    let mut bytes = Vec::new();
    file.take(limits.max_policy_bytes.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(io_err)?;
    if bytes.len() as u64 > limits.max_policy_bytes {
        return Err(PolicyError::bare(
            ErrorKind::TooLarge,
            format!(
                "policy {} is larger than the limit of {} bytes",
                path.display(),
                limits.max_policy_bytes
            ),
            Some("policies are small declarative files; raise the limit with --max-policy-bytes if this one really is larger".into()),
        ));
    }
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes);
    let text = String::from_utf8(bytes.to_vec()).map_err(|e| {
        PolicyError::bare(
            ErrorKind::Encoding,
            format!(
                "policy {} is not UTF-8 (invalid byte at offset {})",
                path.display(),
                e.utf8_error().valid_up_to()
            ),
            Some("save the policy as UTF-8".into()),
        )
    })?;
    Ok((text, path.parent().map(Path::to_path_buf)))
}

/// Passes 1 and 2 (see the module docs).
fn parse_file(
    source: &str,
    named: &dyn Fn() -> NamedSource<String>,
) -> Result<PolicyFile, PolicyError> {
    if source.trim().is_empty()
        || source
            .lines()
            .all(|l| l.trim().is_empty() || l.trim_start().starts_with('#'))
    {
        return Err(PolicyError::bare(
            ErrorKind::Empty,
            "the policy file is empty",
            Some("a policy needs at least `policy: <name>`".into()),
        ));
    }
    if let Some((offset, _)) = source
        .char_indices()
        .filter(|(_, c)| *c == '[' || *c == '{')
        .nth(MAX_FLOW_OPENERS)
    {
        let mut err = PolicyError::bare(
            ErrorKind::TooComplex,
            format!("more than {MAX_FLOW_OPENERS} `[` and `{{` in one policy"),
            Some("policies are small and flat; write lists and mappings in block style".into()),
        );
        attach(&mut err, named(), offset, 1, "one too many");
        return Err(err);
    }
    if let Err(e) = IgnoredAny::deserialize(serde_yaml::Deserializer::from_str(source)) {
        return Err(from_yaml_error(&e, source, named, true));
    }
    PolicyFile::deserialize(serde_yaml::Deserializer::from_str(source))
        .map_err(|e| from_yaml_error(&e, source, named, false))
}

fn from_yaml_error(
    e: &serde_yaml::Error,
    source: &str,
    named: &dyn Fn() -> NamedSource<String>,
    syntax: bool,
) -> PolicyError {
    let location = e.location();
    let mut message = e.to_string();
    if let Some(l) = &location {
        let suffix = format!(" at line {} column {}", l.line(), l.column());
        if let Some(i) = message.find(&suffix) {
            message.replace_range(i..i + suffix.len(), "");
        }
    }
    let (kind, label, help) = classify(&message, syntax);
    let mut err = PolicyError::bare(kind, message, help);
    if let Some(l) = location {
        let offset = mark_offset(source, &l);
        let len = token_len(source, offset);
        attach(&mut err, named(), offset, len, &label);
    }
    err
}

/// Kind, label and help for a serde/libyaml message. serde's messages for these cases are
/// fixed strings (`unknown field`, `missing field` …), which is what is matched.
fn classify(message: &str, syntax: bool) -> (ErrorKind, String, Option<String>) {
    if message.contains("recursion limit exceeded")
        || message.contains("repetition limit exceeded")
        || message.contains(" entries in `rules`")
    {
        return (
            ErrorKind::TooComplex,
            "nested or aliased too deeply".into(),
            Some("policies are flat; remove deep nesting and YAML aliases".into()),
        );
    }
    if syntax {
        return (
            ErrorKind::Syntax,
            "YAML syntax error".into(),
            Some("fix the YAML syntax here (indentation, `key: value`, quoting)".into()),
        );
    }
    if let Some(name) = between(message, "unknown field `", "`") {
        let expected = backticked(message.split("expected").nth(1).unwrap_or(""));
        let help = match suggest(&name, expected.iter().map(String::as_str)) {
            Some(s) => format!("did you mean `{s}`? Allowed here: {}", expected.join(", ")),
            None if expected.is_empty() => "this mapping takes no keys".into(),
            None => format!("allowed here: {}", expected.join(", ")),
        };
        return (ErrorKind::UnknownKey, "unknown key".into(), Some(help));
    }
    if let Some(name) = between(message, "missing field `", "`") {
        return (
            ErrorKind::MissingKey,
            format!("`{name}` missing in this mapping"),
            Some(format!("add `{name}:`")),
        );
    }
    if let Some(name) = between(message, "duplicate field `", "`") {
        return (
            ErrorKind::DuplicateKey,
            "mapping with a repeated key".into(),
            Some(format!("state `{name}` once")),
        );
    }
    if let Some(name) = between(message, "unknown variant `", "`") {
        let expected = backticked(message.split("expected").nth(1).unwrap_or(""));
        let help = match suggest(&name, expected.iter().map(String::as_str)) {
            Some(s) => format!("did you mean `{s}`? Allowed: {}", expected.join(", ")),
            None => format!("allowed: {}", expected.join(", ")),
        };
        return (
            ErrorKind::BadValue,
            "not an allowed value".into(),
            Some(help),
        );
    }
    if message.contains("invalid type") || message.contains("invalid value") {
        return (
            ErrorKind::WrongType,
            "wrong type".into(),
            Some("see policies/schema.json or `verdict policy check` on a shipped policy for the expected shape".into()),
        );
    }
    (ErrorKind::BadValue, "here".into(), None)
}

fn between(s: &str, start: &str, end: &str) -> Option<String> {
    let i = s.find(start)? + start.len();
    let j = s[i..].find(end)? + i;
    Some(s[i..j].to_string())
}

fn backticked(s: &str) -> Vec<String> {
    s.split('`')
        .enumerate()
        .filter(|(i, _)| i % 2 == 1)
        .map(|(_, p)| p.to_string())
        .collect()
}

/// Byte offset of a serde_norway location in `source`: libyaml's mark index counts bytes of
/// the (BOM-less) input; line/column are the fallback if it is ever out of step.
fn mark_offset(source: &str, l: &serde_yaml::Location) -> usize {
    let i = l.index();
    if i <= source.len() && source.is_char_boundary(i) {
        let (line, col) = line_col(source, i);
        if line == l.line() && col == l.column() {
            return i;
        }
    }
    let mut offset = 0;
    for (n, line) in source.split_inclusive('\n').enumerate() {
        if n + 1 == l.line() {
            let col = line
                .char_indices()
                .nth(l.column().saturating_sub(1))
                .map_or(line.len(), |(c, _)| c);
            return offset + col;
        }
        offset += line.len();
    }
    source.len()
}

/// Length of the token at `offset` (to the end of the word), for a label that underlines it.
fn token_len(source: &str, offset: usize) -> usize {
    let rest = &source[floor_boundary(source, offset)..];
    if rest.starts_with(['[', '{']) {
        // A flow collection: underline it up to its closing bracket if that is on this line.
        let mut depth = 0usize;
        for (i, c) in rest.char_indices() {
            match c {
                '[' | '{' => depth += 1,
                ']' | '}' => {
                    depth = depth.saturating_sub(1);
                    if depth == 0 {
                        return i + 1;
                    }
                }
                '\n' => break,
                _ => {}
            }
        }
    }
    let end = rest
        .find(|c: char| c.is_whitespace() || c == ':' || c == ',' || c == '}' || c == ']')
        .unwrap_or(rest.len());
    end.max(rest.chars().next().map_or(0, char::len_utf8))
}

// ---------------------------------------------------------------------------------------------
// Pass 3: values
// ---------------------------------------------------------------------------------------------

/// One step of a path into the document.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Seg<'a> {
    /// The value under this key.
    Key(&'a str),
    /// The key itself, its n-th occurrence (0-based) in the mapping.
    KeyName(&'a str, usize),
    Index(usize),
}

const PROBE: &str = "\u{1}verdict-probe\u{1}";

/// The serde_norway location of the value (or key) at `path`.
pub(crate) fn locate(source: &str, path: &[Seg<'_>]) -> Option<serde_yaml::Location> {
    match Probe(path).deserialize(serde_yaml::Deserializer::from_str(source)) {
        Err(e) if e.to_string().contains(PROBE) => e.location(),
        _ => None,
    }
}

struct Probe<'p>(&'p [Seg<'p>]);

impl<'de> DeserializeSeed<'de> for Probe<'_> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        match self.0.first() {
            None => d.deserialize_any(Hit),
            Some(Seg::Index(_)) => d.deserialize_seq(self),
            Some(_) => d.deserialize_map(self),
        }
    }
}

impl<'de> Visitor<'de> for Probe<'_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a collection")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let mut seen = 0usize;
        loop {
            let key_target = match self.0.first() {
                Some(Seg::KeyName(name, nth)) => Some((*name, *nth)),
                _ => None,
            };
            let Some(key) = map.next_key_seed(KeyProbe {
                target: key_target,
                seen: &mut seen,
            })?
            else {
                return Ok(());
            };
            match self.0.first() {
                Some(Seg::Key(name)) if *name == key => {
                    return map.next_value_seed(Probe(&self.0[1..]));
                }
                _ => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let Some(Seg::Index(i)) = self.0.first() else {
            return Ok(());
        };
        for _ in 0..*i {
            if seq.next_element::<IgnoredAny>()?.is_none() {
                return Ok(());
            }
        }
        seq.next_element_seed(Probe(&self.0[1..]))?;
        Ok(())
    }
}

struct KeyProbe<'a> {
    target: Option<(&'a str, usize)>,
    seen: &'a mut usize,
}

impl<'de> DeserializeSeed<'de> for KeyProbe<'_> {
    type Value = String;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<String, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for KeyProbe<'_> {
    type Value = String;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a key")
    }
    fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<String, E> {
        if let Some((name, nth)) = self.target {
            if name == v {
                if *self.seen == nth {
                    return Err(E::custom(PROBE));
                }
                *self.seen += 1;
            }
        }
        Ok(v.to_string())
    }
    fn visit_bool<E: serde::de::Error>(self, v: bool) -> Result<String, E> {
        Ok(v.to_string())
    }
    fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<String, E> {
        Ok(v.to_string())
    }
    fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<String, E> {
        Ok(v.to_string())
    }
    fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<String, E> {
        Ok(v.to_string())
    }
    fn visit_unit<E: serde::de::Error>(self) -> Result<String, E> {
        Ok(String::new())
    }
}

/// Fails on whatever value it meets, so serde_norway stamps the failure with its mark.
struct Hit;

impl<'de> Visitor<'de> for Hit {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("anything")
    }
    fn visit_bool<E: serde::de::Error>(self, _: bool) -> Result<(), E> {
        Err(E::custom(PROBE))
    }
    fn visit_i64<E: serde::de::Error>(self, _: i64) -> Result<(), E> {
        Err(E::custom(PROBE))
    }
    fn visit_u64<E: serde::de::Error>(self, _: u64) -> Result<(), E> {
        Err(E::custom(PROBE))
    }
    fn visit_f64<E: serde::de::Error>(self, _: f64) -> Result<(), E> {
        Err(E::custom(PROBE))
    }
    fn visit_str<E: serde::de::Error>(self, _: &str) -> Result<(), E> {
        Err(E::custom(PROBE))
    }
    fn visit_unit<E: serde::de::Error>(self) -> Result<(), E> {
        Err(E::custom(PROBE))
    }
    fn visit_none<E: serde::de::Error>(self) -> Result<(), E> {
        Err(E::custom(PROBE))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, _: A) -> Result<(), A::Error> {
        Err(serde::de::Error::custom(PROBE))
    }
    fn visit_map<A: MapAccess<'de>>(self, _: A) -> Result<(), A::Error> {
        Err(serde::de::Error::custom(PROBE))
    }
}

/// Byte offset where a scalar's text starts: after the opening quote of a quoted scalar.
fn value_start(source: &str, l: serde_yaml::Location) -> usize {
    let at = mark_offset(source, &l);
    match source[at..].chars().next() {
        Some('"' | '\'') => at + 1,
        _ => at,
    }
}

/// A value-level error at `path`, pointing `offset` bytes into `text` when the source spells
/// the value literally there, else at the value's start.
fn value_error(
    source: &str,
    named: &dyn Fn() -> NamedSource<String>,
    path: &[Seg<'_>],
    text: &str,
    inner: Option<usize>,
    mut err: PolicyError,
    label: &str,
) -> PolicyError {
    if let Some(l) = locate(source, path) {
        let start = value_start(source, l);
        let literal = source[start..].starts_with(text);
        let (offset, len) = match inner {
            Some(i) if literal && i <= text.len() && text.is_char_boundary(i) => {
                let len = text[i..].chars().next().map_or(1, char::len_utf8);
                (start + i, len)
            }
            _ if literal => (start, text.len().max(1)),
            _ => (start, token_len(source, start)),
        };
        attach(&mut err, named(), offset, len, label);
    }
    err
}

const EXPR_HELP: &str =
    "expressions use integers, `f`, `n`, + - * and parentheses, e.g. `2f+1`, `n-f`";
const DURATION_HELP: &str =
    "durations are a number and a unit (w, d, h, m, s), e.g. `30d`, `12h`, `1d12h`";

fn validate(
    file: &PolicyFile,
    source: &str,
    named: &dyn Fn() -> NamedSource<String>,
) -> Result<(), PolicyError> {
    let expr = |path: &[Seg<'_>], text: &str| -> Result<(), PolicyError> {
        Expr::parse(text).map(|_| ()).map_err(|e| {
            let err = PolicyError::bare(
                ErrorKind::BadExpression,
                format!("bad expression `{text}`: {}", e.message),
                Some(EXPR_HELP.into()),
            );
            value_error(source, named, path, text, Some(e.offset), err, &e.message)
        })
    };
    let age = |path: &[Seg<'_>], text: &str, allow_off: bool| -> Result<(), PolicyError> {
        if allow_off && text == "off" {
            return Ok(());
        }
        Age::parse(text).map(|_| ()).map_err(|e| {
            let err = PolicyError::bare(
                ErrorKind::BadDuration,
                format!("bad duration `{text}`: {}", e.message),
                Some(DURATION_HELP.into()),
            );
            value_error(source, named, path, text, Some(e.offset), err, &e.message)
        })
    };
    let bad = |path: &[Seg<'_>], text: &str, kind: ErrorKind, message: String, help: &str| {
        value_error(
            source,
            named,
            path,
            text,
            None,
            PolicyError::bare(kind, message.clone(), Some(help.to_string())),
            &message,
        )
    };

    if file.policy.trim().is_empty() {
        return Err(bad(
            &[Seg::Key("policy")],
            &file.policy,
            ErrorKind::BadValue,
            "the policy name is empty".into(),
            "name the policy, e.g. `policy: bft-production`",
        ));
    }
    if let Some(c) = &file.consensus {
        if let Some(t) = &c.max_faulty {
            expr(&[Seg::Key("consensus"), Seg::Key("max_faulty")], t)?;
        }
        if let Some(t) = &c.quorum {
            expr(&[Seg::Key("consensus"), Seg::Key("quorum")], t)?;
        }
    }
    if let Some(s) = &file.signatures {
        if let Some(t) = &s.threshold {
            expr(&[Seg::Key("signatures"), Seg::Key("threshold")], t)?;
        }
        if let Some(k) = &s.keyring {
            if k.trim().is_empty() {
                return Err(bad(
                    &[Seg::Key("signatures"), Seg::Key("keyring")],
                    k,
                    ErrorKind::BadValue,
                    "the keyring path is empty".into(),
                    "give a path relative to this policy file, or leave `keyring` out and pass --keyring",
                ));
            }
        }
    }
    if let Some(c) = &file.checks {
        for (key, len) in [
            (
                "required_sections",
                c.required_sections.as_ref().map_or(0, Vec::len),
            ),
            ("thresholds", c.thresholds.as_ref().map_or(0, Vec::len)),
        ] {
            if len > MAX_PATTERNS {
                return Err(value_error(
                    source,
                    named,
                    &[Seg::Key("checks"), Seg::Key(key)],
                    "",
                    None,
                    PolicyError::bare(
                        ErrorKind::TooComplex,
                        format!(
                            "`checks.{key}` has {len} entries; at most {MAX_PATTERNS} are allowed"
                        ),
                        Some("each entry compiles a pattern; use globs to cover many names".into()),
                    ),
                    "too many entries",
                ));
            }
        }
        let patterns = c
            .required_sections
            .iter()
            .flatten()
            .enumerate()
            .map(|(i, p)| {
                (
                    [
                        Seg::Key("checks"),
                        Seg::Key("required_sections"),
                        Seg::Index(i),
                        Seg::Index(0),
                    ],
                    p,
                )
            })
            .map(|(path, p)| (path, p, 3))
            .chain(c.thresholds.iter().flatten().enumerate().map(|(i, t)| {
                (
                    [
                        Seg::Key("checks"),
                        Seg::Key("thresholds"),
                        Seg::Index(i),
                        Seg::Key("check"),
                    ],
                    &t.check,
                    4,
                )
            }));
        for (path, p, depth) in patterns {
            if p.len() > MAX_PATTERN_LEN {
                return Err(bad(
                    &path[..depth],
                    p,
                    ErrorKind::TooComplex,
                    format!("pattern longer than {MAX_PATTERN_LEN} bytes"),
                    "section and check names are short; shorten the pattern",
                ));
            }
        }
        if let Some(t) = &c.min_success_rate {
            if let Err(e) = parse_percent(t) {
                return Err(bad(
                    &[Seg::Key("checks"), Seg::Key("min_success_rate")],
                    t,
                    ErrorKind::BadValue,
                    e.message,
                    "a percentage from 0 to 100, e.g. `95%`",
                ));
            }
        }
        for (i, p) in c.required_sections.iter().flatten().enumerate() {
            if let Err(e) = NamePattern::new(p) {
                return Err(bad(
                    &[
                        Seg::Key("checks"),
                        Seg::Key("required_sections"),
                        Seg::Index(i),
                    ],
                    p,
                    ErrorKind::BadValue,
                    e.message,
                    "globs use `*`, `?`, `[abc]`; escape a literal bracket as `\\[`",
                ));
            }
        }
        for (i, t) in c.thresholds.iter().flatten().enumerate() {
            let at = |k| {
                [
                    Seg::Key("checks"),
                    Seg::Key("thresholds"),
                    Seg::Index(i),
                    Seg::Key(k),
                ]
            };
            if let Err(e) = NamePattern::new(&t.check) {
                return Err(bad(
                    &at("check"),
                    &t.check,
                    ErrorKind::BadValue,
                    e.message,
                    "globs use `*`, `?`, `[abc]`; escape a literal bracket as `\\[`",
                ));
            }
            let mut dims = Vec::new();
            for (key, v) in [("max", &t.max), ("min", &t.min)] {
                let Some(v) = v else { continue };
                match Limit::parse(v) {
                    Ok(l) => dims.push((key, v, l)),
                    Err(e) => {
                        return Err(bad(
                            &at(key),
                            v,
                            ErrorKind::BadQuantity,
                            e.message,
                            "a number with a unit: ns, us, ms, s, min, h, %, B, KB, MB, GB, x",
                        ));
                    }
                }
            }
            match dims.as_slice() {
                [] => {
                    return Err(value_error(
                        source,
                        named,
                        &[Seg::Key("checks"), Seg::Key("thresholds"), Seg::Index(i)],
                        "",
                        None,
                        PolicyError::bare(
                            ErrorKind::BadValue,
                            format!("threshold for `{}` has neither `max` nor `min`", t.check),
                            Some("add `max: <quantity>` and/or `min: <quantity>`".into()),
                        ),
                        "no limit given",
                    ));
                }
                [(_, _, a), (_, text, b)] => {
                    let (da, va) = a.normalized();
                    let (db, vb) = b.normalized();
                    if da != db {
                        return Err(bad(
                            &at("min"),
                            text,
                            ErrorKind::BadQuantity,
                            format!("`min` ({b}) and `max` ({a}) measure different things"),
                            "use the same kind of unit for both (time, percent, size …)",
                        ));
                    }
                    if vb > va {
                        return Err(bad(
                            &at("min"),
                            text,
                            ErrorKind::BadValue,
                            format!("`min` ({b}) is greater than `max` ({a})"),
                            "no value could pass; swap or fix the limits",
                        ));
                    }
                }
                _ => {}
            }
        }
    }
    if let Some(f) = &file.freshness {
        if let Some(t) = &f.max_age {
            age(&[Seg::Key("freshness"), Seg::Key("max_age")], t, true)?;
        }
        if let Some(t) = &f.clock_skew {
            age(&[Seg::Key("freshness"), Seg::Key("clock_skew")], t, false)?;
        }
    }
    if let Some(map) = &file.rules {
        for (i, (id, _)) in map.0.iter().enumerate() {
            let nth = map.0[..i].iter().filter(|(k, _)| k == id).count();
            let path = [Seg::Key("rules"), Seg::KeyName(id, nth)];
            if !rules::find(id).is_some_and(rules::RuleInfo::configurable) {
                let (message, help, label) = if rules::find(id).is_some() {
                    (
                        format!("rule `{id}` cannot be set by a policy"),
                        "`verdict gate` decides its rules at a fixed severity; remove this line"
                            .to_string(),
                        "a gate rule",
                    )
                } else {
                    let help = match suggest(id, rules::policy_rules().map(|r| r.id)) {
                        Some(s) => {
                            format!("did you mean `{s}`? `verdict rules` lists every rule id")
                        }
                        None => "`verdict rules` lists every rule id".to_string(),
                    };
                    (
                        format!("unknown rule id `{id}`"),
                        help,
                        "not in the rule catalogue",
                    )
                };
                return Err(value_error(
                    source,
                    named,
                    &path,
                    id,
                    None,
                    PolicyError::bare(ErrorKind::UnknownRule, message, Some(help)),
                    label,
                ));
            }
            if nth > 0 {
                return Err(value_error(
                    source,
                    named,
                    &path,
                    id,
                    None,
                    PolicyError::bare(
                        ErrorKind::DuplicateKey,
                        format!("rule `{id}` is set twice"),
                        Some("set each rule once".into()),
                    ),
                    "set again here",
                ));
            }
        }
    }
    Ok(())
}

/// The closest candidate by edit distance, if it is close enough to be a likely typo.
pub fn suggest<'a>(word: &str, candidates: impl Iterator<Item = &'a str>) -> Option<&'a str> {
    let word_l = word.to_lowercase();
    candidates
        .map(|c| (levenshtein(&word_l, &c.to_lowercase()), c))
        .filter(|(d, c)| *d <= (c.chars().count() / 3).max(2))
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

fn levenshtein(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != *cb);
            cur[j + 1] = (prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}

// ---------------------------------------------------------------------------------------------
// Merge and resolve
// ---------------------------------------------------------------------------------------------

fn section<T>(child: Option<T>, parent: Option<T>, f: impl FnOnce(T, T) -> T) -> Option<T> {
    match (child, parent) {
        (Some(c), Some(p)) => Some(f(c, p)),
        (c, p) => c.or(p),
    }
}

fn pick<T: Clone>(child: &Option<T>, parent: &Option<T>) -> Option<T> {
    child.clone().or_else(|| parent.clone())
}

/// Child over parent, key by key (module docs).
fn merge(parent: PolicyFile, child: PolicyFile) -> PolicyFile {
    PolicyFile {
        policy: child.policy,
        description: pick(&child.description, &parent.description),
        extends: None,
        consensus: section(
            child.consensus,
            parent.consensus,
            |c: ConsensusFile, p: ConsensusFile| ConsensusFile {
                resilience: pick(&c.resilience, &p.resilience),
                max_faulty: pick(&c.max_faulty, &p.max_faulty),
                quorum: pick(&c.quorum, &p.quorum),
            },
        ),
        signatures: section(
            child.signatures,
            parent.signatures,
            |c: SignaturesFile, p: SignaturesFile| SignaturesFile {
                threshold: pick(&c.threshold, &p.threshold),
                keyring: pick(&c.keyring, &p.keyring),
                algorithms: pick(&c.algorithms, &p.algorithms),
            },
        ),
        hash: section(child.hash, parent.hash, |c: HashFile, p: HashFile| {
            HashFile {
                required: pick(&c.required, &p.required),
                algorithms: pick(&c.algorithms, &p.algorithms),
            }
        }),
        checks: section(
            child.checks,
            parent.checks,
            |c: ChecksFile, p: ChecksFile| ChecksFile {
                all_must_pass: pick(&c.all_must_pass, &p.all_must_pass),
                min_success_rate: pick(&c.min_success_rate, &p.min_success_rate),
                required_sections: pick(&c.required_sections, &p.required_sections),
                thresholds: pick(&c.thresholds, &p.thresholds),
            },
        ),
        freshness: section(
            child.freshness,
            parent.freshness,
            |c: FreshnessFile, p: FreshnessFile| FreshnessFile {
                max_age: pick(&c.max_age, &p.max_age),
                clock_skew: pick(&c.clock_skew, &p.clock_skew),
            },
        ),
        rules: section(child.rules, parent.rules, |c: RuleMap, p: RuleMap| {
            let mut out = p.0;
            for (id, s) in c.0 {
                match out.iter_mut().find(|(k, _)| *k == id) {
                    Some(slot) => slot.1 = s,
                    None => out.push((id, s)),
                }
            }
            RuleMap(out)
        }),
    }
}

fn internal(e: impl fmt::Display) -> PolicyError {
    PolicyError::bare(
        ErrorKind::BadValue,
        format!("policy value failed to parse after validation: {e}"),
        None,
    )
}

fn resolve(layers: Vec<Layer>) -> Result<Policy, PolicyError> {
    let sources: Vec<String> = layers.iter().map(|l| l.display.clone()).collect();
    let keyring = layers.iter().find_map(|l| l.keyring.clone());
    let mut files = layers.into_iter().rev().map(|l| l.file);
    let Some(root) = files.next() else {
        return Err(internal("empty extends chain"));
    };
    let merged = files.fold(root, merge);

    let parse_expr = |t: Option<&String>, default: &str| {
        Expr::parse(t.map_or(default, |s| s.as_str())).map_err(internal)
    };
    let c = merged.consensus.unwrap_or_default();
    let s = merged.signatures.unwrap_or_default();
    let h = merged.hash.unwrap_or_default();
    let k = merged.checks.unwrap_or_default();
    let fr = merged.freshness.unwrap_or_default();

    let mut thresholds = Vec::new();
    for t in k.thresholds.unwrap_or_default() {
        thresholds.push(Threshold {
            check: NamePattern::new(&t.check).map_err(|e| internal(e.message))?,
            max: t
                .max
                .as_deref()
                .map(Limit::parse)
                .transpose()
                .map_err(|e| internal(e.message))?,
            min: t
                .min
                .as_deref()
                .map(Limit::parse)
                .transpose()
                .map_err(|e| internal(e.message))?,
        });
    }
    let mut required_sections = Vec::new();
    for p in k.required_sections.unwrap_or_default() {
        required_sections.push(NamePattern::new(&p).map_err(|e| internal(e.message))?);
    }
    let max_age = match fr.max_age.as_deref() {
        None | Some("off") => None,
        Some(t) => Some(Age::parse(t).map_err(|e| internal(e.message))?),
    };
    let clock_skew =
        Age::parse(fr.clock_skew.as_deref().unwrap_or("5m")).map_err(|e| internal(e.message))?;
    let mut rules_map = default_rules();
    for (id, setting) in merged.rules.unwrap_or_default().0 {
        rules_map.insert(id, setting);
    }

    let mut policy = Policy {
        policy: merged.policy,
        description: merged.description,
        consensus: Consensus {
            resilience: c.resilience.unwrap_or(true),
            max_faulty: parse_expr(c.max_faulty.as_ref(), "f")?,
            quorum: parse_expr(c.quorum.as_ref(), "2f+1")?,
        },
        signatures: Signatures {
            threshold: parse_expr(s.threshold.as_ref(), "0")?,
            keyring: keyring.as_ref().map(|(k, _)| k.clone()),
            keyring_path: keyring.map(|(_, p)| p),
            algorithms: s
                .algorithms
                .unwrap_or_else(|| vec![SignatureAlgorithm::Ed25519]),
        },
        hash: HashPolicy {
            required: h.required.unwrap_or(true),
            algorithms: h.algorithms.unwrap_or_else(|| vec![HashAlgorithm::Sha256]),
        },
        checks: Checks {
            all_must_pass: k.all_must_pass.unwrap_or(true),
            min_success_rate: k
                .min_success_rate
                .as_deref()
                .map(parse_percent)
                .transpose()
                .map_err(|e| internal(e.message))?,
            required_sections,
            thresholds,
        },
        freshness: Freshness {
            max_age,
            clock_skew,
        },
        rules: rules_map,
        sources,
        digest: String::new(),
    };
    policy.digest = digest(&policy);
    Ok(policy)
}

/// `sha256:<hex>` over [`Policy::canonical_json`].
pub fn digest(policy: &Policy) -> String {
    use sha2::{Digest, Sha256};
    format!(
        "sha256:{}",
        hex::encode(Sha256::digest(policy.canonical_json().as_bytes()))
    )
}

/// Parse one policy from text (fuzzing, tests): the same passes as [`load`], with `name`
/// labelling diagnostics. A string has no directory, so `extends:` is refused here and a
/// keyring path stays as written.
pub fn load_str(name: &str, text: &str, limits: &Limits) -> Result<Policy, PolicyError> {
    if text.len() as u64 > limits.max_policy_bytes {
        return Err(PolicyError::bare(
            ErrorKind::TooLarge,
            format!(
                "policy {name} is larger than the limit of {} bytes",
                limits.max_policy_bytes
            ),
            None,
        ));
    }
    let named = || NamedSource::new(name, text.to_string());
    let file = parse_file(text, &named)?;
    validate(&file, text, &named)?;
    if file.extends.is_some() {
        return Err(PolicyError::bare(
            ErrorKind::BadValue,
            "a policy given as text cannot follow `extends`",
            Some("load it from a file".into()),
        ));
    }
    let keyring = file
        .signatures
        .as_ref()
        .and_then(|s| s.keyring.clone())
        .map(|k| (k.clone(), PathBuf::from(k)));
    resolve(vec![Layer {
        file,
        display: name.to_string(),
        keyring,
    }])
}
