//! The instance, the solution and the two things every caller needs without a solver: the
//! validation of an instance and the objective figures of any set of pairs.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Judge {
    pub id: String,
    pub region: String,
    pub capacity: i64,
    #[serde(default)]
    pub expertise: BTreeMap<String, i64>,
}

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Application {
    pub id: String,
    pub track: String,
}

fn default_regions() -> Vec<String> {
    vec!["KR".into(), "CN".into()]
}

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Instance {
    pub reviews_per_application: i64,
    #[serde(default = "default_regions")]
    pub required_regions: Vec<String>,
    pub judges: Vec<Judge>,
    pub applications: Vec<Application>,
    #[serde(default)]
    pub conflicts: Vec<(String, String)>,
}

#[derive(Debug, thiserror::Error, PartialEq)]
pub enum InstanceError {
    #[error("not valid instance JSON: {0}")]
    Json(String),
    #[error("reviews_per_application must be at least 1, got {0}")]
    BadK(i64),
    #[error("judge {0:?} has a negative capacity ({1})")]
    NegativeCapacity(String, i64),
    #[error("judge {0:?}: expertise in {1:?} must be 0-3, got {2}")]
    BadExpertise(String, String, i64),
    #[error("duplicate judge id {0:?}")]
    DuplicateJudge(String),
    #[error("duplicate application id {0:?}")]
    DuplicateApplication(String),
    #[error("conflict names unknown judge {0:?}")]
    UnknownJudge(String),
    #[error("conflict names unknown application {0:?}")]
    UnknownApplication(String),
    #[error("empty id in {0}")]
    EmptyId(&'static str),
    #[error("judge {0:?} has an empty region")]
    EmptyRegion(String),
    #[error("required_regions: {0:?} is empty or listed twice")]
    BadRequiredRegion(String),
}

impl Instance {
    pub fn from_json(text: &str) -> Result<Instance, InstanceError> {
        let inst: Instance =
            serde_json::from_str(text).map_err(|e| InstanceError::Json(e.to_string()))?;
        inst.validate()?;
        Ok(inst)
    }

