//! Inputs of `ingest`, `import` and `extract`: article files and JSON-lines
//! files (plain or gzip, or standard input), turned into the numbered
//! [`Item`]s of the write pipeline.

use std::collections::VecDeque;
use std::fs::File;
use std::io::{self, BufRead, BufReader, Read as _};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::{Context as _, Result};

use crate::pipeline::Item;

/// The first two bytes of a gzip member.
const GZIP_MAGIC: [u8; 2] = [0x1f, 0x8b];

/// One input, in the order it is read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Input {
    /// A file holding one article (`.txt`).
    Article(PathBuf),
    /// A JSON-lines file (gzip or not), or standard input when the path
    /// is `-`.
    Lines(PathBuf),
}

impl Input {
    fn path(&self) -> &Path {
        match self {
            Input::Article(path) | Input::Lines(path) => path,
        }
    }
}

/// Whether `path` is standard input (`-`).
fn is_stdin(path: &Path) -> bool {
    path.as_os_str() == "-"
}

fn name_of(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.display().to_string())
}

fn lowercase_name(path: &Path) -> String {
    name_of(path).to_ascii_lowercase()
}

/// A JSON-lines feed among article files: `*.jsonl`, `*.ndjson`, and
/// either gzipped.
pub fn is_feed(path: &Path) -> bool {
    let name = lowercase_name(path);
    let name = name.strip_suffix(".gz").unwrap_or(&name);
    name.ends_with(".jsonl") || name.ends_with(".ndjson")
}

/// What `ingest` reads: files given are taken as they are (a feed by its
/// name, any other file as an article); directories are searched
/// recursively for `*.txt` articles only (a corpus directory often keeps
/// annotations or metadata as JSON lines beside its articles: a feed is
/// named to be read). Sorted, for a stable order.
pub fn for_ingest(paths: &[PathBuf]) -> Result<Vec<Input>> {
    let classify = |path: PathBuf| {
        if is_feed(&path) {
            Input::Lines(path)
        } else {
            Input::Article(path)
        }
    };
    let wanted = |path: &Path| {
        path.extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("txt"))
    };
    collect(paths, wanted, classify)
}

/// What `import` reads: `-` is standard input, a file is JSON lines
/// whatever its name, and directories are searched recursively for
/// `*.jsonl`, `*.json`, `*.ndjson`, `*.gz` and Spark's `part-*` files
/// (names starting with `_` or `.`, such as `_SUCCESS` and `.crc` files,
/// are left out). Sorted, for a stable order.
pub fn for_import(paths: &[PathBuf]) -> Result<Vec<Input>> {
    let wanted = |path: &Path| {
        let name = lowercase_name(path);
        !name.starts_with('_')
            && !name.starts_with('.')
            && (name.starts_with("part-")
                || [".jsonl", ".json", ".ndjson", ".gz"]
                    .iter()
                    .any(|ext| name.ends_with(ext)))
    };
    collect(paths, wanted, Input::Lines)
}

fn collect(
    paths: &[PathBuf],
    wanted: impl Fn(&Path) -> bool,
    classify: impl Fn(PathBuf) -> Input,
) -> Result<Vec<Input>> {
    let mut inputs = Vec::new();
    let mut stdin = false;
    for path in paths {
        if is_stdin(path) {
            stdin = true;
            continue;
        }
        let meta =
            std::fs::metadata(path).with_context(|| format!("cannot read '{}'", path.display()))?;
        if meta.is_dir() {
            let mut found = Vec::new();
            walk(path, &wanted, &mut found)?;
            inputs.extend(found.into_iter().map(&classify));
        } else {
            inputs.push(classify(path.clone()));
        }
    }
    inputs.sort_by(|a, b| a.path().cmp(b.path()));
    inputs.dedup();
    if stdin {
        // Standard input last: files are known, the stream may be endless.
        inputs.push(Input::Lines(PathBuf::from("-")));
    }
    Ok(inputs)
}

fn walk(dir: &Path, wanted: &impl Fn(&Path) -> bool, out: &mut Vec<PathBuf>) -> Result<()> {
    let entries =
        std::fs::read_dir(dir).with_context(|| format!("cannot list '{}'", dir.display()))?;
    for entry in entries {
        let entry = entry.with_context(|| format!("cannot list '{}'", dir.display()))?;
        let path = entry.path();
        let kind = entry
            .file_type()
            .with_context(|| format!("cannot read '{}'", path.display()))?;
        if kind.is_dir() {
            walk(&path, wanted, out)?;
        } else if wanted(&path) {
            out.push(path);
        }
    }
    Ok(())
}

