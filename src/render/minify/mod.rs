//! A fast, single-pass HTML minifier for the pages gongkai renders.
//!
//! minify-html builds a full tree of every page and costs about 0.03 ms per KB, which on a
//! provincial site was over a third of the build. This pass streams over the page instead,
//! keeping only a stack of open elements, and does the minifications that matter for size:
//!
//! - whitespace in text is collapsed, trimmed and removed by the rules minify-html uses (they
//!   depend on the parent element: layout elements such as `<ul>` or `<tr>` drop whitespace-only
//!   text, content elements such as `<p>` or `<li>` trim their first and last text, inline
//!   elements such as `<a>` only collapse, and `<pre>`, `<code>`, `<textarea>` keep it as is;
//!   `<svg>` has its own);
//! - comments are removed;
//! - tags are rewritten with single spaces between attributes, empty values written bare and
//!   values unquoted where HTML allows it.
//!
//! Everything else — entities, `<script>`, `<style>`, `<title>`, `<textarea>` contents, doctype —
//! is copied unchanged. So that the rules apply to the elements minify-html sees, the stack
//! follows its reading of the page, malformed or not: end tags that may be left out are closed
//! as it closes them (`<li>a<li>b`, `<p>a<div>`, `<ul><li>a</ul>`), an end tag closes nothing
//! else, and other end tags are stray: kept as written, and the text on both sides of them is
//! one text node. A tag it reads otherwise than a browser (`<3`, `<a.b>`) is copied as written,
//! and a `<script>` or `<textarea>` it ends elsewhere (`</scripts>`) ends the minification:
//! the rest of the page is copied.
//!
//! The result is what a browser reads as the same document: the tests check, over every page
//! of several sites and over generated snippets, that minify-html (run until it settles) gives
//! byte-identical output whether it is fed the original page or this minifier's output, and
//! that the pages come out within 3% of minify-html's size (in practice within 0.01%).

mod rules;
use rules::*;

/// A tag name, lower-cased and kept inline (no allocation per tag). Names longer than the
/// buffer (rare custom elements) keep a prefix and a hash of the whole name: they match their
/// own end tags and no known element.
#[derive(Clone, Copy, PartialEq, Eq)]
struct Name {
    buf: [u8; 32],
    len: u8,
}

impl Name {
    const ROOT: Name = Name {
        buf: [0; 32],
        len: 0,
    };

    fn new(raw: &[u8]) -> Name {
        let mut buf = [0; 32];
        if raw.len() > buf.len() {
            return Name::long(raw);
        }
        for (d, s) in buf.iter_mut().zip(raw) {
            *d = s.to_ascii_lowercase();
        }
        Name {
            buf,
            len: u8::try_from(raw.len()).unwrap_or(u8::MAX),
        }
    }

    #[cold]
    fn long(raw: &[u8]) -> Name {
        let mut buf = [0; 32];
        for (d, s) in buf.iter_mut().zip(raw) {
            *d = s.to_ascii_lowercase();
        }
        // FNV-1a.
        let mut h: u64 = 0xcbf2_9ce4_8422_2325;
        for &b in raw {
            h = (h ^ u64::from(b.to_ascii_lowercase())).wrapping_mul(0x100_0000_01b3);
        }
        buf[24..].copy_from_slice(&h.to_le_bytes());
        Name { buf, len: u8::MAX }
    }

    fn as_bytes(&self) -> &[u8] {
        self.buf.get(..usize::from(self.len)).unwrap_or(b"\xff")
    }
}

/// An open element and the state of its content.
struct Frame {
    /// Tag name (empty for the document root).
    name: Name,
    ws: Ws,
    in_pre: bool,
    /// In minify-html's SVG namespace (`<svg>` and everything inside it).
    svg: bool,
    /// A text or element child has been seen.
    seen_first: bool,
    /// Range in the output of the last child when it is text (`None` when it is an element).
    last_text: Option<(usize, usize)>,
}

impl Frame {
    fn new(name: Name, parent_in_pre: bool, svg: bool) -> Frame {
        let in_pre = parent_in_pre || (name.as_bytes() == b"pre" && !svg);
        let ws = if name.len == 0 {
            LAYOUT
        } else if svg {
            ws_for_svg(name.as_bytes())
        } else {
            ws_for(name.as_bytes(), parent_in_pre)
        };
        Frame {
            name,
            ws,
            in_pre,
            svg,
            seen_first: false,
            last_text: None,
        }
    }
}

