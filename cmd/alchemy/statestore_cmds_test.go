package main

import (
	"bytes"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"

	"github.com/rogpeppe/go-internal/testscript"
)

func init() {
	scriptCmds["sqlq"] = sqlQueryCmd
}

// sqlQueryCmd runs one SQL statement on a state database and prints each
// row on a line, its columns separated by " | " (NULL as "NULL"):
//
//	sqlq FILE SQL          a local SQLite file
//	sqlq -d1 NAME SQL      the D1 database NAME of the account in
//	                       CLOUDFLARE_ACCOUNT_ID, through CLOUDFLARE_BASE_URL
func sqlQueryCmd(ts *testscript.TestScript, neg bool, args []string) {
	if neg {
		ts.Fatalf("sqlq does not support !")
	}
	var rows [][]any
	var err error
	switch {
	case len(args) == 3 && args[0] == "-d1":
		rows, err = d1Rows(ts, args[1], args[2])
	case len(args) == 2:
		rows, err = sqliteRows(ts.MkAbs(args[0]), args[1])
	default:
		ts.Fatalf("usage: sqlq FILE SQL | sqlq -d1 NAME SQL")
	}
	ts.Check(err)
	var out strings.Builder
	for _, row := range rows {
		cols := make([]string, len(row))
		for i, v := range row {
			switch v := v.(type) {
			case nil:
				cols[i] = "NULL"
			case []byte:
				cols[i] = string(v)
			default:
				cols[i] = fmt.Sprint(v)
			}
		}
		out.WriteString(strings.Join(cols, " | ") + "\n")
	}
	ts.Stdout().Write([]byte(out.String()))
}

func sqliteRows(file, query string) ([][]any, error) {
	db, err := sql.Open("sqlite", file+"?_pragma=busy_timeout(5000)")
	if err != nil {
		return nil, err
	}
	defer db.Close()
	rs, err := db.Query(query)
	if err != nil {
		return nil, err
	}
	defer rs.Close()
	cols, err := rs.Columns()
	if err != nil {
		return nil, err
	}
	var rows [][]any
	for rs.Next() {
		row := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range row {
			ptrs[i] = &row[i]
		}
		if err := rs.Scan(ptrs...); err != nil {
			return nil, err
		}
		rows = append(rows, row)
	}
	return rows, rs.Err()
}

// d1Rows finds the database by name and runs the query at the raw query
// endpoint.
func d1Rows(ts *testscript.TestScript, name, query string) ([][]any, error) {
	base := ts.Getenv("CLOUDFLARE_BASE_URL") + "/accounts/" + ts.Getenv("CLOUDFLARE_ACCOUNT_ID") + "/d1/database"
	var dbs []struct {
		UUID string `json:"uuid"`
		Name string `json:"name"`
	}
	if err := cfAPI(ts, http.MethodGet, base+"?name="+url.QueryEscape(name), nil, &dbs); err != nil {
		return nil, err
	}
	for _, db := range dbs {
		if db.Name != name {
			continue
		}
		var res []struct {
			Results struct {
				Rows [][]any `json:"rows"`
			} `json:"results"`
		}
		if err := cfAPI(ts, http.MethodPost, base+"/"+db.UUID+"/raw", map[string]any{"sql": query}, &res); err != nil {
			return nil, err
		}
		if len(res) == 0 {
			return nil, fmt.Errorf("D1 %s: no result", name)
		}
		return res[0].Results.Rows, nil
	}
	return nil, fmt.Errorf("no D1 database %q", name)
}

func cfAPI(ts *testscript.TestScript, method, u string, body, result any) error {
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return err
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, u, rd)
	if err != nil {
		return err
	}
	req.Header.Set("Authorization", "Bearer "+ts.Getenv("CLOUDFLARE_API_TOKEN"))
	req.Header.Set("Content-Type", "application/json")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	defer res.Body.Close()
	raw, err := io.ReadAll(res.Body)
	if err != nil {
		return err
	}
	var env struct {
		Success bool            `json:"success"`
		Result  json.RawMessage `json:"result"`
	}
	if err := json.Unmarshal(raw, &env); err != nil || !env.Success {
		return fmt.Errorf("%s %s: %d %s", method, u, res.StatusCode, raw)
	}
	return json.Unmarshal(env.Result, result)
}
