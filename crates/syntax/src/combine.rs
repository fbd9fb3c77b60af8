//! Two readings of one sentence made into one tree: the forward parser's
//! and the backward parser's (the same greedy parser trained on sentences
//! read from their end). They err in different places — a greedy reader
//! commits early, and the two commit at opposite ends — so where they
//! disagree on a word's head the one more sure of its move is usually
//! right (Sagae & Lavie 2006 combine parsers by their votes; with two,
//! the margins break the tie).
//!
//! The forward tree is the starting point and always a tree, so every
//! choice of the backward reading that would break it (a second root, a
//! cycle) is taken back, least sure first.

use crate::parser::Arcs;

/// How much a backward margin counts against a forward one (chosen on
/// EWT dev: the backward parser is the weaker of the two).
pub const BACKWARD_WEIGHT: f32 = 0.8;

/// One tree from the two readings and the margin of the move that
/// attached each word in each. A word takes the backward reading's head
/// (and label) where its weighted margin is the larger; where the two
/// agree on the head, the label comes from the surer reading.
pub fn combine(
    forward: &Arcs,
    forward_margins: &[f32],
    backward: &Arcs,
    backward_margins: &[f32],
) -> Arcs {
    let n = forward.heads.len();
    if backward.heads.len() != n
        || backward.labels.len() != n
        || forward.labels.len() != n
        || forward_margins.len() != n
        || backward_margins.len() != n
    {
        return forward.clone();
    }
    let mut out = forward.clone();
    // How much surer the backward reading is, for the words that take it.
    let mut taken: Vec<Option<f32>> = vec![None; n];
    for d in 0..n {
        let lead = BACKWARD_WEIGHT * backward_margins[d] - forward_margins[d];
        if lead <= 0.0 {
            continue;
        }
        if backward.heads[d] != forward.heads[d] {
            out.heads[d] = backward.heads[d];
            taken[d] = Some(lead);
        }
        out.labels[d] = backward.labels[d];
    }
    // One root: the forward reading's.
    for d in 0..n {
        if taken[d].is_some() && (out.heads[d] == 0 || forward.heads[d] == 0) {
            take_back(&mut out, forward, &mut taken, d);
        }
    }
    while let Some(cycle) = find_cycle(&out.heads) {
        let least_sure = cycle
            .iter()
            .copied()
            .filter_map(|d| taken[d].map(|lead| (d, lead)))
            .min_by(|a, b| a.1.total_cmp(&b.1));
        match least_sure {
            Some((d, _)) => take_back(&mut out, forward, &mut taken, d),
            // Cannot happen (the forward tree has no cycle), but never loop.
            None => return forward.clone(),
        }
    }
    out
}

fn take_back(out: &mut Arcs, forward: &Arcs, taken: &mut [Option<f32>], d: usize) {
    out.heads[d] = forward.heads[d];
    out.labels[d] = forward.labels[d];
    taken[d] = None;
}

/// The words (0-based) of a cycle in `heads` (1-based heads, 0 the root),
/// if there is one. A head out of range ends the walk like the root.
fn find_cycle(heads: &[u32]) -> Option<Vec<usize>> {
    let n = heads.len();
    // 0: not seen, 1: on the current walk, 2: leads to the root.
    let mut state = vec![0u8; n];
    for start in 0..n {
        let mut walk = Vec::new();
        let mut at = start;
        loop {
            match state[at] {
                2 => break,
                1 => {
                    let from = walk.iter().position(|&w| w == at).unwrap_or(0);
                    return Some(walk[from..].to_vec());
                }
                _ => {}
            }
            state[at] = 1;
            walk.push(at);
            let h = heads[at] as usize;
            if h == 0 || h > n {
                break;
            }
            at = h - 1;
        }
        for w in walk {
            state[w] = 2;
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn arcs(heads: &[u32], labels: &[u8]) -> Arcs {
        Arcs {
            heads: heads.to_vec(),
            labels: labels.to_vec(),
        }
    }

    #[test]
    fn the_surer_reading_gives_the_head_and_the_label() {
        // "saw her duck": forward hangs "duck" from "her", backward from
        // "saw", more surely.
        let forward = arcs(&[0, 1, 2], &[0, 1, 2]);
        let backward = arcs(&[0, 1, 1], &[0, 1, 3]);
        let out = combine(&forward, &[9.0, 9.0, 1.0], &backward, &[9.0, 9.0, 5.0]);
        assert_eq!(out, arcs(&[0, 1, 1], &[0, 1, 3]));
        // Less sure: the forward reading stays.
        let out = combine(&forward, &[9.0, 9.0, 5.0], &backward, &[9.0, 9.0, 5.0]);
        assert_eq!(out, forward);
    }

    #[test]
    fn agreeing_heads_take_the_surer_label() {
        let forward = arcs(&[0, 1], &[0, 4]);
        let backward = arcs(&[0, 1], &[0, 5]);
        let out = combine(&forward, &[3.0, 1.0], &backward, &[3.0, 2.0]);
        assert_eq!(out, arcs(&[0, 1], &[0, 5]));
    }

    #[test]
    fn a_second_root_is_taken_back() {
        let forward = arcs(&[0, 1, 2], &[0, 1, 1]);
        let backward = arcs(&[0, 1, 0], &[0, 1, 0]);
        let out = combine(&forward, &[5.0, 5.0, 1.0], &backward, &[5.0, 5.0, 9.0]);
        assert_eq!(out, forward);
        // Nor does the forward root move under another word.
        let backward = arcs(&[3, 0, 2], &[1, 0, 1]);
        let out = combine(&forward, &[1.0, 5.0, 5.0], &backward, &[9.0, 1.0, 1.0]);
        assert_eq!(out, forward);
    }

    #[test]
    fn a_cycle_loses_its_least_sure_backward_choice() {
        // Forward: 2 and 3 under the root word 1, 4 under 3. Backward
        // hangs 2 from 4 (lead 4.0) and 4 from 2 (lead 1.6): a cycle; the
        // weaker choice goes, the stronger stays.
        let forward = arcs(&[0, 1, 1, 3], &[0, 1, 1, 1]);
        let backward = arcs(&[0, 4, 1, 2], &[0, 2, 1, 2]);
        let out = combine(
            &forward,
            &[9.0, 0.0, 9.0, 0.0],
            &backward,
            &[9.0, 5.0, 9.0, 2.0],
        );
        assert_eq!(out, arcs(&[0, 4, 1, 3], &[0, 2, 1, 1]));
        let out = combine(
            &forward,
            &[9.0, 0.0, 9.0, 0.0],
            &backward,
            &[9.0, 2.0, 9.0, 5.0],
        );
        assert_eq!(out, arcs(&[0, 1, 1, 2], &[0, 1, 1, 2]));
    }

    #[test]
    fn readings_of_other_lengths_leave_the_forward_tree() {
        let forward = arcs(&[0, 1], &[0, 1]);
        let backward = arcs(&[0], &[0]);
        assert_eq!(combine(&forward, &[1.0, 1.0], &backward, &[9.0]), forward);
    }

    #[test]
    fn cycles_are_found() {
        assert_eq!(find_cycle(&[0, 1, 2]), None);
        assert_eq!(find_cycle(&[0, 3, 2]), Some(vec![1, 2]));
        assert_eq!(find_cycle(&[2, 1]), Some(vec![0, 1]));
        assert_eq!(find_cycle(&[9, 1]), None);
    }
}
