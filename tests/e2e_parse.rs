//! End-to-end tests of `newsgraph parse`: plain text or CoNLL-U in, CoNLL-U
//! with UPOS, heads and relations out, each run as the real binary.

// Test harness code: a panic is how a helper reports a failed check.
// clippy.toml allows these inside #[test] functions only, not in helpers.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::io::{BufRead as _, BufReader, Write as _};
use std::path::Path;
use std::process::{Command, Stdio};

use common::{newsgraph, Run, Scratch};

/// The universal part-of-speech tags: the only values UPOS may take.
const UPOS: [&str; 17] = [
    "ADJ", "ADP", "ADV", "AUX", "CCONJ", "DET", "INTJ", "NOUN", "NUM", "PART", "PRON", "PROPN",
    "PUNCT", "SCONJ", "SYM", "VERB", "X",
];

/// Invented sentences, one of them with non-ASCII letters so that offsets
/// are seen to count bytes.
const SENTENCES: [&str; 3] = [
    "The minister rejected the request on Monday.",
    "She said it was unfair.",
    "Officials in Zürich declined to comment.",
];

fn article() -> String {
    format!("{} {}\n\n{}\n", SENTENCES[0], SENTENCES[1], SENTENCES[2])
}

/// One sentence block of CoNLL-U output.
#[derive(Debug)]
struct Block {
    comments: Vec<String>,
    /// Every non-comment line, split into its ten columns.
    rows: Vec<Vec<String>>,
}

impl Block {
    /// The word rows (integer IDs): no multiword ranges, no empty nodes.
    fn words(&self) -> impl Iterator<Item = &Vec<String>> {
        self.rows
            .iter()
            .filter(|r| r[0].bytes().all(|b| b.is_ascii_digit()))
    }

    fn comment(&self, key: &str) -> Option<&str> {
        self.comments
            .iter()
            .find_map(|c| c.strip_prefix(&format!("# {key} = ")))
    }

    /// The word row whose FORM is `form` (the first, if several).
    fn word(&self, form: &str) -> &Vec<String> {
        self.words()
            .find(|w| w[1] == form)
            .unwrap_or_else(|| panic!("no word '{form}' in {:?}", self.rows))
    }
}

/// Reads CoNLL-U output, checking what every scorer relies on: ten
/// columns, word IDs consecutive from 1, one root, heads inside the
/// sentence, a valid UPOS and a relation on every word, one blank line
/// after each sentence.
fn check_conllu(text: &str) -> Vec<Block> {
    if text.is_empty() {
        return Vec::new();
    }
    assert!(
        text.ends_with("\n\n"),
        "the last sentence ends with a blank line"
    );
    let raws: Vec<&str> = text[..text.len() - 2].split("\n\n").collect();
    assert!(
        raws.iter().all(|raw| !raw.is_empty()),
        "one blank line between sentences"
    );
    let blocks = read_blocks(text);
    for (raw, block) in raws.iter().zip(&blocks) {
        for row in &block.rows {
            assert_eq!(row.len(), 10, "ten columns: {row:?}");
        }
        let n = block.words().count();
        assert!(n > 0, "a sentence has words: {raw}");
        for (i, w) in block.words().enumerate() {
            assert_eq!(w[0], (i + 1).to_string(), "consecutive IDs: {raw}");
            assert!(UPOS.contains(&w[3].as_str()), "UPOS {:?} in {raw}", w[3]);
            let head: usize = w[6].parse().unwrap_or_else(|_| panic!("HEAD {:?}", w[6]));
            assert!(head <= n && head != i + 1, "HEAD {head} of word {}", i + 1);
            assert!(w[7] != "_" && !w[7].is_empty(), "DEPREL of word {}", i + 1);
            assert_eq!(head == 0, w[7] == "root", "root is the word with HEAD 0");
        }
        let roots = block.words().filter(|w| w[6] == "0").count();
        assert_eq!(roots, 1, "exactly one root: {raw}");
    }
    assert_eq!(raws.len(), blocks.len(), "every sentence has lines");
    blocks
}

