package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
)

// workflowInstancesSchema is the migration step of Workflow instances: the
// instances, the durable state of their steps, and the events sent to
// them that no step has taken yet. Deleting a Workflow deletes its
// instances.
const workflowInstancesSchema = `
CREATE TABLE workflow_instances (account_id TEXT NOT NULL, workflow TEXT NOT NULL, id TEXT NOT NULL, status TEXT NOT NULL, gen INTEGER NOT NULL DEFAULT 0,
  params BLOB, params_format TEXT NOT NULL DEFAULT '', params_json TEXT NOT NULL DEFAULT 'null', output BLOB, output_format TEXT NOT NULL DEFAULT '', output_json TEXT NOT NULL DEFAULT 'null',
  error TEXT NOT NULL DEFAULT '', paused INTEGER NOT NULL DEFAULT 0, lease TEXT NOT NULL DEFAULT '', dirty INTEGER NOT NULL DEFAULT 0, wake_at INTEGER NOT NULL DEFAULT 0,
  waiting_for TEXT NOT NULL DEFAULT '', timestamp INTEGER NOT NULL, created_on TEXT NOT NULL, modified_on TEXT NOT NULL, started_on TEXT NOT NULL DEFAULT '', ended_on TEXT NOT NULL DEFAULT '',
  PRIMARY KEY (account_id, workflow, id), FOREIGN KEY (account_id, workflow) REFERENCES workflows(account_id, name) ON DELETE CASCADE) WITHOUT ROWID;
CREATE INDEX workflow_instances_created ON workflow_instances (account_id, workflow, created_on);
CREATE TABLE workflow_steps (account_id TEXT NOT NULL, workflow TEXT NOT NULL, instance_id TEXT NOT NULL, key TEXT NOT NULL, state TEXT NOT NULL,
  value BLOB, format TEXT NOT NULL DEFAULT '', error TEXT NOT NULL DEFAULT '', attempts INTEGER NOT NULL DEFAULT 0, wake_at INTEGER NOT NULL DEFAULT 0,
  event_type TEXT NOT NULL DEFAULT '', event_time INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (account_id, workflow, instance_id, key),
  FOREIGN KEY (account_id, workflow, instance_id) REFERENCES workflow_instances(account_id, workflow, id) ON DELETE CASCADE) WITHOUT ROWID;
CREATE TABLE workflow_events (seq INTEGER PRIMARY KEY AUTOINCREMENT, account_id TEXT NOT NULL, workflow TEXT NOT NULL, instance_id TEXT NOT NULL, type TEXT NOT NULL,
  payload BLOB, format TEXT NOT NULL DEFAULT '', timestamp INTEGER NOT NULL,
  FOREIGN KEY (account_id, workflow, instance_id) REFERENCES workflow_instances(account_id, workflow, id) ON DELETE CASCADE);
CREATE INDEX workflow_events_by_type ON workflow_events (account_id, workflow, instance_id, type, seq);
`

// Workflow instance statuses, as Cloudflare names them.
const (
	WorkflowQueued          = "queued"
	WorkflowRunning         = "running"
	WorkflowPaused          = "paused"
	WorkflowErrored         = "errored"
	WorkflowTerminated      = "terminated"
	WorkflowComplete        = "complete"
	WorkflowWaiting         = "waiting"
	WorkflowWaitingForPause = "waitingForPause"
)

// WorkflowFinished reports whether a status is final: the instance never
// runs again unless it is restarted.
func WorkflowFinished(status string) bool {
	return status == WorkflowComplete || status == WorkflowErrored || status == WorkflowTerminated
}

// WorkflowValue is a value a Workflow stores (params, a step's result,
// an event's payload, the output): Data in Format, "v8" (the structured
// clone serialisation of the Worker runtime) or "json"; an empty Format
// is undefined.
type WorkflowValue struct {
	Format string
	Data   []byte
}

