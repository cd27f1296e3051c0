package worker_test

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/alchemy-go/alchemy/local/store"
	"github.com/alchemy-go/alchemy/local/worker"
)

// rewriteCase is one HTMLRewriter use: setup is a JS function body that
// gets the rewriter as rw and registers handlers on it.
type rewriteCase struct {
	name, setup, input, want string
}

// rewriteWorker is a Worker that runs the case named in ?case= over the
// request body, streamed in chunks of ?chunk= bytes (all at once when 0).
func rewriteWorker(cases []rewriteCase) string {
	var b strings.Builder
	b.WriteString("const cases = {\n")
	for _, c := range cases {
		fmt.Fprintf(&b, "  %q: (rw, log) => {\n%s\n  },\n", c.name, c.setup)
	}
	b.WriteString(`};
const chunked = (bytes, size) =>
  new ReadableStream({
    start(c) {
      if (size <= 0) size = bytes.length || 1;
      for (let i = 0; i < bytes.length; i += size) c.enqueue(bytes.slice(i, i + size));
      c.close();
    },
  });
export default {
  async fetch(request) {
    const url = new URL(request.url);
    const input = new Uint8Array(await request.arrayBuffer());
    const log = [];
    const rw = new HTMLRewriter();
    cases[url.searchParams.get("case")](rw, log);
    const res = rw.transform(new Response(chunked(input, Number(url.searchParams.get("chunk") || 0)), {
      headers: { "content-type": "text/html" },
    }));
    const out = await res.text();
    return url.searchParams.has("log") ? new Response(out + "\n" + JSON.stringify(log)) : new Response(out);
  },
};
`)
	return b.String()
}

// rewrite runs a case of the Worker name over input.
func (e *env) rewrite(name, caseName, input string, chunk int, withLog bool) string {
	e.t.Helper()
	q := url.Values{"case": {caseName}, "chunk": {fmt.Sprint(chunk)}}
	if withLog {
		q.Set("log", "")
	}
	status, body, _ := e.do("POST", name, "/?"+q.Encode(), input)
	if status != 200 {
		e.t.Fatalf("case %s: status %d: %s\nlog:\n%s", caseName, status, body, e.log.String())
	}
	return body
}

func runRewriteCases(t *testing.T, cases []rewriteCase) {
	t.Helper()
	e := start(t, worker.Options{})
	e.deploy("rw", script{modules: []store.Module{module("worker.js", rewriteWorker(cases))}})
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			for _, chunk := range []int{0, 1, 3} {
				if got := e.rewrite("rw", c.name, c.input, chunk, false); got != c.want {
					t.Errorf("in chunks of %d:\n got %q\nwant %q", chunk, got, c.want)
				}
			}
		})
	}
}

// selectorInput has ten start tags, numbered from 0 by mark.
const selectorInput = `<div id="main" class="a b"><p>one</p><p class="x">two</p><span lang="en-US">three</span>` +
	`<img src="/i.png" alt=""><ul><li>1</li><li>2</li><li>3</li></ul></div><p title="Hello World">four</p>`

