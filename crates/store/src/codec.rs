//! The one place values are turned into bytes and back.
//!
//! Every stored value is `[VALUE_VERSION, bincode bytes...]`, encoded with a
//! single explicit bincode 2 configuration (standard varint encoding, little
//! endian) and decoded with a size limit, so a corrupt or hostile value can
//! never make the decoder allocate more than [`DECODE_LIMIT`] bytes. Keys are
//! never encoded here: they are big-endian bytes built by hand in `keys`.

use bincode::config::{Configuration, Limit, LittleEndian, Varint};
use serde::de::DeserializeOwned;
use serde::Serialize;

use crate::StoreError;

/// Version byte at the front of every stored value.
pub const VALUE_VERSION: u8 = 1;

/// The largest value the decoder will materialise (64 MiB).
pub const DECODE_LIMIT: usize = 64 * 1024 * 1024;

type Config = Configuration<LittleEndian, Varint, Limit<DECODE_LIMIT>>;

fn config() -> Config {
    bincode::config::standard().with_limit::<DECODE_LIMIT>()
}

/// Encodes a value with its version byte.
pub fn encode<T: Serialize>(value: &T) -> Result<Vec<u8>, StoreError> {
    let mut out = vec![VALUE_VERSION];
    bincode::serde::encode_into_std_write(value, &mut out, config())
        .map_err(|e| StoreError::Codec(e.to_string()))?;
    Ok(out)
}

/// Decodes a value written by [`encode`], checking its version byte and
/// that nothing trails it.
pub fn decode<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, StoreError> {
    let (version, body) = bytes
        .split_first()
        .ok_or_else(|| StoreError::Codec("empty value".into()))?;
    if *version != VALUE_VERSION {
        return Err(StoreError::Codec(format!(
            "value version {version} is not {VALUE_VERSION}"
        )));
    }
    let (value, read) = bincode::serde::decode_from_slice(body, config())
        .map_err(|e| StoreError::Codec(e.to_string()))?;
    if read != body.len() {
        return Err(StoreError::Codec(format!(
            "{} trailing bytes after value",
            body.len() - read
        )));
    }
    Ok(value)
}

#[cfg(test)]
mod tests {
    use super::*;
    use newsgraph_model::{Actor, ActorKind};

    #[test]
    fn values_round_trip() {
        let actor = Actor {
            id: Actor::id_for_name("NATO"),
            name: "NATO".into(),
            kind: ActorKind::Organization,
            aliases: vec!["North Atlantic Treaty Organization".into()],
        };
        let bytes = encode(&actor).unwrap();
        assert_eq!(bytes[0], VALUE_VERSION);
        assert_eq!(decode::<Actor>(&bytes).unwrap(), actor);
    }

    #[test]
    fn corrupt_values_are_errors_not_panics() {
        assert!(decode::<Actor>(&[]).is_err());
        assert!(decode::<Actor>(&[9, 1, 2]).is_err());
        assert!(decode::<Actor>(&[VALUE_VERSION, 0xff, 0xff, 0xff, 0xff, 0xff]).is_err());
        // A length prefix claiming a huge string must hit the limit, not allocate.
        let mut huge = vec![VALUE_VERSION, 0, 0xfd];
        huge.extend_from_slice(&u64::MAX.to_le_bytes());
        assert!(decode::<Actor>(&huge).is_err());
        let mut trailing = encode(&"x".to_string()).unwrap();
        trailing.push(0);
        assert!(decode::<String>(&trailing).is_err());
    }
}
