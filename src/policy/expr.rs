//! Expressions in `n` (nodes) and `f` (tolerated faults): `f`, `2f+1`, `3f+1`, `n-f`,
//! `2*(f+1)`. The grammar is tiny on purpose — a policy states arithmetic a reviewer can check
//! at a glance, not a program:
//!
//! ```text
//! expr   = term (("+" | "-") term)*
//! term   = factor ("*" factor)*
//! factor = INT [ "f" | "n" | "(" expr ")" ]      (2f is 2*f, 3(f+1) is 3*(f+1))
//!        | "f" | "n" | "(" expr ")"
//! ```
//!
//! Whitespace may surround every token. Integers are decimal, at most 18 digits. Evaluation uses
//! checked 64-bit arithmetic: an overflow or a negative result is an error, never a wrap or a
//! panic. Parentheses nest at most [`MAX_DEPTH`] deep and an expression is at most
//! [`MAX_LEN`] bytes, so hostile input cannot exhaust the stack.

use nom::IResult;
use nom::Parser;
use nom::bytes::complete::take_while1;
use nom::character::complete::{char, multispace0, one_of};
use std::fmt;

/// Deepest parenthesis nesting accepted.
pub const MAX_DEPTH: usize = 32;
/// Longest expression accepted, in bytes.
pub const MAX_LEN: usize = 256;

/// A parsed expression.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Expr {
    Int(u64),
    F,
    N,
    Add(Box<Expr>, Box<Expr>),
    Sub(Box<Expr>, Box<Expr>),
    Mul(Box<Expr>, Box<Expr>),
}

/// Why an expression did not parse, with the byte offset in the expression text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError {
    /// Byte offset into the expression where the problem is.
    pub offset: usize,
    pub message: String,
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} (at byte {})", self.message, self.offset)
    }
}

/// Why an expression could not be evaluated for given `f` and `n`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EvalError {
    #[error("`{expr}` overflows 64-bit arithmetic with f={f}, n={n}")]
    Overflow { expr: String, f: u64, n: u64 },
    #[error("`{expr}` is negative ({value}) with f={f}, n={n}")]
    Negative {
        expr: String,
        value: i64,
        f: u64,
        n: u64,
    },
}

type Res<'a, T> = IResult<&'a str, T, nom::error::Error<&'a str>>;

/// Internal failure: the remaining input where it happened and what was expected there.
struct Fail<'a> {
    rest: &'a str,
    message: String,
}

impl Expr {
    /// Parse a whole expression; anything left over is an error at its position.
    pub fn parse(text: &str) -> Result<Expr, ParseError> {
        if text.len() > MAX_LEN {
            return Err(ParseError {
                offset: MAX_LEN,
                message: format!("expression longer than {MAX_LEN} bytes"),
            });
        }
        let at = |rest: &str| text.len() - rest.len();
        match expr(text, 0) {
            Ok((rest, e)) => {
                let rest = skip_ws(rest);
                if rest.is_empty() {
                    Ok(e)
                } else {
                    Err(ParseError {
                        offset: at(rest),
                        message: format!(
                            "unexpected `{}`; expected an operator (+ - *) or the end",
                            first_char(rest)
                        ),
                    })
                }
            }
            Err(fail) => Err(ParseError {
                offset: at(fail.rest),
                message: fail.message,
            }),
        }
    }

    /// Value for the given fault bound `f` and node count `n`.
    pub fn eval(&self, f: u64, n: u64) -> Result<u64, EvalError> {
        let overflow = || EvalError::Overflow {
            expr: self.to_string(),
            f,
            n,
        };
        let value = self.eval_signed(f, n).ok_or_else(overflow)?;
        u64::try_from(value).map_err(|_| EvalError::Negative {
            expr: self.to_string(),
            value,
            f,
            n,
        })
    }

