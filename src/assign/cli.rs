//! `jury assign`: solve an instance file, or generate one.

use std::path::PathBuf;
use std::process::ExitCode;

use super::{Instance, generate, repair, solve};

#[derive(Debug, clap::Args)]
pub struct AssignArgs {
    /// Instance JSON to solve (DESIGN §6).
    #[arg(long, conflicts_with = "generate")]
    pub instance: Option<PathBuf>,
    /// Write a random instance instead: N_APPS N_JUDGES.
    #[arg(long, num_args = 2, value_names = ["N_APPS", "N_JUDGES"])]
    pub generate: Option<Vec<usize>>,
    /// --generate in the shape of a real call: this many conflicted judges per application
    /// (see docs/assignment-format.md; any of the three shape options selects that generator).
    #[arg(long, requires = "generate")]
    pub conflicts_per_app: Option<usize>,
    /// With --generate: tracks each judge declares, LOW..HIGH (default 1..3).
    #[arg(long, requires = "generate", value_parser = parse_count_range)]
    pub tracks_per_judge: Option<(usize, usize)>,
    /// With --generate: capacities from ceil(3 * N_APPS / N_JUDGES) + LOW to + HIGH
    /// (default -2..+6).
    #[arg(long, requires = "generate", allow_hyphen_values = true, value_parser = generate::parse_range)]
    pub capacity_spread: Option<(i64, i64)>,
    /// Seed for --generate.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Output file (default: standard output).
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// With --instance: solve, then remove this judge (and their conflicts) and write the
    /// repair of that answer instead (what a judge leaving mid-round costs).
    #[arg(long, requires = "instance")]
    pub remove_judge: Option<String>,
    /// Include a one-line explanation per assignment.
    #[arg(long)]
    pub explain: bool,
}

fn parse_count_range(text: &str) -> Result<(usize, usize), String> {
    let (lo, hi) = generate::parse_range(text)?;
    if lo < 1 {
        return Err(format!("a judge declares at least 1 track, got {text:?}"));
    }
    Ok((lo as usize, hi as usize))
}

fn write(out: &Option<PathBuf>, text: &str) -> Result<(), String> {
    match out {
        Some(p) => {
            std::fs::write(p, text).map_err(|e| format!("cannot write {}: {e}", p.display()))
        }
        None => {
            println!("{text}");
            Ok(())
        }
    }
}

pub fn run(args: AssignArgs) -> ExitCode {
    let result = match (&args.instance, &args.generate) {
        (_, Some(sizes)) => {
            let default = generate::Shape::default();
            let shape = (args.conflicts_per_app.is_some()
                || args.tracks_per_judge.is_some()
                || args.capacity_spread.is_some())
            .then(|| generate::Shape {
                conflicts_per_app: args.conflicts_per_app.unwrap_or(default.conflicts_per_app),
                tracks_per_judge: args.tracks_per_judge.unwrap_or(default.tracks_per_judge),
                capacity_spread: args.capacity_spread.unwrap_or(default.capacity_spread),
            });
            let inst = match shape {
                Some(shape) => generate::shaped(sizes[0], sizes[1], args.seed, &shape),
                None => generate::instance(sizes[0], sizes[1], args.seed),
            };
            serde_json::to_string(&inst)
                .map_err(|e| e.to_string())
                .and_then(|t| write(&args.out, &t))
        }
        (Some(path), None) => match std::fs::read_to_string(path) {
            Err(e) => Err(format!("cannot read {}: {e}", path.display())),
            Ok(text) => match Instance::from_json(&text) {
                Err(e) => Err(e.to_string()),
                Ok(inst) => {
                    let mut solution = solve(&inst);
                    let text = match &args.remove_judge {
                        None => {
                            if !args.explain {
                                solution.explanations.clear();
                            }
                            serde_json::to_string(&solution)
                        }
                        Some(id) => match without_judge(&inst, id) {
                            Err(e) => return fail(e),
                            Ok(smaller) => {
                                let clock = std::time::Instant::now();
                                let mut r = repair(&smaller, &solution.assignments, &[]);
                                eprintln!("jury assign: repair took {:?}", clock.elapsed());
                                if !args.explain {
                                    r.solution.explanations.clear();
                                }
                                serde_json::to_string(&r)
                            }
                        },
                    };
                    text.map_err(|e| e.to_string())
                        .and_then(|t| write(&args.out, &t))
                }
            },
        },
        (None, None) => Err("give --instance FILE or --generate N_APPS N_JUDGES".into()),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => fail(e),
    }
}

fn fail(e: String) -> ExitCode {
    eprintln!("jury assign: {e}");
    ExitCode::from(2)
}

/// The instance without judge `id` and their conflicts.
fn without_judge(inst: &Instance, id: &str) -> Result<Instance, String> {
    let mut smaller = inst.clone();
    let before = smaller.judges.len();
    smaller.judges.retain(|j| j.id != id);
    if smaller.judges.len() == before {
        return Err(format!("--remove-judge: no judge {id:?} in the instance"));
    }
    smaller.conflicts.retain(|(j, _)| j != id);
    Ok(smaller)
}
