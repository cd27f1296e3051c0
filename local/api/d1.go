package api

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strings"

	"github.com/alchemy-go/alchemy/local/store"
)

type d1JSON struct {
	UUID            string         `json:"uuid"`
	Name            string         `json:"name"`
	Version         string         `json:"version"`
	CreatedAt       string         `json:"created_at"`
	FileSize        int64          `json:"file_size"`
	NumTables       int            `json:"num_tables"`
	Jurisdiction    *string        `json:"jurisdiction"`
	ReadReplication map[string]any `json:"read_replication"`
	RunningInRegion string         `json:"running_in_region,omitempty"`
}

func toD1(d store.D1Database) d1JSON {
	var j *string
	if d.Jurisdiction != "" {
		j = &d.Jurisdiction
	}
	return d1JSON{UUID: d.UUID, Name: d.Name, Version: "production", CreatedAt: d.CreatedAt, FileSize: d.FileSize, NumTables: d.NumTables,
		Jurisdiction: j, ReadReplication: map[string]any{"mode": d.ReadReplication}, RunningInRegion: d.Location}
}

var d1Failures = map[error]failure{
	store.ErrNotFound: {http.StatusNotFound, 7404, "The database could not be found"},
	store.ErrExists:   {http.StatusBadRequest, 7502, "A database with that name already exists"},
	store.ErrInvalid:  {http.StatusBadRequest, 7400, ""},
}

func (h *Handler) listD1(w http.ResponseWriter, r *http.Request, acct string) {
	ds, err := h.st.D1s(r.Context(), acct, r.URL.Query().Get("name"))
	if err != nil {
		fail(w, r, err, nil)
		return
	}
	items := make([]d1JSON, 0, len(ds))
	for _, d := range ds {
		items = append(items, toD1(d))
	}
	page, info := pageOf(r, items, 1000, 10000)
	okInfo(w, page, info)
}

func (h *Handler) createD1(w http.ResponseWriter, r *http.Request, acct string) {
	var body struct {
		Name                string `json:"name"`
		PrimaryLocationHint string `json:"primary_location_hint"`
		Jurisdiction        string `json:"jurisdiction"`
	}
	if !decodeJSON(w, r, &body) {
		return
	}
	d, err := h.st.CreateD1(r.Context(), acct, body.Name, strings.ToUpper(body.PrimaryLocationHint), body.Jurisdiction)
	if err != nil {
		fail(w, r, err, d1Failures)
		return
	}
	ok(w, toD1(d))
}

func (h *Handler) getD1(w http.ResponseWriter, r *http.Request, acct string) {
	d, err := h.st.D1(r.Context(), acct, r.PathValue("database_id"))
	if err != nil {
		fail(w, r, err, d1Failures)
		return
	}
	ok(w, toD1(d))
}

func (h *Handler) deleteD1(w http.ResponseWriter, r *http.Request, acct string) {
	if err := h.st.DeleteD1(r.Context(), acct, r.PathValue("database_id")); err != nil {
		fail(w, r, err, d1Failures)
		return
	}
	ok(w, nil)
}

func (h *Handler) editD1(w http.ResponseWriter, r *http.Request, acct string) {
	var body struct {
		ReadReplication *struct {
			Mode string `json:"mode"`
		} `json:"read_replication"`
	}
	if !decodeJSON(w, r, &body) {
		return
	}
	id := r.PathValue("database_id")
	var d store.D1Database
	var err error
	if body.ReadReplication != nil {
		d, err = h.st.SetD1ReadReplication(r.Context(), acct, id, body.ReadReplication.Mode)
	} else {
		d, err = h.st.D1(r.Context(), acct, id)
	}
	if err != nil {
		fail(w, r, err, d1Failures)
		return
	}
	ok(w, toD1(d))
}

type d1Query struct {
	SQL    string `json:"sql"`
	Params []any  `json:"params"`
}

// orderedRow keeps a result row's columns in statement order.
type orderedRow struct {
	cols []string
	vals []any
}

func (o orderedRow) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	b.WriteByte('{')
	seen := map[string]int{}
	for i, c := range o.cols {
		seen[c] = i // a repeated column name keeps its last value
	}
	first := true
	for i, c := range o.cols {
		if seen[c] != i {
			continue
		}
		if !first {
			b.WriteByte(',')
		}
		first = false
		k, _ := json.Marshal(c)
		v, err := json.Marshal(o.vals[i])
		if err != nil {
			return nil, err
		}
		b.Write(k)
		b.WriteByte(':')
		b.Write(v)
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

func (h *Handler) queryD1(raw bool) func(http.ResponseWriter, *http.Request, string) {
	return func(w http.ResponseWriter, r *http.Request, acct string) {
		var body struct {
			d1Query
			Batch []d1Query `json:"batch"`
		}
		if !decodeJSON(w, r, &body) {
			return
		}
		queries := body.Batch
		if len(queries) == 0 {
			queries = []d1Query{body.d1Query}
		}
		stmts := make([]store.D1Statement, 0, len(queries))
		for _, q := range queries {
			stmts = append(stmts, store.D1Statement{SQL: q.SQL, Params: q.Params})
		}
		results, err := h.st.D1Exec(r.Context(), acct, r.PathValue("database_id"), stmts)
		if err != nil {
			fail(w, r, err, d1Failures)
			return
		}
		out := make([]map[string]any, 0, len(results))
		for _, res := range results {
			var payload any
			if raw {
				payload = map[string]any{"columns": res.Columns, "rows": res.Rows}
			} else {
				rows := make([]orderedRow, 0, len(res.Rows))
				for _, row := range res.Rows {
					rows = append(rows, orderedRow{cols: res.Columns, vals: row})
				}
				payload = rows
			}
			m := res.Meta
			out = append(out, map[string]any{"results": payload, "success": true, "meta": map[string]any{
				"changed_db": m.ChangedDB, "changes": m.Changes, "duration": m.Duration, "last_row_id": m.LastRowID,
				"rows_read": m.RowsRead, "rows_written": m.RowsWritten, "size_after": m.SizeAfter,
				"served_by_region": "ENAM", "served_by_primary": true,
				"timings": map[string]any{"sql_duration_ms": m.Duration},
			}})
		}
		ok(w, out)
	}
}

// d1Message renders a SQL error the way D1 does: "<message>: SQLITE_ERROR".
func d1Message(e *store.D1Error) string { return e.Message() }