// WorkflowInstance is one run of a Workflow.
type WorkflowInstance struct {
	AccountID string
	Workflow  string
	ID        string
	Status    string
	// Gen changes when the instance is terminated or restarted: the run
	// that was under way then can no longer write anything.
	Gen        int64
	Params     WorkflowValue
	ParamsJSON string // params as JSON, for the REST API
	Output     WorkflowValue
	OutputJSON string
	// Error is the JSON {name, message} of the error the run failed with.
	Error string
	// Paused: pause() was called and resume() was not.
	Paused bool
	// Lease names the runtime whose run of the instance is under way.
	Lease string
	// WakeAt is when a sleeping, waiting or retrying instance is due to
	// run again (Unix milliseconds); WaitingFor the event type it waits
	// for.
	WakeAt     int64
	WaitingFor string
	// Timestamp is the creation time the run sees in event.timestamp
	// (Unix milliseconds).
	Timestamp  int64
	CreatedOn  string
	ModifiedOn string
	StartedOn  string
	EndedOn    string
}

// NewWorkflowInstance is an instance to create.
type NewWorkflowInstance struct {
	ID         string
	Params     WorkflowValue
	ParamsJSON string
}

// WorkflowRun identifies the run of an instance that writes: a write of a
// run whose generation is over fails with ErrPrecondition.
type WorkflowRun struct {
	AccountID, Workflow, Instance string
	Gen                           int64
}

// WorkflowStep is the durable state of one step of an instance, by key.
type WorkflowStep struct {
	Key string
	// State is "done" (Value is the result, or the event of a
	// waitForEvent), "failed" (Error), "retry" (Attempts failed, the next
	// is due at WakeAt), "sleep" (until WakeAt) or "wait" (for an event
	// until WakeAt).
	State     string
	Value     WorkflowValue
	Error     string
	Attempts  int
	WakeAt    int64
	EventType string
	EventTime int64
}

const workflowInstanceCols = `account_id, workflow, id, status, gen, params, params_format, params_json, output, output_format, output_json, error,
	paused, lease, wake_at, waiting_for, timestamp, created_on, modified_on, started_on, ended_on`

type rowScanner interface{ Scan(dest ...any) error }

func scanWorkflowInstance(r rowScanner) (WorkflowInstance, error) {
	var w WorkflowInstance
	var paused int
	err := r.Scan(&w.AccountID, &w.Workflow, &w.ID, &w.Status, &w.Gen, &w.Params.Data, &w.Params.Format, &w.ParamsJSON,
		&w.Output.Data, &w.Output.Format, &w.OutputJSON, &w.Error, &paused, &w.Lease, &w.WakeAt, &w.WaitingFor,
		&w.Timestamp, &w.CreatedOn, &w.ModifiedOn, &w.StartedOn, &w.EndedOn)
	w.Paused = paused != 0
	return w, err
}

// ValidWorkflowInstanceID reports whether id is an instance id Cloudflare
// accepts: 1 to 100 characters of letters, digits, - and _, not starting
// with -.
func ValidWorkflowInstanceID(id string) bool {
	if id == "" || len(id) > 100 || id[0] == '-' {
		return false
	}
	for _, c := range id {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_') {
			return false
		}
	}
	return true
}

