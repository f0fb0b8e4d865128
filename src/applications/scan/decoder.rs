//! A stream's filters, chained: every byte each one produces is counted against the file's
//! decode budget, and an object stream's content goes on to be lexed.

use super::filters::{Halt, Stage, chain};
use super::findings::Findings;
use super::grammar::StreamDict;
use super::objstm::ObjStm;

pub(super) struct Decoder {
    stages: Vec<Box<dyn Stage>>,
    pub(super) objstm: Option<ObjStm>,
    stopped: bool,
}

struct Ctx<'a> {
    f: &'a mut Findings,
    budget: u64,
    objstm: Option<&'a mut ObjStm>,
}

impl Ctx<'_> {
    fn count(&mut self, n: usize) -> Result<(), Halt> {
        self.f.decoded += n as u64;
        if self.f.decoded > self.budget {
            return Err(Halt::Budget);
        }
        Ok(())
    }
}

fn push(stages: &mut [Box<dyn Stage>], data: &[u8], ctx: &mut Ctx<'_>) -> Result<(), Halt> {
    match stages.split_first_mut() {
        None => match &mut ctx.objstm {
            Some(o) => o.bytes(data, ctx.f),
            None => Ok(()),
        },
        Some((stage, rest)) => stage.feed(data, &mut |out| {
            ctx.count(out.len())?;
            push(rest, out, ctx)
        }),
    }
}

fn finish_all(stages: &mut [Box<dyn Stage>], ctx: &mut Ctx<'_>) -> Result<(), Halt> {
    let Some((stage, rest)) = stages.split_first_mut() else {
        return Ok(());
    };
    stage.finish(&mut |out| {
        ctx.count(out.len())?;
        push(rest, out, ctx)
    })?;
    finish_all(rest, ctx)
}

impl Decoder {
    pub(super) fn new(dict: &StreamDict, f: &mut Findings) -> Option<Decoder> {
        let (stages, known) = if dict.filters_unknown {
            (Vec::new(), false)
        } else {
            chain(&dict.filters, dict.early_change)
        };
        // An object stream whose content cannot be read as PDF syntax: unseen.
        let readable = known && !dict.predictor;
        if dict.objstm && !readable {
            f.incomplete = true;
        }
        let objstm = (dict.objstm && readable).then(|| ObjStm::new(dict.first));
        if stages.is_empty() && objstm.is_none() {
            return None;
        }
        Some(Decoder {
            stages,
            objstm,
            stopped: false,
        })
    }

    fn halt(&mut self, result: Result<(), Halt>, f: &mut Findings) {
        match result {
            Ok(()) => return,
            Err(Halt::Budget) => f.budget_exceeded = true,
            // A damaged image or page only renders badly; an object stream is unseen.
            Err(Halt::Broken) => f.incomplete |= self.objstm.is_some(),
        }
        self.stopped = true;
    }

    pub(super) fn feed(&mut self, data: &[u8], f: &mut Findings, budget: u64) {
        if self.stopped || data.is_empty() {
            return;
        }
        let mut ctx = Ctx {
            f,
            budget,
            objstm: self.objstm.as_mut(),
        };
        let result = push(&mut self.stages, data, &mut ctx);
        self.halt(result, f);
    }

    pub(super) fn finish(mut self, f: &mut Findings, budget: u64) {
        if !self.stopped {
            let mut ctx = Ctx {
                f,
                budget,
                objstm: self.objstm.as_mut(),
            };
            let result = finish_all(&mut self.stages, &mut ctx);
            self.halt(result, f);
        }
        if let Some(o) = &mut self.objstm {
            o.end(f);
        }
    }
}
