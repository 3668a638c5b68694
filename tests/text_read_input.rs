//! `read_input`: the size limit is enforced while reading, never after reading everything.

use std::io::Write;
use verdict::limits::Limits;
use verdict::text::{TextError, read_input};

fn file_of(len: usize) -> tempfile::NamedTempFile {
    let mut f = tempfile::NamedTempFile::new().unwrap();
    f.write_all(&vec![b'a'; len]).unwrap();
    f
}

#[test]
fn exactly_at_the_limit_is_read() {
    let f = file_of(100);
    let bytes = read_input(
        f.path().to_str().unwrap(),
        &Limits {
            max_bytes: 100,
            ..Limits::default()
        },
    )
    .unwrap();
    assert_eq!(bytes, vec![b'a'; 100]);
}

#[test]
fn one_byte_over_the_limit_is_refused() {
    let f = file_of(101);
    let err = read_input(
        f.path().to_str().unwrap(),
        &Limits {
            max_bytes: 100,
            ..Limits::default()
        },
    )
    .unwrap_err();
    assert!(matches!(err, TextError::TooLarge { limit: 100 }), "{err:?}");
    let msg = err.to_string();
    assert_eq!(msg, "report is larger than the limit of 100 bytes");
    let help = miette::Diagnostic::help(&err).unwrap().to_string();
    assert!(help.contains("--max-bytes"), "{help}");
}

#[test]
fn empty_file_is_read() {
    let f = file_of(0);
    assert_eq!(
        read_input(f.path().to_str().unwrap(), &Limits::default()).unwrap(),
        b""
    );
}

#[cfg(target_os = "linux")]
#[test]
fn endless_input_is_refused_after_the_limit() {
    // /dev/zero never ends: only a bounded read can return.
    let err = read_input(
        "/dev/zero",
        &Limits {
            max_bytes: 1 << 20,
            ..Limits::default()
        },
    )
    .unwrap_err();
    assert!(
        matches!(err, TextError::TooLarge { limit: 1048576 }),
        "{err:?}"
    );
}

#[test]
fn missing_file_is_an_io_error_naming_the_path() {
    let err = read_input("/nonexistent/report.md", &Limits::default()).unwrap_err();
    match &err {
        TextError::Io { path, source } => {
            assert_eq!(path, "/nonexistent/report.md");
            assert_eq!(source.kind(), std::io::ErrorKind::NotFound);
        }
        other => panic!("expected Io, got {other:?}"),
    }
    assert_eq!(err.to_string(), "cannot read report /nonexistent/report.md");
    assert_eq!(
        miette::Diagnostic::code(&err).unwrap().to_string(),
        "text::io"
    );
}

#[test]
fn a_directory_is_an_io_error() {
    let dir = tempfile::tempdir().unwrap();
    let err = read_input(dir.path().to_str().unwrap(), &Limits::default()).unwrap_err();
    assert!(matches!(err, TextError::Io { .. }), "{err:?}");
}
