//! `newsgraph`: the one binary. Ingest articles, serve the GraphQL API and
//! playground, export JSON, DOT, GraphML, CSV or JSON Lines, run a query
//! without a server, extract articles' graphs as JSON lines without a store.

// Printing goes through `output::{outln, errln}`, which never panic: a
// reader of standard output that goes away (`| head`) ends the printing
// quietly instead of panicking the command.
#![warn(clippy::print_stdout, clippy::print_stderr)]

mod adapters;
mod article;
mod backup;
mod explorer;
mod extract;
mod import;
mod ingest;
mod inputs;
mod metrics;
mod output;
mod parse;
mod pipeline;
mod responses;
mod server;

use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use anyhow::{bail, Context as _, Result};
use clap::{Parser, Subcommand, ValueEnum};
use newsgraph_graphql::{build_schema, export, Limits};
use newsgraph_model::Confidence;
use newsgraph_store::Store;

use crate::output::errln;

/// mimalloc instead of the system allocator: the graph view is millions of
/// small records, built on open and per ingested article, and queries
/// allocate a little per field; glibc's malloc makes both markedly slower.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

const DEFAULT_DB: &str = "data/newsgraph.db";

/// newsgraph: news articles in, a queryable knowledge graph of who said,
/// requested and rejected what out.
#[derive(Debug, Parser)]
#[command(
    name = "newsgraph",
    version,
    about,
    long_about = None,
    after_help = "A reader of standard output that goes away (`newsgraph export | head`) is \
        not an error: the rest of the output is dropped, the command still does all its work \
        (an ingest stores every article) and exits with the code that work gives, 0 when it \
        succeeded."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, clap::Args)]
struct DbArg {
    /// The store directory (created if missing).
    #[arg(long, env = "NEWSGRAPH_DB", default_value = DEFAULT_DB)]
    db: PathBuf,
}

/// How `ingest` and `import` write.
#[derive(Debug, clap::Args)]
struct WriteArgs {
    /// Largest article text accepted, in bytes.
    #[arg(long, default_value_t = newsgraph_ingest::DEFAULT_MAX_BYTES)]
    max_bytes: usize,
    /// One line per article however many there are (by default only runs
    /// of up to 200 articles, counted beforehand, list them). Each line is
    /// printed once the article is durable.
    #[arg(short, long, conflicts_with = "quiet")]
    verbose: bool,
    /// Only the summary line: no article lines, no progress.
    #[arg(short, long)]
    quiet: bool,
    /// Worker threads (default: one per core).
    #[arg(long, value_parser = clap::value_parser!(u32).range(1..))]
    jobs: Option<u32>,
}

impl WriteArgs {
    fn lines(&self) -> pipeline::Lines {
        pipeline::Lines::from_flags(self.verbose, self.quiet)
    }

