//! In-process timing of the load bench's queries (`benches/load.rs`): the
//! GraphQL cost of each question without HTTP, to see where a request's
//! time goes.
//!
//! ```sh
//! cargo run --release -p newsgraph --example execute_timing -- \
//!     [STORE (target/bench-store-100000)] [REQUESTS (3000)] [QUERY]
//! ```
//!
//! Opens the store (the load bench builds it), then runs each query type
//! REQUESTS times, one at a time, through `newsgraph_graphql::execute` and
//! JSON serialisation, and prints mean, p50 and p99 in microseconds. The
//! 1-hop query runs twice: with the id in the text (parsed every time) and
//! as a fixed text with a variable (parsed once).

// A timing program: a failed step ends it with a message.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::sync::Arc;
use std::time::Instant;

use async_graphql::{Request, Variables};
use newsgraph_graphql::{build_schema, execute, Limits, NewsgraphSchema};
use newsgraph_store::Store;
use serde_json::{json, Value};

// The binary's adapters, so that the schema here is the server's (not the
// counting the server's metrics add).
#[path = "../src/adapters.rs"]
#[allow(dead_code)]
mod adapters;

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

async fn ids(schema: &NewsgraphSchema, list: &str) -> Vec<String> {
    let query = format!("{{ {list}(first: 1000) {{ nodes {{ id }} }} }}");
    let answer = serde_json::to_value(execute(schema, Request::new(query)).await).unwrap();
    answer["data"][list]["nodes"]
        .as_array()
        .expect("a list of ids")
        .iter()
        .map(|node| node["id"].as_str().unwrap().to_owned())
        .collect()
}

fn main() {
    let mut args = std::env::args().skip(1);
    let db = args.next().unwrap_or("target/bench-store-100000".into());
    let n: usize = args.next().map_or(3000, |s| s.parse().expect("REQUESTS"));
    let only = args.next();
    let store = Arc::new(Store::open(&db).expect("opening the store"));
    let schema = build_schema(adapters::ports(store), Limits::default());
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let actors = ids(&schema, "actors").await;
        let documents = ids(&schema, "documents").await;
        assert!(!actors.is_empty() && !documents.is_empty(), "{db} is empty");
        let mut seed = 0x9e37_79b9_7f4a_7c15u64;
        let mut pick = |items: &[String]| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            items[(seed % items.len() as u64) as usize].clone()
        };
        let one_hop = "query($a: ID!) { actor(id: $a) { relations(first: 50) { nodes { id kind subject { name } object { name } } } } }";
        for kind in ["typename", "one_hop", "one_hop_variables", "two_hop_count", "shortest_path", "document"] {
            if only.as_deref().is_some_and(|o| o != kind) {
                continue;
            }
            let requests: Vec<(String, Value)> = (0..n)
                .map(|_| match kind {
                    "typename" => ("{ __typename }".to_owned(), json!({})),
                    "one_hop" => (one_hop.replace("query($a: ID!) ", "").replace("$a", &format!("\"{}\"", pick(&actors))), json!({})),
                    "one_hop_variables" => (one_hop.to_owned(), json!({ "a": pick(&actors) })),
                    "two_hop_count" => (format!("{{ neighborhood(actor: \"{}\", depth: 2) {{ actorCount }} }}", pick(&actors)), json!({})),
                    "shortest_path" => (format!("{{ shortestPath(from: \"{}\", to: \"{}\", maxHops: 6) {{ length relations {{ id }} }} }}", pick(&actors), pick(&actors)), json!({})),
                    _ => (format!("{{ document(id: \"{}\") {{ relations {{ nodes {{ id kind }} }} }} }}", pick(&documents)), json!({})),
                })
                .collect();
            let mut micros = Vec::with_capacity(n);
            for (query, variables) in requests {
                let started = Instant::now();
                let request = Request::new(query).variables(Variables::from_json(variables));
                let response = execute(&schema, request).await;
                let bytes = serde_json::to_vec(&response).unwrap();
                std::hint::black_box(bytes);
                micros.push(started.elapsed().as_secs_f64() * 1e6);
                assert!(response.errors.is_empty(), "{:?}", response.errors);
            }
            micros.sort_by(f64::total_cmp);
            let mean = micros.iter().sum::<f64>() / n as f64;
            println!(
                "{kind:18} mean {mean:7.1} µs  p50 {:7.1} µs  p99 {:7.1} µs",
                micros[n / 2],
                micros[n * 99 / 100]
            );
        }
    });
}
