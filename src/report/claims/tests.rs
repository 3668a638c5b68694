use super::*;

#[test]
#[ignore]
fn explore() {
    let path = std::env::var("EXPLORE").unwrap();
    let text = std::fs::read_to_string(path).unwrap();
    for line in text.lines() {
        let claims = scan(line);
        if !claims.is_empty() {
            println!("== {line}");
            for c in claims {
                println!("   {:?}  [{}]", c.kind, &line[c.start..c.end]);
            }
        }
    }
}
