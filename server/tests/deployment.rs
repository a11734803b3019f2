//! The deployment files are tested, not just written: `deploy/wxacode.service` passes
//! `systemd-analyze verify` (with no warning) pointed at the server binary cargo built.

use std::process::Command;

#[test]
fn the_systemd_unit_verifies_cleanly() {
    let unit = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../deploy/wxacode.service"))
        .expect("deploy/wxacode.service");
    assert!(unit.contains("ExecStart=/opt/wxacode/server\n"), "the documented install path");
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("wxacode.service");
    // verify checks that ExecStart is executable: point it at the binary this test was built with.
    let unit =
        unit.replace("ExecStart=/opt/wxacode/server", &format!("ExecStart={}", env!("CARGO_BIN_EXE_server")));
    std::fs::write(&path, unit).unwrap();
    let output = Command::new("systemd-analyze")
        .arg("verify")
        .arg(&path)
        .output()
        .expect("systemd-analyze (Debian's systemd; scripts/install-tools.sh test installs it)");
    let complaints = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "systemd-analyze verify failed:\n{complaints}");
    // Unknown keys and bad values are only warnings to systemd; here they fail.
    assert!(complaints.trim().is_empty(), "systemd-analyze verify complained:\n{complaints}");
}
