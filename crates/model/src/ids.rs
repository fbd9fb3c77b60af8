//! Typed 64-bit ids, shown and parsed as 16 lowercase hex digits.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// Error for a string that is not a 16-hex-digit id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseIdError(pub String);

impl fmt::Display for ParseIdError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "'{}' is not an id (expected 16 hex digits)", self.0)
    }
}

impl std::error::Error for ParseIdError {}

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        pub struct $name(pub u64);

        impl $name {
            /// The id as big-endian bytes, the order sled keys sort in.
            pub fn to_be_bytes(self) -> [u8; 8] {
                self.0.to_be_bytes()
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "{:016x}", self.0)
            }
        }

        impl FromStr for $name {
            type Err = ParseIdError;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                if s.len() != 16 {
                    return Err(ParseIdError(s.to_owned()));
                }
                u64::from_str_radix(s, 16)
                    .map($name)
                    .map_err(|_| ParseIdError(s.to_owned()))
            }
        }
    };
}

id_type!(
    /// Id of an [`crate::Actor`].
    ActorId
);
id_type!(
    /// Id of a [`crate::Document`].
    DocumentId
);
id_type!(
    /// Id of an [`crate::Event`].
    EventId
);
id_type!(
    /// Id of a [`crate::Relation`].
    RelationId
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_round_trip_as_hex() {
        let id = ActorId(0x00ab_cdef_0123_4567);
        assert_eq!(id.to_string(), "00abcdef01234567");
        assert_eq!("00abcdef01234567".parse::<ActorId>(), Ok(id));
        assert!("xyz".parse::<ActorId>().is_err());
        assert!("00abcdef0123456g".parse::<ActorId>().is_err());
    }
}