// CreateWorkflowInstances creates instances of a workflow, queued, all or
// none: an id that exists already fails the whole batch with ErrExists,
// an invalid one with ErrInvalid, a workflow that does not exist with
// ErrNotFound.
func (s *Store) CreateWorkflowInstances(ctx context.Context, account, workflow string, items []NewWorkflowInstance) ([]WorkflowInstance, error) {
	seen := map[string]bool{}
	for _, it := range items {
		if !ValidWorkflowInstanceID(it.ID) {
			return nil, fmt.Errorf("workflow %q: instance %q: %w: ids are 1–100 characters of a-z, A-Z, 0-9, - and _", workflow, it.ID, ErrInvalid)
		}
		if seen[it.ID] {
			return nil, fmt.Errorf("workflow %q: instance %q: %w", workflow, it.ID, ErrExists)
		}
		seen[it.ID] = true
	}
	now := s.now()
	stamp := now.Format(TimeFormat)
	err := s.dataTx(ctx, func(ctx context.Context, tx *sql.Tx) error {
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM workflows WHERE account_id = ? AND name = ?`, account, workflow).Scan(&n); err != nil {
			return err
		}
		if n == 0 {
			return fmt.Errorf("workflow %q: %w", workflow, ErrNotFound)
		}
		for _, it := range items {
			if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM workflow_instances WHERE account_id = ? AND workflow = ? AND id = ?`, account, workflow, it.ID).Scan(&n); err != nil {
				return err
			}
			if n > 0 {
				return fmt.Errorf("workflow %q: instance %q: %w", workflow, it.ID, ErrExists)
			}
			pj := it.ParamsJSON
			if pj == "" {
				pj = "null"
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO workflow_instances (account_id, workflow, id, status, params, params_format, params_json, timestamp, created_on, modified_on)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, account, workflow, it.ID, WorkflowQueued, it.Params.Data, it.Params.Format, pj, now.UnixMilli(), stamp, stamp); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("create workflow instances: %w", err)
	}
	out := make([]WorkflowInstance, 0, len(items))
	for _, it := range items {
		w, err := s.WorkflowInstance(ctx, account, workflow, it.ID)
		if err != nil {
			return nil, err
		}
		out = append(out, w)
	}
	return out, nil
}

// WorkflowInstance returns an instance.
func (s *Store) WorkflowInstance(ctx context.Context, account, workflow, id string) (WorkflowInstance, error) {
	w, err := scanWorkflowInstance(s.r.QueryRowContext(ctx, `SELECT `+workflowInstanceCols+` FROM workflow_instances WHERE account_id = ? AND workflow = ? AND id = ?`, account, workflow, id))
	if errors.Is(err, sql.ErrNoRows) {
		return w, fmt.Errorf("workflow %q: instance %q: %w", workflow, id, ErrNotFound)
	}
	if err != nil {
		return w, fmt.Errorf("workflow %q: instance %q: %w", workflow, id, err)
	}
	return w, nil
}

// WorkflowInstances lists the instances of a workflow, newest first,
// those in one of statuses when any are given.
func (s *Store) WorkflowInstances(ctx context.Context, account, workflow string, statuses ...string) ([]WorkflowInstance, error) {
	q := `SELECT ` + workflowInstanceCols + ` FROM workflow_instances WHERE account_id = ? AND workflow = ?`
	args := []any{account, workflow}
	if len(statuses) > 0 {
		q += ` AND status IN (?` + strings.Repeat(", ?", len(statuses)-1) + `)`
		for _, st := range statuses {
			args = append(args, st)
		}
	}
	rows, err := s.r.QueryContext(ctx, q+` ORDER BY created_on DESC, id`, args...)
	if err != nil {
		return nil, fmt.Errorf("workflow %q: instances: %w", workflow, err)
	}
	defer rows.Close()
	out := []WorkflowInstance{}
	for rows.Next() {
		w, err := scanWorkflowInstance(rows)
		if err != nil {
			return nil, fmt.Errorf("workflow %q: instances: %w", workflow, err)
		}
		out = append(out, w)
	}
	return out, rows.Err()
}

// workflowInstanceTx reads an instance inside a write transaction.
func workflowInstanceTx(ctx context.Context, tx *sql.Tx, account, workflow, id string) (WorkflowInstance, error) {
	w, err := scanWorkflowInstance(tx.QueryRowContext(ctx, `SELECT `+workflowInstanceCols+` FROM workflow_instances WHERE account_id = ? AND workflow = ? AND id = ?`, account, workflow, id))
	if errors.Is(err, sql.ErrNoRows) {
		return w, fmt.Errorf("instance %q: %w", id, ErrNotFound)
	}
	return w, err
}

