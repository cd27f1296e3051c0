package worker

import (
	"bytes"
	_ "embed"
	"errors"
	"fmt"
	"io"
	"iter"
	goruntime "runtime"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/dop251/goja"
	"golang.org/x/net/html"

	"github.com/alchemy-go/alchemy/runtime"
	"github.com/alchemy-go/alchemy/runtime/webapi"
)

// HTMLRewriter, as workerd has it (over lol-html): a streaming rewriter
// that calls the Worker's handlers for the elements its CSS selectors
// match, for text chunks, comments, the doctype and the document end, and
// writes every byte it was not asked to change exactly as it came.
//
// The Go half tokenizes (golang.org/x/net/html, with Raw to keep the
// original bytes), keeps the stack of open elements the way lol-html does
// (popped by name on an end tag, void elements never pushed, no implied
// end tags), matches the selectors and writes the output. The JS half
// (htmlrewriter.js) holds the content token classes and runs the
// handlers, which may be async: Go hands it one event at a time and
// waits for its mutations before writing that part of the output.

//go:embed htmlrewriter.js
var htmlRewriterSource string

var htmlRewriterProgram = sync.OnceValues(func() (*goja.Program, error) {
	return goja.Compile("alchemy:worker-htmlrewriter.js", htmlRewriterSource, true)
})

// installHTMLRewriter defines the HTMLRewriter global in the isolate.
func installHTMLRewriter(vm *goja.Runtime) error {
	prog, err := htmlRewriterProgram()
	if err != nil {
		return fmt.Errorf("compile the HTMLRewriter glue: %w", err)
	}
	n := vm.NewObject()
	_ = n.Set("checkSelector", func(c goja.FunctionCall) goja.Value {
		if _, err := parseSelector(c.Argument(0).String()); err != nil {
			panic(vm.NewTypeError(err.Error()))
		}
		return goja.Undefined()
	})
	_ = n.Set("newRewriter", func(c goja.FunctionCall) goja.Value {
		r, err := newHTMLRewriter(vm, c.Argument(0), c.Argument(1))
		if err != nil {
			panic(vm.NewTypeError(err.Error()))
		}
		return r.object()
	})
	g, err := runtime.RunFactory(vm, prog, "the HTMLRewriter glue", n)
	if err != nil {
		return err
	}
	return vm.GlobalObject().Set("HTMLRewriter", g.Get("HTMLRewriter"))
}

// ---- the rewriter

// handlerKinds says which handlers one registration (an on() call or
// onDocument()) has.
type handlerKinds struct {
	element, comments, text, doctype, end bool
}

type registration struct {
	sel selectorList
	handlerKinds
}

// htmlRewriter is one transform() of a body. Loop goroutine only.
type htmlRewriter struct {
	vm   *goja.Runtime
	regs []registration
	doc  handlerKinds

	in     *htmlInput
	z      *html.Tokenizer
	pull   func() (htmlStep, bool)
	stop   func()
	offset int // input offset of the next token

	out    bytes.Buffer
	stack  []*openElement
	root   childCounter
	nextID int64

	// queue holds what remains to do for the current token: events for
	// the JS handlers (each waits for its commit) and Go steps.
	queue    []rewriteAction
	finished bool
}

// rewriteAction is one event for JS (js set; apply gets its mutations)
// or a Go step (js nil; apply gets nil).
type rewriteAction struct {
	js    goja.Value
	apply func(m *goja.Object)
}

type childCounter struct {
	children int
	ofType   map[string]int
}

func (c *childCounter) add(name string) (nth, nthOfType int) {
	if c.ofType == nil {
		c.ofType = map[string]int{}
	}
	c.children++
	c.ofType[name]++
	return c.children, c.ofType[name]
}

// openElement is an element on the stack: what selectors see of it, which
// registrations it matched, and what its end tag becomes.
type openElement struct {
	id   int64
	info elementInfo
	ns   string
	// matched are the registrations whose selector matched the element:
	// their comments and text handlers see its content.
	matched []int
	kids    childCounter
	end     tokenMutations
	endName string // set when the Worker renamed the element
	// removeContent drops the element's content from the output.
	removeContent bool
	endHandlers   bool
}

// tokenMutations are what a handler did to a token: content before and
// after it, and whether it was removed (replaced by replacement).
type tokenMutations struct {
	before, after, replacement string
	removed                    bool
}

func readMutations(m *goja.Object, prefix string) tokenMutations {
	str := func(k string) string {
		v := m.Get(k)
		if v == nil || goja.IsUndefined(v) || goja.IsNull(v) {
			return ""
		}
		return v.String()
	}
	var removed bool
	if v := m.Get(prefix + "removed"); v != nil {
		removed = v.ToBoolean()
	}
	return tokenMutations{before: str(prefix + "before"), after: str(prefix + "after"),
		replacement: str(prefix + "replacement"), removed: removed}
}

