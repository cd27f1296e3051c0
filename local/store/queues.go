package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"
)

// QueueSettings are a queue's settings.
type QueueSettings struct {
	DeliveryDelay          int  `json:"delivery_delay"`
	DeliveryPaused         bool `json:"delivery_paused"`
	MessageRetentionPeriod int  `json:"message_retention_period"`
}

// Queue is a Cloudflare Queue.
type Queue struct {
	ID         string
	AccountID  string
	Name       string
	CreatedOn  string
	ModifiedOn string
	Settings   QueueSettings
	Producers  []string // scripts with a queue binding to it
	Consumers  []Consumer
}

// ConsumerSettings are a consumer's delivery settings.
type ConsumerSettings struct {
	BatchSize           int `json:"batch_size,omitempty"`
	MaxConcurrency      int `json:"max_concurrency,omitempty"`
	MaxRetries          int `json:"max_retries,omitempty"`
	MaxWaitTimeMS       int `json:"max_wait_time_ms,omitempty"`
	RetryDelay          int `json:"retry_delay,omitempty"`
	VisibilityTimeoutMS int `json:"visibility_timeout_ms,omitempty"`
}

// Consumer is a queue consumer: a Worker ("worker") or pull ("http_pull").
type Consumer struct {
	ID              string
	AccountID       string
	QueueID         string
	QueueName       string
	Type            string
	Script          string
	DeadLetterQueue string
	Settings        ConsumerSettings
	CreatedOn       string
}