// ClaimWorkflowRun starts a run of an instance for the runtime named
// lease, and returns the instance as the run starts. It claims nothing
// (ok false) when the instance is finished or paused, when it sleeps or
// waits until later and due is set, or when a run of lease is under way
// already: that run is then asked to run once more when it stops, so
// that it sees what changed (an event that arrived). A run of another
// lease is taken over: it belongs to a runtime that is gone.
func (s *Store) ClaimWorkflowRun(ctx context.Context, account, workflow, id, lease string, due bool) (w WorkflowInstance, ok bool, err error) {
	now := s.now()
	err = s.dataTx(ctx, func(ctx context.Context, tx *sql.Tx) error {
		w, err = workflowInstanceTx(ctx, tx, account, workflow, id)
		if err != nil {
			return err
		}
		if WorkflowFinished(w.Status) || w.Paused {
			return nil
		}
		if w.Lease == lease {
			_, err := tx.ExecContext(ctx, `UPDATE workflow_instances SET dirty = 1 WHERE account_id = ? AND workflow = ? AND id = ?`, account, workflow, id)
			return err
		}
		if due && w.WakeAt > now.UnixMilli() {
			return nil
		}
		stamp := now.Format(TimeFormat)
		started := w.StartedOn
		if started == "" {
			started = stamp
		}
		if _, err := tx.ExecContext(ctx, `UPDATE workflow_instances SET lease = ?, dirty = 0, status = ?, started_on = ?, modified_on = ? WHERE account_id = ? AND workflow = ? AND id = ?`,
			lease, WorkflowRunning, started, stamp, account, workflow, id); err != nil {
			return err
		}
		w.Lease, w.Status, w.StartedOn, w.ModifiedOn, ok = lease, WorkflowRunning, started, stamp, true
		return nil
	})
	if err != nil {
		return w, false, fmt.Errorf("workflow %q: instance %q: claim: %w", workflow, id, err)
	}
	return w, ok, nil
}

// WorkflowOutcome is how a run stopped: finished (Status complete or
// errored, with Output or Error), or suspended (Status running or
// waiting) until WakeAt, when it runs again.
type WorkflowOutcome struct {
	Status     string
	Output     WorkflowValue
	OutputJSON string
	Error      string
	WakeAt     int64
	WaitingFor string
}

// FinishWorkflowRun records how the run of lease stopped, and returns the
// instance as it is then. A run whose generation is over (the instance
// was terminated or restarted meanwhile) changes nothing. A suspended
// instance that was paused meanwhile becomes paused. rerun reports that
// the instance is to run again now: something it may be waiting for
// arrived while it ran.
func (s *Store) FinishWorkflowRun(ctx context.Context, run WorkflowRun, lease string, out WorkflowOutcome) (w WorkflowInstance, rerun bool, err error) {
	now := s.now()
	err = s.dataTx(ctx, func(ctx context.Context, tx *sql.Tx) error {
		w, err = workflowInstanceTx(ctx, tx, run.AccountID, run.Workflow, run.Instance)
		if err != nil {
			return err
		}
		if w.Gen != run.Gen || w.Lease != lease {
			return nil
		}
		var dirty int
		if err := tx.QueryRowContext(ctx, `SELECT dirty FROM workflow_instances WHERE account_id = ? AND workflow = ? AND id = ?`, run.AccountID, run.Workflow, run.Instance).Scan(&dirty); err != nil {
			return err
		}
		stamp := now.Format(TimeFormat)
		w.Status, w.WakeAt, w.WaitingFor, w.Lease, w.ModifiedOn = out.Status, out.WakeAt, out.WaitingFor, "", stamp
		switch {
		case WorkflowFinished(out.Status):
			w.Output, w.Error, w.EndedOn = out.Output, out.Error, stamp
			w.OutputJSON = out.OutputJSON
			if w.OutputJSON == "" {
				w.OutputJSON = "null"
			}
		case w.Paused:
			w.Status = WorkflowPaused
		default:
			rerun = dirty != 0
		}
		_, err := tx.ExecContext(ctx, `UPDATE workflow_instances SET status = ?, output = ?, output_format = ?, output_json = ?, error = ?, lease = '', dirty = 0,
			wake_at = ?, waiting_for = ?, modified_on = ?, ended_on = ? WHERE account_id = ? AND workflow = ? AND id = ?`,
			w.Status, w.Output.Data, w.Output.Format, w.OutputJSON, w.Error, w.WakeAt, w.WaitingFor, stamp, w.EndedOn, run.AccountID, run.Workflow, run.Instance)
		return err
	})
	if err != nil {
		return w, false, fmt.Errorf("workflow %q: instance %q: finish: %w", run.Workflow, run.Instance, err)
	}
	return w, rerun, nil
}

