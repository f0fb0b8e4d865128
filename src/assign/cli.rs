//! `jury assign`: solve an instance file, or generate one.

use std::path::PathBuf;
use std::process::ExitCode;

use super::{Instance, generate, solve};

#[derive(Debug, clap::Args)]
pub struct AssignArgs {
    /// Instance JSON to solve (DESIGN §6).
    #[arg(long, conflicts_with = "generate")]
    pub instance: Option<PathBuf>,
    /// Write a random instance instead: N_APPS N_JUDGES.
    #[arg(long, num_args = 2, value_names = ["N_APPS", "N_JUDGES"])]
    pub generate: Option<Vec<usize>>,
    /// Seed for --generate.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Output file (default: standard output).
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Include a one-line explanation per assignment.
    #[arg(long)]
    pub explain: bool,
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
            let inst = generate::instance(sizes[0], sizes[1], args.seed);
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
                    if !args.explain {
                        solution.explanations.clear();
                    }
                    serde_json::to_string(&solution)
                        .map_err(|e| e.to_string())
                        .and_then(|t| write(&args.out, &t))
                }
            },
        },
        (None, None) => Err("give --instance FILE or --generate N_APPS N_JUDGES".into()),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("jury assign: {e}");
            ExitCode::from(2)
        }
    }
}