func newHTMLRewriter(vm *goja.Runtime, selectors, kinds goja.Value) (*htmlRewriter, error) {
	r := &htmlRewriter{vm: vm}
	var sels []string
	if err := vm.ExportTo(selectors, &sels); err != nil {
		return nil, fmt.Errorf("HTMLRewriter selectors: %w", err)
	}
	var flags [][]bool
	if err := vm.ExportTo(kinds, &flags); err != nil || len(flags) != len(sels)+1 {
		return nil, errors.New("HTMLRewriter: bad handler kinds")
	}
	for i, s := range sels {
		sel, err := parseSelector(s)
		if err != nil {
			return nil, err
		}
		f := append(flags[i], false, false, false)
		r.regs = append(r.regs, registration{sel: sel, handlerKinds: handlerKinds{element: f[0], comments: f[1], text: f[2]}})
	}
	d := append(flags[len(sels)], false, false, false, false)
	r.doc = handlerKinds{doctype: d[0], comments: d[1], text: d[2], end: d[3]}
	return r, nil
}

// object is the rewriter as the JS glue drives it:
//
//	write(bytes)   more input
//	end()          no more input
//	next()         the next event for the handlers, or null when the
//	               rewriter needs input or is done (see done)
//	commit(m)      the mutations of the event next() returned (or null)
//	take()         the output so far, or null
//	buffered       how many bytes take() would return
//	done           true once the whole document is written
//	close()        stop early
func (r *htmlRewriter) object() *goja.Object {
	vm := r.vm
	o := vm.NewObject()
	_ = o.Set("write", func(c goja.FunctionCall) goja.Value {
		b, ok := webapi.Bytes(vm, c.Argument(0))
		if !ok {
			panic(vm.NewTypeError("HTMLRewriter: a body chunk must be a Uint8Array"))
		}
		r.input().write(b)
		return goja.Undefined()
	})
	_ = o.Set("end", func(goja.FunctionCall) goja.Value {
		r.input().eof = true
		return goja.Undefined()
	})
	_ = o.Set("next", func(goja.FunctionCall) goja.Value { return r.next() })
	_ = o.Set("commit", func(c goja.FunctionCall) goja.Value {
		if len(r.queue) == 0 || r.queue[0].js == nil {
			panic(vm.NewTypeError("HTMLRewriter: no event to commit"))
		}
		a := r.queue[0]
		r.queue = r.queue[1:]
		m, _ := c.Argument(0).(*goja.Object)
		a.apply(m)
		return goja.Undefined()
	})
	_ = o.Set("take", func(goja.FunctionCall) goja.Value {
		if r.out.Len() == 0 {
			return goja.Null()
		}
		b := bytes.Clone(r.out.Bytes())
		r.out.Reset()
		return webapi.NewUint8Array(vm, b)
	})
	_ = o.DefineAccessorProperty("buffered", vm.ToValue(func(goja.FunctionCall) goja.Value {
		return vm.ToValue(r.out.Len())
	}), nil, goja.FLAG_FALSE, goja.FLAG_TRUE)
	_ = o.DefineAccessorProperty("done", vm.ToValue(func(goja.FunctionCall) goja.Value {
		return vm.ToValue(r.finished && len(r.queue) == 0)
	}), nil, goja.FLAG_FALSE, goja.FLAG_TRUE)
	_ = o.Set("close", func(goja.FunctionCall) goja.Value {
		r.close()
		return goja.Undefined()
	})
	return o
}

// input starts the tokenizer on first use.
func (r *htmlRewriter) input() *htmlInput {
	if r.in == nil {
		r.in = &htmlInput{}
		r.z = html.NewTokenizer(r.in)
		r.pull, r.stop = iter.Pull(r.in.tokens(r.z))
		// A body nobody reads to its end leaves the tokenizer parked:
		// stop it once the rewriter is garbage.
		goruntime.AddCleanup(r, func(stop func()) { stop() }, r.stop)
	}
	return r.in
}

func (r *htmlRewriter) close() {
	if r.stop != nil {
		r.stop()
	}
	r.finished = true
	r.queue = nil
}

// htmlInput is the tokenizer's reader: it hands over what write gave it
// and, when that runs out before the end, suspends the tokenizer until
// there is more.
type htmlInput struct {
	buf    []byte
	total  int   // bytes written so far
	splits []int // input offsets where a written chunk began
	eof    bool
	yield  func(htmlStep) bool
}

// htmlStep is one token (copied out of the tokenizer) or a request for
// more input.
type htmlStep struct {
	needInput bool
	tt        html.TokenType
	raw       []byte
	data      string // comment and doctype text
	err       error
}

var errRewriterStopped = errors.New("the HTML rewriter was stopped")

func (in *htmlInput) write(b []byte) {
	if len(b) == 0 {
		return
	}
	if in.total > 0 {
		in.splits = append(in.splits, in.total)
	}
	in.buf = append(in.buf, b...)
	in.total += len(b)
}

func (in *htmlInput) Read(p []byte) (int, error) {
	for len(in.buf) == 0 {
		if in.eof {
			return 0, io.EOF
		}
		if !in.yield(htmlStep{needInput: true}) {
			return 0, errRewriterStopped
		}
	}
	n := copy(p, in.buf)
	in.buf = in.buf[n:]
	if len(in.buf) == 0 {
		in.buf = nil
	}
	return n, nil
}

func (in *htmlInput) tokens(z *html.Tokenizer) iter.Seq[htmlStep] {
	return func(yield func(htmlStep) bool) {
		in.yield = yield
		for {
			tt := z.Next()
			s := htmlStep{tt: tt, raw: bytes.Clone(z.Raw())}
			switch tt {
			case html.ErrorToken:
				s.err = z.Err()
				yield(s)
				return
			case html.CommentToken, html.DoctypeToken:
				s.data = string(z.Text())
			}
			if !yield(s) {
				return
			}
		}
	}
}

