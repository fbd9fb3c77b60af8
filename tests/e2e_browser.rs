//! End-to-end test of the Explorer (`/explore`) in headless Chromium: the
//! real server on 127.0.0.1:0 with the seed ingested, driven through
//! chromedriver's W3C WebDriver API as a person would use the page. What the
//! page shows is checked against what the GraphQL API says. Screenshots go
//! to `target/test-artifacts/explorer-{desktop,phone,phone-timeline,phone-filters,article}.png`.
//!
//! Without `/usr/bin/chromium` and `/usr/bin/chromedriver` (Debian's
//! `chromium` and `chromium-driver`) the test prints SKIPPED and passes.

// Test harness code: a panic is how a helper reports a failed check.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod browser;
mod common;

use std::collections::BTreeSet;
use std::path::PathBuf;
use std::time::Duration;

use browser::{keys, Driver, Session};
use common::{data, Scratch, Server};
use serde_json::{json, Value};

/// Longest wait for anything the page does after one action.
const STEP: Duration = Duration::from_secs(15);

fn artefacts() -> PathBuf {
    common::repo_root().join("target/test-artifacts")
}

/// `#graph-summary`'s state once the page has drawn something (or said why not).
fn settled_summary(browser: &Session) -> Value {
    browser.wait_until(
        "the graph to settle",
        "const s = document.getElementById('graph-summary').dataset;
         return { state: s.state, actor: s.actor, mode: s.mode, nodes: Number(s.nodes), edges: Number(s.edges) };",
        STEP,
        |v| matches!(v["state"].as_str(), Some("ready" | "empty" | "unknown" | "error")),
    )
}

fn collapse(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The names of the suggestions listed under the input `#id`.
fn suggestions(browser: &Session, id: &str) -> Vec<String> {
    let script = format!(
        "return [...document.querySelectorAll('#{id} ~ .suggestions [role=option]')].map(o => o.dataset.name);"
    );
    let v = browser.wait_until("suggestions", &script, STEP, |v| {
        v.as_array().is_some_and(|a| !a.is_empty())
    });
    v.as_array()
        .unwrap()
        .iter()
        .map(|n| n.as_str().unwrap_or_default().to_owned())
        .collect()
}

/// The timeline chart in the side panel, once drawn: its stated total and
/// undated count, the sum of its bars, its caption and its spoken label.
fn panel_timeline(browser: &Session) -> Value {
    browser.wait_until(
        "the panel's timeline chart",
        "const f = document.querySelector('#panel .timeline-chart');
         if (!f) return null;
         const bars = [...f.querySelectorAll('.bar')].reduce((n, b) => n + Number(b.dataset.count), 0);
         const plot = f.querySelector('svg');
         return { total: Number(f.dataset.total), undated: Number(f.dataset.undated), bars,
                  caption: f.querySelector('figcaption').textContent,
                  label: plot ? plot.getAttribute('aria-label') : null,
                  width: plot ? plot.getBoundingClientRect().width : 0 };",
        STEP,
        |v| v.is_object(),
    )
}

/// Checks a drawn timeline against the API's `timeline { total undated }`.
fn assert_timeline_matches(chart: &Value, api: &Value, what: &str) {
    let total = api["total"].as_u64().unwrap();
    let undated = api["undated"].as_u64().unwrap();
    assert!(total > 0, "{what}: the seed gives it relations: {api}");
    assert_eq!(
        chart["total"].as_u64(),
        Some(total),
        "{what}: chart total vs the API: {chart}"
    );
    assert_eq!(
        chart["undated"].as_u64(),
        Some(undated),
        "{what}: undated vs the API: {chart}"
    );
    assert_eq!(
        chart["bars"].as_u64().unwrap() + undated,
        total,
        "{what}: the bars hold every dated relation: {chart}"
    );
    let caption = chart["caption"].as_str().unwrap();
    assert!(
        caption.contains(&format!("{total} relation"))
            && caption.contains(&format!("{undated} undated")),
        "{what}: the caption says the total and the undated count: {caption}"
    );
    if total > undated {
        let label = chart["label"].as_str().unwrap_or_default();
        assert!(
            label.contains(&format!("{total} relation")),
            "{what}: the chart's spoken label has the counts: {label}"
        );
    }
}

/// The merged edges `subject>object>KIND` of relations with both ends, as the Explorer names them.
fn edge_ids(relations: &[Value]) -> BTreeSet<String> {
    relations
        .iter()
        .filter(|r| r["subject"].is_object() && r["object"].is_object())
        .map(|r| {
            format!(
                "{}>{}>{}",
                r["subject"]["id"].as_str().unwrap(),
                r["object"]["id"].as_str().unwrap(),
                r["kind"].as_str().unwrap()
            )
        })
        .collect()
}

/// The ids of the edges on the canvas.
fn drawn_edges(browser: &Session) -> BTreeSet<String> {
    let ids = browser.js(
        "return window.newsgraphExplorer.cy.edges().map(e => e.id());",
        vec![],
    );
    ids.as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap().to_owned())
        .collect()
}

