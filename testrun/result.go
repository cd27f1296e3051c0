package testrun

import (
	"strings"
	"time"
)

// State is the outcome of a test.
type State string

// The states of a result.
const (
	Passed  State = "passed"
	Failed  State = "failed"
	Skipped State = "skipped"
	Todo    State = "todo"
)

// Result is the outcome of one test, or a failure of a file or suite
// outside any test (then Name is empty and Reason says where).
type Result struct {
	// File is the test file, relative to the working directory.
	File string
	// Path holds the names of the enclosing describe blocks, outermost
	// first.
	Path []string
	// Name is the test's name; empty for a failure outside a test.
	Name  string
	State State
	// Reason says why a test was skipped ("skip", "todo", "filtered" by
	// .only or -t, "bail"), or where a failure outside a test happened
	// ("load", "describe", "setup", "afterAll", "cleanup", "uncaught",
	// "interrupted", "leftover").
	Reason   string
	Duration time.Duration
	Failure  *Failure
}

// Failure describes why a test failed.
type Failure struct {
	// Message is the error as JavaScript prints it ("AssertionError: …").
	Message string
	// Location is the innermost position in the user's files, at its
	// original file:line:column; nil when the error has none.
	Location *Location
	// Report is the error formatted for a terminal: location, message,
	// the source line with a marker, and the stack.
	Report string
	// Diff shows how an assertion's expected and received values differ.
	Diff string
}

// Location is a position in a source file (1-based line and column).
type Location struct {
	File   string `json:"file"`
	Line   int    `json:"line"`
	Column int    `json:"column"`
}

// Hidden reports whether the result is counted but not listed: tests left
// out by .only, -t or --bail.
func (r Result) Hidden() bool {
	return r.State == Skipped && (r.Reason == "filtered" || r.Reason == "bail")
}

// FullName is the test's describe names and name joined by " > ".
func (r Result) FullName() string {
	parts := append(append([]string(nil), r.Path...), r.Name)
	if r.Name == "" {
		parts = parts[:len(parts)-1]
	}
	return strings.Join(parts, " > ")
}

// Title names the result in output: file, describe names and test name
// joined by " > ", and for a failure outside a test where it happened.
func (r Result) Title() string {
	parts := append([]string{r.File}, r.Path...)
	if r.Name != "" {
		parts = append(parts, r.Name)
	}
	title := strings.Join(parts, " > ")
	if r.Name == "" {
		if where := failurePlaces[r.Reason]; where != "" {
			title += " (" + where + ")"
		} else if r.Reason != "" {
			title += " (" + r.Reason + ")"
		}
	}
	return title
}

var failurePlaces = map[string]string{
	"load":        "the file failed before its tests ran",
	"describe":    "describe block",
	"setup":       "opening the test app",
	"afterAll":    "afterAll hook",
	"cleanup":     "cleanup",
	"uncaught":    "uncaught error",
	"interrupted": "interrupted",
	"leftover":    "left behind",
	"runner":      "runner",
}

// FileResult holds the results of one test file.
type FileResult struct {
	File     string
	Results  []Result
	Duration time.Duration
}

// Counts are the numbers of tests per outcome; todo tests count as
// skipped, failures outside tests as failed.
type Counts struct {
	Passed, Failed, Skipped int
}

// Count adds up the results of files.
func Count(files []FileResult) Counts {
	var c Counts
	for _, f := range files {
		for _, r := range f.Results {
			switch r.State {
			case Passed:
				c.Passed++
			case Failed:
				c.Failed++
			default:
				c.Skipped++
			}
		}
	}
	return c
}