// Workflow instance actions (ControlWorkflowInstance).
const (
	WorkflowPause     = "pause"
	WorkflowResume    = "resume"
	WorkflowTerminate = "terminate"
	WorkflowRestart   = "restart"
)

// ControlWorkflowInstance pauses, resumes, terminates or restarts an
// instance, and returns it as it is then. Pausing a running instance
// takes effect when its current step ends (waitingForPause until then).
// Terminating or restarting ends the run under way: it can no longer
// write. Restarting forgets every step and event and queues the instance
// anew. A finished instance can only be restarted (ErrInvalid otherwise).
func (s *Store) ControlWorkflowInstance(ctx context.Context, account, workflow, id, action string) (w WorkflowInstance, err error) {
	now := s.now()
	stamp := now.Format(TimeFormat)
	err = s.dataTx(ctx, func(ctx context.Context, tx *sql.Tx) error {
		w, err = workflowInstanceTx(ctx, tx, account, workflow, id)
		if err != nil {
			return err
		}
		where := []any{account, workflow, id}
		exec := func(q string, args ...any) error {
			_, err := tx.ExecContext(ctx, q+` WHERE account_id = ? AND workflow = ? AND id = ?`, append(args, where...)...)
			return err
		}
		if action != WorkflowRestart && WorkflowFinished(w.Status) {
			return fmt.Errorf("%w: cannot %s an instance that is %s", ErrInvalid, action, w.Status)
		}
		switch action {
		case WorkflowPause:
			w.Paused, w.Status = true, WorkflowPaused
			if w.Lease != "" {
				w.Status = WorkflowWaitingForPause
			}
			return exec(`UPDATE workflow_instances SET paused = 1, status = ?, modified_on = ?`, w.Status, stamp)
		case WorkflowResume:
			if !w.Paused {
				return nil
			}
			w.Paused = false
			if w.Status == WorkflowPaused {
				w.Status = WorkflowQueued
			} else {
				w.Status = WorkflowRunning
			}
			return exec(`UPDATE workflow_instances SET paused = 0, status = ?, modified_on = ?`, w.Status, stamp)
		case WorkflowTerminate:
			w.Gen++
			w.Status, w.Lease, w.EndedOn, w.Paused, w.WakeAt = WorkflowTerminated, "", stamp, false, 0
			return exec(`UPDATE workflow_instances SET gen = gen + 1, status = ?, lease = '', dirty = 0, paused = 0, wake_at = 0, waiting_for = '', ended_on = ?, modified_on = ?`,
				WorkflowTerminated, stamp, stamp)
		case WorkflowRestart:
			w.Gen++
			w.Status, w.Lease, w.Paused, w.WakeAt, w.WaitingFor = WorkflowQueued, "", false, 0, ""
			w.Output, w.OutputJSON, w.Error, w.StartedOn, w.EndedOn = WorkflowValue{}, "null", "", "", ""
			if _, err := tx.ExecContext(ctx, `DELETE FROM workflow_steps WHERE account_id = ? AND workflow = ? AND instance_id = ?`, where...); err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, `DELETE FROM workflow_events WHERE account_id = ? AND workflow = ? AND instance_id = ?`, where...); err != nil {
				return err
			}
			return exec(`UPDATE workflow_instances SET gen = gen + 1, status = ?, lease = '', dirty = 0, paused = 0, wake_at = 0, waiting_for = '', output = NULL, output_format = '',
				output_json = 'null', error = '', started_on = '', ended_on = '', modified_on = ?`, WorkflowQueued, stamp)
		}
		return fmt.Errorf("%w: unknown action %q", ErrInvalid, action)
	})
	if err != nil {
		return w, fmt.Errorf("workflow %q: instance %q: %s: %w", workflow, id, action, err)
	}
	w.ModifiedOn = stamp
	return w, nil
}