/// A slider position (a multiple of 0.05) equal to no relation's
/// confidence, above the lowest one: the smallest that hides some but not
/// all of the connections, else the smallest that hides any.
fn confidence_threshold(relations: &[Value]) -> f64 {
    let all = edge_ids(relations).len();
    let at_least = |t: f64| {
        let kept: Vec<Value> = relations
            .iter()
            .filter(|r| r["confidence"].as_f64().unwrap() >= t)
            .cloned()
            .collect();
        edge_ids(&kept).len()
    };
    let steps: Vec<f64> = (1..=20)
        .map(|i| f64::from(i) * 0.05)
        .map(|t| (t * 100.0).round() / 100.0)
        .filter(|t| {
            relations
                .iter()
                .all(|r| (r["confidence"].as_f64().unwrap() - t).abs() > 1e-9)
        })
        .collect();
    steps
        .iter()
        .copied()
        .find(|&t| (1..all).contains(&at_least(t)))
        .or_else(|| steps.iter().copied().find(|&t| at_least(t) < all))
        .expect("the seed's relations differ in confidence")
}

#[test]
fn a_reader_finds_an_actor_reads_the_evidence_and_follows_a_path() {
    if !browser::available() {
        eprintln!("SKIPPED: chromium/chromedriver not installed");
        return;
    }

    // Given the seed corpus behind a running server, and what the API says about KFOR
    let scratch = Scratch::new();
    common::ingest_seed(&scratch.db());
    let server = Server::start(&scratch, &[]);
    let base = format!("http://127.0.0.1:{}", server.port());
    let api = server.graphql(
        r#"{ actor(name: "KFOR") { id name
               neighbors { id name neighbors { id name } }
               relations(first: 1000) { nodes { kind subject { id name } object { id name } evidence { sentence } } } } }"#,
    );
    let kfor = data(&api)["actor"].clone();
    let neighbours = kfor["neighbors"].as_array().unwrap().clone();
    assert!(
        !neighbours.is_empty(),
        "the seed gives KFOR neighbours: {api}"
    );
    let relations = kfor["relations"]["nodes"].as_array().unwrap().clone();
    let merged: BTreeSet<(String, String, String)> = relations
        .iter()
        .filter(|r| r["subject"].is_object() && r["object"].is_object())
        .map(|r| {
            (
                r["subject"]["id"].as_str().unwrap().to_owned(),
                r["object"]["id"].as_str().unwrap().to_owned(),
                r["kind"].as_str().unwrap().to_owned(),
            )
        })
        .collect();

    let driver = Driver::start(scratch.path("chromedriver.log"));
    let browser = driver.session(&scratch.path("chromium-profile"), 1280, 800);
    browser.viewport(1280, 800, false);

    // When a reader opens the Explorer and types part of a name
    browser.goto(&format!("{base}/explore"));
    let search = browser.wait_for("#search", STEP);
    browser.wait_until(
        "the welcome message",
        "return document.getElementById('message').dataset.kind === 'welcome' && !!document.querySelector('#message .chip');",
        STEP,
        |v| v == &json!(true),
    );
    browser.type_into(&search, "kfo");

    // Then KFOR is suggested first, and Enter picks it
    let names = suggestions(&browser, "search");
    assert_eq!(
        names.first().map(String::as_str),
        Some("KFOR"),
        "suggestions for 'kfo': {names:?}"
    );
    browser.type_into(&search, keys::ENTER);

    // And its ego network is drawn: KFOR, each neighbour, one edge per (subject, object, kind)
    let summary = settled_summary(&browser);
    assert_eq!(summary["state"], "ready", "{summary}");
    assert_eq!(summary["actor"], "KFOR", "{summary}");
    assert_eq!(
        summary["nodes"].as_u64().unwrap() as usize,
        neighbours.len() + 1,
        "actors drawn vs the API's neighbours: {summary}"
    );
    assert_eq!(
        summary["edges"].as_u64().unwrap() as usize,
        merged.len(),
        "connections drawn vs the API's distinct (subject, object, kind): {summary}"
    );
    assert!(
        browser.current_url().contains("actor=KFOR"),
        "the URL names the actor: {}",
        browser.current_url()
    );
    let depth1_nodes = summary["nodes"].as_u64().unwrap();

    // And the panel charts KFOR's relations over time, as many as the API's timeline counts
    let api_timeline = data(&server.graphql(r#"{ timeline(actor: "KFOR") { total undated } }"#))
        ["timeline"]
        .clone();
    let chart = panel_timeline(&browser);
    assert_timeline_matches(&chart, &api_timeline, "KFOR's timeline");

    // When the reader widens the view to two steps
    let two_steps = browser.wait_for("input[name=depth][value='2'] + span", STEP);
    browser.click(&two_steps);
    let summary = browser.wait_until(
        "the depth-2 graph",
        "const s = document.getElementById('graph-summary').dataset;
         return location.search.includes('depth=2') && s.state === 'ready' ? Number(s.nodes) : 0;",
        STEP,
        |v| v.as_u64().unwrap_or(0) > 0,
    );
    // Then at least the same actors are drawn, plus the neighbours' neighbours
    let second_ring: BTreeSet<&str> = neighbours
        .iter()
        .flat_map(|n| n["neighbors"].as_array().unwrap().iter())
        .map(|n| n["id"].as_str().unwrap())
        .chain(neighbours.iter().map(|n| n["id"].as_str().unwrap()))
        .chain([kfor["id"].as_str().unwrap()])
        .collect();
    assert!(summary.as_u64().unwrap() >= depth1_nodes, "{summary}");
    assert_eq!(
        summary.as_u64().unwrap() as usize,
        second_ring.len(),
        "depth 2 draws every actor within two relations"
    );

    // And the view downloads as SVG (as drawn), DOT (the server's writer) and JSON
    let files = browser.js(
        "const x = window.newsgraphExplorer.export; return Promise.all([x('svg'), x('dot'), x('json')]);",
        vec![],
    );
    let [svg, dot, view] = [0, 1, 2].map(|i| files[i].as_str().unwrap_or_default().to_owned());
    assert!(
        svg.starts_with("<svg") && svg.contains(">KFOR</text>"),
        "SVG export:\n{svg:.300}"
    );
    assert!(
        dot.starts_with("digraph") && dot.contains("label=\"KFOR\""),
        "DOT export:\n{dot:.300}"
    );
    let view: Value = serde_json::from_str(&view).expect("the JSON export parses");
    assert_eq!(
        view["actors"].as_array().map(Vec::len),
        Some(second_ring.len()),
        "JSON export: every actor drawn"
    );

    // When the reader clicks the heaviest edge touching KFOR
    let edge = browser.js(
        "const cy = window.newsgraphExplorer.cy;
         const kfor = cy.nodes('.centre');
         const e = kfor.connectedEdges().sort((a, b) => b.data('count') - a.data('count'))[0];
         e.emit('tap');
         return { source: e.source().id(), target: e.target().id(), kind: e.data('kind'), count: e.data('count') };",
        vec![],
    );
    let expected: Vec<String> = relations
        .iter()
        .filter(|r| {
            r["subject"]["id"] == edge["source"]
                && r["object"]["id"] == edge["target"]
                && r["kind"] == edge["kind"]
        })
        .map(|r| collapse(r["evidence"]["sentence"].as_str().unwrap()))
        .collect();
    assert_eq!(
        expected.len() as u64,
        edge["count"].as_u64().unwrap(),
        "the edge's count is its number of relations: {edge}"
    );

    // Then every evidence sentence behind it is listed, with its article
    browser.wait_for("#evidence", STEP);
    let panel = collapse(&browser.text_of("#panel"));
    for sentence in &expected {
        assert!(
            panel.contains(sentence.as_str()),
            "evidence sentence missing from the panel:\n{sentence}\npanel:\n{panel}"
        );
    }
    assert!(
        browser.current_url().contains("edge="),
        "the URL names the edge"
    );

    // And the panel charts the pair's relations of that kind over time, as the API counts them
    let api_timeline = data(&server.graphql(&format!(
        r#"{{ timeline(actor: {}, counterpart: {}, kind: {}) {{ total undated }} }}"#,
        edge["source"],
        edge["target"],
        edge["kind"].as_str().unwrap()
    )))["timeline"]
        .clone();
    let chart = panel_timeline(&browser);
    assert_timeline_matches(&chart, &api_timeline, "the edge's timeline");
    assert!(
        chart["total"].as_u64().unwrap() >= edge["count"].as_u64().unwrap(),
        "the pair's timeline holds at least the edge's relations: {chart} vs {edge}"
    );

    // When the reader opens the first sentence in its article
    let read = browser.wait_for("#panel .evidence .read", STEP);
    browser.click(&read);
    // Then the article is shown with exactly that sentence highlighted
    // (evidence offsets are UTF-8 bytes; the seed has „“ quotes and other non-ASCII)
    let highlighted = browser.wait_until(
        "the highlighted sentence",
        "const m = document.getElementById('doc-highlight');
         return document.getElementById('doc').open && m ? m.textContent : null;",
        STEP,
        |v| v.is_string(),
    );
    let first_sentence = browser.js(
        "return document.querySelector('#panel .evidence .sentence').textContent;",
        vec![],
    );
    assert_eq!(
        collapse(highlighted.as_str().unwrap()),
        collapse(first_sentence.as_str().unwrap()),
        "the highlight is the evidence sentence"
    );
    browser.screenshot(&artefacts().join("explorer-article.png"));
    let close = browser.wait_for("#doc-close", STEP);
    browser.click(&close);
    browser.wait_until(
        "the article to close",
        "return document.getElementById('doc').open || location.search.includes('doc=');",
        STEP,
        |v| v == &json!(false),
    );
    browser.screenshot(&artefacts().join("explorer-desktop.png"));

    // When the reader asks how KFOR is connected to an actor two steps away
    let far = neighbours
        .iter()
        .flat_map(|n| n["neighbors"].as_array().unwrap().iter())
        .find(|n| n["id"] != kfor["id"] && !neighbours.iter().any(|m| m["id"] == n["id"]))
        .unwrap_or(&neighbours[0])["name"]
        .as_str()
        .unwrap()
        .to_owned();
    let expected_len = data(&server.graphql(&format!(
        r#"{{ shortestPath(from: "KFOR", to: {}) {{ length }} }}"#,
        Value::from(far.as_str())
    )))["shortestPath"]["length"]
        .as_u64()
        .expect("the API finds a path");
    let expected_chains = data(&server.graphql(&format!(
        r#"{{ paths(from: "KFOR", to: {}, maxHops: {expected_len}, limit: 5) {{ length }} }}"#,
        Value::from(far.as_str())
    )))["paths"]
        .as_array()
        .unwrap()
        .len() as u64;
    let toggle = browser.wait_for("#path-toggle", STEP);
    browser.click(&toggle);
    browser.wait_for("#path-from", STEP);
    let prefilled = browser.js("return document.getElementById('path-from').value;", vec![]);
    assert_eq!(
        prefilled, "KFOR",
        "the path finder starts from the actor on screen"
    );
    let to = browser.wait_for("#path-to", STEP);
    browser.type_into(&to, &far);
    let picks = suggestions(&browser, "path-to");
    assert!(picks.contains(&far), "{far} among {picks:?}");
    browser.type_into(&to, keys::ENTER);

    // Then the shortest chains are listed step by step, with evidence, and drawn
    let result = browser.wait_until(
        "the path result",
        "const r = document.getElementById('path-result');
         return r ? [Number(r.dataset.length), Number(r.dataset.chains)] : null;",
        STEP,
        |v| v.is_array(),
    );
    assert_eq!(
        result,
        json!([expected_len, expected_chains]),
        "[length, chains] of KFOR → {far}"
    );
    let steps = browser.js(
        "return document.querySelectorAll('#path-result .path-steps > li .sentence').length;",
        vec![],
    );
    assert_eq!(
        steps.as_u64(),
        Some(expected_len * expected_chains),
        "one evidence sentence per step of each chain"
    );
    let summary = settled_summary(&browser);
    assert_eq!(summary["mode"], "path", "{summary}");
    assert!(
        summary["nodes"].as_u64().unwrap() > expected_len,
        "every actor on the chains is drawn: {summary}"
    );

    // When the URL names an actor the store does not know
    browser.goto(&format!("{base}/explore?actor=Nobody%20Atall"));
    // Then the page says so instead of drawing nothing
    let message = browser.wait_until(
        "the unknown-actor message",
        "const m = document.getElementById('message');
         return !m.hidden && m.dataset.kind === 'unknown' ? m.innerText : null;",
        STEP,
        |v| v.is_string(),
    );
    assert!(
        message
            .as_str()
            .unwrap()
            .contains("No actor called “Nobody Atall”"),
        "{message}"
    );

    // When every relation kind is filtered out
    browser.goto(&format!("{base}/explore?actor=KFOR&kinds="));
    // Then the empty graph is explained, with a way back
    let message = browser.wait_until(
        "the empty-graph message",
        "const m = document.getElementById('message');
         return !m.hidden && m.dataset.kind === 'empty' ? m.innerText : null;",
        STEP,
        |v| v.is_string(),
    );
    assert!(
        message.as_str().unwrap().contains("match the filters"),
        "{message}"
    );

    // Given the confidence and corroboration the API gives KFOR's relations
    let scored = data(&server.graphql(
        r#"{ actor(name: "KFOR") { relations(first: 1000) { nodes {
               kind confidence subject { id } object { id }
               corroboration { documentCount sourceCount } } } } }"#,
    ))["actor"]["relations"]["nodes"]
        .as_array()
        .unwrap()
        .clone();
    let threshold = confidence_threshold(&scored);
    let kept = data(&server.graphql(&format!(
        r#"{{ actor(name: "KFOR") {{ relations(first: 1000, minConfidence: {threshold}) {{ nodes {{
               kind subject {{ id }} object {{ id }} }} }} }} }}"#
    )))["actor"]["relations"]["nodes"]
        .as_array()
        .unwrap()
        .clone();
    let all_edges = edge_ids(&scored);
    let kept_edges = edge_ids(&kept);
    assert!(
        kept_edges.len() < all_edges.len(),
        "a minimum of {threshold} hides some of KFOR's connections: {scored:?}"
    );

    // When the reader sets the minimum confidence above some relations' confidence
    browser.goto(&format!("{base}/explore?actor=KFOR"));
    assert_eq!(settled_summary(&browser)["state"], "ready");
    assert_eq!(drawn_edges(&browser), all_edges, "nothing hidden at 0");
    browser.js(
        "const s = document.getElementById('min-confidence');
         s.value = arguments[0];
         s.dispatchEvent(new Event('input', { bubbles: true }));
         s.dispatchEvent(new Event('change', { bubbles: true }));",
        vec![json!(threshold)],
    );
    // Then exactly the connections with no relation that sure disappear, as the API filters them
    browser.wait_until(
        "the graph without the unsure connections",
        &format!(
            "const s = document.getElementById('graph-summary').dataset;
             return s.state === 'ready' && window.newsgraphExplorer.state.minConfidence === {threshold}
               ? Number(s.edges) : -1;"
        ),
        STEP,
        |v| v.as_u64() == Some(kept_edges.len() as u64),
    );
    assert_eq!(
        drawn_edges(&browser),
        kept_edges,
        "connections drawn at a minimum confidence of {threshold} vs the API's relations(minConfidence:)"
    );
    // And the URL keeps the minimum, so a link reopens the same view
    assert!(
        browser.current_url().contains("minConfidence="),
        "the URL keeps the minimum: {}",
        browser.current_url()
    );
    browser.goto(&browser.current_url());
    assert_eq!(settled_summary(&browser)["state"], "ready");
    let slider = browser.js(
        "return Number(document.getElementById('min-confidence').value);",
        vec![],
    );
    assert_eq!(
        slider.as_f64(),
        Some(threshold),
        "the slider reopens where it was"
    );
    assert_eq!(drawn_edges(&browser), kept_edges, "the reopened view");

    // When the reader opens the connection reported by the most documents
    browser.goto(&format!("{base}/explore?actor=KFOR"));
    assert_eq!(settled_summary(&browser)["state"], "ready");
    let best = scored
        .iter()
        .filter(|r| r["subject"].is_object() && r["object"].is_object())
        .max_by_key(|r| r["corroboration"]["documentCount"].as_u64().unwrap())
        .unwrap();
    let documents = best["corroboration"]["documentCount"].as_u64().unwrap();
    let outlets = best["corroboration"]["sourceCount"].as_u64().unwrap();
    let id = format!(
        "{}>{}>{}",
        best["subject"]["id"].as_str().unwrap(),
        best["object"]["id"].as_str().unwrap(),
        best["kind"].as_str().unwrap()
    );
    let drawn = browser.js(
        "const e = window.newsgraphExplorer.cy.getElementById(arguments[0]);
         e.emit('tap');
         return { documents: e.data('documents'), label: e.data('label') };",
        vec![json!(id)],
    );
    // Then its label and its panel give the API's document count
    assert_eq!(drawn["documents"].as_u64(), Some(documents), "{drawn}");
    if documents > 1 {
        assert!(
            drawn["label"]
                .as_str()
                .unwrap()
                .contains(&format!("{documents} docs, {outlets} outlet")),
            "the label names the corroboration: {drawn}"
        );
    }
    let panel = browser.wait_until(
        "the edge panel's corroboration",
        "const c = document.querySelector('#evidence .corroboration');
         return c ? { documents: Number(c.dataset.documents), outlets: Number(c.dataset.outlets), text: c.textContent,
                      confidences: document.querySelectorAll('#panel .evidence .confidence-tag').length,
                      sentences: document.querySelectorAll('#panel .evidence .sentence').length } : null;",
        STEP,
        |v| v.is_object(),
    );
    assert_eq!(
        (panel["documents"].as_u64(), panel["outlets"].as_u64()),
        (Some(documents), Some(outlets)),
        "{panel}"
    );
    assert!(
        panel["text"]
            .as_str()
            .unwrap()
            .contains(&format!("{documents} document")),
        "{panel}"
    );
    assert_eq!(
        panel["confidences"], panel["sentences"],
        "each relation's confidence is listed: {panel}"
    );

    // At phone size the same view is usable (panels stack)
    browser.viewport(390, 844, true);
    browser.goto(&format!("{base}/explore?actor=KFOR&depth=2"));
    let summary = settled_summary(&browser);
    assert_eq!(summary["state"], "ready", "{summary}");
    let layout = browser.js(
        "const g = document.querySelector('.graph-pane').getBoundingClientRect();
         const p = document.getElementById('panel').getBoundingClientRect();
         return { stacked: p.top >= g.bottom - 1, fits: document.documentElement.scrollWidth <= window.innerWidth };",
        vec![],
    );
    assert_eq!(
        layout,
        json!({ "stacked": true, "fits": true }),
        "phone layout"
    );
    let chart = panel_timeline(&browser);
    let plot_width = chart["width"].as_f64().unwrap();
    assert!(
        (200.0..=390.0).contains(&plot_width),
        "the timeline spans the phone's panel: {chart}"
    );
    browser.js(
        "document.querySelector('#panel .timeline').scrollIntoView({ block: 'start' });",
        vec![],
    );
    browser.screenshot(&artefacts().join("explorer-phone-timeline.png"));
    browser.js("window.scrollTo(0, 0);", vec![]);
    browser.screenshot(&artefacts().join("explorer-phone.png"));
    // And the filters, confidence slider included, open within the phone's width
    let filters = browser.wait_for("#filters-toggle", STEP);
    browser.click(&filters);
    let slider = browser.js(
        "const r = document.getElementById('min-confidence').getBoundingClientRect();
         return { visible: r.width > 0, fits: r.right <= window.innerWidth
                  && document.documentElement.scrollWidth <= window.innerWidth };",
        vec![],
    );
    assert_eq!(
        slider,
        json!({ "visible": true, "fits": true }),
        "phone filters"
    );
    browser.screenshot(&artefacts().join("explorer-phone-filters.png"));

    // When the server goes away under an open page
    browser.viewport(1280, 800, false);
    let status = server.terminate();
    assert!(status.success(), "the server stopped cleanly: {status}");
    let search = browser.wait_for("#search", STEP);
    browser.clear(&search);
    browser.type_into(&search, "serb");
    // Then a clear message says so
    let banner = browser.wait_until(
        "the server-unreachable banner",
        "const b = document.getElementById('banner'); return b.hidden ? null : b.innerText;",
        STEP,
        |v| v.is_string(),
    );
    assert!(
        banner
            .as_str()
            .unwrap()
            .contains("Can't reach the newsgraph server"),
        "{banner}"
    );
}
