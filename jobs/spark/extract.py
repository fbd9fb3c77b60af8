#!/usr/bin/env python3
"""Extract a news archive into newsgraph graphs with Apache Spark.

    spark-submit [--master URL] [--files target/release/newsgraph] \\
        jobs/spark/extract.py --input PATH --output DIR [--binary newsgraph]

Reads articles (a directory of `.txt` files, or JSON lines in the input
format of `newsgraph extract --jsonl`), sorts them, pipes every partition
through one `newsgraph extract --jsonl` process and writes its answers, one
JSON line per article (a graph or an error), as gzip part files in DIR.
`newsgraph import DIR --db DB` then loads them into a store.

Input:

- `.txt` files (`--format txt`): the article's id is the file's name and its
  text is the whole file (the first line is read as the headline), so that
  `newsgraph ingest` of the same files gives the same documents. A file
  that is not UTF-8 or is over `--max-bytes` gets an error line, as
  `ingest` reports it. A local directory (a plain path) is listed by the
  job as ingest lists it (the `.txt` files, recursively) and its files are
  read by the tasks, so it must be visible wherever they run (local mode, a
  shared mount); a URI (`hdfs://`, `s3a://`, `file:`) is read through
  Hadoop's `binaryFiles`, which also leaves out names starting with `_` or
  `.`.
- JSON lines (`--format jsonl`; `.gz` and other Hadoop codecs are read by
  their extension): each line one article, `{"id", "text", "title"?, ...}`,
  passed to `extract` as it is. Blank lines are skipped.
- `--format auto` (the default) picks `txt` for a local directory that
  holds `.txt` files or a local `.txt` file, `jsonl` otherwise; give the
  format for a URI.

Order: the articles are sorted (by path for `.txt`, by id for JSON lines)
before extraction, and the part files keep that order, so that `import`
applies them in the order `ingest` would (the first document to name an
actor sets its display name) whatever the input's sharding.

The three traps of `RDD.pipe()`, and what this job does about them:

- the child gets an empty environment unless `env=` is passed: the job
  passes PATH (with the directory of files shipped with `--files` first),
  the locale and RUST_LOG / RUST_BACKTRACE when they are set;
- without `checkCode=True` a command that fails is silently ignored and its
  partition comes out short: the job passes `checkCode=True`, and also
  checks that extract answered exactly one line per article;
- reading the output as a DataFrame with an inferred JSON schema runs the
  pipe twice (once to infer): the output is written with
  `saveAsTextFile`, never read back, and the input is cached before it is
  sorted so that the sort's sampling passes do not read the files again.

The binary: `--binary PATH` (with a `/`) runs that file, which must exist at
that path wherever tasks run (local mode, or installed on every node).
`--binary NAME` (the default, `newsgraph`) is looked up in the directory of
files shipped with `spark-submit --files .../NAME` (made executable by the
task), then on the PATH.

The job prints a summary (articles in, graphs out, errors) and exits 0 when
every article gave a graph, 1 when some gave errors (their lines are in the
output, the first few are printed) or the job failed, 2 on bad arguments.
"""

import argparse
import bisect
import json
import os
import re
import shlex
import shutil
import sys
import time
from pathlib import PurePosixPath

GZIP_CODEC = "org.apache.hadoop.io.compress.GzipCodec"
RECURSIVE = "mapreduce.input.fileinputformat.input.dir.recursive"
# Variables handed to the extract processes besides PATH (pipe() passes
# none of the executor's environment on its own).
PASSED_ENV = ("LANG", "LC_ALL", "LC_CTYPE", "RUST_LOG", "RUST_BACKTRACE", "TMPDIR")
DEFAULT_MAX_BYTES = 10 * 1024 * 1024
# Keys sampled per partition to range-partition the articles.
SAMPLED_KEYS = 1000
ERRORS_SHOWN = 10


