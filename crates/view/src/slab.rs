//! The relation records: a slab with an id index.

use newsgraph_model::{Relation, RelationId};
use petgraph::stable_graph::EdgeIndex;

use crate::Map;

/// Relation records per chunk of the slab.
const CHUNK: usize = 4096;

pub(crate) type Record = (Relation, Option<EdgeIndex>);

/// The relations: records in a slab (no per-entry overhead beyond the
/// record; freed slots are reused) and an id index into it. The slab grows
/// by fixed chunks, so a rebuild never moves a record once placed (a
/// doubling vector, or a hash map of records, would copy them all again at
/// each growth and need up to twice the memory).
#[derive(Debug, Default)]
pub(crate) struct Relations {
    pub(crate) chunks: Vec<Vec<Option<Record>>>,
    pub(crate) index: Map<RelationId, u32>,
    pub(crate) free: Vec<u32>,
}

impl Relations {
    pub(crate) fn len(&self) -> usize {
        self.index.len()
    }

    pub(crate) fn contains(&self, id: RelationId) -> bool {
        self.index.contains_key(&id)
    }

    pub(crate) fn slot(&self, slot: u32) -> Option<&Record> {
        let slot = slot as usize;
        self.chunks.get(slot / CHUNK)?.get(slot % CHUNK)?.as_ref()
    }

    pub(crate) fn slot_mut(&mut self, slot: u32) -> Option<&mut Option<Record>> {
        let slot = slot as usize;
        self.chunks.get_mut(slot / CHUNK)?.get_mut(slot % CHUNK)
    }

    pub(crate) fn get(&self, id: RelationId) -> Option<&Record> {
        self.slot(*self.index.get(&id)?)
    }

    /// Places a record in a free slot (or a new one) without indexing it.
    pub(crate) fn place(&mut self, record: Record) -> u32 {
        if let Some(slot) = self.free.pop() {
            if let Some(free) = self.slot_mut(slot) {
                *free = Some(record);
                return slot;
            }
        }
        if self.chunks.last().is_none_or(|c| c.len() == CHUNK) {
            self.chunks.push(Vec::with_capacity(CHUNK));
        }
        let n = self.chunks.len() - 1;
        let last = &mut self.chunks[n];
        last.push(Some(record));
        (n * CHUNK + last.len() - 1) as u32
    }

    /// Adds a relation whose id is not present; returns its slot.
    pub(crate) fn insert(&mut self, rel: Relation, edge: Option<EdgeIndex>) -> u32 {
        let id = rel.id;
        let slot = self.place((rel, edge));
        self.index.insert(id, slot);
        slot
    }

    pub(crate) fn remove(&mut self, id: RelationId) -> Option<Record> {
        let slot = self.index.remove(&id)?;
        let record = self.slot_mut(slot)?.take();
        self.free.push(slot);
        record
    }

    pub(crate) fn values(&self) -> impl Iterator<Item = &Record> {
        self.chunks.iter().flatten().flatten()
    }
}