// mark puts "|" before the start tags of s whose positions (from 0) are
// listed.
func mark(s string, tags ...int) string {
	var b strings.Builder
	n := 0
	for i := 0; i < len(s); i++ {
		if s[i] == '<' && i+1 < len(s) && s[i+1] != '/' {
			for _, k := range tags {
				if k == n {
					b.WriteByte('|')
				}
			}
			n++
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

func TestHTMLRewriterSelectors(t *testing.T) {
	table := []struct {
		selector string
		tags     []int
	}{
		{"*", []int{0, 1, 2, 3, 4, 5, 6, 7, 8, 9}},
		{"p", []int{1, 2, 9}},
		{"P", []int{1, 2, 9}},
		{"div > p", []int{1, 2}},
		{"div p", []int{1, 2}},
		{"ul li", []int{6, 7, 8}},
		{"div li", []int{6, 7, 8}},
		{"div > li", nil},
		{"div > ul > li:nth-child(3)", []int{8}},
		{"p:nth-child(2)", []int{2, 9}},
		{"li:nth-child(odd)", []int{6, 8}},
		{"li:nth-child(2n)", []int{7}},
		{"li:nth-child(-n+2)", []int{6, 7}},
		{"li:nth-child( 2n + 1 )", []int{6, 8}},
		{"li:first-child", []int{6}},
		{"p:first-of-type", []int{1, 9}},
		{"p:nth-of-type(2)", []int{2}},
		{"p:not(.x)", []int{1, 9}},
		{":not(p)", []int{0, 3, 4, 5, 6, 7, 8}},
		{".a.b", []int{0}},
		{".x", []int{2}},
		{"#main", []int{0}},
		{"div#main.a", []int{0}},
		{"span#main", nil},
		{"[alt]", []int{4}},
		{`[alt=""]`, []int{4}},
		{`[src^="/i"]`, []int{4}},
		{`[src$=".png"]`, []int{4}},
		{`[src*="i.p"]`, []int{4}},
		{`[class~=b]`, []int{0}},
		{`[class~="a b"]`, nil},
		{`[lang|="en"]`, []int{3}},
		{`[lang|="en-us"]`, nil},
		{`[lang|="en-us" i]`, []int{3}},
		{`[title="hello world" i]`, []int{9}},
		{`[title="hello world" s]`, nil},
		{`[title="Hello World"]`, []int{9}},
		{`p[title]`, []int{9}},
		{"p, span", []int{1, 2, 3, 9}},
		{"#main > :first-child", []int{1}},
	}
	var cases []rewriteCase
	for _, c := range table {
		cases = append(cases, rewriteCase{
			name:  c.selector,
			setup: fmt.Sprintf(`rw.on(%q, { element(e) { e.before("|"); } });`, c.selector),
			input: selectorInput,
			want:  mark(selectorInput, c.tags...),
		})
	}
	runRewriteCases(t, cases)
}

func TestHTMLRewriterRefusesUnsupportedSelectors(t *testing.T) {
	e := start(t, worker.Options{})
	e.deploy("sel", script{modules: []store.Module{module("worker.js", `
export default {
  async fetch(request) {
    const selector = await request.text();
    try {
      new HTMLRewriter().on(selector, { element() {} });
      return new Response("ok");
    } catch (err) {
      return new Response(err.constructor.name);
    }
  },
};`)}})
	table := map[string]string{
		"p + q": "TypeError", "p ~ q": "TypeError", "a:hover": "TypeError", "p::before": "TypeError",
		"": "TypeError", "[": "TypeError", "p >": "TypeError", "> p": "TypeError", "div,,p": "TypeError",
		"li:nth-child(x)": "TypeError", "li:last-child": "TypeError", `[a="b`: "TypeError", "[a=]": "TypeError",
		"p:not(div p)": "TypeError", "#": "TypeError", "a.": "TypeError",
		"p": "ok", "div > p.x#y[z~='w' i]:nth-of-type(2n+1)": "ok", "a:not([href^=http])": "ok", `[data-\31 x]`: "ok",
	}
	for selector, want := range table {
		if _, got, _ := e.do("POST", "sel", "/", selector); got != want {
			t.Errorf("on(%q): %s, want %s", selector, got, want)
		}
	}
}

func TestHTMLRewriterMutations(t *testing.T) {
	runRewriteCases(t, []rewriteCase{
		{
			name: "insertions",
			setup: `rw.on("p", { element(e) {
  e.before("<b>", { html: true }).before("&1");
  e.after("A"); e.after("B");
  e.prepend("C"); e.prepend("D");
  e.append("E"); e.append("<F>");
} });`,
			input: "<p>x</p>",
			want:  "<b>&amp;1<p>DCxE&lt;F&gt;</p>BA",
		},
		{
			name:  "set inner content",
			setup: `rw.on("div", { element(e) { e.append("X"); e.setInnerContent("<i>n</i>", { html: true }); } });`,
			input: "<div><p>old</p><!--c--></div>after",
			want:  "<div><i>n</i></div>after",
		},
		{
			name:  "set inner text",
			setup: `rw.on("div", { element(e) { e.setInnerContent("<i>"); } });`,
			input: "<div>old</div>",
			want:  "<div>&lt;i&gt;</div>",
		},
		{
			name:  "replace",
			setup: `rw.on("p", { element(e) { e.replace("<hr>", { html: true }); if (!e.removed) throw new Error("not removed"); } });`,
			input: "<a><p>1<b>2</b></p></a>",
			want:  "<a><hr></a>",
		},
		{
			name:  "remove",
			setup: `rw.on("b", { element(e) { e.remove(); } });`,
			input: "<a><p>1<b>2<i>3</i></b>4</p></a>",
			want:  "<a><p>14</p></a>",
		},
		{
			name:  "remove and keep content",
			setup: `rw.on("p", { element(e) { e.removeAndKeepContent(); } });`,
			input: "<a><p>1<b>2</b></p></a>",
			want:  "<a>1<b>2</b></a>",
		},
		{
			name:  "handlers inside removed content run but write nothing",
			setup: `rw.on("div", { element(e) { e.remove(); } }).on("p", { element(e) { e.before("Z"); e.after("Y"); } });`,
			input: "<div><p>x</p></div><p>y</p>",
			want:  "Z<p>y</p>Y",
		},
		{
			name:  "rename",
			setup: `rw.on("div", { element(e) { if (e.tagName !== "div") throw new Error(e.tagName); e.tagName = "section"; } });`,
			input: `<DIV class="k">x<div>y</div></Div>`,
			want:  `<section class="k">x<section>y</section></section>`,
		},
		{
			name: "attributes",
			setup: `rw.on("a", { element(e) {
  if (e.getAttribute("HREF") !== "/x" || e.getAttribute("nope") !== null || !e.hasAttribute("target")) throw new Error("bad reads");
  e.setAttribute("href", '/y"').removeAttribute("target").setAttribute("rel", "noopener");
} });`,
			input: `<a href="/x" target=_blank data-x='1'>t</a>`,
			want:  `<a href="/y&quot;" data-x='1' rel="noopener">t</a>`,
		},
		{
			name:  "reading keeps the original bytes",
			setup: `rw.on("a", { element(e) { [...e.attributes]; e.getAttribute("href"); } });`,
			input: `<A HREF = "x"  data-q=&amp;>t</a >`,
			want:  `<A HREF = "x"  data-q=&amp;>t</a >`,
		},
		{
			name:  "end tag",
			setup: `rw.on("span", { element(e) { e.onEndTag((end) => { end.before("?"); end.after("!"); end.after("¡"); }); } });`,
			input: "<span>hi</span>",
			want:  "<span>hi?</span>¡!",
		},
		{
			name: "end tag replaced",
			setup: `rw.on("span", { element(e) { e.onEndTag((end) => {
  if (end.name !== "span") throw new Error(end.name);
  end.remove(); end.after("</" + end.name.toUpperCase() + ">", { html: true });
}); } });`,
			input: "<span>hi</span>",
			want:  "<span>hi</SPAN>",
		},
		{
			name: "end tag of an element closed by its parent's",
			setup: `rw.on("*", { element(e) {
  const name = e.tagName;
  e.onEndTag((end) => { end.before("[" + name); end.after(name + "]"); });
} });`,
			input: "<div><i>x</div>",
			want:  "<div><i>x[i[div</div>div]i]",
		},
		{
			name:  "void element",
			setup: `rw.on("img", { element(e) { if (e.canHaveContent) throw new Error("void"); e.append("X"); e.prepend("X"); e.after("Y"); } });`,
			input: "<img src=a><br>",
			want:  "<img src=a>Y<br>",
		},
		{
			name:  "text of an element and its descendants",
			setup: `rw.on("p", { text(t) { t.replace(t.text.toUpperCase()); } });`,
			input: "<p>a<b>b</b>c</p>d",
			want:  "<p>A<b>B</b>C</p>d",
		},
		{
			name:  "last in text node",
			setup: `rw.on("p", { text(t) { if (t.lastInTextNode) t.after("!"); } });`,
			input: "<p>a<b>b</b>c</p>d",
			want:  "<p>a!<b>b!</b>c!</p>d",
		},
		{
			name: "text is raw",
			setup: `let node = "";
rw.on("p", { text(t) {
  node += t.text;
  t.remove();
  if (t.lastInTextNode) t.before("[" + node + "]", { html: true });
} });`,
			input: "<p>a &amp; b</p>",
			want:  "<p>[a &amp; b]</p>",
		},
		{
			name:  "text removed",
			setup: `rw.on("p", { text(t) { t.remove(); if (!t.removed) throw new Error("not removed"); } });`,
			input: "<p>xyz</p>",
			want:  "<p></p>",
		},
		{
			name:  "comments",
			setup: `rw.on("div", { comments(c) { c.text = c.text.toUpperCase(); c.before("<", { html: true }); c.after(">", { html: true }); } });`,
			input: "<div><!--a--><p><!--b--></p></div><!--c-->",
			want:  "<div><<!--A-->><p><<!--B-->></p></div><!--c-->",
		},
		{
			name:  "comment removed and replaced",
			setup: `rw.onDocument({ comments(c) { if (c.text === "x") c.remove(); else c.replace("R"); } });`,
			input: "<!--x--><p><!--y--></p>",
			want:  "<p>R</p>",
		},
		{
			name:  "script is raw text",
			setup: `rw.on("p", { element(e) { e.before("|"); } });`,
			input: `<script>if (a<b) document.write("<p>")</script><p>z</p>`,
			want:  `<script>if (a<b) document.write("<p>")</script>|<p>z</p>`,
		},
		{
			name:  "CDATA in SVG",
			setup: `rw.on("*", { element() {} }).onDocument({ comments(c) { c.replace("C"); } });`,
			input: "<svg><![CDATA[a>b]]></svg><!--z-->",
			want:  "<svg><![CDATA[a>b]]></svg>C",
		},
		{
			name:  "style in SVG is not raw text",
			setup: `rw.on("a", { element(e) { e.before("|"); } });`,
			input: "<svg><style><a/></style></svg><style><a></style>",
			want:  "<svg><style>|<a/></style></svg><style><a></style>",
		},
		{
			name:  "document",
			setup: `rw.onDocument({ text(t) { t.replace(t.text.toUpperCase()); }, end(end) { end.append("<!--end-->", { html: true }); } });`,
			input: "<!DOCTYPE html>\n<p> x </p>",
			want:  "<!DOCTYPE html>\n<p> X </p><!--end-->",
		},
		{
			name: "handlers in order, document first",
			setup: `rw.on("p", { text(t) { if (t.text) t.after("1"); } })
  .onDocument({ text(t) { if (t.text) t.after("0"); } })
  .on("*", { text(t) { if (t.text) t.after("2"); } });`,
			input: "<p>x</p>",
			want:  "<p>x210</p>",
		},
	})
}

func TestHTMLRewriterTokens(t *testing.T) {
	e := start(t, worker.Options{})
	e.deploy("tok", script{modules: []store.Module{module("worker.js", `
export default {
  async fetch(request) {
    const seen = [];
    const res = new HTMLRewriter()
      .onDocument({ doctype(d) { seen.push(["doctype", d.name, d.publicId, d.systemId]); } })
      .on("*", { element(e) {
        seen.push([e.tagName, e.namespaceURI, e.selfClosing, e.canHaveContent, [...e.attributes]]);
      } })
      .transform(new Response(await request.text()));
    await res.text();
    return Response.json(seen);
  },
};`)}})
	input := `<!DOCTYPE html PUBLIC "-//W3C//DTD HTML 4.01//EN" "http://www.w3.org/TR/html4/strict.dtd">` +
		`<svg viewBox="0 0 1 1"><circle r=1 /><foreignObject><p/></foreignObject></svg><input disabled><div/>`
	_, got, _ := e.do("POST", "tok", "/", input)
	want := `[["doctype","html","-//W3C//DTD HTML 4.01//EN","http://www.w3.org/TR/html4/strict.dtd"],` +
		`["svg","http://www.w3.org/2000/svg",false,true,[["viewbox","0 0 1 1"]]],` +
		`["circle","http://www.w3.org/2000/svg",true,false,[["r","1"]]],` +
		`["foreignobject","http://www.w3.org/2000/svg",false,true,[]],` +
		`["p","http://www.w3.org/1999/xhtml",true,true,[]],` +
		`["input","http://www.w3.org/1999/xhtml",false,false,[["disabled",""]]],` +
		`["div","http://www.w3.org/1999/xhtml",true,true,[]]]`
	if got != want {
		t.Errorf("tokens:\n got %s\nwant %s\nlog:\n%s", got, want, e.log.String())
	}
}

// TestHTMLRewriterChunks streams documents through the rewriter in chunks
// of every size from one byte: the output is the input, byte for byte,
// and the text handlers see the same text whatever the chunks.
func TestHTMLRewriterChunks(t *testing.T) {
	cases := []rewriteCase{{name: "watch", setup: `
let node = "";
rw.on("*", { element() {}, comments(c) { log.push("c:" + c.text); } })
  .onDocument({ doctype(d) { log.push("d:" + d.name); }, text(t) {
    node += t.text;
    if (t.lastInTextNode) { log.push("t:" + node); node = ""; }
  } });`}}
	e := start(t, worker.Options{})
	e.deploy("chunks", script{modules: []store.Module{module("worker.js", rewriteWorker(cases))}})
	docs := []string{
		"<!doctype html>\r\n<html lang=fr><head><title>a < b & c</title>\n" +
			`<script>if (x</scr.length) { s = "</p>" }</script><style>p > a { color: red }</style></head>` +
			"<body class='x y' data-a=\"q'q\" data-b=unq/uoted><p>Café 🎉 &eacute;&#233;<br/><img src=x>" +
			"<!-- a comment -- with dashes --><textarea><b>raw</b></textarea><p>implied" +
			`<svg><![CDATA[x<y]]><path d="M0 0"/></svg><?bogus comment?></body></html>` + "\n",
		"plain text, no tags at all — naïve",
		"<div cla",
		"<p>unterminated <!-- comment",
		"",
	}
	for i, doc := range docs {
		whole := e.rewrite("chunks", "watch", doc, 0, true)
		if !strings.HasPrefix(whole, doc+"\n[") {
			t.Fatalf("doc %d: the output of %q is %q", i, doc, whole)
		}
		if log := whole[len(doc):]; strings.Contains(log, "\ufffd") {
			t.Errorf("doc %d: a text chunk split a character: %s", i, log)
		}
		for size := 1; size <= 9; size++ {
			if got := e.rewrite("chunks", "watch", doc, size, true); got != whole {
				t.Errorf("doc %d in chunks of %d:\n got %q\nwant %q", i, size, got, whole)
			}
		}
	}
}

// TestHTMLRewriterTextChunks checks the chunks a text handler gets for a
// text node that arrives in pieces, and a tag split between two reads.
func TestHTMLRewriterTextChunks(t *testing.T) {
	e := start(t, worker.Options{})
	e.deploy("split", script{modules: []store.Module{module("worker.js", `
export default {
  async fetch(request) {
    const parts = await request.json();
    const log = [];
    const source = new ReadableStream({
      start(c) {
        for (const p of parts) c.enqueue(new TextEncoder().encode(p));
        c.close();
      },
    });
    const res = new HTMLRewriter()
      .on("div.a", {
        element(e) { e.setAttribute("data-seen", "1"); },
        text(t) { log.push(t.text + "|" + t.lastInTextNode); },
      })
      .transform(new Response(source));
    return new Response((await res.text()) + " " + JSON.stringify(log));
  },
};`)}})
	parts, _ := json.Marshal([]string{`<div cla`, `ss="a">He`, `llo</d`, `iv><div class="a"></div>`})
	_, got, _ := e.do("POST", "split", "/", string(parts))
	want := `<div class="a" data-seen="1">Hello</div><div class="a" data-seen="1"></div> ["He|false","llo|false","|true"]`
	if got != want {
		t.Errorf("got  %s\nwant %s\nlog:\n%s", got, want, e.log.String())
	}
}

// TestHTMLRewriterOverTheNetwork rewrites a fetched page whose origin
// writes a start tag in two flushed pieces.
func TestHTMLRewriterOverTheNetwork(t *testing.T) {
	origin := serveOrigin(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		w.Header().Set("X-Origin", "yes")
		w.WriteHeader(203)
		fl := w.(http.Flusher)
		for _, part := range []string{"<html><a hr", `ef="/old">link</a>`, "<p>tail</p></html>"} {
			io.WriteString(w, part)
			fl.Flush()
			time.Sleep(20 * time.Millisecond)
		}
	}))
	e := start(t, worker.Options{})
	e.deploy("proxy", script{modules: []store.Module{module("worker.js", `
export default {
  async fetch(request) {
    const res = await fetch("http://`+origin+`/");
    return new HTMLRewriter()
      .on("a[href]", { element(e) { e.setAttribute("href", "/new" + e.getAttribute("href")); } })
      .transform(res);
  },
};`)}})
	status, body, h := e.do("GET", "proxy", "/", "")
	if status != 203 || h.Get("X-Origin") != "yes" || h.Get("Content-Type") != "text/html" {
		t.Errorf("status %d, headers %v: not the origin's", status, h)
	}
	if want := `<html><a href="/new/old">link</a><p>tail</p></html>`; body != want {
		t.Errorf("body %q, want %q\nlog:\n%s", body, want, e.log.String())
	}
}

func TestHTMLRewriterAsyncHandlers(t *testing.T) {
	runRewriteCases(t, []rewriteCase{
		{
			name: "timers",
			setup: `let n = 0;
rw.on("p", {
  async element(e) {
    await new Promise((resolve) => setTimeout(resolve, 2));
    e.setAttribute("data-n", String(++n));
    e.onEndTag(async (end) => { await null; end.before("#" + n); });
  },
  async text(t) { await Promise.resolve(); if (t.text) t.replace(t.text + n); },
}).on("p", { element(e) { e.append("+" + n); } });`,
			input: "<p>a</p><p>b</p>",
			want:  `<p data-n="1">a1+1#1</p><p data-n="2">b2+2#2</p>`,
		},
		{
			name: "streamed content",
			setup: `const stream = (s) => new Response(s).body;
rw.on("p", { element(e) {
  e.before(stream("<i>"), { html: true });
  e.setInnerContent(new Response("<b>"));
  e.after(stream("!"));
} });`,
			input: "<p>x</p>",
			want:  "<i><p>&lt;b&gt;</p>!",
		},
		{
			name:  "document end",
			setup: `rw.onDocument({ async end(end) { await new Promise((r) => setTimeout(r, 1)); end.append("!"); } });`,
			input: "<p>x</p>",
			want:  "<p>x</p>!",
		},
	})
}

func TestHTMLRewriterStaleToken(t *testing.T) {
	runRewriteCases(t, []rewriteCase{{
		name: "stale",
		setup: `let kept;
rw.on("p", { element(e) { kept = e; } }).on("b", { element(e) {
  try { kept.before("x"); } catch (err) { e.before(err.constructor.name); }
} });`,
		input: "<p><b></b></p>",
		want:  "<p>TypeError<b></b></p>",
	}})
}

func TestHTMLRewriterThrowingHandlerFailsTheBody(t *testing.T) {
	e := start(t, worker.Options{})
	e.deploy("boom", script{modules: []store.Module{module("worker.js", `
export default {
  fetch() {
    const page = "<p>1</p>".repeat(20000);
    let n = 0;
    return new HTMLRewriter()
      .on("p", { element() { if (++n === 15000) throw new Error("handler blew up"); } })
      .transform(new Response(page, { headers: { "content-type": "text/html" } }));
  },
};`)}})
	req, _ := http.NewRequest("GET", e.srv.URL()+"/", nil)
	req.Host = e.srv.WorkerHostname("boom")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	if err == nil {
		t.Fatalf("the body ended cleanly (%d bytes); want an error", len(body))
	}
	if len(body) >= 20000*len("<p>1</p>") {
		t.Errorf("the whole body arrived (%d bytes)", len(body))
	}
	e.waitLog("handler blew up")
}
