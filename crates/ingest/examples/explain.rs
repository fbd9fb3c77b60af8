//! Shows how the extractor reads an article: the sentence units, the actor
//! mentions found in each, and every relation with the cue that produced it.
//!
//! `cargo run -p newsgraph-ingest --example explain -- ARTICLE.txt`

use newsgraph_ingest::{actors, lexicon, relations, text};

fn main() {
    let Some(path) = std::env::args().nth(1) else {
        eprintln!("usage: explain ARTICLE.txt");
        std::process::exit(2);
    };
    let raw = match std::fs::read_to_string(&path) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("{path}: {e}");
            std::process::exit(1);
        }
    };
    let lex = lexicon();
    let mut units = Vec::new();
    for (p, line) in text::content_lines(&raw, lex).iter().enumerate() {
        units.extend(text::units(&raw, *line, p));
    }
    // Every unit's tree, as extraction parses them: actor recognition reads
    // all, the relation constructions those of the cue sentences.
    let trees: Vec<Option<newsgraph_syntax::Analysis<'static>>> = match newsgraph_syntax::english()
    {
        Ok(model) => units
            .iter()
            .map(|u| {
                let mut a = model.analyse(&text::for_parser(&raw[u.start..u.end]), u.start);
                newsgraph_ingest::repair::repair(&mut a, lex);
                Some(a)
            })
            .collect(),
        Err(e) => {
            eprintln!("the syntax model did not load ({e}); the token rules run alone");
            vec![None; units.len()]
        }
    };
    let all_refs: Vec<_> = trees.iter().map(Option::as_ref).collect();
    let mut doc = actors::find_actors(&raw, &units, lex, &all_refs);
    let tree_refs: Vec<_> = all_refs
        .iter()
        .zip(&units)
        .map(|(t, u)| t.filter(|_| relations::has_cue(u, lex)))
        .collect();
    let found = relations::find_relations(&raw, &units, &mut doc, lex, &tree_refs);
    // EXPLAIN_TREES=1 prints each tree as extraction reads it, after the
    // repairs (`newsgraph parse` prints the parser's own).
    let show_trees = std::env::var_os("EXPLAIN_TREES").is_some();
    for (u, unit) in units.iter().enumerate() {
        println!("[{u}] {}", &raw[unit.start..unit.end]);
        if let (true, Some(tree)) = (show_trees, &trees[u]) {
            for (i, w) in tree.words.iter().enumerate() {
                println!(
                    "     {}\t{}\t{:?}\t{}\t{}",
                    i + 1,
                    w.form,
                    w.upos,
                    w.head,
                    w.deprel
                );
            }
        }
        for m in &doc.mentions[u] {
            let t = &unit.tokens;
            println!(
                "     mention {:?} -> {} ({:?})",
                &raw[t[m.first].start..t[m.last - 1].end],
                doc.clusters[m.cluster].name,
                m.role
            );
        }
        for f in found.iter().filter(|f| f.unit == u) {
            println!(
                "     => {} {} {} [cue {:?}] event {:?}",
                doc.clusters[f.subject].name,
                f.kind.as_str(),
                f.object.map_or("-", |o| doc.clusters[o].name.as_str()),
                f.cue,
                f.event_label
            );
        }
    }
    println!("actors:");
    for c in &doc.clusters {
        println!(
            "  {} ({}) participant={} forms={:?}",
            c.name,
            c.kind.as_str(),
            c.participant,
            c.forms
        );
    }
}
