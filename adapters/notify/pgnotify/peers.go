package pgnotify

// A node publishes its commits on the bus only while another node listens:
// alone, a NOTIFY per commit costs PostgreSQL a transaction and this node a
// round trip on another connection, about a tenth of a lone writer's
// throughput here, for nobody. Nodes find each other with a hello: each
// node says hello when its listener starts (and after it reconnects), and
// every node that hears one answers. A node that skipped commits while it
// thought itself alone answers, or announces once it learns of a peer, with
// "all" instead: the others re-read everything, as after a reconnection,
// and so find what it wrote meanwhile.

// Control payloads follow "<node>:"; namespace ids never start with '?'.
const (
	helloMark = "?hello" // a listener started: others answer
	hereMark  = "?here"  // an answer: this node listens too
	allMark   = "?all"   // commits went unannounced: re-read everything
)

// publishing reports whether anyone else listens. When nobody does it
// records that a commit went unannounced.
func (n *Notifier) publishing() bool {
	n.peerMu.Lock()
	defer n.peerMu.Unlock()
	if !n.peers {
		n.unannounced = true
	}
	return n.peers
}

// heardPeer records that another node listens and returns what to announce:
// "all" when commits went unannounced, else reply (an answer to a hello,
// or "" for none).
func (n *Notifier) heardPeer(reply string) string {
	n.peerMu.Lock()
	defer n.peerMu.Unlock()
	n.peers = true
	if n.unannounced {
		n.unannounced = false
		return allMark
	}
	return reply
}