/// What has been written of a text node that goes on past tags minify-html drops.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Glue {
    /// Nothing.
    Empty,
    /// Nothing, but whitespace was dropped as a whole: it is one space if text follows.
    Space,
    /// Text.
    Text,
}

struct Minifier<'a> {
    src: &'a [u8],
    pos: usize,
    out: Vec<u8>,
    stack: Vec<Frame>,
    /// Set after text while only tags minify-html drops (stray end tags …) follow it: the
    /// next text is then the same text node to minify-html.
    glue: Option<Glue>,
    /// `<html>`, `<head>` and `<body>` have been opened (minify-html drops later ones).
    seen_html: bool,
    seen_head: bool,
    seen_body: bool,
}

/// Minify one HTML page (UTF-8 bytes). Never fails: markup it does not understand is copied
/// as it is.
pub fn minify(html: impl AsRef<[u8]>) -> Vec<u8> {
    let html = html.as_ref();
    let mut m = Minifier {
        src: html,
        pos: 0,
        out: Vec::with_capacity(html.len()),
        stack: vec![Frame::new(Name::ROOT, false, false)],
        glue: None,
        seen_html: false,
        seen_head: false,
        seen_body: false,
    };
    m.run();
    m.out
}

impl Minifier<'_> {
    fn top(&mut self) -> &mut Frame {
        // The root frame is never popped.
        let i = self.stack.len() - 1;
        &mut self.stack[i]
    }

    fn run(&mut self) {
        let src = self.src;
        while self.pos < src.len() {
            let start = self.pos;
            // Text up to the next `<` that starts markup.
            let mut i = start;
            loop {
                match memchr(b'<', &src[i..]) {
                    None => {
                        i = src.len();
                        break;
                    }
                    Some(k) => {
                        i += k;
                        if starts_markup(&src[i..]) {
                            break;
                        }
                        i += 1;
                    }
                }
            }
            if i > start {
                self.text(start, i);
            }
            self.pos = i;
            if i < src.len() {
                self.markup();
            }
        }
        while self.stack.len() > 1 {
            self.close_top();
        }
    }

    fn text(&mut self, start: usize, end: usize) {
        let src = self.src;
        let t = &src[start..end];
        let f = self.top();
        let ws = f.ws;
        let first = !f.seen_first;
        f.seen_first = true;
        // Text glued to earlier text is one text node with it (dropped only as a whole).
        let glue = self.glue.unwrap_or(Glue::Empty);
        let mut dropped = false;
        let o0 = self.out.len();
        if glue == Glue::Space && t.first().is_some_and(|&b| !is_ws(b)) {
            self.out.push(b' ');
        }
        if ws == SENSITIVE || !t.iter().any(|&b| is_ws(b)) {
            self.out.extend_from_slice(t);
        } else {
            let mut t = t;
            if first && ws.trim {
                let n = t.iter().take_while(|&&b| is_ws(b)).count();
                t = &t[n..];
            }
            if ws.destroy_whole && glue != Glue::Text && t.iter().all(|&b| is_ws(b)) {
                dropped = !t.is_empty();
            } else if ws.collapse {
                // Copy the runs between whitespace whole; each whitespace run becomes a space.
                while !t.is_empty() {
                    let n = t.iter().position(|&b| is_ws(b)).unwrap_or(t.len());
                    self.out.extend_from_slice(&t[..n]);
                    t = &t[n..];
                    if !t.is_empty() {
                        self.out.push(b' ');
                        let k = t.iter().take_while(|&&b| is_ws(b)).count();
                        t = &t[k..];
                    }
                }
            } else {
                self.out.extend_from_slice(t);
            }
        }
        let o1 = self.out.len();
        self.top().last_text = Some((o0, o1));
        self.glue = Some(if o1 > o0 {
            Glue::Text
        } else if dropped || glue == Glue::Space {
            Glue::Space
        } else {
            Glue::Empty
        });
    }

    /// Close the innermost element: trim its last text (its end tag, if any, is written by
    /// the caller).
    fn close_top(&mut self) {
        let Some(f) = self.stack.pop() else { return };
        if f.ws.trim
            && let Some((a, b)) = f.last_text
        {
            let mut e = b;
            while e > a && is_ws(self.out[e - 1]) {
                e -= 1;
            }
            if e < b {
                self.out.drain(e..b);
            }
        }
    }

    fn markup(&mut self) {
        let src = self.src;
        let rest = &src[self.pos..];
        // Only tags minify-html drops keep the text before them open (see `glue`).
        let glue = self.glue.take();
        if rest.starts_with(b"<!--") {
            // Comments are dropped (they separate text nodes, as in minify-html).
            let end = find(&rest[4..], b"-->").map_or(rest.len(), |k| k + 7);
            self.pos += end;
            if self.out.last() == Some(&b'<') && src.get(self.pos).is_some_and(|&b| opens_markup(b))
            {
                // `a <<!-- -->b`: the `<` must not start a tag with what follows.
                self.out.pop();
                self.out.extend_from_slice(b"&lt;");
            }
            return;
        }
        if rest[1] == b'!' || rest[1] == b'?' {
            // Doctype and other declarations, processing instructions: copied.
            let end = if rest[1] == b'?' {
                find(&rest[2..], b"?>").map_or(rest.len(), |k| k + 4)
            } else {
                memchr(b'>', rest).map_or(rest.len(), |k| k + 1)
            };
            self.out.extend_from_slice(&rest[..end]);
            self.pos += end;
            return;
        }
        if rest[1] == b'/' {
            let name_end = 2 + rest[2..].iter().take_while(|&&b| is_name_char(b)).count();
            let end = if name_end == 2 {
                // `</` without a name: to the next `>` (a bogus comment to a browser).
                memchr(b'>', rest).map_or(rest.len(), |k| k + 1)
            } else {
                self.skip_attributes(rest, name_end)
            };
            self.pos += end;
            if name_end > 2 && self.end_tag(Name::new(&rest[2..name_end])) {
                self.out.extend_from_slice(b"</");
                self.out.extend_from_slice(&rest[2..raw_name_end(rest, 2)]);
                self.out.push(b'>');
                self.element_done();
            } else {
                // A stray end tag: kept as written (a browser may act on it, minify-html drops
                // it, and the text on both sides is one text node to it).
                self.out.extend_from_slice(&rest[..end]);
                self.glue = glue;
            }
            return;
        }
        self.start_tag(glue);
    }

    /// Close what end tag `name` closes as minify-html reads it: the current element, after
    /// those whose end tag may be left out before it. False for a stray end tag.
    fn end_tag(&mut self, name: Name) -> bool {
        loop {
            let n = self.stack.len();
            let top = &self.stack[n - 1].name;
            if n > 2
                && self.stack[n - 2].name == name
                && closed_by_parent_end(name.as_bytes(), top.as_bytes())
            {
                self.close_top();
            } else if n > 1 && *top == name {
                self.close_top();
                return true;
            } else {
                return false;
            }
        }
    }

    /// Where tag `rest` ends, its attributes read from `i` on but not written.
    fn skip_attributes(&mut self, rest: &[u8], i: usize) -> usize {
        if rest.get(i) == Some(&b'>') {
            return i + 1;
        }
        let o = self.out.len();
        let (end, _) = attributes(rest, i, &mut self.out);
        self.out.truncate(o);
        end
    }

    /// An element child has just been written into the current frame.
    fn element_done(&mut self) {
        let f = self.top();
        f.seen_first = true;
        f.last_text = None;
    }

    fn start_tag(&mut self, glue: Option<Glue>) {
        let src = self.src;
        let rest = &src[self.pos..];
        let name_end = 1 + rest[1..].iter().take_while(|&&b| is_name_char(b)).count();
        let name = Name::new(&rest[1..name_end]);
        let lname = name.as_bytes();
        let depth = self.stack.len();
        while self.stack.len() > 1 && closed_by_start(self.top().name.as_bytes(), lname) {
            self.close_top();
        }
        let seen = match lname {
            b"html" => std::mem::replace(&mut self.seen_html, true),
            b"head" => std::mem::replace(&mut self.seen_head, true),
            b"body" => std::mem::replace(&mut self.seen_body, true),
            _ => false,
        };
        let svg = self.top().svg || lname == b"svg";
        let o = self.out.len();
        self.out.push(b'<');
        self.out.extend_from_slice(&rest[1..name_end]);
        let (end, self_closing) = attributes(rest, name_end, &mut self.out);
        self.pos += end;
        if seen || raw_name_end(rest, 1) != name_end || !rest[1].is_ascii_alphabetic() {
            // A second `<html>`, `<head>` or `<body>`, a name a browser reads otherwise
            // (`<a.b>`) or not as a tag at all (`<3`): copied.
            self.out.truncate(o);
            self.out.extend_from_slice(&rest[..end]);
        } else {
            if svg && self_closing {
                self.out.extend_from_slice(b" /");
            }
            self.out.push(b'>');
        }
        if seen {
            // Dropped by minify-html, like a stray end tag.
            if self.stack.len() == depth {
                self.glue = glue;
            }
            return;
        }
        // Outside SVG, `/>` closes only void elements, as in browsers and minify-html.
        if is_void(lname) || (svg && self_closing) {
            self.element_done();
            return;
        }
        if is_raw(lname, svg) {
            // Copy the content and the end tag as they are.
            let body = &src[self.pos..];
            let mut k = 0;
            let end = loop {
                match find(&body[k..], b"</") {
                    None => break body.len(),
                    Some(p) => {
                        let at = k + p;
                        let cand = &body[at + 2..];
                        if cand.len() >= lname.len()
                            && cand[..lname.len()].eq_ignore_ascii_case(lname)
                        {
                            if cand
                                .get(lname.len())
                                .is_none_or(|&b| is_ws(b) || b == b'>' || b == b'/')
                            {
                                break at;
                            }
                            // `</scripts>` ends the element to minify-html, not to a browser:
                            // the rest of the page is copied as it is, which both read alike.
                            self.out.extend_from_slice(body);
                            self.pos = src.len();
                            self.element_done();
                            return;
                        }
                        k = at + 2;
                    }
                }
            };
            self.out.extend_from_slice(&body[..end]);
            let mut close = end;
            if end < body.len() {
                close += self.skip_attributes(&body[end..], 2 + lname.len());
                self.out.extend_from_slice(b"</");
                self.out.extend_from_slice(lname);
                self.out.push(b'>');
            }
            self.pos += close;
            self.element_done();
            return;
        }
        self.element_done();
        let in_pre = self.top().in_pre;
        self.stack.push(Frame::new(name, in_pre, svg));
    }
}