// Why a run is to stop (WorkflowStepState's halt).
const (
	WorkflowHaltPaused     = "paused"
	WorkflowHaltTerminated = "terminated"
	WorkflowHaltStale      = "stale"
)

// WorkflowStepState returns the state of a step of a run (ok false when
// the step has none yet), and whether the run is to stop before it: halt
// is WorkflowHaltPaused, WorkflowHaltTerminated or WorkflowHaltStale (the
// run's generation is over), or empty.
func (s *Store) WorkflowStepState(ctx context.Context, run WorkflowRun, key string) (st WorkflowStep, ok bool, halt string, err error) {
	var gen int64
	var status string
	var paused int
	err = s.r.QueryRowContext(ctx, `SELECT gen, status, paused FROM workflow_instances WHERE account_id = ? AND workflow = ? AND id = ?`,
		run.AccountID, run.Workflow, run.Instance).Scan(&gen, &status, &paused)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return st, false, WorkflowHaltStale, nil
	case err != nil:
		return st, false, "", fmt.Errorf("workflow %q: instance %q: step %q: %w", run.Workflow, run.Instance, key, err)
	case gen != run.Gen:
		return st, false, WorkflowHaltStale, nil
	case status == WorkflowTerminated:
		return st, false, WorkflowHaltTerminated, nil
	case paused != 0:
		return st, false, WorkflowHaltPaused, nil
	}
	st, ok, err = workflowStep(ctx, s.r.QueryRowContext, run, key)
	return st, ok, "", err
}

func workflowStep(ctx context.Context, query func(ctx context.Context, q string, args ...any) *sql.Row, run WorkflowRun, key string) (WorkflowStep, bool, error) {
	st := WorkflowStep{Key: key}
	err := query(ctx, `SELECT state, value, format, error, attempts, wake_at, event_type, event_time FROM workflow_steps WHERE account_id = ? AND workflow = ? AND instance_id = ? AND key = ?`,
		run.AccountID, run.Workflow, run.Instance, key).Scan(&st.State, &st.Value.Data, &st.Value.Format, &st.Error, &st.Attempts, &st.WakeAt, &st.EventType, &st.EventTime)
	if errors.Is(err, sql.ErrNoRows) {
		return st, false, nil
	}
	if err != nil {
		return st, false, fmt.Errorf("workflow %q: instance %q: step %q: %w", run.Workflow, run.Instance, key, err)
	}
	return st, true, nil
}

// checkRun fails with ErrPrecondition when run's generation is over.
func checkRun(ctx context.Context, tx *sql.Tx, run WorkflowRun) error {
	var gen int64
	err := tx.QueryRowContext(ctx, `SELECT gen FROM workflow_instances WHERE account_id = ? AND workflow = ? AND id = ?`, run.AccountID, run.Workflow, run.Instance).Scan(&gen)
	if errors.Is(err, sql.ErrNoRows) || err == nil && gen != run.Gen {
		return fmt.Errorf("%w: the run of instance %q is over", ErrPrecondition, run.Instance)
	}
	return err
}

