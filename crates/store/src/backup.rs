//! The portable dump: every key and value of a store as one checksummed
//! stream, written by [`Store::backup`] and read back by [`restore`].
//!
//! Layout (all integers big-endian):
//!
//! ```text
//! header   MAGIC (8 bytes) | dump version u32 | store format version u32 | CRC32 of the 16 bytes before
//! record   'R' | key length u32 | value length u32 | key | value | CRC32 of the record's bytes before it
//! ...      (records in key order)
//! trailer  'E' | record count u64 | key+value bytes u64 | CRC32 of all record bytes | CRC32 of the trailer bytes before
//! ```
//!
//! Each record is checked on its own (a flipped bit names the record), the
//! trailer's counts and running CRC catch a dropped, repeated or reordered
//! record, and anything after the trailer, or a stream that ends before it,
//! is refused. Restore writes into a fresh directory beside the target and
//! renames it into place only once the whole dump has checked out, so a
//! bad dump never leaves a half-restored store behind.

use std::io::{ErrorKind, Read, Write};
use std::path::{Path, PathBuf};

use crate::error::engine_error;
use crate::{open_db, Corruption, Store, StoreError, FORMAT_VERSION};

/// The first bytes of every dump.
pub const MAGIC: [u8; 8] = *b"\x89NGDUMP\n";

/// The dump layout this code writes and reads.
pub const DUMP_VERSION: u32 = 1;

/// Keys are short; a longer one means a corrupt length field.
const MAX_KEY: u32 = 4096;
/// A value is at most a 64 MiB text plus its header.
const MAX_VALUE: u32 = crate::codec::DECODE_LIMIT as u32 + 1024;

const RECORD: u8 = b'R';
const END: u8 = b'E';

/// What a dump holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DumpSummary {
    /// Number of key/value records.
    pub records: u64,
    /// Bytes of keys and values.
    pub bytes: u64,
    /// The format version of the store it was taken from.
    pub format_version: u32,
}

impl Store {
    /// Writes every key and value of the store to `out` as a dump (see the
    /// module doc). The store's writer lock is held throughout, so the
    /// dump is a consistent cut: no article is half in it.
    pub fn backup(&self, out: impl Write) -> Result<DumpSummary, StoreError> {
        let _writer = self
            .writer
            .lock()
            .map_err(|_| StoreError::from(Corruption::Panicked("a writer panicked")))?;
        let mut out = std::io::BufWriter::with_capacity(1 << 20, out);
        let io = |source| StoreError::Io {
            context: "writing the dump".into(),
            source,
        };
        let mut header = Vec::with_capacity(20);
        header.extend_from_slice(&MAGIC);
        header.extend_from_slice(&DUMP_VERSION.to_be_bytes());
        header.extend_from_slice(&FORMAT_VERSION.to_be_bytes());
        header.extend_from_slice(&crc32fast::hash(&header).to_be_bytes());
        out.write_all(&header).map_err(io)?;
        let mut stream = crc32fast::Hasher::new();
        let mut summary = DumpSummary {
            records: 0,
            bytes: 0,
            format_version: FORMAT_VERSION,
        };
        let mut record = Vec::new();
        for item in self.records() {
            let (key, value) = item?;
            record.clear();
            record.push(RECORD);
            record.extend_from_slice(&(key.len() as u32).to_be_bytes());
            record.extend_from_slice(&(value.len() as u32).to_be_bytes());
            record.extend_from_slice(&key);
            record.extend_from_slice(&value);
            let crc = crc32fast::hash(&record);
            record.extend_from_slice(&crc.to_be_bytes());
            stream.update(&record);
            out.write_all(&record).map_err(io)?;
            summary.records += 1;
            summary.bytes += (key.len() + value.len()) as u64;
        }
        let mut trailer = Vec::with_capacity(25);
        trailer.push(END);
        trailer.extend_from_slice(&summary.records.to_be_bytes());
        trailer.extend_from_slice(&summary.bytes.to_be_bytes());
        trailer.extend_from_slice(&stream.finalize().to_be_bytes());
        trailer.extend_from_slice(&crc32fast::hash(&trailer).to_be_bytes());
        out.write_all(&trailer).map_err(io)?;
        out.flush().map_err(io)?;
        Ok(summary)
    }
}