/// Write the attributes of tag `rest`, read from `i` on as browsers and minify-html read them,
/// with one space before each, empty values bare and values unquoted where HTML allows it.
/// Returns where the tag ends and whether it ends with `/>`.
fn attributes(rest: &[u8], mut i: usize, out: &mut Vec<u8>) -> (usize, bool) {
    // The last attribute was written without a value.
    let mut bare = false;
    loop {
        let mut last = 0;
        while i < rest.len() && (is_ws(rest[i]) || rest[i] == b'/') {
            last = rest[i];
            i += 1;
        }
        if i >= rest.len() || rest[i] == b'>' {
            return ((i + 1).min(rest.len()), last == b'/');
        }
        let n0 = i;
        i += 1;
        while i < rest.len() && !is_ws(rest[i]) && !matches!(rest[i], b'/' | b'>' | b'=') {
            i += 1;
        }
        let attr = &rest[n0..i];
        let mut j = i;
        while j < rest.len() && is_ws(rest[j]) {
            j += 1;
        }
        // (After a bare attribute, ` =x` would be its value.)
        out.push(if bare && attr[0] == b'=' { b'/' } else { b' ' });
        out.extend_from_slice(attr);
        bare = true;
        if rest.get(j) != Some(&b'=') {
            continue;
        }
        j += 1;
        while j < rest.len() && is_ws(rest[j]) {
            j += 1;
        }
        let (value, quote, after) = match rest.get(j) {
            Some(&q @ (b'"' | b'\'')) => {
                let v0 = j + 1;
                let v1 = memchr(q, &rest[v0..]).map_or(rest.len(), |k| v0 + k);
                (&rest[v0..v1], Some(q), (v1 + 1).min(rest.len()))
            }
            _ => {
                let mut k = j;
                while k < rest.len() && !is_ws(rest[k]) && rest[k] != b'>' {
                    k += 1;
                }
                (&rest[j..k], None, k)
            }
        };
        i = after;
        if value.is_empty() {
            continue;
        }
        out.push(b'=');
        bare = false;
        match quote {
            Some(q)
                if value.iter().any(|&b| {
                    is_ws(b) || matches!(b, b'"' | b'\'' | b'=' | b'<' | b'>' | b'`')
                }) =>
            {
                out.push(q);
                out.extend_from_slice(value);
                out.push(q);
            }
            // Unquoted values (`a=say"hi"`) are written as they were read.
            _ => out.extend_from_slice(value),
        }
    }
}