def parse_args(argv):
    parser = argparse.ArgumentParser(
        prog="extract.py",
        description="Extract news articles into newsgraph graphs with Spark: "
        "articles in, one JSON line per article out (gzip part files), "
        "ready for `newsgraph import DIR --db DB`.",
        epilog="Run it with spark-submit, e.g. `spark-submit --master local[2] "
        "jobs/spark/extract.py --input seed --output /tmp/graphs "
        "--binary target/release/newsgraph`. See the module docstring and the "
        "README's \"Archive scale\" section.",
    )
    parser.add_argument(
        "--input",
        required=True,
        action="append",
        metavar="PATH",
        help="a directory of .txt files, or JSON lines files or directories "
        "(repeatable; any Hadoop path: file:, hdfs:, s3a:)",
    )
    parser.add_argument(
        "--output",
        required=True,
        metavar="DIR",
        help="where to write the part files (must not exist unless --overwrite)",
    )
    parser.add_argument(
        "--binary",
        default="newsgraph",
        help="the newsgraph binary: a path, or a name found among the files "
        "shipped with --files, then on the PATH (default: %(default)s)",
    )
    parser.add_argument(
        "--format",
        choices=("auto", "txt", "jsonl"),
        default="auto",
        help="what the input is (default: %(default)s: txt for a local "
        "directory holding .txt files, jsonl otherwise)",
    )
    parser.add_argument(
        "--partitions",
        type=positive,
        metavar="N",
        help="extract processes to run, one per partition and part file "
        "(default: the cluster's default parallelism)",
    )
    parser.add_argument(
        "--max-bytes",
        type=positive,
        default=DEFAULT_MAX_BYTES,
        metavar="N",
        help="largest article accepted, in bytes (default: %(default)s, as ingest)",
    )
    parser.add_argument(
        "--articles-only",
        action="store_true",
        help="write the articles as JSON lines (the input of extract --jsonl) "
        "instead of extracting them: packs a .txt archive into shards",
    )
    parser.add_argument(
        "--overwrite",
        action="store_true",
        help="replace the output directory if it exists",
    )
    return parser.parse_args(argv)


def positive(text):
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"{text} is not a positive number")
    return value


def is_uri(path):
    """Whether `path` names a file system (`hdfs://`, `file:`, ...)."""
    return re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:", path) is not None


def detect_format(inputs):
    """`txt` when the first input is a local .txt file or a local directory
    that holds one (searched recursively), `jsonl` otherwise."""
    path = inputs[0]
    if is_uri(path):
        return "jsonl"
    if os.path.isfile(path):
        return "txt" if path.lower().endswith(".txt") else "jsonl"
    for _, _, files in os.walk(path):
        if any(is_article_file(name) for name in files):
            return "txt"
    return "jsonl"


def is_article_file(name):
    """A file ingest would read in a directory: a .txt file (Hadoop leaves
    out names starting with `_` or `.` on its own)."""
    return name.lower().endswith(".txt")


def error_line(article_id, message):
    """The line extract writes for an article it cannot extract."""
    return json.dumps(
        {"error": message, "id": article_id}, ensure_ascii=False, separators=(",", ":")
    )


def path_key(path):
    """A path as ingest orders it: component by component."""
    return list(PurePosixPath(path).parts)


def txt_record(name, content, max_bytes):
    """(is_article, line) for the bytes of the .txt file `name`: the
    article as an input line of extract, or the error ingest would report."""
    if len(content) > max_bytes:
        return False, error_line(name, f"{len(content)} bytes, over the limit of {max_bytes} bytes")
    try:
        text = bytes(content).decode("utf-8")
    except UnicodeDecodeError as e:
        return False, error_line(name, f"article '{name}' is not valid UTF-8 at byte {e.start}")
    article = {"id": name, "text": text}
    return True, json.dumps(article, ensure_ascii=False, separators=(",", ":"))