    pub fn validate(&self) -> Result<(), InstanceError> {
        if self.reviews_per_application < 1 {
            return Err(InstanceError::BadK(self.reviews_per_application));
        }
        let mut required = BTreeSet::new();
        for r in &self.required_regions {
            if r.is_empty() || !required.insert(r.as_str()) {
                return Err(InstanceError::BadRequiredRegion(r.clone()));
            }
        }
        let mut judges = BTreeSet::new();
        for j in &self.judges {
            if j.id.is_empty() {
                return Err(InstanceError::EmptyId("judges"));
            }
            if !judges.insert(j.id.as_str()) {
                return Err(InstanceError::DuplicateJudge(j.id.clone()));
            }
            if j.region.is_empty() {
                return Err(InstanceError::EmptyRegion(j.id.clone()));
            }
            if j.capacity < 0 {
                return Err(InstanceError::NegativeCapacity(j.id.clone(), j.capacity));
            }
            if let Some((t, v)) = j.expertise.iter().find(|(_, v)| !(0..=3).contains(*v)) {
                return Err(InstanceError::BadExpertise(j.id.clone(), t.clone(), *v));
            }
        }
        let mut apps = BTreeSet::new();
        for a in &self.applications {
            if a.id.is_empty() {
                return Err(InstanceError::EmptyId("applications"));
            }
            if !apps.insert(a.id.as_str()) {
                return Err(InstanceError::DuplicateApplication(a.id.clone()));
            }
        }
        for (j, a) in &self.conflicts {
            if !judges.contains(j.as_str()) {
                return Err(InstanceError::UnknownJudge(j.clone()));
            }
            if !apps.contains(a.as_str()) {
                return Err(InstanceError::UnknownApplication(a.clone()));
            }
        }
        Ok(())
    }
}

#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq, Eq, PartialOrd, Ord)]
pub struct Objective {
    pub reviews: i64,
    pub regions_covered: i64,
    pub affinity: i64,
    pub load_squares: i64,
}

impl Objective {
    /// Lexicographic "better than": more seats, then coverage, then affinity, then less load².
    pub fn key(&self) -> (i64, i64, i64, i64) {
        (
            self.reviews,
            self.regions_covered,
            self.affinity,
            -self.load_squares,
        )
    }
}

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct Unfilled {
    pub application: String,
    pub missing: i64,
    pub reason: String,
}

/// Why a judge sits on a panel, for people: "expert in ai (3), KR seat".
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct Explanation {
    pub judge: String,
    pub application: String,
    pub region: String,
    pub affinity: i64,
    pub text: String,
}

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct Solution {
    pub assignments: Vec<(String, String)>,
    pub objective: Objective,
    pub unfilled: Vec<Unfilled>,
    /// Seats that no amount of rearranging could fill: k × applications minus the seats the
    /// judges' capacities allow.
    pub capacity_shortfall: i64,
    /// Seats left empty in this solution (k × applications − reviews).
    #[serde(default)]
    pub missing_seats: i64,
    /// (application, region) pairs of the required regions left uncovered.
    pub uncovered: Vec<(String, String)>,
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub explanations: Vec<Explanation>,
}

/// The objective figures of any assignment, computed directly from the pairs.
pub fn evaluate(inst: &Instance, pairs: &[(String, String)]) -> Objective {
    let judges: BTreeMap<&str, &Judge> = inst.judges.iter().map(|j| (j.id.as_str(), j)).collect();
    let apps: BTreeMap<&str, &Application> = inst
        .applications
        .iter()
        .map(|a| (a.id.as_str(), a))
        .collect();
    let mut load: BTreeMap<&str, i64> = BTreeMap::new();
    let mut covered: BTreeSet<(&str, &str)> = BTreeSet::new();
    let mut affinity = 0;
    for (j, a) in pairs {
        let (Some(judge), Some(app)) = (judges.get(j.as_str()), apps.get(a.as_str())) else {
            continue;
        };
        *load.entry(j.as_str()).or_default() += 1;
        affinity += judge.expertise.get(&app.track).copied().unwrap_or(0);
        if inst.required_regions.contains(&judge.region) {
            covered.insert((a.as_str(), judge.region.as_str()));
        }
    }
    Objective {
        reviews: pairs.len() as i64,
        regions_covered: covered.len() as i64,
        affinity,
        load_squares: load.values().map(|l| l * l).sum(),
    }
}

/// Checks the hard rules; the error names the first broken one.
pub fn check(inst: &Instance, pairs: &[(String, String)]) -> Result<(), String> {
    let conflicts: BTreeSet<(&str, &str)> = inst
        .conflicts
        .iter()
        .map(|(j, a)| (j.as_str(), a.as_str()))
        .collect();
    let caps: BTreeMap<&str, i64> = inst
        .judges
        .iter()
        .map(|j| (j.id.as_str(), j.capacity))
        .collect();
    let apps: BTreeSet<&str> = inst.applications.iter().map(|a| a.id.as_str()).collect();
    let mut seen = BTreeSet::new();
    let mut load: BTreeMap<&str, i64> = BTreeMap::new();
    let mut panel: BTreeMap<&str, i64> = BTreeMap::new();
    for (j, a) in pairs {
        if !caps.contains_key(j.as_str()) || !apps.contains(a.as_str()) {
            return Err(format!("unknown pair ({j}, {a})"));
        }
        if conflicts.contains(&(j.as_str(), a.as_str())) {
            return Err(format!("conflicted pair ({j}, {a})"));
        }
        if !seen.insert((j.as_str(), a.as_str())) {
            return Err(format!("judge {j} twice on {a}"));
        }
        *load.entry(j.as_str()).or_default() += 1;
        *panel.entry(a.as_str()).or_default() += 1;
    }
    for (j, l) in load {
        if l > caps[j] {
            return Err(format!("judge {j} over capacity ({l} > {})", caps[j]));
        }
    }
    for (a, n) in panel {
        if n > inst.reviews_per_application {
            return Err(format!("application {a} has {n} judges"));
        }
    }
    Ok(())
}
