//! The deployment files are tested, not just written: `deploy/wxacode.service` passes
//! `systemd-analyze verify` (with no warning) pointed at the server binary cargo built, and
//! `deploy/nginx/` passes `nginx -t` as `make cluster` runs it (it serves in `make test-cluster`).

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

#[test]
fn the_nginx_configuration_of_make_cluster_passes_nginx_t() {
    let deploy = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../deploy/nginx");
    let site = std::fs::read_to_string(deploy.join("wxacode.conf")).expect("deploy/nginx/wxacode.conf");
    for needed in [
        "proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;",
        "proxy_set_header X-Request-Id $request_id;",
        "proxy_buffering off;",
    ] {
        assert!(site.contains(needed), "wxacode.conf lacks {needed}");
    }
    let prefix = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(prefix.path().join("tmp")).unwrap();
    for file in ["cluster.conf", "wxacode.conf"] {
        std::fs::copy(deploy.join(file), prefix.path().join(file)).unwrap();
    }
    let output = Command::new("nginx")
        .arg("-t")
        .arg("-p")
        .arg(prefix.path())
        .arg("-c")
        .arg(prefix.path().join("cluster.conf"))
        .output()
        .expect("nginx (Debian's; scripts/install-tools.sh test installs it)");
    let said = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "nginx -t failed:\n{said}");
    assert!(!said.contains("[warn]"), "nginx -t warned:\n{said}");
}
