//! XML text escaping for the sitemap and the feed, and the escaped length the route table
//! needs to split the sitemap into files of a bounded size before anything is rendered.

/// `s` with `& < > " '` escaped.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(escaped_len(s));
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c => out.push(c),
        }
    }
    out
}

/// The length in bytes of [`escape`]`(s)`, without building it.
pub fn escaped_len(s: &str) -> usize {
    s.len()
        + s.bytes()
            .map(|b| match b {
                b'&' => 4,
                b'<' | b'>' => 3,
                b'"' | b'\'' => 5,
                _ => 0,
            })
            .sum::<usize>()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn length_matches_the_escaped_text() {
        for s in [
            "",
            "a&b",
            "<x y=\"1\" z='2'>",
            "中文&amp;",
            "&&&'''\"\"\"<<>>",
        ] {
            assert_eq!(escape(s).len(), escaped_len(s), "{s}");
        }
        assert_eq!(escape("a<b>&\"'"), "a&lt;b&gt;&amp;&quot;&apos;");
    }
}
