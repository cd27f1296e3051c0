package testrun

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"time"
)

const (
	ansiReset = "\x1b[0m"
	ansiRed   = "\x1b[31m"
	ansiGreen = "\x1b[32m"
	ansiGray  = "\x1b[90m"
)

func paint(color bool, code, s string) string {
	if !color {
		return s
	}
	return code + s + ansiReset
}

// FormatDuration prints a duration for a result line: "12 ms", "1.23 s".
func FormatDuration(d time.Duration) string {
	if d >= time.Second {
		return fmt.Sprintf("%.2f s", d.Seconds())
	}
	return fmt.Sprintf("%d ms", d.Round(time.Millisecond).Milliseconds())
}

// Line is the one-line report of a result: "✓ file > describe > name (12 ms)",
// "✗ …", "↓ … (skipped)" or "↓ … (todo)". Hidden results have no line.
func Line(r Result, color bool) string {
	switch {
	case r.Hidden():
		return ""
	case r.State == Passed:
		return fmt.Sprintf("%s %s %s", paint(color, ansiGreen, "✓"), r.Title(), paint(color, ansiGray, "("+FormatDuration(r.Duration)+")"))
	case r.State == Failed:
		if r.Name == "" {
			return fmt.Sprintf("%s %s", paint(color, ansiRed, "✗"), r.Title())
		}
		return fmt.Sprintf("%s %s %s", paint(color, ansiRed, "✗"), r.Title(), paint(color, ansiGray, "("+FormatDuration(r.Duration)+")"))
	case r.State == Todo:
		return paint(color, ansiGray, fmt.Sprintf("↓ %s (todo)", r.Title()))
	default:
		return paint(color, ansiGray, fmt.Sprintf("↓ %s (skipped)", r.Title()))
	}
}

// Report is the outcome of a whole run.
type Report struct {
	Files    []FileResult
	Duration time.Duration
	// Errors are failures of the run as a whole, outside any file (what
	// the local Cloudflare still holds at the end); each counts as failed.
	Errors []string
	// Notes are printed before the closing line (where state was kept).
	Notes []string
}

// Counts adds up the run's results.
func (rep Report) Counts() Counts {
	c := Count(rep.Files)
	c.Failed += len(rep.Errors)
	return c
}

// Failed reports whether any test or file failed.
func (rep Report) Failed() bool { return rep.Counts().Failed > 0 }

// Summary is the closing line: "N passed, N failed", with ", N skipped"
// when any test was skipped.
func (c Counts) Summary() string {
	s := fmt.Sprintf("%d passed, %d failed", c.Passed, c.Failed)
	if c.Skipped > 0 {
		s += fmt.Sprintf(", %d skipped", c.Skipped)
	}
	return s
}

// WriteText writes what follows the result lines: each failure in full
// (the error at its source line, the expectation's diff), the notes, then
// the closing line.
func (rep Report) WriteText(w io.Writer, color bool) error {
	var b strings.Builder
	for _, f := range rep.Files {
		for _, r := range f.Results {
			if r.State != Failed || r.Failure == nil {
				continue
			}
			fmt.Fprintf(&b, "\n%s %s\n", paint(color, ansiRed, "FAIL"), r.Title())
			b.WriteString(strings.TrimRight(r.Failure.Report, "\n"))
			b.WriteString("\n")
			if r.Failure.Diff != "" {
				b.WriteString("\n")
				for _, line := range strings.Split(strings.TrimRight(r.Failure.Diff, "\n"), "\n") {
					switch {
					case strings.HasPrefix(line, "- "), line == "-", strings.HasPrefix(line, "Expected:"):
						line = paint(color, ansiGreen, line)
					case strings.HasPrefix(line, "+ "), line == "+", strings.HasPrefix(line, "Received:"):
						line = paint(color, ansiRed, line)
					}
					b.WriteString(strings.TrimRight("  "+line, " ") + "\n")
				}
			}
		}
	}
	for _, e := range rep.Errors {
		fmt.Fprintf(&b, "\n%s %s\n", paint(color, ansiRed, "FAIL"), strings.TrimRight(e, "\n"))
	}
	b.WriteString("\n")
	for _, n := range rep.Notes {
		b.WriteString(n + "\n")
	}
	c := rep.Counts()
	files := "files"
	if len(rep.Files) == 1 {
		files = "file"
	}
	fmt.Fprintf(&b, "%d test %s in %s\n", len(rep.Files), files, FormatDuration(rep.Duration))
	summary := c.Summary()
	if c.Failed > 0 {
		summary = paint(color, ansiRed, summary)
	} else {
		summary = paint(color, ansiGreen, summary)
	}
	b.WriteString(summary + "\n")
	_, err := io.WriteString(w, b.String())
	return err
}

type jsonFailure struct {
	Message  string    `json:"message"`
	Location *Location `json:"location,omitempty"`
	Diff     string    `json:"diff,omitempty"`
	Report   string    `json:"report"`
}

type jsonResult struct {
	Name       string       `json:"name"`
	Path       []string     `json:"path"`
	FullName   string       `json:"fullName"`
	State      State        `json:"state"`
	Reason     string       `json:"reason,omitempty"`
	DurationMs float64      `json:"durationMs"`
	Failure    *jsonFailure `json:"failure,omitempty"`
}

type jsonFile struct {
	File       string       `json:"file"`
	DurationMs float64      `json:"durationMs"`
	Results    []jsonResult `json:"results"`
}

type jsonReport struct {
	Success    bool       `json:"success"`
	Passed     int        `json:"passed"`
	Failed     int        `json:"failed"`
	Skipped    int        `json:"skipped"`
	DurationMs float64    `json:"durationMs"`
	Files      []jsonFile `json:"files"`
	Errors     []string   `json:"errors,omitempty"`
	Notes      []string   `json:"notes,omitempty"`
}

func millis(d time.Duration) float64 {
	return float64(d.Microseconds()) / 1000
}

// WriteJSON writes the run as one JSON document.
func (rep Report) WriteJSON(w io.Writer) error {
	c := rep.Counts()
	out := jsonReport{Success: c.Failed == 0, Passed: c.Passed, Failed: c.Failed, Skipped: c.Skipped,
		DurationMs: millis(rep.Duration), Files: []jsonFile{}, Errors: rep.Errors, Notes: rep.Notes}
	for _, f := range rep.Files {
		jf := jsonFile{File: f.File, DurationMs: millis(f.Duration), Results: []jsonResult{}}
		for _, r := range f.Results {
			jr := jsonResult{Name: r.Name, Path: r.Path, FullName: r.FullName(), State: r.State, Reason: r.Reason,
				DurationMs: millis(r.Duration)}
			if jr.Path == nil {
				jr.Path = []string{}
			}
			if r.Failure != nil {
				jr.Failure = &jsonFailure{Message: r.Failure.Message, Location: r.Failure.Location, Diff: r.Failure.Diff, Report: r.Failure.Report}
			}
			jf.Results = append(jf.Results, jr)
		}
		out.Files = append(out.Files, jf)
	}
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}
