//! Any JSON (or text) as an operation's id and input, through `Client::begin`: a
//! request that passes the URL/header/body checks, or a typed validation error.
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| apikeys_fuzz::common::input_case(data));
