#![doc = include_str!("../README.md")]
#![deny(missing_docs)]

mod analysis;
pub mod augment;
pub mod clusters;
pub mod combine;
pub mod conllu;
pub mod eval;
pub mod features;
pub mod model;
mod pages;
pub mod parser;
pub mod perceptron;
pub mod tagger;
pub mod tokenize;
mod upos;

use std::sync::OnceLock;

pub use analysis::{Analysis, Word};
pub use model::{Model, ModelError};
pub use upos::Upos;

/// The model trained from UD English EWT (`model/en_ewt.ngsm`, built by
/// `examples/train.rs`), compiled into the binary.
const ENGLISH: &[u8] = include_bytes!("../model/en_ewt.ngsm");

static MODEL: OnceLock<Result<Model, ModelError>> = OnceLock::new();

/// The English model, read on first use and shared afterwards.
pub fn english() -> Result<&'static Model, &'static ModelError> {
    MODEL.get_or_init(|| Model::from_bytes(ENGLISH)).as_ref()
}
