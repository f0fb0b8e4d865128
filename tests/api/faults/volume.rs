//! The upload volume full: a clear error, no partial file, and the next upload works once
//! there is room.

use std::path::{Path, PathBuf};
use std::process::Command;

use super::as_root;
use crate::common::TestApp;

/// A 1 MiB tmpfs over the upload directory, unmounted when dropped.
struct SmallVolume(PathBuf);

impl SmallVolume {
    fn mount(at: &Path) -> Option<SmallVolume> {
        std::fs::create_dir_all(at).unwrap();
        let mounted = as_root()
            && Command::new("mount")
                .args(["-t", "tmpfs", "-o", "size=1m", "tmpfs"])
                .arg(at)
                .status()
                .is_ok_and(|s| s.success());
        if mounted {
            return Some(SmallVolume(at.to_path_buf()));
        }
        if std::env::var("JURY_REQUIRE_FAULTS").is_ok_and(|v| v == "1") {
            panic!("the disk-full test must mount a tmpfs (JURY_REQUIRE_FAULTS=1): run as root");
        }
        eprintln!("SKIP disk-full test: mounting a tmpfs needs root");
        None
    }
}

impl Drop for SmallVolume {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg("-l").arg(&self.0).status();
    }
}

fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).into_iter().flatten().flatten() {
            if e.path().is_dir() {
                stack.push(e.path());
            } else {
                out.push(e.path());
            }
        }
    }
    out
}

/// A real PDF grown to `size` bytes with a comment line, which readers skip.
fn padded_deck(size: usize) -> Vec<u8> {
    let pdf = jury::applications::pdf::sample("Full Disk Ltd");
    let split = pdf.iter().position(|&b| b == b'\n').expect("header line") + 1;
    let mut out = pdf[..split].to_vec();
    out.push(b'%');
    out.extend(std::iter::repeat_n(
        b'x',
        size.saturating_sub(pdf.len() + 2),
    ));
    out.push(b'\n');
    out.extend_from_slice(&pdf[split..]);
    out
}

#[actix_web::test]
async fn a_full_upload_volume_gives_a_clear_error_and_leaves_no_file() {
    let mut volume = None;
    let app =
        TestApp::with_config(|c| volume = SmallVolume::mount(&c.data_dir.join("uploads"))).await;
    let Some(volume) = volume else { return };
    let admin = app.admin().await;
    let applicant = app.applicant().await;
    let contest = app.contest(&admin).await;
    let id = app.draft_application(&applicant, contest).await;
    // Leave 96 KiB free, then send a 300 KiB deck: the write runs out of space half way.
    let filler = volume.0.join("filler.bin");
    std::fs::write(&filler, vec![0u8; 1024 * 1024 - 96 * 1024]).unwrap();

    let full = app
        .upload(&applicant, id, "deck.pdf", padded_deck(300 * 1024))
        .await;
    assert_eq!(full.status, 507, "{}", full.text);
    assert_eq!(full.code(), "storage_full");
    assert!(full.text.contains("no space is left"), "{}", full.text);
    assert_eq!(
        files_under(&volume.0),
        vec![filler.clone()],
        "no partial file is left"
    );
    let listed = app
        .get(&format!("/api/v1/applications/{id}"))
        .by(&applicant)
        .await;
    assert!(
        listed.body["deck"].is_null(),
        "no deck recorded: {}",
        listed.text
    );

    // Once the operator frees space the same upload works, with nothing left over from before.
    std::fs::remove_file(&filler).unwrap();
    let ok = app
        .upload(&applicant, id, "deck.pdf", padded_deck(300 * 1024))
        .await;
    assert_eq!(ok.status, 201, "{}", ok.text);
    assert_eq!(files_under(&volume.0).len(), 1, "exactly the stored deck");
}