// next returns the next event for JS, running Go steps and tokenizing
// until there is one; null when more input is needed or all is done.
func (r *htmlRewriter) next() goja.Value {
	for {
		if len(r.queue) > 0 {
			a := r.queue[0]
			if a.js != nil {
				return a.js
			}
			r.queue = r.queue[1:]
			a.apply(nil)
			continue
		}
		if r.finished || r.in == nil {
			return goja.Null()
		}
		s, ok := r.pull()
		if !ok {
			r.finished = true
			return goja.Null()
		}
		if s.needInput {
			return goja.Null()
		}
		r.token(s)
	}
}

func (r *htmlRewriter) goStep(f func()) {
	r.queue = append(r.queue, rewriteAction{apply: func(*goja.Object) { f() }})
}

func (r *htmlRewriter) event(ev *goja.Object, apply func(m *goja.Object)) {
	r.queue = append(r.queue, rewriteAction{js: ev, apply: apply})
}

func (r *htmlRewriter) newEvent(kind string, handlers []int) *goja.Object {
	ev := r.vm.NewObject()
	_ = ev.Set("kind", kind)
	if handlers == nil {
		handlers = []int{}
	}
	_ = ev.Set("handlers", handlers)
	return ev
}

// emit writes output unless an open element's content is being removed.
func (r *htmlRewriter) emit(s []byte, suppressed bool) {
	if !suppressed {
		r.out.Write(s)
	}
}

func (r *htmlRewriter) emitString(s string, suppressed bool) {
	if !suppressed {
		r.out.WriteString(s)
	}
}

// removing reports whether the content of one of the first n open
// elements is being removed.
func (r *htmlRewriter) removing(n int) bool {
	for _, e := range r.stack[:n] {
		if e.removeContent {
			return true
		}
	}
	return false
}

// contentHandlers are the registrations whose kind handler (comments or
// text) applies inside the open elements.
func (r *htmlRewriter) contentHandlers(text bool) []int {
	var out []int
	seen := map[int]bool{}
	for _, e := range r.stack {
		for _, i := range e.matched {
			if seen[i] {
				continue
			}
			if (text && r.regs[i].text) || (!text && r.regs[i].comments) {
				seen[i] = true
				out = append(out, i)
			}
		}
	}
	// Registration order, as lol-html calls them.
	for i := 1; i < len(out); i++ {
		for j := i; j > 0 && out[j] < out[j-1]; j-- {
			out[j], out[j-1] = out[j-1], out[j]
		}
	}
	return out
}

func (r *htmlRewriter) token(s htmlStep) {
	start := r.offset
	r.offset += len(s.raw)
	switch s.tt {
	case html.ErrorToken:
		r.emit(s.raw, r.removing(len(r.stack)))
		if r.doc.end {
			r.event(r.newEvent("end", nil), func(m *goja.Object) {
				if m != nil {
					r.out.WriteString(m.Get("append").String())
				}
			})
		}
		r.finished = true
	case html.TextToken:
		r.text(s.raw, start)
	case html.CommentToken:
		r.comment(s)
	case html.DoctypeToken:
		r.doctype(s)
	case html.StartTagToken, html.SelfClosingTagToken:
		r.startTag(s)
	case html.EndTagToken:
		r.endTag(s)
	}
}

func (r *htmlRewriter) inForeignContent() bool {
	return len(r.stack) > 0 && r.stack[len(r.stack)-1].ns != nsHTML
}

// text hands a text node to the handlers as chunks: one per piece of it
// that came in one write, then an empty one that is lastInTextNode.
func (r *htmlRewriter) text(raw []byte, start int) {
	suppressed := r.removing(len(r.stack))
	handlers := r.contentHandlers(true)
	if len(handlers) == 0 && !r.doc.text {
		r.emit(raw, suppressed)
		return
	}
	end := start + len(raw)
	splits := r.in.splits
	for len(splits) > 0 && splits[0] <= start {
		splits = splits[1:]
	}
	var pieces [][]byte
	from := 0
	for _, at := range splits {
		if at >= end {
			break
		}
		cut := at - start
		for cut > from && !utf8.RuneStart(raw[cut]) {
			cut--
		}
		if cut > from {
			pieces = append(pieces, raw[from:cut])
			from = cut
		}
	}
	pieces = append(pieces, raw[from:])
	r.in.splits = splits
	pieces = append(pieces, nil)
	for i, p := range pieces {
		ev := r.newEvent("text", handlers)
		_ = ev.Set("text", string(p))
		_ = ev.Set("last", i == len(pieces)-1)
		_ = ev.Set("doc", r.doc.text)
		r.event(ev, func(m *goja.Object) {
			if m == nil {
				r.emit(p, suppressed)
				return
			}
			mu := readMutations(m, "")
			r.emitString(mu.before, suppressed)
			if mu.removed {
				r.emitString(mu.replacement, suppressed)
			} else {
				r.emit(p, suppressed)
			}
			r.emitString(mu.after, suppressed)
		})
	}
}

