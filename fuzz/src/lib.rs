//! The fuzz targets' harness: the same file the native tests use, so every crash
//! replays with `cargo test --test hostile` once its input is kept as a fixture.

#[path = "../../tests/common/mod.rs"]
pub mod common;
