package group

import (
	"errors"
	"fmt"
)

// Errors of group operations; wrap them with the helpers below so messages
// name the group, and test them with errors.Is.
var (
	// ErrNotFound: no group of that name in the namespace.
	ErrNotFound = errors.New("group not found")
	// ErrExists: a group of that name exists with another definition.
	ErrExists = errors.New("a group of that name exists with another definition")
	// ErrFull: every member of the group is held by a live lease.
	ErrFull = errors.New("every member of the group is leased")
	// ErrLeaseExpired: the lease is not the member's live lease (it expired,
	// and perhaps another worker holds the member now).
	ErrLeaseExpired = errors.New("the lease is not valid any more")
)

// NotFoundError names the missing group.
func NotFoundError(name string) error { return fmt.Errorf("%w: %q", ErrNotFound, name) }

// ExistsError names the group whose definition differs from the one asked for.
func ExistsError(name string, stored Definition) error {
	return fmt.Errorf("%w: %q reads category %q with %d member(s), correlation %q, from %s",
		ErrExists, name, stored.Category, stored.Size, stored.Correlation, stored.StartAt)
}

// FullError names the group with no free member.
func FullError(name string, size int64) error {
	return fmt.Errorf("%w: all %d member(s) of %q are held; retry when a lease expires", ErrFull, size, name)
}

// LeaseExpiredError names the lease that is no longer valid.
func LeaseExpiredError(name, lease string) error {
	return fmt.Errorf("%w: lease %s of group %q; join the group again", ErrLeaseExpired, lease, name)
}
