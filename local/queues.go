package local

import (
	"context"
	"log"
	"time"

	"github.com/alchemy-go/alchemy/local/store"
)

// QueueHost is implemented by a WorkerHost that runs queue consumers. The
// Server then delivers batches of each queue that has a Worker consumer.
type QueueHost interface {
	DeliverQueue(ctx context.Context, b QueueBatch) QueueOutcome
}

// QueueBatch is a batch of leased messages for a consumer Worker.
type QueueBatch struct {
	AccountID string
	Script    string
	Queue     store.Queue
	Consumer  store.Consumer
	Messages  []store.QueueMessage
}

// QueueOutcome settles a batch. Messages listed in neither Acked nor
// Retried are acked when Err is nil and retried otherwise (the default of
// a queue handler that returns or throws).
type QueueOutcome struct {
	Acked   []string // lease ids
	Retried []store.Retry
	Err     error
}

const queuePollInterval = time.Second

// startQueueDispatch runs delivery while the host can consume queues.
func (s *Server) startQueueDispatch() (stop func()) {
	qh, ok := s.host.(QueueHost)
	if !ok {
		return func() {}
	}
	ctx, cancel := context.WithCancel(context.Background())
	wake := make(chan struct{}, 1)
	unsub := s.st.Subscribe(func(e store.Event) {
		if e.Kind == store.QueueMessages {
			select {
			case wake <- struct{}{}:
			default:
			}
		}
	})
	finished := make(chan struct{})
	go func() {
		defer close(finished)
		t := time.NewTicker(queuePollInterval)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-wake:
			case <-t.C:
			}
			s.deliverReady(ctx, qh)
		}
	}()
	return func() {
		unsub()
		cancel()
		<-finished
	}
}

// deliverReady hands one batch of each ready queue to its consumer.
func (s *Server) deliverReady(ctx context.Context, qh QueueHost) {
	ready, err := s.st.ReadyWorkerQueues(ctx)
	if err != nil {
		log.Printf("local cloudflare: queue delivery: %v", err)
		return
	}
	for _, c := range ready {
		if ctx.Err() != nil {
			return
		}
		s.deliverBatch(ctx, qh, c)
	}
}

func (s *Server) deliverBatch(ctx context.Context, qh QueueHost, c store.Consumer) {
	q, err := s.st.Queue(ctx, c.AccountID, c.QueueID)
	if err != nil {
		return
	}
	size := c.Settings.BatchSize
	if size <= 0 {
		size = 10
	}
	msgs, err := s.st.PullMessages(ctx, c.AccountID, c.QueueID, size, 30*time.Second)
	if err != nil || len(msgs) == 0 {
		return
	}
	dctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	out := qh.DeliverQueue(dctx, QueueBatch{AccountID: c.AccountID, Script: c.Script, Queue: q, Consumer: c, Messages: msgs})
	cancel()
	settled := map[string]bool{}
	acks := append([]string(nil), out.Acked...)
	for _, a := range out.Acked {
		settled[a] = true
	}
	retries := append([]store.Retry(nil), out.Retried...)
	for _, r := range out.Retried {
		settled[r.LeaseID] = true
	}
	delay := time.Duration(c.Settings.RetryDelay) * time.Second
	for _, m := range msgs {
		if settled[m.LeaseID] {
			continue
		}
		if out.Err == nil {
			acks = append(acks, m.LeaseID)
		} else {
			retries = append(retries, store.Retry{LeaseID: m.LeaseID, Delay: delay})
		}
	}
	maxRetries := c.Settings.MaxRetries
	if maxRetries <= 0 {
		maxRetries = 3
	}
	attempts := map[string]int{}
	for _, m := range msgs {
		attempts[m.LeaseID] = m.Attempts
	}
	var again []store.Retry
	for _, r := range retries {
		if attempts[r.LeaseID] <= maxRetries {
			again = append(again, r)
			continue
		}
		// Out of retries: to the dead letter queue, or dropped.
		if c.DeadLetterQueue != "" {
			if dlq, err := s.st.QueueByName(ctx, c.AccountID, c.DeadLetterQueue); err == nil {
				if s.st.MoveMessage(ctx, c.AccountID, c.QueueID, r.LeaseID, dlq.ID) == nil {
					continue
				}
			}
		}
		acks = append(acks, r.LeaseID)
	}
	if _, _, err := s.st.AckMessages(ctx, c.AccountID, c.QueueID, acks, again); err != nil {
		log.Printf("local cloudflare: queue %s: settle batch: %v", q.Name, err)
	}
}
