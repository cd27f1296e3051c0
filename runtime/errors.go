package runtime

import (
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"

	"github.com/dop251/goja"
)

// maxFrames bounds captured and printed call stacks.
const maxFrames = 16

// CallSite is a JS call stack captured while Go code runs on behalf of a JS
// call, so that an error produced later, off the loop, can point at the line
// that asked for the work.
type CallSite []goja.StackFrame

// CaptureCallSite captures the JS frames calling the current Go function.
// Loop goroutine only, from a Go function called by JS.
func CaptureCallSite(vm *goja.Runtime) CallSite {
	frames := vm.CaptureCallStack(maxFrames, nil)
	i := 0
	for i < len(frames) && frames[i].Position().Filename == "" {
		i++ // the native function itself
	}
	return frames[i:]
}

// Frames returns the call site's frames, mapped to original positions.
func (s CallSite) Frames() []Frame {
	var out []Frame
	for i := range s {
		p := s[i].Position()
		if p.Filename == "" {
			continue
		}
		out = append(out, Frame{Function: frameFunc(s[i].FuncName()), File: unescapePath(p.Filename), Line: p.Line, Column: p.Column})
	}
	return out
}

func frameFunc(name string) string {
	if name == "<anonymous>" || name == "<native>" {
		return ""
	}
	return name
}

// SiteError is a Go error that should surface in JS with the stack of Site
// rather than of the place it is turned into a JS value.
type SiteError struct {
	Err  error
	Site CallSite
}

func (e *SiteError) Error() string { return e.Err.Error() }
func (e *SiteError) Unwrap() error { return e.Err }

// ErrorDecorator is implemented by Go errors that add properties (a code,
// a name, …) to the JS Error made from them.
type ErrorDecorator interface {
	DecorateJSError(vm *goja.Runtime, obj *goja.Object)
}

// ErrorValue converts a Go error into the JS value to throw or reject with.
// A JS exception keeps its value; any other error becomes an Error whose
// stack is site (or the SiteError's own), decorated by an ErrorDecorator in
// the chain. Loop goroutine only.
func ErrorValue(vm *goja.Runtime, err error, site CallSite) goja.Value {
	var ex *goja.Exception
	if errors.As(err, &ex) {
		return ex.Value()
	}
	var se *SiteError
	if errors.As(err, &se) {
		site = se.Site
	}
	return NewError(vm, err, site)
}

// NewError returns a JS Error with err's message whose stack is site.
// Loop goroutine only.
func NewError(vm *goja.Runtime, err error, site CallSite) *goja.Object {
	obj, cerr := vm.New(vm.Get("Error"), vm.ToValue(err.Error()))
	if cerr != nil {
		obj = vm.NewGoError(err)
	}
	var dec ErrorDecorator
	if errors.As(err, &dec) {
		dec.DecorateJSError(vm, obj)
	}
	if len(site) > 0 {
		head := "Error"
		if n := obj.Get("name"); n != nil && !goja.IsUndefined(n) {
			head = n.String()
		}
		_ = obj.Set("stack", head+": "+err.Error()+"\n"+formatFrames(site.Frames()))
	}
	return obj
}

func formatFrames(frames []Frame) string {
	var b strings.Builder
	for _, f := range frames {
		b.WriteString("    at ")
		b.WriteString(f.String())
		b.WriteByte('\n')
	}
	return b.String()
}

// Frame is one JS stack frame at its original position.
type Frame struct {
	// Function is the function's name, empty for anonymous code.
	Function string
	// File is the absolute path of the original file (or a virtual module's
	// "namespace:name").
	File string
	// Line and Column are 1-based.
	Line, Column int
}

func (f Frame) String() string {
	loc := fmt.Sprintf("%s:%d:%d", f.File, f.Line, f.Column)
	if f.Function == "" {
		return loc
	}
	return f.Function + " (" + loc + ")"
}

// ScriptError is a JS exception that escaped the program, or a promise
// rejection nothing handled. Its fields are plain Go values, safe to use off
// the loop.
type ScriptError struct {
	// Message is the error as JS prints it ("TypeError: x is not a function"),
	// or the inspected value for a thrown non-Error.
	Message string
	// Frames is the stack at its original positions, innermost first.
	Frames []Frame
	// Rejection reports an unhandled promise rejection.
	Rejection bool
	// Cause is the error's cause, when it has one.
	Cause *ScriptError
}

func (e *ScriptError) Error() string {
	msg := e.Message
	if f, ok := e.Location(); ok {
		msg = fmt.Sprintf("%s:%d:%d: %s", f.File, f.Line, f.Column, msg)
	}
	if e.Rejection {
		msg += " (unhandled promise rejection)"
	}
	return msg
}

// Location returns the innermost frame in a real file.
func (e *ScriptError) Location() (Frame, bool) {
	for _, f := range e.Frames {
		if isUserFile(f.File) {
			return f, true
		}
	}
	return Frame{}, false
}

