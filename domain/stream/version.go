package stream

// NoStream is the version of a stream that has no messages.
const NoStream int64 = -1

// MaxPosition is the largest position or global position a message may have:
// 2^53-1, the largest integer every JSON client reads exactly. Imports above
// it are refused, so the next global position can never overflow.
const MaxPosition int64 = 1<<53 - 1

// ExpectedVersion is an optimistic-concurrency precondition on an append.
// The zero value expects nothing.
type ExpectedVersion struct {
	value int64
	set   bool
}

// AnyVersion appends whatever the stream's version is.
func AnyVersion() ExpectedVersion { return ExpectedVersion{} }

// ExactVersion requires the stream to be at version v (NoStream: must not exist).
func ExactVersion(v int64) ExpectedVersion { return ExpectedVersion{value: v, set: true} }

// IsSet reports whether a version is expected.
func (e ExpectedVersion) IsSet() bool { return e.set }

// Value is the expected version; meaningful only when IsSet.
func (e ExpectedVersion) Value() int64 { return e.value }

// Validate rejects versions below NoStream.
func (e ExpectedVersion) Validate() error {
	if e.set && e.value < NoStream {
		return Invalidf("expectedVersion", "must be -1 (no stream) or a position >= 0, got %d", e.value)
	}
	return nil
}

// Check returns a *VersionConflictError unless the stream named stream is at
// the expected version.
func (e ExpectedVersion) Check(stream string, actual int64) error {
	if e.set && e.value != actual {
		return &VersionConflictError{Stream: stream, Expected: e.value, Actual: actual}
	}
	return nil
}

// CheckRoom refuses an append of n messages to a stream at version whose
// positions or global positions, from nextGlobal on, would pass MaxPosition
// (only an import near the limit gets a namespace there).
func CheckRoom(version, nextGlobal int64, n int) error {
	switch {
	case nextGlobal+int64(n)-1 > MaxPosition:
		return Invalidf("globalPosition", "the namespace's global positions are used up: %d messages from %d would pass %d", n, nextGlobal, MaxPosition)
	case version+int64(n) > MaxPosition:
		return Invalidf("position", "the stream's positions are used up: %d messages after version %d would pass %d", n, version, MaxPosition)
	}
	return nil
}
