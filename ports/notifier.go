package ports

import "context"

// Notifier tells subscribers that a namespace has new messages. Notifications
// carry no payload and may be coalesced or lost: subscribers re-read the store
// after each one, so a lost notification costs latency, never data.
type Notifier interface {
	// Publish announces that ns committed messages up to globalPosition.
	Publish(ctx context.Context, ns string, globalPosition int64) error
	// Subscribe returns a channel that receives a value after messages are
	// committed in ns (several commits may yield one value), and a function
	// that ends the subscription. The channel also fires after a lost
	// connection to a shared bus is restored.
	Subscribe(ns string) (<-chan struct{}, func())
}
