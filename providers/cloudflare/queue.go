package cloudflare

import (
	"context"
	"fmt"
	"net/http"

	"github.com/alchemy-go/alchemy/engine"
	"github.com/alchemy-go/alchemy/value"
)

// queueProvider is cloudflare::Queue. A new name renames the queue.
type queueProvider struct{ cf *Cloudflare }

type queueJSON struct {
	QueueID    string `json:"queue_id"`
	QueueName  string `json:"queue_name"`
	CreatedOn  string `json:"created_on"`
	ModifiedOn string `json:"modified_on"`
	Settings   *struct {
		DeliveryDelay          *float64 `json:"delivery_delay"`
		DeliveryPaused         *bool    `json:"delivery_paused"`
		MessageRetentionPeriod *float64 `json:"message_retention_period"`
	} `json:"settings"`
}

// queueBody is the create/update body: the name and the given settings.
func queueBody(p props, name string) (map[string]any, error) {
	body := map[string]any{"queue_name": name}
	set, ok, err := p.object("settings")
	if err != nil || !ok {
		return body, err
	}
	sp := props{kind: p.kind, id: p.id, o: set}
	s := map[string]any{}
	for field, key := range map[string]string{"deliveryDelay": "delivery_delay", "messageRetentionPeriod": "message_retention_period"} {
		if n, ok, err := sp.number(field); err != nil {
			return nil, err
		} else if ok {
			s[key] = n
		}
	}
	if v, ok := sp.get("deliveryPaused"); ok {
		b, isBool := v.(value.Bool)
		if !isBool {
			return nil, p.errorf("settings.deliveryPaused", "must be a boolean")
		}
		s["delivery_paused"] = bool(b)
	}
	body["settings"] = s
	return body, nil
}

// Create implements engine.Provider.
func (q *queueProvider) Create(ctx context.Context, req *engine.Request) (*value.Object, error) {
	cl, p, name, err := q.cf.clientAndName(req, "name")
	if err != nil {
		return nil, err
	}
	body, err := queueBody(p, name)
	if err != nil {
		return nil, err
	}
	path, err := cl.accountPath(ctx, "queues")
	if err != nil {
		return nil, wrap(req, err)
	}
	var res queueJSON
	err = createOrAdopt(takeOver(req), func() error {
		_, err := cl.Call(ctx, fmt.Sprintf("create queue %q", name), http.MethodPost, path, body, &res)
		return err
	}, func() (bool, error) {
		found, ok, err := findPaged(ctx, cl, "list queues", "queues", func(qu queueJSON) bool { return qu.QueueName == name })
		if err != nil || !ok {
			return ok, err
		}
		return true, patchQueue(ctx, cl, found.QueueID, name, body, &res)
	})
	if err != nil {
		return nil, wrap(req, err)
	}
	return q.output(ctx, req, cl, p, name, res)
}

// patchQueue renames the queue with id and sets its settings (body).
func patchQueue(ctx context.Context, cl *Client, id, name string, body map[string]any, res *queueJSON) error {
	path, err := cl.accountPath(ctx, "queues/"+id)
	if err != nil {
		return err
	}
	_, err = cl.Call(ctx, fmt.Sprintf("update queue %q", name), http.MethodPatch, path, body, res)
	return err
}

func (q *queueProvider) output(ctx context.Context, req *engine.Request, cl *Client, p props, name string, res queueJSON) (*value.Object, error) {
	acct, err := cl.AccountID(ctx)
	if err != nil {
		return nil, wrap(req, err)
	}
	out := value.NewObject(10)
	out.Set("type", value.String("queue"))
	out.Set("id", value.String(res.QueueID))
	out.Set("name", value.String(name))
	if s := res.Settings; s != nil {
		so := value.NewObject(3)
		if s.DeliveryDelay != nil {
			so.Set("deliveryDelay", value.Number(*s.DeliveryDelay))
		}
		if s.DeliveryPaused != nil {
			so.Set("deliveryPaused", value.Bool(*s.DeliveryPaused))
		}
		if s.MessageRetentionPeriod != nil {
			so.Set("messageRetentionPeriod", value.Number(*s.MessageRetentionPeriod))
		}
		out.Set("settings", so)
	}
	v, _ := p.get("dlq")
	out.Set("dlq", v)
	now := value.DateOf(timeNow()).ISO()
	out.Set("createdOn", value.String(orDefault(res.CreatedOn, now)))
	out.Set("modifiedOn", value.String(orDefault(res.ModifiedOn, now)))
	out.Set("accountId", value.String(acct))
	remote, err := devRemote(p)
	if err != nil {
		return nil, err
	}
	out.Set("dev", value.Obj("id", previousDevID(req.Output, "id", value.String(req.ID)), "remote", value.Bool(remote)))
	return out, nil
}

