package engine

import (
	"errors"
	"fmt"
	"io"
	"strings"
	"sync"
	"time"
)

// Action is what happened to a resource, the bracketed prefix of its line.
type Action string

// Actions reported by the engine.
const (
	ActionCreating Action = "creating"
	ActionCreated  Action = "created"
	ActionUpdating Action = "updating"
	ActionUpdated  Action = "updated"
	ActionReplaced Action = "replaced"
	ActionSkipped  Action = "skipped"
	ActionRead     Action = "read"
	ActionDeleting Action = "deleting"
	ActionDeleted  Action = "deleted"
	// ActionCleanup and ActionCleaned delete the old resource of a replacement.
	ActionCleanup Action = "cleanup"
	ActionCleaned Action = "cleaned"
	ActionFailed  Action = "failed"
	// ActionDev reports a resource served locally; Message holds its URL.
	ActionDev Action = "dev"
	// ActionWarn is a warning about a scope; Message says what.
	ActionWarn Action = "warn"
)

// Event is one thing the engine reports.
type Event struct {
	Action Action
	Kind   string
	ID     string
	// FQN is the resource's fully qualified name, app/stage/scopes…/id; for a
	// warning, the chain of the scope concerned.
	FQN     string
	Message string
	Err     error
	// Quiet events are counted but not printed.
	Quiet bool
}

// Display is the resource as the output shows it: the FQN without app and
// stage, scopes joined by " > " ("backend > api").
func (e Event) Display() string {
	parts := strings.Split(e.FQN, "/")
	if len(parts) <= 2 {
		return ""
	}
	return strings.Join(parts[2:], " > ")
}

// Reporter receives events. Implementations must be safe for concurrent use.
type Reporter interface {
	Report(Event)
}

// Reporters fans events out to several reporters.
type Reporters []Reporter

// Report implements Reporter.
func (rs Reporters) Report(e Event) {
	for _, r := range rs {
		r.Report(e)
	}
}

type discard struct{}

func (discard) Report(Event) {}

const (
	ansiReset  = "\x1b[0m"
	ansiCyan   = "\x1b[96m"
	ansiYellow = "\x1b[93m"
	ansiMag    = "\x1b[35m"
	ansiGreen  = "\x1b[92m"
	ansiRed    = "\x1b[91m"
	ansiGray   = "\x1b[90m"
)

var actionLines = map[Action]struct{ message, color string }{
	ActionCreating: {"Creating Resource...", ansiMag},
	ActionCreated:  {"Created Resource", ansiGreen},
	ActionUpdating: {"Updating Resource...", ansiMag},
	ActionUpdated:  {"Updated Resource", ansiGreen},
	ActionReplaced: {"Replaced Resource", ansiGreen},
	ActionSkipped:  {"Skipped Resource (no changes)", ansiYellow},
	ActionDeleting: {"Deleting Resource...", ansiRed},
	ActionDeleted:  {"Deleted Resource", ansiGreen},
	ActionCleanup:  {"Cleaning Up Old Resource...", ansiMag},
	ActionCleaned:  {"Old Resource Cleanup Complete", ansiGreen},
	ActionFailed:   {"Failed", ansiRed},
	ActionDev:      {"Ready at", ansiCyan},
}

// TextReporter writes one line per event in the library's format
// ("[creating]  backend > api Creating Resource...", the prefix padded to 12)
// and counts actions for the closing summary.
type TextReporter struct {
	mu     sync.Mutex
	w      io.Writer
	color  bool
	quiet  bool
	start  time.Time
	counts map[Action]int
}

// TextOptions configure a TextReporter.
type TextOptions struct {
	// Color enables ANSI colours (only on a terminal, without NO_COLOR/CI).
	Color bool
	// Quiet suppresses per-resource lines; warnings and the summary remain.
	Quiet bool
}

// NewTextReporter returns a reporter writing to w. Its clock for the summary
// starts now.
func NewTextReporter(w io.Writer, opts TextOptions) *TextReporter {
	return &TextReporter{w: w, color: opts.Color, quiet: opts.Quiet, start: time.Now(), counts: map[Action]int{}}
}

func (t *TextReporter) paint(s, color string) string {
	if !t.color || color == "" {
		return s
	}
	return color + s + ansiReset
}

// Report implements Reporter.
func (t *TextReporter) Report(e Event) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.counts[e.Action]++
	line := t.format(e)
	if line == "" || (e.Action != ActionWarn && (e.Quiet || t.quiet)) {
		return
	}
	io.WriteString(t.w, line+"\n")
}

// Line returns the line an event prints, without colour ("" when it prints
// none).
func (e Event) Line() string {
	return (&TextReporter{}).format(e)
}

func (t *TextReporter) format(e Event) string {
	if e.Action == ActionWarn {
		return t.paint("WARN", ansiYellow) + " " + e.Message
	}
	spec, ok := actionLines[e.Action]
	if !ok {
		return ""
	}
	prefix := t.paint(fmt.Sprintf("%-12s", "["+string(e.Action)+"]"), spec.color)
	msg := spec.message
	switch e.Action {
	case ActionFailed:
		err := e.Err
		var re *ResourceError
		if errors.As(err, &re) && re.FQN == e.FQN {
			// The line already names the resource.
			err = re.Err
			if re.Op != "" {
				err = fmt.Errorf("%s: %w", re.Op, re.Err)
			}
		}
		if err != nil {
			msg = "Failed to " + err.Error()
			if re == nil || re.Op == "" {
				msg = "Failed: " + err.Error()
			}
		}
	case ActionDev:
		msg = spec.message + " " + e.Message
	}
	name := e.Display()
	if name == "" {
		return prefix + msg
	}
	return prefix + t.paint(name, ansiGray) + " " + msg
}

// summaryOrder lists the counted actions in the order the summary shows them.
var summaryOrder = []struct {
	label   string
	actions []Action
}{
	{"created", []Action{ActionCreated}},
	{"updated", []Action{ActionUpdated}},
	{"replaced", []Action{ActionReplaced}},
	{"deleted", []Action{ActionDeleted, ActionCleaned}},
	{"skipped", []Action{ActionSkipped}},
	{"read", []Action{ActionRead}},
	{"failed", []Action{ActionFailed}},
}

// Summary returns the closing line: counts per action and the wall time since
// the reporter was made, e.g. "3 created, 1 deleted, 5 skipped in 1.24s".
func (t *TextReporter) Summary() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	var parts []string
	for _, s := range summaryOrder {
		n := 0
		for _, a := range s.actions {
			n += t.counts[a]
		}
		if n > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", n, s.label))
		}
	}
	if len(parts) == 0 {
		parts = []string{"no changes"}
	}
	elapsed := time.Since(t.start)
	return fmt.Sprintf("%s in %s", strings.Join(parts, ", "), formatElapsed(elapsed))
}

// Count returns how many events of an action were reported.
func (t *TextReporter) Count(a Action) int {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.counts[a]
}

func formatElapsed(d time.Duration) string {
	if d < time.Second {
		return fmt.Sprintf("%dms", d.Milliseconds())
	}
	return fmt.Sprintf("%.2fs", d.Seconds())
}

// Recorder keeps every event, for tests and tools.
type Recorder struct {
	mu     sync.Mutex
	events []Event
}

// Report implements Reporter.
func (r *Recorder) Report(e Event) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.events = append(r.events, e)
}

// Events returns the events reported so far.
func (r *Recorder) Events() []Event {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]Event(nil), r.events...)
}

// Reset forgets the events reported so far.
func (r *Recorder) Reset() {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.events = nil
}
