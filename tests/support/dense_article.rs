//! A generated article with plenty of fan-out, shared by the GraphQL unit
//! tests and the API end-to-end tests (included with `#[path]`).

/// Countries the gazetteer knows, for generated articles.
const COUNTRIES: [&str; 30] = [
    "France",
    "Germany",
    "Italy",
    "Spain",
    "Poland",
    "Austria",
    "Greece",
    "Turkey",
    "Hungary",
    "Romania",
    "Bulgaria",
    "Croatia",
    "Portugal",
    "Belgium",
    "Netherlands",
    "Denmark",
    "Sweden",
    "Norway",
    "Finland",
    "Ireland",
    "Estonia",
    "Latvia",
    "Lithuania",
    "Slovakia",
    "Slovenia",
    "Albania",
    "Montenegro",
    "Moldova",
    "Georgia",
    "Armenia",
];

/// An article in which each of the 30 countries urges the next `per`
/// ones (around the list) to sign a numbered accord: 30 × `per` requests
/// among 30 actors, every country with 2 × `per` neighbours.
pub fn dense_article(per: usize) -> String {
    let mut body = String::from("Ministers meet in Vienna\n\n");
    let n = COUNTRIES.len();
    for i in 0..n {
        for d in 1..=per {
            body.push_str(&format!(
                "{} urged {} to sign accord number {}. ",
                COUNTRIES[i],
                COUNTRIES[(i + d) % n],
                i * per + d
            ));
        }
    }
    body.push('\n');
    body
}