// Update implements engine.Provider: name and settings are patched.
func (q *queueProvider) Update(ctx context.Context, req *engine.Request) (*value.Object, error) {
	cl, p, name, err := q.cf.clientAndName(req, "name")
	if err != nil {
		return nil, err
	}
	id, _ := req.Output.GetString("id")
	if id == "" {
		return q.Create(ctx, req)
	}
	body, err := queueBody(p, name)
	if err != nil {
		return nil, err
	}
	var res queueJSON
	if err := patchQueue(ctx, cl, id, name, body, &res); err != nil {
		return nil, wrap(req, err)
	}
	return q.output(ctx, req, cl, p, name, res)
}

// Delete implements engine.Provider.
func (q *queueProvider) Delete(ctx context.Context, req *engine.Request) error {
	return q.cf.deleteByID(ctx, req, "id", "queue", "queues/")
}

// consumerProvider is cloudflare::QueueConsumer: a Worker consuming a
// queue, made by a Worker for each of its eventSources.
type consumerProvider struct{ cf *Cloudflare }

type consumerJSON struct {
	ConsumerID      string `json:"consumer_id"`
	Type            string `json:"type"`
	Script          string `json:"script"`
	ScriptName      string `json:"script_name"`
	QueueID         string `json:"queue_id"`
	QueueName       string `json:"queue_name"`
	CreatedOn       string `json:"created_on"`
	DeadLetterQueue string `json:"dead_letter_queue"`
	Settings        struct {
		BatchSize      *float64 `json:"batch_size"`
		MaxConcurrency *float64 `json:"max_concurrency"`
		MaxRetries     *float64 `json:"max_retries"`
		MaxWaitTimeMS  *float64 `json:"max_wait_time_ms"`
		RetryDelay     *float64 `json:"retry_delay"`
	} `json:"settings"`
}

// queueRef returns the queue id and name of a queue prop (a Queue output
// or a queue id string).
func queueRef(v value.Value) (id, name string) {
	switch v := v.(type) {
	case value.String:
		return string(v), ""
	case *value.Object:
		id, _ = v.GetString("id")
		name, _ = v.GetString("name")
	}
	return id, name
}

// consumerBody is the create/update body of a consumer.
func consumerBody(p props, script string) (map[string]any, error) {
	body := map[string]any{"script_name": script, "type": "worker"}
	set, ok, err := p.object("settings")
	if err != nil || !ok {
		return body, err
	}
	sp := props{kind: p.kind, id: p.id, o: set}
	s := map[string]any{}
	for field, key := range map[string]string{"batchSize": "batch_size", "maxConcurrency": "max_concurrency",
		"maxRetries": "max_retries", "maxWaitTimeMs": "max_wait_time_ms", "retryDelay": "retry_delay"} {
		if n, ok, err := sp.number(field); err != nil {
			return nil, err
		} else if ok {
			s[key] = n
		}
	}
	if len(s) > 0 {
		body["settings"] = s
	}
	if dlq, ok := sp.get("deadLetterQueue"); ok {
		switch dlq := dlq.(type) {
		case value.String:
			body["dead_letter_queue"] = string(dlq)
		case *value.Object:
			name, _ := dlq.GetString("name")
			body["dead_letter_queue"] = name
		}
	}
	return body, nil
}

