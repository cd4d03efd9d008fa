//! Enums stored as text codes: mapped once at the storage boundary through
//! `TryFrom<String>` (an unknown code is an error, never a default) and
//! `From<T> for String`, so statuses never cross it as loose strings.

/// A code read from storage that no variant has.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown {kind} code {code:?}")]
pub struct UnknownCode {
    pub kind: &'static str,
    pub code: String,
}

/// Implements the storage conversions for an enum from its `to code` and
/// `from code` functions.
#[macro_export]
macro_rules! stored_as_text {
    ($ty:ty, $to:ident, $from:ident) => {
        impl TryFrom<String> for $ty {
            type Error = $crate::codes::UnknownCode;
            fn try_from(code: String) -> Result<Self, $crate::codes::UnknownCode> {
                <$ty>::$from(&code).ok_or($crate::codes::UnknownCode { kind: stringify!($ty), code })
            }
        }
        impl From<$ty> for String {
            fn from(value: $ty) -> String {
                value.$to().to_owned()
            }
        }
        impl std::fmt::Display for $ty {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.$to())
            }
        }
    };
}
