//! Byte tests on eight bytes at once (SIMD within a register), for the scanners that read
//! every byte of a cell or line: each test returns a mask with bit 7 of every byte that
//! passes set and all other bits clear. Exact for every byte value, with no carries between
//! bytes, so a mask can be used as is and not just as a hint.
const LOW7: u64 = 0x7F7F_7F7F_7F7F_7F7F;
pub(crate) const HIGH: u64 = 0x8080_8080_8080_8080;
const ONES: u64 = 0x0101_0101_0101_0101;

/// Bytes of `x` equal to `c`.
pub(crate) fn eq(x: u64, c: u8) -> u64 {
    let t = x ^ (ONES * u64::from(c));
    // A byte of `t` is zero iff neither its low seven bits (+0x7F carries into bit 7)
    // nor its bit 7 are set.
    !((t & LOW7).wrapping_add(LOW7) | t | LOW7)
}

/// Bytes of `x` below `n` (`n` ≤ 0x80).
pub(crate) fn below(x: u64, n: u8) -> u64 {
    // (b & 0x7F) + (0x80 - n) reaches bit 7 iff b & 0x7F ≥ n; at most 0xFE, so no carry.
    !((x & LOW7).wrapping_add(ONES * u64::from(0x80 - n)) | x) & HIGH
}

/// Bytes of `x` in `lo..=hi` (`hi` < 0x80).
pub(crate) fn within(x: u64, lo: u8, hi: u8) -> u64 {
    below(x, hi + 1) & !below(x, lo)
}

/// Eight bytes of `b` from `k` as one word (little-endian: byte `k` is the lowest).
pub(crate) fn word_at(b: &[u8], k: usize) -> Option<u64> {
    let chunk = b.get(k..k + 8)?;
    let mut word = [0u8; 8];
    word.copy_from_slice(chunk);
    Some(u64::from_le_bytes(word))
}

/// Eight bytes of `b` from `k` as one word, those past the end of `b` read as zero, so that
/// the tail of a slice is tested eight bytes at a time as well (zero is in no class the
/// scanners test for).
pub(crate) fn word_from(b: &[u8], k: usize) -> u64 {
    if let Some(x) = word_at(b, k) {
        return x;
    }
    if k >= b.len() {
        return 0;
    }
    match b.len().checked_sub(8) {
        // The last eight bytes, shifted down so that byte `k` is the lowest (1 ≤ k - last ≤ 7).
        Some(last) => word_at(b, last).unwrap_or(0) >> (8 * (k - last)),
        None => {
            let mut word = [0u8; 8];
            word[..b.len() - k].copy_from_slice(&b[k..]);
            u64::from_le_bytes(word)
        }
    }
}

/// The offset just past the last ASCII digit of `b`, or 0 when it holds none; read eight
/// bytes at a time from the end.
pub(crate) fn digits_end(b: &[u8]) -> usize {
    // Just past the highest byte set in a mask of `within`, for a word read at `k`.
    let past = |k: usize, m: u64| k + (63 - m.leading_zeros() as usize) / 8 + 1;
    let mut end = b.len();
    while let Some(x) = end.checked_sub(8).and_then(|k| word_at(b, k)) {
        let m = within(x, b'0', b'9');
        if m != 0 {
            return past(end - 8, m);
        }
        end -= 8;
    }
    // Fewer than eight bytes left: in a longer slice they are the start of its first eight,
    // whose other bytes were read above and hold no digit; else one at a time.
    match word_at(b, 0) {
        Some(x) => match within(x, b'0', b'9') {
            0 => 0,
            m => past(0, m),
        },
        None => b[..end]
            .iter()
            .rposition(u8::is_ascii_digit)
            .map_or(0, |i| i + 1),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn swar_masks_match_byte_tests() {
        // Every byte value in every lane, with neighbours that would carry or borrow.
        for v in 0..=255u8 {
            for lane in 0..8 {
                for fill in [0x00, 0x20, 0x7F, 0x80, 0xFF] {
                    let mut bytes = [fill; 8];
                    bytes[lane] = v;
                    let x = u64::from_le_bytes(bytes);
                    let mask = |f: &dyn Fn(u8) -> bool| {
                        bytes
                            .iter()
                            .enumerate()
                            .fold(0u64, |m, (i, &b)| m | (u64::from(f(b)) << (8 * i + 7)))
                    };
                    assert_eq!(eq(x, b' '), mask(&|b| b == b' '), "{bytes:?}");
                    assert_eq!(eq(x, 0xE2), mask(&|b| b == 0xE2), "{bytes:?}");
                    assert_eq!(below(x, 0x0E), mask(&|b| b < 0x0E), "{bytes:?}");
                    assert_eq!(
                        within(x, b'\t', b'\r'),
                        mask(&|b| (b'\t'..=b'\r').contains(&b)),
                        "{bytes:?}"
                    );
                }
            }
        }
    }

    #[test]
    fn words_from_any_offset_pad_with_zeros() {
        let b: Vec<u8> = (1..=20).collect();
        for len in 0..=b.len() {
            for k in 0..=len + 1 {
                let want: Vec<u8> = (0..8).map(|j| *b[..len].get(k + j).unwrap_or(&0)).collect();
                let got = word_from(&b[..len], k).to_le_bytes();
                assert_eq!(got.as_slice(), want.as_slice(), "len {len} k {k}");
            }
        }
    }

    #[test]
    fn last_digit_anywhere() {
        for len in 0..20 {
            for at in 0..len {
                let mut b = vec![b'a'; len];
                assert_eq!(digits_end(&b), 0);
                b[at] = b'7';
                assert_eq!(digits_end(&b), at + 1, "{len} {at}");
                // An earlier digit does not move it.
                b[0] = b'0';
                assert_eq!(digits_end(&b), at + 1, "{len} {at}");
                b[0] = b'a';
                b[at] = b'0' - 1;
                assert_eq!(digits_end(&b), 0);
                b[at] = b'9' + 1;
                assert_eq!(digits_end(&b), 0);
            }
        }
        assert_eq!(digits_end("✅é".as_bytes()), 0);
        assert_eq!(digits_end("✅é5✅".as_bytes()), "✅é5".len());
    }
}
