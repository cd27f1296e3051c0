package testrun

import (
	"slices"
	"strings"
)

// diffContext is how many unchanged lines are kept around each change.
const diffContext = 3

// maxDiffCells bounds the work of the line diff (lines of one side times
// lines of the other); beyond it both texts are shown whole.
const maxDiffCells = 4 << 20

// Diff compares two texts line by line. Each line of the result starts
// with "- " (only in expected), "+ " (only in received) or "  " (in both);
// long unchanged stretches are shortened to "  ...".
func Diff(expected, received string) string {
	a := strings.Split(expected, "\n")
	b := strings.Split(received, "\n")
	var lines []string
	if len(a)*len(b) > maxDiffCells {
		for _, l := range a {
			lines = append(lines, "- "+l)
		}
		for _, l := range b {
			lines = append(lines, "+ "+l)
		}
		return strings.Join(lines, "\n")
	}
	return strings.Join(shorten(lineDiff(a, b)), "\n")
}

// lineDiff returns the edit script of a longest common subsequence.
func lineDiff(a, b []string) []string {
	n, m := len(a), len(b)
	// lcs[i][j] is the length of the LCS of a[i:] and b[j:].
	lcs := make([][]int32, n+1)
	for i := range lcs {
		lcs[i] = make([]int32, m+1)
	}
	for i := n - 1; i >= 0; i-- {
		for j := m - 1; j >= 0; j-- {
			if a[i] == b[j] {
				lcs[i][j] = lcs[i+1][j+1] + 1
			} else {
				lcs[i][j] = max(lcs[i+1][j], lcs[i][j+1])
			}
		}
	}
	out := make([]string, 0, n+m)
	i, j := 0, 0
	for i < n && j < m {
		switch {
		case a[i] == b[j]:
			out = append(out, "  "+a[i])
			i++
			j++
		case lcs[i+1][j] >= lcs[i][j+1]:
			out = append(out, "- "+a[i])
			i++
		default:
			out = append(out, "+ "+b[j])
			j++
		}
	}
	for ; i < n; i++ {
		out = append(out, "- "+a[i])
	}
	for ; j < m; j++ {
		out = append(out, "+ "+b[j])
	}
	return out
}

// shorten keeps diffContext unchanged lines around each change and
// replaces the stretches between them by "  ..." when that saves lines;
// without changes it keeps every line.
func shorten(lines []string) []string {
	changed := func(l string) bool { return !strings.HasPrefix(l, "  ") }
	if !slices.ContainsFunc(lines, changed) {
		return lines
	}
	keep := make([]bool, len(lines))
	for i, l := range lines {
		if !changed(l) {
			continue
		}
		for k := max(0, i-diffContext); k <= min(len(lines)-1, i+diffContext); k++ {
			keep[k] = true
		}
	}
	var out []string
	for i := 0; i < len(lines); {
		if keep[i] {
			out = append(out, lines[i])
			i++
			continue
		}
		j := i
		for j < len(lines) && !keep[j] {
			j++
		}
		if j-i > 2 {
			out = append(out, "  ...")
		} else {
			out = append(out, lines[i:j]...)
		}
		i = j
	}
	return out
}
