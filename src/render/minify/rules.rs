//! Element rules the minifier follows, as minify-html has them: whitespace handling by
//! element, void and raw-text elements, and which tags close an open element.

/// Whitespace rules of an element's content (those of minify-html's `WhitespaceMinification`).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(super) struct Ws {
    /// Collapse runs of whitespace to one space.
    pub(super) collapse: bool,
    /// Remove text that is only whitespace.
    pub(super) destroy_whole: bool,
    /// Trim the start of the first and the end of the last text child.
    pub(super) trim: bool,
}

pub(super) const CONTENT: Ws = Ws {
    collapse: true,
    destroy_whole: false,
    trim: true,
};
pub(super) const FORMATTING: Ws = Ws {
    collapse: true,
    destroy_whole: false,
    trim: false,
};
pub(super) const LAYOUT: Ws = Ws {
    collapse: true,
    destroy_whole: true,
    trim: true,
};
pub(super) const SENSITIVE: Ws = Ws {
    collapse: false,
    destroy_whole: false,
    trim: false,
};

/// The rules for the content of element `name` (lower case), as minify-html has them.
pub(super) fn ws_for(name: &[u8], in_pre: bool) -> Ws {
    if in_pre {
        return SENSITIVE;
    }
    match name {
        b"address" | b"audio" | b"button" | b"canvas" | b"caption" | b"figcaption" | b"h1"
        | b"h2" | b"h3" | b"h4" | b"h5" | b"h6" | b"legend" | b"meter" | b"object" | b"option"
        | b"p" | b"summary" | b"video" | b"dd" | b"details" | b"dt" | b"iframe" | b"label"
        | b"li" | b"noscript" | b"output" | b"progress" | b"slot" | b"td" | b"template" | b"th" => {
            CONTENT
        }
        b"article" | b"aside" | b"blockquote" | b"body" | b"colgroup" | b"datalist" | b"dialog"
        | b"div" | b"dl" | b"fieldset" | b"figure" | b"footer" | b"form" | b"head" | b"header"
        | b"hgroup" | b"html" | b"main" | b"map" | b"menu" | b"nav" | b"ol" | b"optgroup"
        | b"picture" | b"section" | b"select" | b"table" | b"tbody" | b"tfoot" | b"thead"
        | b"tr" | b"ul" => LAYOUT,
        b"textarea" | b"code" | b"pre" => SENSITIVE,
        // Formatting elements (a, span, strong …) and unknown ones: collapse only.
        _ => FORMATTING,
    }
}

/// The rules for the content of element `name` inside `<svg>`, where minify-html has other
/// ones (it reads names lower-cased, so its camel-case ones never match) and ignores `<pre>`.
pub(super) fn ws_for_svg(name: &[u8]) -> Ws {
    match name {
        b"desc" | b"text" | b"title" => CONTENT,
        b"a" | b"tspan" => FORMATTING,
        _ => LAYOUT,
    }
}

pub(super) fn is_void(name: &[u8]) -> bool {
    matches!(
        name,
        b"area"
            | b"base"
            | b"br"
            | b"col"
            | b"embed"
            | b"hr"
            | b"img"
            | b"input"
            | b"keygen"
            | b"link"
            | b"meta"
            | b"param"
            | b"source"
            | b"track"
            | b"wbr"
    )
}

/// Elements whose content is raw text or RCDATA: copied as is up to their end tag. Inside
/// `<svg>`, minify-html reads `<title>` and `<textarea>` as ordinary elements.
pub(super) fn is_raw(name: &[u8], svg: bool) -> bool {
    match name {
        b"script" | b"style" => true,
        b"textarea" | b"title" => !svg,
        _ => false,
    }
}

/// Whether an element `child` starting inside `parent` first closes `parent`: minify-html's
/// reading of the end tags HTML lets one leave out (`<li>a<li>b`, `<p>a<div>`).
pub(super) fn closed_by_start(parent: &[u8], child: &[u8]) -> bool {
    match parent {
        b"p" => matches!(
            child,
            b"address"
                | b"article"
                | b"aside"
                | b"blockquote"
                | b"details"
                | b"div"
                | b"dl"
                | b"fieldset"
                | b"figcaption"
                | b"figure"
                | b"footer"
                | b"form"
                | b"h1"
                | b"h2"
                | b"h3"
                | b"h4"
                | b"h5"
                | b"h6"
                | b"header"
                | b"hgroup"
                | b"hr"
                | b"main"
                | b"menu"
                | b"nav"
                | b"ol"
                | b"p"
                | b"pre"
                | b"section"
                | b"table"
                | b"ul"
        ),
        b"li" => child == b"li",
        b"dt" | b"dd" => matches!(child, b"dt" | b"dd"),
        b"rt" | b"rp" => matches!(child, b"rt" | b"rp"),
        b"optgroup" => child == b"optgroup",
        b"option" => matches!(child, b"option" | b"optgroup"),
        b"thead" | b"tbody" => matches!(child, b"tbody" | b"tfoot"),
        b"tr" => child == b"tr",
        b"td" | b"th" => matches!(child, b"td" | b"th"),
        b"head" => child == b"body",
        _ => false,
    }
}

/// Whether the end tag of `parent` also closes an open `child` whose own end tag was left
/// out (minify-html: `<ul><li>a</ul>`, but not `<div><span>a</div>`).
pub(super) fn closed_by_parent_end(parent: &[u8], child: &[u8]) -> bool {
    match child {
        b"html" | b"head" | b"body" | b"li" | b"dd" | b"rt" | b"rp" | b"optgroup" | b"option"
        | b"tbody" | b"tfoot" | b"tr" | b"td" | b"th" => true,
        b"p" => !matches!(
            parent,
            b"a" | b"audio" | b"del" | b"ins" | b"map" | b"noscript" | b"video"
        ),
        _ => false,
    }
}

pub(super) fn is_ws(b: u8) -> bool {
    // ASCII whitespace as HTML has it (no vertical tab).
    b <= b' ' && matches!(b, b'\t' | b'\n' | b'\x0c' | b'\r' | b' ')
}

/// Whether `b` is part of a tag name as minify-html reads them (ASCII alphanumerics, `:` and
/// `-`; a browser reads names up to whitespace, `/` or `>`).
pub(super) fn is_name_char(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b':' || b == b'-'
}