/// Where the name of the tag at `rest` ends as a browser reads it, from `i` on.
fn raw_name_end(rest: &[u8], i: usize) -> usize {
    i + rest[i..]
        .iter()
        .take_while(|&&b| !is_ws(b) && b != b'>' && b != b'/')
        .count()
}

/// Whether `s` (starting with `<`) starts markup as minify-html reads it.
fn starts_markup(s: &[u8]) -> bool {
    s.get(1).is_some_and(|&b| opens_markup(b))
}

/// Whether `<` then `b` starts markup: a tag (a tag-name character), an end tag (`/`, even
/// without a name after it), a comment or a declaration.
fn opens_markup(b: u8) -> bool {
    is_name_char(b) || matches!(b, b'!' | b'?' | b'/')
}

fn memchr(b: u8, s: &[u8]) -> Option<usize> {
    memchr::memchr(b, s)
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    memchr::memmem::find(hay, needle)
}

/// minify-html, the reference of this module's and `css`'s tests (a dev-dependency; the same
/// file serves the integration tests).
#[cfg(test)]
#[path = "../../../tests/common/reference.rs"]
pub(crate) mod reference;

#[cfg(test)]
mod tests {
    use super::minify;

    fn m(s: &str) -> String {
        String::from_utf8(minify(s)).unwrap()
    }