    /// Intermediate values may be negative (`f-n+10`); only the result must not be.
    fn eval_signed(&self, f: u64, n: u64) -> Option<i64> {
        match self {
            Expr::Int(v) => i64::try_from(*v).ok(),
            Expr::F => i64::try_from(f).ok(),
            Expr::N => i64::try_from(n).ok(),
            Expr::Add(a, b) => a.eval_signed(f, n)?.checked_add(b.eval_signed(f, n)?),
            Expr::Sub(a, b) => a.eval_signed(f, n)?.checked_sub(b.eval_signed(f, n)?),
            Expr::Mul(a, b) => a.eval_signed(f, n)?.checked_mul(b.eval_signed(f, n)?),
        }
    }

    fn precedence(&self) -> u8 {
        match self {
            Expr::Add(..) | Expr::Sub(..) => 1,
            Expr::Mul(..) => 2,
            _ => 3,
        }
    }
}

/// Canonical spelling: `2f+1`, `n-f`, `2*(f+1)`; minimal parentheses, no spaces. The resolved
/// policy and its digest use this form, so `2 * f + 1` and `2f+1` are the same policy.
impl fmt::Display for Expr {
    fn fmt(&self, out: &mut fmt::Formatter<'_>) -> fmt::Result {
        let wrap = |out: &mut fmt::Formatter<'_>, e: &Expr, min: u8| -> fmt::Result {
            if e.precedence() < min {
                write!(out, "({e})")
            } else {
                write!(out, "{e}")
            }
        };
        match self {
            Expr::Int(v) => write!(out, "{v}"),
            Expr::F => out.write_str("f"),
            Expr::N => out.write_str("n"),
            Expr::Add(a, b) => {
                wrap(out, a, 1)?;
                out.write_str("+")?;
                wrap(out, b, 2)
            }
            Expr::Sub(a, b) => {
                wrap(out, a, 1)?;
                out.write_str("-")?;
                wrap(out, b, 2)
            }
            Expr::Mul(a, b) => match (&**a, &**b) {
                (Expr::Int(k), Expr::F | Expr::N) => write!(out, "{k}{b}"),
                _ => {
                    wrap(out, a, 2)?;
                    out.write_str("*")?;
                    wrap(out, b, 3)
                }
            },
        }
    }
}

fn first_char(s: &str) -> char {
    s.chars().next().unwrap_or(' ')
}

fn skip_ws(s: &str) -> &str {
    let r: Res<'_, &str> = multispace0(s);
    match r {
        Ok((rest, _)) => rest,
        Err(_) => s,
    }
}

fn expr(input: &str, depth: usize) -> Result<(&str, Expr), Fail<'_>> {
    let (mut rest, mut acc) = term(input, depth)?;
    loop {
        let r = skip_ws(rest);
        let op: Res<'_, char> = one_of("+-").parse(r);
        let Ok((after, op)) = op else {
            return Ok((rest, acc));
        };
        let (after, rhs) = term(after, depth)?;
        acc = if op == '+' {
            Expr::Add(Box::new(acc), Box::new(rhs))
        } else {
            Expr::Sub(Box::new(acc), Box::new(rhs))
        };
        rest = after;
    }
}

fn term(input: &str, depth: usize) -> Result<(&str, Expr), Fail<'_>> {
    let (mut rest, mut acc) = factor(input, depth)?;
    loop {
        let r = skip_ws(rest);
        let star: Res<'_, char> = char('*').parse(r);
        let Ok((after, _)) = star else {
            return Ok((rest, acc));
        };
        let (after, rhs) = factor(after, depth)?;
        acc = Expr::Mul(Box::new(acc), Box::new(rhs));
        rest = after;
    }
}