    /// `--jobs`, or one per core.
    fn jobs(&self) -> usize {
        self.jobs
            .map(|j| j as usize)
            .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()))
    }
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Ingest articles (.txt files, or .jsonl feeds) from files or
    /// directories into the store.
    ///
    /// A .txt file is one article, named by its file name; its first line
    /// is the headline. A feed (*.jsonl or *.ndjson, gzipped or not) holds
    /// one article per line as `extract --jsonl` reads them: {"id", "text",
    /// "title"?, "url"?, "source"?, "published"?, "author"?}, named by id,
    /// its metadata kept on the document. Re-ingesting the same content is a no-op; a changed file replaces its
    /// document's graph atomically. Bad files (not UTF-8, empty, binary,
    /// too large) are reported and skipped; the exit code is 1 if any failed.
    /// Extraction runs on every core; articles are committed in groups and
    /// reported only once durable. Ctrl-C stops after the current group
    /// (exit code 130); running the same command again resumes, skipping
    /// what is already stored.
    Ingest {
        /// Files (articles, or feeds named *.jsonl or *.ndjson, gzipped or
        /// not) or directories (searched recursively for *.txt articles).
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        #[command(flatten)]
        db: DbArg,
        #[command(flatten)]
        write: WriteArgs,
        /// Report how many sentences the syntactic layer parsed (every
        /// sentence that holds a relation cue is parsed, and the relation
        /// constructions read its tree, with or without this flag).
        #[arg(long)]
        syntax: bool,
    },
    /// Extract articles' graphs without a store: JSON lines in, JSON lines out.
    ///
    /// Reads one article per line on standard input, as a JSON object
    /// {"id", "text", "title"?, "url"?, "source"?, "published"?, "author"?},
    /// and writes exactly one line per input line to standard output, in
    /// order: {"id", "documents", "actors", "events", "relations"} (the
    /// shape of `export --format json` for that article alone) or
    /// {"id", "error"} for a line that cannot be extracted (id null when
    /// the line has none; an empty line is such an error). Exit code 0
    /// once every line is answered; an error only when standard input or
    /// output fails (a closed output ends the run quietly).
    Extract {
        /// Read and write JSON lines (the one format so far).
        #[arg(long, required = true)]
        jsonl: bool,
        /// Largest article accepted (text and title), in bytes.
        #[arg(long, default_value_t = newsgraph_ingest::DEFAULT_MAX_BYTES)]
        max_bytes: usize,
    },
    /// Import extracted graphs (the lines `extract --jsonl` writes) into
    /// the store, as ingest would have stored the same articles.
    ///
    /// Reads JSON-lines files, gzipped or not (a Spark job's output
    /// directory: *.jsonl, *.json, *.ndjson, *.gz and part-* files, `_`
    /// and `.` files left out), or standard input for `-`. Each line is
    /// checked whole before it is written (one document with its text;
    /// spans, evidence, ids and references consistent) and stored
    /// atomically; a bad line, or an extraction error line, is reported
    /// and skipped, and the exit code is 1. Documents whose text is
    /// already stored are skipped by hash, so a re-run resumes; lines are
    /// committed in groups and reported only once durable; Ctrl-C stops
    /// after the current group (exit code 130).
    Import {
        /// JSON-lines files, directories, or `-` for standard input.
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        #[command(flatten)]
        db: DbArg,
        #[command(flatten)]
        write: WriteArgs,
    },
    /// Write a checksummed dump of the store (every key and value) to a file.
    ///
    /// Stop any server using the store first: a store is opened by one
    /// process at a time.
    Backup {
        #[command(flatten)]
        db: DbArg,
        /// The dump file to write (replaced only once the dump is complete).
        #[arg(short, long)]
        output: PathBuf,
    },
    /// Restore a dump written by `backup` into a new store.
    ///
    /// The dump is checked record by record and as a whole; a corrupt or
    /// truncated dump is refused and leaves nothing behind. Refuses to
    /// write into a store directory that is not empty.
    Restore {
        /// The dump file.
        input: PathBuf,
        #[command(flatten)]
        db: DbArg,
    },
    /// Check a store's invariants (records, indexes, the rebuilt graph);
    /// prints each violation and exits 1 if there is any.
    Verify {
        #[command(flatten)]
        db: DbArg,
    },
    /// Serve the GraphQL API (/graphql), the playground (/), /healthz and
    /// /metrics.
    Serve {
        #[command(flatten)]
        db: DbArg,
        /// Address to listen on (port 0 picks a free port).
        #[arg(long, env = "NEWSGRAPH_ADDR", default_value = "127.0.0.1:8000")]
        addr: String,
        /// Refuse mutations.
        #[arg(long)]
        read_only: bool,
        /// Origins allowed by CORS (repeatable); none by default.
        #[arg(long = "cors-origin")]
        cors_origins: Vec<String>,
        /// Bearer token required for mutations (required when listening
        /// on a non-loopback address).
        #[arg(long, env = "NEWSGRAPH_TOKEN")]
        token: Option<String>,
        /// Largest request body accepted, in bytes.
        #[arg(long, default_value_t = 16 * 1024 * 1024)]
        max_body: usize,
        /// Per-request timeout, in seconds.
        #[arg(long, default_value_t = 30)]
        timeout_secs: u64,
        /// Most GraphQL requests run at once; others wait up to 2 s, then
        /// get a "server busy" error.
        #[arg(long, default_value_t = 256, value_parser = clap::value_parser!(u32).range(1..))]
        max_concurrent: u32,
        /// Most HTTP requests in progress at once (including those still
        /// sending their body); others get a 503 at once.
        #[arg(long, default_value_t = 1024, value_parser = clap::value_parser!(u32).range(1..))]
        max_in_flight: u32,
        /// How long a request body may take to arrive, in seconds (408 after).
        #[arg(long, default_value_t = 10, value_parser = clap::value_parser!(u64).range(1..))]
        body_timeout_secs: u64,
        /// How long a connection may take to send a request's headers, or
        /// stay idle between requests, in seconds (then it is closed).
        #[arg(long, default_value_t = 30, value_parser = clap::value_parser!(u64).range(1..))]
        header_timeout_secs: u64,
        /// Highest query cost accepted: each field counts once per item of
        /// the pages it is in (`first`, 50 when absent).
        #[arg(long, default_value_t = Limits::default().cost)]
        max_cost: usize,
        /// Most tokens in one query document (names, values and
        /// punctuation; not commas, white space or comments), counted
        /// before it is parsed.
        #[arg(long, default_value_t = Limits::default().tokens)]
        max_tokens: usize,
        /// Most directives (`@include`, `@skip`) in one query document.
        #[arg(long, default_value_t = Limits::default().directives)]
        max_directives: usize,
        /// Most field aliases in one query document, fragments included.
        #[arg(long, default_value_t = Limits::default().aliases)]
        max_aliases: usize,
        /// Memory for answers to repeated queries, in MiB: an error-free
        /// answer to a query is kept by its exact request body until the
        /// graph changes (0: no cache).
        #[arg(long, default_value_t = 64)]
        response_cache_mb: usize,
        /// Serve /metrics (Prometheus) on a non-loopback address too; a
        /// loopback address always serves it.
        #[arg(long, conflicts_with = "no_metrics")]
        metrics: bool,
        /// Serve no /metrics and count nothing, on any address.
        #[arg(long)]
        no_metrics: bool,
    },
    /// Export the graph (or an actor's ego network) as JSON, Graphviz DOT,
    /// GraphML, CSV for neo4j-admin import, or JSON Lines.
    ///
    /// CSV is several files and needs `-o DIR`: the directory (created if
    /// missing) gets nodes-documents.csv, nodes-actors.csv,
    /// nodes-events.csv, relationships-to-actors.csv,
    /// relationships-to-events.csv, relationships-to-documents.csv,
    /// relationships-mentions.csv and relationships-reports.csv.
    Export {
        /// Output format.
        #[arg(long, value_enum, default_value_t = Format::Json)]
        format: Format,
        /// Export only this actor's ego network (name, alias or id).
        #[arg(long)]
        actor: Option<String>,
        /// Depth of the ego network (with --actor).
        #[arg(long, default_value_t = 1)]
        depth: usize,
        /// Leave out relations less confident than this (0 to 1), and the
        /// actors only they brought in.
        #[arg(long, value_parser = parse_min_confidence)]
        min_confidence: Option<Confidence>,
        #[command(flatten)]
        db: DbArg,
        /// Write to this file instead of standard output (for CSV: the
        /// directory to write the files into; required).
        #[arg(short, long)]
        output: Option<PathBuf>,
    },
    /// Run one GraphQL query against the store, without a server; prints JSON.
    Query {
        /// The GraphQL document.
        query: String,
        /// Variables, as a JSON object.
        #[arg(long)]
        variables: Option<String>,
        #[command(flatten)]
        db: DbArg,
    },
    /// Print the GraphQL schema (SDL).
    Schema,
    /// Tag and parse English sentences (Universal Dependencies); prints CoNLL-U.
    ///
    /// Plain text is cut into sentences as `ingest` cuts them (page
    /// furniture such as bylines is left out; sentences that one quote
    /// spans stay together) and each is printed with `# sent_id`,
    /// `# text` and its words: UPOS, XPOS, HEAD, DEPREL, and the word's
    /// byte range in the input as `Offsets=start:end` in MISC. With
    /// --conllu-in, a CoNLL-U file's tokens, comments and other columns are
    /// kept and only UPOS, HEAD and DEPREL are replaced, so that the output
    /// can be scored against the file (e.g. with conll18_ud_eval.py).
    Parse {
        /// The UTF-8 text to parse (`-`: standard input).
        #[arg(value_name = "FILE", default_value = "-", conflicts_with = "conllu_in")]
        input: PathBuf,
        /// Annotate this CoNLL-U file (`-`: standard input) instead of
        /// parsing plain text.
        #[arg(long, value_name = "FILE")]
        conllu_in: Option<PathBuf>,
        /// Write to this file instead of standard output.
        #[arg(short, long)]
        output: Option<PathBuf>,
    },
}