/// How many items `inputs` hold, when that can be known without
/// decompressing or consuming anything: article files count one each,
/// plain JSON-lines files their lines; `None` with gzip or standard input.
pub fn count(inputs: &[Input]) -> Option<usize> {
    let mut total = 0usize;
    for input in inputs {
        total += match input {
            Input::Article(_) => 1,
            Input::Lines(path) if is_stdin(path) => return None,
            Input::Lines(path) => count_lines(path)?,
        };
    }
    Some(total)
}

/// The lines [`read_line`] will find in a plain file (`None` for gzip or
/// an unreadable file, which is reported when it is read).
fn count_lines(path: &Path) -> Option<usize> {
    let mut file = File::open(path).ok()?;
    let mut buf = vec![0u8; 256 * 1024];
    let (mut lines, mut first, mut last) = (0usize, true, b'\n');
    loop {
        let n = match file.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(_) => return None,
        };
        if first && buf[..n].starts_with(&GZIP_MAGIC) {
            return None;
        }
        first = false;
        lines += buf[..n].iter().filter(|&&b| b == b'\n').count();
        last = buf[n - 1];
    }
    Some(lines + usize::from(last != b'\n'))
}

/// Opens a JSON-lines input: standard input for `-`, a file otherwise,
/// decompressed when it starts as gzip does (any number of members).
pub fn open_lines(path: &Path) -> io::Result<Box<dyn BufRead + Send>> {
    if is_stdin(path) {
        return Ok(Box::new(BufReader::with_capacity(256 * 1024, io::stdin())));
    }
    let mut file = BufReader::with_capacity(256 * 1024, File::open(path)?);
    let gzip = file.fill_buf()?.starts_with(&GZIP_MAGIC);
    Ok(if gzip {
        Box::new(BufReader::with_capacity(
            256 * 1024,
            flate2::bufread::MultiGzDecoder::new(file),
        ))
    } else {
        Box::new(file)
    })
}

/// How [`read_line`] found a line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LineRead {
    /// The whole line is in the buffer.
    Whole,
    /// The line was longer than the limit; it was skipped, not kept.
    TooLong { bytes: usize },
}

/// Reads the next line into `line` (without its `\n`), keeping at most
/// `limit` bytes of it; `None` at the end of the input. A last line
/// without a `\n` is a line; the empty rest after a final `\n` is not.
pub fn read_line(
    input: &mut impl BufRead,
    line: &mut Vec<u8>,
    limit: usize,
) -> Option<io::Result<LineRead>> {
    line.clear();
    let mut bytes = 0usize;
    let mut started = false;
    loop {
        let buf = match input.fill_buf() {
            Ok(buf) => buf,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Some(Err(e)),
        };
        if buf.is_empty() {
            break;
        }
        started = true;
        let (chunk, used, ended) = match buf.iter().position(|&b| b == b'\n') {
            Some(at) => (&buf[..at], at + 1, true),
            None => (buf, buf.len(), false),
        };
        bytes = bytes.saturating_add(chunk.len());
        if bytes <= limit {
            line.extend_from_slice(chunk);
        } else {
            line.clear();
        }
        input.consume(used);
        if ended {
            break;
        }
    }
    if !started {
        return None;
    }
    Some(Ok(if bytes <= limit {
        LineRead::Whole
    } else {
        LineRead::TooLong { bytes }
    }))
}

/// The items of `inputs`, in order: an article file is one item, a
/// JSON-lines input one item per line (a line over `line_limit` bytes is
/// skipped, not kept). An input that cannot be opened, or fails part way,
/// is one [`Item::Unreadable`] and reading goes on with the next.
pub struct Items {
    inputs: VecDeque<Input>,
    current: Option<Open>,
    line_limit: usize,
}

struct Open {
    origin: Arc<str>,
    reader: Box<dyn BufRead + Send>,
    number: usize,
}

impl Items {
    pub fn new(inputs: Vec<Input>, line_limit: usize) -> Items {
        Items {
            inputs: inputs.into(),
            current: None,
            line_limit,
        }
    }
}

impl Iterator for Items {
    type Item = Item;