/// Restores a dump into a new store at `target`, which must not exist or
/// be an empty directory. Checks the whole dump (every record's CRC, the
/// trailer's counts and running CRC, nothing after it) before the store
/// appears at `target`; on any error nothing is left there.
///
/// The restored store is a byte-for-byte copy of the dumped one's keys and
/// values; open it with [`Store::open`] (which migrates an older format).
pub fn restore(input: impl Read, target: &Path) -> Result<DumpSummary, StoreError> {
    if !is_empty_or_missing(target)? {
        return Err(StoreError::NotEmpty(target.to_path_buf()));
    }
    let staging = staging_dir(target);
    if staging.exists() {
        std::fs::remove_dir_all(&staging).map_err(|source| StoreError::Io {
            context: format!("removing a stale '{}'", staging.display()),
            source,
        })?;
    }
    let restored = restore_into(input, &staging);
    let summary = match restored {
        Ok(summary) => summary,
        Err(e) => {
            let _ = std::fs::remove_dir_all(&staging);
            return Err(e);
        }
    };
    if target.exists() {
        // Checked empty above; rename(2) would replace an empty directory
        // too, but removing it says what happens.
        std::fs::remove_dir(target).map_err(|source| StoreError::Io {
            context: format!("replacing the empty directory '{}'", target.display()),
            source,
        })?;
    }
    std::fs::rename(&staging, target).map_err(|source| StoreError::Io {
        context: format!(
            "moving the restored store from '{}' to '{}'",
            staging.display(),
            target.display()
        ),
        source,
    })?;
    Ok(summary)
}

fn is_empty_or_missing(path: &Path) -> Result<bool, StoreError> {
    match std::fs::read_dir(path) {
        Ok(mut entries) => Ok(entries.next().is_none()),
        Err(e) if e.kind() == ErrorKind::NotFound => Ok(true),
        Err(_) if path.is_file() => Ok(false),
        Err(source) => Err(StoreError::Io {
            context: format!("reading '{}'", path.display()),
            source,
        }),
    }
}

fn staging_dir(target: &Path) -> PathBuf {
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "store".into());
    target.with_file_name(format!(".{name}.restoring-{}", std::process::id()))
}

/// Reads a dump with a running byte offset, for error messages.
struct DumpReader<R> {
    input: R,
    offset: u64,
}

impl<R: Read> DumpReader<R> {
    fn exact(&mut self, buf: &mut [u8], what: &str) -> Result<(), StoreError> {
        match self.input.read_exact(buf) {
            Ok(()) => {
                self.offset += buf.len() as u64;
                Ok(())
            }
            Err(e) if e.kind() == ErrorKind::UnexpectedEof => Err(StoreError::Dump(format!(
                "is truncated: it ends inside the {what} at byte {}",
                self.offset
            ))),
            Err(source) => Err(StoreError::Io {
                context: "reading the dump".into(),
                source,
            }),
        }
    }
}

fn u32_at(bytes: &[u8], at: usize) -> u32 {
    let mut b = [0u8; 4];
    b.copy_from_slice(&bytes[at..at + 4]);
    u32::from_be_bytes(b)
}

fn u64_at(bytes: &[u8], at: usize) -> u64 {
    let mut b = [0u8; 8];
    b.copy_from_slice(&bytes[at..at + 8]);
    u64::from_be_bytes(b)
}

fn restore_into(input: impl Read, staging: &Path) -> Result<DumpSummary, StoreError> {
    let mut reader = DumpReader {
        input: std::io::BufReader::with_capacity(1 << 20, input),
        offset: 0,
    };
    let format_version = reader.header()?;
    let db = open_db(staging)?;
    let sled_err = |e| engine_error(staging, e);
    let mut stream = crc32fast::Hasher::new();
    let mut summary = DumpSummary {
        records: 0,
        bytes: 0,
        format_version,
    };
    let mut batch = sled::Batch::default();
    let mut in_batch = 0usize;
    let mut tag = [0u8; 1];
    loop {
        let at = reader.offset;
        reader.exact(&mut tag, "next record or trailer")?;
        match tag[0] {
            RECORD => {
                let record = reader.record(at, summary.records + 1)?;
                stream.update(&record.bytes);
                batch.insert(record.key(), record.value());
                in_batch += 1;
                summary.records += 1;
                summary.bytes += record.body_len() as u64;
                if in_batch == 4096 {
                    db.apply_batch(std::mem::take(&mut batch))
                        .map_err(sled_err)?;
                    in_batch = 0;
                }
            }
            END => {
                reader.trailer(&summary, &stream)?;
                break;
            }
            other => {
                return Err(StoreError::Dump(format!(
                    "is corrupt at byte {at}: expected a record or the trailer, found byte {other:#04x}"
                )))
            }
        }
    }
    db.apply_batch(batch).map_err(sled_err)?;
    db.flush().map_err(sled_err)?;
    Ok(summary)
}