// PutWorkflowStep records the state of a step of a run.
func (s *Store) PutWorkflowStep(ctx context.Context, run WorkflowRun, st WorkflowStep) error {
	err := s.dataTx(ctx, func(ctx context.Context, tx *sql.Tx) error {
		if err := checkRun(ctx, tx, run); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO workflow_steps (account_id, workflow, instance_id, key, state, value, format, error, attempts, wake_at, event_type, event_time)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (account_id, workflow, instance_id, key) DO UPDATE SET state = excluded.state, value = excluded.value,
			format = excluded.format, error = excluded.error, attempts = excluded.attempts, wake_at = excluded.wake_at, event_type = excluded.event_type, event_time = excluded.event_time`,
			run.AccountID, run.Workflow, run.Instance, st.Key, st.State, st.Value.Data, st.Value.Format, st.Error, st.Attempts, st.WakeAt, st.EventType, st.EventTime)
		return err
	})
	if err != nil {
		return fmt.Errorf("workflow %q: instance %q: step %q: %w", run.Workflow, run.Instance, st.Key, err)
	}
	return nil
}

// WaitForWorkflowEvent is a waitForEvent step of a run: it takes the
// oldest event of the type that no step has taken, and records it as the
// step's result; without one, the step waits until deadline (Unix
// milliseconds), kept from the first time the step waited. It returns the
// step's state: "done" with the event, or "wait".
func (s *Store) WaitForWorkflowEvent(ctx context.Context, run WorkflowRun, key, eventType string, deadline int64) (st WorkflowStep, err error) {
	err = s.dataTx(ctx, func(ctx context.Context, tx *sql.Tx) error {
		if err := checkRun(ctx, tx, run); err != nil {
			return err
		}
		cur, ok, err := workflowStep(ctx, tx.QueryRowContext, run, key)
		if err != nil {
			return err
		}
		if ok && cur.State != "wait" {
			st = cur
			return nil
		}
		st = WorkflowStep{Key: key, State: "wait", WakeAt: deadline, EventType: eventType}
		if ok {
			st.WakeAt = cur.WakeAt
		}
		var seq int64
		err = tx.QueryRowContext(ctx, `SELECT seq, payload, format, timestamp FROM workflow_events WHERE account_id = ? AND workflow = ? AND instance_id = ? AND type = ? ORDER BY seq LIMIT 1`,
			run.AccountID, run.Workflow, run.Instance, eventType).Scan(&seq, &st.Value.Data, &st.Value.Format, &st.EventTime)
		switch {
		case errors.Is(err, sql.ErrNoRows):
		case err != nil:
			return err
		default:
			st.State = "done"
			if _, err := tx.ExecContext(ctx, `DELETE FROM workflow_events WHERE seq = ?`, seq); err != nil {
				return err
			}
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO workflow_steps (account_id, workflow, instance_id, key, state, value, format, wake_at, event_type, event_time)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (account_id, workflow, instance_id, key) DO UPDATE SET state = excluded.state, value = excluded.value,
			format = excluded.format, wake_at = excluded.wake_at, event_type = excluded.event_type, event_time = excluded.event_time`,
			run.AccountID, run.Workflow, run.Instance, key, st.State, st.Value.Data, st.Value.Format, st.WakeAt, st.EventType, st.EventTime)
		return err
	})
	if err != nil {
		return st, fmt.Errorf("workflow %q: instance %q: step %q: %w", run.Workflow, run.Instance, key, err)
	}
	return st, nil
}

// SendWorkflowEvent queues an event for an instance's waitForEvent steps.
// A finished instance takes no events (ErrInvalid).
func (s *Store) SendWorkflowEvent(ctx context.Context, account, workflow, id, eventType string, payload WorkflowValue) error {
	now := s.now()
	err := s.dataTx(ctx, func(ctx context.Context, tx *sql.Tx) error {
		w, err := workflowInstanceTx(ctx, tx, account, workflow, id)
		if err != nil {
			return err
		}
		if WorkflowFinished(w.Status) {
			return fmt.Errorf("%w: the instance is %s", ErrInvalid, w.Status)
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO workflow_events (account_id, workflow, instance_id, type, payload, format, timestamp) VALUES (?, ?, ?, ?, ?, ?, ?)`,
			account, workflow, id, eventType, payload.Data, payload.Format, now.UnixMilli())
		return err
	})
	if err != nil {
		return fmt.Errorf("workflow %q: instance %q: send event %q: %w", workflow, id, eventType, err)
	}
	return nil
}

// WorkflowNow is the store's clock in Unix milliseconds, the clock of
// WakeAt and event timestamps.
func (s *Store) WorkflowNow() int64 { return s.now().UnixMilli() }
