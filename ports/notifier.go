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

// NamespaceEvents tells every node sharing a database that namespaces ended
// (were deleted), so the access granted for them ends too: open
// subscriptions and imports close, and cached token checks are dropped.
type NamespaceEvents interface {
	// PublishEnded announces that namespace ns was deleted. It signals this
	// node's watchers at once and never waits for a shared bus.
	PublishEnded(ctx context.Context, ns string) error
	// WatchEnded returns a watch of the namespaces deleted on any node.
	WatchEnded() EndedWatch
}

// EndedWatch collects ended namespaces until they are taken. Safe for
// concurrent use.
type EndedWatch interface {
	// Ready receives a value when Take has something new (values coalesce).
	Ready() <-chan struct{}
	// Take returns the namespaces ended since the last call, and all = true
	// when some may have been missed (a shared bus reconnected): then every
	// namespace must be checked again.
	Take() (ids []string, all bool)
	// Close ends the watch; Ready receives nothing more.
	Close()
}
