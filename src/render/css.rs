//! Style sheets minified without a CSS parser: comments are removed and whitespace is
//! collapsed, then dropped where CSS does not need it. Strings, unquoted `url(…)` and escapes
//! are copied as written; nothing else (colours, numbers, rules) is rewritten.
//!
//! A `;` before `}` goes, as do empty declarations (`;;`). A space is dropped only next to a character that always ends a token (`{ } ; , ( [ ) ] !`),
//! after the `:` of a declaration or of an at-rule's condition (`(max-width: 40em)`), around
//! `=` (and before `^= $= *= |= ~=`) inside `[…]`, and around the selector combinators `> ~ +` outside declarations (`+`
//! only outside parentheses: `calc(1px + 2px)` and `:nth-child(2n + 1)` keep theirs). A space
//! before `(` is kept (`and (`: `and(` would be a function), as is one before `:` (`a :hover`
//! is not `a:hover`) and every descendant combinator. A comment with no whitespace on either
//! side that separates two characters which would otherwise run together stays as `/**/`.

/// What the innermost `{…}` block holds.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Block {
    /// Rules (top level, `@media`, `@supports`, `@keyframes` …): selectors and at-rules.
    Rules,
    /// Declarations (a style rule, `@font-face`, `@page` …).
    Declarations,
}

/// At-rules whose block holds rules rather than declarations (besides `…keyframes`).
const RULE_BLOCKS: &[&[u8]] = &[
    b"media",
    b"supports",
    b"layer",
    b"container",
    b"document",
    b"-moz-document",
    b"scope",
    b"starting-style",
];

fn is_ws(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r' | b'\x0c')
}

fn is_ident(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'-' || b == b'_' || b >= 0x80
}

struct Writer {
    out: Vec<u8>,
    /// Whitespace (or a comment) was read since the last character written.
    space: bool,
    /// A `;` was read and not yet written: dropped before `}`.
    semicolon: bool,
    blocks: Vec<Block>,
    /// Where the current statement (selector, at-rule prelude or declaration) starts in `out`.
    statement: usize,
    parens: usize,
    brackets: usize,
}

impl Writer {
    fn in_declarations(&self) -> bool {
        self.blocks.last() == Some(&Block::Declarations)
    }

    /// Whether the pending space must be written before `next`.
    fn keep_space(&self, next: u8) -> bool {
        let Some(&last) = self.out.last() else {
            return false;
        };
        if b"{};,([!".contains(&last) || b"{};,)]!".contains(&next) {
            return false;
        }
        let at_rule = self.out.get(self.statement) == Some(&b'@');
        if last == b':' && (self.in_declarations() || at_rule) {
            return false;
        }
        if self.brackets > 0 && (last == b'=' || b"=^$*|~".contains(&next)) {
            return false;
        }
        if !self.in_declarations() {
            if b">~".contains(&last) || b">~".contains(&next) {
                return false;
            }
            if self.parens == 0 && (last == b'+' || next == b'+') {
                return false;
            }
        }
        true
    }

    /// Write what is pending (a held `;`, a space) before `next`.
    fn flush(&mut self, next: u8) {
        if self.semicolon {
            self.semicolon = false;
            if next != b'}' {
                self.out.push(b';');
                self.statement = self.out.len();
            }
            self.space = false;
        }
        if self.space {
            self.space = false;
            if self.keep_space(next) {
                self.out.push(b' ');
            }
        }
    }

    /// The kind of block a `{` opens here.
    fn block_kind(&self) -> Block {
        if self.in_declarations() {
            return Block::Declarations;
        }
        let prelude = &self.out[self.statement.min(self.out.len())..];
        let Some(rest) = prelude.strip_prefix(b"@") else {
            return Block::Declarations;
        };
        let name: Vec<u8> = rest
            .iter()
            .take_while(|b| is_ident(**b))
            .map(u8::to_ascii_lowercase)
            .collect();
        if RULE_BLOCKS.contains(&name.as_slice()) || name.ends_with(b"keyframes") {
            Block::Rules
        } else {
            Block::Declarations
        }
    }

    /// Whether `out` ends with the function name `url`.
    fn after_url(&self) -> bool {
        let n = self.out.len();
        n >= 3
            && self.out[n - 3..].eq_ignore_ascii_case(b"url")
            && (n == 3 || !is_ident(self.out[n - 4]))
    }
}