func (r *htmlRewriter) comment(s htmlStep) {
	suppressed := r.removing(len(r.stack))
	handlers := r.contentHandlers(false)
	// "</>" is no token at all in HTML; the tokenizer calls it a comment.
	if (len(handlers) == 0 && !r.doc.comments) || string(s.raw) == "</>" {
		r.emit(s.raw, suppressed)
		return
	}
	ev := r.newEvent("comment", handlers)
	_ = ev.Set("text", s.data)
	_ = ev.Set("doc", r.doc.comments)
	r.event(ev, func(m *goja.Object) {
		if m == nil {
			r.emit(s.raw, suppressed)
			return
		}
		mu := readMutations(m, "")
		r.emitString(mu.before, suppressed)
		switch {
		case mu.removed:
			r.emitString(mu.replacement, suppressed)
		case m.Get("text") != nil && !goja.IsUndefined(m.Get("text")):
			r.emitString("<!--"+m.Get("text").String()+"-->", suppressed)
		default:
			r.emit(s.raw, suppressed)
		}
		r.emitString(mu.after, suppressed)
	})
}

func (r *htmlRewriter) doctype(s htmlStep) {
	r.emit(s.raw, r.removing(len(r.stack)))
	if !r.doc.doctype {
		return
	}
	name, public, system := parseDoctype(s.data)
	ev := r.newEvent("doctype", nil)
	_ = ev.Set("name", name)
	_ = ev.Set("publicId", public)
	_ = ev.Set("systemId", system)
	r.event(ev, func(*goja.Object) {})
}

// parseDoctype splits a doctype's text into its name and public and
// system identifiers (nil when absent).
func parseDoctype(data string) (name, public, system any) {
	s := strings.TrimLeft(data, " \t\n\f\r")
	i := strings.IndexAny(s, " \t\n\f\r")
	if i < 0 {
		i = len(s)
	}
	if i > 0 {
		name = strings.ToLower(s[:i])
	}
	s = strings.TrimLeft(s[i:], " \t\n\f\r")
	quoted := func() (any, bool) {
		s = strings.TrimLeft(s, " \t\n\f\r")
		if s == "" || (s[0] != '"' && s[0] != '\'') {
			return nil, false
		}
		q := s[0]
		j := strings.IndexByte(s[1:], q)
		if j < 0 {
			v := s[1:]
			s = ""
			return v, true
		}
		v := s[1 : 1+j]
		s = s[j+2:]
		return v, true
	}
	switch {
	case len(s) >= 6 && strings.EqualFold(s[:6], "public"):
		s = s[6:]
		var ok bool
		if public, ok = quoted(); ok {
			system, _ = quoted()
		}
	case len(s) >= 6 && strings.EqualFold(s[:6], "system"):
		s = s[6:]
		system, _ = quoted()
	}
	return name, public, system
}

const (
	nsHTML   = "http://www.w3.org/1999/xhtml"
	nsSVG    = "http://www.w3.org/2000/svg"
	nsMathML = "http://www.w3.org/1998/Math/MathML"
)

var voidElements = map[string]bool{
	"area": true, "base": true, "basefont": true, "bgsound": true, "br": true, "col": true, "embed": true,
	"frame": true, "hr": true, "image": true, "img": true, "input": true, "keygen": true, "link": true,
	"meta": true, "param": true, "source": true, "track": true, "wbr": true,
}

// rawTextElements are the elements whose content the tokenizer reads as
// raw text in HTML; in SVG or MathML they are ordinary elements.
var rawTextElements = map[string]bool{
	"iframe": true, "noembed": true, "noframes": true, "noscript": true, "plaintext": true,
	"script": true, "style": true, "textarea": true, "title": true, "xmp": true,
}

// elementNamespace is the namespace of an element named name whose parent
// is the current node.
func (r *htmlRewriter) elementNamespace(name string) string {
	parent := nsHTML
	var parentName string
	if n := len(r.stack); n > 0 {
		parent, parentName = r.stack[n-1].ns, r.stack[n-1].info.name
	}
	switch {
	case parent == nsSVG && (parentName == "foreignobject" || parentName == "desc" || parentName == "title"),
		parent == nsMathML && parentName != "annotation-xml" && (parentName == "mi" || parentName == "mo" ||
			parentName == "mn" || parentName == "ms" || parentName == "mtext") && name != "mglyph" && name != "malignmark":
		parent = nsHTML
	}
	if parent != nsHTML {
		return parent
	}
	switch name {
	case "svg":
		return nsSVG
	case "math":
		return nsMathML
	}
	return nsHTML
}