def local_txt_record(path, max_bytes):
    """(sort key, (is_article, line)) for the local file `path`. Never
    raises: an exception here would stop pipe()'s writer thread and leave
    the extract process waiting for the rest of its input."""
    name = os.path.basename(path)
    try:
        size = os.path.getsize(path)
        if size > max_bytes:
            record = False, error_line(name, f"{size} bytes, over the limit of {max_bytes} bytes")
        else:
            with open(path, "rb") as file:
                record = txt_record(name, file.read(), max_bytes)
    except OSError as e:
        record = False, error_line(name, f"cannot read '{path}': {e.strerror}")
    return path_key(path), record


def hadoop_txt_record(path_and_bytes, max_bytes):
    """(sort key, (is_article, line)) for a file read by binaryFiles."""
    path, content = path_and_bytes
    return path.split("/"), txt_record(path.rsplit("/", 1)[-1], content, max_bytes)


def local_txt_files(inputs):
    """The files ingest would read under `inputs`, in its order: the .txt
    files of directories (recursively, symbolic links to directories not
    followed) and files given by name whatever their extension."""
    files = []
    for given in inputs:
        if os.path.isdir(given):
            for directory, _, names in os.walk(given):
                files += [os.path.join(directory, n) for n in names if is_article_file(n)]
        else:
            files.append(given)
    return sorted(set(files), key=path_key)


def jsonl_record(line):
    """(sort key, (is_article, line)) for one input line, keyed by its id
    as extract names the article; a line that is not a JSON object with an
    id sorts first and gets its error from extract."""
    try:
        article = json.loads(line)
        article_id = article.get("id") if isinstance(article, dict) else None
    except ValueError:
        article_id = None
    if isinstance(article_id, str):
        key = [article_id]
    elif isinstance(article_id, (int, float)) and not isinstance(article_id, bool):
        key = [json.dumps(article_id)]
    else:
        key = []
    return key, (True, line)


def child_env(shipped_dir):
    """The environment of the extract processes: pipe() would give them
    none. PATH starts with the directory of files shipped with --files."""
    env = {name: os.environ[name] for name in PASSED_ENV if name in os.environ}
    env["PATH"] = os.pathsep.join([shipped_dir, os.environ.get("PATH", os.defpath)])
    return env


def make_executable(binary):
    """A mapPartitions step that passes its partition through after making
    the shipped binary executable where this task runs (files shipped with
    --files may lose their mode bits on the way)."""

    def step(iterator):
        from pyspark import SparkFiles

        shipped = os.path.join(SparkFiles.getRootDirectory(), binary)
        if os.path.isfile(shipped) and not os.access(shipped, os.X_OK):
            os.chmod(shipped, os.stat(shipped).st_mode | 0o755)
        return iterator

    return step


def resolve_binary(sc, binary):
    """The command's program and the directory of shipped files for PATH.

    A name without `/` is looked up by the extract process's PATH, which
    starts with the directory of shipped files: on executors of a cluster
    that is their working directory (`.`); in local mode the driver's
    SparkFiles directory. A path is made absolute and used as it is."""
    from pyspark import SparkFiles

    local = sc.master.startswith("local")
    if "/" in binary:
        program = os.path.abspath(binary)
        if local and not os.access(program, os.X_OK):
            raise SystemExit(f"error: {binary} is not an executable file")
        return program, SparkFiles.getRootDirectory() if local else "."
    shipped_dir = SparkFiles.getRootDirectory() if local else "."
    if local:
        shipped = os.path.join(shipped_dir, binary)
        path = os.pathsep.join([shipped_dir, os.environ.get("PATH", os.defpath)])
        if not os.path.isfile(shipped) and shutil.which(binary, path=path) is None:
            raise SystemExit(
                f"error: {binary} is neither shipped with --files nor on the PATH; "
                "pass --binary PATH"
            )
    return binary, shipped_dir