/// Minify style sheet `css` (see the module docs for what is removed and what is kept).
pub fn minify(css: &str) -> String {
    let b = css.as_bytes();
    let mut w = Writer {
        out: Vec::with_capacity(b.len()),
        space: false,
        semicolon: false,
        blocks: Vec::new(),
        statement: 0,
        parens: 0,
        brackets: 0,
    };
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        if is_ws(c) {
            w.space = true;
            i += 1;
        } else if c == b'/' && b.get(i + 1) == Some(&b'*') {
            let end = css[i + 2..].find("*/").map_or(b.len(), |p| i + 2 + p + 2);
            let joins = match (w.out.last(), b.get(end)) {
                (Some(l), Some(r)) => {
                    !w.space && !is_ws(*r) && !b"{};,:([".contains(l) && !b"{};,:)]".contains(r)
                }
                _ => false,
            };
            if joins {
                w.flush(b'/');
                w.out.extend_from_slice(b"/**/");
            }
            i = end;
        } else if c == b'"' || c == b'\'' {
            w.flush(c);
            let start = i;
            i += 1;
            while i < b.len() && b[i] != c && b[i] != b'\n' {
                i += if b[i] == b'\\' { 2 } else { 1 };
            }
            i = (i + usize::from(i < b.len() && b[i] == c)).min(b.len());
            w.out.extend_from_slice(&b[start..i]);
        } else if c == b'\\' {
            w.flush(c);
            let start = i;
            i += 1;
            let hex = b[i..]
                .iter()
                .take(6)
                .take_while(|x| x.is_ascii_hexdigit())
                .count();
            if hex > 0 {
                i += hex;
                // One whitespace after a hex escape belongs to it.
                if b[i..].starts_with(b"\r\n") {
                    i += 2;
                } else if i < b.len() && is_ws(b[i]) {
                    i += 1;
                }
            } else if i < b.len() {
                i += css[i..].chars().next().map_or(1, char::len_utf8);
            }
            w.out.extend_from_slice(&b[start..i]);
        } else if c == b';' {
            // Empty declarations (`;;`) are nothing; elsewhere a `;` may start a rule.
            if !(w.semicolon && w.in_declarations()) {
                w.flush(c);
            }
            w.semicolon = true;
            w.space = false;
            i += 1;
        } else {
            w.flush(c);
            match c {
                b'{' => {
                    let kind = w.block_kind();
                    w.blocks.push(kind);
                }
                b'}' => {
                    w.blocks.pop();
                }
                b'(' if w.after_url() => {
                    let rest = &b[i + 1..];
                    let first = rest.iter().position(|x| !is_ws(*x));
                    if !first.is_some_and(|p| rest[p] == b'"' || rest[p] == b'\'') {
                        // An unquoted URL: copied as written, up to its `)`.
                        let mut j = i + 1;
                        while j < b.len() && b[j] != b')' {
                            j += if b[j] == b'\\' { 2 } else { 1 };
                        }
                        let end = (j + 1).min(b.len());
                        w.out.extend_from_slice(&b[i..end]);
                        i = end;
                        continue;
                    }
                    w.parens += 1;
                }
                b'(' => w.parens += 1,
                b')' => w.parens = w.parens.saturating_sub(1),
                b'[' => w.brackets += 1,
                b']' => w.brackets = w.brackets.saturating_sub(1),
                _ => {}
            }
            w.out.push(c);
            i += 1;
            if c == b'{' || c == b'}' {
                w.statement = w.out.len();
                w.parens = 0;
                w.brackets = 0;
            }
        }
    }
    if w.semicolon {
        w.out.push(b';');
    }
    // Only ASCII bytes were dropped or inserted, so the text is still UTF-8.
    String::from_utf8(w.out).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

#[cfg(test)]
mod tests {
    use super::minify;

