# Tool versions, pinned in one place. The wasm-bindgen crate in Cargo.toml must equal WASM_BINDGEN_VERSION.
WASM_BINDGEN_VERSION := 0.2.130
WORKER_BUILD_VERSION := 0.8.7
WASM_PACK_VERSION := 0.15.1
# JS tools (wrangler 4.86.0, playwright-core 1.65.1, binaryen 132.0.0) are pinned in package.json / package-lock.json.
CARGO_FUZZ_VERSION := 0.13.1
# Python tools: Schemathesis (the API fuzzer), pinned in tests/schemathesis/requirements.txt.
SCHEMATHESIS_VERSION := 4.32.5
# huaweicloudsdk* (tests/huawei-emulator/requirements.txt pins each package to it).
HUAWEI_SDK_VERSION := 3.1.219
