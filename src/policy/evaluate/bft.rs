//! `bft.*`: the consensus facts the report states against Byzantine fault-tolerance bounds
//! evaluated with the report's own f and n (n ≥ 3f+1, faults ≤ f, quorum ≥ 2f+1).

use super::{At, Findings};
use crate::policy::Policy;
use crate::report::model::Report;
use serde_json::json;

pub(super) fn evaluate(policy: &Policy, report: &Report, out: &mut Findings) {
    let c = &report.consensus;
    let Some(f) = &c.f else { return };
    let n = c.n.as_ref();
    let Ok(bounds) = policy.bounds(f.value, n.map_or(0, |n| n.value)) else {
        return;
    };
    if let Some(n) = n {
        let needed = 3u128 * u128::from(f.value) + 1;
        if policy.consensus.resilience && u128::from(n.value) < needed {
            out.push(
                "bft.resilience",
                At::span(n.span, None),
                format!("n = {} nodes cannot tolerate f = {}: Byzantine agreement needs n ≥ 3f+1 = {needed}", n.value, f.value),
                vec![("n", json!(n.value)), ("f", json!(f.value)), ("required", json!(needed as u64))],
            );
        }
    }
    for faulty in c.faulty.iter().filter(|x| x.value > bounds.max_faulty) {
        out.push(
            "bft.faults",
            At::span(faulty.span, None),
            format!(
                "`{}`: {} faulty nodes exceed the {} the policy tolerates (max_faulty = {})",
                faulty.text, faulty.value, bounds.max_faulty, policy.consensus.max_faulty
            ),
            vec![
                ("faulty", json!(faulty.value)),
                ("max_faulty", json!(bounds.max_faulty)),
            ],
        );
    }
    for honest in c.honest.iter().filter(|x| x.value < bounds.quorum) {
        out.push(
            "bft.quorum",
            At::span(honest.span, None),
            format!(
                "`{}`: {} honest nodes are fewer than the quorum {} = {}",
                honest.text, honest.value, policy.consensus.quorum, bounds.quorum
            ),
            vec![
                ("honest", json!(honest.value)),
                ("quorum", json!(bounds.quorum)),
            ],
        );
    }
    // A quorum the report claims, as arithmetic (`2f+1 = 5`) or as a ratio (`5/7 nodes`).
    let claimed = c
        .quorum
        .iter()
        .map(|q| (q.stated, &q.text, q.span))
        .chain(c.quorum_ratios.iter().map(|q| (q.value.0, &q.text, q.span)));
    for (size, text, span) in claimed.filter(|q| q.0 < bounds.quorum) {
        out.push(
            "bft.quorum",
            At::span(span, None),
            format!(
                "`{text}`: a quorum of {size} is smaller than {} = {}",
                policy.consensus.quorum, bounds.quorum
            ),
            vec![("claimed", json!(size)), ("quorum", json!(bounds.quorum))],
        );
    }
}
