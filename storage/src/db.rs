//! Connections, the pool and migrations, for PostgreSQL and SQLite through one
//! code path (vaultwarden's `MultiConnection` approach).

use diesel::connection::{AnsiTransactionManager, SimpleConnection, TransactionManager};
use diesel::r2d2::{self, ManageConnection};
use diesel::{Connection, ConnectionError, PgConnection, SqliteConnection};
use diesel_migrations::{embed_migrations, EmbeddedMigrations, MigrationHarness};

use crate::error::StorageError;

pub const PG_MIGRATIONS: EmbeddedMigrations = embed_migrations!("../migrations/postgres");
pub const SQLITE_MIGRATIONS: EmbeddedMigrations = embed_migrations!("../migrations/sqlite");

#[derive(diesel::MultiConnection)]
pub enum DbConn {
    Pg(PgConnection),
    Sqlite(SqliteConnection),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Postgres,
    Sqlite,
}

impl Backend {
    /// The backend is chosen from the URL scheme: the derived `establish`
    /// would try each backend in turn and hide the real connection error.
    pub fn of_url(url: &str) -> Backend {
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Backend::Postgres
        } else {
            Backend::Sqlite
        }
    }
}

/// Opens connections for r2d2, setting SQLite up for concurrent use.
#[derive(Debug, Clone)]
pub struct DbConnectionManager {
    url: String,
    backend: Backend,
}

impl ManageConnection for DbConnectionManager {
    type Connection = DbConn;
    type Error = r2d2::Error;

    fn connect(&self) -> Result<DbConn, r2d2::Error> {
        match self.backend {
            Backend::Postgres => {
                PgConnection::establish(&self.url).map(DbConn::Pg).map_err(r2d2::Error::ConnectionError)
            }
            Backend::Sqlite => {
                let path = self.url.strip_prefix("sqlite://").unwrap_or(&self.url);
                let mut conn = SqliteConnection::establish(path).map_err(r2d2::Error::ConnectionError)?;
                // WAL lets readers proceed during a write; busy_timeout makes a
                // second writer wait instead of failing; foreign keys are off
                // by default in SQLite.
                conn.batch_execute("PRAGMA journal_mode = WAL; PRAGMA busy_timeout = 5000; PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL;")
                    .map_err(|e| r2d2::Error::ConnectionError(ConnectionError::BadConnection(e.to_string())))?;
                Ok(DbConn::Sqlite(conn))
            }
        }
    }

    /// Not called on checkout (`test_on_check_out` is off: a `SELECT 1`
    /// before every transaction cost a round trip each); a connection the
    /// server closed is found by its BEGIN failing (`Database::transaction`).
    fn is_valid(&self, conn: &mut DbConn) -> Result<(), r2d2::Error> {
        conn.batch_execute("SELECT 1").map_err(r2d2::Error::QueryError)
    }

    /// A connection returned mid-transaction (a panic in a handler's closure)
    /// is dropped rather than handed to the next caller inside it, and so is
    /// one this thread found lost.
    fn has_broken(&self, conn: &mut DbConn) -> bool {
        CONNECTION_LOST.with(|lost| lost.replace(false))
            || std::thread::panicking()
            || <<DbConn as Connection>::TransactionManager as TransactionManager<DbConn>>::is_broken_transaction_manager(
                conn,
            )
    }
}

