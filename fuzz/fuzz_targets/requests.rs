//! Any id, cursor, filter and base URL text: the built URL stays under the
//! provider's route, the id is one segment that decodes back to itself.
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| apikeys_fuzz::common::request_case(data));
