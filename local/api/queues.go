package api

import (
	"encoding/base64"
	"encoding/json"
	"net/http"
	"time"

	"github.com/alchemy-go/alchemy/local/store"
)

type queueJSON struct {
	QueueID             string              `json:"queue_id"`
	QueueName           string              `json:"queue_name"`
	CreatedOn           string              `json:"created_on"`
	ModifiedOn          string              `json:"modified_on"`
	Producers           []map[string]string `json:"producers"`
	ProducersTotalCount int                 `json:"producers_total_count"`
	Consumers           []consumerJSON      `json:"consumers"`
	ConsumersTotalCount int                 `json:"consumers_total_count"`
	Settings            store.QueueSettings `json:"settings"`
}

type consumerJSON struct {
	ConsumerID      string                 `json:"consumer_id"`
	Type            string                 `json:"type"`
	Script          string                 `json:"script,omitempty"`
	ScriptName      string                 `json:"script_name,omitempty"`
	QueueID         string                 `json:"queue_id"`
	QueueName       string                 `json:"queue_name"`
	CreatedOn       string                 `json:"created_on"`
	DeadLetterQueue string                 `json:"dead_letter_queue,omitempty"`
	Settings        store.ConsumerSettings `json:"settings"`
}

func toConsumer(c store.Consumer) consumerJSON {
	return consumerJSON{ConsumerID: c.ID, Type: c.Type, Script: c.Script, ScriptName: c.Script, QueueID: c.QueueID, QueueName: c.QueueName,
		CreatedOn: c.CreatedOn, DeadLetterQueue: c.DeadLetterQueue, Settings: c.Settings}
}

func toQueue(q store.Queue) queueJSON {
	out := queueJSON{QueueID: q.ID, QueueName: q.Name, CreatedOn: q.CreatedOn, ModifiedOn: q.ModifiedOn, Settings: q.Settings,
		Producers: []map[string]string{}, Consumers: []consumerJSON{}}
	for _, p := range q.Producers {
		out.Producers = append(out.Producers, map[string]string{"type": "worker", "script": p})
	}
	for _, c := range q.Consumers {
		out.Consumers = append(out.Consumers, toConsumer(c))
	}
	out.ProducersTotalCount, out.ConsumersTotalCount = len(out.Producers), len(out.Consumers)
	return out
}

var queueFailures = map[error]failure{
	store.ErrNotFound: {http.StatusNotFound, 11000, "Queue not found"},
	store.ErrExists:   {http.StatusConflict, 11009, "A queue with this name already exists"},
	store.ErrInvalid:  {http.StatusBadRequest, 11003, ""},
}

func (h *Handler) listQueues(w http.ResponseWriter, r *http.Request, acct string) {
	qs, err := h.st.Queues(r.Context(), acct)
	if err != nil {
		fail(w, r, err, nil)
		return
	}
	items := make([]queueJSON, 0, len(qs))
	for _, q := range qs {
		items = append(items, toQueue(q))
	}
	page, info := pageOf(r, items, 100, 1000)
	okInfo(w, page, info)
}

func (h *Handler) createQueue(w http.ResponseWriter, r *http.Request, acct string) {
	var body struct {
		QueueName string               `json:"queue_name"`
		Settings  *store.QueueSettings `json:"settings"`
	}
	if !decodeJSON(w, r, &body) {
		return
	}
	q, err := h.st.CreateQueue(r.Context(), acct, body.QueueName, body.Settings)
	if err != nil {
		fail(w, r, err, queueFailures)
		return
	}
	ok(w, toQueue(q))
}

func (h *Handler) getQueue(w http.ResponseWriter, r *http.Request, acct string) {
	q, err := h.st.Queue(r.Context(), acct, r.PathValue("queue_id"))
	if err != nil {
		fail(w, r, err, queueFailures)
		return
	}
	ok(w, toQueue(q))
}

func (h *Handler) updateQueue(w http.ResponseWriter, r *http.Request, acct string) {
	var body struct {
		QueueName *string          `json:"queue_name"`
		Settings  *json.RawMessage `json:"settings"`
	}
	if !decodeJSON(w, r, &body) {
		return
	}
	id := r.PathValue("queue_id")
	var settings *store.QueueSettings
	if body.Settings != nil {
		cur, err := h.st.Queue(r.Context(), acct, id)
		if err != nil {
			fail(w, r, err, queueFailures)
			return
		}
		set := cur.Settings
		if err := json.Unmarshal(*body.Settings, &set); err != nil {
			writeError(w, r, http.StatusBadRequest, 11003, "invalid settings: "+err.Error())
			return
		}
		settings = &set
	}
	q, err := h.st.UpdateQueue(r.Context(), acct, id, body.QueueName, settings)
	if err != nil {
		fail(w, r, err, queueFailures)
		return
	}
	ok(w, toQueue(q))
}

func (h *Handler) deleteQueue(w http.ResponseWriter, r *http.Request, acct string) {
	if err := h.st.DeleteQueue(r.Context(), acct, r.PathValue("queue_id")); err != nil {
		fail(w, r, err, queueFailures)
		return
	}
	ok(w, nil)
}

