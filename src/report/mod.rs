//! Stage 2: [`Text`](crate::text::Text) → `Report`. Markdown structure comes from
//! pulldown-cmark with source offsets; the quantitative claims inside cells and lines come
//! from the nom grammar in [`claims`].

pub mod attestation;
pub mod claims;