    fn next(&mut self) -> Option<Item> {
        loop {
            if let Some(open) = &mut self.current {
                let mut line = Vec::new();
                match read_line(&mut open.reader, &mut line, self.line_limit) {
                    Some(Ok(read)) => {
                        open.number += 1;
                        return Some(match read {
                            LineRead::Whole => Item::Line {
                                origin: open.origin.clone(),
                                number: open.number,
                                bytes: line,
                            },
                            LineRead::TooLong { bytes } => Item::LongLine {
                                origin: open.origin.clone(),
                                number: open.number,
                                bytes,
                                limit: self.line_limit,
                            },
                        });
                    }
                    Some(Err(e)) => {
                        let name = format!("{} after line {}", open.origin, open.number);
                        self.current = None;
                        return Some(Item::Unreadable {
                            name,
                            reason: format!("cannot read on: {e}"),
                        });
                    }
                    None => self.current = None,
                }
            }
            match self.inputs.pop_front()? {
                Input::Article(path) => return Some(Item::File(path)),
                Input::Lines(path) => match open_lines(&path) {
                    Ok(reader) => {
                        self.current = Some(Open {
                            origin: Arc::from(display(&path)),
                            reader,
                            number: 0,
                        })
                    }
                    Err(e) => {
                        return Some(Item::Unreadable {
                            name: display(&path),
                            reason: format!("cannot read it: {e}"),
                        })
                    }
                },
            }
        }
    }
}

/// How an input is named in messages: its path as given.
fn display(path: &Path) -> String {
    if is_stdin(path) {
        "standard input".to_owned()
    } else {
        path.display().to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write as _;

    fn lines_of(inputs: Vec<Input>, limit: usize) -> Vec<String> {
        Items::new(inputs, limit)
            .map(|item| match item {
                Item::File(path) => format!("file {}", name_of(&path)),
                Item::Line { number, bytes, .. } => {
                    format!("{number}: {}", String::from_utf8_lossy(&bytes))
                }
                Item::LongLine { number, bytes, .. } => format!("{number}: long {bytes}"),
                Item::Unreadable { reason, .. } => format!("unreadable: {reason}"),
            })
            .collect()
    }

    #[test]
    fn plain_and_gzip_lines_are_read_alike_and_counted_beforehand() {
        let dir = tempfile::tempdir().unwrap();
        let plain = dir.path().join("a.jsonl");
        std::fs::write(&plain, "one\ntwo\r\n\nlast").unwrap();
        let gz = dir.path().join("part-00000.gz");
        let mut encoder =
            flate2::write::GzEncoder::new(File::create(&gz).unwrap(), flate2::Compression::fast());
        encoder.write_all(b"one\ntwo\r\n\nlast").unwrap();
        encoder.finish().unwrap();

        let expected = ["1: one", "2: two\r", "3: ", "4: last"];
        assert_eq!(lines_of(vec![Input::Lines(plain.clone())], 100), expected);
        assert_eq!(lines_of(vec![Input::Lines(gz.clone())], 100), expected);
        assert_eq!(count(&[Input::Lines(plain.clone())]), Some(4));
        assert_eq!(count(&[Input::Lines(gz)]), None);
        assert_eq!(lines_of(vec![Input::Lines(plain)], 3)[3], "4: long 4");
    }

    #[test]
    fn a_missing_input_is_one_unreadable_item_and_reading_goes_on() {
        let dir = tempfile::tempdir().unwrap();
        let there = dir.path().join("b.txt");
        std::fs::write(&there, "An article.").unwrap();
        let items = lines_of(
            vec![
                Input::Lines(dir.path().join("gone.jsonl")),
                Input::Article(there),
            ],
            100,
        );
        assert_eq!(items.len(), 2);
        assert!(
            items[0].starts_with("unreadable: cannot read it"),
            "{items:?}"
        );
        assert_eq!(items[1], "file b.txt");
    }

    #[test]
    fn directories_give_what_each_command_reads() {
        let dir = tempfile::tempdir().unwrap();
        for name in [
            "a.txt",
            "b.jsonl",
            "c.ndjson.gz",
            "part-00001",
            "_SUCCESS",
            ".part-00001.crc",
            "notes.md",
            "d.json",
        ] {
            std::fs::write(dir.path().join(name), "").unwrap();
        }
        let names = |inputs: Vec<Input>| -> Vec<String> {
            inputs
                .iter()
                .map(|i| match i {
                    Input::Article(p) => format!("article {}", name_of(p)),
                    Input::Lines(p) => format!("lines {}", name_of(p)),
                })
                .collect()
        };
        let root = vec![dir.path().to_path_buf()];
        assert_eq!(names(for_ingest(&root).unwrap()), ["article a.txt"]);
        let feed = vec![dir.path().join("c.ndjson.gz"), dir.path().join("a.txt")];
        assert_eq!(
            names(for_ingest(&feed).unwrap()),
            ["article a.txt", "lines c.ndjson.gz"]
        );
        assert_eq!(
            names(for_import(&root).unwrap()),
            [
                "lines b.jsonl",
                "lines c.ndjson.gz",
                "lines d.json",
                "lines part-00001"
            ]
        );
        let stdin = for_import(&[PathBuf::from("-")]).unwrap();
        assert_eq!(stdin, [Input::Lines(PathBuf::from("-"))]);
        assert_eq!(count(&stdin), None);
    }
}
