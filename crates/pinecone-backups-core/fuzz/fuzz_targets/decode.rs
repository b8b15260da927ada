//! Arbitrary bytes through `BackupList::from_json` and `Backup::from_json`; see `src/lib.rs` for
//! the invariants checked.

#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _decoded = pinecone_backups_core_fuzz::check_input(data);
});
