//! The Python binding of `pinecone-backups-core`: argument parsing, Python objects for the core's
//! results, the core's errors as the exceptions of `pinecone_backups.errors` (the one module of
//! the package this crate imports), and one shared tokio runtime. No HTTP or JSON logic lives
//! here.

mod aio;
mod args;
mod client;
mod convert;
mod errors;
mod iter;
mod models;
mod options;
mod runtime;
mod session;
mod to_py;

use pyo3::prelude::*;

#[pymodule]
mod _native {
    #[pymodule_export]
    use crate::client::{AsyncClient, Client};
    #[pymodule_export]
    use crate::iter::{
        AsyncBackupIterator, AsyncBackupPageIterator, AsyncBackupScheduleHistoryIterator,
        AsyncBackupScheduleHistoryPageIterator, AsyncBackupScheduleIterator,
        AsyncBackupSchedulePageIterator, AsyncRestoreJobIterator, AsyncRestoreJobPageIterator,
        BackupIterator, BackupPageIterator, BackupScheduleHistoryIterator,
        BackupScheduleHistoryPageIterator, BackupScheduleIterator, BackupSchedulePageIterator,
        RestoreJobIterator, RestoreJobPageIterator,
    };
    #[pymodule_export]
    use crate::models::{
        Backup, BackupList, BackupSchedule, BackupScheduleHistoryItem, BackupScheduleHistoryList,
        BackupScheduleList, CreateIndexFromBackupResponse, Index, Pagination, RestoreJob,
        RestoreJobList,
    };
    #[pymodule_export]
    use crate::options::Retry;

    use super::*;

    #[pymodule_init]
    fn init(module: &Bound<'_, PyModule>) -> PyResult<()> {
        let py = module.py();
        module.add("__version__", pinecone_backups_core::VERSION)?;
        module.add("API_VERSION", pinecone_backups_core::API_VERSION)?;
        module.add("API_VERSIONS", pinecone_backups_core::API_VERSIONS.to_vec())?;
        module.add("OPERATIONS", crate::client::operations_py(py)?)?;
        module.add("CLIENT_OPTIONS", crate::options::client_options_py(py)?)?;
        Ok(())
    }
}
