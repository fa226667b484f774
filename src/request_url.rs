//! The two parts of a request's URL the worker reads, its origin and its query's name/value pairs,
//! taken from the URL text the runtime hands over (already WHATWG-serialized: an ASCII host,
//! percent-encoded). Reading that text here rather than through `url::Url` keeps the `url` crate,
//! `idna` and ICU's Unicode tables out of the worker's wasm; the property test holds [`pairs`] to
//! `form_urlencoded`, which `url`'s `query_pairs` uses.

/// The origin's ASCII serialization, `scheme://host[:port]`, of a serialized absolute URL (user
/// information dropped, as an origin has none). `None` for text without `://`.
pub fn origin(url: &str) -> Option<String> {
    let start = url.find("://")? + 3;
    let end = url[start..].find(['/', '?', '#']).map_or(url.len(), |i| start + i);
    let host = &url[start..end];
    let host = host.rfind('@').map_or(host, |at| &host[at + 1..]);
    Some(format!("{}{host}", &url[..start]))
}

/// The query's pairs in order (`application/x-www-form-urlencoded`): split at `&`, each piece at its
/// first `=`, `+` read as a space, `%XX` as a byte, the bytes as UTF-8 (invalid sequences replaced);
/// empty pieces skipped.
pub fn pairs(url: &str) -> Vec<(String, String)> {
    let Some((_, query)) = url.split_once('?') else { return Vec::new() };
    form_pairs(query.split('#').next().unwrap_or_default())
}

/// The pairs of an `application/x-www-form-urlencoded` text (a query, or a form body), as [`pairs`].
pub fn form_pairs(text: &str) -> Vec<(String, String)> {
    text.split('&')
        .filter(|piece| !piece.is_empty())
        .map(|piece| {
            let (name, value) = piece.split_once('=').unwrap_or((piece, ""));
            (decode(name), decode(value))
        })
        .collect()
}

fn decode(s: &str) -> String {
    let hex = |b: u8| (b as char).to_digit(16);
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        match (b, bytes.get(i + 1).and_then(|&h| hex(h)), bytes.get(i + 2).and_then(|&l| hex(l))) {
            (b'+', _, _) => out.push(b' '),
            (b'%', Some(h), Some(l)) => {
                out.push((h * 16 + l) as u8);
                i += 2;
            }
            _ => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    #[test]
    fn origin_of_serialized_urls() {
        assert_eq!(super::origin("https://onbehalf.example/v1/me?x=1").as_deref(), Some("https://onbehalf.example"));
        assert_eq!(super::origin("http://127.0.0.1:8787/").as_deref(), Some("http://127.0.0.1:8787"));
        assert_eq!(
            super::origin("https://u:p@xn--fsq.example:8443?q").as_deref(),
            Some("https://xn--fsq.example:8443")
        );
        assert_eq!(super::origin("no scheme here"), None);
    }

    proptest! {
        /// The same pairs as `form_urlencoded::parse` (what `Url::query_pairs` returns) for any query
        /// text, escapes, stray `%`, `+`, `=` and non-ASCII included.
        #[test]
        fn pairs_match_form_urlencoded(query in "[a-z0-9=&%+_.~\u{e9}\u{79d1}A-F-]{0,40}") {
            let ours = super::pairs(&format!("http://h/p?{query}"));
            let theirs: Vec<(String, String)> =
                form_urlencoded::parse(query.as_bytes()).map(|(k, v)| (k.into_owned(), v.into_owned())).collect();
            prop_assert_eq!(ours, theirs);
        }
    }
}
