//! What the hub checks of an upload beyond its type: whether a virus scanner
//! saw it, and how far an archive-based document (DOCX, ODT: zip files) may
//! expand when opened. A zip of a few kilobytes can expand to gigabytes and
//! exhaust whatever opens it later (a caseworker's PC, the export, a scanner).

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// Whether an upload went through the virus scanner before it was kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum VirusScan {
    /// Scanned and found clean.
    Clean,
    /// Kept without scanning: the hub runs with `EHC_SCANNING=off`.
    NotScanned,
}

impl VirusScan {
    pub fn code(self) -> &'static str {
        match self {
            Self::Clean => "clean",
            Self::NotScanned => "not_scanned",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        [Self::Clean, Self::NotScanned].into_iter().find(|v| v.code() == code)
    }
}

crate::stored_as_text!(VirusScan, code, parse);

/// Any archive may expand to this much, whatever its size.
pub const EXPANSION_FLOOR_BYTES: u64 = 16 * 1024 * 1024;
/// An archive may expand to this many times its own size above the floor:
/// text documents compress about 5–10 times, pictures inside them not at all.
pub const EXPANSION_RATIO: u64 = 100;
/// And never beyond this, however large the archive.
pub const EXPANSION_CEILING_BYTES: u64 = 512 * 1024 * 1024;
/// More parts than any real document has.
pub const MAX_ARCHIVE_ENTRIES: usize = 10_000;

/// How many bytes an archive of `archive_bytes` may expand to.
pub fn expansion_allowed(archive_bytes: u64) -> u64 {
    archive_bytes.saturating_mul(EXPANSION_RATIO).clamp(EXPANSION_FLOOR_BYTES, EXPANSION_CEILING_BYTES)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_small_archive_may_expand_to_the_floor_and_no_further() {
        assert_eq!(expansion_allowed(40 * 1024), EXPANSION_FLOOR_BYTES);
        assert!(expansion_allowed(40 * 1024) < 40 * 1024 * 1024, "40 KB expanding to 40 MiB is refused");
    }

    #[test]
    fn larger_archives_may_expand_in_proportion_up_to_the_ceiling() {
        assert_eq!(expansion_allowed(1024 * 1024), 100 * 1024 * 1024);
        assert_eq!(expansion_allowed(50 * 1024 * 1024), EXPANSION_CEILING_BYTES);
    }

    #[test]
    fn scan_codes_round_trip() {
        for scan in [VirusScan::Clean, VirusScan::NotScanned] {
            assert_eq!(VirusScan::try_from(String::from(scan)), Ok(scan));
        }
        assert!(VirusScan::try_from("maybe".to_owned()).is_err());
    }
}