fn factor(input: &str, depth: usize) -> Result<(&str, Expr), Fail<'_>> {
    let input = skip_ws(input);
    let digits: Res<'_, &str> = take_while1(|c: char| c.is_ascii_digit()).parse(input);
    if let Ok((rest, digits)) = digits {
        let value = if digits.len() > 18 {
            None
        } else {
            digits.parse::<u64>().ok()
        };
        let Some(value) = value else {
            return Err(Fail {
                rest: input,
                message: format!("integer `{digits}` is too large (at most 18 digits)"),
            });
        };
        // Implicit product: `2f`, `3n`, `2(f+1)` — no space between the factor and the number.
        return match rest.chars().next() {
            Some('f' | 'n' | '(') => {
                let (rest, rhs) = atom(rest, depth)?;
                Ok((rest, Expr::Mul(Box::new(Expr::Int(value)), Box::new(rhs))))
            }
            _ => Ok((rest, Expr::Int(value))),
        };
    }
    atom(input, depth)
}

fn atom(input: &str, depth: usize) -> Result<(&str, Expr), Fail<'_>> {
    let mut chars = input.chars();
    match chars.next() {
        Some('f') => ident_end(input, Expr::F),
        Some('n') => ident_end(input, Expr::N),
        Some('(') => {
            if depth >= MAX_DEPTH {
                return Err(Fail {
                    rest: input,
                    message: format!("parentheses nested deeper than {MAX_DEPTH}"),
                });
            }
            let (rest, inner) = expr(&input[1..], depth + 1)?;
            let rest = skip_ws(rest);
            let close: Res<'_, char> = char(')').parse(rest);
            match close {
                Ok((rest, _)) => Ok((rest, inner)),
                Err(_) => Err(Fail {
                    rest,
                    message: if rest.is_empty() {
                        "missing `)`".to_string()
                    } else {
                        format!("unexpected `{}`; expected `)`", first_char(rest))
                    },
                }),
            }
        }
        None => Err(Fail {
            rest: input,
            message: "expression ends early; expected a number, `f`, `n` or `(`".to_string(),
        }),
        Some(c) => Err(Fail {
            rest: input,
            message: format!("unexpected `{c}`; expected a number, `f`, `n` or `(`"),
        }),
    }
}