type consumerBody struct {
	Type            string                 `json:"type"`
	ScriptName      string                 `json:"script_name"`
	Script          string                 `json:"script"`
	DeadLetterQueue string                 `json:"dead_letter_queue"`
	Settings        store.ConsumerSettings `json:"settings"`
}

func (h *Handler) consumerFrom(w http.ResponseWriter, r *http.Request, acct string) (store.Consumer, bool) {
	var body consumerBody
	if !decodeJSON(w, r, &body) {
		return store.Consumer{}, false
	}
	c := store.Consumer{Type: body.Type, Script: body.ScriptName, DeadLetterQueue: body.DeadLetterQueue, Settings: body.Settings}
	if c.Script == "" {
		c.Script = body.Script
	}
	if c.Type == "" {
		c.Type = "worker"
	}
	if c.Type == "worker" {
		if _, err := h.st.ScriptSummary(r.Context(), acct, c.Script); err != nil {
			writeError(w, r, http.StatusNotFound, 10007, "workers.api.error.script_not_found")
			return c, false
		}
	}
	if c.DeadLetterQueue != "" {
		if _, err := h.st.QueueByName(r.Context(), acct, c.DeadLetterQueue); err != nil {
			writeError(w, r, http.StatusBadRequest, 11000, "Dead letter queue '"+c.DeadLetterQueue+"' does not exist")
			return c, false
		}
	}
	return c, true
}

func (h *Handler) createConsumer(w http.ResponseWriter, r *http.Request, acct string) {
	c, good := h.consumerFrom(w, r, acct)
	if !good {
		return
	}
	c, err := h.st.CreateConsumer(r.Context(), acct, r.PathValue("queue_id"), c)
	if err != nil {
		fail(w, r, err, map[error]failure{
			store.ErrNotFound: {http.StatusNotFound, 11000, "Queue not found"},
			store.ErrExists:   {http.StatusConflict, 11004, "Queue already has a consumer"},
			store.ErrInvalid:  {http.StatusBadRequest, 11003, ""},
		})
		return
	}
	ok(w, toConsumer(c))
}

var consumerFailures = map[error]failure{store.ErrNotFound: {http.StatusNotFound, 11001, "Consumer not found"}}

func (h *Handler) listConsumers(w http.ResponseWriter, r *http.Request, acct string) {
	q, err := h.st.Queue(r.Context(), acct, r.PathValue("queue_id"))
	if err != nil {
		fail(w, r, err, queueFailures)
		return
	}
	out := []consumerJSON{}
	for _, c := range q.Consumers {
		out = append(out, toConsumer(c))
	}
	ok(w, out)
}

func (h *Handler) getConsumer(w http.ResponseWriter, r *http.Request, acct string) {
	c, err := h.st.Consumer(r.Context(), acct, r.PathValue("queue_id"), r.PathValue("consumer_id"))
	if err != nil {
		fail(w, r, err, consumerFailures)
		return
	}
	ok(w, toConsumer(c))
}

func (h *Handler) updateConsumer(w http.ResponseWriter, r *http.Request, acct string) {
	c, good := h.consumerFrom(w, r, acct)
	if !good {
		return
	}
	c, err := h.st.UpdateConsumer(r.Context(), acct, r.PathValue("queue_id"), r.PathValue("consumer_id"), c)
	if err != nil {
		fail(w, r, err, consumerFailures)
		return
	}
	ok(w, toConsumer(c))
}

func (h *Handler) deleteConsumer(w http.ResponseWriter, r *http.Request, acct string) {
	if err := h.st.DeleteConsumer(r.Context(), acct, r.PathValue("queue_id"), r.PathValue("consumer_id")); err != nil {
		fail(w, r, err, consumerFailures)
		return
	}
	ok(w, nil)
}

// scriptQueueConsumers is the undocumented per-script consumer list that
// Alchemy reads on destroy; it answers an array.
func (h *Handler) scriptQueueConsumers(w http.ResponseWriter, r *http.Request, acct string) {
	name := r.PathValue("script_name")
	if _, err := h.st.ScriptSummary(r.Context(), acct, name); err != nil {
		fail(w, r, err, scriptFailures)
		return
	}
	cs, err := h.st.ConsumersOfScript(r.Context(), acct, name)
	if err != nil {
		fail(w, r, err, nil)
		return
	}
	out := make([]map[string]any, 0, len(cs))
	for _, c := range cs {
		out = append(out, map[string]any{"queue_id": c.QueueID, "queue_name": c.QueueName, "script": c.Script, "consumer_id": c.ID,
			"type": c.Type, "created_on": c.CreatedOn, "settings": c.Settings, "dead_letter_queue": c.DeadLetterQueue})
	}
	ok(w, out)
}

type messageBody struct {
	Body         json.RawMessage `json:"body"`
	ContentType  string          `json:"content_type"`
	DelaySeconds int             `json:"delay_seconds"`
}

