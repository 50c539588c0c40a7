//! The state of all five providers, behind one lock, optionally persisted as JSON.
//!
//! Rules: a mutation is written to disk (temp file in the same directory, fsync, rename, fsync of the
//! directory) before its response is sent, and rolled back in memory if the write fails; raw secrets
//! are never part of [`State`] (keys keep `secret_hash` only).

use crate::error::ApiError;
use crate::providers::{anthropic, fluxbase, gptcore, openrouter, quantum};
use serde::{Deserialize, Serialize};
use std::fs::{self, File};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard};

/// Format version of the state file.
pub const STATE_VERSION: u32 = 1;

/// Every provider's keys, in creation order.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct State {
    pub version: u32,
    pub openrouter: Vec<openrouter::StoredKey>,
    pub gptcore: Vec<gptcore::StoredKey>,
    pub quantum: Vec<quantum::StoredKey>,
    pub anthropic: Vec<anthropic::StoredKey>,
    pub fluxbase: Vec<fluxbase::StoredKey>,
}

/// Shared, lock-protected state with optional persistence.
#[derive(Debug)]
pub struct Store {
    state: Mutex<State>,
    path: Option<PathBuf>,
}

impl Store {
    /// Loads `path` if it exists, else seeds (and writes the seed there). `None` = memory only.
    pub fn open(path: Option<PathBuf>) -> io::Result<Store> {
        let state = match &path {
            Some(p) if p.exists() => load(p)?,
            _ => crate::providers::seed_state(crate::time::now_ms()),
        };
        let store = Store {
            state: Mutex::new(state),
            path,
        };
        if let Some(p) = &store.path {
            if !p.exists() {
                store.persist(&store.lock())?;
            }
        }
        Ok(store)
    }

    /// A memory-only store holding `state`.
    pub fn in_memory(state: State) -> Store {
        Store {
            state: Mutex::new(state),
            path: None,
        }
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        // A panic inside a handler must not wedge the server: take the state as it was.
        self.state
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Runs `f` with read access.
    pub fn read<T>(&self, f: impl FnOnce(&State) -> T) -> T {
        f(&self.lock())
    }

    /// Runs `f` with write access; on `Ok`, persists before returning (rolling back if that fails).
    pub fn mutate<T>(
        &self,
        f: impl FnOnce(&mut State) -> Result<T, ApiError>,
    ) -> Result<T, ApiError> {
        let mut guard = self.lock();
        let backup = self.path.as_ref().map(|_| guard.clone());
        let out = f(&mut guard)?;
        if let Err(e) = self.persist(&guard) {
            if let Some(b) = backup {
                *guard = b;
            }
            return Err(e.into());
        }
        Ok(out)
    }

    /// Replaces the whole state (reset) and persists it; if that fails, the state stays as it was.
    pub fn replace(&self, state: State) -> io::Result<()> {
        let mut guard = self.lock();
        self.persist(&state)?;
        *guard = state;
        Ok(())
    }

    fn persist(&self, state: &State) -> io::Result<()> {
        match &self.path {
            Some(p) => write_atomic(p, &serde_json::to_vec(state)?).map_err(|e| naming(p, e.kind(), e)),
            None => Ok(()),
        }
    }
}

/// Reads a state file, refusing anything else (another tool's JSON, `{}`): read as an empty
/// state, it would be overwritten by the next write.
fn load(path: &Path) -> io::Result<State> {
    let bytes = fs::read(path).map_err(|e| naming(path, e.kind(), e))?;
    let state: State = serde_json::from_slice(&bytes).map_err(|e| naming(path, io::ErrorKind::InvalidData, e))?;
    if state.version != STATE_VERSION {
        return Err(naming(path, io::ErrorKind::InvalidData, format!(
            "not a sandbox state file (version {}, expected {STATE_VERSION}); give --data a new path, and the sandbox seeds it",
            state.version
        )));
    }
    Ok(state)
}

/// An error about the file at `path`, naming it (a `--data` problem says which file).
fn naming(path: &Path, kind: io::ErrorKind, problem: impl std::fmt::Display) -> io::Error {
    io::Error::new(kind, format!("{}: {problem}", path.display()))
}

/// Replaces `path` with `bytes` so that a crash leaves either the old or the new file, never a mix.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let name = path
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or("state.json");
    let tmp = dir.join(format!(".{name}.tmp-{}", std::process::id()));
    let result = (|| {
        let mut f = File::create(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
        fs::rename(&tmp, path)?;
        // Make the rename itself durable; not every platform can open a directory, so ignore that.
        if let Ok(d) = File::open(&dir) {
            let _ = d.sync_all();
        }
        Ok(())
    })();
    if result.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    pub fn temp_path(tag: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!(
            "sandbox-test-{tag}-{}-{}",
            std::process::id(),
            crate::ids::random_hex(8)
        ));
        fs::create_dir_all(&dir).unwrap();
        dir.join("state.json")
    }

