//! `jury assign --instance FILE`: any text either is refused with a reason or, when accepted,
//! solves to an assignment that keeps every hard rule and whose reported objective is what the
//! pairs really give.
#![no_main]

use jury_fuzz::assign::{Instance, check, evaluate, solve};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(inst) = Instance::from_json(text) else {
        return;
    };
    // Keep each run fast; size is not what is being tested here.
    if inst.judges.len() > 40
        || inst.applications.len() > 40
        || inst.reviews_per_application > 8
        || inst.judges.iter().any(|j| j.capacity > 64)
    {
        return;
    }
    let solution = solve(&inst);
    if let Err(e) = check(&inst, &solution.assignments) {
        panic!("solver broke a hard rule: {e}\n{text}");
    }
    assert_eq!(
        evaluate(&inst, &solution.assignments),
        solution.objective,
        "reported objective differs from the pairs\n{text}"
    );
    let seats = inst.reviews_per_application * inst.applications.len() as i64;
    assert_eq!(
        solution.missing_seats,
        seats - solution.objective.reviews,
        "{text}"
    );
});