func (r *htmlRewriter) startTag(s htmlStep) {
	tag := parseStartTag(s.raw)
	ns := r.elementNamespace(tag.name)
	selfClosing := s.tt == html.SelfClosingTagToken
	if ns != nsHTML && rawTextElements[tag.name] {
		r.z.NextIsNotRawText()
	}
	canHaveContent := !voidElements[tag.name]
	if ns != nsHTML {
		canHaveContent = !selfClosing
	}
	if canHaveContent {
		// The element is pushed once its handlers are done, but the
		// tokenizer reads on before that.
		r.z.AllowCDATA(ns != nsHTML)
	}
	parent := &r.root
	if n := len(r.stack); n > 0 {
		parent = &r.stack[n-1].kids
	}
	r.nextID++
	el := &openElement{id: r.nextID, ns: ns, info: elementInfo{name: tag.name, attrs: tag.attrs}}
	el.info.nth, el.info.nthOfType = parent.add(tag.name)
	ancestors := make([]*elementInfo, len(r.stack))
	for i, e := range r.stack {
		ancestors[i] = &e.info
	}
	var elementHandlers []int
	for i, reg := range r.regs {
		if !reg.sel.matches(&el.info, ancestors) {
			continue
		}
		el.matched = append(el.matched, i)
		if reg.element {
			elementHandlers = append(elementHandlers, i)
		}
	}
	suppressed := r.removing(len(r.stack))
	push := func() {
		if canHaveContent {
			r.stack = append(r.stack, el)
		}
	}
	if len(elementHandlers) == 0 {
		r.emit(s.raw, suppressed)
		push()
		return
	}
	ev := r.newEvent("element", elementHandlers)
	_ = ev.Set("id", el.id)
	_ = ev.Set("tag", tag.name)
	attrs := make([]any, len(tag.attrs))
	for i, a := range tag.attrs {
		attrs[i] = []any{a.name, a.value}
	}
	_ = ev.Set("attrs", attrs)
	_ = ev.Set("selfClosing", selfClosing)
	_ = ev.Set("canHaveContent", canHaveContent)
	_ = ev.Set("namespaceURI", ns)
	r.event(ev, func(m *goja.Object) {
		if m == nil {
			r.emit(s.raw, suppressed)
			push()
			return
		}
		mu := readMutations(m, "")
		r.emitString(mu.before, suppressed)
		if mu.removed {
			r.emitString(mu.replacement, suppressed)
		} else {
			r.emit(tag.serialize(r.vm, m, selfClosing, s.raw), suppressed)
		}
		r.emitString(mu.after, suppressed)
		el.end = readMutations(m, "end")
		if v := m.Get("tagName"); v != nil && !goja.IsUndefined(v) {
			el.endName = v.String()
		}
		el.removeContent = m.Get("removeContent").ToBoolean()
		el.endHandlers = m.Get("endHandlers").ToBoolean()
		push()
	})
}

func (r *htmlRewriter) endTag(s htmlStep) {
	name := endTagName(s.raw)
	at := -1
	for i := len(r.stack) - 1; i >= 0; i-- {
		if r.stack[i].info.name == name {
			at = i
			break
		}
	}
	if at < 0 {
		r.emit(s.raw, r.removing(len(r.stack)))
		return
	}
	popped := append([]*openElement(nil), r.stack[at:]...)
	outer := r.removing(at)
	r.stack = r.stack[:at]
	r.z.AllowCDATA(r.inForeignContent())
	// An element closed by the end tag of an ancestor gets an empty end
	// tag of its own around the real one: its handlers run first, its
	// content before the real tag comes first and its content after it
	// comes last.
	for i := len(popped) - 1; i >= 0; i-- {
		el := popped[i]
		if !el.endHandlers {
			continue
		}
		ev := r.newEvent("endTag", nil)
		_ = ev.Set("id", el.id)
		n := el.endName
		if n == "" {
			n = el.info.name
		}
		_ = ev.Set("name", n)
		_ = ev.Set("before", el.end.before)
		_ = ev.Set("after", el.end.after)
		_ = ev.Set("removed", el.end.removed)
		r.event(ev, func(m *goja.Object) {
			if m == nil {
				return
			}
			el.end = readMutations(m, "")
			if v := m.Get("name"); v != nil && !goja.IsUndefined(v) && v.String() != el.info.name {
				el.endName = v.String()
			}
		})
	}
	r.goStep(func() {
		suppressedAt := func(i int) bool {
			if outer {
				return true
			}
			for _, e := range popped[:i] {
				if e.removeContent {
					return true
				}
			}
			return false
		}
		for i := len(popped) - 1; i >= 0; i-- {
			r.emitString(popped[i].end.before, suppressedAt(i))
		}
		el := popped[0]
		switch {
		case el.end.removed:
			r.emitString(el.end.replacement, outer)
		case el.endName != "":
			r.emitString("</"+el.endName+">", outer)
		default:
			r.emit(s.raw, outer)
		}
		for i := range popped {
			r.emitString(popped[i].end.after, suppressedAt(i))
		}
	})
}

// endTagName is the lower-case name of an end tag's raw bytes.
func endTagName(raw []byte) string {
	s := raw[min(2, len(raw)):]
	i := bytes.IndexAny(s, " \t\n\f\r/>")
	if i < 0 {
		i = len(s)
	}
	return strings.ToLower(string(s[:i]))
}

// ---- start tags

type rawAttr struct {
	name, value string // name in lower case, value as written (entities and all)
	raw         []byte // the attribute's bytes in the tag
}

type startTag struct {
	name  string
	attrs []rawAttr
}

func isHTMLSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\f' || c == '\r' }