    /// minify-html as gongkai configured it.
    fn reference(s: &str) -> String {
        String::from_utf8(super::reference::minify_reference(s)).unwrap()
    }

    #[test]
    fn layout_whitespace_is_removed_content_trimmed_inline_kept() {
        assert_eq!(
            m("<ul>\n  <li> a  b </li>\n  <li><a href=\"x\">c</a> <span>d</span></li>\n</ul>"),
            "<ul><li>a b</li><li><a href=x>c</a> <span>d</span></li></ul>"
        );
        assert_eq!(m("<p>\n 任务 <b>一</b>\n</p>"), "<p>任务 <b>一</b></p>");
    }

    #[test]
    fn pre_code_script_and_title_are_left_alone() {
        let s = "<pre>  a\n  <b> b </b>\n</pre><code> x  y </code><script>if (a < b) { x = \"  \"; }</script><title> T  </title>";
        assert_eq!(m(s), s);
    }

    #[test]
    fn comments_go_attributes_are_tidied() {
        assert_eq!(
            m("<div   class=\"a b\"  id='x' hidden=\"\" data-v='say \"hi\"'><!-- c -->t</div>"),
            "<div class=\"a b\" id=x hidden data-v='say \"hi\"'>t</div>"
        );
        assert_eq!(
            m("<meta charset=\"utf-8\"/><br/>"),
            "<meta charset=utf-8><br>"
        );
    }

    #[test]
    fn lone_angle_brackets_and_entities_are_text() {
        assert_eq!(m("<p>a < b &amp; c</p>"), "<p>a < b &amp; c</p>");
    }

    /// Check the contract: minify-html, run until it settles, gives the same output for the
    /// page and for this minifier's output (which is UTF-8 when the page is).
    fn assert_same_document(c: &str) {
        let ours = String::from_utf8(minify(c)).unwrap_or_else(|e| panic!("{c:?}: {e}"));
        // minify-html is not idempotent around comments ("a <!-- --> b" keeps two
        // spaces the first time), so both sides go through it until it settles.
        assert_eq!(
            reference(&reference(&ours)),
            reference(&reference(c)),
            "{c:?} became {ours:?}"
        );
    }

