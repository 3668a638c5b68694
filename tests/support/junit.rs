//! Reading JUnit XML back in tests, shared by the renderer and the end-to-end tests.

use quick_xml::events::Event;

/// What a test needs to know of a JUnit XML document.
#[derive(Debug, PartialEq)]
pub struct JunitCounts {
    pub testcases: usize,
    pub failures: usize,
    pub skipped: usize,
    pub suite_attrs: Vec<(String, String)>,
    pub failed_names: Vec<String>,
}

/// Counts testcases, failures and skips; panics on malformed XML (it is a test).
pub fn parse_junit(xml: &str) -> JunitCounts {
    let mut reader = quick_xml::Reader::from_str(xml);
    let mut c = JunitCounts {
        testcases: 0,
        failures: 0,
        skipped: 0,
        suite_attrs: vec![],
        failed_names: vec![],
    };
    let mut current = String::new();
    loop {
        match reader.read_event().expect("well-formed XML") {
            Event::Eof => break,
            Event::Start(e) | Event::Empty(e) => {
                let attrs: Vec<(String, String)> = e
                    .attributes()
                    .map(|a| {
                        let a = a.expect("attribute");
                        (
                            String::from_utf8(a.key.as_ref().to_vec()).expect("utf-8"),
                            a.unescape_value().expect("value").into_owned(),
                        )
                    })
                    .collect();
                match e.name().as_ref() {
                    b"testcase" => {
                        c.testcases += 1;
                        current = attrs
                            .iter()
                            .find(|(k, _)| k == "name")
                            .map(|(_, v)| v.clone())
                            .expect("name");
                    }
                    b"failure" => {
                        c.failures += 1;
                        c.failed_names.push(current.clone());
                    }
                    b"skipped" => c.skipped += 1,
                    b"testsuite" => c.suite_attrs = attrs,
                    _ => {}
                }
            }
            _ => {}
        }
    }
    c
}
