package api

import (
	"net/http"
	"strconv"
)

// pageInfo is V4 page pagination's result_info.
type pageInfo struct {
	Page       int `json:"page"`
	PerPage    int `json:"per_page"`
	Count      int `json:"count"`
	TotalCount int `json:"total_count"`
	TotalPages int `json:"total_pages"`
}

// pageOf returns the requested page of items. per_page is clamped to
// [1, max] (never rejected: wrangler asks for more than some endpoints
// allow), and the values used are echoed so page loops terminate.
func pageOf[T any](r *http.Request, items []T, defPer, maxPer int) ([]T, pageInfo) {
	page := queryInt(r, "page", 1)
	if page < 1 {
		page = 1
	}
	per := queryInt(r, "per_page", defPer)
	if v := queryInt(r, "perPage", 0); v > 0 && r.URL.Query().Get("per_page") == "" {
		per = v
	}
	per = max(1, min(per, maxPer))
	total := len(items)
	start := min((page-1)*per, total)
	end := min(start+per, total)
	out := items[start:end]
	if out == nil {
		out = []T{}
	}
	pages := (total + per - 1) / per
	return out, pageInfo{Page: page, PerPage: per, Count: len(out), TotalCount: total, TotalPages: pages}
}

func queryInt(r *http.Request, name string, def int) int {
	v := r.URL.Query().Get(name)
	if v == "" {
		return def
	}
	n, err := strconv.Atoi(v)
	if err != nil {
		return def
	}
	return n
}

func queryBool(r *http.Request, name string) bool {
	b, _ := strconv.ParseBool(r.URL.Query().Get(name))
	return b
}