    #[test]
    fn same_document_as_minify_html() {
        let cases = [
            "<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n<title>标题</title>\n</head>\n<body>\n<p> 一 </p>\n</body>\n</html>\n",
            "<table>\n<tr>\n<th scope=\"row\"> 单位 <a href=\"u.html\">甲</a> </th>\n<td>\n</td>\n</tr>\n</table>",
            "<dl><div><dt>a</dt> <dd> b <!-- x --> c </dd></div></dl>",
            "<p>a<!-- x --> </p><p> <!-- y --> b</p>",
            "<details><summary>成员 </summary>\n<ul class=\"m\">\n<li>x</li>\n</ul></details>",
            "<section>\n<h2 id=\"h\">t</h2>\n文字 <em> 强调 </em>\n</section>",
            "<ol><li><span>1</span> <a href=\"#\">x</a>\n</li></ol>",
            "<p>x<pre>\n a </pre>y</p>",
            // Case, quoting and odd attributes.
            "<DIV CLASS=\"x\">\n<P> a </P>\n</DIV>",
            "<a href=\"a>b\" title='a=b c' data-x='say \"hi\"' v=\"a`b\">x</a>",
            "<a href=x/>y</a><a href= x >y</a><a href = \"x y\">y</a><a href=>y</a>",
            "<a title=say\"hi\">x</a><a t=x\"'y class=z>x</a>",
            "<input value=\"\" disabled><input value=''><input value=\"a&quot;b\">",
            "<a b/=c>x</a><a b =c>x</a><a =x>y</a><p class=x\n=y>z</p>",
            // Raw text and RCDATA.
            "<script>a = \"</div>\"; b = \"</scr\" + \"ipt>\";</script>",
            "<script>x</SCRIPT >y<script>x</script foo=\">\"> y</script>",
            "<style>a{}</b>b{}</style><style>p { color : red }</STYLE>",
            "<textarea> a </b> b </textarea><textarea>\n a </textarea>",
            "<title> a </b> </title><title>a &amp; b</title>",
            "<div><script>a</scriptx>b</script> <p> x </p></div>",
            "<p>a <script>x</scripts> y</script></p>",
            "<textarea/>  a  b  </textarea><title/> a  b </title>",
            // Whitespace-sensitive elements.
            "<pre> <b> x </b> <i>y</i>\n</pre><pre><span> a </span>\n<pre> b </pre> </pre>",
            "<div><pre> a </pre> b </div><code> <b> x </b> </code><p> <code> a </code> b </p>",
            // Comments next to whitespace and text.
            "<p> <!-- c --> a <!-- d --> </p><p>a <!-- c --> b</p><p>a<!-- c -->b</p>",
            "<div> <!-- c --> </div><span> <!-- c --> x</span><ul> <!-- a --> <li>b</li> </ul>",
            "<p>x<<!-- -->b</p><div>a <<!-- -->/b</div><p><<!---->!-- c -->x</p>",
            // Declarations.
            "<!DOCTYPE>\n<p> x </p>",
            "<?xml version=\"1.0\"?>\n<p>x</p>",
            "<?a > b?> c",
            "<![CDATA[ x ]]>  <p> y </p>",
            // Truncated pages.
            "<p>x<a href=\"",
            "<p>x<a href='y",
            "<p>x<a",
            "<p>x<!-- abc",
            "<p>x</",
            "<p>x</p",
            "<p>x<!DOCTYPE",
            "<script>x",
            "<textarea> x ",
            "<svg><path d=x /",
            // Stray, omitted and mismatched end tags.
            "</div>x",
            "<p>x</div> y</p>",
            "é</b>\n<a href=x>y</a>",
            "<ul>é<!----></i>  </tr>x</ul>",
            "<br>  </head>x",
            "<div><span>a</div> </span></div>",
            "<div><pre>a</div>  b  </pre>",
            "<span><p>a<div>x</div> b </p></span>",
            "<a><p>x<p>y</p> z </a>",
            "<ul><li>a<li> b <li>c </ul>",
            "<ul><li>a<li>b</li> c </ul>",
            "<table><tr><td> a <td> b <tr><td>c</table>  d",
            "<dl><dt> a <dd> b <dt> c </dl>",
            "<select><option> a <option> b <optgroup> c </select>",
            "<tfoot><tfoot><tfoot> a </tfoot> b",
            "<p>a</p> </P> b",
            "<p>a</br> b</p><p>a</p >\n<p>b</p>",
            "<html><head></head><body><body class=x> a </body></html>",
            "<body></body><head> a <body> b",
            // Void and self-closing elements.
            "<br/> x <br /><img src=\"a.png\" alt=\"\" /><img src=a.png/>",
            "<li><i class=\"icon\"/> text </li><div><span/>  </div>",
            "<object><param name=a> <param name=b> x </object>",
            // SVG.
            "<svg><path d=\"M0 0\"/> <text> a </text> <img src=a /></svg>",
            "<svg><g>a<!-- -->  <path/></g></svg>",
            "<svg><title> a  b </title><desc> c </desc></svg>",
            "<pre><svg><text> a  b </text></svg> </pre>",
            "<math><mi/> x </math>",
            // Names.
            "<div><custom-element-with-a-very-long-name-x>a</custom-element-with-a-very-long-name-x> b </div>",
            "<ul><custom-element-with-a-very-long-name-x> a </custom-element-with-a-very-long-name-y> <li> b </li></ul>",
            "<div><a.b> x </a.b> <a:b> y </a:b></div>",
            // A `<` in text.
            "<p>a < b</p><p>a <3 </p><p>1<2 x</p>",
            "<p>年龄<60  岁</p><div>a<1 b='x  y'>z</div><div>a <-x c=\"1  2\"> b</div>",
            "<p>a </ b> c</p><p>x</3> y</p><div> </-> a</div><p>a </> b</p>",
            "<p>中文 文字 </p><p>é à</p><p>a&nbsp;b \u{a0} c</p>",
            // Blocks inside lists.
            "<ul><a href=x>y</a> </ul><ul> <a href=x> y </a> <a>z</a> </ul><ul> text </ul>",
        ];
        for c in cases {
            assert_same_document(c);
        }
    }

