//! onbehalf: place cloud orders on customers' behalf.
//!
//! The core modules below know nothing of WASM, HTTP or SQL: they take plain data and return plain
//! data or [`error::ApiError`]. Two thin adapters sit on top, one per platform:
//! - `worker` (feature `worker`): the Cloudflare Worker HTTP API over D1;
//! - `browser` (feature `browser`): the wasm-bindgen module that portals embed.

#[cfg(all(feature = "worker", feature = "browser"))]
compile_error!("features `worker` and `browser` are mutually exclusive: build one adapter at a time");

pub mod audit;
pub mod bearer;
pub mod cache;
pub mod catalog;
pub mod consent;
pub mod customers;
pub mod decode;
pub mod delivery;
pub mod demo;
pub mod directory;
pub mod drafts;
pub mod error;
pub mod grants;
pub mod huawei;
pub mod idempotency;
pub mod ids;
pub mod masking;
pub mod money;
// The API's description is a static asset (`onbehalf-openapi` writes it at build time): the worker
// does not carry it.
#[cfg(not(feature = "worker"))]
pub mod openapi;
pub mod operations;
pub mod orders;
pub mod outbox;
pub mod partners;
pub mod payloads;
pub mod portal;
pub mod prerequisites;
pub mod quotes;
pub mod request_url;
pub mod sessions;
pub mod shard;
pub mod sorting;
pub mod sql;
pub mod time;
pub mod tracking;
pub mod upstream;

#[cfg(test)]
mod testutil;

#[cfg(feature = "worker")]
mod worker;

#[cfg(feature = "browser")]
pub mod browser;

/// Both wasm builds allocate with Talc instead of the standard library's dlmalloc: 2.5 KiB less of the
/// browser module's gzip, and no slower (README, Measured). Both run on one thread (workerd's isolate,
/// the page's main thread or a worker), which `WasmDynamicTalc` assumes.
#[cfg(all(target_arch = "wasm32", not(target_feature = "atomics"), any(feature = "worker", feature = "browser")))]
#[global_allocator]
static ALLOCATOR: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();