// parseStartTag reads a start tag's name and attributes from its bytes,
// the way the HTML tokenizer does.
func parseStartTag(raw []byte) startTag {
	i := 1
	n := len(raw)
	j := i
	for j < n && !isHTMLSpace(raw[j]) && raw[j] != '/' && raw[j] != '>' {
		j++
	}
	t := startTag{name: strings.ToLower(string(raw[i:j]))}
	i = j
	for i < n {
		for i < n && (isHTMLSpace(raw[i]) || raw[i] == '/') {
			i++
		}
		if i >= n || raw[i] == '>' {
			break
		}
		from := i
		i++ // the first character of a name may be '='
		for i < n && !isHTMLSpace(raw[i]) && raw[i] != '/' && raw[i] != '>' && raw[i] != '=' {
			i++
		}
		a := rawAttr{name: strings.ToLower(string(raw[from:i]))}
		k := i
		for k < n && isHTMLSpace(raw[k]) {
			k++
		}
		if k < n && raw[k] == '=' {
			k++
			for k < n && isHTMLSpace(raw[k]) {
				k++
			}
			switch {
			case k < n && (raw[k] == '"' || raw[k] == '\''):
				q := raw[k]
				e := bytes.IndexByte(raw[k+1:], q)
				if e < 0 {
					e = n - k - 1
					a.value = string(raw[k+1 : k+1+e])
					i = n
				} else {
					a.value = string(raw[k+1 : k+1+e])
					i = k + e + 2
				}
			default:
				e := k
				for e < n && !isHTMLSpace(raw[e]) && raw[e] != '>' {
					e++
				}
				a.value = string(raw[k:e])
				i = e
			}
		}
		a.raw = raw[from:i]
		t.attrs = append(t.attrs, a)
	}
	return t
}

// serialize writes the start tag as the handlers left it: its original
// bytes (raw) when they changed nothing of it.
func (t startTag) serialize(vm *goja.Runtime, m *goja.Object, selfClosing bool, raw []byte) []byte {
	name := t.name
	changed := false
	if v := m.Get("tagName"); v != nil && !goja.IsUndefined(v) {
		name, changed = v.String(), true
	}
	attrs := t.attrs
	if v := m.Get("attrs"); v != nil && !goja.IsUndefined(v) {
		changed = true
		var pairs [][2]string
		_ = vm.ExportTo(v, &pairs)
		attrs = nil
		for _, p := range pairs {
			a := rawAttr{name: p[0], value: p[1]}
			for _, o := range t.attrs {
				if o.name == p[0] && o.value == p[1] {
					a.raw = o.raw
					break
				}
			}
			attrs = append(attrs, a)
		}
	}
	if v := m.Get("selfClosing"); v != nil && v.ToBoolean() != selfClosing {
		selfClosing, changed = v.ToBoolean(), true
	}
	if !changed {
		return raw
	}
	var b bytes.Buffer
	b.WriteString("<" + name)
	for _, a := range attrs {
		b.WriteByte(' ')
		if a.raw != nil {
			b.Write(a.raw)
			continue
		}
		b.WriteString(a.name + `="` + strings.ReplaceAll(a.value, `"`, "&quot;") + `"`)
	}
	if selfClosing {
		b.WriteString("/>")
	} else {
		b.WriteByte('>')
	}
	return b.Bytes()
}

// ---- selectors

// elementInfo is what a selector sees of an element.
type elementInfo struct {
	name           string
	attrs          []rawAttr
	nth, nthOfType int // 1-based positions among the parent's element children
}

func (e *elementInfo) attr(name string) (string, bool) {
	for _, a := range e.attrs {
		if a.name == name {
			return a.value, true
		}
	}
	return "", false
}

type selectorList []complexSelector

// complexSelector is compounds joined by combinators: combinators[i]
// (' ' descendant or '>' child) sits between compounds[i] and [i+1].
type complexSelector struct {
	compounds   []compoundSelector
	combinators []byte
}

type compoundSelector struct {
	tag     string // "" for any
	ids     []string
	classes []string
	attrs   []attrSelector
	nths    []nthSelector
	nots    []compoundSelector
}

type attrSelector struct {
	name  string
	op    string // "" exists, "=", "~=", "^=", "$=", "*=", "|="
	value string
	fold  bool // the i flag
}

type nthSelector struct {
	a, b   int
	ofType bool
}

func (l selectorList) matches(e *elementInfo, ancestors []*elementInfo) bool {
	for _, c := range l {
		if c.matchAt(len(c.compounds)-1, e, ancestors) {
			return true
		}
	}
	return false
}

func (c complexSelector) matchAt(i int, e *elementInfo, ancestors []*elementInfo) bool {
	if !c.compounds[i].matches(e) {
		return false
	}
	if i == 0 {
		return true
	}
	n := len(ancestors)
	if c.combinators[i-1] == '>' {
		return n > 0 && c.matchAt(i-1, ancestors[n-1], ancestors[:n-1])
	}
	for j := n - 1; j >= 0; j-- {
		if c.matchAt(i-1, ancestors[j], ancestors[:j]) {
			return true
		}
	}
	return false
}

func (s compoundSelector) matches(e *elementInfo) bool {
	if s.tag != "" && s.tag != e.name {
		return false
	}
	for _, id := range s.ids {
		if v, ok := e.attr("id"); !ok || v != id {
			return false
		}
	}
	for _, class := range s.classes {
		v, _ := e.attr("class")
		if !containsWord(v, class, false) {
			return false
		}
	}
	for _, a := range s.attrs {
		if !a.matches(e) {
			return false
		}
	}
	for _, n := range s.nths {
		pos := e.nth
		if n.ofType {
			pos = e.nthOfType
		}
		if !n.matches(pos) {
			return false
		}
	}
	for _, not := range s.nots {
		if not.matches(e) {
			return false
		}
	}
	return true
}