    #[test]
    fn attributes_keep_their_values() {
        // An unquoted value stays unquoted: quoting it would end it at its own quote.
        assert_eq!(m("<a title=say\"hi\">x</a>"), "<a title=say\"hi\">x</a>");
        // ` =c` after a bare attribute would be its value.
        assert_eq!(m("<a b/=c>x</a>"), "<a b/=c>x</a>");
        // The attributes of an end tag are read too.
        assert_eq!(m("<div>x</div a=\">\"> y"), "<div>x</div> y");
        assert_eq!(m("<script>x</script a='>'> y"), "<script>x</script> y");
    }

    #[test]
    fn self_closing_syntax_closes_only_void_and_svg_elements() {
        assert_eq!(
            m("<textarea/>  a  b  </textarea>"),
            "<textarea>  a  b  </textarea>"
        );
        // (`<i>` stays open past `</li>`, so its text is only collapsed.)
        assert_eq!(m("<ul><li><i/> a </li></ul>"), "<ul><li><i> a </li></ul>");
        assert_eq!(
            m("<svg><path d=\"M0 0\"/> <img src=a /></svg>"),
            "<svg><path d=\"M0 0\" /><img src=a /></svg>"
        );
    }

    #[test]
    fn end_tags_close_what_minify_html_closes() {
        // Long names are not confused with one another, and written back as they were.
        let long = "<x-a-very-long-custom-element-name-1> a </x-a-very-long-custom-element-name-1> <p>b</p>";
        assert_eq!(
            m(long),
            "<x-a-very-long-custom-element-name-1> a </x-a-very-long-custom-element-name-1><p>b</p>"
        );
        // `</div>` does not close an open `<span>` to minify-html, nor `</p>` inside `<a>`.
        assert_eq!(
            m("<div><span>a</div> </span></div>"),
            "<div><span>a</div> </span></div>"
        );
        assert_eq!(
            m("<a><p>x<div>y</div> z </p></a>"),
            "<a><p>x<div>y</div> z </p></a>"
        );
        // Stray end tags stay, and the text around them is one text node.
        assert_eq!(m("<br>\n</b>x"), "<br></b> x");
    }