func (c *consumerProvider) apply(ctx context.Context, req *engine.Request, existingID string) (*value.Object, error) {
	cl, p, err := c.cf.clientOf(req)
	if err != nil {
		return nil, err
	}
	qv, ok := p.get("queue")
	if !ok {
		return nil, p.errorf("queue", "is required")
	}
	queueID, _ := queueRef(qv)
	if queueID == "" {
		return nil, p.errorf("queue", "must be a Queue or a queue id")
	}
	script, ok, err := p.str("scriptName")
	if err != nil || !ok {
		return nil, p.errorf("scriptName", "is required")
	}
	body, err := consumerBody(p, script)
	if err != nil {
		return nil, err
	}
	base, err := cl.accountPath(ctx, "queues/"+queueID+"/consumers")
	if err != nil {
		return nil, wrap(req, err)
	}
	var res consumerJSON
	update := func(id string) error {
		_, err := cl.Call(ctx, fmt.Sprintf("update the consumer of queue %s", queueID), http.MethodPut, base+"/"+id, body, &res)
		return err
	}
	err = updateOrCreate(existingID, update, func() error {
		return createOrAdopt(takeOver(req), func() error {
			_, err := cl.Call(ctx, fmt.Sprintf("add Worker %q as consumer of queue %s", script, queueID), http.MethodPost, base, body, &res)
			return err
		}, func() (bool, error) {
			found, ok, err := findConsumer(ctx, cl, script, queueID)
			if err != nil || !ok {
				return ok, err
			}
			return true, update(found.ConsumerID)
		})
	})
	if err != nil {
		return nil, wrap(req, err)
	}
	acct, err := cl.AccountID(ctx)
	if err != nil {
		return nil, wrap(req, err)
	}
	out := value.NewObject(9)
	out.Set("id", value.String(res.ConsumerID))
	out.Set("queueId", value.String(queueID))
	out.Set("queue", qv)
	out.Set("type", value.String("worker"))
	out.Set("scriptName", value.String(script))
	so := value.NewObject(6)
	so.Set("batchSize", optNumber(res.Settings.BatchSize))
	so.Set("maxConcurrency", optNumber(res.Settings.MaxConcurrency))
	so.Set("maxRetries", optNumber(res.Settings.MaxRetries))
	so.Set("maxWaitTimeMs", optNumber(res.Settings.MaxWaitTimeMS))
	so.Set("retryDelay", optNumber(res.Settings.RetryDelay))
	so.Set("deadLetterQueue", strOrAbsent(res.DeadLetterQueue))
	out.Set("settings", so)
	out.Set("createdOn", strOrAbsent(res.CreatedOn))
	out.Set("accountId", value.String(acct))
	return out, nil
}

func optNumber(n *float64) value.Value {
	if n == nil {
		return nil
	}
	return value.Number(*n)
}

// findConsumer finds the consumer of a script on a queue.
func findConsumer(ctx context.Context, cl *Client, script, queueID string) (consumerJSON, bool, error) {
	list, err := scriptConsumers(ctx, cl, script)
	if err != nil {
		return consumerJSON{}, false, err
	}
	for _, c := range list {
		if c.QueueID == queueID {
			return c, true, nil
		}
	}
	return consumerJSON{}, false, nil
}

// scriptConsumers lists the queue consumers of a Worker; a missing Worker
// has none.
func scriptConsumers(ctx context.Context, cl *Client, script string) ([]consumerJSON, error) {
	path, err := cl.accountPath(ctx, "workers/scripts/"+script+"/queue-consumers?perPage=100")
	if err != nil {
		return nil, err
	}
	var list []consumerJSON
	_, err = cl.Call(ctx, fmt.Sprintf("list the queue consumers of Worker %q", script), http.MethodGet, path, nil, &list)
	if IsNotFound(err) {
		return nil, nil
	}
	return list, err
}

// Create implements engine.Provider.
func (c *consumerProvider) Create(ctx context.Context, req *engine.Request) (*value.Object, error) {
	return c.apply(ctx, req, "")
}

// Update implements engine.Provider.
func (c *consumerProvider) Update(ctx context.Context, req *engine.Request) (*value.Object, error) {
	id, _ := req.Output.GetString("id")
	prevQueue, _ := req.Output.GetString("queueId")
	p, err := propsOf(req)
	if err != nil {
		return nil, err
	}
	qv, _ := p.get("queue")
	if q, _ := queueRef(qv); q != prevQueue {
		// Moving to another queue: the old consumer goes first.
		if err := c.Delete(ctx, req); err != nil {
			return nil, err
		}
		id = ""
	}
	return c.apply(ctx, req, id)
}

// Delete implements engine.Provider.
func (c *consumerProvider) Delete(ctx context.Context, req *engine.Request) error {
	cl, _, ok, err := c.cf.deleting(req)
	if err != nil || !ok {
		return err
	}
	id, _ := req.Output.GetString("id")
	queueID, _ := req.Output.GetString("queueId")
	if id == "" || queueID == "" {
		return nil
	}
	return wrap(req, deleteInAccount(ctx, cl, fmt.Sprintf("delete consumer %s of queue %s", id, queueID), "queues/"+queueID+"/consumers/"+id))
}
