// Package group holds the rules of durable consumer groups (PROTOCOL.md §8):
// a group is a named reader of one category of a namespace, split into Size
// members by the consumer-group hash of package partition. Each member has a
// checkpoint, the global position it has processed up to, which only moves
// forward unless it is reset; workers may lease a member for a while instead
// of being given a fixed member number; and a member's lag is the number of
// messages of its share above its checkpoint.
//
// The package is values and rules only: the storage port (ports.GroupStore)
// keeps them, the group service (domain/service) applies them, with times
// from the clock port.
package group