    #[test]
    fn table() {
        let cases: &[(&str, &str)] = &[
            // Rules, declarations, the last `;`.
            ("a { color : red ; }", "a{color :red}"),
            (
                "a {\n  color: red;\n  margin: 0 auto;\n}\n",
                "a{color:red;margin:0 auto}",
            ),
            ("a{color:red;;b:c ; ;}", "a{color:red;b:c}"),
            ("@import x;;a{}", "@import x;;a{}"),
            ("  \n", ""),
            // Comments.
            (
                "/* head */ a { /* x */ color: red /* y */; }",
                "a{color:red}",
            ),
            ("a/**/b{}", "a/**/b{}"),
            ("a/**/.b{}", "a/**/.b{}"),
            ("a /**/b{} c/**/ d{}", "a b{}c d{}"),
            ("a{color:red/**/}", "a{color:red}"),
            ("a{}/* unclosed", "a{}"),
            // Strings keep everything, escaped quotes included.
            (
                r#"a::after { content: "a  /* b */" }"#,
                r#"a::after{content:"a  /* b */"}"#,
            ),
            (r#"a{content:'it\'s  ; }'}"#, r#"a{content:'it\'s  ; }'}"#),
            (
                r#"a { content: attr(x) "：" ; }"#,
                r#"a{content:attr(x) "："}"#,
            ),
            // url(…): unquoted copied as written, quoted as a string.
            (
                "a { background: url( a b.png ) no-repeat }",
                "a{background:url( a b.png ) no-repeat}",
            ),
            ("a{b:url(data:x;y/*z*/)}", "a{b:url(data:x;y/*z*/)}"),
            ("a { b: url( \"x y\" ) }", "a{b:url(\"x y\")}"),
            ("a { b: myurl( x ) }", "a{b:myurl(x)}"),
            // At-rules: `and (` keeps its space; a condition's colon does not.
            (
                "@media screen and (max-width: 48em) { a { b: c } }",
                "@media screen and (max-width:48em){a{b:c}}",
            ),
            (
                "@media (prefers-reduced-motion: reduce) {\n  *, *::before { animation: none !important; }\n}",
                "@media (prefers-reduced-motion:reduce){*,*::before{animation:none!important}}",
            ),
            (
                "@supports (display: grid) and (not (gap: 1px)) { a { b: c } }",
                "@supports (display:grid) and (not (gap:1px)){a{b:c}}",
            ),
            (
                "@media (width > 40em) { a > b { c: d } }",
                "@media (width>40em){a>b{c:d}}",
            ),
            ("@import url(x.css) screen;", "@import url(x.css) screen;"),
            ("@charset \"utf-8\";\na{}", "@charset \"utf-8\";a{}"),
            (
                "@font-face { font-family: x; src: url(x.woff2) format(\"woff2\") }",
                "@font-face{font-family:x;src:url(x.woff2) format(\"woff2\")}",
            ),
            (
                "@keyframes k { from { a: b } 50% { a: c } }",
                "@keyframes k{from{a:b}50%{a:c}}",
            ),
            ("@page :first { margin: 1in }", "@page :first{margin:1in}"),
            // !important.
            ("a { b: c ! important }", "a{b:c!important}"),
            // calc(): spaces around + and - are part of the value.
            (
                "a { width: calc( 100% - 2 * 1px + 3px ) }",
                "a{width:calc(100% - 2 * 1px + 3px)}",
            ),
            (
                "a { margin: 0 -1px; top: +1px }",
                "a{margin:0 -1px;top:+1px}",
            ),
            (
                "a { width: calc(1px + (2px - 3px)) }",
                "a{width:calc(1px + (2px - 3px))}",
            ),
            // Selectors: combinators, attribute selectors, pseudo-classes.
            ("ul  li , ol > li + li ~ p { }", "ul li,ol>li+li~p{}"),
            (
                "a [ href ^= \"http\" ] , b[ x = y ] { }",
                "a [href^=\"http\"],b[x=y]{}",
            ),
            ("a[title~=\"x  y\"] {}", "a[title~=\"x  y\"]{}"),
            ("a :hover, a:not( .b ) c {}", "a :hover,a:not(.b) c{}"),
            ("li:nth-child( 2n + 1 ) {}", "li:nth-child(2n + 1){}"),
            (
                "html.hc .care button[aria-pressed=\"true\"] {}",
                "html.hc .care button[aria-pressed=\"true\"]{}",
            ),
            // Escapes: an escaped space or a hex escape's own space is kept.
            (".a\\ b {}", ".a\\ b{}"),
            (".\\31 23 {}", ".\\31 23{}"),
            (".\\31   a {}", ".\\31  a{}"),
            (".a\\:b:hover {}", ".a\\:b:hover{}"),
            // Custom properties and nesting.
            (
                "a { --x: 1px  2px ; b: var( --x ) }",
                "a{--x:1px 2px;b:var(--x)}",
            ),
            ("a { b: c; & > d { e: f } }", "a{b:c;& > d{e:f}}"),
            // Non-ASCII text.
            (
                "a::after { content: \"：\" } .标题  b {}",
                "a::after{content:\"：\"}.标题 b{}",
            ),
        ];
        // lightningcss (through minify-html) parses CSS: it must read the same style sheet in
        // both. It leaves a sheet it cannot parse as written; those cases are listed.
        let reference = crate::render::minify::reference::minify_css_reference;
        let mut unparsed = Vec::new();
        for (input, want) in cases {
            assert_eq!(minify(input), *want, "{input}");
            // Minifying twice changes nothing.
            assert_eq!(minify(want), *want, "{want}");
            let theirs = reference(input);
            if theirs == *input {
                unparsed.push(*input);
            } else {
                assert_eq!(reference(want), theirs, "{input}");
            }
        }
        // (A stray `;`, two names run together and a space in an unquoted URL are invalid CSS;
        // lightningcss also leaves a `url(…)` holding `/*` as written.)
        assert_eq!(
            unparsed,
            [
                "@import x;;a{}",
                "a/**/b{}",
                "a { background: url( a b.png ) no-repeat }",
                "a{b:url(data:x;y/*z*/)}",
            ]
        );
    }

    #[test]
    fn cut_anywhere_never_panics() {
        let css = "@media (a: b) { a[x=\"y\"]::after { content: \"\\\"é\"; b: url(x y) } } /* c */ .\\31 a {}";
        for (i, _) in css.char_indices() {
            let _ = minify(&css[..i]);
        }
        for s in ["\\", "\"", "/*", "url(", "a{b:url(\\", "'\\", "\\3", "\\\r"] {
            let _ = minify(s);
        }
    }

    #[test]
    fn builtin_style_sheet_shrinks() {
        let css = include_str!("../../themes/default/static/style.css");
        let min = minify(css);
        assert!(
            min.len() * 10 < css.len() * 9,
            "{} of {}",
            min.len(),
            css.len()
        );
        assert_eq!(minify(&min), min);
        assert!(!min.contains("/*") && !min.contains('\n'));
    }
}