thread_local! {
    /// Set when a statement on the connection this thread holds failed
    /// because the connection is gone; read (and cleared) by `has_broken`
    /// as the connection goes back to the pool, on the same thread.
    static CONNECTION_LOST: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// The error says the connection itself is gone (the server restarted, a
/// proxy cut it), not that a statement was wrong.
fn connection_lost(e: &diesel::result::Error) -> bool {
    use diesel::result::{DatabaseErrorKind, Error};
    match e {
        Error::DatabaseError(DatabaseErrorKind::ClosedConnection | DatabaseErrorKind::UnableToSendCommand, _)
        | Error::BrokenTransactionManager => true,
        // The server's own goodbye (SQLSTATE 57P01-57P03, "terminating
        // connection due to administrator command") comes as an unknown kind.
        Error::DatabaseError(_, info) => {
            let message = info.message();
            ["terminating connection", "server closed the connection", "no connection to the server"]
                .iter()
                .any(|m| message.contains(m))
        }
        _ => false,
    }
}

fn note_if_lost(e: &diesel::result::Error) {
    if connection_lost(e) {
        CONNECTION_LOST.with(|lost| lost.set(true));
    }
}

pub type DbPool = r2d2::Pool<DbConnectionManager>;
pub type PooledConn = r2d2::PooledConnection<DbConnectionManager>;

/// Builds the pool without connecting yet, so that a server can start (and
/// answer `/readyz` with 503) while its database is still coming up.
pub fn build_pool(url: &str, max_size: u32) -> Result<Database, StorageError> {
    let backend = Backend::of_url(url);
    // SQLite allows one writer at a time: a small pool avoids lock queues.
    let max_size = if backend == Backend::Sqlite { max_size.min(4) } else { max_size };
    let pool = r2d2::Pool::builder()
        .max_size(max_size)
        .test_on_check_out(false)
        .connection_timeout(std::time::Duration::from_secs(5))
        .build_unchecked(DbConnectionManager { url: url.to_owned(), backend });
    Ok(Database { pool, backend, checkouts: Default::default() })
}

/// What the pool has done, for the hub's metrics.
#[derive(Debug, Default)]
pub struct Checkouts {
    pub count: std::sync::atomic::AtomicU64,
    pub waited_micros: std::sync::atomic::AtomicU64,
}

/// The pool as it stands: connections held, of them idle, and its checkouts.
pub struct PoolState {
    pub connections: u32,
    pub idle: u32,
    pub checkouts: u64,
    pub waited: std::time::Duration,
}

#[derive(Clone)]
pub struct Database {
    pool: DbPool,
    backend: Backend,
    checkouts: std::sync::Arc<Checkouts>,
}

impl Database {
    pub fn backend(&self) -> Backend {
        self.backend
    }

    pub fn conn(&self) -> Result<PooledConn, StorageError> {
        use std::sync::atomic::Ordering::Relaxed;
        let asked = std::time::Instant::now();
        let got = self.pool.get().map_err(|e| StorageError::Unavailable(e.to_string()));
        let waited = u64::try_from(asked.elapsed().as_micros()).unwrap_or(u64::MAX);
        self.checkouts.count.fetch_add(1, Relaxed);
        self.checkouts.waited_micros.fetch_add(waited, Relaxed);
        got
    }

    pub fn pool_state(&self) -> PoolState {
        use std::sync::atomic::Ordering::Relaxed;
        let state = self.pool.state();
        PoolState {
            connections: state.connections,
            idle: state.idle_connections,
            checkouts: self.checkouts.count.load(Relaxed),
            waited: std::time::Duration::from_micros(self.checkouts.waited_micros.load(Relaxed)),
        }
    }

    /// Runs `f` in one transaction on a pooled connection; any error of
    /// `f` rolls it back.
    ///
    /// On SQLite the transaction begins IMMEDIATE: it takes the write lock
    /// first (waiting up to busy_timeout), so a transaction that reads and
    /// then writes can never fail on a snapshot another writer has moved on.
    ///
    /// On PostgreSQL a pooled connection is not pinged first: if the server
    /// closed it, its BEGIN fails having run nothing, so the connection is
    /// dropped and the transaction begins once more on a fresh one.
    pub fn transaction<T, E: From<StorageError>>(&self, f: impl FnOnce(&mut DbConn) -> Result<T, E>) -> Result<T, E> {
        self.transaction_begun(f, "BEGIN IMMEDIATE")
    }

    /// A transaction that only reads. On SQLite it begins DEFERRED, so that
    /// readers run side by side in WAL mode instead of queueing for the one
    /// write lock (which `transaction` takes first); `f` must not write.
    pub fn read_transaction<T, E: From<StorageError>>(
        &self,
        f: impl FnOnce(&mut DbConn) -> Result<T, E>,
    ) -> Result<T, E> {
        self.transaction_begun(f, "BEGIN DEFERRED")
    }

    fn transaction_begun<T, E: From<StorageError>>(
        &self,
        f: impl FnOnce(&mut DbConn) -> Result<T, E>,
        sqlite_begin: &str,
    ) -> Result<T, E> {
        let mut pooled = self.conn()?;
        if matches!(&*pooled, DbConn::Sqlite(_)) {
            return sqlite_transaction(&mut pooled, f, sqlite_begin);
        }
        // Every idle connection may have gone at once (a restart): each one
        // found lost is dropped, and at most the pool's size are tried.
        let mut tries = self.pool.max_size();
        while let Err(e) = begin_pg(&mut pooled) {
            note_if_lost(&e);
            if !connection_lost(&e) || tries == 0 {
                return Err(E::from(StorageError::from(e)));
            }
            tries -= 1;
            drop(pooled);
            pooled = self.conn()?;
        }
        finish_pg(&mut pooled, f)
    }

    pub fn ping(&self) -> Result<(), StorageError> {
        self.conn()?.batch_execute("SELECT 1").map_err(StorageError::from)
    }

    pub fn run_migrations(&self) -> Result<Vec<String>, StorageError> {
        let mut conn = self.conn()?;
        let applied = match &mut *conn {
            DbConn::Pg(c) => c.run_pending_migrations(PG_MIGRATIONS).map(|v| v.iter().map(|m| m.to_string()).collect()),
            DbConn::Sqlite(c) => {
                c.run_pending_migrations(SQLITE_MIGRATIONS).map(|v| v.iter().map(|m| m.to_string()).collect())
            }
        };
        applied.map_err(|e| StorageError::Migration(e.to_string()))
    }

    /// Reverts every migration, newest first (used by the migration test).
    pub fn revert_all_migrations(&self) -> Result<usize, StorageError> {
        let mut conn = self.conn()?;
        let reverted = match &mut *conn {
            DbConn::Pg(c) => c.revert_all_migrations(PG_MIGRATIONS).map(|v| v.len()),
            DbConn::Sqlite(c) => c.revert_all_migrations(SQLITE_MIGRATIONS).map(|v| v.len()),
        };
        reverted.map_err(|e| StorageError::Migration(e.to_string()))
    }
}

type PgManager = AnsiTransactionManager;

fn begin_pg(conn: &mut DbConn) -> diesel::QueryResult<()> {
    match conn {
        DbConn::Pg(c) => <PgManager as TransactionManager<PgConnection>>::begin_transaction(c),
        DbConn::Sqlite(_) => Ok(()),
    }
}

/// Runs `f` in the transaction begun on `conn`, then commits, or rolls back
/// on its error.
fn finish_pg<T, E: From<StorageError>>(conn: &mut DbConn, f: impl FnOnce(&mut DbConn) -> Result<T, E>) -> Result<T, E> {
    let outcome = f(conn);
    let DbConn::Pg(c) = conn else { return outcome };
    let rollback = |c: &mut PgConnection| {
        if let Err(e) = <PgManager as TransactionManager<PgConnection>>::rollback_transaction(c) {
            note_if_lost(&e);
        }
    };
    match outcome {
        Ok(value) => match <PgManager as TransactionManager<PgConnection>>::commit_transaction(c) {
            Ok(()) => Ok(value),
            Err(e) => {
                note_if_lost(&e);
                rollback(c);
                Err(E::from(StorageError::from(e)))
            }
        },
        Err(e) => {
            rollback(c);
            Err(e)
        }
    }
}

fn sqlite_transaction<T, E: From<StorageError>>(
    conn: &mut DbConn,
    f: impl FnOnce(&mut DbConn) -> Result<T, E>,
    begin: &str,
) -> Result<T, E> {
    type Manager = AnsiTransactionManager;
    if let DbConn::Sqlite(c) = &mut *conn {
        Manager::begin_transaction_sql(c, begin).map_err(StorageError::from)?;
    }
    let outcome = f(conn);
    let DbConn::Sqlite(c) = conn else { return outcome };
    match outcome {
        Ok(value) => match <Manager as TransactionManager<SqliteConnection>>::commit_transaction(c) {
            Ok(()) => Ok(value),
            Err(e) => {
                let _ = <Manager as TransactionManager<SqliteConnection>>::rollback_transaction(c);
                Err(E::from(StorageError::from(e)))
            }
        },
        Err(e) => {
            let _ = <Manager as TransactionManager<SqliteConnection>>::rollback_transaction(c);
            Err(e)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panic_inside_a_transaction_does_not_leave_the_connection_in_it() {
        let path = std::env::temp_dir().join(format!("ehc-db-test-{}.db", uuid::Uuid::new_v4()));
        let db = build_pool(&format!("sqlite://{}", path.display()), 1).unwrap();
        let panicked = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            let _ = db.transaction(|_| -> Result<(), StorageError> { panic!("a handler bug") });
        }));
        assert!(panicked.is_err());
        // With one connection in the pool, this would fail inside the
        // abandoned transaction ("cannot start a transaction within a transaction").
        db.transaction(|conn| conn.batch_execute("CREATE TABLE t (x INTEGER)").map_err(StorageError::from)).unwrap();
        let _ = std::fs::remove_file(path);
    }

    #[test]
    fn a_read_goes_on_while_another_connection_holds_the_write_lock() {
        let path = std::env::temp_dir().join(format!("ehc-db-test-{}.db", uuid::Uuid::new_v4()));
        let db = build_pool(&format!("sqlite://{}", path.display()), 2).unwrap();
        db.transaction(|conn| conn.batch_execute("CREATE TABLE t (x INTEGER)").map_err(StorageError::from)).unwrap();
        let (locked, unlock) = (std::sync::mpsc::channel(), std::sync::mpsc::channel::<()>());
        let writer = {
            let db = db.clone();
            let (tell, wait) = (locked.0, unlock.1);
            std::thread::spawn(move || {
                db.transaction(|conn| {
                    conn.batch_execute("INSERT INTO t VALUES (1)").map_err(StorageError::from)?;
                    tell.send(()).ok();
                    wait.recv().ok();
                    Ok::<_, StorageError>(())
                })
            })
        };
        locked.1.recv().unwrap();
        // A write transaction would wait out busy_timeout here and fail.
        let read = db.read_transaction(|conn| conn.batch_execute("SELECT count(*) FROM t").map_err(StorageError::from));
        unlock.0.send(()).unwrap();
        assert!(read.is_ok(), "{read:?}");
        writer.join().unwrap().unwrap();
        let _ = std::fs::remove_file(path);
    }
}