// outgoing turns an API message into a stored one: text and json bodies
// are kept as JSON text, bytes/v8 bodies are base64 in the API.
func outgoing(m messageBody) (store.OutgoingMessage, bool) {
	out := store.OutgoingMessage{ContentType: m.ContentType, Delay: time.Duration(m.DelaySeconds) * time.Second}
	switch m.ContentType {
	case "", "json":
		out.ContentType = "json"
		out.Body = []byte(m.Body)
	case "text":
		var s string
		if json.Unmarshal(m.Body, &s) != nil {
			return out, false
		}
		out.Body = []byte(s)
	case "bytes", "v8":
		var s string
		if json.Unmarshal(m.Body, &s) != nil {
			return out, false
		}
		b, err := base64.StdEncoding.DecodeString(s)
		if err != nil {
			return out, false
		}
		out.Body = b
	default:
		return out, false
	}
	return out, true
}

func (h *Handler) sendMessage(w http.ResponseWriter, r *http.Request, acct string) {
	var m messageBody
	if !decodeJSON(w, r, &m) {
		return
	}
	h.send(w, r, acct, []messageBody{m})
}

func (h *Handler) sendBatch(w http.ResponseWriter, r *http.Request, acct string) {
	var body struct {
		Messages     []messageBody `json:"messages"`
		DelaySeconds int           `json:"delay_seconds"`
	}
	if !decodeJSON(w, r, &body) {
		return
	}
	for i := range body.Messages {
		if body.Messages[i].DelaySeconds == 0 {
			body.Messages[i].DelaySeconds = body.DelaySeconds
		}
	}
	h.send(w, r, acct, body.Messages)
}

func (h *Handler) send(w http.ResponseWriter, r *http.Request, acct string, msgs []messageBody) {
	out := make([]store.OutgoingMessage, 0, len(msgs))
	for _, m := range msgs {
		o, good := outgoing(m)
		if !good {
			writeError(w, r, http.StatusBadRequest, 11003, "message body does not match content_type "+m.ContentType)
			return
		}
		out = append(out, o)
	}
	if err := h.st.SendMessages(r.Context(), acct, r.PathValue("queue_id"), out); err != nil {
		fail(w, r, err, queueFailures)
		return
	}
	ok(w, nil)
}

func (h *Handler) pullMessages(w http.ResponseWriter, r *http.Request, acct string) {
	var body struct {
		BatchSize           int `json:"batch_size"`
		VisibilityTimeoutMS int `json:"visibility_timeout_ms"`
	}
	if r.ContentLength != 0 && !decodeJSON(w, r, &body) {
		return
	}
	msgs, err := h.st.PullMessages(r.Context(), acct, r.PathValue("queue_id"), body.BatchSize, time.Duration(body.VisibilityTimeoutMS)*time.Millisecond)
	if err != nil {
		fail(w, r, err, queueFailures)
		return
	}
	out := make([]map[string]any, 0, len(msgs))
	for _, m := range msgs {
		body := string(m.Body)
		if m.ContentType == "bytes" || m.ContentType == "v8" {
			body = base64.StdEncoding.EncodeToString(m.Body)
		}
		out = append(out, map[string]any{"id": m.ID, "lease_id": m.LeaseID, "body": body, "attempts": m.Attempts,
			"metadata": map[string]string{"CF-Content-Type": m.ContentType}, "timestamp_ms": store.ParseTime(m.Timestamp).UnixMilli()})
	}
	backlog, _ := h.st.QueueBacklog(r.Context(), r.PathValue("queue_id"))
	ok(w, map[string]any{"messages": out, "message_backlog_count": backlog})
}

func (h *Handler) ackMessages(w http.ResponseWriter, r *http.Request, acct string) {
	var body struct {
		Acks []struct {
			LeaseID string `json:"lease_id"`
		} `json:"acks"`
		Retries []struct {
			LeaseID      string `json:"lease_id"`
			DelaySeconds int    `json:"delay_seconds"`
		} `json:"retries"`
	}
	if !decodeJSON(w, r, &body) {
		return
	}
	acks := make([]string, 0, len(body.Acks))
	for _, a := range body.Acks {
		acks = append(acks, a.LeaseID)
	}
	retries := make([]store.Retry, 0, len(body.Retries))
	for _, rt := range body.Retries {
		retries = append(retries, store.Retry{LeaseID: rt.LeaseID, Delay: time.Duration(rt.DelaySeconds) * time.Second})
	}
	acked, retried, err := h.st.AckMessages(r.Context(), acct, r.PathValue("queue_id"), acks, retries)
	if err != nil {
		fail(w, r, err, queueFailures)
		return
	}
	ok(w, map[string]any{"ackCount": acked, "retryCount": retried, "warnings": []string{}})
}

func (h *Handler) purgeQueue(w http.ResponseWriter, r *http.Request, acct string) {
	id := r.PathValue("queue_id")
	q, err := h.st.Queue(r.Context(), acct, id)
	if err != nil {
		fail(w, r, err, queueFailures)
		return
	}
	if err := h.st.PurgeQueue(r.Context(), acct, id); err != nil {
		fail(w, r, err, nil)
		return
	}
	ok(w, toQueue(q))
}