/// One record of a dump as it was read: tag, lengths, key, value, CRC.
struct DumpRecord {
    bytes: Vec<u8>,
    key_len: usize,
}

impl DumpRecord {
    fn body_len(&self) -> usize {
        self.bytes.len() - 13
    }

    fn key(&self) -> &[u8] {
        &self.bytes[9..9 + self.key_len]
    }

    fn value(&self) -> &[u8] {
        &self.bytes[9 + self.key_len..self.bytes.len() - 4]
    }
}

impl<R: Read> DumpReader<R> {
    /// Reads and checks the header; the store format version it names.
    fn header(&mut self) -> Result<u32, StoreError> {
        let mut header = [0u8; 20];
        self.exact(&mut header, "header")?;
        if header[..8] != MAGIC {
            return Err(StoreError::Dump(
                "is not a newsgraph dump (its first bytes are not the dump's magic)".into(),
            ));
        }
        if crc32fast::hash(&header[..16]) != u32_at(&header, 16) {
            return Err(StoreError::Dump("header is corrupt (CRC mismatch)".into()));
        }
        let dump_version = u32_at(&header, 8);
        if dump_version != DUMP_VERSION {
            return Err(StoreError::Dump(format!(
                "has dump version {dump_version}; this newsgraph reads version {DUMP_VERSION}"
            )));
        }
        let format_version = u32_at(&header, 12);
        if format_version > FORMAT_VERSION {
            return Err(StoreError::Dump(format!(
                "holds a store of format version {format_version}, written by a newer newsgraph; this one reads up to version {FORMAT_VERSION}"
            )));
        }
        Ok(format_version)
    }

    /// Reads and checks record number `n`, whose tag was read at byte `at`.
    fn record(&mut self, at: u64, n: u64) -> Result<DumpRecord, StoreError> {
        let mut lens = [0u8; 8];
        self.exact(&mut lens, "record header")?;
        let (key_len, value_len) = (u32_at(&lens, 0), u32_at(&lens, 4));
        if key_len > MAX_KEY || value_len > MAX_VALUE {
            return Err(StoreError::Dump(format!(
                "record {n} at byte {at} is corrupt: impossible lengths {key_len}/{value_len}"
            )));
        }
        let body_len = key_len as usize + value_len as usize;
        let mut record = Vec::with_capacity(9 + body_len + 4);
        record.push(RECORD);
        record.extend_from_slice(&lens);
        record.resize(9 + body_len + 4, 0);
        self.exact(&mut record[9..], "record")?;
        let crc_at = 9 + body_len;
        if crc32fast::hash(&record[..crc_at]) != u32_at(&record, crc_at) {
            return Err(StoreError::Dump(format!(
                "record {n} at byte {at} is corrupt (CRC mismatch)"
            )));
        }
        Ok(DumpRecord {
            bytes: record,
            key_len: key_len as usize,
        })
    }

    /// Reads and checks the trailer (its tag read) against what was read
    /// before it, and that nothing follows it.
    fn trailer(
        &mut self,
        summary: &DumpSummary,
        stream: &crc32fast::Hasher,
    ) -> Result<(), StoreError> {
        let mut trailer = [0u8; 25];
        trailer[0] = END;
        self.exact(&mut trailer[1..], "trailer")?;
        if crc32fast::hash(&trailer[..21]) != u32_at(&trailer, 21) {
            return Err(StoreError::Dump("trailer is corrupt (CRC mismatch)".into()));
        }
        let (records, bytes) = (u64_at(&trailer, 1), u64_at(&trailer, 9));
        if records != summary.records || bytes != summary.bytes {
            return Err(StoreError::Dump(format!(
                "is incomplete: its trailer counts {records} records of {bytes} bytes, the dump holds {} of {}",
                summary.records, summary.bytes
            )));
        }
        if stream.clone().finalize() != u32_at(&trailer, 17) {
            return Err(StoreError::Dump(
                "records do not match the trailer's checksum (reordered or altered)".into(),
            ));
        }
        let mut extra = [0u8; 1];
        match self.input.read(&mut extra) {
            Ok(0) => Ok(()),
            Ok(_) => Err(StoreError::Dump(format!(
                "has bytes after its trailer (at byte {})",
                self.offset
            ))),
            Err(source) => Err(StoreError::Io {
                context: "reading the dump".into(),
                source,
            }),
        }
    }
}