/// `(start, end)` from a MISC column's `Offsets=start:end`.
fn offsets(misc: &str) -> (usize, usize) {
    let value = misc
        .split('|')
        .find_map(|f| f.strip_prefix("Offsets="))
        .unwrap_or_else(|| panic!("no Offsets in MISC {misc:?}"));
    let (start, end) = value.split_once(':').expect("Offsets=start:end");
    (start.parse().unwrap(), end.parse().unwrap())
}

/// Runs `newsgraph ARGS...` with `stdin` as its standard input.
fn newsgraph_with_stdin(args: &[&str], stdin: &[u8]) -> Run {
    let mut child = common::spawn_piped(args);
    let mut pipe = child.stdin.take().expect("stdin is piped");
    let input = stdin.to_vec();
    let writer = std::thread::spawn(move || pipe.write_all(&input));
    let out = child.wait_with_output().expect("running newsgraph");
    writer.join().unwrap().expect("writing newsgraph's stdin");
    Run {
        status: out.status,
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

fn parse_file(path: &Path, extra: &[&str]) -> Run {
    let mut args = vec!["parse".to_owned(), path.display().to_string()];
    args.extend(extra.iter().map(|s| s.to_string()));
    newsgraph(args)
}

#[test]
fn a_text_is_cut_into_sentences_and_each_is_parsed() {
    // Given a short invented article on disk
    let scratch = Scratch::new();
    let path = scratch.path("article.txt");
    let text = article();
    std::fs::write(&path, &text).unwrap();

    // When it is parsed
    let run = parse_file(&path, &[]).success();

    // Then each sentence comes out as valid CoNLL-U with its id and text
    let blocks = check_conllu(&run.stdout);
    assert_eq!(blocks.len(), 3, "{}", run.stdout);
    for (i, (block, sentence)) in blocks.iter().zip(SENTENCES).enumerate() {
        assert_eq!(block.comment("sent_id"), Some((i + 1).to_string().as_str()));
        assert_eq!(block.comment("text"), Some(sentence));
        // And every word's offsets slice its form out of the file
        for w in block.words() {
            let (start, end) = offsets(&w[9]);
            assert_eq!(text.get(start..end), Some(w[1].as_str()), "{w:?}");
        }
    }
    assert_eq!(blocks[2].word("Zürich")[1], "Zürich");

    // And the unambiguous arcs are right
    let first = &blocks[0];
    let rejected = &first.word("rejected")[0];
    let minister = first.word("minister");
    assert_eq!((&minister[6], minister[7].as_str()), (rejected, "nsubj"));
    let request = first.word("request");
    assert_eq!((&request[6], request[7].as_str()), (rejected, "obj"));
}

#[test]
fn offsets_count_from_the_first_byte_of_the_file_even_after_a_byte_order_mark() {
    // Given a text that starts with a UTF-8 byte-order mark
    let scratch = Scratch::new();
    let path = scratch.path("bom.txt");
    let bytes = format!("\u{feff}{}\n", SENTENCES[1]).into_bytes();
    std::fs::write(&path, &bytes).unwrap();

    // When it is parsed
    let run = parse_file(&path, &[]).success();

    // Then the offsets point into the file's bytes, mark included
    let blocks = check_conllu(&run.stdout);
    assert_eq!(blocks.len(), 1);
    for w in blocks[0].words() {
        let (start, end) = offsets(&w[9]);
        assert_eq!(&bytes[start..end], w[1].as_bytes());
    }
}

#[test]
fn standard_input_is_read_with_a_dash_or_no_file() {
    // Given the article on standard input
    let text = article();

    // When it is parsed as `-` and with no file argument
    let dash = newsgraph_with_stdin(&["parse", "-"], text.as_bytes()).success();
    let bare = newsgraph_with_stdin(&["parse"], text.as_bytes()).success();

    // Then both give the same three sentences
    assert_eq!(check_conllu(&dash.stdout).len(), 3, "{}", dash.stdout);
    assert_eq!(dash.stdout, bare.stdout);
}

#[test]
fn output_goes_to_the_file_given_with_dash_o() {
    // Given the article on disk
    let scratch = Scratch::new();
    let input = scratch.path("article.txt");
    std::fs::write(&input, article()).unwrap();
    let output = scratch.path("article.conllu");

    // When it is parsed with -o
    let run = parse_file(&input, &["-o", &output.display().to_string()]).success();

    // Then the file holds what standard output would have
    assert_eq!(run.stdout, "");
    let written = std::fs::read_to_string(&output).unwrap();
    assert_eq!(written, parse_file(&input, &[]).success().stdout);
    assert_eq!(check_conllu(&written).len(), 3);
}

#[test]
fn empty_input_prints_nothing_and_succeeds() {
    for input in ["", " \n\n  \n"] {
        let run = newsgraph_with_stdin(&["parse", "-"], input.as_bytes()).success();
        assert_eq!(run.stdout, "", "input {input:?}");
        let run = newsgraph_with_stdin(&["parse", "--conllu-in", "-"], input.as_bytes()).success();
        assert_eq!(run.stdout, "", "CoNLL-U input {input:?}");
    }
}

#[test]
fn a_missing_file_is_an_error_naming_it() {
    let scratch = Scratch::new();
    let missing = scratch.path("no-such-article.txt");
    for args in [vec!["parse"], vec!["parse", "--conllu-in"]] {
        let mut args: Vec<String> = args.into_iter().map(str::to_owned).collect();
        args.push(missing.display().to_string());
        let run = newsgraph(&args);
        assert!(!run.status.success(), "{args:?} succeeded");
        assert!(
            run.stderr.contains(&missing.display().to_string()),
            "{}",
            run.stderr
        );
        assert_eq!(run.stdout, "");
    }
}

#[test]
fn a_file_that_is_not_utf8_is_an_error_saying_so() {
    // Given a Latin-1 file
    let scratch = Scratch::new();
    let path = scratch.path("latin1.txt");
    std::fs::write(&path, b"The minister visited Z\xfcrich on Monday.\n").unwrap();

    // When it is parsed
    let run = parse_file(&path, &[]);

    // Then it fails, naming the file and the first bad byte
    assert!(!run.status.success());
    assert!(run.stderr.contains("latin1.txt"), "{}", run.stderr);
    assert!(
        run.stderr.contains("not valid UTF-8 at byte 22"),
        "{}",
        run.stderr
    );
    assert_eq!(run.stdout, "");
}

/// An invented gold file: a document comment, a multiword token, gold
/// LEMMA, XPOS, FEATS, DEPS and MISC, and UPOS, HEAD and DEPREL left blank
/// for the parser to fill.
const GOLD: &str = "\
# newdoc id = invented-harbour
# sent_id = harbour-1
# text = The harbour won't open today.
1\tThe\tthe\t_\tDT\tDefinite=Def|PronType=Art\t_\t_\t2:det\t_
2\tharbour\tharbour\t_\tNN\tNumber=Sing\t_\t_\t5:nsubj\t_
3-4\twon't\t_\t_\t_\t_\t_\t_\t_\t_
3\two\twill\t_\tMD\tVerbForm=Fin\t_\t_\t5:aux\t_
4\tn't\tnot\t_\tRB\tPolarity=Neg\t_\t_\t5:advmod\t_
5\topen\topen\t_\tVB\tVerbForm=Inf\t_\t_\t0:root\t_
6\ttoday\ttoday\t_\tNN\tNumber=Sing\t_\t_\t5:obl:tmod\tSpaceAfter=No
7\t.\t.\t_\t.\t_\t_\t_\t5:punct\t_

# sent_id = harbour-2
# text = Crews repaired the crane.
1\tCrews\tcrew\t_\tNNS\tNumber=Plur\t_\t_\t2:nsubj\t_
2\trepaired\trepair\t_\tVBD\tMood=Ind|Tense=Past|VerbForm=Fin\t_\t_\t0:root\t_
3\tthe\tthe\t_\tDT\tDefinite=Def|PronType=Art\t_\t_\t4:det\t_
4\tcrane\tcrane\t_\tNN\tNumber=Sing\t_\t_\t2:obj\tSpaceAfter=No
5\t.\t.\t_\t.\t_\t_\t_\t2:punct\t_

";

/// Columns that `--conllu-in` must leave alone: all but UPOS, HEAD, DEPREL.
const KEPT: [usize; 7] = [0, 1, 2, 4, 5, 8, 9];

/// Asserts that `out` is `gold` line for line, with only UPOS, HEAD and
/// DEPREL of word lines changed.
fn assert_only_the_parse_changed(gold: &str, out: &str) {
    let gold_lines: Vec<&str> = gold.lines().collect();
    let out_lines: Vec<&str> = out.lines().collect();
    assert_eq!(gold_lines.len(), out_lines.len(), "same number of lines");
    for (n, (g, o)) in gold_lines.iter().zip(&out_lines).enumerate() {
        let g_cols: Vec<&str> = g.split('\t').collect();
        let is_word = g_cols.len() == 10 && g_cols[0].bytes().all(|b| b.is_ascii_digit());
        if !is_word {
            assert_eq!(g, o, "line {} kept as it was", n + 1);
            continue;
        }
        let o_cols: Vec<&str> = o.split('\t').collect();
        for c in KEPT {
            assert_eq!(g_cols[c], o_cols[c], "line {} column {}", n + 1, c + 1);
        }
    }
}

#[test]
fn conllu_in_keeps_the_tokens_and_columns_and_fills_the_parse() {
    // Given a gold CoNLL-U file with the parse columns blank
    let scratch = Scratch::new();
    let path = scratch.path("gold.conllu");
    std::fs::write(&path, GOLD).unwrap();

    // When it is annotated
    let run = newsgraph(["parse", "--conllu-in", &path.display().to_string()]).success();

    // Then every line, comment and kept column is as it was
    assert_only_the_parse_changed(GOLD, &run.stdout);
    // And UPOS, HEAD and DEPREL are filled with valid values
    let blocks = check_conllu(&run.stdout);
    assert_eq!(blocks.len(), 2);
    assert_eq!(blocks[0].comment("newdoc id"), Some("invented-harbour"));
    let repaired = &blocks[1].word("repaired")[0];
    let crane = blocks[1].word("crane");
    assert_eq!((&crane[6], crane[7].as_str()), (repaired, "obj"));
}

#[test]
fn conllu_in_reads_standard_input() {
    let run = newsgraph_with_stdin(&["parse", "--conllu-in", "-"], GOLD.as_bytes()).success();
    assert_only_the_parse_changed(GOLD, &run.stdout);
}

#[test]
fn malformed_conllu_is_an_error_naming_the_line() {
    // Given a file whose seventh line has nine columns
    let scratch = Scratch::new();
    let path = scratch.path("broken.conllu");
    let broken = GOLD.replacen("\t_\t5:aux\t_\n", "\t5:aux\t_\n", 1);
    std::fs::write(&path, &broken).unwrap();
    let output = scratch.path("out.conllu");

    // When it is annotated into a file
    let run = newsgraph([
        "parse",
        "--conllu-in",
        &path.display().to_string(),
        "-o",
        &output.display().to_string(),
    ]);

    // Then it fails naming the file and the line, and writes nothing
    assert!(!run.status.success());
    assert!(run.stderr.contains("broken.conllu"), "{}", run.stderr);
    assert!(
        run.stderr
            .contains("line 7: expected 10 tab-separated columns, found 9"),
        "{}",
        run.stderr
    );
    assert!(!output.exists(), "no output file for a bad input");
}

#[test]
fn a_reader_that_goes_away_is_not_an_error() {
    // Given a text whose CoNLL-U is far larger than a pipe's buffer
    let text = format!("{} {}\n", SENTENCES[0], SENTENCES[1]).repeat(1_000);
    let scratch = Scratch::new();
    let path = scratch.path("long.txt");
    std::fs::write(&path, text).unwrap();

    // When the reader stops after the first line (`newsgraph parse | head -1`)
    let mut child = Command::new(common::bin())
        .args(["parse", &path.display().to_string()])
        .env("RUST_LOG", "warn")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawning newsgraph");
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    let mut first = String::new();
    stdout.read_line(&mut first).unwrap();
    drop(stdout);
    let out = child.wait_with_output().unwrap();

    // Then the command still succeeds, quietly
    assert_eq!(first, "# sent_id = 1\n");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(String::from_utf8_lossy(&out.stderr), "");
}

#[test]
fn the_ewt_dev_file_is_annotated_token_for_token() {
    // Given the UD English EWT development file, when it is present
    let gold_path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../shared/treebanks/ud-english-ewt/en_ewt-ud-dev.conllu"
    );
    let Ok(gold) = std::fs::read_to_string(gold_path) else {
        eprintln!("skipping: treebank not found at {gold_path}");
        return;
    };
    let scratch = Scratch::new();
    let output = scratch.path("dev.conllu");

    // When it is annotated
    newsgraph([
        "parse",
        "--conllu-in",
        gold_path,
        "-o",
        &output.display().to_string(),
    ])
    .success();

    // Then it has the same sentences and word tokens, every other column
    // kept, and a valid tree for each sentence
    let out = std::fs::read_to_string(&output).unwrap();
    assert_only_the_parse_changed(&gold, &out);
    let gold_blocks = read_blocks(&gold);
    let out_blocks = check_conllu(&out);
    assert_eq!(out_blocks.len(), gold_blocks.len());
    let words = |blocks: &[Block]| blocks.iter().map(|b| b.words().count()).sum::<usize>();
    assert_eq!(words(&out_blocks), words(&gold_blocks));

    // And the parse lines up with the gold words. The floors are far
    // below the model's scores: they fail when the output is misaligned
    // with the tokens, not when the model gets a little worse.
    let (mut total, mut upos, mut heads) = (0usize, 0usize, 0usize);
    for (g, o) in gold_blocks.iter().zip(&out_blocks) {
        for (gw, ow) in g.words().zip(o.words()) {
            total += 1;
            upos += usize::from(gw[3] == ow[3]);
            heads += usize::from(gw[6] == ow[6]);
        }
    }
    let (upos, uas) = (upos as f64 / total as f64, heads as f64 / total as f64);
    eprintln!("EWT dev: {total} words, UPOS {upos:.3}, UAS {uas:.3}");
    assert!(upos > 0.8, "UPOS accuracy {upos:.3}");
    assert!(uas > 0.6, "unlabelled attachment {uas:.3}");
}

/// The sentence blocks of a CoNLL-U text (comments and rows), without
/// checks: gold files may leave HEAD `_` on words of enhanced graphs.
fn read_blocks(text: &str) -> Vec<Block> {
    text.split("\n\n")
        .filter(|raw| !raw.trim().is_empty())
        .map(|raw| {
            let mut block = Block {
                comments: Vec::new(),
                rows: Vec::new(),
            };
            for line in raw.lines() {
                if line.starts_with('#') {
                    block.comments.push(line.to_owned());
                } else {
                    block
                        .rows
                        .push(line.split('\t').map(str::to_owned).collect());
                }
            }
            block
        })
        .collect()
}

#[test]
fn parse_has_help_and_is_listed() {
    let run = newsgraph(["parse", "--help"]).success();
    assert!(run.stdout.contains("--conllu-in"), "{}", run.stdout);
    assert!(run.stdout.contains("CoNLL-U"), "{}", run.stdout);
    let run = newsgraph(["--help"]).success();
    assert!(
        run.stdout
            .lines()
            .any(|l| l.trim_start().starts_with("parse")),
        "{}",
        run.stdout
    );
}
