//! Link flags for the server's binaries (the benchmarks' binaries, which run the server, use this
//! file too).

fn main() {
    let target = |name: &str| std::env::var(name).unwrap_or_default();
    // Packed relative relocations (DT_RELR): the loader reads 36 KB of relocations at start
    // instead of 2.5 MB, which stayed resident (3 MB of the server's memory). Needs glibc 2.36+
    // (Debian 12) and lld or GNU ld 2.38+.
    if target("CARGO_CFG_TARGET_OS") == "linux" && target("CARGO_CFG_TARGET_ENV") == "gnu" {
        println!("cargo:rustc-link-arg-bins=-Wl,-z,pack-relative-relocs");
    }
    // Not on every change of the package's sources (a change of this script reruns it anyway).
    println!("cargo:rerun-if-changed=Cargo.toml");
}