func containsWord(list, word string, fold bool) bool {
	for _, w := range strings.FieldsFunc(list, func(r rune) bool { return r < 128 && isHTMLSpace(byte(r)) }) {
		if w == word || (fold && strings.EqualFold(w, word)) {
			return true
		}
	}
	return false
}

func (a attrSelector) matches(e *elementInfo) bool {
	v, ok := e.attr(a.name)
	if !ok {
		return false
	}
	want := a.value
	if a.fold {
		v, want = strings.ToLower(v), strings.ToLower(want)
	}
	switch a.op {
	case "":
		return true
	case "=":
		return v == want
	case "~=":
		return want != "" && containsWord(v, want, false)
	case "^=":
		return want != "" && strings.HasPrefix(v, want)
	case "$=":
		return want != "" && strings.HasSuffix(v, want)
	case "*=":
		return want != "" && strings.Contains(v, want)
	case "|=":
		return v == want || strings.HasPrefix(v, want+"-")
	}
	return false
}

func (n nthSelector) matches(pos int) bool {
	if n.a == 0 {
		return pos == n.b
	}
	d := pos - n.b
	return d%n.a == 0 && d/n.a >= 0
}

// selectorParser reads the CSS subset lol-html supports.
type selectorParser struct {
	s string
	i int
}

func parseSelector(s string) (selectorList, error) {
	p := &selectorParser{s: s}
	l, err := p.list()
	if err != nil {
		return nil, fmt.Errorf("the selector %q is not supported: %w", s, err)
	}
	return l, nil
}

func (p *selectorParser) eof() bool { return p.i >= len(p.s) }
func (p *selectorParser) peek() byte {
	if p.eof() {
		return 0
	}
	return p.s[p.i]
}

func (p *selectorParser) space() bool {
	from := p.i
	for !p.eof() && isHTMLSpace(p.s[p.i]) {
		p.i++
	}
	return p.i > from
}

func (p *selectorParser) list() (selectorList, error) {
	var l selectorList
	for {
		p.space()
		c, err := p.complex()
		if err != nil {
			return nil, err
		}
		l = append(l, c)
		p.space()
		if p.eof() {
			return l, nil
		}
		if p.peek() != ',' {
			return nil, fmt.Errorf("unexpected %q at offset %d", p.peek(), p.i)
		}
		p.i++
	}
}

func (p *selectorParser) complex() (complexSelector, error) {
	var c complexSelector
	first, err := p.compound()
	if err != nil {
		return c, err
	}
	c.compounds = append(c.compounds, first)
	for {
		sawSpace := p.space()
		if p.eof() || p.peek() == ',' {
			return c, nil
		}
		comb := byte(' ')
		switch p.peek() {
		case '>':
			comb = '>'
			p.i++
			p.space()
		case '+', '~':
			return c, fmt.Errorf("the combinator %q is not supported", p.peek())
		default:
			if !sawSpace {
				return c, fmt.Errorf("unexpected %q at offset %d", p.peek(), p.i)
			}
		}
		next, err := p.compound()
		if err != nil {
			return c, err
		}
		c.combinators = append(c.combinators, comb)
		c.compounds = append(c.compounds, next)
	}
}

func (p *selectorParser) compound() (compoundSelector, error) {
	var s compoundSelector
	seen := false
	switch {
	case p.peek() == '*':
		p.i++
		seen = true
	case isIdentStart(p.s, p.i):
		s.tag = strings.ToLower(p.ident())
		seen = true
	}
	for !p.eof() {
		switch p.peek() {
		case '#':
			p.i++
			if !isIdentStart(p.s, p.i) && !isNameChar(p.peek()) {
				return s, errors.New("an id selector needs a name")
			}
			s.ids = append(s.ids, p.name())
		case '.':
			p.i++
			if !isIdentStart(p.s, p.i) {
				return s, errors.New("a class selector needs a name")
			}
			s.classes = append(s.classes, p.ident())
		case '[':
			p.i++
			a, err := p.attribute()
			if err != nil {
				return s, err
			}
			s.attrs = append(s.attrs, a)
		case ':':
			if err := p.pseudo(&s); err != nil {
				return s, err
			}
		default:
			if !seen {
				return s, fmt.Errorf("expected a selector at offset %d", p.i)
			}
			return s, nil
		}
		seen = true
	}
	if !seen {
		return s, errors.New("empty selector")
	}
	return s, nil
}

func (p *selectorParser) attribute() (attrSelector, error) {
	p.space()
	if !isIdentStart(p.s, p.i) {
		return attrSelector{}, errors.New("an attribute selector needs a name")
	}
	a := attrSelector{name: strings.ToLower(p.ident())}
	p.space()
	if p.peek() == ']' {
		p.i++
		return a, nil
	}
	for _, op := range []string{"=", "~=", "^=", "$=", "*=", "|="} {
		if strings.HasPrefix(p.s[p.i:], op) {
			a.op = op
			p.i += len(op)
			break
		}
	}
	if a.op == "" {
		return a, fmt.Errorf("unexpected %q in an attribute selector", p.peek())
	}
	p.space()
	switch q := p.peek(); {
	case q == '"' || q == '\'':
		v, err := p.quoted(q)
		if err != nil {
			return a, err
		}
		a.value = v
	case isIdentStart(p.s, p.i):
		a.value = p.ident()
	default:
		return a, errors.New("an attribute selector needs a value")
	}
	p.space()
	if c := p.peek(); c == 'i' || c == 'I' || c == 's' || c == 'S' {
		a.fold = c == 'i' || c == 'I'
		p.i++
		p.space()
	}
	if p.peek() != ']' {
		return a, errors.New("an attribute selector is not closed")
	}
	p.i++
	return a, nil
}

