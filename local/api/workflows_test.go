package api_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"testing"

	"github.com/alchemy-go/alchemy/local/store"
)

// GET of a Workflow counts its instances by status.
func TestGetWorkflowCountsInstances(t *testing.T) {
	c := startCloudflare(t)
	ctx, st, acct := context.Background(), c.srv.Store(), c.srv.AccountID()
	if _, err := st.PutWorkflow(ctx, acct, "flow", "Flow", "app"); err != nil {
		t.Fatal(err)
	}
	if _, err := st.CreateWorkflowInstances(ctx, acct, "flow", []store.NewWorkflowInstance{{ID: "a"}, {ID: "b"}, {ID: "c"}}); err != nil {
		t.Fatal(err)
	}
	if _, err := st.ControlWorkflowInstance(ctx, acct, "flow", "c", store.WorkflowTerminate); err != nil {
		t.Fatal(err)
	}
	req, err := http.NewRequest("GET", c.srv.APIBaseURL()+"/accounts/"+acct+"/workflows/flow", nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer t")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	data, _ := io.ReadAll(res.Body)
	var env struct {
		Success bool
		Result  struct {
			Name      string
			Instances map[string]int
		}
	}
	if err := json.Unmarshal(data, &env); err != nil || !env.Success || env.Result.Name != "flow" {
		t.Fatalf("GET: %d %s", res.StatusCode, data)
	}
	want := map[string]int{"complete": 0, "errored": 0, "paused": 0, "queued": 2, "running": 0, "terminated": 1, "waiting": 0}
	for k, n := range want {
		if env.Result.Instances[k] != n {
			t.Errorf("instances[%s] = %d, want %d (%s)", k, env.Result.Instances[k], n, data)
		}
	}
	if len(env.Result.Instances) != len(want) {
		t.Errorf("instances %v", env.Result.Instances)
	}
}