/// `--min-confidence`: a number from 0 to 1.
fn parse_min_confidence(s: &str) -> Result<Confidence, String> {
    s.parse::<f64>()
        .ok()
        .filter(|c| (0.0..=1.0).contains(c))
        .and_then(Confidence::from_score)
        .ok_or_else(|| format!("'{s}' is not a number from 0 to 1"))
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum Format {
    /// The export format read by the evaluation scorer.
    Json,
    /// Graphviz DOT.
    Dot,
    /// GraphML, for Gephi, NetworkX and yEd.
    Graphml,
    /// CSV files for `neo4j-admin database import` (needs `-o DIR`).
    Csv,
    /// JSON Lines: one record per line, each with a `type`.
    Jsonl,
}

fn open_store(db: &DbArg) -> Result<Arc<Store>> {
    if let Some(parent) = db.db.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent)
            .with_context(|| format!("creating the store's directory '{}'", parent.display()))?;
    }
    let store =
        Store::open(&db.db).with_context(|| format!("opening the store '{}'", db.db.display()))?;
    Ok(Arc::new(store))
}

/// Opens a store that must already exist (commands that only read it).
fn open_existing_store(db: &DbArg) -> Result<Arc<Store>> {
    if !db.db.is_dir() {
        bail!("no store at '{}'", db.db.display());
    }
    open_store(db)
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info")),
        )
        .with_writer(std::io::stderr)
        .init();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            errln!("error: cannot start the async runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(cli)) {
        Ok(code) => code,
        Err(e) => {
            errln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}

async fn run(cli: Cli) -> Result<ExitCode> {
    match cli.command {
        Command::Ingest {
            paths,
            db,
            write,
            syntax,
        } => {
            let store = open_store(&db)?;
            let options = ingest::Options {
                max_bytes: write.max_bytes,
                lines: write.lines(),
                jobs: write.jobs(),
                syntax,
            };
            ingest::run(store, paths, options).await
        }
        Command::Import { paths, db, write } => {
            let store = open_store(&db)?;
            let options = import::Options {
                max_bytes: write.max_bytes,
                lines: write.lines(),
                jobs: write.jobs(),
            };
            import::run(store, paths, options).await
        }
        Command::Extract {
            jsonl: _,
            max_bytes,
        } => extract::run(&extract::Options { max_bytes }),
        Command::Backup { db, output } => {
            let store = open_existing_store(&db)?;
            backup::backup(&store, &output)?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Restore { input, db } => {
            backup::restore(&input, &db.db)?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Verify { db } => {
            let store = open_existing_store(&db)?;
            backup::verify(&store)
        }
        Command::Serve {
            db,
            addr,
            read_only,
            cors_origins,
            token,
            max_body,
            timeout_secs,
            max_concurrent,
            max_in_flight,
            body_timeout_secs,
            header_timeout_secs,
            max_cost,
            max_tokens,
            max_directives,
            max_aliases,
            response_cache_mb,
            metrics,
            no_metrics,
        } => {
            let store = open_store(&db)?;
            let config = server::Config {
                addr,
                read_only,
                cors_origins,
                token,
                max_body,
                timeout: std::time::Duration::from_secs(timeout_secs),
                max_concurrent: max_concurrent as usize,
                max_in_flight: max_in_flight as usize,
                body_timeout: std::time::Duration::from_secs(body_timeout_secs),
                header_timeout: std::time::Duration::from_secs(header_timeout_secs),
                max_cost,
                max_tokens,
                max_directives,
                max_aliases,
                response_cache: response_cache_mb.saturating_mul(1024 * 1024),
                metrics: match (metrics, no_metrics) {
                    (_, true) => metrics::Exposure::Never,
                    (true, false) => metrics::Exposure::Always,
                    (false, false) => metrics::Exposure::Loopback,
                },
            };
            server::serve(store, config).await?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Export {
            format,
            actor,
            depth,
            min_confidence,
            db,
            output,
        } => {
            if matches!(format, Format::Csv) && output.is_none() {
                bail!("CSV is several files: give the directory to write them into with -o DIR");
            }
            let store = open_store(&db)?;
            let view = store.view();
            let selection = match &actor {
                Some(name) => {
                    let ports = adapters::ports(store.clone());
                    let Some(id) = newsgraph_graphql::find_actor(&*view, &*ports.ingest, name)
                    else {
                        bail!("no actor named '{name}' in '{}'", db.db.display());
                    };
                    view.ego_network(id, depth, Limits::default().visit_budget)
                }
                None => view.everything(),
            };
            let selection = match min_confidence {
                Some(min) => selection.at_least(min),
                None => selection,
            };
            let text = match format {
                Format::Json => {
                    let json = export::with_evidence(&*store, &selection, |sub| {
                        export::to_json(&*view, sub)
                    })?;
                    let mut s = serde_json::to_string_pretty(&json)?;
                    s.push('\n');
                    s
                }
                Format::Dot => export::with_evidence(&*store, &selection, export::to_dot)?,
                Format::Graphml => export::with_evidence(&*store, &selection, |sub| {
                    export::to_graphml(&export::Contents::of(&*view, sub))
                })?,
                Format::Jsonl => export::with_evidence(&*store, &selection, |sub| {
                    export::to_jsonl(&export::Contents::of(&*view, sub))
                })?,
                Format::Csv => {
                    let files = export::with_evidence(&*store, &selection, |sub| {
                        export::to_csv(&export::Contents::of(&*view, sub))
                    })?;
                    let dir = output.context("CSV needs -o DIR")?;
                    write_files(&dir, &files)?;
                    return Ok(ExitCode::SUCCESS);
                }
            };
            match output {
                Some(path) => std::fs::write(&path, text)
                    .with_context(|| format!("writing '{}'", path.display()))?,
                None => output::stdout(&text)?,
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Query {
            query,
            variables,
            db,
        } => {
            let store = open_store(&db)?;
            let schema = build_schema(adapters::ports(store), Limits::default());
            let mut request = async_graphql::Request::new(query);
            if let Some(vars) = variables {
                let value: serde_json::Value =
                    serde_json::from_str(&vars).context("--variables is not JSON")?;
                request = request.variables(async_graphql::Variables::from_json(value));
            }
            let response = newsgraph_graphql::execute(&schema, request).await;
            let failed = !response.errors.is_empty();
            output::stdout(&format!("{}\n", serde_json::to_string_pretty(&response)?))?;
            Ok(if failed {
                ExitCode::from(1)
            } else {
                ExitCode::SUCCESS
            })
        }
        Command::Schema => {
            output::stdout(&newsgraph_graphql::sdl())?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Parse {
            input,
            conllu_in,
            output,
        } => {
            let input = match conllu_in {
                Some(path) => parse::Input::Conllu(path),
                None => parse::Input::Text(input),
            };
            parse::run(&input, output.as_deref())?;
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// Writes the CSV export's files into `dir`, creating it if missing.
fn write_files(dir: &std::path::Path, files: &[export::CsvFile]) -> Result<()> {
    std::fs::create_dir_all(dir).with_context(|| format!("creating '{}'", dir.display()))?;
    for file in files {
        let path = dir.join(file.name);
        std::fs::write(&path, &file.content)
            .with_context(|| format!("writing '{}'", path.display()))?;
    }
    Ok(())
}
