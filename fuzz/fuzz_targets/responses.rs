//! Any status, headers and body bytes, for every operation of every provider, through
//! `Exchange::receive` (both stages): no panic, no hang, typed errors, no secret.
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| apikeys_fuzz::common::response_case(data));