// CreateQueue creates a queue; names are unique per account.
func (s *Store) CreateQueue(ctx context.Context, account, name string, settings *QueueSettings) (Queue, error) {
	if !validQueueName(name) {
		return Queue{}, fmt.Errorf("queue %q: create: %w: names are 1–63 characters of a-z, 0-9, - and _", name, ErrInvalid)
	}
	set := QueueSettings{MessageRetentionPeriod: 345600}
	if settings != nil {
		set = *settings
	}
	raw, _ := json.Marshal(set)
	id := NewID()
	now := s.stamp()
	err := s.tx(ctx, func(ctx context.Context, tx *sql.Tx) error {
		var n int
		tx.QueryRowContext(ctx, `SELECT count(*) FROM queues WHERE account_id = ? AND name = ?`, account, name).Scan(&n)
		if n > 0 {
			return ErrExists
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO queues (id, account_id, name, created_on, modified_on, settings) VALUES (?, ?, ?, ?, ?, ?)`, id, account, name, now, now, string(raw))
		return err
	})
	if err != nil {
		return Queue{}, fmt.Errorf("queue %q: create: %w", name, err)
	}
	return s.Queue(ctx, account, id)
}

func validQueueName(n string) bool {
	if n == "" || len(n) > 63 {
		return false
	}
	for _, c := range n {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_') {
			return false
		}
	}
	return true
}

// Queue returns a queue with its producers and consumers.
func (s *Store) Queue(ctx context.Context, account, id string) (Queue, error) {
	return s.queueWhere(ctx, account, "id", id)
}

// QueueByName returns a queue by name.
func (s *Store) QueueByName(ctx context.Context, account, name string) (Queue, error) {
	return s.queueWhere(ctx, account, "name", name)
}

func (s *Store) queueWhere(ctx context.Context, account, col, v string) (Queue, error) {
	var q Queue
	var set string
	err := s.r.QueryRowContext(ctx, `SELECT id, account_id, name, created_on, modified_on, settings FROM queues WHERE account_id = ? AND `+col+` = ?`, account, v).
		Scan(&q.ID, &q.AccountID, &q.Name, &q.CreatedOn, &q.ModifiedOn, &set)
	if errors.Is(err, sql.ErrNoRows) {
		return q, fmt.Errorf("queue %s: %w", v, ErrNotFound)
	}
	if err != nil {
		return q, fmt.Errorf("queue %s: %w", v, err)
	}
	json.Unmarshal([]byte(set), &q.Settings)
	if err := s.fillQueue(ctx, &q); err != nil {
		return q, err
	}
	return q, nil
}

func (s *Store) fillQueue(ctx context.Context, q *Queue) error {
	var err error
	if q.Consumers, err = s.Consumers(ctx, q.AccountID, q.ID); err != nil {
		return err
	}
	rows, err := s.r.QueryContext(ctx, `SELECT DISTINCT script FROM script_refs WHERE account_id = ? AND type = 'queue' AND ref = ? ORDER BY script`, q.AccountID, q.Name)
	if err != nil {
		return fmt.Errorf("queue %s: producers: %w", q.Name, err)
	}
	defer rows.Close()
	q.Producers = []string{}
	for rows.Next() {
		var p string
		rows.Scan(&p)
		q.Producers = append(q.Producers, p)
	}
	return rows.Err()
}

// Queues lists an account's queues ordered by name.
func (s *Store) Queues(ctx context.Context, account string) ([]Queue, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT id FROM queues WHERE account_id = ? ORDER BY name`, account)
	if err != nil {
		return nil, fmt.Errorf("queues: %w", err)
	}
	var ids []string
	for rows.Next() {
		var id string
		rows.Scan(&id)
		ids = append(ids, id)
	}
	rows.Close()
	out := make([]Queue, 0, len(ids))
	for _, id := range ids {
		q, err := s.Queue(ctx, account, id)
		if err != nil {
			return nil, err
		}
		out = append(out, q)
	}
	return out, nil
}

// UpdateQueue renames a queue and/or replaces its settings (nil = keep).
func (s *Store) UpdateQueue(ctx context.Context, account, id string, name *string, settings *QueueSettings) (Queue, error) {
	err := s.tx(ctx, func(ctx context.Context, tx *sql.Tx) error {
		var cur, set string
		err := tx.QueryRowContext(ctx, `SELECT name, settings FROM queues WHERE account_id = ? AND id = ?`, account, id).Scan(&cur, &set)
		if errors.Is(err, sql.ErrNoRows) {
			return ErrNotFound
		}
		if err != nil {
			return err
		}
		if name != nil && *name != cur {
			if !validQueueName(*name) {
				return fmt.Errorf("name %q: %w", *name, ErrInvalid)
			}
			var n int
			tx.QueryRowContext(ctx, `SELECT count(*) FROM queues WHERE account_id = ? AND name = ?`, account, *name).Scan(&n)
			if n > 0 {
				return fmt.Errorf("name %q: %w", *name, ErrExists)
			}
			cur = *name
		}
		if settings != nil {
			raw, _ := json.Marshal(settings)
			set = string(raw)
		}
		_, err = tx.ExecContext(ctx, `UPDATE queues SET name = ?, settings = ?, modified_on = ? WHERE id = ?`, cur, set, s.stamp(), id)
		return err
	})
	if err != nil {
		return Queue{}, fmt.Errorf("queue %s: update: %w", id, err)
	}
	return s.Queue(ctx, account, id)
}

// DeleteQueue removes a queue with its consumers and messages.
func (s *Store) DeleteQueue(ctx context.Context, account, id string) error {
	err := s.tx(ctx, func(ctx context.Context, tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM queues WHERE account_id = ? AND id = ?`, account, id)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return ErrNotFound
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("queue %s: delete: %w", id, err)
	}
	return nil
}

// CreateConsumer attaches a consumer. A queue has at most one Worker
// consumer.
func (s *Store) CreateConsumer(ctx context.Context, account, queueID string, c Consumer) (Consumer, error) {
	if c.Type == "" {
		c.Type = "worker"
	}
	if c.Type != "worker" && c.Type != "http_pull" {
		return Consumer{}, fmt.Errorf("queue %s: consumer type %q: %w", queueID, c.Type, ErrInvalid)
	}
	c.ID = NewID()
	c.QueueID = queueID
	c.CreatedOn = s.stamp()
	raw, _ := json.Marshal(c.Settings)
	err := s.tx(ctx, func(ctx context.Context, tx *sql.Tx) error {
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM queues WHERE account_id = ? AND id = ?`, account, queueID).Scan(&n); err != nil {
			return err
		}
		if n == 0 {
			return fmt.Errorf("queue: %w", ErrNotFound)
		}
		tx.QueryRowContext(ctx, `SELECT count(*) FROM queue_consumers WHERE queue_id = ?`, queueID).Scan(&n)
		if n > 0 {
			return fmt.Errorf("queue already has a consumer: %w", ErrExists)
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO queue_consumers (id, queue_id, type, script, dead_letter_queue, settings, created_on) VALUES (?, ?, ?, ?, ?, ?, ?)`,
			c.ID, queueID, c.Type, c.Script, c.DeadLetterQueue, string(raw), c.CreatedOn)
		return err
	})
	if err != nil {
		return Consumer{}, fmt.Errorf("queue %s: add consumer: %w", queueID, err)
	}
	return s.Consumer(ctx, account, queueID, c.ID)
}

// UpdateConsumer replaces a consumer's script, dead letter queue and settings.
func (s *Store) UpdateConsumer(ctx context.Context, account, queueID, id string, c Consumer) (Consumer, error) {
	raw, _ := json.Marshal(c.Settings)
	err := s.tx(ctx, func(ctx context.Context, tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE queue_consumers SET script = ?, dead_letter_queue = ?, settings = ? WHERE id = ? AND queue_id IN (SELECT id FROM queues WHERE account_id = ? AND id = ?)`,
			c.Script, c.DeadLetterQueue, string(raw), id, account, queueID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return ErrNotFound
		}
		return nil
	})
	if err != nil {
		return Consumer{}, fmt.Errorf("queue %s: consumer %s: update: %w", queueID, id, err)
	}
	return s.Consumer(ctx, account, queueID, id)
}

// DeleteConsumer detaches a consumer.
func (s *Store) DeleteConsumer(ctx context.Context, account, queueID, id string) error {
	err := s.tx(ctx, func(ctx context.Context, tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM queue_consumers WHERE id = ? AND queue_id IN (SELECT id FROM queues WHERE account_id = ? AND id = ?)`, id, account, queueID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return ErrNotFound
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("queue %s: consumer %s: delete: %w", queueID, id, err)
	}
	return nil
}

const consumerQuery = `SELECT c.id, q.account_id, c.queue_id, q.name, c.type, c.script, c.dead_letter_queue, c.settings, c.created_on FROM queue_consumers c JOIN queues q ON q.id = c.queue_id`

func (s *Store) consumers(ctx context.Context, where string, args ...any) ([]Consumer, error) {
	rows, err := s.r.QueryContext(ctx, consumerQuery+` WHERE `+where+` ORDER BY c.created_on, c.id`, args...)
	if err != nil {
		return nil, fmt.Errorf("queue consumers: %w", err)
	}
	defer rows.Close()
	out := []Consumer{}
	for rows.Next() {
		var c Consumer
		var set string
		if err := rows.Scan(&c.ID, &c.AccountID, &c.QueueID, &c.QueueName, &c.Type, &c.Script, &c.DeadLetterQueue, &set, &c.CreatedOn); err != nil {
			return nil, fmt.Errorf("queue consumers: %w", err)
		}
		json.Unmarshal([]byte(set), &c.Settings)
		out = append(out, c)
	}
	return out, rows.Err()
}

// Consumers lists a queue's consumers.
func (s *Store) Consumers(ctx context.Context, account, queueID string) ([]Consumer, error) {
	return s.consumers(ctx, `q.account_id = ? AND q.id = ?`, account, queueID)
}

// Consumer returns one consumer.
func (s *Store) Consumer(ctx context.Context, account, queueID, id string) (Consumer, error) {
	cs, err := s.consumers(ctx, `q.account_id = ? AND q.id = ? AND c.id = ?`, account, queueID, id)
	if err != nil {
		return Consumer{}, err
	}
	if len(cs) == 0 {
		return Consumer{}, fmt.Errorf("queue %s: consumer %s: %w", queueID, id, ErrNotFound)
	}
	return cs[0], nil
}

// ConsumersOfScript lists the queues a Worker consumes.
func (s *Store) ConsumersOfScript(ctx context.Context, account, script string) ([]Consumer, error) {
	return s.consumers(ctx, `q.account_id = ? AND c.type = 'worker' AND c.script = ?`, account, script)
}

// OutgoingMessage is a message to enqueue.
type OutgoingMessage struct {
	Body        []byte
	ContentType string // "json", "text", "bytes" or "v8"
	Delay       time.Duration
}

// QueueMessage is an enqueued message handed to a consumer under a lease.
type QueueMessage struct {
	ID          string
	LeaseID     string
	Body        []byte
	ContentType string
	Attempts    int
	Timestamp   string
}

// SendMessages enqueues messages and notifies subscribers (QueueMessages).
func (s *Store) SendMessages(ctx context.Context, account, queueID string, msgs []OutgoingMessage) error {
	q, err := s.Queue(ctx, account, queueID)
	if err != nil {
		return err
	}
	now := s.now()
	err = s.dataTx(ctx, func(ctx context.Context, tx *sql.Tx) error {
		for _, m := range msgs {
			ct := m.ContentType
			if ct == "" {
				ct = "json"
			}
			delay := m.Delay
			if delay == 0 {
				delay = time.Duration(q.Settings.DeliveryDelay) * time.Second
			}
			_, err := tx.ExecContext(ctx, `INSERT INTO queue_messages (id, queue_id, body, content_type, enqueued_at, visible_at) VALUES (?, ?, ?, ?, ?, ?)`,
				NewID(), queueID, m.Body, ct, now.Format(TimeFormat), now.Add(delay).UnixMilli())
			if err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("queue %s: send: %w", q.Name, err)
	}
	s.emit(Event{Kind: QueueMessages, AccountID: account, Name: queueID})
	return nil
}

// PullMessages leases up to batchSize visible messages for visibility.
// Leased messages are invisible to other pulls until acked, retried or
// the lease expires.
func (s *Store) PullMessages(ctx context.Context, account, queueID string, batchSize int, visibility time.Duration) ([]QueueMessage, error) {
	if batchSize <= 0 {
		batchSize = 10
	}
	if visibility <= 0 {
		visibility = 30 * time.Second
	}
	var out []QueueMessage
	now := s.now()
	err := s.dataTx(ctx, func(ctx context.Context, tx *sql.Tx) error {
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM queues WHERE account_id = ? AND id = ?`, account, queueID).Scan(&n); err != nil {
			return err
		}
		if n == 0 {
			return ErrNotFound
		}
		rows, err := tx.QueryContext(ctx, `SELECT id, body, content_type, attempts, enqueued_at FROM queue_messages WHERE queue_id = ? AND visible_at <= ? ORDER BY visible_at, enqueued_at LIMIT ?`,
			queueID, now.UnixMilli(), batchSize)
		if err != nil {
			return err
		}
		for rows.Next() {
			var m QueueMessage
			if err := rows.Scan(&m.ID, &m.Body, &m.ContentType, &m.Attempts, &m.Timestamp); err != nil {
				rows.Close()
				return err
			}
			out = append(out, m)
		}
		rows.Close()
		for i := range out {
			out[i].LeaseID = NewID()
			out[i].Attempts++
			if _, err := tx.ExecContext(ctx, `UPDATE queue_messages SET lease_id = ?, attempts = ?, visible_at = ? WHERE id = ?`,
				out[i].LeaseID, out[i].Attempts, now.Add(visibility).UnixMilli(), out[i].ID); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("queue %s: pull: %w", queueID, err)
	}
	return out, nil
}

// Retry asks for a leased message to be delivered again after Delay.
type Retry struct {
	LeaseID string
	Delay   time.Duration
}

// AckMessages settles leases: acked messages are removed, retried ones
// become visible again after their delay. Unknown leases are ignored.
// It returns how many of each were applied.
func (s *Store) AckMessages(ctx context.Context, account, queueID string, acks []string, retries []Retry) (acked, retried int, err error) {
	now := s.now()
	err = s.dataTx(ctx, func(ctx context.Context, tx *sql.Tx) error {
		for _, a := range acks {
			if a == "" {
				continue
			}
			res, err := tx.ExecContext(ctx, `DELETE FROM queue_messages WHERE queue_id = ? AND lease_id = ?`, queueID, a)
			if err != nil {
				return err
			}
			n, _ := res.RowsAffected()
			acked += int(n)
		}
		for _, r := range retries {
			if r.LeaseID == "" {
				continue
			}
			res, err := tx.ExecContext(ctx, `UPDATE queue_messages SET lease_id = '', visible_at = ? WHERE queue_id = ? AND lease_id = ?`, now.Add(r.Delay).UnixMilli(), queueID, r.LeaseID)
			if err != nil {
				return err
			}
			n, _ := res.RowsAffected()
			retried += int(n)
		}
		return nil
	})
	if err != nil {
		return 0, 0, fmt.Errorf("queue %s: ack: %w", queueID, err)
	}
	if retried > 0 {
		s.emit(Event{Kind: QueueMessages, AccountID: account, Name: queueID})
	}
	return acked, retried, nil
}

// MoveMessage moves a leased message to another queue (a dead letter
// queue), resetting its attempts.
func (s *Store) MoveMessage(ctx context.Context, account, fromQueue, leaseID, toQueue string) error {
	err := s.dataTx(ctx, func(ctx context.Context, tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE queue_messages SET queue_id = ?, lease_id = '', attempts = 0, visible_at = ? WHERE queue_id = ? AND lease_id = ?`,
			toQueue, s.now().UnixMilli(), fromQueue, leaseID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return ErrNotFound
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("queue %s: move lease %s: %w", fromQueue, leaseID, err)
	}
	s.emit(Event{Kind: QueueMessages, AccountID: account, Name: toQueue})
	return nil
}

// QueueBacklog counts a queue's messages (visible or leased).
func (s *Store) QueueBacklog(ctx context.Context, queueID string) (int, error) {
	var n int
	err := s.r.QueryRowContext(ctx, `SELECT count(*) FROM queue_messages WHERE queue_id = ?`, queueID).Scan(&n)
	return n, err
}

// PurgeQueue deletes every message of a queue.
func (s *Store) PurgeQueue(ctx context.Context, account, queueID string) error {
	return s.dataTx(ctx, func(ctx context.Context, tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `DELETE FROM queue_messages WHERE queue_id IN (SELECT id FROM queues WHERE account_id = ? AND id = ?)`, account, queueID)
		return err
	})
}

// NextVisible returns when the earliest invisible message of a queue
// becomes visible (zero time when none is waiting).
func (s *Store) NextVisible(ctx context.Context, queueID string) time.Time {
	var ms sql.NullInt64
	s.r.QueryRowContext(ctx, `SELECT min(visible_at) FROM queue_messages WHERE queue_id = ?`, queueID).Scan(&ms)
	if !ms.Valid {
		return time.Time{}
	}
	return time.UnixMilli(ms.Int64)
}

// ReadyWorkerQueues lists the Worker consumers of queues that have
// visible messages, for the delivery loop.
func (s *Store) ReadyWorkerQueues(ctx context.Context) ([]Consumer, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT DISTINCT q.account_id, q.id FROM queues q JOIN queue_consumers c ON c.queue_id = q.id AND c.type = 'worker'
		WHERE EXISTS (SELECT 1 FROM queue_messages m WHERE m.queue_id = q.id AND m.visible_at <= ?)`, s.now().UnixMilli())
	if err != nil {
		return nil, fmt.Errorf("ready queues: %w", err)
	}
	type key struct{ account, queue string }
	var keys []key
	for rows.Next() {
		var k key
		rows.Scan(&k.account, &k.queue)
		keys = append(keys, k)
	}
	rows.Close()
	var out []Consumer
	for _, k := range keys {
		cs, err := s.consumers(ctx, `q.account_id = ? AND q.id = ? AND c.type = 'worker'`, k.account, k.queue)
		if err != nil {
			return nil, err
		}
		out = append(out, cs...)
	}
	return out, nil
}
