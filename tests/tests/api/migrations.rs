//! Every migration runs up, down and up again on the backend under test.

use ehc_storage::db::build_pool;
use ehc_storage::identity::organisations;

use crate::helpers::{fresh_database_url, temp_dir};

#[test]
fn migrations_run_up_down_and_up_again() {
    let dir = temp_dir();
    let db = build_pool(&fresh_database_url(&dir), 2).unwrap();
    let applied = db.run_migrations().unwrap();
    assert!(!applied.is_empty());
    let now = chrono::Utc::now().naive_utc();
    db.transaction(|c| organisations::find_or_create_local_authority(c, "Up", now)).unwrap();

    let reverted = db.revert_all_migrations().unwrap();
    assert_eq!(reverted, applied.len());
    assert!(
        db.transaction(|c| organisations::find_or_create_local_authority(c, "Down", now)).is_err(),
        "tables are gone"
    );

    assert_eq!(db.run_migrations().unwrap().len(), applied.len());
    let (la, org) = db.transaction(|c| organisations::find_or_create_local_authority(c, "Up again", now)).unwrap();
    assert_eq!(org.local_authority_id, la.id);
    assert!(db.run_migrations().unwrap().is_empty(), "nothing pending");
}
