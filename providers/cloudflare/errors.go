package cloudflare

import (
	"errors"
	"fmt"
	"net/http"
	"strings"

	cf "github.com/cloudflare/cloudflare-go/v6"
)

// ErrorDetail is one entry of the errors of a Cloudflare response.
type ErrorDetail struct {
	Code    int
	Message string
}

// APIError is a failed Cloudflare API call: what was attempted, the HTTP
// status, Cloudflare's error codes and messages, and what to do about it.
type APIError struct {
	// Op says what was attempted ("create KV namespace \"x\"").
	Op     string
	Status int
	Errors []ErrorDetail
	// Hint says what the user can do ("use adopt: true or --adopt …").
	Hint string
	// AfterDrop is set when an earlier attempt of the same call lost its
	// connection: a create may then have succeeded on the server already.
	AfterDrop bool
}

func (e *APIError) Error() string {
	var b strings.Builder
	b.WriteString(e.Op)
	fmt.Fprintf(&b, ": HTTP %d", e.Status)
	if len(e.Errors) == 0 {
		b.WriteString(" " + http.StatusText(e.Status))
	}
	for i, d := range e.Errors {
		if i == 0 {
			b.WriteString(", Cloudflare error ")
		} else {
			b.WriteString("; ")
		}
		fmt.Fprintf(&b, "%d: %s", d.Code, d.Message)
	}
	if e.Hint != "" {
		b.WriteString(" (" + e.Hint + ")")
	}
	return b.String()
}

// HasCode reports whether Cloudflare answered with the error code.
func (e *APIError) HasCode(code int) bool {
	for _, d := range e.Errors {
		if d.Code == code {
			return true
		}
	}
	return false
}

// MessageContains reports whether any error message contains s (case
// insensitive).
func (e *APIError) MessageContains(s string) bool {
	s = strings.ToLower(s)
	for _, d := range e.Errors {
		if strings.Contains(strings.ToLower(d.Message), s) {
			return true
		}
	}
	return false
}

// Codes that mean "a resource of that name exists already".
var conflictCodes = []int{
	10014, // KV namespace title taken
	10004, // R2 bucket exists
	7502,  // D1 database name taken
	11009, // queue name taken
}

// IsConflict reports whether the call failed because the resource exists.
func (e *APIError) IsConflict() bool {
	if e.Status == http.StatusConflict {
		return true
	}
	for _, c := range conflictCodes {
		if e.HasCode(c) {
			return true
		}
	}
	return e.MessageContains("already exists") || e.MessageContains("already has a consumer")
}

// asAPIError returns the APIError inside err.
func asAPIError(err error) (*APIError, bool) {
	var ae *APIError
	ok := errors.As(err, &ae)
	return ae, ok
}

// IsNotFound reports whether err is a Cloudflare 404.
func IsNotFound(err error) bool {
	ae, ok := asAPIError(err)
	return ok && ae.Status == http.StatusNotFound
}

// IsConflict reports whether err says the resource exists already.
func IsConflict(err error) bool {
	ae, ok := asAPIError(err)
	return ok && ae.IsConflict()
}

// newAPIError converts cloudflare-go's error.
func newAPIError(op string, e *cf.Error) *APIError {
	ae := &APIError{Op: op, Status: e.StatusCode}
	for _, d := range e.Errors {
		ae.Errors = append(ae.Errors, ErrorDetail{Code: int(d.Code), Message: d.Message})
	}
	ae.Hint = hintFor(ae)
	return ae
}

// hintFor says what to do about a failure.
func hintFor(e *APIError) string {
	switch {
	case e.IsConflict():
		return "it exists already: use adopt: true or --adopt to take it over, or choose another name"
	case e.Status == http.StatusUnauthorized || e.Status == http.StatusForbidden:
		return "check CLOUDFLARE_API_TOKEN (or CLOUDFLARE_API_KEY and CLOUDFLARE_EMAIL), its permissions and CLOUDFLARE_ACCOUNT_ID"
	case e.Status == http.StatusPreconditionFailed:
		return "the Worker's Durable Object migration tag does not match Cloudflare's"
	case e.Status == http.StatusTooManyRequests:
		return "rate limited by Cloudflare; retry later"
	case e.Status >= 500:
		return "Cloudflare failed; retry later"
	}
	return ""
}