// isUserFile reports whether a frame's file is an original source file
// rather than a virtual module or the bundle's own glue.
func isUserFile(file string) bool {
	return strings.HasPrefix(file, "/") && !strings.HasSuffix(file, ".bundle.js")
}

// NewScriptError describes a thrown or rejected JS value (an Error with
// its stack at original positions, or any other value inspected), for Go
// code that catches JS errors itself. Loop goroutine only.
func NewScriptError(vm *goja.Runtime, v goja.Value) *ScriptError {
	return describeError(vm, v, 0)
}

// scriptErrorFromValue describes a thrown or rejected value. Loop goroutine.
func scriptErrorFromValue(vm *goja.Runtime, v goja.Value) *ScriptError {
	return describeError(vm, v, 0)
}

func describeError(vm *goja.Runtime, v goja.Value, depth int) *ScriptError {
	se := &ScriptError{}
	obj, isObj := v.(*goja.Object)
	if !isObj || !isErrorObject(vm, obj) {
		se.Message = Inspect(vm, v, InspectOptions{})
		return se
	}
	se.Message = errorHeader(vm, obj)
	if stack := obj.Get("stack"); stack != nil && !goja.IsUndefined(stack) {
		se.Frames = parseStack(stack.String())
	}
	if depth < 4 {
		if cause := obj.Get("cause"); cause != nil && !goja.IsUndefined(cause) {
			se.Cause = describeError(vm, cause, depth+1)
		}
	}
	return se
}

// scriptErrorFromException describes a thrown non-Error with the stack of
// the throw; it returns nil for Error objects, which carry their own stack.
func scriptErrorFromException(vm *goja.Runtime, ex *goja.Exception) *ScriptError {
	v := ex.Value()
	if obj, ok := v.(*goja.Object); ok && isErrorObject(vm, obj) {
		return nil
	}
	se := &ScriptError{Message: Inspect(vm, v, InspectOptions{})}
	var text string
	if jsErr := vm.Try(func() { text = ex.String() }); jsErr == nil {
		se.Frames = parseStack(text)
	}
	return se
}

func isErrorObject(vm *goja.Runtime, obj *goja.Object) bool {
	ctor, ok := vm.Get("Error").(*goja.Object)
	if !ok {
		return false
	}
	is := false
	if ex := vm.Try(func() { is = vm.InstanceOf(obj, ctor) }); ex != nil {
		return false
	}
	return is
}

// errorHeader is "Name: message" as Error.prototype.toString gives it.
func errorHeader(vm *goja.Runtime, obj *goja.Object) string {
	var s string
	if ex := vm.Try(func() { s = obj.String() }); ex != nil {
		return "Error"
	}
	return s
}

// parseStack reads the frames of a JS stack string: lines "at name (file:line:col)"
// or "at file:line:col", with goja's "(pc)" suffixes dropped. Lines that name
// no position (native code) are skipped.
func parseStack(stack string) []Frame {
	var frames []Frame
	for _, line := range strings.Split(stack, "\n") {
		line = strings.TrimSpace(line)
		rest, ok := strings.CutPrefix(line, "at ")
		if !ok {
			continue
		}
		fn, loc := "", rest
		if strings.HasSuffix(rest, ")") {
			if i := strings.Index(rest, " ("); i >= 0 {
				fn, loc = rest[:i], rest[i+2:len(rest)-1]
			}
		}
		loc = stripPC(loc)
		f, ok := parseLocation(loc)
		if !ok {
			continue
		}
		f.Function = frameFunc(fn)
		frames = append(frames, f)
		if len(frames) == maxFrames {
			break
		}
	}
	return frames
}

// stripPC removes goja's program-counter suffix: "file:3:7(12)" → "file:3:7".
func stripPC(loc string) string {
	if !strings.HasSuffix(loc, ")") {
		return loc
	}
	i := strings.LastIndexByte(loc, '(')
	if i < 0 {
		return loc
	}
	if _, err := strconv.Atoi(loc[i+1 : len(loc)-1]); err != nil {
		return loc
	}
	return loc[:i]
}

func parseLocation(loc string) (Frame, bool) {
	c2 := strings.LastIndexByte(loc, ':')
	if c2 < 0 {
		return Frame{}, false
	}
	c1 := strings.LastIndexByte(loc[:c2], ':')
	if c1 < 0 {
		return Frame{}, false
	}
	line, err1 := strconv.Atoi(loc[c1+1 : c2])
	col, err2 := strconv.Atoi(loc[c2+1:])
	if err1 != nil || err2 != nil {
		return Frame{}, false
	}
	return Frame{File: unescapePath(loc[:c1]), Line: line, Column: col}, true
}

// unescapePath undoes the URL escaping goja applies to source map paths.
func unescapePath(p string) string {
	if !strings.Contains(p, "%") {
		return p
	}
	if u, err := url.PathUnescape(p); err == nil {
		return u
	}
	return p
}