    #[test]
    fn seeds_then_reloads_acknowledged_mutations() {
        let path = temp_path("reload");
        let store = Store::open(Some(path.clone())).unwrap();
        let seeded = store.read(|s| s.openrouter.len());
        assert!(seeded >= 3);
        store
            .mutate(|s| {
                s.openrouter.pop();
                Ok(())
            })
            .unwrap();
        let again = Store::open(Some(path.clone())).unwrap();
        assert_eq!(again.read(|s| s.openrouter.len()), seeded - 1);
        let leftovers: Vec<_> = fs::read_dir(path.parent().unwrap())
            .unwrap()
            .flatten()
            .collect();
        assert_eq!(leftovers.len(), 1, "temp file left behind");
    }

    #[test]
    fn failed_mutation_is_not_applied_or_written() {
        let path = temp_path("fail");
        let store = Store::open(Some(path.clone())).unwrap();
        let before = fs::read(&path).unwrap();
        let r: Result<(), ApiError> = store.mutate(|s| {
            s.quantum.clear();
            Err(ApiError::bad_request("no"))
        });
        assert!(r.is_err());
        assert_eq!(fs::read(&path).unwrap(), before);
    }

    #[test]
    fn write_failure_rolls_back() {
        let path = temp_path("rollback");
        let store = Store::open(Some(path.clone())).unwrap();
        let n = store.read(|s| s.fluxbase.len());
        // A directory where the file should be makes the rename fail.
        fs::remove_file(&path).unwrap();
        fs::create_dir(&path).unwrap();
        let r = store.mutate(|s| {
            s.fluxbase.clear();
            Ok(())
        });
        assert_eq!(r.unwrap_err().status, 500);
        assert_eq!(store.read(|s| s.fluxbase.len()), n);
        // A reset that cannot be written leaves the state as it was too.
        store.mutate(|s| {
            s.fluxbase.clear();
            Ok(())
        })
        .unwrap_err();
        assert!(store.replace(State::default()).is_err());
        assert_eq!(store.read(|s| s.fluxbase.len()), n);
    }

    /// A file that is not the sandbox's (another tool's JSON, `{}`) is refused, naming it,
    /// instead of being read as an empty state and overwritten by the next write.
    #[test]
    fn a_file_that_is_not_a_state_file_is_refused_and_kept() {
        let path = temp_path("foreign");
        for foreign in [r#"{}"#, r#"[]"#, r#"{"name":"app","version":"1.0.0"}"#, r#"{"version":99}"#] {
            fs::write(&path, foreign).unwrap();
            let error = Store::open(Some(path.clone())).unwrap_err().to_string();
            assert!(error.contains(&path.display().to_string()), "{foreign}: {error}");
            assert_eq!(fs::read_to_string(&path).unwrap(), foreign, "the file is left as it was");
        }
        let missing = std::env::temp_dir().join("no-such-directory-here/state.json");
        let error = Store::open(Some(missing.clone())).unwrap_err().to_string();
        assert!(error.contains(&missing.display().to_string()), "{error}");
    }
}
