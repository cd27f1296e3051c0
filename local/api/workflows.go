package api

import (
	"net/http"

	"github.com/alchemy-go/alchemy/local/store"
)

type workflowJSON struct {
	ID          string  `json:"id"`
	Name        string  `json:"name"`
	ClassName   string  `json:"class_name"`
	ScriptName  string  `json:"script_name"`
	CreatedOn   string  `json:"created_on"`
	ModifiedOn  string  `json:"modified_on"`
	TriggeredOn *string `json:"triggered_on"`
	VersionID   string  `json:"version_id,omitempty"`
	IsDeleted   int     `json:"is_deleted"`
}

func toWorkflow(wf store.Workflow) workflowJSON {
	return workflowJSON{ID: wf.ID, Name: wf.Name, ClassName: wf.ClassName, ScriptName: wf.ScriptName, CreatedOn: wf.CreatedOn, ModifiedOn: wf.ModifiedOn}
}

var workflowFailures = map[error]failure{
	store.ErrNotFound: {http.StatusNotFound, 10200, "Workflow not found"},
	store.ErrInvalid:  {http.StatusBadRequest, 10201, ""},
}

func (h *Handler) listWorkflows(w http.ResponseWriter, r *http.Request, acct string) {
	wfs, err := h.st.Workflows(r.Context(), acct)
	if err != nil {
		fail(w, r, err, nil)
		return
	}
	items := make([]workflowJSON, 0, len(wfs))
	for _, wf := range wfs {
		items = append(items, toWorkflow(wf))
	}
	page, info := pageOf(r, items, 10, 100)
	okInfo(w, page, info)
}

func (h *Handler) putWorkflow(w http.ResponseWriter, r *http.Request, acct string) {
	var body struct {
		ClassName  string `json:"class_name"`
		ScriptName string `json:"script_name"`
	}
	if !decodeJSON(w, r, &body) {
		return
	}
	wf, err := h.st.PutWorkflow(r.Context(), acct, r.PathValue("workflow_name"), body.ClassName, body.ScriptName)
	if err != nil {
		fail(w, r, err, workflowFailures)
		return
	}
	ok(w, toWorkflow(wf))
}

func (h *Handler) getWorkflow(w http.ResponseWriter, r *http.Request, acct string) {
	wf, err := h.st.Workflow(r.Context(), acct, r.PathValue("workflow_name"))
	if err != nil {
		fail(w, r, err, workflowFailures)
		return
	}
	instances, err := h.st.WorkflowInstances(r.Context(), acct, wf.Name)
	if err != nil {
		fail(w, r, err, nil)
		return
	}
	counts := map[string]int{"complete": 0, "errored": 0, "paused": 0, "queued": 0, "running": 0, "terminated": 0, "waiting": 0}
	for _, in := range instances {
		if _, known := counts[in.Status]; known {
			counts[in.Status]++
		} else {
			counts["running"]++ // waitingForPause: its step is still running
		}
	}
	out := map[string]any{"id": wf.ID, "name": wf.Name, "class_name": wf.ClassName, "script_name": wf.ScriptName,
		"created_on": wf.CreatedOn, "modified_on": wf.ModifiedOn, "triggered_on": nil, "instances": counts}
	ok(w, out)
}

func (h *Handler) deleteWorkflow(w http.ResponseWriter, r *http.Request, acct string) {
	if err := h.st.DeleteWorkflow(r.Context(), acct, r.PathValue("workflow_name")); err != nil {
		fail(w, r, err, workflowFailures)
		return
	}
	ok(w, map[string]any{"status": "ok", "success": nil})
}

type doNamespaceJSON struct {
	ID        string `json:"id"`
	Name      string `json:"name"`
	Script    string `json:"script"`
	Class     string `json:"class"`
	UseSqlite bool   `json:"use_sqlite"`
}

func (h *Handler) listDONamespaces(w http.ResponseWriter, r *http.Request, acct string) {
	ns, err := h.st.DONamespaces(r.Context(), acct)
	if err != nil {
		fail(w, r, err, nil)
		return
	}
	items := make([]doNamespaceJSON, 0, len(ns))
	for _, n := range ns {
		items = append(items, doNamespaceJSON{ID: n.ID, Name: n.Name(), Script: n.Script, Class: n.Class, UseSqlite: n.UseSQLite})
	}
	page, info := pageOf(r, items, 20, 1000)
	okInfo(w, page, info)
}

// listDOObjects lists the objects of a namespace. Objects exist only once a
// Worker runtime has created them; without one the list is empty.
func (h *Handler) listDOObjects(w http.ResponseWriter, r *http.Request, acct string) {
	ns, err := h.st.DONamespaces(r.Context(), acct)
	if err != nil {
		fail(w, r, err, nil)
		return
	}
	id := r.PathValue("id")
	for _, n := range ns {
		if n.ID == id {
			okInfo(w, []any{}, map[string]any{"count": 0, "cursor": ""})
			return
		}
	}
	writeError(w, r, http.StatusNotFound, 10066, "Durable Object namespace not found")
}