func (p *selectorParser) pseudo(s *compoundSelector) error {
	p.i++
	if p.peek() == ':' {
		return errors.New("pseudo-elements are not supported")
	}
	name := strings.ToLower(p.ident())
	switch name {
	case "first-child":
		s.nths = append(s.nths, nthSelector{b: 1})
		return nil
	case "first-of-type":
		s.nths = append(s.nths, nthSelector{b: 1, ofType: true})
		return nil
	case "nth-child", "nth-of-type", "not":
	default:
		return fmt.Errorf("the pseudo-class :%s is not supported", name)
	}
	if p.peek() != '(' {
		return fmt.Errorf(":%s needs an argument", name)
	}
	p.i++
	p.space()
	if name == "not" {
		inner, err := p.compound()
		if err != nil {
			return err
		}
		p.space()
		if p.peek() != ')' {
			return errors.New(":not() takes one compound selector")
		}
		p.i++
		s.nots = append(s.nots, inner)
		return nil
	}
	end := strings.IndexByte(p.s[p.i:], ')')
	if end < 0 {
		return fmt.Errorf(":%s( is not closed", name)
	}
	n, err := parseNth(p.s[p.i : p.i+end])
	if err != nil {
		return err
	}
	n.ofType = name == "nth-of-type"
	p.i += end + 1
	s.nths = append(s.nths, n)
	return nil
}

// parseNth reads an+b, odd or even.
func parseNth(arg string) (nthSelector, error) {
	s := strings.ToLower(strings.Join(strings.Fields(arg), ""))
	switch s {
	case "odd":
		return nthSelector{a: 2, b: 1}, nil
	case "even":
		return nthSelector{a: 2}, nil
	}
	bad := fmt.Errorf("%q is not an an+b expression", arg)
	if s == "" {
		return nthSelector{}, bad
	}
	n := strings.IndexByte(s, 'n')
	if n < 0 {
		b, err := strconv.Atoi(s)
		if err != nil {
			return nthSelector{}, bad
		}
		return nthSelector{b: b}, nil
	}
	var sel nthSelector
	switch as := s[:n]; as {
	case "", "+":
		sel.a = 1
	case "-":
		sel.a = -1
	default:
		a, err := strconv.Atoi(as)
		if err != nil {
			return sel, bad
		}
		sel.a = a
	}
	if rest := s[n+1:]; rest != "" {
		if rest[0] != '+' && rest[0] != '-' {
			return sel, bad
		}
		b, err := strconv.Atoi(rest)
		if err != nil {
			return sel, bad
		}
		sel.b = b
	}
	return sel, nil
}

func (p *selectorParser) quoted(q byte) (string, error) {
	p.i++
	var b strings.Builder
	for !p.eof() {
		c := p.s[p.i]
		switch {
		case c == q:
			p.i++
			return b.String(), nil
		case c == '\\' && p.i+1 < len(p.s):
			b.WriteString(p.escape())
		default:
			b.WriteByte(c)
			p.i++
		}
	}
	return "", errors.New("a string is not closed")
}

func isNameChar(c byte) bool {
	return c == '-' || c == '_' || c >= 0x80 || (c >= '0' && c <= '9') || (c|0x20 >= 'a' && c|0x20 <= 'z')
}

func isIdentStart(s string, i int) bool {
	if i >= len(s) {
		return false
	}
	c := s[i]
	if c == '-' {
		return i+1 < len(s) && (s[i+1] == '-' || (isNameChar(s[i+1]) && (s[i+1] < '0' || s[i+1] > '9')) || s[i+1] == '\\')
	}
	return c == '_' || c >= 0x80 || c == '\\' || (c|0x20 >= 'a' && c|0x20 <= 'z')
}

// ident reads a CSS identifier (escapes decoded); name reads the
// name-characters an id may start with too.
func (p *selectorParser) ident() string { return p.name() }

func (p *selectorParser) name() string {
	var b strings.Builder
	for !p.eof() {
		c := p.s[p.i]
		switch {
		case c == '\\' && p.i+1 < len(p.s):
			b.WriteString(p.escape())
		case isNameChar(c):
			b.WriteByte(c)
			p.i++
		default:
			return b.String()
		}
	}
	return b.String()
}

// escape reads a CSS escape at p.i (a backslash).
func (p *selectorParser) escape() string {
	p.i++
	j := p.i
	for j < len(p.s) && j-p.i < 6 && strings.IndexByte("0123456789abcdefABCDEF", p.s[j]) >= 0 {
		j++
	}
	if j == p.i {
		r, size := utf8.DecodeRuneInString(p.s[p.i:])
		p.i += size
		return string(r)
	}
	v, _ := strconv.ParseUint(p.s[p.i:j], 16, 32)
	p.i = j
	if p.i < len(p.s) && isHTMLSpace(p.s[p.i]) {
		p.i++
	}
	if v == 0 || v > utf8.MaxRune {
		return string(utf8.RuneError)
	}
	return string(rune(v))
}