def read_articles(sc, args, fmt, partitions):
    """(sort key, (is_article, line)) for every article of the input, and
    whether they are already in order, `partitions` slices of it."""
    max_bytes = args.max_bytes
    if fmt == "txt" and not any(is_uri(path) for path in args.input):
        # Listed here and read by the tasks: Hadoop's binaryFiles reads a
        # split of n small files in time n squared (every file's record
        # decodes the paths of the whole split).
        files = [os.path.abspath(f) for f in local_txt_files(args.input)]
        slices = sc.parallelize(files, partitions)
        return slices.map(lambda path: local_txt_record(path, max_bytes)), True
    inputs = ",".join(args.input)
    sc._jsc.hadoopConfiguration().set(RECURSIVE, "true")
    if fmt == "txt":
        files = sc.binaryFiles(inputs, minPartitions=partitions)
        files = files.filter(lambda pair: is_article_file(pair[0].rsplit("/", 1)[-1]))
        return files.map(lambda pair: hadoop_txt_record(pair, max_bytes)), False
    lines = sc.textFile(inputs)
    return lines.filter(lambda line: line.strip()).map(jsonl_record), False


def sorted_by_key(records, partitions, total):
    """`records` range-partitioned into `partitions` of about equal size
    and sorted by key. Spark's sortByKey samples 20 keys a partition, which
    left one of two partitions with 61% of the articles; this samples
    SAMPLED_KEYS keys a partition."""
    fraction = min(1.0, SAMPLED_KEYS * partitions / max(total, 1))
    keys = sorted(records.keys().sample(False, fraction, 15).collect())
    bounds = [keys[len(keys) * (i + 1) // partitions] for i in range(partitions - 1)] if keys else []
    return records.repartitionAndSortWithinPartitions(
        partitions, lambda key: bisect.bisect_left(bounds, key)
    )


def output_exists(sc, output, overwrite):
    """Whether `output` exists (after removing it when asked to)."""
    jvm = sc._jvm
    path = jvm.org.apache.hadoop.fs.Path(output)
    fs = path.getFileSystem(sc._jsc.hadoopConfiguration())
    if fs.exists(path) and overwrite:
        fs.delete(path, True)
    return fs.exists(path)


def count_answer(graphs, errors):
    """A map step over extract's output lines that counts graphs and errors."""

    def step(line):
        try:
            answer = json.loads(line)
        except ValueError:
            answer = {"error": "not JSON"}
        if isinstance(answer, dict) and "error" not in answer:
            graphs.add(1)
        else:
            errors.add(1)
        return line

    return step


def counted(accumulator):
    """A map step that counts what passes."""

    def step(item):
        accumulator.add(1)
        return item

    return step


def first_errors(sc, output, limit):
    """Up to `limit` error lines from the written output (read back only
    when there are errors; the pipe is not run again)."""
    # "error" is a key only: inside a string its quotes are escaped.
    lines = sc.textFile(output).filter(lambda line: '"error":' in line)
    shown = []
    for line in lines.take(limit * 4):
        try:
            answer = json.loads(line)
        except ValueError:
            continue
        if isinstance(answer, dict) and "error" in answer:
            shown.append(f"  {answer.get('id')}: {answer['error']}")
        if len(shown) == limit:
            break
    return shown


def run(sc, args):
    """Runs the job; returns the process exit code."""
    from pyspark import StorageLevel

    started = time.monotonic()
    for path in args.input:
        if not is_uri(path) and not os.path.exists(path):
            print(f"error: {path} does not exist", file=sys.stderr)
            return 1
    fmt = args.format if args.format != "auto" else detect_format(args.input)
    if output_exists(sc, args.output, args.overwrite):
        print(f"error: {args.output} exists; remove it or pass --overwrite", file=sys.stderr)
        return 1
    program, shipped_dir = (None, None) if args.articles_only else resolve_binary(sc, args.binary)

    partitions = args.partitions or sc.defaultParallelism
    records, in_order = read_articles(sc, args, fmt, partitions)
    # Cached: counting, sampling and sorting would each read the archive
    # again, and so would the second branch below.
    records = records.persist(StorageLevel.MEMORY_AND_DISK)
    total = records.count()
    if total == 0:
        print(f"error: no articles in {', '.join(args.input)} (format {fmt})", file=sys.stderr)
        return 1
    articles = records.filter(lambda record: record[1][0])
    if not in_order:
        articles = sorted_by_key(articles, partitions, total)
    articles = articles.map(lambda record: record[1][1])
    # The files that could not be read: their lines change no graph, so
    # they need no sorting.
    unreadable = records.filter(lambda record: not record[1][0]).map(lambda record: record[1][1])

    articles_in = sc.accumulator(0)
    graphs = sc.accumulator(0)
    errors = sc.accumulator(0)
    unread = sc.accumulator(0)
    if args.articles_only:
        written = articles.map(counted(articles_in))
    else:
        command = shlex.join([program, "extract", "--jsonl", "--max-bytes", str(args.max_bytes)])
        articles = articles.map(counted(articles_in))
        if "/" not in args.binary:
            articles = articles.mapPartitions(make_executable(args.binary))
        answers = articles.pipe(command, env=child_env(shipped_dir), checkCode=True).map(
            count_answer(graphs, errors)
        )
        # The unreadable files' error lines go in one more part file (often empty).
        written = answers.union(unreadable.map(counted(unread)).coalesce(1))
    written.saveAsTextFile(args.output, compressionCodecClass=GZIP_CODEC)
    records.unpersist()

    seconds = time.monotonic() - started
    if args.articles_only:
        skipped = total - articles_in.value
        print(
            f"articles in: {total}, articles written: {articles_in.value}, "
            f"unreadable (left out): {skipped}; {args.output} in {seconds:.1f} s"
        )
        return 1 if skipped else 0
    failed = errors.value + unread.value
    print(
        f"articles in: {total}, graphs out: {graphs.value}, errors: {failed} "
        f"(unreadable files: {unread.value}); {args.output} in {seconds:.1f} s"
    )
    if graphs.value + errors.value != articles_in.value:
        print(
            f"error: extract answered {graphs.value + errors.value} lines "
            f"for {articles_in.value} articles",
            file=sys.stderr,
        )
        return 1
    if failed:
        print("errors (all are lines of the output):")
        for line in first_errors(sc, args.output, ERRORS_SHOWN):
            print(line)
        return 1
    return 0


def failure_reason(error):
    """The line of a failed job's error that says why (a Py4J error holds
    the whole Java and Python stack; Spark's log has it all)."""
    lines = [line.strip() for line in str(error).splitlines() if line.strip()]
    for marker in ("PIPE_FUNCTION_EXITED", "Error: ", "Exception: "):
        for line in lines:
            if marker in line and not line.startswith("at "):
                return line[:1000]
    return lines[0] if lines else repr(error)


def main(argv=None):
    args = parse_args(sys.argv[1:] if argv is None else argv)
    from pyspark import SparkConf, SparkContext

    # Spark's INFO lines would bury the summary; --conf spark.log.level=INFO
    # brings them back.
    conf = SparkConf().setAppName("newsgraph extract").setIfMissing("spark.log.level", "WARN")
    # binaryFiles (.txt input given as a URI) reads a split of n files in
    # time n squared: splits of 1 MB (about 400 articles), not 128 MB.
    conf.setIfMissing("spark.files.maxPartitionBytes", str(1 << 20))
    sc = SparkContext.getOrCreate(conf)
    try:
        return run(sc, args)
    except Exception as e:  # a failed Spark job surfaces as a Py4J error
        print(f"error: the Spark job failed: {failure_reason(e)}", file=sys.stderr)
        return 1
    finally:
        sc.stop()


if __name__ == "__main__":
    sys.exit(main())
