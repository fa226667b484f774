//! Prints the OpenAPI document (`onbehalf::openapi::document()`: the hand-written paths with the
//! error codes and regions filled from the code) as the static asset `www/v1/openapi.json`, so the
//! worker serves it without compiling it in (`make worker` writes it; it cannot drift from the code
//! it is built with).
//!
//! usage: onbehalf-openapi > www/v1/openapi.json

use std::process::ExitCode;

#[cfg(feature = "worker")]
fn main() -> ExitCode {
    eprintln!("onbehalf-openapi is a host program: build it without the `worker` feature");
    ExitCode::FAILURE
}

#[cfg(not(feature = "worker"))]
fn main() -> ExitCode {
    let doc = onbehalf::openapi::document();
    if doc.is_null() {
        eprintln!("onbehalf-openapi: src/openapi/openapi.json does not parse");
        return ExitCode::FAILURE;
    }
    println!("{doc}");
    ExitCode::SUCCESS
}
