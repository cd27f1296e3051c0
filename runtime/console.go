package runtime

import (
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/dop251/goja"
)

// console implements the console global: log, info and debug write to
// stdout; warn, error and trace to stderr; arguments formatted as
// util.format does.
type console struct {
	h      *Host
	group  int
	counts map[string]int
	timers map[string]time.Time
}

func (c *console) object() *goja.Object {
	vm := c.h.vm
	obj := vm.NewObject()
	out, errw := c.h.cfg.Stdout, c.h.cfg.Stderr
	printer := func(w io.Writer) func(goja.FunctionCall) goja.Value {
		return func(call goja.FunctionCall) goja.Value {
			c.write(w, Format(vm, call.Arguments))
			return goja.Undefined()
		}
	}
	set := func(name string, fn func(goja.FunctionCall) goja.Value) { _ = obj.Set(name, fn) }
	set("log", printer(out))
	set("info", printer(out))
	set("debug", printer(out))
	set("warn", printer(errw))
	set("error", printer(errw))
	set("table", printer(out))
	set("dir", func(call goja.FunctionCall) goja.Value {
		c.write(out, Inspect(vm, call.Argument(0), InspectOptions{}))
		return goja.Undefined()
	})
	set("trace", func(call goja.FunctionCall) goja.Value {
		msg := "Trace"
		if len(call.Arguments) > 0 {
			msg += ": " + Format(vm, call.Arguments)
		}
		c.write(errw, msg+"\n"+strings.TrimRight(formatFrames(CaptureCallSite(vm).Frames()), "\n"))
		return goja.Undefined()
	})
	set("assert", func(call goja.FunctionCall) goja.Value {
		if call.Argument(0).ToBoolean() {
			return goja.Undefined()
		}
		msg := "Assertion failed"
		if len(call.Arguments) > 1 {
			msg += ": " + Format(vm, call.Arguments[1:])
		}
		c.write(errw, msg)
		return goja.Undefined()
	})
	label := func(call goja.FunctionCall) string {
		if l := call.Argument(0); !goja.IsUndefined(l) {
			return l.String()
		}
		return "default"
	}
	set("count", func(call goja.FunctionCall) goja.Value {
		if c.counts == nil {
			c.counts = map[string]int{}
		}
		l := label(call)
		c.counts[l]++
		c.write(out, fmt.Sprintf("%s: %d", l, c.counts[l]))
		return goja.Undefined()
	})
	set("countReset", func(call goja.FunctionCall) goja.Value {
		delete(c.counts, label(call))
		return goja.Undefined()
	})
	set("time", func(call goja.FunctionCall) goja.Value {
		if c.timers == nil {
			c.timers = map[string]time.Time{}
		}
		c.timers[label(call)] = time.Now()
		return goja.Undefined()
	})
	elapsed := func(call goja.FunctionCall, end bool) goja.Value {
		l := label(call)
		start, ok := c.timers[l]
		if !ok {
			c.write(errw, fmt.Sprintf("Warning: No such label '%s' for console.time%s()", l, map[bool]string{true: "End", false: "Log"}[end]))
			return goja.Undefined()
		}
		if end {
			delete(c.timers, l)
		}
		d := time.Since(start)
		line := fmt.Sprintf("%s: %.3fms", l, float64(d.Microseconds())/1000)
		if !end && len(call.Arguments) > 1 {
			line += " " + Format(vm, call.Arguments[1:])
		}
		c.write(out, line)
		return goja.Undefined()
	}
	set("timeEnd", func(call goja.FunctionCall) goja.Value { return elapsed(call, true) })
	set("timeLog", func(call goja.FunctionCall) goja.Value { return elapsed(call, false) })
	group := func(call goja.FunctionCall) goja.Value {
		if len(call.Arguments) > 0 {
			c.write(out, Format(vm, call.Arguments))
		}
		c.group++
		return goja.Undefined()
	}
	set("group", group)
	set("groupCollapsed", group)
	set("groupEnd", func(goja.FunctionCall) goja.Value {
		c.group = max(c.group-1, 0)
		return goja.Undefined()
	})
	return obj
}

// write prints one message, indented for console.group, and a newline.
func (c *console) write(w io.Writer, msg string) {
	if c.group > 0 {
		pad := strings.Repeat("  ", c.group)
		msg = pad + strings.ReplaceAll(msg, "\n", "\n"+pad)
	}
	_, _ = io.WriteString(w, msg+"\n")
}