    #[test]
    fn a_script_minify_html_ends_early_leaves_the_rest_as_it_is() {
        let s = "<div> <script>a</scripts>b</script>  <p> x </p></div>";
        assert_eq!(m(s), "<div><script>a</scripts>b</script>  <p> x </p></div>");
    }

    /// xorshift64: a fixed-seed source of test cases, no crate needed.
    struct Rng(u64);

    impl Rng {
        fn next(&mut self) -> u64 {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            self.0
        }

        fn below(&mut self, n: usize) -> usize {
            usize::try_from(self.next() % n as u64).unwrap()
        }
    }

    #[test]
    fn generated_snippets_are_the_same_document_and_never_panic() {
        // Pieces of well- and ill-formed HTML (between `|`), glued at random. (Not `&am` then
        // `p;` around a comment or stray tag: minify-html glues those into an entity itself.)
        const PIECES: &[&str] = &[
            "<p>|</p>|<P>|</P >|<li>|</li>|<ul>|</ul>|<div>|</div>|<DIV class=x>|<span>|</span>",
            "<a href=\"x y\">|<a href='a>b'>|<a title=a=b>|<a href=>|</a>|<b>|</b>|<td>|</td>",
            "<tr>|</tr>|<table>|</table>|<tfoot>|<thead>|<tbody>|<pre>|</pre>|<code>|</code>",
            "<textarea>|</textarea>|<title>|</title>|<script>|</script>|</SCRIPT >|</scriptx>",
            "<style>|</style>|<br>|<br/>|<img src=a alt=\"\" />|<input value=''>|<hr />",
            "<param name=a>|<!-- c -->|<!---->|<!--|-->|<!DOCTYPE html>|<?x > y?>|<![CDATA[x]]>| ",
            "  |\n|\t| x |a|b c|中文|<|>|</|/|=|\"|'|&amp;|&lt;|<span/>|<div/>|<x-y>|</x-y>",
            "<x-a-very-long-custom-element-name-1>|</x-a-very-long-custom-element-name-1>",
            "</x-a-very-long-custom-element-name-2>|<h1>|</h1>|<dl>|<dt>|<dd>|<option>|<select>",
            "</select>|<label>|<body>|</body>|<html>|<head>|</head>|<svg>|</svg>|<g>|</g>|<text>",
            "<path/>|<math>|<template>|<noscript>|<p class=x|<a b|<a b=\"|<a b='c|</ x>|<3|</>",
            "<a/b>|<a.b>|<a b/=c>|<a t=x\"'y>|<a\nhref=x>",
        ];
        let pieces: Vec<&str> = PIECES.iter().flat_map(|l| l.split('|')).collect();
        let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
        for _ in 0..600 {
            let mut c = String::new();
            for _ in 0..1 + rng.below(10) {
                c.push_str(pieces[rng.below(pieces.len())]);
            }
            assert_same_document(&c);
            // Cut anywhere, even inside a character, and with stray bytes: no panic.
            let mut bytes = c.into_bytes();
            bytes.truncate(rng.below(bytes.len() + 1));
            minify(&bytes);
            bytes.insert(rng.below(bytes.len() + 1), rng.next().to_le_bytes()[0]);
            minify(&bytes);
        }
    }

    #[test]
    fn every_cut_of_a_page_is_the_same_document() {
        let page = "<!DOCTYPE html>\n<html lang=\"zh-CN\"><head><title>标题 </title><style>a { b: c }</style></head>\n<body class='b'>\n<!-- nav -->\n<ul>\n<li><a href=\"a.html\" title=\"一 二\">一</a> <span>二</span></li>\n</ul>\n<p> 文字 <br/> <textarea> t </textarea> <code> c </code></p><pre> x </pre>\n<svg><path d=\"M0 0\"/></svg><script>x = 1 < 2;</script>\n</body>\n</html>\n";
        for (i, _) in page.char_indices() {
            assert_same_document(&page[..i]);
        }
        for i in 0..=page.len() {
            minify(&page.as_bytes()[..i]);
        }
    }
}
