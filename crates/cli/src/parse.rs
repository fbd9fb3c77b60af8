//! `newsgraph parse`: Universal Dependencies analyses as CoNLL-U, either of
//! plain text (cut into sentences as `ingest` cuts them) or of a CoNLL-U
//! file whose tokens are kept, so that the output can be scored against
//! that file with the usual tools (`conll18_ud_eval.py gold.conllu out.conllu`).

use std::fs::File;
use std::io::{BufWriter, Read as _, Write};
use std::path::{Path, PathBuf};

use anyhow::{Context as _, Result};
use newsgraph_ingest::IngestError;
use newsgraph_syntax::{conllu, Model};

/// What to analyse; a path of `-` is standard input.
#[derive(Debug)]
pub enum Input {
    /// Plain UTF-8 text, cut into sentences here.
    Text(PathBuf),
    /// CoNLL-U, whose tokens, comments and other columns are kept.
    Conllu(PathBuf),
}

/// Analyses `input` and writes CoNLL-U to `output` (standard output when
/// `None`). Nothing is written before the input has been read and checked,
/// so a bad input never leaves a half-written output file.
pub fn run(input: &Input, output: Option<&Path>) -> Result<()> {
    match input {
        Input::Text(path) => {
            let (name, bytes) = read_input(path)?;
            let Some(text) = decode(&name, &bytes)? else {
                return Output::open(output)?.finish();
            };
            // `decode` drops a byte-order mark; offsets count from the
            // file's first byte all the same.
            let base = bytes.len() - text.len();
            let model = model()?;
            let mut out = Output::open(output)?;
            let mut number = 0usize;
            for (start, end) in newsgraph_ingest::sentences(text) {
                let sentence = &text[start..end];
                // What extraction parses: wire-service tickers blanked.
                let analysis =
                    model.analyse(&newsgraph_ingest::text::for_parser(sentence), base + start);
                if analysis.words.is_empty() {
                    continue;
                }
                number += 1;
                let id = number.to_string();
                out.sentence(&analysis.to_conllu(Some(&id), Some(sentence)))?;
                if out.reader_gone {
                    break;
                }
            }
            out.finish()
        }
        Input::Conllu(path) => {
            let (name, bytes) = read_input(path)?;
            let Some(text) = decode(&name, &bytes)? else {
                return Output::open(output)?.finish();
            };
            let sentences =
                conllu::read(text).with_context(|| format!("reading CoNLL-U from '{name}'"))?;
            let model = model()?;
            let mut out = Output::open(output)?;
            for mut sentence in sentences {
                model.annotate(&mut sentence);
                out.sentence(&sentence)?;
                if out.reader_gone {
                    break;
                }
            }
            out.finish()
        }
    }
}

fn model() -> Result<&'static Model> {
    newsgraph_syntax::english().context("loading the syntax model")
}

/// The input's name for messages and its bytes.
fn read_input(path: &Path) -> Result<(String, Vec<u8>)> {
    let mut bytes = Vec::new();
    if path.as_os_str() == "-" {
        std::io::stdin()
            .lock()
            .read_to_end(&mut bytes)
            .context("reading standard input")?;
        Ok(("standard input".to_owned(), bytes))
    } else {
        let name = path.display().to_string();
        bytes = std::fs::read(path).with_context(|| format!("reading '{name}'"))?;
        Ok((name, bytes))
    }
}

/// The input as text, `None` when it is empty or only whitespace (which
/// has no sentences: the output is empty, not an error).
fn decode<'a>(name: &str, bytes: &'a [u8]) -> Result<Option<&'a str>> {
    // No size limit: unlike `ingest`, nothing is stored, and the output is
    // written sentence by sentence.
    match newsgraph_ingest::decode_article(name, bytes, usize::MAX) {
        Ok(text) => Ok(Some(text)),
        Err(IngestError::Empty { .. }) => Ok(None),
        Err(e) => Err(e.into()),
    }
}

/// Where the CoNLL-U goes, one sentence at a time.
struct Output {
    writer: Box<dyn Write>,
    /// The file written, `None` for standard output.
    path: Option<PathBuf>,
    /// Standard output's reader went away (`newsgraph parse a.txt | head`):
    /// not an error, but nothing more needs writing.
    reader_gone: bool,
    /// Reused for each sentence's text.
    buffer: String,
}

impl Output {
    fn open(path: Option<&Path>) -> Result<Output> {
        let writer: Box<dyn Write> = match path {
            Some(path) => Box::new(BufWriter::new(
                File::create(path).with_context(|| format!("creating '{}'", path.display()))?,
            )),
            None => Box::new(BufWriter::new(std::io::stdout().lock())),
        };
        Ok(Output {
            writer,
            path: path.map(Path::to_path_buf),
            reader_gone: false,
            buffer: String::new(),
        })
    }

    fn sentence(&mut self, sentence: &conllu::Sentence) -> Result<()> {
        self.buffer.clear();
        conllu::write(std::slice::from_ref(sentence), &mut self.buffer);
        let written = self.writer.write_all(self.buffer.as_bytes());
        self.check(written)
    }

    fn finish(mut self) -> Result<()> {
        let flushed = self.writer.flush();
        self.check(flushed)
    }

    fn check(&mut self, result: std::io::Result<()>) -> Result<()> {
        match (result, &self.path) {
            (Ok(()), _) => Ok(()),
            (Err(e), None) if e.kind() == std::io::ErrorKind::BrokenPipe => {
                self.reader_gone = true;
                Ok(())
            }
            (Err(e), None) => Err(e).context("writing to standard output"),
            (Err(e), Some(path)) => Err(e).with_context(|| format!("writing '{}'", path.display())),
        }
    }
}