/// `f` and `n` are whole words: `fx` or `nodes` is an unknown name, not `f` times something.
fn ident_end(input: &str, e: Expr) -> Result<(&str, Expr), Fail<'_>> {
    let rest = &input[1..];
    match rest.chars().next() {
        Some(c) if c.is_alphanumeric() || c == '_' => {
            let name: String = input
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            Err(Fail {
                rest: input,
                message: format!("unknown name `{name}`; only `f` and `n` are defined"),
            })
        }
        _ => Ok((rest, e)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ev(s: &str, f: u64, n: u64) -> u64 {
        match Expr::parse(s) {
            Ok(e) => match e.eval(f, n) {
                Ok(v) => v,
                Err(err) => panic!("{s}: {err}"),
            },
            Err(err) => panic!("{s}: {err}"),
        }
    }

    fn err(s: &str) -> ParseError {
        match Expr::parse(s) {
            Ok(e) => panic!("{s} parsed as {e:?}"),
            Err(e) => e,
        }
    }

    #[test]
    fn common_forms() {
        assert_eq!(ev("f", 2, 7), 2);
        assert_eq!(ev("n", 2, 7), 7);
        assert_eq!(ev("2f+1", 2, 7), 5);
        assert_eq!(ev("3f+1", 2, 7), 7);
        assert_eq!(ev("n-f", 2, 7), 5);
        assert_eq!(ev("2*f+1", 2, 7), 5);
        assert_eq!(ev("0", 2, 7), 0);
        assert_eq!(ev("42", 0, 0), 42);
    }

    #[test]
    fn precedence_and_parentheses() {
        assert_eq!(ev("1+2*3", 0, 0), 7);
        assert_eq!(ev("(1+2)*3", 0, 0), 9);
        assert_eq!(ev("2(f+1)", 2, 0), 6);
        assert_eq!(ev("10-3-2", 0, 0), 5); // left associative
        assert_eq!(ev("2*3*4", 0, 0), 24);
        assert_eq!(ev("((((f))))", 3, 0), 3);
        assert_eq!(ev("f-n+10", 2, 7), 5); // negative intermediate is fine
    }

    #[test]
    fn whitespace_anywhere_between_tokens() {
        assert_eq!(ev("  2 * f + 1 ", 2, 7), 5);
        assert_eq!(ev("\t( n - f )\n", 2, 7), 5);
    }

    #[test]
    fn canonical_display() {
        let canon = |s: &str| match Expr::parse(s) {
            Ok(e) => e.to_string(),
            Err(e) => panic!("{e}"),
        };
        assert_eq!(canon("2 * f + 1"), "2f+1");
        assert_eq!(canon("2*(f+1)"), "2*(f+1)");
        assert_eq!(canon("n - (f - 1)"), "n-(f-1)");
        assert_eq!(canon("(n - f) - 1"), "n-f-1");
        assert_eq!(canon("f*2"), "f*2");
        assert_eq!(canon("(2*f)"), "2f");
    }

    #[test]
    fn overflow_and_negative_are_errors() {
        let Ok(e) = Expr::parse("999999999999999999*999999999999999999") else {
            panic!("parse")
        };
        assert_eq!(
            e.eval(0, 0),
            Err(EvalError::Overflow {
                expr: "999999999999999999*999999999999999999".into(),
                f: 0,
                n: 0
            })
        );
        let Ok(e) = Expr::parse("n-3f") else {
            panic!("parse")
        };
        assert_eq!(
            e.eval(3, 7),
            Err(EvalError::Negative {
                expr: "n-3f".into(),
                value: -2,
                f: 3,
                n: 7
            })
        );
        let Ok(e) = Expr::parse("f+1") else {
            panic!("parse")
        };
        assert!(matches!(
            e.eval(u64::MAX, 0),
            Err(EvalError::Overflow { .. })
        ));
    }

    #[test]
    fn errors_carry_positions() {
        assert_eq!(
            err("2f+*1"),
            ParseError {
                offset: 3,
                message: "unexpected `*`; expected a number, `f`, `n` or `(`".into()
            }
        );
        assert_eq!(err("2f+").offset, 3);
        assert_eq!(
            err("2f+").message,
            "expression ends early; expected a number, `f`, `n` or `(`"
        );
        assert_eq!(
            err("(f+1"),
            ParseError {
                offset: 4,
                message: "missing `)`".into()
            }
        );
        assert_eq!(
            err("2x+1"),
            ParseError {
                offset: 1,
                message: "unexpected `x`; expected an operator (+ - *) or the end".into()
            }
        );
        assert_eq!(
            err("faults"),
            ParseError {
                offset: 0,
                message: "unknown name `faults`; only `f` and `n` are defined".into()
            }
        );
        assert_eq!(err("").offset, 0);
        assert_eq!(err("-f").offset, 0);
        assert_eq!(err("f f").offset, 2);
        assert_eq!(err("1234567890123456789").offset, 0);
        assert_eq!(err("2f+1)").offset, 4);
    }

    #[test]
    fn hostile_nesting_and_length_are_bounded() {
        let deep = format!(
            "{}f{}",
            "(".repeat(MAX_DEPTH + 1),
            ")".repeat(MAX_DEPTH + 1)
        );
        assert_eq!(
            err(&deep).message,
            format!("parentheses nested deeper than {MAX_DEPTH}")
        );
        let ok = format!("{}f{}", "(".repeat(MAX_DEPTH), ")".repeat(MAX_DEPTH));
        assert_eq!(ev(&ok, 4, 0), 4);
        let long = "1+".repeat(200) + "1";
        assert_eq!(
            err(&long).message,
            format!("expression longer than {MAX_LEN} bytes")
        );
        // Never panics on arbitrary bytes of text.
        for s in [
            "((((", "))))", "**", "+", "2 2", "é", "2é", "f(", "n)", "0x10",
        ] {
            let _ = Expr::parse(s);
        }
    }
}
